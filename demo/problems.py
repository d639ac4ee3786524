"""Demo problem management: problems in every state, known errors in the KEDB whose symptoms match the
demo incidents (in English and Chinese), linked and applied incidents, a pending recurrence proposal,
and suggestion/deflection counts for the KEDB page. Idempotent.

Needs demo.people and demo.incidents first.
"""

import random
import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.services.notifications import notifications_suppressed
from incidents.models import Category, Incident
from incidents.services import incident_create
from org.models import Service, Team
from problems import services
from problems.models import Problem, ProblemProposal

# key: title, service, (category, subcategory), team, priority, final state, demo incident titles it explains,
#      symptoms, root cause, workaround, plain-language workaround, (method, notes), fix, fix change
PROBLEMS = [
    {
        "title": "VPN disconnects every few minutes",
        "service": "VPN",
        "category": ("Network", "VPN"),
        "team": "Network Operations",
        "priority": 2,
        "state": "known_error",
        "incidents": ["VPN disconnects every few minutes"],
        "symptoms": "VPN disconnects every few minutes and has to be reconnected, mostly when working from home.\n"
        "VPN 连接频繁断开，老是掉线，每隔几分钟就要重新连接。",
        "root_cause": "The gateways drop idle UDP sessions after 60 seconds; home routers re-map the port and the "
        "tunnel breaks.",
        "workaround": "In the VPN client choose the profile 'HQ (TCP 443)' instead of 'HQ (UDP)' and reconnect. "
        "TCP is slightly slower but survives port re-mapping.",
        "plain_workaround": "Open the VPN app, choose the connection called “HQ (TCP 443)” and connect again. "
        "It stays connected.\n打开 VPN 客户端，选择“HQ (TCP 443)”后重新连接即可保持连接。",
        "rca": (
            "five_whys",
            "Why does the VPN drop? The gateway closes the session.\n"
            "Why? It sees no traffic for 60 s on the UDP port.\n"
            "Why? Home routers re-map the source port after their own NAT timeout.\n"
            "Why does that break? The gateway ties the session to the old port.\n"
            "Why? UDP session timeout left at the vendor default (60 s).",
        ),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "Outlook stuck on 'Updating inbox'",
        "service": "E-mail",
        "category": ("E-mail", "Delivery"),
        "team": "Business Applications",
        "priority": 3,
        "state": "known_error",
        "incidents": ["Outlook stuck on 'Updating inbox'"],
        "symptoms": "Outlook shows 'Updating inbox' for hours and no new mail arrives; Outlook hangs after start.\n"
        "Outlook 一直显示“正在更新收件箱”，收不到新邮件。",
        "root_cause": "The offline cache (OST file) was corrupted by the mailbox migration to Exchange Online.",
        "workaround": "Close Outlook, rename %LOCALAPPDATA%\\Microsoft\\Outlook\\<mailbox>.ost to .old and start "
        "Outlook; it rebuilds the cache in 10–30 minutes.",
        "plain_workaround": "Close Outlook completely and start it again. If it still says “Updating inbox” after "
        "10 minutes, use Outlook on the web (outlook.office.com) until we have fixed it.\n"
        "请完全关闭 Outlook 后重新打开；如仍显示“正在更新收件箱”，请暂时使用网页版 Outlook。",
        "rca": (
            "timeline",
            "Started the morning after the migration batch of 12 May; only migrated mailboxes.",
        ),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "ERP error when posting invoice",
        "service": "ERP",
        "category": ("Business application", "Error"),
        "team": "Business Applications",
        "priority": 2,
        "state": "known_error",
        "incidents": ["ERP error when posting invoice"],
        "symptoms": "Posting an invoice in the ERP fails with error FI-104 'posting period not open'.\n"
        "ERP 过账发票时报错 FI-104，提示过账期间未打开，发票无法过账。",
        "root_cause": "Finance opens the new posting period late on the first working day; invoices dated in "
        "the new month cannot post until then.",
        "workaround": "Post with the last day of the previous period as posting date, or ask Finance (ext. 4410) "
        "to open the period in OB52.",
        "plain_workaround": "Use the last day of last month as the posting date, or call Finance on extension 4410 "
        "to open the new month.\n请将过账日期改为上月最后一天，或致电财务（分机 4410）开启新期间。",
        "rca": ("five_whys", "Why does posting fail? Period closed. Why? Opened manually after 10:00."),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "Printer on floor 2 jams constantly",
        "service": "Laptops & Desktops",
        "category": ("Hardware", "Printer"),
        "team": "End-User Computing",
        "priority": 4,
        "state": "known_error",
        "incidents": ["Printer on floor 2 jams constantly", "Cannot print to the colour printer"],
        "symptoms": "The floor 2 printer jams on double-sided jobs; paper jam in tray 2.\n"
        "二楼打印机经常卡纸，双面打印时卡纸。",
        "root_cause": "The pickup roller of tray 2 is worn; a replacement part is on order.",
        "workaround": "Print single-sided from tray 1, or send the job to PRN-F3 on floor 3.",
        "plain_workaround": "Print single-sided, or choose the printer “PRN-F3” on floor 3.\n"
        "请使用单面打印，或选择三楼打印机“PRN-F3”。",
        "rca": ("", ""),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "No Wi-Fi on floor 3",
        "service": "Wi-Fi",
        "category": ("Network", "Wi-Fi"),
        "team": "Network Operations",
        "priority": 3,
        "state": "known_error",
        "incidents": ["No Wi-Fi on floor 3", "会议室无线网络连不上"],
        "symptoms": "Laptops on floor 3 and in the meeting rooms cannot see or join the Wi-Fi.\n"
        "三楼和会议室无线网络连不上，笔记本搜不到 Wi-Fi。",
        "root_cause": "Access point ap-floor-3 reboots every few minutes: its PoE switch port is overloaded.",
        "workaround": "Use the wired desk ports, or the meeting rooms on floor 2; a second PoE switch is planned.",
        "plain_workaround": "Plug a network cable into your desk port, or use the meeting rooms on floor 2 for now.\n"
        "请暂时使用网线连接，或使用二楼会议室。",
        "rca": ("fault_tree", "AP event log shows power loss; switch PoE budget 370 W, demand 410 W."),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "E-mails to customers bounce",
        "service": "E-mail",
        "category": ("E-mail", "Delivery"),
        "team": "Business Applications",
        "priority": 2,
        "state": "resolved",
        "incidents": ["E-mails to customers bounce"],
        "symptoms": "Mail to external customers comes back with NDR 550 5.7.23 (SPF fail).\n"
        "发给客户的邮件被退回，提示 SPF 校验失败。",
        "root_cause": "The new mail relay's address was missing from the domain's SPF record.",
        "workaround": "Send from Outlook on the web, which uses the old relay.",
        "plain_workaround": "Send the message from Outlook on the web (outlook.office.com).",
        "rca": ("five_whys", "Receivers reject: SPF fail. Relay IP not in SPF. Change forgot the DNS step."),
        "fix": "Added the relay to the SPF record and the DNS step to the relay change checklist.",
        "fix_change": "CHG0001001",
    },
    {
        "title": "ERP extremely slow at month end",
        "service": "ERP",
        "category": ("Business application", "Performance"),
        "team": "Business Applications",
        "priority": 3,
        "state": "investigating",
        "incidents": ["Month-end report times out", "ERP extremely slow this morning", "ERP 系统打开很慢"],
        "symptoms": "ERP screens take minutes to open and month-end reports time out.\nERP 系统打开很慢，月末报表超时。",
        "root_cause": "",
        "workaround": "",
        "plain_workaround": "",
        "rca": ("ishikawa", "Suspects: batch jobs overlapping office hours; missing index on ledger lines."),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "Laptops will not start after the firmware update",
        "service": "Laptops & Desktops",
        "category": ("Hardware", "Laptop"),
        "team": "End-User Computing",
        "priority": 3,
        "state": "new",
        "incidents": ["Laptop will not start after update", "笔记本电脑蓝屏"],
        "symptoms": "After the BIOS update the laptop shows a blue screen or does not start.\n笔记本电脑更新后蓝屏，无法开机。",
        "root_cause": "",
        "workaround": "",
        "plain_workaround": "",
        "rca": ("", ""),
        "fix": "",
        "fix_change": "",
    },
    {
        "title": "HR portal locks accounts after password change",
        "service": "HR system",
        "category": ("Access", "Password"),
        "team": "Business Applications",
        "priority": 4,
        "state": "closed",
        "incidents": ["Locked out of HR portal", "人事系统密码过期无法重置"],
        "symptoms": "Users are locked out of the HR portal after changing their password.\n"
        "修改密码后人事系统账号被锁定，密码过期无法重置。",
        "root_cause": "The HR vendor's password sync counted the old password as failed logins.",
        "workaround": "Service Desk unlocks the account in the HR admin console.",
        "plain_workaround": "Call the Service Desk to unlock your HR account.",
        "rca": ("", ""),
        "fix": "The vendor fixed the password sync in release 5.2.",
        "fix_change": "Vendor ticket HR-88213",
    },
    {
        "title": "Intranet page shows 500 error",
        "service": "Intranet",
        "category": ("Business application", "Error"),
        "team": "Business Applications",
        "priority": 4,
        "state": "cancelled",
        "incidents": [],
        "symptoms": "Some intranet pages show an HTTP 500 error.",
        "root_cause": "",
        "workaround": "",
        "plain_workaround": "",
        "rca": ("", ""),
        "fix": "",
        "fix_change": "",
    },
]
# A fresh cluster the hourly detector proposes as a problem.
RECURRING = ("Intranet", ("Business application", "Error"), "Intranet search returns nothing")

