from datetime import UTC

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import FieldsBuiltOnce
from incidents.choices import HoldReason, Level, ResolutionCode, State
from incidents.models import Category, Incident
from org.models import ConfigurationItem, Service, Team
from sla.selectors import sla_clock_data, ticket_clocks

User = get_user_model()


_FK_FIELDS = {
    "service",
    "configuration_item",
    "category",
    "assignment_group",
    "assignee",
    "requester",
    "problem",
    "caused_by_change",
}
_DATETIME_FIELDS = {
    "outage_start",
    "outage_end",
    "created_at",
    "updated_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "sla_due_at",
}


def _iso(value):
    """DRF's ISO 8601 rendering, always in UTC (API.md)."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class SlaClockSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["response", "resolution"])
    state = serializers.ChoiceField(choices=["running", "paused", "met", "breached", "cancelled"])
    due_at = serializers.DateTimeField(allow_null=True)
    elapsed_seconds = serializers.IntegerField()
    target_seconds = serializers.IntegerField()


class IncidentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    sla = serializers.SerializerMethodField()
    service = serializers.PrimaryKeyRelatedField(
        # routing reads the support team: fetched with the service
        queryset=Service.objects.filter(is_active=True).select_related("support_team"),
        allow_null=True,
        required=False,
    )
    configuration_item = serializers.PrimaryKeyRelatedField(
        queryset=ConfigurationItem.objects.all(), allow_null=True, required=False
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), allow_null=True, required=False
    )
    assignment_group = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), allow_null=True, required=False
    )
    caused_by_change = serializers.PrimaryKeyRelatedField(
        queryset=apps.get_model("changes", "Change").objects.all(), allow_null=True, required=False
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    requester = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "title",
            "description",
            "impact",
            "urgency",
            "priority",
            "state",
            "hold_reason",
            "channel",
            "service",
            "configuration_item",
            "category",
            "assignment_group",
            "assignee",
            "requester",
            "is_major",
            "outage_start",
            "outage_end",
            "created_at",
            "updated_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "resolution_code",
            "resolution_notes",
            "problem",
            "caused_by_change",
            "reopen_count",
            "reassignment_count",
            "sla_due_at",
            "sla_breached",
            "version",
            "sla",
        ]
        read_only_fields = [
            "number",
            "priority",
            "state",
            "hold_reason",
            "created_at",
            "updated_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "resolution_code",
            "resolution_notes",
            "problem",
            "reopen_count",
            "reassignment_count",
            "sla_due_at",
            "sla_breached",
            "version",
        ]

    @extend_schema_field(SlaClockSerializer(many=True))
    def get_sla(self, incident) -> list[dict]:
        now = self.context.get("now") or timezone.now()
        return [
            {
                "name": data["name"],
                "kind": data["kind"],
                "state": data["state"],
                "due_at": _iso(data["due_at"]),
                "elapsed_seconds": data["elapsed_seconds"],
                "target_seconds": data["target_seconds"],
            }
            for data in (sla_clock_data(clock, now=now) for clock in ticket_clocks(incident))
        ]

    def to_representation(self, incident):
        """Hand-written for speed (lists of many rows). The declared fields still drive input,
        validation and the OpenAPI schema; a test compares this with DRF's own rendering."""
        out = {}
        for name in self.Meta.fields:
            if name == "sla":
                out[name] = self.get_sla(incident)
            elif name in _FK_FIELDS:
                out[name] = getattr(incident, f"{name}_id")
            elif name in _DATETIME_FIELDS:
                out[name] = _iso(getattr(incident, name))
            else:
                out[name] = getattr(incident, name)
        return out


class RequesterIncidentSerializer(IncidentSerializer):
    """What a requester may set when reporting: words and the service; the desk sets the rest."""

    # Declared fields ignore Meta.read_only_fields: the agent serializer's are declared read-only here.
    impact = serializers.IntegerField(read_only=True)
    urgency = serializers.IntegerField(read_only=True)
    configuration_item = serializers.PrimaryKeyRelatedField(read_only=True)
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    assignment_group = serializers.PrimaryKeyRelatedField(read_only=True)
    caused_by_change = serializers.PrimaryKeyRelatedField(read_only=True)
    assignee = serializers.PrimaryKeyRelatedField(read_only=True)
    requester = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(IncidentSerializer.Meta):
        read_only_fields = [
            *IncidentSerializer.Meta.read_only_fields,
            "caused_by_change",
            "impact",
            "urgency",
            "configuration_item",
            "category",
            "assignment_group",
            "assignee",
            "requester",
            "is_major",
            "outage_start",
            "outage_end",
            "channel",
        ]


class TransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    hold_reason = serializers.ChoiceField(choices=HoldReason.choices, required=False, allow_blank=True)
    resolution_code = serializers.ChoiceField(
        choices=ResolutionCode.choices, required=False, allow_blank=True
    )
    resolution_notes = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "name_zh", "parent", "is_active"]
