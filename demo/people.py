"""Demo people, teams, services and configuration items. Idempotent: safe to load again."""

from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.models import Profile
from core import roles
from core.models import Notification
from core.services.notifications import notification_enqueue
from org.models import ConfigurationItem, Service, Team

PASSWORD = "demo1234"  # noqa: S105 - published demo password, printed by `make run`

# username, first, last, e-mail, groups, staff, language, time zone
PEOPLE = [
    ("admin", "Ada", "Admin", "admin@example.com", [roles.MANAGERS], True, "en", "Europe/London"),
    (
        "manager",
        "Maria",
        "Santos",
        "maria.santos@example.com",
        [roles.MANAGERS, roles.CAB],
        False,
        "en",
        "Europe/Berlin",
    ),
    ("agent", "Li", "Wei", "li.wei@example.com", [roles.AGENTS], False, "en", "Asia/Shanghai"),
    (
        "cab",
        "Chen",
        "Jie",
        "chen.jie@example.com",
        [roles.AGENTS, roles.CAB],
        False,
        "zh-hans",
        "Asia/Shanghai",
    ),
    ("netops", "Noah", "Becker", "noah.becker@example.com", [roles.AGENTS], False, "en", "Europe/Berlin"),
    ("dba", "Priya", "Nair", "priya.nair@example.com", [roles.AGENTS], False, "en", "Asia/Kolkata"),
    ("deskside", "Zhao", "Lei", "zhao.lei@example.com", [roles.AGENTS], False, "zh-hans", "Asia/Shanghai"),
    ("alice", "Alice", "Martin", "alice.martin@example.com", [], False, "en", "Europe/Paris"),
    ("bob", "Bob", "Chen", "bob.chen@example.com", [], False, "en", "America/New_York"),
    ("wangfang", "芳", "王", "wang.fang@example.com", [], False, "zh-hans", "Asia/Shanghai"),
    ("liuyang", "洋", "刘", "liu.yang@example.com", [], False, "zh-hans", "Asia/Shanghai"),
]

TEAMS = [
    ("Service Desk", "servicedesk@example.com", "manager", ["agent", "cab", "deskside"]),
    ("Network Operations", "netops@example.com", "manager", ["netops", "agent"]),
    ("Database & Infrastructure", "infra@example.com", "manager", ["dba", "netops"]),
    ("Business Applications", "apps@example.com", "manager", ["dba", "cab"]),
    ("End-User Computing", "euc@example.com", "manager", ["deskside", "agent"]),
]

# name, description, criticality, owner, support team, [(CI name, kind)]
SERVICES = [
    (
        "E-mail",
        "Mailboxes, calendars and shared mailboxes.",
        "critical",
        "manager",
        "Business Applications",
        [("mail-cluster-01", "server"), ("Exchange Online tenant", "cloud")],
    ),
    (
        "VPN",
        "Remote access to the corporate network.",
        "high",
        "manager",
        "Network Operations",
        [("vpn-gw-01", "network"), ("vpn-gw-02", "network")],
    ),
    (
        "ERP",
        "Finance, purchasing and inventory (SAP).",
        "critical",
        "manager",
        "Business Applications",
        [("erp-app-01", "application"), ("erp-db-01", "database")],
    ),
    (
        "Wi-Fi",
        "Office wireless networks in every building.",
        "medium",
        "manager",
        "Network Operations",
        [("wlc-hq", "network"), ("ap-floor-3", "network")],
    ),
    (
        "Intranet",
        "The company portal and document library.",
        "medium",
        "manager",
        "Business Applications",
        [("intranet-web-01", "server")],
    ),
    (
        "Laptops & Desktops",
        "Company computers, their software and peripherals.",
        "medium",
        "manager",
        "End-User Computing",
        [("Laptop fleet", "endpoint")],
    ),
    (
        "File shares",
        "Departmental network drives.",
        "high",
        "manager",
        "Database & Infrastructure",
        [("nas-01", "storage")],
    ),
    (
        "HR system",
        "Leave, payroll self-service and onboarding.",
        "high",
        "manager",
        "Business Applications",
        [("hr-saas", "cloud")],
    ),
]

# The services' names and descriptions for readers of Chinese.
SERVICES_ZH = {
    "E-mail": ("电子邮件", "邮箱、日历和共享邮箱。"),
    "VPN": ("VPN 远程访问", "从公司外部安全访问内网。"),
    "ERP": ("ERP 系统", "财务、采购和库存（SAP）。"),
    "Wi-Fi": ("无线网络", "各办公楼的无线网络。"),
    "Intranet": ("内网门户", "公司门户和文档库。"),
    "Laptops & Desktops": ("笔记本与台式机", "公司电脑及其软件和外设。"),
    "File shares": ("共享盘", "部门网络共享盘。"),
    "HR system": ("人力资源系统", "请假、工资自助和入职。"),
}


@transaction.atomic
def load(stdout) -> None:
    users = {}
    for username, first, last, email, groups, staff, language, tz in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": email,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(
            *[Group.objects.get_or_create(name=g)[0] for g in groups]
        )  # a flushed test DB has none
        Profile.objects.get_or_create(user=user, defaults={"language": language, "timezone": tz})
        users[username] = user
    Profile.objects.filter(user__in=[users["alice"], users["bob"]], manager__isnull=True).update(
        manager=users["manager"]
    )
    Profile.objects.filter(user__in=[users["wangfang"], users["liuyang"]], manager__isnull=True).update(
        manager=users["cab"]
    )

    teams = {}
    for name, email, manager, members in TEAMS:
        team, _ = Team.objects.get_or_create(name=name, defaults={"email": email, "manager": users[manager]})
        team.members.add(*[users[m] for m in members])
        teams[name] = team

    for name, description, criticality, owner, team, items in SERVICES:
        name_zh, description_zh = SERVICES_ZH[name]
        service, _ = Service.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "criticality": criticality,
                "owner": users[owner],
                "support_team": teams[team],
            },
        )
        if not service.name_zh:  # demo data loaded before services had Chinese names
            Service.objects.filter(pk=service.pk).update(name_zh=name_zh, description_zh=description_zh)
        for ci_name, kind in items:
            ConfigurationItem.objects.get_or_create(service=service, name=ci_name, defaults={"kind": kind})

    for user in users.values():
        if not Notification.objects.filter(recipient=user, event="welcome").exists():
            notification_enqueue(
                recipient=user,
                event="welcome",
                subject="Welcome to the service desk / 欢迎使用服务台",
                body="Your demo account is ready. 您的演示账号已就绪。",
                link="/",
            )
    stdout.write(f"  people: {len(users)} users, {len(teams)} teams, {len(SERVICES)} services")
