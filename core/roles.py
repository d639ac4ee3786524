"""Roles are Django groups. Any active user is a requester; staff configure.

Managers work tickets too, so every manager check also passes the agent check.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Aggregate, CharField

AGENTS = "agents"
MANAGERS = "managers"
CAB = "cab"
ROLE_GROUPS = (AGENTS, MANAGERS, CAB)


GROUP_NAME_SEPARATOR = ","  # role group names are ours (agents, managers, cab): none contains a comma


class GroupNames(Aggregate):
    """A user's group names in one string, for loading a user with their roles in one query:
    string_agg on PostgreSQL, group_concat on SQLite. `remember_roles` reads it back."""

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{GROUP_NAME_SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def remember_roles(user, group_names: str | None) -> None:
    """Keep the group names loaded with the user (GroupNames), so role checks need no query."""
    user._role_groups = frozenset(name for name in (group_names or "").split(GROUP_NAME_SEPARATOR) if name)


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
