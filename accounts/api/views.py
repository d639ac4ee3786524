from django.contrib.auth import get_user_model
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.serializers import UserSerializer
from core.roles import is_agent

User = get_user_model()


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People, for picking assignees and requesters. Agents see everyone; others only themselves."""

    serializer_class = UserSerializer
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering_fields = ["username", "id"]
    ordering = ["username"]
    filterset_fields = ["is_active", "groups"]

    def get_queryset(self):
        qs = User.objects.prefetch_related("groups")
        if not is_agent(self.request.user):
            qs = qs.filter(pk=self.request.user.pk)
        return qs

    @action(detail=False)
    def me(self, request):
        return Response(self.get_serializer(request.user).data)
