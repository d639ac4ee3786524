"""Every state change of a service request goes through here (CONVENTIONS.md: services own state changes).

submitted → awaiting_approval → approved | rejected → fulfilling → fulfilled → closed (and cancelled);
items without approval go straight to fulfilling. Approvals, tasks and automation drive the automatic moves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Profile
from approvals.models import ApprovalState
from approvals.services import approval_cancel, approval_request
from core.errors import StaleVersionError
from core.roles import MANAGERS, is_agent
from core.services.audit import audit_record
from core.services.feedback import satisfaction_rate
from core.services.numbering import number_next
from core.services.timeline import EventText, timeline_comment_add, timeline_event
from requests_catalog import formdef, fulfilment, notifications
from requests_catalog.choices import MANUAL_TARGETS, TRANSITIONS, ApprovalRule, State, TaskState
from requests_catalog.models import CatalogItem, ServiceRequest
from requests_catalog.permissions import can_order, can_rate, can_transition
from sla import services as sla
from sla.selectors import sla_next_due

APPLIES_TO = "request"


class AnswerErrors(ValidationError):
    """Bad answers: `answer_errors` names each question ({name: [messages]}); the API returns it nested."""

    def __init__(self, errors: dict[str, list[str]]):
        self.answer_errors = errors
        super().__init__(
            {"answers": [f"{name}: {message}" for name, messages in errors.items() for message in messages]},
            code="answers",
        )


def sync_sla(request: ServiceRequest) -> None:
    request.sla_due_at = sla_next_due(ticket=request)
    request.sla_breached = request.sla_clocks.filter(breached_at__isnull=False).exists()


def lock(request: ServiceRequest, expected_version: int | None = None) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update(of=("self",)).select_related("item").get(pk=request.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError(current_version=locked.version)
    return locked


def approval_steps(item: CatalogItem, requester) -> list[dict]:
    """The approval path of an item for this requester (people without a line manager fall back to managers)."""
    managers = {"name": "Service-desk managers", "group": MANAGERS, "mode": "any"}

    def line_manager():
        manager_id = Profile.objects.filter(user=requester).values_list("manager_id", flat=True).first()
        if manager_id and manager_id != requester.pk:
            return {"name": "Line manager", "users": [manager_id], "mode": "any"}
        return {**managers, "name": "Line manager (none on record: service-desk managers)"}

    def owner():
        if item.owner_id and item.owner_id != requester.pk:
            return {"name": "Item owner", "users": [item.owner_id], "mode": "any"}
        return {**managers, "name": "Item owner (service-desk managers)"}

    rule = item.approval
    if rule == ApprovalRule.LINE_MANAGER:
        return [line_manager()]
    if rule == ApprovalRule.OWNER:
        return [owner()]
    if rule == ApprovalRule.GROUP:
        return [
            {"name": f"Group {item.approval_group}", "group": item.approval_group or MANAGERS, "mode": "any"}
        ]
    if rule == ApprovalRule.LINE_MANAGER_THEN_OWNER:
        return [line_manager(), owner()]
    return []


def _event(request, code: str, actor, at, text: EventText, **data) -> None:
    timeline_event(ticket=request, code=code, actor=actor, at=at, text=text, data=data or None)


def enter(request: ServiceRequest, state: str, *, actor, at, reason: str = "") -> None:
    """Move a locked request into `state` with every effect that state has, then save it."""
    previous = request.state
    request.state = state
    request.version += 1
    fields = ["state", "version", "updated_at"]
    _event(
        request,
        "state",
        actor,
        at,
        EventText(
            gettext_lazy("%(from)s → %(to)s"),
            {"from": State(previous).label, "to": State(state).label},
            note=reason or "",
        ),
        **{"from": previous, "to": state},
    )
    if state == State.AWAITING_APPROVAL:
        sla.sla_clocks_pause(ticket=request, reason=EventText(gettext_lazy("awaiting approval")), at=at)
        approval_request(
            target=request, steps=approval_steps(request.item, request.requester), requested_by=actor, at=at
        )
    elif state == State.APPROVED:
        request.approved_at = at
        fields.append("approved_at")
    elif state == State.FULFILLING:
        if previous == State.APPROVED:
            sla.sla_clocks_resume(ticket=request, reason=EventText(gettext_lazy("approved")), at=at)
        elif previous == State.FULFILLED:
            request.fulfilled_at = None
            request.fulfilment_seconds = None
            fields += ["fulfilled_at", "fulfilment_seconds"]
            sla.sla_clock_reopen(
                ticket=request,
                reason=EventText(gettext_lazy("reopened: %(reason)s"), {"reason": reason}),
                at=at,
            )
        fulfilment.fulfilment_start(request=request, actor=actor, at=at, reason=reason)
        fields += ["automation_state", "automation_next_at", "assignment_group"]
    elif state == State.FULFILLED:
        request.fulfilled_at = at
        request.fulfilment_seconds = max(0, int((at - request.created_at).total_seconds()))
        fields += ["fulfilled_at", "fulfilment_seconds"]
        _record_response(request, at, fields)
        sla.sla_clock_complete(
            ticket=request, kind="resolution", reason=EventText(gettext_lazy("fulfilled")), at=at
        )
    elif state == State.CLOSED:
        request.closed_at = at
        fields.append("closed_at")
    elif state in (State.REJECTED, State.CANCELLED):
        request.cancel_reason = reason
        fields.append("cancel_reason")
        if state == State.CANCELLED:
            for pending in request.approval_requests.filter(state=ApprovalState.PENDING):
                approval_cancel(request=pending, actor=actor, reason=_("The request was cancelled."), at=at)
        fulfilment.tasks_cancel(request=request, at=at)
        sla.sla_clocks_cancel(ticket=request, reason=EventText(State(state).label), at=at)
    sync_sla(request)
    request.save(update_fields=[*dict.fromkeys(fields), "sla_due_at", "sla_breached"])
    if state == State.FULFILLED:
        transaction.on_commit(lambda: notifications.on_fulfilled(request))
    elif state == State.REJECTED:
        transaction.on_commit(lambda: notifications.on_rejected(request, reason))


def _record_response(request: ServiceRequest, at, fields: list) -> None:
    if request.responded_at is None:
        request.responded_at = at
        fields.append("responded_at")
        sla.sla_clock_complete(
            ticket=request, kind="response", reason=EventText(gettext_lazy("first response")), at=at
        )


def record_response(*, request: ServiceRequest, at) -> None:
    """A person started working on it (a task started, a public reply): the response clock is met."""
    if request.responded_at is None and request.is_open:
        fields: list = []
        _record_response(request, at, fields)
        sync_sla(request)
        request.save(update_fields=[*fields, "sla_due_at", "sla_breached"])


def request_submit(
    *, actor, item: CatalogItem, answers, requester=None, title: str = "", at=None
) -> ServiceRequest:
    """Order an item: answers are validated against the item's form (errors name each field)."""
    requester = requester or actor
    if requester.pk != actor.pk and not is_agent(actor):
        raise ValidationError({"requester": _("Only agents can order for someone else.")}, code="not_agent")
    if not can_order(requester, item):
        raise ValidationError({"item": _("This item is not available to you.")}, code="not_orderable")
    try:
        cleaned = formdef.clean_answers(item.form, answers, today=timezone.localdate(at) if at else None)
    except ValidationError as exc:
        raise AnswerErrors(exc.message_dict) from None
    now = at or timezone.now()
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            number=number_next(prefix=ServiceRequest.NUMBER_PREFIX),
            title=(title or item.name).strip()[:200],
            description=item.description[:2000],
            requester=requester,
            item=item,
            answers=cleaned,
            priority=item.priority,
            service=item.service,
            assignment_group=item.fulfilment_team,
            created_at=now,
        )
        sla.sla_clocks_start(
            ticket=request,
            applies_to=APPLIES_TO,
            priority=request.priority,
            service_id=request.service_id,
            team_id=request.assignment_group_id,
            at=now,
            new_ticket=True,  # created just above, in this transaction
        )
        _event(
            request,
            "created",
            actor,
            now,
            EventText(gettext_lazy("Ordered from the catalogue: %(item)s"), {"item": item.name}),
        )
        audit_record(obj=request, actor=actor, before=None)
        if item.requires_approval:
            enter(request, State.AWAITING_APPROVAL, actor=actor, at=now)
        else:
            enter(request, State.FULFILLING, actor=actor, at=now)
        transaction.on_commit(lambda: notifications.on_submitted(request))
    return request


