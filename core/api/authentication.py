"""API token authentication that reads the user's roles in the same query.

Every API request checks roles (the permission scope, the serializer), and DRF's TokenAuthentication
reads the token and user in one query, then the roles cost a second one. Here the role group names
come with the token, aggregated into one string.
"""

from django.db.models import Aggregate, CharField
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

SEPARATOR = ","  # group names are ours (agents, managers, cab): none contains a comma


class _GroupNames(Aggregate):
    """The names joined by SEPARATOR: string_agg on PostgreSQL, group_concat on SQLite."""

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        token = (
            Token.objects.select_related("user")
            .annotate(role_names=_GroupNames("user__groups__name"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # What core.roles would otherwise query.
        token.user._role_groups = frozenset(
            name for name in (token.role_names or "").split(SEPARATOR) if name
        )
        return (token.user, token)
