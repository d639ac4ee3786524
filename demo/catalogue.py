"""The demo service catalogue: nested categories, 16 items in English and Chinese whose forms use every
field type (with validation and conditional questions), ordered and parallel fulfilment tasks, approvals
by line manager and item owner, three automations and one item only managers may order.

Items are written through requests_catalog.catalogue (validated like an administrator's edits) and
updated in place by name. demo.requests loads them and writes the request history.
"""

from django.contrib.auth.models import Group, User
from django.db import transaction

from core import roles
from org.models import Service, Team
from requests_catalog import catalogue, formdef
from requests_catalog.choices import ApprovalRule, Automation
from requests_catalog.models import CatalogCategory, CatalogItem

VPN_GROUP = "vpn-users"
DEMO_WEBHOOK = "http://127.0.0.1:9/itsm-demo-hook"  # nothing listens there: the automation fails


# --- the catalogue ------------------------------------------------------------------------------------


def _field(name: str, label: str, label_zh: str, kind: str, **extra) -> dict:
    return {"name": name, "label": label, "label_zh": label_zh, "type": kind, **extra}


def _choices(*triples: tuple[str, str, str]) -> list[dict]:
    return [{"value": value, "label": label, "label_zh": label_zh} for value, label, label_zh in triples]


def _task(step: int, title: str, title_zh: str, team: str, hours: tuple[float, float], fields=(), how=""):
    """A task template; `hours` is how long the demo history takes to do it (working hours)."""
    return {
        "step": step,
        "title": title,
        "title_zh": title_zh,
        "team": team,
        "instructions": how,
        "visible_fields": list(fields),
        "hours": hours,
    }


# parent (or None), name, name_zh, icon, order, description, description_zh
CATEGORIES = [
    (
        None,
        "Hardware",
        "硬件",
        "💻",
        10,
        "Computers, phones and everything you plug into them.",
        "电脑、手机以及各种外设。",
    ),
    (
        "Hardware",
        "Laptops & desktops",
        "笔记本与台式机",
        "🖥️",
        10,
        "Standard laptops and developer workstations.",
        "标准笔记本和开发工作站。",
    ),
    (
        "Hardware",
        "Peripherals",
        "外设",
        "🖱️",
        20,
        "Monitors, docks, keyboards, headsets.",
        "显示器、扩展坞、键盘、耳机。",
    ),
    (
        "Hardware",
        "Mobile devices",
        "移动设备",
        "📱",
        30,
        "Company phones and SIM cards.",
        "公司手机和 SIM 卡。",
    ),
    (
        None,
        "Software",
        "软件",
        "📀",
        20,
        "Licensed applications installed on your computer.",
        "安装在电脑上的授权软件。",
    ),
    (
        None,
        "Access & accounts",
        "访问与账号",
        "🔑",
        30,
        "Passwords, remote access, mailboxes and shared files.",
        "密码、远程访问、邮箱和共享文件。",
    ),
    (
        "Access & accounts",
        "Accounts & passwords",
        "账号与密码",
        "🔐",
        10,
        "Sign-in problems and remote access.",
        "登录问题和远程访问。",
    ),
    (
        "Access & accounts",
        "E-mail & collaboration",
        "邮件与协作",
        "📧",
        20,
        "Shared mailboxes and mailing lists.",
        "共享邮箱和邮件组。",
    ),
    (
        "Access & accounts",
        "Files & data",
        "文件与数据",
        "📁",
        30,
        "Network drives and restoring lost files.",
        "网络共享盘和丢失文件的恢复。",
    ),
    (
        None,
        "People",
        "人员",
        "👥",
        40,
        "Joiners and leavers: everything IT prepares or collects.",
        "入职与离职：IT 需要准备或回收的一切。",
    ),
    (
        None,
        "Workplace",
        "办公场所",
        "🏢",
        50,
        "Meeting rooms and visitors.",
        "会议室和访客。",
    ),
]

LAPTOP_FORM = [
    _field(
        "reason",
        "Why do you need it?",
        "申请原因",
        "choice",
        required=True,
        choices=_choices(
            ("new_joiner", "New joiner", "新员工"),
            ("replacement", "Replace an old or broken laptop", "更换旧电脑或故障电脑"),
            ("additional", "An additional device", "额外设备"),
        ),
    ),
    _field(
        "old_asset_tag",
        "Asset tag of the old laptop",
        "旧电脑资产标签",
        "text",
        required=True,
        pattern=r"IT-\d{5}",
        help_text="On the sticker under the laptop, e.g. IT-01234. We collect it when we deliver the new one.",
        help_text_zh="在电脑底部的标签上，例如 IT-01234。交付新电脑时回收旧电脑。",
        show_if={"field": "reason", "equals": "replacement"},
    ),
    _field(
        "keyboard",
        "Keyboard layout",
        "键盘布局",
        "choice",
        default="us",
        choices=_choices(
            ("us", "US English", "美式英文"),
            ("uk", "UK English", "英式英文"),
            ("de", "German (QWERTZ)", "德文（QWERTZ）"),
            ("fr", "French (AZERTY)", "法文（AZERTY）"),
            ("cn", "Chinese (US layout)", "中文（美式布局）"),
        ),
    ),
    _field(
        "needs_dock",
        "I also need a docking station and a second monitor",
        "同时需要扩展坞和显示器",
        "checkbox",
    ),
    _field(
        "desk",
        "Desk location",
        "工位位置",
        "text",
        required=True,
        max=60,
        help_text="Building, floor and desk, e.g. Paris 2F-14.",
        help_text_zh="楼宇、楼层和工位号，例如 上海 5F-A12。",
        show_if={"field": "needs_dock", "equals": True},
    ),
    _field(
        "needed_by",
        "Needed by",
        "需要日期",
        "date",
        min="today",
        help_text="Leave empty if it is not urgent.",
        help_text_zh="不急可以不填。",
    ),
]

