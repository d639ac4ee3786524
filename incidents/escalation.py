"""What SLA warnings, breaches and escalation rules do to an incident (called by the sla app)."""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.services.timeline import EventText, timeline_event
from incidents import notifications
from incidents.models import Incident

logger = logging.getLogger(__name__)


def handle_sla_event(*, ticket, clock, event, percent, action=None, rule=None) -> None:
    incident = Incident.objects.select_related("assignment_group", "assignee").filter(pk=ticket.pk).first()
    if incident is None or not incident.is_open:
        return
    if event in ("warned", "breached"):
        notifications.on_sla_event(incident, event=event, percent=percent, action=None)
        if event == "breached":
            Incident.objects.filter(pk=incident.pk).update(sla_breached=True)
        return
    if action == "notify_assignee":
        notifications.on_sla_event(incident, event="warned", percent=percent, action=action)
    elif action == "notify_manager":
        notifications.on_sla_event(
            incident, event="warned", percent=percent, action=action, team_manager=True
        )
    elif action == "raise_priority":
        _raise_priority(incident, percent)
    elif action == "reassign" and rule is not None and rule.team_id:
        _reassign(incident, rule.team, percent)


def _raise_priority(incident: Incident, percent: int) -> None:
    from incidents.services import _sync_sla  # the one place that keeps the denormalised SLA fields
    from sla import services as sla

    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.priority <= 1:
            return
        old = incident.priority
        incident.priority = old - 1
        incident.version += 1
        sla.sla_clocks_reprioritize(
            ticket=incident,
            applies_to="incident",
            priority=incident.priority,
            service_id=incident.service_id,
            reason=EventText(gettext_lazy("escalation at %(percent)s%%"), {"percent": percent}),
        )
        _sync_sla(incident)
        incident.save(update_fields=["priority", "version", "sla_due_at", "sla_breached", "updated_at"])
        timeline_event(
            ticket=incident,
            code="escalated",
            text=EventText(
                gettext_lazy("SLA escalation at %(percent)s%%: priority raised from P%(old)d to P%(new)d."),
                {"percent": percent, "old": old, "new": incident.priority},
            ),
        )


def _reassign(incident: Incident, team, percent: int) -> None:
    from incidents.services import _sync_sla
    from sla import services as sla

    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.assignment_group_id == team.pk:
            return
        incident.assignment_group = team
        incident.assignee = None
        incident.reassignment_count += 1
        incident.version += 1
        sla.sla_team_change(ticket=incident, team_id=team.pk)
        _sync_sla(incident)
        incident.save(
            update_fields=[
                "assignment_group",
                "assignee",
                "reassignment_count",
                "version",
                "sla_due_at",
                "sla_breached",
                "updated_at",
            ]
        )
        timeline_event(
            ticket=incident,
            code="escalated",
            text=EventText(
                gettext_lazy("SLA escalation at %(percent)s%%: reassigned to %(team)s."),
                {"percent": percent, "team": team.name},
            ),
        )
    notifications.on_escalated_to_team(incident, team)
