from rest_framework import serializers

from approvals.models import Decision


class ApprovalDecisionSerializer(serializers.Serializer):
    """An approver's decision on the step waiting for them (changes, service requests ...)."""

    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
