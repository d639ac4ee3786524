from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.concurrency import expected_version
from core.api.config import AuditedConfigMixin
from core.api.permissions import StaffWritesOthersRead
from core.api.serializers import CommentSerializer, RatingSerializer
from core.models import TimelineEntry
from core.roles import is_agent
from core.selectors import timeline_for
from incidents import selectors, services
from incidents.api.serializers import (
    CategorySerializer,
    IncidentSerializer,
    RequesterIncidentSerializer,
    TransitionSerializer,
)
from incidents.filters import IncidentFilterSet
from incidents.models import Category
from sla.api.mixins import ClocksOnPageMixin


class IncidentViewSet(
    ClocksOnPageMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Incidents. Requesters see and report their own; agents work all of them.

    The fields below are what agents and integrations may send. A requester's report takes only
    `title`, `description` and `service`; the service desk sets the rest.

    State changes go through `POST {id}/transition/`; edits accept `If-Match: <version>` and answer 409
    when someone else changed the incident meanwhile.
    """

    filterset_class = IncidentFilterSet
    search_fields = ["title", "description", "number"]
    ordering_fields = [
        "created_at",
        "updated_at",
        "priority",
        "sla_due_at",
        "number",
        "state",
        "resolved_at",
        "id",
    ]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "transition":
            return TransitionSerializer
        if self.action == "rate":
            return RatingSerializer
        if getattr(self, "swagger_fake_view", False):
            # The published schema describes what agents and integrations may send; requesters'
            # writes are a subset (title, description, service), which the schema text says.
            return IncidentSerializer
        return IncidentSerializer if is_agent(self.request.user) else RequesterIncidentSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _reload(self, incident):
        return selectors.incident_list(user=self.request.user).get(pk=incident.pk)

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        if is_agent(user):
            incident = services.incident_create(actor=user, channel=data.pop("channel", "api"), **data)
        else:
            incident = services.incident_report_from_portal(
                requester=user,
                title=data.get("title", ""),
                description=data.get("description", ""),
                service=data.get("service"),
            )
        serializer.instance = incident  # as saved; the service returns it complete

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        incident = self.get_object()
        if not is_agent(request.user):
            return Response({"detail": "Only agents edit incidents."}, status=status.HTTP_403_FORBIDDEN)
        serializer = self.get_serializer(incident, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        incident = services.incident_update(
            actor=request.user,
            incident=incident,
            version=expected_version(request),
            **serializer.validated_data,
        )
        return Response(
            IncidentSerializer(self._reload(incident), context=self.get_serializer_context()).data
        )

    @extend_schema(request=TransitionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incident = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.pop("version", None)
        incident = services.incident_transition(
            actor=request.user, incident=incident, version=expected_version(request), **data
        )
        return Response(self.get_response_serializer(incident))

    def get_response_serializer(self, incident):
        cls = IncidentSerializer if is_agent(self.request.user) else RequesterIncidentSerializer
        return cls(self._reload(incident), context=self.get_serializer_context()).data

    @extend_schema(request=CommentSerializer, responses=CommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=CommentSerializer)
    def comments(self, request, pk=None):
        incident = self.get_object()
        if request.method == "POST":
            serializer = CommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            entry = services.incident_comment_add(
                actor=request.user,
                incident=incident,
                body=serializer.validated_data["body"],
                is_internal=serializer.validated_data.get("is_internal", False),
            )
            return Response(CommentSerializer(entry).data, status=status.HTTP_201_CREATED)
        entries = timeline_for(ticket=incident, user=request.user).filter(kind=TimelineEntry.Kind.COMMENT)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=RatingSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        incident = self.get_object()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.incident_rate(actor=request.user, incident=incident, **serializer.validated_data)
        return Response({"rating": record.rating, "comment": record.comment}, status=status.HTTP_201_CREATED)


class CategoryViewSet(AuditedConfigMixin, viewsets.ModelViewSet):
    serializer_class = CategorySerializer
    permission_classes = [StaffWritesOthersRead]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]
    filterset_fields = ["parent", "is_active"]

    def get_queryset(self):
        return Category.objects.select_related("parent")