def transition_errors(request: ServiceRequest, target: str, reason: str = "") -> dict:
    """Why `request` cannot move to `target` now ({} when it can); pages use it to offer only possible moves."""
    if target not in TRANSITIONS.get(request.state, ()):
        return {
            "state": _("A request cannot move from %(from)s to %(to)s.")
            % {
                "from": State(request.state).label,
                "to": State(target).label if target in State.values else target,
            }
        }
    if target not in MANUAL_TARGETS:
        return {
            "state": _("%(to)s follows from the approval; it cannot be set by hand.")
            % {"to": State(target).label}
        }
    if target == State.FULFILLED:
        open_tasks = request.tasks.filter(
            state__in=[TaskState.PENDING, TaskState.OPEN, TaskState.IN_PROGRESS]
        )
        if open_tasks.exists():
            count = open_tasks.count()
            return {
                "state": ngettext(
                    "%(count)d fulfilment task is still open: complete or cancel it first.",
                    "%(count)d fulfilment tasks are still open: complete or cancel them first.",
                    count,
                )
                % {"count": count}
            }
        if request.automation_state in ("queued", "running", "retrying"):
            return {"state": _("The automatic fulfilment is still running.")}
    if target == State.FULFILLING and request.state == State.FULFILLED and not reason:
        return {"reason": _("Say what is still missing.")}
    return {}


