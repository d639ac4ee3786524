"""Roles are Django groups. Any active user is a requester; staff configure.

Managers work tickets too, so every manager check also passes the agent check.
"""

from django.contrib.auth.models import AnonymousUser, User

AGENTS = "agents"
MANAGERS = "managers"
CAB = "cab"
ROLE_GROUPS = (AGENTS, MANAGERS, CAB)


def _groups(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_groups = cached
    return cached


def is_agent(user: User | AnonymousUser) -> bool:
    return bool({AGENTS, MANAGERS} & _groups(user)) or (user.is_authenticated and user.is_superuser)


def is_manager(user: User | AnonymousUser) -> bool:
    return MANAGERS in _groups(user) or (user.is_authenticated and user.is_superuser)


def is_cab(user: User | AnonymousUser) -> bool:
    return CAB in _groups(user) or (user.is_authenticated and user.is_superuser)


def is_staff(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