PATHS = {
    "new": [],
    "investigating": ["investigating"],
    "known_error": ["investigating", "known_error"],
    "resolved": ["investigating", "known_error", "resolved"],
    "closed": ["investigating", "known_error", "resolved", "closed"],
    "cancelled": ["cancelled"],
}


def load(stdout) -> None:
    if Problem.objects.exists():
        stdout.write(f"  problems: {Problem.objects.count()} already there")
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["agent", "netops", "dba", "deskside", "alice"])
    }
    if "agent" not in users:
        stdout.write("  problems: skipped (load demo.people first)")
        return
    rng = random.Random(20261124)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    with notifications_suppressed():
        problems = [_problem(spec, users=users, now=now, rng=rng) for spec in PROBLEMS]
        _recurring_cluster(users["agent"], now)
        proposals = services.problem_proposals_detect(now=now)
        # Keep the intranet cluster pending; the random repeats of the history (often requests, such as
        # software installs, rather than faults) show in the dismissed tab.
        for proposal in proposals:
            if proposal.service is None or proposal.service.name != RECURRING[0]:
                services.problem_proposal_dismiss(actor=users["agent"], proposal=proposal)
        _suggestion_counts(problems, users=users, rng=rng)
    published = sum(1 for p in problems if p.published_at)
    stdout.write(
        f"  problems: {len(problems)} ({published} known errors in the KEDB), "
        f"{ProblemProposal.objects.filter(state='pending').count()} pending proposal(s), "
        f"{ProblemProposal.objects.filter(state='dismissed').count()} dismissed"
    )


