from rest_framework import viewsets

from core.api.permissions import StaffWritesOthersRead
from org import selectors, services
from org.api.serializers import ConfigurationItemSerializer, ServiceSerializer, TeamSerializer
from org.filters import ConfigurationItemFilterSet, ServiceFilterSet, TeamFilterSet


class TeamViewSet(viewsets.ModelViewSet):
    """Assignment groups. Everyone signed in reads; staff create and change."""

    serializer_class = TeamSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = TeamFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.team_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.team_save(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.team_save(actor=self.request.user, team=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.org_object_delete(actor=self.request.user, obj=instance)


class ServiceViewSet(viewsets.ModelViewSet):
    """Business services with their configuration items."""

    serializer_class = ServiceSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = ServiceFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "criticality", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.service_list()

    def perform_create(self, serializer):
        serializer.instance = services.service_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.service_save(
            actor=self.request.user, service=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.org_object_delete(actor=self.request.user, obj=instance)


class ConfigurationItemViewSet(viewsets.ModelViewSet):
    serializer_class = ConfigurationItemSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = ConfigurationItemFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.configuration_item_list()

    def perform_create(self, serializer):
        serializer.instance = services.configuration_item_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.configuration_item_save(
            actor=self.request.user, item=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.org_object_delete(actor=self.request.user, obj=instance)
