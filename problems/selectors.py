"""Reads: permission scope first, then filters, with a fixed number of queries per page."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from incidents.models import Category, Incident
from org.models import Service
from problems.choices import Channel, ProposalState, SuggestionEventKind
from problems.models import Problem, ProblemProposal, SuggestionEvent
from problems.permissions import known_error_scope, problem_scope, proposal_scope
from problems.search.ranking import Match, rank_known_errors

DISPLAY_RELATIONS = ("owner_team", "owner", "category", "category__parent")


def problem_list(*, user) -> QuerySet[Problem]:
    """For the API: references are ids; the two many-valued ones come by one prefetch each."""
    return problem_scope(user).prefetch_related(
        Prefetch("services", queryset=Service.objects.only("id").order_by("id")),
        Prefetch("incidents", queryset=Incident.objects.only("id", "problem_id").order_by("id")),
    )


def problem_page(*, user) -> QuerySet[Problem]:
    """The agent list: names for the columns and the number of linked incidents, in one query."""
    return (
        problem_scope(user)
        .select_related(*DISPLAY_RELATIONS)
        .annotate(incident_count=Count("incidents"))
        .order_by("-created_at", "-id")
    )


def problem_detail(*, user, pk: int) -> Problem | None:
    return (
        problem_scope(user)
        .select_related(*DISPLAY_RELATIONS, "requester")
        .prefetch_related("services")
        .filter(pk=pk)
        .first()
    )


def linked_incidents(*, problem: Problem) -> QuerySet[Incident]:
    return problem.incidents.select_related("service", "assignment_group", "assignee").order_by(
        "-created_at", "-id"
    )


def known_error_list(*, user) -> QuerySet[Problem]:
    return (
        known_error_scope(user)
        .select_related("category", "category__parent")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("name")))
        .order_by("-published_at", "-id")
    )


def with_suggestion_counts(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """Per known error: how often it was shown, applied, and solved a portal user's problem."""
    return qs.annotate(
        shown_count=Count("suggestion_events", filter=Q(suggestion_events__kind=SuggestionEventKind.SHOWN)),
        applied_count=Count(
            "suggestion_events", filter=Q(suggestion_events__kind=SuggestionEventKind.APPLIED)
        ),
        deflected_count=Count(
            "suggestion_events", filter=Q(suggestion_events__kind=SuggestionEventKind.DEFLECTED)
        ),
    )


@dataclass(frozen=True)
class Ranked:
    problem: Problem
    match: Match


def _ranked(*, user, matches: list[Match]) -> list[Ranked]:
    if not matches:
        return []
    by_id = known_error_list(user=user).in_bulk([m.problem_id for m in matches])
    return [Ranked(problem=by_id[m.problem_id], match=m) for m in matches if m.problem_id in by_id]


def category_family(category_id) -> tuple[int, ...]:
    """A category and its parent: a known error filed under either matches."""
    if not category_id:
        return ()
    parent = Category.objects.filter(pk=category_id).values_list("parent_id", flat=True).first()
    return tuple(c for c in (int(category_id), parent) if c)


def known_error_matches(*, user, text: str, service_id=None, category_ids=(), limit: int = 10) -> list[Match]:
    """The ranking alone (ids, relevance, matched terms): a paginated list loads only its page's records."""
    return rank_known_errors(
        text=text,
        service_id=service_id,
        category_ids=tuple(category_ids),
        limit=limit,
        queryset=known_error_scope(user),
    )


API_FIELDS = ("id", "number", "title", "symptoms", "workaround", "plain_workaround", "root_cause")


def ranked_known_errors(*, user, matches: list[Match]) -> list[Ranked]:
    """The API's page of ranked known errors: only the fields it returns, services as ids."""
    if not matches:
        return []
    by_id = (
        known_error_scope(user)
        .only(*API_FIELDS, "category_id", "state", "published_at")
        .prefetch_related(Prefetch("services", queryset=Service.objects.only("id").order_by("name")))
        .in_bulk([m.problem_id for m in matches])
    )
    return [Ranked(problem=by_id[m.problem_id], match=m) for m in matches if m.problem_id in by_id]


def known_errors_search(
    *, user, text: str, service_id=None, category_ids=(), limit: int = 10
) -> list[Ranked]:
    """Published known errors for the typed text, best first (the suggestion panels and `?q=`)."""
    matches = known_error_matches(
        user=user, text=text, service_id=service_id, category_ids=category_ids, limit=limit
    )
    return _ranked(user=user, matches=matches)


def suggestions_for_incident(*, user, incident: Incident, limit: int = 5) -> list[Ranked]:
    category_ids = ()
    if incident.category_id:
        category_ids = tuple(c for c in (incident.category_id, incident.category.parent_id) if c)
    return known_errors_search(
        user=user,
        text=f"{incident.title}\n{incident.description}",
        service_id=incident.service_id,
        category_ids=category_ids,
        limit=limit,
    )


@dataclass(frozen=True)
class SuggestionStats:
    shown: int
    applied: int
    deflected: int
    portal_sessions_shown: int
    portal_sessions_deflected: int

    @property
    def deflection_rate(self) -> float | None:
        """Deflected portal sessions ÷ portal sessions that were shown a suggestion."""
        if not self.portal_sessions_shown:
            return None
        return self.portal_sessions_deflected / self.portal_sessions_shown


def suggestion_stats() -> SuggestionStats:
    totals = SuggestionEvent.objects.aggregate(
        shown=Count("id", filter=Q(kind=SuggestionEventKind.SHOWN)),
        applied=Count("id", filter=Q(kind=SuggestionEventKind.APPLIED)),
        deflected=Count("id", filter=Q(kind=SuggestionEventKind.DEFLECTED)),
        portal_sessions_shown=Count(
            "draft", distinct=True, filter=Q(channel=Channel.PORTAL, kind=SuggestionEventKind.SHOWN)
        ),
        portal_sessions_deflected=Count(
            "draft", distinct=True, filter=Q(channel=Channel.PORTAL, kind=SuggestionEventKind.DEFLECTED)
        ),
    )
    return SuggestionStats(**totals)


def proposal_list(*, user, state: str = ProposalState.PENDING) -> QuerySet[ProblemProposal]:
    qs = proposal_scope(user).select_related(
        "service", "category", "category__parent", "problem", "decided_by"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def open_counts(*, user) -> dict[str, int]:
    scope = problem_scope(user)
    return {
        "open": scope.filter(state__in=("new", "investigating", "known_error")).count(),
        "known_errors": known_error_scope(user).count(),
        "proposals": proposal_scope(user).filter(state=ProposalState.PENDING).count(),
    }
