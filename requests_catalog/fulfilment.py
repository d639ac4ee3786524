"""Fulfilment: tasks from the item's templates (steps in order, tasks of one step in parallel) and automation.

Automation never holds a lock across the network call: a conditional update claims the request,
the action runs outside any transaction, and the result is recorded in a new one.
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import StaleVersionError
from core.queue import enqueue_on_commit
from core.roles import is_agent
from core.services.timeline import EventText, timeline_event
from requests_catalog import automation, notifications
from requests_catalog.choices import TASK_TRANSITIONS, AutomationState, State, TaskState
from requests_catalog.models import RequestTask, ServiceRequest

logger = logging.getLogger(__name__)

AUTOMATION_MAX_ATTEMPTS = 3
AUTOMATION_BACKOFF_SECONDS = (30, 120, 600)
AUTOMATION_STALE_AFTER = timedelta(minutes=10)
ACTIVE_AUTOMATION = (AutomationState.QUEUED, AutomationState.RUNNING, AutomationState.RETRYING)


def _open_step(request: ServiceRequest, at) -> list[RequestTask]:
    """Open the earliest waiting step once nothing of an earlier step is still open."""
    if request.tasks.filter(state__in=[TaskState.OPEN, TaskState.IN_PROGRESS]).exists():
        return []
    pending = list(
        request.tasks.filter(state=TaskState.PENDING).select_related("team").order_by("step", "id")
    )
    if not pending:
        return []
    step = pending[0].step
    opened = [t for t in pending if t.step == step]
    for task in opened:
        task.state = TaskState.OPEN
        task.opened_at = at
        task.version += 1
        task.save(update_fields=["state", "opened_at", "version"])
        transaction.on_commit(lambda task=task: notifications.on_task_opened(task))
    if opened[0].team_id and request.assignment_group_id != opened[0].team_id:
        ServiceRequest.objects.filter(pk=request.pk).update(assignment_group_id=opened[0].team_id)
        request.assignment_group_id = opened[0].team_id
    timeline_event(
        ticket=request,
        code="tasks_opened",
        at=at,
        text=EventText(
            gettext_lazy("Step %(step)d started: %(tasks)s"),
            {"step": step, "tasks": ", ".join(t.title for t in opened)},
        ),
    )
    return opened


def _task_from_template(request: ServiceRequest, template) -> RequestTask:
    return RequestTask(
        request=request,
        template=template,
        step=template.step,
        title=template.title,
        title_zh=template.title_zh,
        instructions=template.instructions,
        visible_fields=template.visible_fields,
        team_id=template.team_id,
    )


def fulfilment_start(*, request: ServiceRequest, actor, at, reason: str = "") -> None:
    """The request entered fulfilling (caller saves it): create and open tasks, or queue the automation."""
    item = request.item
    if reason:  # reopened by the requester: a person follows up
        RequestTask.objects.create(
            request=request,
            step=max([t.step for t in request.tasks.all()] or [0]) + 1,
            title=_("Follow up: %(reason)s") % {"reason": reason[:150]},
            instructions=reason,
            team_id=request.assignment_group_id or item.fulfilment_team_id,
        )
    elif item.is_automated and not request.automation_state:
        request.automation_state = AutomationState.QUEUED
        request.automation_next_at = at
        request_id = request.pk
        from requests_catalog.tasks import run_request_automation

        enqueue_on_commit(run_request_automation, request_id)
        return
    elif not request.tasks.exists():
        templates = list(item.task_templates.all())
        if templates:
            RequestTask.objects.bulk_create([_task_from_template(request, t) for t in templates])
        else:
            RequestTask.objects.create(
                request=request,
                title=_("Fulfil: %(item)s") % {"item": item.name},
                team_id=item.fulfilment_team_id,
            )
    _open_step(request, at)


def tasks_cancel(*, request: ServiceRequest, at) -> int:
    return request.tasks.filter(state__in=[TaskState.PENDING, TaskState.OPEN, TaskState.IN_PROGRESS]).update(
        state=TaskState.CANCELLED, completed_at=at
    )


# --- tasks ------------------------------------------------------------------------------------------


def _lock_task(task: RequestTask, expected_version: int | None) -> RequestTask:
    locked = RequestTask.objects.select_for_update(of=("self",)).select_related("request").get(pk=task.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError(current_version=locked.version)
    return locked


def _check_move(task: RequestTask, target: str) -> None:
    if target not in TASK_TRANSITIONS.get(task.state, ()):
        raise ValidationError(
            {
                "state": _("A task cannot move from %(from)s to %(to)s.")
                % {
                    "from": TaskState(task.state).label,
                    "to": TaskState(target).label if target in TaskState.values else target,
                }
            },
            code="transition",
        )


def task_transition(
    *, actor, task: RequestTask, state: str, notes: str = "", version: int | None = None, at=None
) -> RequestTask:
    """Start, put back, complete or cancel a task; the request moves on when its tasks are done."""
    if not is_agent(actor):
        raise PermissionDenied(_("Only agents work fulfilment tasks."))
    now = at or timezone.now()
    notes = (notes or "").strip()
    from requests_catalog import lifecycle

    with transaction.atomic():
        task = _lock_task(task, version)
        _check_move(task, state)
        if state == TaskState.CANCELLED and not notes:
            raise ValidationError({"notes": _("Say why the task is cancelled.")}, code="reason_required")
        request = lifecycle.lock(task.request)
        task.state = state
        task.version += 1
        fields = ["state", "version"]
        if notes:
            task.notes = f"{task.notes}\n{notes}".strip()
            fields.append("notes")
        if state == TaskState.IN_PROGRESS:
            task.started_at = task.started_at or now
            if task.assignee_id is None:
                task.assignee = actor
                fields.append("assignee")
            fields.append("started_at")
            lifecycle.record_response(request=request, at=now)
        elif state in (TaskState.DONE, TaskState.CANCELLED):
            task.completed_at = now
            task.completed_by = actor
            fields += ["completed_at", "completed_by"]
        task.save(update_fields=fields)
        timeline_event(
            ticket=request,
            code="task",
            actor=actor,
            at=now,
            text=EventText(
                gettext_lazy("Task “%(task)s”: %(state)s"),
                {"task": task.title, "state": TaskState(state).label},
                note=notes or "",
            ),
            internal=True,
            data={"task": task.pk, "state": state},
        )
        if state in (TaskState.DONE, TaskState.CANCELLED):
            _open_step(request, now)
            lifecycle.request_fulfil_if_done(request=request, actor=actor, at=now)
    return task


def task_assign(*, actor, task: RequestTask, assignee, version: int | None = None, at=None) -> RequestTask:
    if not is_agent(actor):
        raise PermissionDenied(_("Only agents assign fulfilment tasks."))
    if assignee is not None and not is_agent(assignee):
        raise ValidationError({"assignee": _("Only agents can be assigned tasks.")}, code="not_agent")
    with transaction.atomic():
        task = _lock_task(task, version)
        if task.state in (TaskState.DONE, TaskState.CANCELLED):
            raise ValidationError({"state": _("This task is finished.")}, code="finished")
        task.assignee = assignee
        task.version += 1
        task.save(update_fields=["assignee", "version"])
        timeline_event(
            ticket=task.request,
            code="task_assigned",
            actor=actor,
            at=at or timezone.now(),
            internal=True,
            text=EventText(
                gettext_lazy("Task “%(task)s” assigned to %(user)s"),
                {"task": task.title, "user": assignee.get_username() if assignee else "—"},
            ),
        )
    return task


# --- automation ---------------------------------------------------------------------------------------


def _claim(request_id: int, now) -> ServiceRequest | None:
    claimed = ServiceRequest.objects.filter(
        pk=request_id,
        state=State.FULFILLING,
        automation_state__in=[AutomationState.QUEUED, AutomationState.RETRYING],
        automation_next_at__lte=now,
    ).update(automation_state=AutomationState.RUNNING, automation_next_at=now)
    if not claimed:
        return None
    return ServiceRequest.objects.select_related("item", "requester").get(pk=request_id)


def automation_run(*, request_id: int, now=None) -> str:
    """Run the item's automation once for a claimed request; returns the resulting automation state."""
    fixed_now = now  # demo data and tests pass a time; live runs record when the action finished
    request = _claim(request_id, now or timezone.now())
    if request is None:
        return "skipped"
    try:
        result = automation.run(request)  # outside any transaction: may call the network
    except automation.AutomationError as exc:
        return _automation_failed(request_id, str(exc), fixed_now or timezone.now())
    except Exception as exc:  # noqa: BLE001 - any bug in an action hands the request to a person
        logger.exception("automation crashed for request %s", request_id)
        return _automation_failed(request_id, f"{type(exc).__name__}: {exc}", fixed_now or timezone.now())
    return _automation_succeeded(request_id, result, fixed_now or timezone.now())


