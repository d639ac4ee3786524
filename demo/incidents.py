"""A realistic 90 days of incidents: routed, worked, held, reopened, breached, rated. Idempotent."""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.services.notifications import notifications_suppressed
from incidents import services
from incidents.choices import AssignStrategy
from incidents.models import AssignmentRule, Category, Incident, IncidentSettings
from org.models import Service, Team
from sla.services import sla_scan

CATEGORIES = {
    "Hardware": ["Laptop", "Printer", "Monitor"],
    "Software": ["Installation", "Crash", "Licence"],
    "Network": ["Wi-Fi", "VPN", "Connectivity"],
    "Access": ["Password", "Permissions"],
    "E-mail": ["Delivery", "Mailbox"],
    "Business application": ["Error", "Performance"],
}

# The categories' names for readers of Chinese.
CATEGORIES_ZH = {
    "Hardware": "硬件",
    "Laptop": "笔记本电脑",
    "Printer": "打印机",
    "Monitor": "显示器",
    "Software": "软件",
    "Installation": "安装",
    "Crash": "崩溃",
    "Licence": "许可证",
    "Network": "网络",
    "Wi-Fi": "无线网络",
    "VPN": "VPN",
    "Connectivity": "连接",
    "Access": "访问权限",
    "Password": "密码",
    "Permissions": "权限",
    "E-mail": "电子邮件",
    "Delivery": "投递",
    "Mailbox": "邮箱",
    "Business application": "业务应用",
    "Error": "错误",
    "Performance": "性能",
}


def _name_in_chinese(category) -> None:
    if not category.name_zh:  # also for demo data loaded before categories had Chinese names
        category.name_zh = CATEGORIES_ZH[category.name]
        Category.objects.filter(pk=category.pk).update(name_zh=category.name_zh)


# service, category/subcategory, titles (English and Chinese, as users write them)
SCENARIOS = [
    (
        "VPN",
        ("Network", "VPN"),
        [
            "VPN disconnects every few minutes",
            "Cannot connect to VPN from home",
            "VPN 连接后无法访问内网",
            "VPN keeps asking for my password",
        ],
    ),
    (
        "Wi-Fi",
        ("Network", "Wi-Fi"),
        [
            "No Wi-Fi on floor 3",
            "Wi-Fi very slow in meeting room B",
            "会议室无线网络连不上",
            "Laptop does not see the guest Wi-Fi",
        ],
    ),
    (
        "E-mail",
        ("E-mail", "Delivery"),
        [
            "E-mails to customers bounce",
            "Outlook stuck on 'Updating inbox'",
            "邮件发送失败，提示邮箱已满",
            "Shared mailbox missing in Outlook",
        ],
    ),
    (
        "ERP",
        ("Business application", "Error"),
        [
            "ERP error when posting invoice",
            "Purchase order approval fails",
            "ERP 报表导出报错",
            "Inventory screen shows wrong stock",
        ],
    ),
    (
        "ERP",
        ("Business application", "Performance"),
        ["ERP extremely slow this morning", "Month-end report times out", "ERP 系统打开很慢"],
    ),
    (
        "Laptops & Desktops",
        ("Hardware", "Laptop"),
        [
            "Laptop battery drains in an hour",
            "Laptop will not start after update",
            "笔记本电脑蓝屏",
            "Docking station not detecting monitors",
        ],
    ),
    (
        "Laptops & Desktops",
        ("Hardware", "Printer"),
        ["Printer on floor 2 jams constantly", "Cannot print to the colour printer", "打印机无法连接"],
    ),
    (
        "Laptops & Desktops",
        ("Software", "Installation"),
        ["Need Visio installed for project", "Teams will not install", "无法安装 Office 插件"],
    ),
    (
        "Intranet",
        ("Business application", "Error"),
        ["Intranet search returns nothing", "Intranet page shows 500 error", "内网门户无法登录"],
    ),
    (
        "File shares",
        ("Access", "Permissions"),
        ["Cannot open the finance share", "Access denied on project drive", "共享盘没有写入权限"],
    ),
    (
        "HR system",
        ("Access", "Password"),
        ["Locked out of HR portal", "Payslip page will not load", "人事系统密码过期无法重置"],
    ),
]

