from rest_framework import viewsets

from core.api.config import AuditedConfigMixin
from core.api.permissions import StaffWritesOthersRead
from org import selectors
from org.api.serializers import ConfigurationItemSerializer, ServiceSerializer, TeamSerializer
from org.filters import ConfigurationItemFilterSet, ServiceFilterSet, TeamFilterSet


class TeamViewSet(AuditedConfigMixin, viewsets.ModelViewSet):
    """Assignment groups. Everyone signed in reads; staff create and change."""

    serializer_class = TeamSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = TeamFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.team_list()


class ServiceViewSet(AuditedConfigMixin, viewsets.ModelViewSet):
    """Business services with their configuration items."""

    serializer_class = ServiceSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = ServiceFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "criticality", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.service_list()


class ConfigurationItemViewSet(AuditedConfigMixin, viewsets.ModelViewSet):
    serializer_class = ConfigurationItemSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = ConfigurationItemFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.configuration_item_list()
