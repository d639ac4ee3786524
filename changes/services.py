"""Every write to a change goes through here (CONVENTIONS.md: services own state changes)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import ApprovalState
from approvals.services import approval_cancel, approval_request
from changes import notifications
from changes.choices import (
    STEP_CAB,
    STEP_CHANGE_MANAGER,
    STEP_EMERGENCY_CAB,
    ChangeType,
    Outcome,
    Risk,
    State,
    allowed_next,
)
from changes.models import Change, ChangeSettings, ChangeTemplate, RiskOption, RiskQuestion
from changes.permissions import can_work
from changes.scheduling import freeze_windows_for, next_template_window
from core.errors import StaleVersionError
from core.services.audit import audit_record, audit_snapshot
from core.services.numbering import number_next
from core.services.timeline import EventText, timeline_event

INDUCED_WITHIN = timedelta(days=7)
TEXT_FIELDS = ("title", "description", "justification", "implementation_plan", "backout_plan", "test_plan")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "risk",
    "risk_answers",
    "services",
    "configuration_items",
    "planned_start",
    "planned_end",
    "implementer_team",
)
WINDOW_FIELDS = ("planned_start", "planned_end", "services", "configuration_items")


def _lock(change: Change, expected_version: int | None) -> Change:
    locked = Change.objects.select_for_update().get(pk=change.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError(current_version=locked.version)
    return locked


def risk_evaluate(*, answers: dict) -> tuple[int, str]:
    """Score a questionnaire ({question id: option id}) and map it to a risk level by the settings."""
    questions = list(RiskQuestion.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = {str(k): str(v) for k, v in (answers or {}).items()}
    options = {
        str(o.question_id): o
        for o in RiskOption.objects.filter(question_id__in=questions, pk__in=_ints(chosen.values()))
    }
    if any(str(options[str(q)].pk) != chosen.get(str(q)) if str(q) in options else True for q in questions):
        raise ValidationError({"risk_answers": _("Answer every risk question.")}, code="incomplete")
    score = sum(o.weight for o in options.values())
    settings = ChangeSettings.current()
    if score >= settings.risk_high_from:
        return score, Risk.HIGH
    if score >= settings.risk_medium_from:
        return score, Risk.MEDIUM
    return score, Risk.LOW


def _ints(values) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return out


def _check_window(change: Change, service_ids, *, actor, at) -> None:
    """Planned window sane and (except emergencies) outside freeze windows; an emergency bypass is recorded."""
    if bool(change.planned_start) != bool(change.planned_end):
        raise ValidationError({"planned_end": _("Give both the planned start and end.")}, code="window")
    if change.planned_start is None:
        return
    if change.planned_end <= change.planned_start:
        raise ValidationError(
            {"planned_end": _("The planned window must start before it ends.")}, code="window"
        )
    frozen = freeze_windows_for(start=change.planned_start, end=change.planned_end, service_ids=service_ids)
    if not frozen:
        return
    names = ", ".join(w.name for w in frozen)
    if change.type == ChangeType.EMERGENCY:
        if not change.freeze_bypassed:
            change.freeze_bypassed = True
            change._freeze_note = _("Emergency change scheduled inside the freeze window %(names)s.") % {
                "names": names
            }
        return
    raise ValidationError(
        {
            "planned_start": _("The planned window falls in the freeze window %(names)s (%(reason)s).")
            % {"names": names, "reason": "; ".join(w.reason or w.name for w in frozen)}
        },
        code="frozen",
    )


def _note_freeze_bypass(change: Change, actor, at) -> None:
    note = getattr(change, "_freeze_note", "")
    if note:
        timeline_event(ticket=change, code="freeze_bypass", actor=actor, at=at, text=note)
        change._freeze_note = ""


def change_create(
    *,
    actor,
    type: str,
    title: str,
    description: str = "",
    template: ChangeTemplate | None = None,
    justification: str = "",
    implementation_plan: str = "",
    backout_plan: str = "",
    test_plan: str = "",
    risk: str | None = None,
    risk_answers: dict | None = None,
    services=(),
    configuration_items=(),
    planned_start=None,
    planned_end=None,
    implementer_team=None,
    requester=None,
    at=None,
) -> Change:
    """Record a change. A standard change from an active, non-demoted template is scheduled at once."""
    if actor is not None and not can_work(actor, None):
        raise PermissionDenied
    if type not in ChangeType.values:
        raise ValidationError({"type": _("Choose standard, normal or emergency.")}, code="type")
    if not (title or "").strip() and template is None:
        raise ValidationError({"title": _("Give the change a short title.")}, code="required")
    now = at or timezone.now()
    pre_authorised = False
    if type == ChangeType.STANDARD:
        if template is None or not template.is_active:
            raise ValidationError(
                {"template": _("Choose an active standard change template.")}, code="template"
            )
        title = title or template.name
        implementation_plan = implementation_plan or template.implementation_plan
        backout_plan = backout_plan or template.backout_plan
        test_plan = test_plan or template.test_plan
        description = description or template.description
        risk = template.risk
        services = list(services) or list(template.services.all())
        implementer_team = implementer_team or template.implementer_team
        pre_authorised = not template.demoted
        if template.demoted:
            type = ChangeType.NORMAL  # a demoted template's changes follow the normal path
    score = None
    if risk_answers and type == ChangeType.NORMAL:
        score, risk = risk_evaluate(answers=risk_answers)
    if risk is not None and risk not in Risk.values:
        raise ValidationError({"risk": _("Choose low, medium or high.")}, code="risk")
    with transaction.atomic():
        change = Change(
            number=number_next(prefix=Change.NUMBER_PREFIX),
            type=type,
            template=template,
            title=title.strip()[:200],
            description=description,
            justification=justification,
            implementation_plan=implementation_plan,
            backout_plan=backout_plan,
            test_plan=test_plan,
            risk=risk or Risk.LOW,
            risk_score=score,
            risk_answers=risk_answers or {},
            planned_start=planned_start,
            planned_end=planned_end,
            implementer_team=implementer_team,
            requester=requester or actor,
            needs_review=type == ChangeType.EMERGENCY,
            created_at=now,
        )
        service_ids = [s.pk for s in services]
        if pre_authorised:
            # Pre-authorised only inside the template's windows: the requested time snaps to the next one.
            change.planned_start, change.planned_end = next_template_window(
                template, after=max(planned_start or now, now), service_ids=service_ids
            )
        _check_window(change, service_ids, actor=actor, at=now)
        change.save()
        change.services.set(services)
        change.configuration_items.set(configuration_items)
        timeline_event(
            ticket=change,
            code="created",
            actor=actor,
            at=now,
            text=EventText(gettext_lazy("Change recorded.")),
        )
        _note_freeze_bypass(change, actor, now)
        if template is not None and template.demoted:
            timeline_event(
                ticket=change,
                code="template_demoted",
                actor=actor,
                at=now,
                text=EventText(
                    gettext_lazy("The template %(name)s is demoted: this change needs normal approval."),
                    {"name": template.name},
                ),
            )
        audit_record(obj=change, actor=actor, before=None)
        if pre_authorised:
            _enter(
                change,
                State.SCHEDULED,
                actor=actor,
                at=now,
                comment=gettext_lazy("Pre-authorised standard change."),
            )
    return change


def change_update(*, actor, change: Change, version: int | None = None, **changes) -> Change:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    if not can_work(actor, change):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        change = _lock(change, version)
        if not change.is_open:
            raise ValidationError({"state": _("A closed change can no longer be edited.")}, code="closed")
        if set(changes) & set(WINDOW_FIELDS) and change.state in (State.IMPLEMENT, State.REVIEW):
            raise ValidationError(
                {"planned_start": _("The window cannot change once implementation started.")}, code="started"
            )
        if set(changes) & {"risk", "risk_answers"} and change.state not in (State.DRAFT, State.ASSESS):
            raise ValidationError({"risk": _("Risk is fixed once approval was requested.")}, code="assessed")
        before = audit_snapshot(change)
        m2m = {name: changes.pop(name) for name in ("services", "configuration_items") if name in changes}
        for name, value in changes.items():
            setattr(change, name, value)
        if "title" in changes and not (change.title or "").strip():
            raise ValidationError({"title": _("Give the change a short title.")}, code="required")
        if changes.get("risk_answers") and change.type == ChangeType.NORMAL:
            change.risk_score, change.risk = risk_evaluate(answers=changes["risk_answers"])
        if change.risk not in Risk.values:
            raise ValidationError({"risk": _("Choose low, medium or high.")}, code="risk")
        service_ids = (
            [s.pk for s in m2m["services"]]
            if "services" in m2m
            else list(change.services.values_list("pk", flat=True))
        )
        if set(changes) & {"planned_start", "planned_end"} or "services" in m2m:
            _check_window(change, service_ids, actor=actor, at=now)
        change.version += 1
        change.save()
        for name, value in m2m.items():
            getattr(change, name).set(value)
        _note_freeze_bypass(change, actor, now)
        audit_record(obj=change, actor=actor, before=before)
    return change


def _transition_errors(change: Change, target: str, outcome: str) -> dict:
    if target not in State.values:
        return {"state": [_("Unknown state %(state)s.") % {"state": target}]}
    allowed = allowed_next(change.type, change.state)
    if target not in allowed:
        names = ", ".join(str(State(s).label) for s in allowed) or _("none")
        return {
            "state": [
                _("A %(type)s change cannot move from %(from)s to %(to)s. Allowed next states: %(allowed)s.")
                % {
                    "type": change.get_type_display().lower(),
                    "from": change.get_state_display(),
                    "to": State(target).label,
                    "allowed": names,
                }
            ]
        }
    errors = {}
    if target in (State.ASSESS, State.AUTHORIZE, State.SCHEDULED):
        if not change.planned_start:
            errors["planned_start"] = [_("Plan the window first.")]
        if change.type != ChangeType.EMERGENCY:
            if not change.implementation_plan.strip():
                errors["implementation_plan"] = [_("Describe how the change is implemented.")]
            if not change.backout_plan.strip():
                errors["backout_plan"] = [_("Describe how the change is backed out.")]
    if (
        target == State.SCHEDULED
        and change.state == State.AUTHORIZE
        and not change.approval_requests.filter(state=ApprovalState.APPROVED).exists()
    ):
        errors["state"] = [_("The change is still waiting for approval.")]
    if target == State.REVIEW and outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome: successful, successful with issues or failed.")]
    return errors


def change_transition(
    *,
    actor,
    change: Change,
    state: str,
    version: int | None = None,
    outcome: str = "",
    review_notes: str = "",
    comment: str = "",
    at=None,
) -> Change:
    """Move a change along its lifecycle; anything the table does not allow is refused with a reason."""
    now = at or timezone.now()
    with transaction.atomic():
        change = _lock(change, version)
        if actor is not None and not can_work(actor, change):
            raise PermissionDenied
        errors = _transition_errors(change, state, outcome)
        if errors:
            raise ValidationError(errors, code="bad_transition")
        if state == State.SCHEDULED:
            _check_window(change, list(change.services.values_list("pk", flat=True)), actor=actor, at=now)
        change.outcome = outcome if state == State.REVIEW else change.outcome
        if review_notes.strip():
            change.review_notes = review_notes.strip()
        _enter(change, state, actor=actor, at=now, comment=comment)
    return change


def _approval_steps(change: Change) -> list[dict]:
    if change.type == ChangeType.EMERGENCY:
        return [dict(STEP_EMERGENCY_CAB)]
    if change.risk == Risk.HIGH:
        return [dict(STEP_CHANGE_MANAGER), dict(STEP_CAB)]
    return [dict(STEP_CHANGE_MANAGER)]


def _enter(change: Change, state: str, *, actor, at, comment: str = "") -> None:
    """Set the state and its side effects, bump the version, record it. Runs inside the caller's atomic."""
    before = audit_snapshot(change)
    source = change.state
    change.state = state
    if state == State.IMPLEMENT:
        change.actual_start = at
    elif state == State.REVIEW:
        change.actual_end = at
    elif state in (State.CLOSED, State.CANCELLED, State.REJECTED):
        change.closed_at = at
    change.version += 1
    change.save()
    timeline_event(
        ticket=change,
        code="state",
        actor=actor,
        at=at,
        text=EventText(
            gettext_lazy("%(from)s → %(to)s"),
            {"from": State(source).label, "to": State(state).label},
            note=comment or "",
        ),
        data={"from": source, "to": state},
    )
    _note_freeze_bypass(change, actor, at)
    audit_record(obj=change, actor=actor, before=before)
    if state == State.AUTHORIZE:
        approval_request(target=change, steps=_approval_steps(change), requested_by=actor, at=at)
    elif state == State.CANCELLED:
        for request in change.approval_requests.filter(state=ApprovalState.PENDING):
            approval_cancel(request=request, actor=actor, reason=_("The change was cancelled."), at=at)
    elif state == State.SCHEDULED:
        notifications.on_scheduled(change)
    elif state == State.REJECTED:
        notifications.on_rejected(change)


