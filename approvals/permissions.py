"""Who may decide an approval step: its named users, or members of its group (roles for the role groups)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core import roles

ROLE_CHECKS = {roles.CAB: roles.is_cab, roles.MANAGERS: roles.is_manager, roles.AGENTS: roles.is_agent}


def is_eligible(user, step) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if any(u.pk == user.pk for u in step.users.all()):
        return True
    if step.group:
        check = ROLE_CHECKS.get(step.group)
        if check is not None:
            return check(user)
        return user.groups.filter(name=step.group).exists()
    return False


def eligible_users(step) -> QuerySet:
    """Everyone who may decide the step now (named users and the group's active members)."""
    users = get_user_model().objects.filter(is_active=True)
    condition = Q(pk__in=step.users.values("pk"))
    if step.group:
        condition |= Q(groups__name=step.group)
    return users.filter(condition).distinct().order_by("pk")
