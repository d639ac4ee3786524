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
from core.api.concurrency import expected_version
from core.api.serializers import CommentSerializer, RatingSerializer
from core.models import TimelineEntry
from core.roles import is_agent
from core.selectors import timeline_for
from requests_catalog import catalogue, fulfilment, lifecycle, selectors
from requests_catalog.api.serializers import (
    CatalogCategorySerializer,
    CatalogItemSerializer,
    RequestTaskSerializer,
    RequestTransitionSerializer,
    ServiceRequestSerializer,
    TaskAssignSerializer,
    TaskTemplateSerializer,
    TaskTransitionSerializer,
)
from requests_catalog.filters import RequestFilterSet, RequestTaskFilterSet
from requests_catalog.models import CatalogCategory, CatalogItem
from requests_catalog.permissions import can_manage_catalogue, item_scope
from sla.api.mixins import ClocksOnPageMixin


class CatalogueManagersWrite(BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or can_manage_catalogue(request.user)


class CatalogCategoryViewSet(viewsets.ModelViewSet):
    serializer_class = CatalogCategorySerializer
    permission_classes = [CatalogueManagersWrite]
    search_fields = ["name", "name_zh"]
    ordering_fields = ["order", "name", "id"]
    ordering = ["order", "name"]
    filterset_fields = ["parent", "is_active"]

    def get_queryset(self):
        qs = CatalogCategory.objects.all()
        return qs if can_manage_catalogue(self.request.user) else qs.filter(is_active=True)

    def perform_create(self, serializer):
        serializer.instance = catalogue.category_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = catalogue.category_save(
            actor=self.request.user, category=serializer.instance, **serializer.validated_data
        )


class CatalogItemViewSet(viewsets.ModelViewSet):
    """The catalogue. Everyone reads the items they may order; catalogue managers see and edit all.

    Writes validate the `form` definition and answer 400 naming what is wrong; `If-Match` guards edits.
    """

    serializer_class = CatalogItemSerializer
    permission_classes = [CatalogueManagersWrite]
    search_fields = ["name", "name_zh", "keywords", "description"]
    ordering_fields = ["order", "name", "id"]
    ordering = ["order", "name"]
    filterset_fields = ["category", "is_active", "approval", "automation"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        qs = CatalogItem.objects.all() if can_manage_catalogue(user) else item_scope(user)
        return qs.prefetch_related("visible_to", "task_templates")

    def _write(self, request, item=None, partial=False):
        serializer = CatalogItemSerializer(item, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        visible_to = values.pop("visible_to", None)
        saved = catalogue.item_save(
            actor=request.user, item=item, visible_to=visible_to, version=expected_version(request), **values
        )
        saved = self.get_queryset().get(pk=saved.pk)
        return Response(
            CatalogItemSerializer(saved).data, status=status.HTTP_200_OK if item else status.HTTP_201_CREATED
        )

    def create(self, request, *args, **kwargs):
        return self._write(request)

    def update(self, request, *args, **kwargs):
        return self._write(request, self.get_object(), partial=kwargs.pop("partial", False))

    @extend_schema(request=TaskTemplateSerializer(many=True), responses=CatalogItemSerializer)
    @action(detail=True, methods=["put"], url_path="task-templates")
    def task_templates(self, request, pk=None):
        item = self.get_object()
        serializer = TaskTemplateSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        catalogue.task_templates_save(actor=request.user, item=item, templates=serializer.validated_data)
        return Response(CatalogItemSerializer(self.get_queryset().get(pk=item.pk)).data)


class ServiceRequestViewSet(ClocksOnPageMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service requests. Submit `{item, answers}`; bad answers answer 400 `{"answers": {question: [..]}}`.

    Requesters see their own requests (and those waiting for their approval); agents see all.
    """

    serializer_class = ServiceRequestSerializer
    filterset_class = RequestFilterSet
    search_fields = ["number", "title"]
    ordering_fields = ["created_at", "sla_due_at", "fulfilled_at", "number", "state", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.request_api_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "transition": RequestTransitionSerializer,
            "approvals": ApprovalDecisionSerializer,
            "comments": CommentSerializer,
            "rate": RatingSerializer,
        }.get(self.action, ServiceRequestSerializer)

    def _data(self, service_request, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=service_request.pk)
        return Response(ServiceRequestSerializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = ServiceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            created = lifecycle.request_submit(
                actor=request.user,
                item=data["item"],
                answers=data.get("answers"),
                requester=data.get("requester"),
                title=data.get("title", ""),
            )
        except lifecycle.AnswerErrors as exc:
            return Response({"answers": exc.answer_errors}, status=status.HTTP_400_BAD_REQUEST)
        return self._data(created, status.HTTP_201_CREATED)

    @extend_schema(request=RequestTransitionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        service_request = self.get_object()
        serializer = RequestTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.pop("version", None)
        lifecycle.request_transition(
            actor=request.user, request=service_request, version=expected_version(request), **data
        )
        return self._data(service_request)

    @extend_schema(request=CommentSerializer, responses=CommentSerializer)
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        service_request = self.get_object()
        if request.method == "POST":
            serializer = CommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            entry = lifecycle.request_comment_add(
                actor=request.user, request=service_request, **serializer.validated_data
            )
            return Response(CommentSerializer(entry).data, status=status.HTTP_201_CREATED)
        entries = timeline_for(ticket=service_request, user=request.user).filter(
            kind=TimelineEntry.Kind.COMMENT
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=ApprovalDecisionSerializer, responses=ApprovalDecisionSerializer)
    @action(detail=True, methods=["post"])
    def approvals(self, request, pk=None):
        service_request = self.get_object()
        serializer = ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pending = service_request.approval_requests.filter(state=ApprovalState.PENDING).first()
        if pending is None:
            raise ValidationError({"decision": _("This request has no approval waiting.")})
        record = approvals.approval_decide(
            request=pending, approver=request.user, **serializer.validated_data
        )
        return Response(
            {
                "approver": record.approver_id,
                "decision": record.decision,
                "comment": record.comment,
                "step": record.step.name,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=RatingSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        service_request = self.get_object()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = lifecycle.request_rate(
            actor=request.user, request=service_request, **serializer.validated_data
        )
        return Response({"rating": record.rating, "comment": record.comment}, status=status.HTTP_201_CREATED)


class AgentsOnly(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and is_agent(request.user))


class RequestTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Fulfilment tasks (agents). `?queue=mine|teams|all`; move with `transition`, assign with `assign`."""

    serializer_class = RequestTaskSerializer
    permission_classes = [AgentsOnly]
    filterset_class = RequestTaskFilterSet
    ordering_fields = ["opened_at", "step", "id"]
    ordering = ["opened_at", "id"]

    def get_queryset(self):
        from requests_catalog.models import RequestTask

        if self.action == "list" and self.request.query_params.get("queue") in ("mine", "teams"):
            return selectors.task_queue(user=self.request.user, scope=self.request.query_params["queue"])
        return RequestTask.objects.select_related("request")

    def get_serializer_class(self):
        return {"transition": TaskTransitionSerializer, "assign": TaskAssignSerializer}.get(
            self.action, RequestTaskSerializer
        )

    @extend_schema(request=TaskTransitionSerializer, responses=RequestTaskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        task = self.get_object()
        serializer = TaskTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.pop("version", None)
        task = fulfilment.task_transition(
            actor=request.user, task=task, version=expected_version(request), **data
        )
        return Response(RequestTaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=TaskAssignSerializer, responses=RequestTaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        from django.contrib.auth import get_user_model

        task = self.get_object()
        serializer = TaskAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignee_id = serializer.validated_data["assignee"]
        assignee = (
            get_user_model().objects.filter(pk=assignee_id, is_active=True).first() if assignee_id else None
        )
        if assignee_id and assignee is None:
            raise ValidationError({"assignee": _("No active user has the id %(id)s.") % {"id": assignee_id}})
        task = fulfilment.task_assign(
            actor=request.user, task=task, assignee=assignee, version=expected_version(request)
        )
        return Response(RequestTaskSerializer(self.get_queryset().get(pk=task.pk)).data)
