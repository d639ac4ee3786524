"""Who hears about what happens to an incident. Messages render in each recipient's language."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import MANAGERS
from core.services.notifications import notification_enqueue_each
from incidents.models import IncidentSettings

User = get_user_model()


def _agent_link(incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _portal_link(incident) -> str:
    return reverse("incidents:portal_detail", args=[incident.pk])


def _team_recipients(incident):
    if incident.assignee_id:
        return [incident.assignee]
    team = incident.assignment_group
    if team is None:
        return []
    return list(team.members.filter(is_active=True).select_related("profile"))


def _send(recipients, *, incident, **message):
    notification_enqueue_each(recipients, number=incident.number, title=incident.title, **message)


def on_created(incident) -> None:
    _send(
        [incident.requester],
        event="incident.received",
        subject=_("%(number)s received: %(title)s"),
        body=_("We have logged your incident %(number)s and will keep you posted."),
        link=_portal_link(incident),
        incident=incident,
    )
    _send(
        _team_recipients(incident),
        event="incident.new",
        subject=_("New incident %(number)s: %(title)s"),
        body=_("A new incident was assigned to you or your team."),
        link=_agent_link(incident),
        incident=incident,
    )
    if incident.is_major:
        on_major(incident)


def on_assigned(incident) -> None:
    _send(
        [incident.assignee],
        event="incident.assigned",
        subject=_("%(number)s assigned to you: %(title)s"),
        body=_("You are now the assignee of %(number)s."),
        link=_agent_link(incident),
        incident=incident,
    )


def on_major(incident) -> None:
    recipients = []
    if IncidentSettings.current().major_incident_notify_managers:
        recipients = list(User.objects.filter(groups__name=MANAGERS, is_active=True))
    if incident.assignment_group_id and incident.assignment_group.manager_id:
        recipients.append(incident.assignment_group.manager)
    _send(
        recipients,
        event="incident.major",
        subject=_("MAJOR INCIDENT %(number)s: %(title)s"),
        body=_("%(number)s was declared a major incident."),
        link=_agent_link(incident),
        incident=incident,
    )


def on_transition(incident, *, source, actor) -> None:
    if incident.state == "resolved":
        _send(
            [incident.requester],
            event="incident.resolved",
            subject=_("%(number)s resolved: %(title)s"),
            body=_(
                "Your incident was resolved: %(notes)s\n\nHow did we do? Rate the service, or reopen the incident "
                "if the problem is still there."
            ),
            link=_portal_link(incident),
            incident=incident,
            notes=incident.resolution_notes,
        )
    elif source == "resolved" and incident.state == "in_progress":
        _send(
            _team_recipients(incident),
            event="incident.reopened",
            subject=_("%(number)s reopened: %(title)s"),
            body=_("The requester says the problem is still there."),
            link=_agent_link(incident),
            incident=incident,
        )


def on_comment(incident, entry) -> None:
    if entry.is_internal:
        return
    if entry.author_id == incident.requester_id:
        _send(
            [u for u in _team_recipients(incident) if u.pk != entry.author_id],
            event="incident.comment",
            subject=_("%(number)s: new comment from the requester"),
            body=_("New comment:\n\n%(comment)s"),
            link=_agent_link(incident),
            incident=incident,
            comment=entry.body,
        )
    else:
        _send(
            [incident.requester],
            event="incident.comment",
            subject=_("%(number)s: update from the service desk"),
            body=_("New comment:\n\n%(comment)s"),
            link=_portal_link(incident),
            incident=incident,
            comment=entry.body,
        )


def on_sla_event(incident, *, event, percent, action, team_manager=False) -> None:
    recipients = _team_recipients(incident)
    if team_manager and incident.assignment_group_id and incident.assignment_group.manager_id:
        recipients = [incident.assignment_group.manager]
    if event == "breached":
        subject = _("SLA breached on %(number)s: %(title)s")
    else:
        subject = _("SLA %(percent)s%% used on %(number)s: %(title)s")
    _send(
        recipients,
        event=f"incident.sla_{event}",
        subject=subject,
        body=_("The SLA clock of %(number)s has used %(percent)s%% of its target."),
        link=_agent_link(incident),
        incident=incident,
        percent=percent,
    )


def on_escalated_to_team(incident, team) -> None:
    _send(
        list(team.members.filter(is_active=True)),
        event="incident.escalated",
        subject=_("Escalated to your team: %(number)s %(title)s"),
        body=_("An SLA escalation moved %(number)s to your team."),
        link=_agent_link(incident),
        incident=incident,
    )
