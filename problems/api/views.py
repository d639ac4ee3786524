from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.api.concurrency import expected_version
from core.roles import is_agent
from incidents.permissions import incident_scope
from problems import selectors, services
from problems.api.serializers import (
    ApplySerializer,
    IncidentLinkSerializer,
    KnownErrorSerializer,
    ProblemSerializer,
    ProblemTransitionSerializer,
    ProposalAcceptSerializer,
    ProposalSerializer,
)
from problems.choices import Channel
from problems.filters import KnownErrorFilterSet, ProblemFilterSet
from problems.models import Problem

MAX_RANKED = 100


class AgentsWrite(BasePermission):
    """Anyone signed in may ask (scopes decide what they see); only agents change anything."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or is_agent(request.user)


class ProblemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Problems: agents raise and work them; other users see none.

    State changes go through `POST {id}/transition/` (becoming `known_error` publishes to the KEDB,
    `publish/` does it from `new` or `investigating` in one call); `link-incidents/` and
    `unlink-incidents/` take `{"incidents": [ids]}`. Edits accept `If-Match: <version>`.
    """

    serializer_class = ProblemSerializer
    permission_classes = [AgentsWrite]
    filterset_class = ProblemFilterSet
    ordering_fields = ["created_at", "updated_at", "priority", "number", "state", "published_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.problem_list(user=self.request.user)

    def _reload(self, problem):
        return Response(ProblemSerializer(self.get_queryset().get(pk=problem.pk)).data)

    def perform_create(self, serializer):
        problem = services.problem_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=problem.pk)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        problem = self.get_object()
        serializer = self.get_serializer(problem, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        problem = services.problem_update(
            actor=request.user,
            problem=problem,
            version=expected_version(request),
            **serializer.validated_data,
        )
        return self._reload(problem)

    @extend_schema(request=ProblemTransitionSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        problem = self.get_object()
        serializer = ProblemTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        problem = services.problem_transition(
            actor=request.user, problem=problem, version=expected_version(request), **data
        )
        return self._reload(problem)

    @extend_schema(request=None, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        problem = services.problem_publish(
            actor=request.user, problem=self.get_object(), version=expected_version(request)
        )
        return self._reload(problem)

    @extend_schema(request=IncidentLinkSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], url_path="link-incidents")
    def link_incidents(self, request, pk=None):
        problem = self.get_object()
        serializer = IncidentLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.problem_link_incidents(
            actor=request.user, problem=problem, incidents=serializer.validated_data["incidents"]
        )
        return self._reload(problem)

    @extend_schema(request=IncidentLinkSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], url_path="unlink-incidents")
    def unlink_incidents(self, request, pk=None):
        problem = self.get_object()
        serializer = IncidentLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        for incident in serializer.validated_data["incidents"]:
            services.problem_unlink_incident(actor=request.user, problem=problem, incident=incident)
        return self._reload(problem)


Q_PARAMETER = OpenApiParameter(
    "q", OpenApiTypes.STR, description="Text to match; results are then ranked by relevance, best first."
)


class RankedListMixin:
    """Paginate a ranked list of known errors; each carries its relevance and matched terms."""

    def ranked_response(self, ranked):
        problems = []
        for item in ranked:
            item.problem.match = item.match
            problems.append(item.problem)
        page = self.paginate_queryset(problems)
        return self.get_paginated_response(KnownErrorSerializer(page, many=True).data)


class KnownErrorViewSet(RankedListMixin, viewsets.ReadOnlyModelViewSet):
    """The known-error database (KEDB): published known errors, readable by every user.

    With `?q=text` the list is ranked by relevance (text similarity, plus `service` and `category`
    matches when given), at most 100 results.
    """

    serializer_class = KnownErrorSerializer
    filterset_class = KnownErrorFilterSet
    ordering_fields = ["published_at", "number", "id"]
    ordering = ["-published_at", "-id"]

    def get_queryset(self):
        return selectors.known_error_list(user=self.request.user)

    @extend_schema(parameters=[Q_PARAMETER])
    def list(self, request, *args, **kwargs):
        text = (request.query_params.get("q") or "").strip()
        if not text:
            return super().list(request, *args, **kwargs)
        service = category = None
        if any(name in request.query_params for name in KnownErrorFilterSet.base_filters):
            filterset = KnownErrorFilterSet(
                request.query_params, queryset=self.get_queryset(), request=request
            )
            if not filterset.is_valid():
                return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
            service = filterset.form.cleaned_data.get("service")
            category = filterset.form.cleaned_data.get("category")
        matches = selectors.known_error_matches(
            user=request.user,
            text=text,
            service_id=service.pk if service else None,
            category_ids=selectors.category_family(category.pk if category else None),
            limit=MAX_RANKED,
        )
        # Rank all, then load only the page's known errors (up to 100 match; a page shows 10 or 25).
        page = self.paginate_queryset(matches)
        problems = []
        for item in selectors.ranked_known_errors(user=request.user, matches=page):
            item.problem.match = item.match
            problems.append(item.problem)
        return self.get_paginated_response(KnownErrorSerializer(problems, many=True).data)


class IncidentSuggestionViewSet(RankedListMixin, viewsets.GenericViewSet):
    """Known errors ranked for an incident (`incidents/{id}/suggestions/`); agents apply one with
    `POST incidents/{id}/suggestions/{problem id}/apply/`, which links the incident to the problem."""

    serializer_class = KnownErrorSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.known_error_list(user=self.request.user)

    def _incident(self):
        incident = (
            incident_scope(self.request.user)
            .select_related("category")
            .filter(pk=self.kwargs["incident_pk"])
            .first()
        )
        if incident is None:
            raise Http404
        return incident

    def list(self, request, incident_pk=None):
        ranked = selectors.suggestions_for_incident(user=request.user, incident=self._incident(), limit=20)
        return self.ranked_response(ranked)

    @extend_schema(request=ApplySerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def apply(self, request, incident_pk=None, pk=None):
        incident = self._incident()
        problem = get_object_or_404(Problem.objects.filter(published_at__isnull=False), pk=pk)
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.problem_apply_workaround(
            actor=request.user,
            problem=problem,
            incident=incident,
            draft=serializer.validated_data.get("draft", ""),
            channel=Channel.API,
        )
        return Response({"incident": incident.pk, "problem": problem.pk}, status=status.HTTP_200_OK)


class ProblemProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Problems proposed from recurring incidents. `POST {id}/accept/` opens the problem with the
    incidents linked; `POST {id}/dismiss/` drops it for good."""

    serializer_class = ProposalSerializer
    permission_classes = [AgentsWrite]
    filterset_fields = ["state", "service", "category"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.proposal_list(user=self.request.user, state="")

    @extend_schema(request=ProposalAcceptSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        serializer = ProposalAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem = services.problem_proposal_accept(
            actor=request.user, proposal=self.get_object(), **serializer.validated_data
        )
        problem = selectors.problem_list(user=request.user).get(pk=problem.pk)
        return Response(ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        proposal = services.problem_proposal_dismiss(actor=request.user, proposal=self.get_object())
        return Response(ProposalSerializer(proposal).data)