def _category(names):
    parent_name, child = names
    parent, _ = Category.objects.get_or_create(name=parent_name, parent=None)
    return Category.objects.get_or_create(name=child, parent=parent)[0]


@transaction.atomic
def _problem(spec, *, users, now, rng) -> Problem:
    agent = users["agent"]
    service = Service.objects.filter(name=spec["service"]).first()
    team = Team.objects.filter(name=spec["team"]).first()
    owner = team.members.filter(is_active=True).order_by("username").first() if team else None
    method, notes = spec["rca"]
    started = now - timedelta(days=rng.randint(20, 60))
    problem = services.problem_create(
        actor=agent,
        title=spec["title"],
        priority=spec["priority"],
        category=_category(spec["category"]),
        services=[service] if service else [],
        owner_team=team,
        owner=owner,
        symptoms=spec["symptoms"],
        root_cause=spec["root_cause"],
        rca_method=method,
        rca_notes=notes,
        workaround=spec["workaround"],
        plain_workaround=spec["plain_workaround"],
        fix_change=spec["fix_change"],
        at=started,
    )
    matching = list(
        Incident.objects.filter(title__in=spec["incidents"], problem__isnull=True, service=service).order_by(
            "created_at"
        )
    )
    # Known errors: older incidents were linked during the investigation, two recent ones had the
    # workaround applied, and the two newest stay unlinked so their pages show the suggestion.
    if spec["state"] == "known_error":
        applied, linked = matching[-4:-2], matching[:-4][-8:]
    else:
        applied, linked = [], matching[-12:] if spec["state"] != "cancelled" else []
    if linked:
        services.problem_link_incidents(actor=agent, problem=problem, incidents=linked)
    at = started
    for state in PATHS[spec["state"]]:
        at += timedelta(days=rng.randint(1, 6))
        problem = services.problem_transition(
            actor=owner or agent,
            problem=problem,
            state=state,
            fix_notes=spec["fix"] if state == "resolved" else None,
            resolve_incidents=state == "resolved",
            comment="Duplicate of a change-induced incident." if state == "cancelled" else "",
            at=min(at, now),
        )
    for incident in applied:
        services.problem_apply_workaround(
            actor=users.get("netops", agent) if spec["team"] == "Network Operations" else agent,
            problem=problem,
            incident=incident,
            draft=uuid.uuid4().hex,
        )
    return problem


def _recurring_cluster(agent, now) -> None:
    service_name, category, title = RECURRING
    service = Service.objects.filter(name=service_name).first()
    requester = User.objects.filter(username="bob").first() or agent
    variants = [title, f"{title} for 'budget 2026'", "Intranet search returns nothing since this morning"]
    for n, text in enumerate(variants):
        incident_create(
            actor=agent,
            requester=requester,
            title=text,
            description=f"{text}.\nReported via phone.",
            service=service,
            category=_category(category),
            channel="phone",
            at=now - timedelta(days=3 - n, hours=2),
        )


def _suggestion_counts(problems, *, users, rng) -> None:
    """Portal users who saw a known error while typing, some of whom were helped without a ticket."""
    portal_user = users.get("alice") or users["agent"]
    for problem in problems:
        if not problem.published_at:
            continue
        for _ in range(rng.randint(3, 9)):
            draft = uuid.uuid4().hex
            services.suggestions_record_shown(
                problem_ids=[problem.pk], channel="portal", draft=draft, user=portal_user
            )
            if rng.random() < 0.25:
                services.suggestion_record_deflection(user=portal_user, problem=problem, draft=draft)
        for _ in range(rng.randint(2, 6)):
            services.suggestions_record_shown(
                problem_ids=[problem.pk], channel="workspace", draft=uuid.uuid4().hex, user=users["agent"]
            )
