from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.selectors import approval_data
from changes.choices import ChangeType, Outcome, Risk, State
from changes.models import Change, ChangeTemplate
from core.api.serializers import FieldsBuiltOnce
from org.models import ConfigurationItem, Service, Team


class ChangeTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeTemplate
        fields = [
            "id",
            "name",
            "description",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "risk",
            "allowed_windows",
            "duration_minutes",
            "services",
            "implementer_team",
            "owner",
            "is_active",
            "failure_rate",
            "completed_count",
            "flagged",
            "demoted",
        ]
        read_only_fields = ["failure_rate", "completed_count", "flagged"]


class ChangeConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["change", "freeze"])
    reason = serializers.CharField()


class ChangeSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=ChangeType.choices)
    template = serializers.PrimaryKeyRelatedField(
        queryset=ChangeTemplate.objects.all(), allow_null=True, required=False
    )
    risk = serializers.ChoiceField(choices=Risk.choices, required=False)
    services = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.filter(is_active=True), many=True, required=False
    )
    configuration_items = serializers.PrimaryKeyRelatedField(
        queryset=ConfigurationItem.objects.all(), many=True, required=False
    )
    implementer_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), allow_null=True, required=False
    )
    risk_answers = serializers.DictField(child=serializers.IntegerField(), required=False)
    approvals = serializers.SerializerMethodField()
    conflicts = serializers.SerializerMethodField()

    class Meta:
        model = Change
        fields = [
            "id",
            "number",
            "type",
            "template",
            "title",
            "description",
            "justification",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "state",
            "risk",
            "risk_score",
            "risk_answers",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "services",
            "configuration_items",
            "implementer_team",
            "requester",
            "outcome",
            "review_notes",
            "rejection_reason",
            "is_change_induced",
            "needs_review",
            "freeze_bypassed",
            "created_at",
            "updated_at",
            "version",
            "approvals",
            "conflicts",
        ]
        read_only_fields = [
            "number",
            "state",
            "risk_score",
            "actual_start",
            "actual_end",
            "requester",
            "outcome",
            "rejection_reason",
            "is_change_induced",
            "needs_review",
            "freeze_bypassed",
            "created_at",
            "updated_at",
            "version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_approvals(self, change) -> list[dict]:
        return [approval_data(r) for r in change.approval_requests.all()]

    @extend_schema_field(ChangeConflictSerializer(many=True))
    def get_conflicts(self, change) -> list[dict]:
        conflicts = self.context.get("conflicts")
        if conflicts is None or change.pk not in conflicts:
            from changes.scheduling import conflicts_for

            return conflicts_for([change])[change.pk]
        return conflicts[change.pk]


class ChangeUpdateSerializer(ChangeSerializer):
    class Meta(ChangeSerializer.Meta):
        read_only_fields = [*ChangeSerializer.Meta.read_only_fields, "type", "template"]


class ChangeTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    review_notes = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)