RULES = [
    (10, "VPN", None, "Network Operations", AssignStrategy.LEAST_LOADED),
    (20, "Wi-Fi", None, "Network Operations", AssignStrategy.LEAST_LOADED),
    (30, "ERP", None, "Business Applications", AssignStrategy.ROUND_ROBIN),
    (40, "Laptops & Desktops", None, "End-User Computing", AssignStrategy.ROUND_ROBIN),
    (50, None, ("Access", "Password"), "Service Desk", AssignStrategy.ROUND_ROBIN),
]

RESOLUTIONS = [
    ("solved_permanently", "Replaced the faulty component and confirmed with the user."),
    ("solved_workaround", "Applied the documented workaround; the permanent fix is tracked in a problem."),
    ("user_error", "Explained the correct steps; the user confirmed it works."),
    ("solved_permanently", "Corrected the configuration and verified the service end to end."),
    ("not_reproducible", "Could not reproduce after the user's restart; monitored for a day."),
]
COMMENTS = [
    "Any update on this?",
    "Still happening this morning.",
    "请问处理进度如何？",
    "Thanks, trying now.",
]
CSAT_COMMENTS = [
    "Quick and friendly, thanks!",
    "Took a while but solved.",
    "很满意，处理很快。",
    "",
    "",
    "Had to chase twice.",
]


def _leave_open(rng, incident, worker, at, now) -> int:
    """Recent work still in the queues: some untouched, most in progress, some waiting."""
    stage = rng.choices(["new", "in_progress", "on_hold"], weights=[2, 5, 3])[0]
    if stage == "new":
        return 1
    t = at + timedelta(minutes=rng.choice([5, 15, 30, 60]))
    if t >= now:
        return 1
    incident = services.incident_transition(actor=worker, incident=incident, state="in_progress", at=t)
    if stage == "on_hold":
        t += timedelta(minutes=rng.randint(10, 120))
        if t < now:
            services.incident_transition(
                actor=worker,
                incident=incident,
                state="on_hold",
                hold_reason=rng.choice(["awaiting_caller", "awaiting_vendor", "awaiting_change"]),
                at=t,
            )
    return 1


def _categories():
    result = {}
    for parent_name, children in CATEGORIES.items():
        parent, _ = Category.objects.get_or_create(name=parent_name, parent=None)
        _name_in_chinese(parent)
        for child in children:
            result[(parent_name, child)], _ = Category.objects.get_or_create(name=child, parent=parent)
            _name_in_chinese(result[(parent_name, child)])
    return result


def _office_time(rng, day):
    return day.replace(hour=rng.randint(1, 10), minute=rng.randint(0, 59), second=0, microsecond=0)


def load(stdout) -> None:
    IncidentSettings.objects.get_or_create(pk=1)
    categories = _categories()
    services_by_name = {s.name: s for s in Service.objects.all()}
    teams = {t.name: t for t in Team.objects.all()}
    for order, service, category, team, strategy in RULES:
        AssignmentRule.objects.get_or_create(
            order=order,
            defaults={
                "service": services_by_name.get(service) if service else None,
                "category": categories.get(category) if category else None,
                "team": teams[team],
                "strategy": strategy,
            },
        )
    if Incident.objects.exists():
        stdout.write(f"  incidents: {Incident.objects.count()} already there")
        return

    rng = random.Random(20261123)  # noqa: S311 - demo data, reproducible
    requesters = list(User.objects.filter(username__in=["alice", "bob", "wangfang", "liuyang"]))
    agents = {
        u.username: u
        for u in User.objects.filter(username__in=["agent", "cab", "netops", "dba", "deskside", "manager"])
    }
    desk = agents["agent"]
    now = timezone.now()
    created = 0
    with notifications_suppressed():
        for day_offset in range(90, -1, -1):
            day = now - timedelta(days=day_offset)
            if day.weekday() >= 5 and rng.random() < 0.7:
                continue
            for _ in range(rng.choice([2, 3, 4, 4, 5, 6])):
                at = _office_time(rng, day)
                if at >= now - timedelta(minutes=5):
                    continue
                service_name, category_key, titles = rng.choice(SCENARIOS)
                created += _one_incident(
                    rng=rng,
                    at=at,
                    now=now,
                    requester=rng.choice(requesters),
                    desk=desk,
                    agents=agents,
                    service=services_by_name[service_name],
                    category=categories[category_key],
                    title=rng.choice(titles),
                )
        # Record the warnings and breaches of the history now, quietly, instead of flooding
        # everyone's inbox on the worker's first scan.
        sla_scan()
    stdout.write(f"  incidents: {created} over the last 90 days")


