"""What SLA warnings, breaches and escalation rules do to a service request (called by the sla app)."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.services.notifications import notification_enqueue_each
from core.services.timeline import EventText, timeline_event
from requests_catalog.choices import OPEN_TASK_STATES
from requests_catalog.models import RequestTask, ServiceRequest


def _people_on_it(request: ServiceRequest, *, managers: bool) -> list:
    tasks = RequestTask.objects.filter(request=request, state__in=OPEN_TASK_STATES).select_related(
        "assignee", "team__manager"
    )
    people = []
    for task in tasks:
        if managers:
            people.append(task.team.manager if task.team_id else None)
        elif task.assignee_id:
            people.append(task.assignee)
        elif task.team_id:
            people.extend(task.team.members.all())
    return people


def _notify(request, *, percent: int, managers: bool, breached: bool) -> None:
    from django.urls import reverse

    notification_enqueue_each(
        _people_on_it(request, managers=managers),
        event="request.sla",
        subject=gettext_lazy("SLA breached: %(number)s %(title)s")
        if breached
        else gettext_lazy("SLA at %(percent)s%%: %(number)s %(title)s"),
        body=gettext_lazy("The service request %(number)s has used %(percent)s%% of its SLA target."),
        link=reverse("requests_catalog:detail", args=[request.pk]),
        number=request.number,
        title=request.title,
        percent=percent,
    )


def handle_sla_event(*, ticket, clock, event, percent, action=None, rule=None) -> None:
    request = ServiceRequest.objects.filter(pk=ticket.pk).first()
    if request is None or not request.is_open:
        return
    if event in ("warned", "breached"):
        _notify(request, percent=percent, managers=False, breached=event == "breached")
        if event == "breached":
            ServiceRequest.objects.filter(pk=request.pk).update(sla_breached=True)
        return
    if action in ("notify_assignee", "notify_manager"):
        _notify(request, percent=percent, managers=action == "notify_manager", breached=False)
    elif action == "raise_priority":
        _raise_priority(request, percent)
    elif action == "reassign" and rule is not None and rule.team_id:
        moved = RequestTask.objects.filter(request=request, state__in=OPEN_TASK_STATES).exclude(
            team_id=rule.team_id
        )
        if moved.update(team_id=rule.team_id, assignee=None):
            timeline_event(
                ticket=request,
                code="escalated",
                text=EventText(
                    gettext_lazy("SLA escalation at %(percent)s%%: open tasks moved to %(team)s."),
                    {"percent": percent, "team": rule.team.name},
                ),
            )


def _raise_priority(request: ServiceRequest, percent: int) -> None:
    from requests_catalog import lifecycle
    from sla import services as sla

    with transaction.atomic():
        request = lifecycle.lock(request)
        if request.priority <= 1:
            return
        old = request.priority
        request.priority = old - 1
        request.version += 1
        sla.sla_clocks_reprioritize(
            ticket=request,
            applies_to=lifecycle.APPLIES_TO,
            priority=request.priority,
            service_id=request.service_id,
            reason=EventText(gettext_lazy("escalation at %(percent)s%%"), {"percent": percent}),
        )
        lifecycle.sync_sla(request)
        request.save(update_fields=["priority", "version", "sla_due_at", "sla_breached", "updated_at"])
        timeline_event(
            ticket=request,
            code="escalated",
            text=EventText(
                gettext_lazy("SLA escalation at %(percent)s%%: priority raised from P%(old)d to P%(new)d."),
                {"percent": percent, "old": old, "new": request.priority},
            ),
        )
