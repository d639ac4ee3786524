"""API token authentication that reads the user's roles in the same query.

Every API request checks roles (the permission scope, the serializer), and DRF's TokenAuthentication
reads the token and user in one query, then the roles cost a second one. Here the role group names
come with the token, aggregated into one string, and so does the user's profile (their language, for
the messages a request sends them).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from core.roles import GroupNames, remember_roles


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        token = (
            Token.objects.select_related("user", "user__profile")
            .annotate(role_names=GroupNames("user__groups__name"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(token.user, token.role_names)
        return (token.user, token)
