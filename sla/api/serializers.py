from datetime import time

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sla.models import (
    BusinessCalendar,
    EscalationRule,
    Holiday,
    MakeupWorkday,
    SlaClock,
    SlaPolicy,
    WorkingHours,
)
from sla.models.policies import validate_warn_at

MIDNIGHT = time(0, 0)


class WorkingHoursSerializer(serializers.ModelSerializer):
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M", help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        model = WorkingHours
        fields = ["weekday", "start", "end"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"] and attrs["end"] != MIDNIGHT:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        return attrs


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["date", "name"]


class MakeupWorkdaySerializer(serializers.ModelSerializer):
    class Meta:
        model = MakeupWorkday
        fields = ["date", "name"]

    def validate_date(self, value):
        if value.weekday() < 5:
            raise serializers.ValidationError(
                _("A make-up working day is a Saturday or a Sunday; weekdays already work.")
            )
        return value


class BusinessCalendarSerializer(serializers.ModelSerializer):
    hours = WorkingHoursSerializer(many=True, required=False)
    holidays = HolidaySerializer(many=True, required=False)
    workdays = MakeupWorkdaySerializer(many=True, required=False)

    class Meta:
        model = BusinessCalendar
        fields = ["id", "name", "timezone", "is_24x7", "hours", "holidays", "workdays"]


class EscalationRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationRule
        fields = ["at_percent", "action", "team"]
        extra_kwargs = {"team": {"required": False}}

    def validate(self, attrs):
        team = attrs.get("team")
        if attrs.get("action") == EscalationRule.Action.REASSIGN and team is None:
            raise serializers.ValidationError({"team": [_("Choose the team to reassign to.")]})
        if attrs.get("action") != EscalationRule.Action.REASSIGN and team is not None:
            raise serializers.ValidationError({"team": [_("A team is only used by “Reassign to a team”.")]})
        return attrs


class SlaPolicySerializer(serializers.ModelSerializer):
    warn_at = serializers.ListField(
        child=serializers.IntegerField(), required=False, validators=[validate_warn_at]
    )
    escalations = EscalationRuleSerializer(many=True, required=False)

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "name",
            "applies_to",
            "priority",
            "service",
            "response_minutes",
            "resolution_minutes",
            "calendar",
            "warn_at",
            "is_active",
            "escalations",
        ]


class RecomputeRowSerializer(serializers.Serializer):
    """One open clock whose due time or target would change."""

    clock_id = serializers.IntegerField()
    ticket = serializers.CharField()
    kind = serializers.ChoiceField(choices=SlaClock.Kind.choices)
    policy = serializers.CharField()
    elapsed_seconds = serializers.IntegerField()
    old_due_at = serializers.DateTimeField(allow_null=True)
    new_due_at = serializers.DateTimeField(allow_null=True)
    old_target_seconds = serializers.IntegerField()
    new_target_seconds = serializers.IntegerField()
    would_breach = serializers.BooleanField()


class SlaClockDataSerializer(serializers.Serializer):
    """A ticket's clock as process APIs show it (`sla` on incidents), from selectors.sla_clock_data."""

    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SlaClock.Kind.choices)
    state = serializers.ChoiceField(choices=SlaClock.State.choices)
    due_at = serializers.DateTimeField(allow_null=True)
    elapsed_seconds = serializers.IntegerField()
    target_seconds = serializers.IntegerField()
    percent = serializers.IntegerField()
    breached_at = serializers.DateTimeField(allow_null=True)
    paused = serializers.BooleanField()