def handle_approval_event(*, target: Change, request, step, event: str) -> None:
    """Approvals hook: an approved request schedules the change, a rejection stops it with the reason."""
    now = timezone.now()
    change = _lock(target, None)
    if change.state != State.AUTHORIZE:
        return
    if event == "approved":
        try:
            _check_window(change, list(change.services.values_list("pk", flat=True)), actor=None, at=now)
        except ValidationError as exc:
            timeline_event(
                ticket=change,
                code="not_scheduled",
                at=now,
                text=EventText(
                    gettext_lazy("Approved, but not scheduled: %(reason)s"),
                    {"reason": " ".join(exc.messages)},
                ),
            )
            return
        _enter(change, State.SCHEDULED, actor=None, at=now, comment=gettext_lazy("Approved."))
    elif event == "rejected":
        change.rejection_reason = request.reason
        _enter(change, State.REJECTED, actor=None, at=now, comment=request.reason)


def change_mark_induced(*, change: Change, incident, actor) -> bool:
    """An incident linked as caused by this change: within 7 days of implementation it is change-induced.

    Returns whether the change was (or already is) marked change-induced.
    """
    implemented_at = change.actual_end or change.actual_start
    if change.actual_start is None:
        return False
    if not (change.actual_start <= incident.created_at <= implemented_at + INDUCED_WITHIN):
        return False
    with transaction.atomic():
        change = _lock(change, None)
        if change.is_change_induced:
            return True
        before = audit_snapshot(change)
        change.is_change_induced = True
        change.change_induced_at = timezone.now()
        change.version += 1
        change.save(update_fields=["is_change_induced", "change_induced_at", "version", "updated_at"])
        timeline_event(
            ticket=change,
            code="change_induced",
            actor=actor,
            text=EventText(
                gettext_lazy("%(incident)s was caused by this change."), {"incident": incident.number}
            ),
            data={"incident": incident.pk},
        )
        audit_record(obj=change, actor=actor, before=before)
    return True