ITEMS = [
    {
        "category": "Laptops & desktops",
        "name": "Standard laptop",
        "name_zh": "标准笔记本电脑",
        "icon": "💻",
        "order": 20,
        "description": "A 14-inch business laptop with the standard image, encrypted and ready to use. "
        "Your line manager approves it; we deliver it to your desk and collect the old one.",
        "description_zh": "14 英寸商务笔记本，预装标准镜像并已加密，开箱即用。需直属经理审批；"
        "我们会送到你的工位并回收旧电脑。",
        "keywords": "laptop notebook computer PC replacement new broken 笔记本 电脑 手提电脑 更换 新电脑",
        "service": "Laptops & Desktops",
        "owner": "deskside",
        "team": "End-User Computing",
        "delivery_hours": 72,
        "approval": ApprovalRule.LINE_MANAGER,
        "form": LAPTOP_FORM,
        "tasks": [
            _task(
                1,
                "Pick a laptop from stock or order one",
                "从库存领取或订购笔记本",
                "End-User Computing",
                (3, 12),
                ["reason", "old_asset_tag", "keyboard", "needed_by"],
                "Take one from the stock room; order from the framework supplier when the stock is empty.",
            ),
            _task(
                2,
                "Install the standard image and encrypt the disk",
                "安装标准镜像并加密磁盘",
                "End-User Computing",
                (2, 5),
                ["keyboard"],
            ),
            _task(
                3,
                "Deliver and collect the old laptop",
                "交付新电脑并回收旧电脑",
                "Service Desk",
                (2, 10),
                ["old_asset_tag", "needs_dock", "desk", "needed_by"],
                "Hand it over in person, check the sign-in works, bring the old one to the stock room.",
            ),
        ],
    },
    {
        "category": "Laptops & desktops",
        "name": "Developer workstation",
        "name_zh": "开发工作站",
        "icon": "🖥️",
        "order": 60,
        "description": "A powerful desktop for builds, containers and machine learning, with local "
        "administrator rights. Approved by your line manager, then by the hardware budget owner.",
        "description_zh": "用于编译、容器和机器学习的高性能台式机，含本地管理员权限。"
        "先由直属经理审批，再由硬件预算负责人审批。",
        "keywords": "workstation desktop developer engineer GPU build powerful 工作站 台式机 开发 显卡 高性能",
        "service": "Laptops & Desktops",
        "owner": "admin",
        "team": "End-User Computing",
        "delivery_hours": 120,
        "approval": ApprovalRule.LINE_MANAGER_THEN_OWNER,
        "form": [
            _field(
                "os",
                "Operating system",
                "操作系统",
                "choice",
                required=True,
                choices=_choices(
                    ("windows", "Windows 11", "Windows 11"),
                    ("linux", "Ubuntu LTS", "Ubuntu LTS"),
                    ("macos", "macOS (Mac Studio)", "macOS（Mac Studio）"),
                ),
            ),
            _field(
                "ram_gb",
                "Memory (GB)",
                "内存（GB）",
                "number",
                required=True,
                min=16,
                max=128,
                default=32,
                help_text="16 to 128 GB.",
                help_text_zh="16 到 128 GB。",
            ),
            _field("gpu", "I need a GPU", "需要独立显卡", "checkbox"),
            _field(
                "gpu_use",
                "What will you run on the GPU?",
                "显卡用来做什么？",
                "textarea",
                required=True,
                min=20,
                show_if={"field": "gpu", "equals": True},
            ),
            _field(
                "justification",
                "Why is a standard laptop not enough?",
                "为什么标准笔记本不够用？",
                "textarea",
                required=True,
                min=20,
            ),
        ],
        "tasks": [
            _task(
                1,
                "Order the workstation",
                "订购工作站",
                "End-User Computing",
                (8, 20),
                ["os", "ram_gb", "gpu"],
            ),
            _task(
                2,
                "Install the OS and developer tools",
                "安装操作系统和开发工具",
                "End-User Computing",
                (4, 10),
                ["os", "gpu_use"],
            ),
            _task(
                2,
                "Grant local administrator rights",
                "授予本地管理员权限",
                "Service Desk",
                (0.5, 2),
                ["os", "justification"],
            ),
            _task(
                3,
                "Deliver and set up at the desk",
                "送到工位并完成安装",
                "End-User Computing",
                (2, 6),
                ["os"],
            ),
        ],
    },
    {
        "category": "Software",
        "name": "Software installation",
        "name_zh": "软件安装",
        "icon": "📀",
        "order": 30,
        "description": "A licensed application installed on your computer. The software owner approves "
        "the licence; the installation runs remotely, you do not need to be there.",
        "description_zh": "为你的电脑安装授权软件。由软件负责人审批许可证；远程安装，无需本人在场。",
        "keywords": "software install application licence license Visio Project Acrobat AutoCAD Tableau "
        "软件 安装 许可证 授权 应用",
        "service": "Laptops & Desktops",
        "owner": "cab",
        "team": "End-User Computing",
        "delivery_hours": 24,
        "approval": ApprovalRule.OWNER,
        "form": [
            _field(
                "software",
                "Software",
                "软件",
                "choice",
                required=True,
                choices=_choices(
                    ("visio", "Microsoft Visio (licensed)", "Microsoft Visio（需许可证）"),
                    ("project", "Microsoft Project (licensed)", "Microsoft Project（需许可证）"),
                    ("acrobat", "Adobe Acrobat Pro (licensed)", "Adobe Acrobat Pro（需许可证）"),
                    ("autocad", "AutoCAD LT (licensed)", "AutoCAD LT（需许可证）"),
                    ("tableau", "Tableau Desktop (licensed)", "Tableau Desktop（需许可证）"),
                    ("other", "Something else", "其他软件"),
                ),
            ),
            _field(
                "other_name",
                "Which software?",
                "哪个软件？",
                "text",
                required=True,
                max=100,
                help_text="Name and version; we check the licence terms first.",
                help_text_zh="请写明名称和版本；我们会先核实许可条款。",
                show_if={"field": "software", "equals": "other"},
            ),
            _field(
                "asset_tag",
                "Asset tag of your computer",
                "电脑资产标签",
                "text",
                required=True,
                pattern=r"IT-\d{5}",
                help_text="On the sticker under the laptop, e.g. IT-01234.",
                help_text_zh="在电脑底部的标签上，例如 IT-01234。",
            ),
            _field("reason", "What do you need it for?", "用途", "textarea", required=True, min=10),
        ],
        "tasks": [
            _task(
                1,
                "Assign a licence",
                "分配许可证",
                "Business Applications",
                (1, 6),
                ["software", "other_name", "reason"],
            ),
            _task(
                2,
                "Install remotely",
                "远程安装",
                "End-User Computing",
                (0.5, 3),
                ["software", "other_name", "asset_tag"],
            ),
        ],
    },
    {
        "category": "Accounts & passwords",
        "name": "VPN access",
        "name_zh": "VPN 访问权限",
        "icon": "🌐",
        "order": 40,
        "description": "Remote access to the corporate network from home or while travelling. "
        "Granted automatically within minutes: install the VPN client from the software centre.",
        "description_zh": "在家或出差时远程访问公司网络。几分钟内自动开通，请从软件中心安装 VPN 客户端。",
        "keywords": "VPN remote access home office travel network 远程 访问 在家办公 出差 内网",
        "service": "VPN",
        "owner": "netops",
        "team": "Network Operations",
        "delivery_hours": 1,
        "automation": Automation.ADD_TO_GROUP,
        "automation_group": VPN_GROUP,
        "form": [
            _field(
                "purpose",
                "What for?",
                "用途",
                "choice",
                required=True,
                choices=_choices(
                    ("remote", "Working from home", "在家办公"),
                    ("travel", "Business travel", "出差"),
                    ("on_call", "On-call duty", "值班"),
                ),
            ),
            _field(
                "until",
                "Until (optional)",
                "截止日期（可选）",
                "date",
                min="today",
                help_text="Leave empty for lasting access.",
                help_text_zh="长期使用可不填。",
            ),
        ],
        "tasks": [],
    },
    {
        "category": "Accounts & passwords",
        "name": "Password reset",
        "name_zh": "重置密码",
        "icon": "🔑",
        "order": 10,
        "description": "Forgot your password or locked out? We e-mail you a link to choose a new one "
        "straight away. No approval needed.",
        "description_zh": "忘记密码或账号被锁？系统会立即发送重置链接到你的邮箱，无需审批。",
        "keywords": "password reset forgot locked out sign in login 密码 重置 忘记密码 锁定 登录",
        "owner": "manager",
        "team": "Service Desk",
        "delivery_hours": 1,
        "automation": Automation.PASSWORD_RESET,
        "form": [
            _field(
                "note",
                "Anything we should know? (optional)",
                "补充说明（可选）",
                "text",
                max=200,
                help_text="The link goes to the e-mail address on your account.",
                help_text_zh="重置链接会发送到你账号登记的邮箱。",
            ),
        ],
        "tasks": [],
    },
    {
        "category": "People",
        "name": "New employee onboarding",
        "name_zh": "新员工入职",
        "icon": "🧑‍💼",
        "order": 50,
        "description": "Everything a new colleague needs on day one: accounts, a prepared laptop, badge and "
        "desk, and a welcome pack. Order it at least a week before the start date.",
        "description_zh": "新同事第一天需要的一切：账号、准备好的电脑、门禁卡和工位，以及欢迎礼包。"
        "请至少在入职前一周提交。",
        "keywords": "onboarding new hire joiner starter employee welcome 入职 新员工 新人 报到",
        "service": "HR system",
        "owner": "manager",
        "team": "Service Desk",
        "delivery_hours": 120,
        "approval": ApprovalRule.LINE_MANAGER,
        "form": [
            _field(
                "full_name", "Full name of the new employee", "新员工姓名", "text", required=True, max=100
            ),
            _field(
                "start_date",
                "Start date",
                "入职日期",
                "date",
                required=True,
                min="today",
                help_text="We need five working days.",
                help_text_zh="我们需要五个工作日准备。",
            ),
            _field(
                "department",
                "Department",
                "部门",
                "choice",
                required=True,
                choices=_choices(
                    ("finance", "Finance", "财务部"),
                    ("sales", "Sales", "销售部"),
                    ("engineering", "Engineering", "研发部"),
                    ("hr", "Human resources", "人力资源部"),
                    ("operations", "Operations", "运营部"),
                ),
            ),
            _field("job_title", "Job title", "职位", "text", required=True, max=100),
            _field("manager", "Their line manager", "直属经理", "user", required=True),
            _field(
                "equipment",
                "Equipment",
                "设备",
                "multichoice",
                default=["laptop"],
                choices=_choices(
                    ("laptop", "Standard laptop", "标准笔记本"),
                    ("monitor", "Monitor", "显示器"),
                    ("phone", "Mobile phone", "手机"),
                    ("headset", "Headset", "耳机"),
                ),
            ),
            _field("erp", "Needs ERP access", "需要 ERP 权限", "checkbox"),
            _field(
                "erp_role",
                "ERP role",
                "ERP 角色",
                "choice",
                required=True,
                choices=_choices(
                    ("viewer", "Viewer", "只读"),
                    ("purchaser", "Purchaser", "采购员"),
                    ("approver", "Approver", "审批人"),
                ),
                show_if={"field": "erp", "equals": True},
            ),
        ],
        "tasks": [
            _task(
                1,
                "Create accounts and mailbox",
                "创建账号和邮箱",
                "Service Desk",
                (3, 10),
                ["full_name", "start_date", "department", "job_title", "manager", "erp", "erp_role"],
            ),
            _task(
                1,
                "Prepare the laptop and equipment",
                "准备电脑和设备",
                "End-User Computing",
                (12, 28),
                ["full_name", "start_date", "equipment"],
            ),
            _task(
                1,
                "Badge and desk",
                "门禁卡和工位",
                "Service Desk",
                (4, 15),
                ["full_name", "start_date", "department"],
            ),
            _task(
                2,
                "Welcome pack and first-day walkthrough",
                "欢迎礼包和第一天的引导",
                "Service Desk",
                (4, 10),
                ["full_name", "start_date", "manager"],
                "Put the laptop, badge and the IT welcome leaflet on the desk; book 30 minutes on day one.",
            ),
        ],
    },
    {
        "category": "People",
        "name": "Offboarding",
        "name_zh": "员工离职",
        "icon": "👋",
        "order": 70,
        "description": "A colleague is leaving: we close their accounts on the last day, collect the "
        "equipment and take care of the mailbox.",
        "description_zh": "同事离职：我们会在最后工作日关闭账号、回收设备并处理邮箱。",
        "keywords": "offboarding leaver leaving exit resignation 离职 离开 退出 辞职 交接",
        "service": "HR system",
        "owner": "manager",
        "team": "Service Desk",
        "delivery_hours": 48,
        "form": [
            _field("leaver", "Leaver's full name", "离职人员姓名", "text", required=True, max=100),
            _field(
                "employee_id",
                "Employee number",
                "员工编号",
                "text",
                required=True,
                pattern=r"E\d{6}",
                help_text="As on the payslip, e.g. E204518.",
                help_text_zh="与工资单一致，例如 E204518。",
            ),
            _field(
                "last_day", "Last working day", "最后工作日", "date", required=True, min="-30d", max="+90d"
            ),
            _field(
                "equipment",
                "Equipment to collect",
                "需回收的设备",
                "multichoice",
                choices=_choices(
                    ("laptop", "Laptop", "笔记本"),
                    ("phone", "Mobile phone", "手机"),
                    ("badge", "Badge", "门禁卡"),
                    ("monitor", "Monitor", "显示器"),
                ),
            ),
            _field(
                "mailbox",
                "Their mailbox",
                "邮箱处理",
                "choice",
                required=True,
                choices=_choices(
                    ("forward", "Forward to a colleague", "转发给同事"),
                    ("shared", "Convert to a shared mailbox", "转为共享邮箱"),
                    ("delete", "Delete after 30 days", "30 天后删除"),
                ),
            ),
            _field(
                "forward_to",
                "Forward to",
                "转发给",
                "user",
                required=True,
                show_if={"field": "mailbox", "equals": "forward"},
            ),
        ],
        "tasks": [
            _task(
                1,
                "Disable accounts on the last day",
                "最后工作日停用账号",
                "Service Desk",
                (1, 4),
                ["leaver", "employee_id", "last_day"],
            ),
            _task(
                1,
                "Collect the equipment",
                "回收设备",
                "End-User Computing",
                (4, 15),
                ["leaver", "last_day", "equipment"],
            ),
            _task(
                2,
                "Forward, convert or archive the mailbox",
                "转发、转换或归档邮箱",
                "Business Applications",
                (1, 6),
                ["leaver", "mailbox", "forward_to"],
            ),
        ],
    },
    {
        "category": "E-mail & collaboration",
        "name": "Shared mailbox",
        "name_zh": "共享邮箱",
        "icon": "📬",
        "order": 80,
        "description": "A mailbox a team reads together, such as sales-emea@example.com. "
        "Your line manager approves it.",
        "description_zh": "团队共同使用的邮箱，例如 sales-emea@example.com。需直属经理审批。",
        "keywords": "shared mailbox team inbox e-mail email address 共享邮箱 团队邮箱 邮件 公共邮箱",
        "service": "E-mail",
        "owner": "cab",
        "team": "Business Applications",
        "delivery_hours": 24,
        "approval": ApprovalRule.LINE_MANAGER,
        "form": [
            _field(
                "address",
                "Address",
                "邮箱地址",
                "text",
                required=True,
                pattern=r"[a-z0-9][a-z0-9.-]{2,40}",
                help_text="The part before @example.com, e.g. sales-emea.",
                help_text_zh="@example.com 前面的部分，例如 sh-procurement。",
            ),
            _field("display_name", "Display name", "显示名称", "text", required=True, max=80),
            _field(
                "members",
                "Who needs access?",
                "哪些人需要访问？",
                "textarea",
                required=True,
                help_text="One name per line.",
                help_text_zh="每行一个姓名。",
            ),
            _field("size_gb", "Size (GB)", "容量（GB）", "number", min=5, max=100, default=10),
        ],
        "tasks": [
            _task(
                1, "Create the mailbox", "创建邮箱", "Business Applications", (2, 8), ["address", "size_gb"]
            ),
            _task(
                2,
                "Grant access to the members",
                "为成员开通访问权限",
                "Business Applications",
                (0.5, 3),
                ["address", "display_name", "members"],
            ),
        ],
    },
    {
        "category": "E-mail & collaboration",
        "name": "Distribution list membership",
        "name_zh": "邮件组成员变更",
        "icon": "📨",
        "order": 90,
        "description": "Add someone to a mailing list, or take them off it.",
        "description_zh": "把某人加入邮件组，或从邮件组中移除。",
        "keywords": "distribution list mailing list DL group e-mail members 邮件组 通讯组 群组 邮件列表",
        "service": "E-mail",
        "owner": "cab",
        "team": "Business Applications",
        "delivery_hours": 8,
        "form": [
            _field(
                "list_address",
                "List address",
                "邮件组地址",
                "text",
                required=True,
                pattern=r"[a-z0-9.-]+@example\.com",
                help_text="e.g. all-paris@example.com",
                help_text_zh="例如 all-shanghai@example.com",
            ),
            _field(
                "action",
                "Add or remove?",
                "加入还是移除？",
                "choice",
                required=True,
                choices=_choices(("add", "Add", "加入"), ("remove", "Remove", "移除")),
            ),
            _field("person", "Who?", "人员", "user", required=True),
        ],
        "tasks": [
            _task(1, "Update the list", "更新邮件组", "Business Applications", (0.3, 4)),
        ],
    },
    {
        "category": "Mobile devices",
        "name": "Mobile phone",
        "name_zh": "公司手机",
        "icon": "📱",
        "order": 100,
        "description": "A company smartphone with a SIM card, enrolled in device management. "
        "Your line manager approves it.",
        "description_zh": "配 SIM 卡的公司智能手机，已加入设备管理。需直属经理审批。",
        "keywords": "mobile phone smartphone iPhone Android SIM cell 手机 移动电话 苹果 安卓 电话卡",
        "service": "Laptops & Desktops",
        "owner": "deskside",
        "team": "End-User Computing",
        "delivery_hours": 72,
        "approval": ApprovalRule.LINE_MANAGER,
        "form": [
            _field(
                "model",
                "Model",
                "型号",
                "choice",
                required=True,
                choices=_choices(
                    ("iphone", "iPhone (standard)", "iPhone（标准款）"),
                    ("android", "Android (Samsung Galaxy)", "安卓（三星 Galaxy）"),
                ),
            ),
            _field("keep_number", "Keep my existing number", "保留现有号码", "checkbox"),
            _field(
                "number",
                "Existing number",
                "现有号码",
                "text",
                required=True,
                pattern=r"\+?[0-9 ]{8,16}",
                help_text="With the country code, e.g. +33 6 12 34 56 78.",
                help_text_zh="请带国家代码，例如 +86 138 0000 0000。",
                show_if={"field": "keep_number", "equals": True},
            ),
            _field("roaming", "International roaming", "国际漫游", "checkbox"),
        ],
        "tasks": [
            _task(
                1,
                "Order the phone and SIM",
                "订购手机和 SIM 卡",
                "End-User Computing",
                (6, 20),
                ["model", "number"],
            ),
            _task(
                2,
                "Enrol in device management and hand over",
                "加入设备管理并交付",
                "End-User Computing",
                (1, 4),
                ["model", "roaming"],
            ),
        ],
    },
    {
        "category": "Peripherals",
        "name": "Monitor & peripherals",
        "name_zh": "显示器与外设",
        "icon": "⌨️",
        "order": 35,
        "description": "Monitors, docking stations, keyboards, mice, headsets and webcams from stock, "
        "delivered to your desk.",
        "description_zh": "显示器、扩展坞、键盘、鼠标、耳机和摄像头，从库存直接送到你的工位。",
        "keywords": "monitor screen display dock keyboard mouse headset webcam peripherals "
        "显示器 屏幕 扩展坞 键盘 鼠标 耳机 摄像头 外设",
        "service": "Laptops & Desktops",
        "owner": "deskside",
        "team": "End-User Computing",
        "delivery_hours": 24,
        "form": [
            _field(
                "items",
                "What do you need?",
                "需要什么？",
                "multichoice",
                required=True,
                choices=_choices(
                    ("monitor", "27-inch monitor", "27 英寸显示器"),
                    ("dock", "Docking station", "扩展坞"),
                    ("keyboard", "Keyboard", "键盘"),
                    ("mouse", "Mouse", "鼠标"),
                    ("headset", "Headset", "耳机"),
                    ("webcam", "Webcam", "摄像头"),
                ),
            ),
            _field(
                "quantity", "How many of each?", "每样数量", "number", required=True, min=1, max=5, default=1
            ),
            _field(
                "desk",
                "Desk location",
                "工位位置",
                "text",
                required=True,
                max=60,
                help_text="Building, floor and desk, e.g. Paris 2F-14.",
                help_text_zh="楼宇、楼层和工位号，例如 上海 5F-A12。",
            ),
        ],
        "tasks": [
            _task(
                1,
                "Pick from stock and deliver",
                "从库存领取并送到工位",
                "End-User Computing",
                (1, 10),
                ["items", "quantity", "desk"],
            ),
        ],
    },
    {
        "category": "Workplace",
        "name": "Meeting-room AV support",
        "name_zh": "会议室音视频支持",
        "icon": "🎥",
        "order": 110,
        "description": "An important meeting coming up? We check the screen, camera and microphones, set up "
        "the video call and can stay in the room.",
        "description_zh": "有重要会议？我们会检查屏幕、摄像头和麦克风，设置视频会议，需要时可在现场支持。",
        "keywords": "meeting room AV video conference projector screen camera Teams Zoom "
        "会议室 视频会议 投影 屏幕 摄像头 腾讯会议",
        "owner": "manager",
        "team": "Service Desk",
        "delivery_hours": 4,
        "form": [
            _field(
                "room",
                "Room",
                "会议室",
                "choice",
                required=True,
                choices=_choices(
                    ("amazon", "Amazon (Paris, 3F)", "亚马逊厅（巴黎 3 楼）"),
                    ("hudson", "Hudson (New York, 12F)", "哈德逊厅（纽约 12 楼）"),
                    ("yangtze", "Yangtze (Shanghai, 5F)", "长江厅（上海 5 楼）"),
                    ("boardroom", "Boardroom (Shanghai, 8F)", "董事会议室（上海 8 楼）"),
                ),
            ),
            _field("meeting_date", "Meeting date", "会议日期", "date", required=True, min="today"),
            _field(
                "help",
                "What do you need?",
                "需要哪些支持？",
                "multichoice",
                required=True,
                choices=_choices(
                    ("video", "Set up the video call", "设置视频会议"),
                    ("test", "Test everything beforehand", "会前测试设备"),
                    ("onsite", "A technician in the room", "技术人员现场支持"),
                ),
            ),
            _field("attendees", "Attendees in the room", "现场人数", "number", min=2, max=200),
            _field("remote", "Some attendees join remotely", "有远程参会人员", "checkbox"),
            _field(
                "platform",
                "Video platform",
                "视频会议平台",
                "choice",
                required=True,
                choices=_choices(
                    ("teams", "Microsoft Teams", "Microsoft Teams"),
                    ("zoom", "Zoom", "Zoom"),
                    ("tencent", "Tencent Meeting", "腾讯会议"),
                ),
                show_if={"field": "remote", "equals": True},
            ),
        ],
        "tasks": [
            _task(
                1,
                "Check and prepare the room",
                "检查并准备会议室",
                "Service Desk",
                (0.3, 2),
                ["room", "meeting_date", "help", "remote", "platform"],
            ),
        ],
    },
    {
        "category": "Files & data",
        "name": "Access to a file share",
        "name_zh": "共享盘访问权限",
        "icon": "📁",
        "order": 120,
        "description": "Read or change access to a departmental network drive. The data owner approves it.",
        "description_zh": "部门网络共享盘的只读或修改权限。由数据负责人审批。",
        "keywords": "file share network drive folder access permission 共享盘 网盘 文件夹 权限 访问",
        "service": "File shares",
        "owner": "dba",
        "team": "Database & Infrastructure",
        "delivery_hours": 24,
        "approval": ApprovalRule.OWNER,
        "form": [
            _field(
                "service",
                "Whose data is it?",
                "数据属于哪个服务？",
                "service",
                required=True,
                help_text="Usually “File shares”; pick the application if the share belongs to one.",
                help_text_zh="通常选择“File shares”；如果共享盘属于某个应用，请选择该应用。",
            ),
            _field(
                "path",
                "Share path",
                "共享路径",
                "text",
                required=True,
                pattern=r"\\\\[A-Za-z0-9.-]+\\.+",
                help_text=r"e.g. \\nas-01\finance",
                help_text_zh=r"例如 \\nas-01\finance",
            ),
            _field(
                "access",
                "Access",
                "权限",
                "choice",
                required=True,
                choices=_choices(("read", "Read only", "只读"), ("modify", "Read and change", "读写")),
            ),
            _field("for_user", "Who needs access?", "谁需要权限？", "user", required=True),
            _field("until", "Until (optional)", "截止日期（可选）", "date", min="today"),
        ],
        "tasks": [
            _task(
                1,
                "Grant access",
                "开通权限",
                "Database & Infrastructure",
                (0.5, 6),
                ["service", "path", "access", "for_user", "until"],
            ),
        ],
    },
    {
        "category": "Files & data",
        "name": "Data restore from backup",
        "name_zh": "从备份恢复数据",
        "icon": "♻️",
        "order": 130,
        "description": "Deleted or overwrote a file on a network drive? We restore it from the nightly "
        "backup (kept 90 days).",
        "description_zh": "误删或覆盖了网络共享盘上的文件？我们可以从每晚的备份中恢复（保留 90 天）。",
        "keywords": "restore backup deleted lost file folder recover 恢复 备份 误删 丢失 文件 还原",
        "service": "File shares",
        "owner": "dba",
        "team": "Database & Infrastructure",
        "delivery_hours": 24,
        "form": [
            _field("what", "Which files or folders?", "哪些文件或文件夹？", "textarea", required=True, min=5),
            _field(
                "restore_from",
                "Restore the version of",
                "恢复哪天的版本",
                "date",
                required=True,
                min="-90d",
                max="today",
                help_text="Backups are kept for 90 days.",
                help_text_zh="备份保留 90 天。",
            ),
            _field(
                "target",
                "Where to?",
                "恢复到哪里？",
                "choice",
                required=True,
                default="alongside",
                choices=_choices(
                    ("alongside", "Next to the original (folder “restored”)", "原位置旁（“restored”文件夹）"),
                    ("overwrite", "Overwrite the original", "覆盖原文件"),
                ),
            ),
            _field("deadline", "I need it for a deadline today", "今天有截止期限，急需", "checkbox"),
        ],
        "tasks": [
            _task(
                1,
                "Restore from backup",
                "从备份恢复",
                "Database & Infrastructure",
                (1, 6),
                ["what", "restore_from", "target", "deadline"],
            ),
            _task(2, "Confirm with the requester", "与申请人确认", "Service Desk", (0.2, 2), ["what"]),
        ],
    },
    {
        "category": "Workplace",
        "name": "Guest Wi-Fi voucher",
        "name_zh": "访客 Wi-Fi 券",
        "icon": "📶",
        "order": 140,
        "description": "A Wi-Fi voucher for a visitor, valid from the day of the visit. The guest portal "
        "issues it automatically and e-mails it to you.",
        "description_zh": "为访客申请 Wi-Fi 上网券，从来访当天起有效。由访客门户自动生成并发到你的邮箱。",
        "keywords": "guest wifi wi-fi wireless visitor voucher internet 访客 无线 上网 网络 来宾",
        "service": "Wi-Fi",
        "owner": "netops",
        "team": "Network Operations",
        "delivery_hours": 1,
        "automation": Automation.WEBHOOK,
        "webhook_url": DEMO_WEBHOOK,
        "form": [
            _field("guest_name", "Guest's name", "访客姓名", "text", required=True, max=100),
            _field("company", "Company", "公司", "text", max=100),
            _field("visit_date", "Day of the visit", "来访日期", "date", required=True, min="today"),
            _field(
                "days", "For how many days?", "有效天数", "number", required=True, min=1, max=14, default=1
            ),
        ],
        "tasks": [],
    },
    {
        "category": "Software",
        "name": "Budget approval tool licence",
        "name_zh": "预算审批工具许可证",
        "icon": "💰",
        "order": 150,
        "visible_to": [roles.MANAGERS],
        "description": "A seat in the budget planning and approval tool. Only managers can order it.",
        "description_zh": "预算编制与审批工具的使用许可。仅经理可申请。",
        "keywords": "budget approval planning finance licence tool 预算 审批 财务 许可证",
        "service": "ERP",
        "owner": "admin",
        "team": "Business Applications",
        "delivery_hours": 48,
        "form": [
            _field(
                "cost_centre",
                "Cost centre",
                "成本中心",
                "text",
                required=True,
                pattern=r"CC-\d{4}",
                help_text="e.g. CC-4100.",
                help_text_zh="例如 CC-4100。",
            ),
            _field(
                "role",
                "Role",
                "角色",
                "choice",
                required=True,
                choices=_choices(
                    ("viewer", "View budgets", "查看预算"),
                    ("planner", "Plan budgets", "编制预算"),
                    ("approver", "Approve budgets", "审批预算"),
                ),
            ),
            _field("training", "Book me on the one-hour introduction", "为我预约一小时入门培训", "checkbox"),
        ],
        "tasks": [
            _task(
                1,
                "Assign the licence and role",
                "分配许可证和角色",
                "Business Applications",
                (2, 12),
                ["cost_centre", "role", "training"],
            ),
        ],
    },
]