def _automation_succeeded(request_id: int, result: str, now) -> str:
    from requests_catalog import lifecycle

    with transaction.atomic():
        request = lifecycle.lock(ServiceRequest(pk=request_id))
        if request.automation_state != AutomationState.RUNNING:
            return request.automation_state
        request.automation_state = AutomationState.SUCCEEDED
        request.automation_attempts += 1
        request.automation_next_at = None
        request.automation_error = ""
        request.save(
            update_fields=[
                "automation_state",
                "automation_attempts",
                "automation_next_at",
                "automation_error",
            ]
        )
        timeline_event(
            ticket=request,
            code="automation",
            at=now,
            text=EventText(gettext_lazy("Fulfilled automatically: %(result)s"), {"result": str(result)}),
        )
        lifecycle.request_fulfil_if_done(request=request, actor=None, at=now)
    return AutomationState.SUCCEEDED


def _automation_failed(request_id: int, error: str, now) -> str:
    from requests_catalog import lifecycle

    with transaction.atomic():
        request = lifecycle.lock(ServiceRequest(pk=request_id))
        if request.automation_state != AutomationState.RUNNING:
            return request.automation_state
        request.automation_attempts += 1
        request.automation_error = error[:2000]
        attempt = request.automation_attempts
        if attempt < AUTOMATION_MAX_ATTEMPTS:
            delay = AUTOMATION_BACKOFF_SECONDS[min(attempt - 1, len(AUTOMATION_BACKOFF_SECONDS) - 1)]
            request.automation_state = AutomationState.RETRYING
            request.automation_next_at = now + timedelta(seconds=delay)
            text = gettext_lazy(
                "Automatic fulfilment failed (attempt %(n)d of %(max)d), retrying in %(delay)d s: %(error)s"
            )
        else:
            request.automation_state = AutomationState.FAILED
            request.automation_next_at = None
            text = gettext_lazy(
                "Automatic fulfilment failed %(max)d times and was handed to a person: %(error)s"
            )
            RequestTask.objects.create(
                request=request,
                step=1,
                title=_("Fulfil by hand (automation failed): %(item)s") % {"item": request.item.name},
                instructions=_("The automation failed with: %(error)s") % {"error": error[:500]},
                team_id=request.item.fulfilment_team_id or request.assignment_group_id,
                is_automation_fallback=True,
            )
            _open_step(request, now)
            transaction.on_commit(lambda: notifications.on_automation_failed(request, error))
        request.save(
            update_fields=[
                "automation_state",
                "automation_attempts",
                "automation_next_at",
                "automation_error",
            ]
        )
        params = {"n": attempt, "max": AUTOMATION_MAX_ATTEMPTS, "error": error[:300], "delay": 0}
        if request.automation_next_at is not None:
            params["delay"] = int((request.automation_next_at - now).total_seconds())
        timeline_event(
            ticket=request, code="automation_failed", at=now, internal=True, text=EventText(text, params)
        )
    return request.automation_state


def automation_due_ids(*, now=None, limit: int = 100) -> list[int]:
    """Requests whose automation should run now; a run left RUNNING by a dead worker is retried."""
    now = now or timezone.now()
    ServiceRequest.objects.filter(
        automation_state=AutomationState.RUNNING, automation_next_at__lt=now - AUTOMATION_STALE_AFTER
    ).update(automation_state=AutomationState.RETRYING)
    return list(
        ServiceRequest.objects.filter(
            state=State.FULFILLING,
            automation_state__in=[AutomationState.QUEUED, AutomationState.RETRYING],
            automation_next_at__lte=now,
        )
        .order_by("automation_next_at")
        .values_list("pk", flat=True)[:limit]
    )
