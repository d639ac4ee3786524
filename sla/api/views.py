from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import StaffWritesOthersRead
from sla import selectors, services
from sla.api.serializers import BusinessCalendarSerializer, RecomputeRowSerializer, SlaPolicySerializer
from sla.filters import BusinessCalendarFilterSet, SlaPolicyFilterSet

RECOMPUTED = inline_serializer("SlaRecomputed", fields={"recomputed": serializers.IntegerField()})


class RecomputeActions:
    """POST …/{id}/recompute-preview/ lists what would change; POST …/{id}/recompute/ applies it (staff)."""

    recompute_target = ""  # "policy" or "calendar"

    @extend_schema(request=None, responses=RecomputeRowSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="recompute-preview")
    def recompute_preview(self, request, pk=None):
        rows = services.sla_recompute_preview(**{self.recompute_target: self.get_object()})
        return Response(RecomputeRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=RECOMPUTED)
    @action(detail=True, methods=["post"], url_path="recompute")
    def recompute(self, request, pk=None):
        count = services.sla_recompute_apply(**{self.recompute_target: self.get_object()}, actor=request.user)
        return Response({"recomputed": count})


class BusinessCalendarViewSet(RecomputeActions, viewsets.ModelViewSet):
    """Business calendars with working hours, holidays and make-up working days. Staff write."""

    serializer_class = BusinessCalendarSerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = BusinessCalendarFilterSet
    search_fields = ["name", "timezone"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]
    recompute_target = "calendar"

    def get_queryset(self):
        return selectors.calendar_list()

    def perform_create(self, serializer):
        serializer.instance = services.calendar_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.calendar_save(
            actor=self.request.user, calendar=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.sla_config_delete(actor=self.request.user, obj=instance)


class SlaPolicyViewSet(RecomputeActions, viewsets.ModelViewSet):
    """SLA policies: which tickets (type, priority, service) get which targets on which calendar."""

    serializer_class = SlaPolicySerializer
    permission_classes = [StaffWritesOthersRead]
    filterset_class = SlaPolicyFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "priority", "applies_to", "id"]
    ordering = ["applies_to", "priority", "name"]
    recompute_target = "policy"

    def get_queryset(self):
        return selectors.policy_list()

    def perform_create(self, serializer):
        serializer.instance = services.policy_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.policy_save(
            actor=self.request.user, policy=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.sla_config_delete(actor=self.request.user, obj=instance)