def _categories() -> dict[str, CatalogCategory]:
    result: dict[str, CatalogCategory] = {}
    for parent, name, name_zh, icon, order, description, description_zh in CATEGORIES:
        wanted = {
            "name_zh": name_zh,
            "icon": icon,
            "order": order,
            "description": description,
            "description_zh": description_zh,
        }
        category, created = CatalogCategory.objects.get_or_create(
            parent=result[parent] if parent else None, name=name, defaults=wanted
        )
        changed = [key for key, value in wanted.items() if getattr(category, key) != value]
        if not created and changed:
            for key in changed:
                setattr(category, key, wanted[key])
            category.save(update_fields=changed)
        result[name] = category
    return result


def _template_rows(templates) -> list[tuple]:
    return [
        (t["step"], t["title"], t["title_zh"], t["team"].pk, t["instructions"], t["visible_fields"])
        for t in templates
    ]


@transaction.atomic
def load_catalogue(admin) -> tuple[dict[str, CatalogItem], int]:
    """Create or update the items by name; only what differs is saved (versions and audit stay quiet)."""
    Group.objects.get_or_create(name=VPN_GROUP)
    categories = _categories()
    users = {u.username: u for u in User.objects.all()}
    teams = {t.name: t for t in Team.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    items, changed = {}, 0
    for spec in ITEMS:
        values = {
            "category": categories[spec["category"]],
            "name": spec["name"],
            "name_zh": spec["name_zh"],
            "description": spec["description"],
            "description_zh": spec["description_zh"],
            "icon": spec["icon"],
            "keywords": spec["keywords"],
            "service": services.get(spec.get("service")),
            "owner": users.get(spec["owner"]),
            "fulfilment_team": teams[spec["team"]],
            "delivery_hours": spec["delivery_hours"],
            "approval": spec.get("approval", ApprovalRule.NONE),
            "automation": spec.get("automation", Automation.NONE),
            "webhook_url": spec.get("webhook_url", ""),
            "automation_group": spec.get("automation_group", ""),
            "order": spec["order"],
            "form": formdef.clean_definition(spec["form"]),
        }
        groups = list(Group.objects.filter(name__in=spec.get("visible_to", [])))
        item = CatalogItem.objects.filter(name=spec["name"]).first()
        same = item is not None and all(getattr(item, key) == value for key, value in values.items())
        if not same or set(item.visible_to.all()) != set(groups):
            item = catalogue.item_save(actor=admin, item=item, visible_to=groups, **values)
            changed += 1
        templates = [
            {**{k: v for k, v in t.items() if k != "hours"}, "team": teams[t["team"]]} for t in spec["tasks"]
        ]
        existing = [
            (t.step, t.title, t.title_zh, t.team_id, t.instructions, t.visible_fields)
            for t in item.task_templates.all()
        ]
        if existing != _template_rows(templates):
            catalogue.task_templates_save(actor=admin, item=item, templates=templates)
        items[item.name] = item
    return items, changed