def change_templates_health(*, now=None) -> list[ChangeTemplate]:
    """Recompute every template's failure rate; flag (and if configured demote) the failing ones.

    Safe to run twice: only a template that becomes flagged notifies the change managers.
    """
    settings = ChangeSettings.current()
    newly_flagged = []
    for template in ChangeTemplate.objects.all():
        completed = Change.objects.filter(template=template, state__in=(State.REVIEW, State.CLOSED)).exclude(
            outcome=""
        )
        total = completed.count()
        failed = completed.filter(outcome=Outcome.FAILED).count()
        induced = completed.exclude(outcome=Outcome.FAILED).filter(is_change_induced=True).count()
        rate = (failed + induced) / total if total else None
        failing = (
            rate is not None
            and total >= settings.template_min_completed
            and rate > settings.template_failure_threshold
        )
        with transaction.atomic():
            locked = ChangeTemplate.objects.select_for_update().get(pk=template.pk)
            became_flagged = failing and not locked.flagged
            locked.failure_rate, locked.completed_count = rate, total
            fields = ["failure_rate", "completed_count"]
            if became_flagged:
                locked.flagged = True
                fields.append("flagged")
                if settings.demote_flagged_templates:
                    locked.demoted = True
                    fields.append("demoted")
            locked.save(update_fields=fields)
            if became_flagged:
                audit_record(obj=locked, actor=None, before={"flagged": "False"}, after={"flagged": "True"})
                notifications.on_template_flagged(locked, demoted=locked.demoted)
                newly_flagged.append(locked)
    return newly_flagged
