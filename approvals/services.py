"""Every write to approvals. The owning process hears of outcomes through approvals.hooks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals import hooks
from approvals.models import ApprovalDecision, ApprovalRequest, ApprovalState, ApprovalStep, Decision, Mode
from approvals.permissions import eligible_users, is_eligible
from approvals.signing import approval_link_token
from core.services.notifications import notification_enqueue_translated
from core.services.timeline import EventText, timeline_event


def _notify_approvers(step: ApprovalStep, *, reminder: bool = False) -> int:
    target = step.request.target
    decided = set(step.decisions.values_list("approver_id", flat=True))
    subject = (
        gettext_lazy("Reminder: approval waiting: %(target)s")
        if reminder
        else gettext_lazy("Approval needed: %(target)s")
    )
    body = gettext_lazy("%(step)s: please approve or reject %(target)s. The link below opens a confirm page.")
    sent = 0
    for user in eligible_users(step):
        if user.pk in decided:
            continue
        link = reverse("approvals:link", args=[approval_link_token(step=step, user=user)])
        notification_enqueue_translated(
            recipient=user,
            event="approval.reminder" if reminder else "approval.requested",
            subject=subject,
            body=body,
            link=link,
            target=str(target)[:150],
            step=step.name,
        )
        sent += 1
    return sent


def _activate(step: ApprovalStep, now) -> None:
    step.activated_at = now
    step.save(update_fields=["activated_at"])
    _notify_approvers(step)


def approval_request(*, target, steps: list[dict], requested_by, at=None) -> ApprovalRequest:
    """steps: [{"name", "group" (role group name) and/or "users", "mode": "any"|"all"}], decided in order."""
    if not steps:
        raise ValidationError({"steps": _("An approval needs at least one step.")}, code="no_steps")
    for spec in steps:
        if not spec.get("group") and not spec.get("users"):
            raise ValidationError({"steps": _("Each step needs approvers.")}, code="no_approvers")
        if spec.get("mode", Mode.ANY) not in Mode.values:
            raise ValidationError({"steps": _("Unknown approval mode.")}, code="mode")
    now = at or timezone.now()
    with transaction.atomic():
        request = ApprovalRequest.objects.create(target=target, requested_by=requested_by, created_at=now)
        created = []
        for order, spec in enumerate(steps, start=1):
            step = ApprovalStep.objects.create(
                request=request,
                order=order,
                name=str(spec["name"])[:100],
                group=spec.get("group", ""),
                mode=spec.get("mode", Mode.ANY),
            )
            if spec.get("users"):
                step.users.set(spec["users"])
            created.append(step)
        _activate(created[0], now)
    return request


def _lock_request(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().get(pk=request.pk)


def active_step(request: ApprovalRequest) -> ApprovalStep | None:
    return (
        request.steps.filter(state=ApprovalState.PENDING, activated_at__isnull=False)
        .order_by("order")
        .first()
    )


def approval_decide(
    *,
    approver,
    decision: str,
    comment: str = "",
    approval_step: ApprovalStep | None = None,
    request: ApprovalRequest | None = None,
    at=None,
) -> ApprovalDecision:
    """Record one approver's decision on the active step (of the given request, or the given step)."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approved or rejected.")}, code="decision")
    comment = (comment or "").strip()
    if decision == Decision.REJECTED and not comment:
        raise ValidationError({"comment": _("Say why you reject it.")}, code="reason_required")
    now = at or timezone.now()
    with transaction.atomic():
        request = _lock_request(request if request is not None else approval_step.request)
        if request.state != ApprovalState.PENDING:
            raise ValidationError(
                {
                    "decision": _("This approval is already %(state)s.")
                    % {"state": request.get_state_display()}
                },
                code="closed",
            )
        step = active_step(request)
        if step is None or (approval_step is not None and approval_step.pk != step.pk):
            raise ValidationError(
                {"decision": _("This step is not waiting for a decision.")}, code="inactive"
            )
        if not is_eligible(approver, step):
            raise PermissionDenied(_("You are not an approver of %(step)s.") % {"step": step.name})
        if step.decisions.filter(approver=approver).exists():
            raise ValidationError({"decision": _("You have already decided this step.")}, code="duplicate")
        record = ApprovalDecision.objects.create(
            step=step, approver=approver, decision=decision, comment=comment, created_at=now
        )
        target = request.target
        timeline_event(
            ticket=target,
            code="approval",
            actor=approver,
            at=now,
            text=EventText(
                gettext_lazy("%(step)s: %(decision)s"),
                {"step": step.name, "decision": Decision(decision).label},
                note=comment,
            ),
            data={"step": step.pk, "decision": decision},
        )
        event = None
        if decision == Decision.REJECTED:
            step.state = ApprovalState.REJECTED
            request.state = ApprovalState.REJECTED
            request.reason = comment
            event = "rejected"
        elif step.mode == Mode.ANY or _all_approved(step):
            step.state = ApprovalState.APPROVED
            following = request.steps.filter(order__gt=step.order, state=ApprovalState.PENDING).order_by(
                "order"
            )
            nxt = following.first()
            if nxt is None:
                request.state = ApprovalState.APPROVED
                event = "approved"
            else:
                _activate(nxt, now)
                event = "step_approved"
        if event is not None:
            step.decided_at = now
            step.save(update_fields=["state", "decided_at"])
            if request.state != ApprovalState.PENDING:
                request.decided_at = now
                request.save(update_fields=["state", "reason", "decided_at"])
            hooks.call_after_commit(request=request, step=step, event=event)
    return record


def _all_approved(step: ApprovalStep) -> bool:
    approved = set(step.decisions.filter(decision=Decision.APPROVED).values_list("approver_id", flat=True))
    return set(eligible_users(step).values_list("pk", flat=True)) <= approved


def approval_cancel(*, request: ApprovalRequest, actor, reason: str = "", at=None) -> ApprovalRequest:
    """Withdraw a pending approval (the owning record was cancelled or changed). Safe to call twice."""
    now = at or timezone.now()
    with transaction.atomic():
        request = _lock_request(request)
        if request.state != ApprovalState.PENDING:
            return request
        request.state = ApprovalState.CANCELLED
        request.reason = reason
        request.decided_at = now
        request.save(update_fields=["state", "reason", "decided_at"])
        request.steps.filter(state=ApprovalState.PENDING).update(
            state=ApprovalState.CANCELLED, decided_at=now
        )
        hooks.call_after_commit(request=request, step=None, event="cancelled")
    return request


def approvals_remind(*, hours: int = 24, now=None) -> int:
    """Re-notify approvers of steps waiting longer than `hours` since activation or the last reminder."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=hours)
    sent = 0
    steps = ApprovalStep.objects.filter(
        state=ApprovalState.PENDING, request__state=ApprovalState.PENDING, activated_at__lte=cutoff
    ).exclude(reminded_at__gt=cutoff)
    for step in steps.select_related("request"):
        with transaction.atomic():
            # The conditional update claims the step, so two workers never remind twice.
            claimed = (
                ApprovalStep.objects.filter(pk=step.pk)
                .exclude(reminded_at__gt=cutoff)
                .update(reminded_at=now)
            )
            if claimed:
                sent += _notify_approvers(step, reminder=True)
    return sent
