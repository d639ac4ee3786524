"""Demo change enablement: a standard-change catalogue (one template flagged), a risk questionnaire,
changes in every state over the last 60 and next 30 days, two conflicting changes, a year-end freeze,
and pending approvals for the demo users `manager` (change manager) and `cab` (CAB). Idempotent.

Needs demo.people first (users, teams, services and configuration items).
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from approvals.services import approval_decide
from changes.models import Change, ChangeSettings, ChangeTemplate, FreezeWindow, RiskOption, RiskQuestion
from changes.services import change_create, change_templates_health, change_transition
from core.services.notifications import notifications_suppressed
from org.models import ConfigurationItem, Service, Team

NIGHTS = [{"weekday": d, "start": "20:00", "end": "23:59"} for d in range(7)]
# name, description, risk, windows, minutes, services, team, plans
TEMPLATES = [
    (
        "Patch Windows servers (monthly)",
        "Install the monthly cumulative update on member servers.",
        "low",
        [{"weekday": 5, "start": "20:00", "end": "23:59"}],
        120,
        ["File shares"],
        "Database & Infrastructure",
    ),
    (
        "Restart application pool",
        "Recycle a hung IIS application pool.",
        "low",
        [],
        15,
        ["Intranet"],
        "Business Applications",
    ),
    (
        "Add user to distribution list",
        "Add or remove members of a mail distribution list.",
        "low",
        [],
        10,
        ["E-mail"],
        "Business Applications",
    ),
    (
        "Renew TLS certificate",
        "Replace an expiring web certificate.",
        "medium",
        NIGHTS,
        60,
        ["Intranet"],
        "Business Applications",
    ),
    (
        "Rotate VPN gateway firmware",
        "Apply the vendor's maintenance firmware to one gateway at a time.",
        "medium",
        NIGHTS,
        90,
        ["VPN"],
        "Network Operations",
    ),
    (
        "Expand file share quota",
        "Grow a departmental share's quota.",
        "low",
        [],
        20,
        ["File shares"],
        "Database & Infrastructure",
    ),
]

QUESTIONS = [
    ("How many users are affected if it fails?", [("A few", 0), ("One department", 2), ("Everyone", 5)]),
    ("Has the back-out been tested?", [("Yes", 0), ("No", 3)]),
    ("Have we done this change before?", [("Often", 0), ("Once or twice", 1), ("Never", 3)]),
    ("Does it need downtime?", [("No", 0), ("Less than an hour", 1), ("More than an hour", 3)]),
]


def _catalogue(owner, teams, services) -> dict[str, ChangeTemplate]:
    result = {}
    for name, description, risk, windows, minutes, service_names, team in TEMPLATES:
        template, created = ChangeTemplate.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "risk": risk,
                "allowed_windows": windows,
                "duration_minutes": minutes,
                "implementation_plan": f"Follow the runbook: {name}.",
                "backout_plan": "Revert to the previous state as the runbook describes.",
                "test_plan": "Check the service's health page and a user transaction.",
                "owner": owner,
                "implementer_team": teams.get(team),
            },
        )
        if created:
            template.services.set([services[s] for s in service_names])
        result[name] = template
    return result


def _questionnaire() -> None:
    if RiskQuestion.objects.exists():
        return
    for order, (text, options) in enumerate(QUESTIONS, start=1):
        question = RiskQuestion.objects.create(text=text, order=order)
        for i, (label, weight) in enumerate(options):
            RiskOption.objects.create(question=question, label=label, weight=weight, order=i)


def _hour(days: float, hour: int = 21) -> datetime:
    day = (timezone.now() + timedelta(days=days)).astimezone(UTC)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _work(change, actor, *, to: str, outcome: str = "successful", days: float = 0):
    """Walk a scheduled change forward: implement, review, closed."""
    start = change.planned_start
    if to in ("implement", "review", "closed"):
        change = change_transition(actor=actor, change=change, state="implement", at=start)
    if to in ("review", "closed"):
        change = change_transition(
            actor=actor, change=change, state="review", outcome=outcome, at=change.planned_end
        )
    if to == "closed":
        change = change_transition(
            actor=actor,
            change=change,
            state="closed",
            review_notes="Reviewed at the weekly change meeting.",
            at=change.planned_end + timedelta(days=1),
        )
    return change


def _normal(actor, title, *, services, start, hours=2, risk="low", cis=(), **kwargs):
    return change_create(
        actor=actor,
        type=kwargs.pop("type", "normal"),
        title=title,
        justification=kwargs.pop("justification", "Keeps the service supported and secure."),
        implementation_plan="1. Announce. 2. Apply. 3. Verify.",
        backout_plan="Restore the snapshot taken before the change.",
        test_plan="Smoke test with the key users.",
        risk=risk,
        services=services,
        configuration_items=list(cis),
        planned_start=start,
        planned_end=start + timedelta(hours=hours),
        at=kwargs.pop("at", min(start - timedelta(days=5), timezone.now() - timedelta(days=3))),
        **kwargs,
    )


def _approve_all(change, approvers, at=None):
    for request in change.approval_requests.all():
        for _attempt in range(3):
            request.refresh_from_db()
            if request.state != "pending":
                break
            step = request.steps.filter(state="pending", activated_at__isnull=False).first()
            approver = approvers["cab"] if step.group == "cab" else approvers["manager"]
            approval_decide(request=request, approver=approver, decision="approved", comment="OK", at=at)
    change.refresh_from_db()
    return change


def _to_authorize(change, actor, at=None):
    if change.type == "normal":
        change = change_transition(actor=actor, change=change, state="assess", at=at)
    return change_transition(actor=actor, change=change, state="authorize", at=at)


def load(stdout) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=["manager", "cab", "agent", "netops", "dba"])
    }
    teams = {t.name: t for t in Team.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    cis = {c.name: c for c in ConfigurationItem.objects.all()}
    ChangeSettings.objects.get_or_create(pk=1)
    templates = _catalogue(users["manager"], teams, services)
    _questionnaire()
    year = timezone.now().year
    FreezeWindow.objects.get_or_create(
        name=f"Year-end freeze {year}",
        defaults={
            "start": datetime(year, 12, 20, tzinfo=UTC),
            "end": datetime(year + 1, 1, 4, tzinfo=UTC),
            "reason": "Financial year-end closing: no changes to business systems.",
        },
    )
    if Change.objects.exists():
        stdout.write(f"  changes: {Change.objects.count()} already there")
        return
    agent, netops, dba = users["agent"], users["netops"], users["dba"]
    approvers = {"manager": users["manager"], "cab": users["cab"]}
    with notifications_suppressed():
        # Standard changes over the last 60 days; the VPN firmware template fails often.
        firmware = templates["Rotate VPN gateway firmware"]
        for i, outcome in enumerate(["successful", "failed", "successful", "failed", "failed", "successful"]):
            start = _hour(-58 + i * 9)
            change = change_create(
                actor=netops,
                type="standard",
                title="",
                template=firmware,
                planned_start=start,
                at=start - timedelta(days=1),
            )
            _work(change, netops, to="closed", outcome=outcome)
        for i, name in enumerate(
            ["Patch Windows servers (monthly)", "Add user to distribution list", "Expand file share quota"]
        ):
            start = _hour(-40 + i * 12, hour=20)
            change = change_create(
                actor=dba,
                type="standard",
                title="",
                template=templates[name],
                planned_start=start,
                at=start - timedelta(days=1),
            )
            _work(change, dba, to="closed")
        change_templates_health()
        # Normal changes through their lifecycle.
        closed = _normal(
            agent,
            "Upgrade ERP to support pack 12",
            services=[services["ERP"]],
            start=_hour(-30),
            risk="medium",
        )
        closed = _approve_all(_to_authorize(closed, agent, at=_hour(-33)), approvers, at=_hour(-32))
        _work(closed, agent, to="closed", outcome="successful_with_issues")
        review = _normal(
            agent,
            "Replace core switch in building A",
            services=[services["Wi-Fi"]],
            start=_hour(-3),
            risk="high",
        )
        review = _approve_all(_to_authorize(review, agent, at=_hour(-6)), approvers, at=_hour(-5))
        _work(review, agent, to="review")
        implementing = _normal(
            agent,
            "Migrate file shares to new NAS",
            services=[services["File shares"]],
            start=_hour(0, hour=timezone.now().hour),
            hours=6,
        )
        implementing = _approve_all(_to_authorize(implementing, agent, at=_hour(-4)), approvers, at=_hour(-3))
        _work(implementing, dba, to="implement")
        scheduled = _normal(
            agent, "Enable MFA for Intranet", services=[services["Intranet"]], start=_hour(12), risk="medium"
        )
        _approve_all(_to_authorize(scheduled, agent, at=_hour(-1)), approvers, at=_hour(-1))
        # Two approved changes on ERP in overlapping windows: the calendar shows the conflict.
        for title, hour in (("ERP database index rebuild", 20), ("ERP interface certificate update", 21)):
            change = _normal(
                dba,
                title,
                services=[services["ERP"]],
                cis=[cis["erp-db-01"]],
                start=_hour(6, hour=hour),
                hours=2,
            )
            _approve_all(_to_authorize(change, dba, at=_hour(-2)), approvers, at=_hour(-2))
        # Waiting for approval: CAB for the demo user `cab`, change manager for `manager`.
        cab_wait = _normal(
            netops, "Replace VPN concentrators", services=[services["VPN"]], start=_hour(9), risk="high"
        )
        cab_wait = _to_authorize(cab_wait, netops, at=_hour(-1))
        approval_decide(
            request=cab_wait.approval_requests.get(),
            approver=approvers["manager"],
            decision="approved",
            comment="Plan is solid; CAB please.",
        )
        manager_wait = _normal(
            agent,
            "Move Wi-Fi controller to new VLAN",
            services=[services["Wi-Fi"]],
            start=_hour(4),
            risk="medium",
        )
        _to_authorize(manager_wait, agent)
        _normal(
            agent,
            "Archive old mailboxes",
            services=[services["E-mail"]],
            start=_hour(15),
            at=timezone.now() - timedelta(hours=6),
        )
        assess = _normal(
            agent,
            "Upgrade HR system integration",
            services=[services["HR system"]],
            start=_hour(18),
            at=timezone.now() - timedelta(days=1),
        )
        change_transition(actor=agent, change=assess, state="assess")
        rejected = _normal(
            agent,
            "Disable legacy TLS on e-mail",
            services=[services["E-mail"]],
            start=_hour(-10),
            risk="medium",
            at=_hour(-20),
        )
        rejected = _to_authorize(rejected, agent, at=_hour(-19))
        approval_decide(
            request=rejected.approval_requests.get(),
            approver=approvers["manager"],
            decision="rejected",
            comment="Too many old clients still depend on it; survey them first.",
            at=_hour(-18),
        )
        cancelled = _normal(
            agent,
            "Replace intranet search engine",
            services=[services["Intranet"]],
            start=_hour(-45),
            at=_hour(-50),
        )
        change_transition(actor=agent, change=cancelled, state="cancelled", at=_hour(-49))
        emergency = change_create(
            actor=netops,
            type="emergency",
            title="Block exploited VPN vulnerability",
            description="Vendor advisory: actively exploited; apply the mitigation tonight.",
            services=[services["VPN"]],
            configuration_items=[cis["vpn-gw-01"]],
            planned_start=_hour(-12, hour=2),
            planned_end=_hour(-12, hour=3),
            at=_hour(-12, hour=0),
        )
        emergency = _approve_all(
            _to_authorize(emergency, netops, at=_hour(-12, hour=1)), approvers, at=_hour(-12, hour=1)
        )
        _work(emergency, netops, to="closed")
    stdout.write(f"  changes: {Change.objects.count()} changes, {ChangeTemplate.objects.count()} templates")