@transaction.atomic
def _one_incident(*, rng, at, now, requester, desk, agents, service, category, title) -> int:
    impact, urgency = rng.choice(
        [(3, 3), (3, 2), (2, 3), (2, 2), (3, 1), (2, 1), (1, 2), (1, 1)] + [(3, 3)] * 4
    )
    major = impact == 1 and urgency == 1 and rng.random() < 0.5
    incident = services.incident_create(
        actor=desk if rng.random() < 0.4 else requester,
        requester=requester,
        title=title,
        description=f"{title}.\nReported via {rng.choice(['phone', 'portal', 'e-mail'])}.",
        impact=impact,
        urgency=urgency,
        service=service,
        category=category,
        is_major=major,
        channel=rng.choice(["portal", "phone", "email", "chat"]),
        at=at,
    )
    age = now - at
    members = list(incident.assignment_group.members.all()) if incident.assignment_group else []
    worker = incident.assignee or (rng.choice(members) if members else desk)
    if age < timedelta(hours=2) and rng.random() < 0.6:
        return 1  # brand new, still in the queue
    if age < timedelta(days=9) and rng.random() < 0.85 - age.days * 0.07:
        return _leave_open(rng, incident, worker, at, now)
    # Response: mostly quick, sometimes slow enough to breach.
    t = at + timedelta(minutes=rng.choice([3, 8, 15, 25, 40, 90, 240]))
    if t >= now:
        return 1
    incident = services.incident_transition(actor=worker, incident=incident, state="in_progress", at=t)
    if rng.random() < 0.2:
        services.incident_comment_add(
            actor=incident.requester,
            incident=incident,
            body=rng.choice(COMMENTS),
            at=t + timedelta(minutes=30),
        )
    if rng.random() < 0.25:
        t += timedelta(minutes=rng.randint(20, 240))
        if t >= now:
            return 1
        incident = services.incident_transition(
            actor=worker,
            incident=incident,
            state="on_hold",
            hold_reason=rng.choice(["awaiting_caller", "awaiting_vendor"]),
            at=t,
        )
        t += timedelta(hours=rng.choice([2, 5, 20, 48]))
        if t >= now:
            return 1
        incident = services.incident_transition(actor=worker, incident=incident, state="in_progress", at=t)
    t += timedelta(minutes=rng.choice([20, 45, 90, 180, 400, 900, 2000, 4000]))
    if t >= now:
        return 1
    code, notes = rng.choice(RESOLUTIONS)
    incident = services.incident_transition(
        actor=worker, incident=incident, state="resolved", resolution_code=code, resolution_notes=notes, at=t
    )
    if rng.random() < 0.08 and t + timedelta(hours=5) < now:
        t += timedelta(hours=rng.randint(2, 5))
        incident = services.incident_transition(
            actor=incident.requester,
            incident=incident,
            state="in_progress",
            comment="Still broken after the fix.",
            at=t,
        )
        t += timedelta(hours=rng.randint(1, 6))
        if t >= now:
            return 1
        incident = services.incident_transition(
            actor=worker,
            incident=incident,
            state="resolved",
            resolution_code="solved_permanently",
            resolution_notes="Fixed the root cause this time and confirmed with the user.",
            at=t,
        )
    if rng.random() < 0.6:
        rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0]
        services.incident_rate(
            actor=incident.requester, incident=incident, rating=rating, comment=rng.choice(CSAT_COMMENTS)
        )
    if now - t > timedelta(days=IncidentSettings.current().auto_close_days):
        services.incident_transition(actor=None, incident=incident, state="closed", at=t + timedelta(days=7))
    return 1
