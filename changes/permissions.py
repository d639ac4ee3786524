"""Who may see and do what with changes. Requesters never see changes (404); agents and CAB work them."""

from django.db.models import QuerySet

from changes.models import Change
from core.roles import is_agent, is_cab, is_manager


def change_scope(user, qs: QuerySet[Change] | None = None) -> QuerySet[Change]:
    qs = Change.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs if can_see_changes(user) else qs.none()


def can_see_changes(user) -> bool:
    return is_agent(user) or is_cab(user)


def can_view(user, change: Change) -> bool:
    return user.is_authenticated and can_see_changes(user)


def can_work(user, change: Change) -> bool:
    return user.is_authenticated and can_see_changes(user)


def can_manage_templates(user) -> bool:
    return is_manager(user)
