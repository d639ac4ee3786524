"""Who may see and do what with incidents. One scope function for the UI and the API."""

from django.db.models import QuerySet

from core.roles import is_agent
from incidents.choices import State
from incidents.models import Incident


def incident_scope(user, qs: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
    qs = Incident.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_agent(user):
        return qs
    return qs.filter(requester=user)


def can_view(user, incident: Incident) -> bool:
    return user.is_authenticated and (is_agent(user) or incident.requester_id == user.pk)


def can_work(user, incident: Incident) -> bool:
    return is_agent(user)


# What a requester may do with their own incident: withdraw it, confirm or reopen the resolution.
REQUESTER_TRANSITIONS = {
    (State.NEW, State.CANCELLED),
    (State.RESOLVED, State.CLOSED),
    (State.RESOLVED, State.IN_PROGRESS),
}


def can_transition(user, incident: Incident, target: str) -> bool:
    if is_agent(user):
        return True
    return incident.requester_id == user.pk and (incident.state, target) in REQUESTER_TRANSITIONS


def can_rate(user, incident: Incident) -> bool:
    return incident.requester_id == user.pk and incident.state in (State.RESOLVED, State.CLOSED)
