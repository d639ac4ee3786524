from django.contrib.auth.models import Group
from rest_framework import serializers

from approvals.selectors import approval_data
from core.api.serializers import FieldsBuiltOnce
from org.models import Service, Team
from requests_catalog.choices import ApprovalRule, Automation, State, TaskState
from requests_catalog.models import CatalogCategory, CatalogItem, RequestTask, ServiceRequest
from sla.selectors import sla_clocks_data, ticket_clocks


class CatalogCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogCategory
        fields = [
            "id",
            "name",
            "name_zh",
            "description",
            "description_zh",
            "parent",
            "icon",
            "order",
            "is_active",
        ]


class TaskTemplateSerializer(serializers.Serializer):
    step = serializers.IntegerField(min_value=1, max_value=50, default=1)
    title = serializers.CharField(max_length=200)
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.filter(is_active=True))
    instructions = serializers.CharField(required=False, allow_blank=True)
    visible_fields = serializers.ListField(child=serializers.CharField(), required=False)


class CatalogItemSerializer(serializers.ModelSerializer):
    """Integrators read the item and its `form`; catalogue managers write it (the form is validated)."""

    requires_approval = serializers.BooleanField(read_only=True)
    is_automated = serializers.BooleanField(read_only=True)
    form = serializers.JSONField(required=False)
    approval = serializers.ChoiceField(choices=ApprovalRule.choices, required=False)
    automation = serializers.ChoiceField(choices=Automation.choices, required=False)
    visible_to = serializers.SlugRelatedField(
        slug_field="name", queryset=Group.objects.all(), many=True, required=False
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), allow_null=True, required=False
    )
    fulfilment_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False
    )
    task_templates = serializers.SerializerMethodField()
    webhook_secret = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "name",
            "name_zh",
            "category",
            "description",
            "description_zh",
            "icon",
            "keywords",
            "form",
            "requires_approval",
            "is_automated",
            "approval",
            "approval_group",
            "automation",
            "webhook_url",
            "webhook_secret",
            "automation_group",
            "automation_user_field",
            "visible_to",
            "service",
            "owner",
            "fulfilment_team",
            "priority",
            "delivery_hours",
            "order",
            "is_active",
            "version",
            "task_templates",
        ]
        read_only_fields = ["version"]

    def get_task_templates(self, item) -> list[dict]:
        return [
            {
                "step": t.step,
                "title": t.title,
                "title_zh": t.title_zh,
                "team": t.team_id,
                "visible_fields": t.visible_fields,
            }
            for t in item.task_templates.all()
        ]


class RequestTaskSerializer(serializers.ModelSerializer):
    request_number = serializers.CharField(source="request.number", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = RequestTask
        fields = [
            "id",
            "request",
            "request_number",
            "step",
            "title",
            "instructions",
            "team",
            "assignee",
            "state",
            "is_automation_fallback",
            "notes",
            "answers",
            "opened_at",
            "started_at",
            "completed_at",
            "version",
        ]
        read_only_fields = fields

    def get_answers(self, task) -> dict:
        """The answers this task's team needs (the fields its template names, or all)."""
        answers = task.request.answers
        if not task.visible_fields:
            return answers
        return {name: answers[name] for name in task.visible_fields if name in answers}


class ServiceRequestSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    answers = serializers.JSONField()
    submitted_at = serializers.DateTimeField(source="created_at", read_only=True)
    tasks = serializers.SerializerMethodField()
    approvals = serializers.SerializerMethodField()
    sla = serializers.SerializerMethodField()
    item = serializers.PrimaryKeyRelatedField(queryset=CatalogItem.objects.all())

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "number",
            "item",
            "title",
            "answers",
            "state",
            "requester",
            "priority",
            "service",
            "assignment_group",
            "submitted_at",
            "approved_at",
            "responded_at",
            "fulfilled_at",
            "closed_at",
            "fulfilment_seconds",
            "cancel_reason",
            "automation_state",
            "automation_attempts",
            "tasks",
            "approvals",
            "sla",
            "version",
        ]
        read_only_fields = [f for f in fields if f not in ("item", "answers", "requester", "title")]
        extra_kwargs = {"requester": {"required": False}, "title": {"required": False}}

    def get_tasks(self, request) -> list[dict]:
        return [
            {
                "id": t.pk,
                "step": t.step,
                "title": t.title,
                "team": t.team_id,
                "assignee": t.assignee_id,
                "state": t.state,
            }
            for t in request.tasks.all()
        ]

    def get_approvals(self, request) -> list[dict]:
        return [approval_data(a) for a in request.approval_requests.all()]

    def get_sla(self, request) -> list[dict]:
        return sla_clocks_data(ticket_clocks(request))


class RequestTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False)


class TaskTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=TaskState.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False)


class TaskAssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(required=False)
