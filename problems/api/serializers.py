from datetime import UTC

from django.contrib.auth import get_user_model
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import FieldsBuiltOnce
from incidents.choices import Priority
from incidents.models import Category, Incident
from org.models import Service, Team
from problems.choices import IncidentNote, RcaMethod, State
from problems.models import Problem, ProblemProposal

User = get_user_model()


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC whatever the user's time zone (API.md)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


def _iso(value):
    """What UtcDateTimeField renders, without building a field per row."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class UtcModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


class ProblemSerializer(FieldsBuiltOnce, UtcModelSerializer):
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Service.objects.filter(is_active=True), required=False
    )
    incidents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), allow_null=True, required=False
    )
    owner_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    rca_method = serializers.ChoiceField(choices=RcaMethod.choices, required=False, allow_blank=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "description",
            "state",
            "priority",
            "category",
            "services",
            "owner_team",
            "owner",
            "requester",
            "symptoms",
            "root_cause",
            "rca_method",
            "rca_notes",
            "workaround",
            "plain_workaround",
            "fix_change",
            "fix_notes",
            "incidents",
            "published_at",
            "created_at",
            "updated_at",
            "resolved_at",
            "closed_at",
            "version",
        ]
        read_only_fields = [
            "number",
            "state",
            "requester",
            "incidents",
            "published_at",
            "created_at",
            "updated_at",
            "resolved_at",
            "closed_at",
            "version",
        ]


class ProblemTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    comment = serializers.CharField(required=False, allow_blank=True)
    fix_notes = serializers.CharField(required=False, allow_blank=True)
    fix_change = serializers.CharField(required=False, allow_blank=True, max_length=100)
    resolve_incidents = serializers.BooleanField(
        required=False, default=False, help_text="When resolving: also resolve the linked open incidents."
    )
    incident_note = serializers.ChoiceField(
        choices=IncidentNote.choices,
        required=False,
        default=IncidentNote.FIX,
        help_text="Resolve the incidents with the permanent fix or with the workaround.",
    )
    version = serializers.IntegerField(required=False)


class IncidentLinkSerializer(serializers.Serializer):
    incidents = serializers.PrimaryKeyRelatedField(many=True, queryset=Incident.objects.all())


class KnownErrorSerializer(UtcModelSerializer):
    """A published known error: the KEDB entry every user may read."""

    problem = serializers.IntegerField(source="id", read_only=True)
    services = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    relevance = serializers.SerializerMethodField()
    matched_terms = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "problem",
            "number",
            "title",
            "symptoms",
            "workaround",
            "plain_workaround",
            "root_cause",
            "services",
            "category",
            "state",
            "published_at",
            "relevance",
            "matched_terms",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_relevance(self, problem):
        match = getattr(problem, "match", None)
        return match.relevance if match else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_matched_terms(self, problem):
        match = getattr(problem, "match", None)
        return list(match.matched_terms) if match else []

    def to_representation(self, problem):
        """Hand-written for speed (every suggestion request renders a page of these); the declared
        fields still drive the OpenAPI schema, and a test compares this with DRF's own rendering."""
        return {
            "id": problem.pk,
            "problem": problem.pk,
            "number": problem.number,
            "title": problem.title,
            "symptoms": problem.symptoms,
            "workaround": problem.workaround,
            "plain_workaround": problem.plain_workaround,
            "root_cause": problem.root_cause,
            "services": [service.pk for service in problem.services.all()],
            "category": problem.category_id,
            "state": problem.state,
            "published_at": _iso(problem.published_at),
            "relevance": self.get_relevance(problem),
            "matched_terms": self.get_matched_terms(problem),
        }


class ApplySerializer(serializers.Serializer):
    draft = serializers.CharField(required=False, allow_blank=True, max_length=64)


class ProposalSerializer(UtcModelSerializer):
    incidents = serializers.SerializerMethodField()

    class Meta:
        model = ProblemProposal
        fields = [
            "id",
            "title",
            "state",
            "service",
            "category",
            "incidents",
            "shared_terms",
            "evidence",
            "problem",
            "created_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_incidents(self, proposal):
        return [item["id"] for item in proposal.evidence.get("incidents", [])]


class ProposalAcceptSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), allow_null=True, required=False
    )