def request_transition(
    *, actor, request: ServiceRequest, state: str, reason: str = "", version: int | None = None, at=None
) -> ServiceRequest:
    if state not in State.values:
        raise ValidationError({"state": _("Unknown state %(state)s.") % {"state": state}}, code="unknown")
    now = at or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        request = lock(request, version)
        if not can_transition(actor, request, state):
            raise PermissionDenied(_("You may not move this request to %(to)s.") % {"to": State(state).label})
        errors = transition_errors(request, state, reason)
        if errors:
            raise ValidationError(errors, code="transition")
        enter(request, state, actor=actor, at=now, reason=reason)
    return request


def handle_approval_event(*, target: ServiceRequest, request, step, event: str) -> None:
    """Approvals decided: approved → fulfilling; rejected → rejected with the approver's reason."""
    now = request.decided_at or timezone.now()
    service_request = lock(target)
    if service_request.state != State.AWAITING_APPROVAL:
        return
    if event == "approved":
        enter(service_request, State.APPROVED, actor=None, at=now)
        enter(service_request, State.FULFILLING, actor=None, at=now)
    elif event == "rejected":
        enter(service_request, State.REJECTED, actor=None, at=now, reason=request.reason)


def request_fulfil_if_done(*, request: ServiceRequest, actor, at) -> bool:
    """Called after a task or the automation finished: fulfilled when nothing is left to do."""
    request = lock(request)
    if request.state != State.FULFILLING:
        return False
    if request.tasks.filter(state__in=[TaskState.PENDING, TaskState.OPEN, TaskState.IN_PROGRESS]).exists():
        return False
    if request.automation_state in ("queued", "running", "retrying"):
        return False
    enter(request, State.FULFILLED, actor=actor, at=at)
    return True


def request_comment_add(*, actor, request: ServiceRequest, body: str, is_internal: bool = False, at=None):
    with transaction.atomic():
        entry = timeline_comment_add(ticket=request, author=actor, body=body, is_internal=is_internal, at=at)
        if is_agent(actor) and not is_internal and request.requester_id != actor.pk:
            record_response(request=lock(request), at=entry.created_at)
    return entry


def request_rate(*, actor, request: ServiceRequest, rating, comment: str = "", at=None):
    if not can_rate(actor, request):
        raise ValidationError(
            {"rating": _("Only the requester can rate, once the request is fulfilled.")}, code="not_allowed"
        )
    return satisfaction_rate(ticket=request, user=actor, rating=rating, comment=comment, at=at)


def requests_auto_close(*, days: int = 5, now=None) -> int:
    """Close requests fulfilled more than `days` ago that the requester neither confirmed nor disputed."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=days)
    closed = 0
    for pk in ServiceRequest.objects.filter(state=State.FULFILLED, fulfilled_at__lte=cutoff).values_list(
        "pk", flat=True
    )[:500]:
        with transaction.atomic():
            request = ServiceRequest.objects.select_for_update().filter(pk=pk, state=State.FULFILLED).first()
            if request is not None:
                enter(request, State.CLOSED, actor=None, at=now, reason=gettext_lazy("closed automatically"))
                closed += 1
    return closed
