from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from approvals import services as approvals
from approvals.api.serializers import ApprovalDecisionSerializer
from approvals.models import ApprovalState
from approvals.selectors import approval_data, approvals_for
from changes import selectors, services
from changes.api.serializers import (
    ChangeSerializer,
    ChangeTemplateSerializer,
    ChangeTransitionSerializer,
    ChangeUpdateSerializer,
)
from changes.filters import ChangeFilterSet
from changes.permissions import can_manage_templates, can_see_changes
from changes.scheduling import conflicts_for
from core.api.concurrency import expected_version
from core.api.config import AuditedConfigMixin


class ChangeWorkers(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and can_see_changes(request.user))


class ManagersWriteTemplates(ChangeWorkers):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or can_manage_templates(request.user)


class ChangeTemplateViewSet(AuditedConfigMixin, viewsets.ModelViewSet):
    """The standard change catalogue: pre-authorised templates (change managers edit)."""

    serializer_class = ChangeTemplateSerializer
    permission_classes = [ManagersWriteTemplates]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "failure_rate", "id"]
    ordering = ["name"]
    filterset_fields = ["is_active", "flagged", "demoted", "risk"]

    def get_queryset(self):
        return selectors.template_catalogue().prefetch_related(None).prefetch_related("services")


class ChangeViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Changes. State moves go through `POST {id}/transition/`; edits take `If-Match: <version>` (409 if stale)."""

    # Reads are scoped (requesters get an empty list and 404s); writes check roles in the services.
    filterset_class = ChangeFilterSet
    search_fields = ["title", "description", "number"]
    ordering_fields = ["created_at", "planned_start", "number", "state", "risk", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.change_list(user=self.request.user, with_approvals=True)

    def get_serializer_class(self):
        if self.action == "transition":
            return ChangeTransitionSerializer
        if self.action == "approvals":
            return ApprovalDecisionSerializer
        if self.action in ("update", "partial_update"):
            return ChangeUpdateSerializer
        return ChangeSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "conflicts": conflicts_for(rows)}
        data = ChangeSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _data(self, change):
        change = self.get_queryset().get(pk=change.pk)
        return ChangeSerializer(change, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = ChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.change_create(actor=request.user, **serializer.validated_data)
        return Response(self._data(change), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        change = self.get_object()
        serializer = ChangeUpdateSerializer(change, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        change = services.change_update(
            actor=request.user, change=change, version=expected_version(request), **serializer.validated_data
        )
        return Response(self._data(change))

    @extend_schema(request=ChangeTransitionSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        change = self.get_object()
        serializer = ChangeTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.pop("version", None)
        change = services.change_transition(
            actor=request.user, change=change, version=expected_version(request), **data
        )
        return Response(self._data(change))

    @extend_schema(request=ApprovalDecisionSerializer, responses=ApprovalDecisionSerializer)
    @action(detail=True, methods=["get", "post"])
    def approvals(self, request, pk=None):
        change = self.get_object()
        requests = list(approvals_for(target=change))
        if request.method == "POST":
            serializer = ApprovalDecisionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            pending = next((r for r in requests if r.state == ApprovalState.PENDING), None)
            if pending is None:
                raise ValidationError({"decision": _("This change has no approval waiting.")})
            record = approvals.approval_decide(
                request=pending, approver=request.user, **serializer.validated_data
            )
            return Response(
                {
                    "approver": record.approver_id,
                    "decision": record.decision,
                    "comment": record.comment,
                    "at": record.created_at,
                    "step": record.step.name,
                },
                status=status.HTTP_201_CREATED,
            )
        return Response(
            {
                "results": [
                    {**decision, "step": step["name"]}
                    for r in requests
                    for step in approval_data(r)["steps"]
                    for decision in step["decisions"]
                ],
                "requests": [approval_data(r) for r in requests],
            }
        )
