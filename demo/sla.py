"""Demo business calendars and SLA policies. Idempotent: what exists (by name) is left as it is.

Needs demo.people first (the "VPN" service, the "Service Desk" team).
"""

from datetime import date, timedelta

from django.db import transaction

from org.models import Service, Team
from sla.models import BusinessCalendar, SlaPolicy
from sla.services import calendar_save, policy_save


def _days(first: str, last: str, name: str) -> list[dict]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [{"date": start + timedelta(days=i), "name": name} for i in range((end - start).days + 1)]


def _weekdays(*ranges: tuple[str, str]) -> list[dict]:
    return [{"weekday": day, "start": start, "end": end} for day in range(5) for start, end in ranges]


# The 2026 official schedule of mainland China, with its make-up working weekends.
CHINA_HOLIDAYS = [
    *_days("2026-01-01", "2026-01-03", "元旦 New Year"),
    *_days("2026-02-15", "2026-02-23", "春节 Spring Festival"),
    *_days("2026-04-04", "2026-04-06", "清明节 Qingming"),
    *_days("2026-05-01", "2026-05-05", "劳动节 Labour Day"),
    *_days("2026-06-19", "2026-06-21", "端午节 Dragon Boat Festival"),
    *_days("2026-09-25", "2026-09-27", "中秋节 Mid-Autumn Festival"),
    *_days("2026-10-01", "2026-10-07", "国庆节 National Day"),
]
CHINA_WORKDAYS = [
    {"date": date.fromisoformat(d), "name": f"调休上班 Make-up working day ({name})"}
    for d, name in [
        ("2026-01-04", "New Year"),
        ("2026-02-14", "Spring Festival"),
        ("2026-02-28", "Spring Festival"),
        ("2026-05-09", "Labour Day"),
        ("2026-09-20", "Mid-Autumn Festival"),
        ("2026-10-10", "National Day"),
    ]
]
EUROPE_HOLIDAYS = [
    {"date": date.fromisoformat(d), "name": name}
    for d, name in [
        ("2026-01-01", "New Year's Day"),
        ("2026-04-03", "Good Friday"),
        ("2026-04-06", "Easter Monday"),
        ("2026-05-01", "Labour Day"),
        ("2026-05-14", "Ascension Day"),
        ("2026-05-25", "Whit Monday"),
        ("2026-10-03", "Day of German Unity"),
        ("2026-12-24", "Christmas Eve"),
        ("2026-12-25", "Christmas Day"),
        ("2026-12-31", "New Year's Eve"),
    ]
]

ALWAYS, CHINA, EUROPE = "24×7", "China office hours", "Europe office hours"
CALENDARS = [
    {"name": ALWAYS, "timezone": "UTC", "is_24x7": True},
    {
        "name": CHINA,
        "timezone": "Asia/Shanghai",
        "is_24x7": False,
        "hours": _weekdays(("09:00", "12:00"), ("13:00", "18:00")),
        "holidays": CHINA_HOLIDAYS,
        "workdays": CHINA_WORKDAYS,
    },
    {
        "name": EUROPE,
        "timezone": "Europe/Berlin",
        "is_24x7": False,
        "hours": _weekdays(("08:00", "17:00")),
        "holidays": EUROPE_HOLIDAYS,
        "workdays": [],
    },
]

HOUR, BUSINESS_DAY_CN, BUSINESS_DAY_EU = 60, 8 * 60, 9 * 60
# name, applies to, priority, service, response min, resolution min, calendar, escalations
POLICIES = [
    (
        "P1 Critical (24×7)",
        "incident",
        1,
        None,
        15,
        4 * HOUR,
        ALWAYS,
        # Already the top priority: warn the resolver early and the manager before the breach.
        [(50, "notify_assignee", None), (75, "notify_manager", None), (100, "notify_manager", None)],
    ),
    (
        "P2 High (24×7)",
        "incident",
        2,
        None,
        30,
        8 * HOUR,
        ALWAYS,
        [(75, "notify_manager", None), (90, "raise_priority", None)],
    ),
    (
        "P3 Medium (office hours)",
        "incident",
        3,
        None,
        2 * HOUR,
        3 * BUSINESS_DAY_CN,
        CHINA,
        # Nobody picked it up in time: the service desk takes it back.
        [(75, "notify_assignee", None), (90, "notify_manager", None), (100, "reassign", "Service Desk")],
    ),
    (
        "P4 Low (office hours)",
        "incident",
        4,
        None,
        4 * HOUR,
        5 * BUSINESS_DAY_CN,
        CHINA,
        [(90, "notify_assignee", None)],
    ),
    ("P5 Planning (office hours)", "incident", 5, None, BUSINESS_DAY_CN, 10 * BUSINESS_DAY_CN, CHINA, []),
    (
        "VPN P3 (Europe office hours)",
        "incident",
        3,
        "VPN",
        HOUR,
        2 * BUSINESS_DAY_EU,
        EUROPE,
        [(75, "notify_manager", None)],
    ),
    (
        "Service requests (office hours)",
        "request",
        None,
        None,
        BUSINESS_DAY_CN,
        5 * BUSINESS_DAY_CN,
        CHINA,
        [(90, "notify_manager", None)],
    ),
]


@transaction.atomic
def load(stdout) -> None:
    calendars = {}
    for spec in CALENDARS:
        calendar = BusinessCalendar.objects.filter(name=spec["name"]).first()
        calendars[spec["name"]] = calendar or calendar_save(actor=None, **spec)
    created = 0
    for name, applies_to, priority, service, response, resolution, calendar, escalations in POLICIES:
        if SlaPolicy.objects.filter(name=name).exists():
            continue
        service_obj = Service.objects.filter(name=service).first() if service else None
        if service and service_obj is None:
            continue  # without the service it would match every P3 incident
        policy_save(
            actor=None,
            name=name,
            applies_to=applies_to,
            priority=priority,
            service=service_obj,
            response_minutes=response,
            resolution_minutes=resolution,
            calendar=calendars[calendar],
            escalations=[
                {"at_percent": percent, "action": action, "team": Team.objects.filter(name=team).first()}
                for percent, action, team in escalations
                if not team or Team.objects.filter(name=team).exists()
            ],
        )
        created += 1
    stdout.write(f"  sla: {len(calendars)} calendars, {SlaPolicy.objects.count()} policies ({created} new)")
