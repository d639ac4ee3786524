"""Assignment: which team gets a new incident, and which member within the team."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q

from incidents.choices import OPEN_STATES, AssignStrategy
from incidents.models import AssignmentRule

User = get_user_model()


def route(*, service, category):
    """The first active rule (by order) matching service and category; else the service's support team."""
    categories = [c for c in (category, getattr(category, "parent", None)) if c is not None]
    rules = (
        AssignmentRule.objects.filter(is_active=True)
        .filter(Q(service=service) | Q(service__isnull=True) if service else Q(service__isnull=True))
        .filter(
            Q(category__in=categories) | Q(category__isnull=True) if categories else Q(category__isnull=True)
        )
        .select_related("team")
        .order_by("order", "id")
    )
    for rule in rules:
        if rule.team.is_active:
            return rule.team, rule.strategy
    if service is not None and service.support_team_id and service.support_team.is_active:
        return service.support_team, AssignStrategy.TEAM_ONLY
    return None, AssignStrategy.TEAM_ONLY


def pick_assignee(*, team, strategy):
    if team is None or strategy == AssignStrategy.TEAM_ONLY:
        return None
    members = User.objects.filter(teams=team, is_active=True)
    if strategy == AssignStrategy.LEAST_LOADED:
        members = members.annotate(
            load=Count("assigned_incidents", filter=Q(assigned_incidents__state__in=OPEN_STATES))
        ).order_by("load", "id")
    else:  # round-robin: the member whose last assignment in this team is oldest goes next
        members = members.annotate(
            last=Max("assigned_incidents__created_at", filter=Q(assigned_incidents__assignment_group=team))
        ).order_by(F("last").asc(nulls_first=True), "id")
    return members.first()
