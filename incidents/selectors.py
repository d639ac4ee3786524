"""Reads: permission scope first, then filters, with a fixed number of queries per page."""

from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from incidents.choices import OPEN_STATES
from incidents.models import Incident
from incidents.permissions import incident_scope
from org.selectors import teams_of
from sla.selectors import clock_prefetch

QUEUES = ("mine", "my_teams", "unassigned", "major", "breaching", "open", "all")


DISPLAY_RELATIONS = ("service", "assignment_group", "assignee", "requester", "category", "category__parent")


def _base(user) -> QuerySet[Incident]:
    return incident_scope(user).select_related(*DISPLAY_RELATIONS)


def incident_list(*, user) -> QuerySet[Incident]:
    """For the API: references are ids, so no joins (a 7-way join costs more to plan than to run).
    The page's SLA clocks come in one more query (`sla.selectors.attach_clocks`)."""
    return incident_scope(user)


QUEUE_ORDERINGS = {
    "due": (F("sla_due_at").asc(nulls_last=True), "id"),
    "priority": ("priority", F("sla_due_at").asc(nulls_last=True), "id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}


def incident_queue(*, user, queue: str, order: str = "due") -> QuerySet[Incident]:
    """The agent queues. Open work sorts by SLA due (breaching next first); paused clocks last."""
    # Queue rows show names: the small lookup tables come by prefetch, keeping the main query join-free.
    qs = (
        incident_scope(user)
        .prefetch_related("service", "assignment_group", "assignee", "category__parent")
        .defer("description", "resolution_notes")  # long texts the rows do not show
    )
    if queue == "all":
        return qs.order_by("-created_at", "-id")
    qs = qs.filter(state__in=OPEN_STATES)
    if queue == "mine":
        qs = qs.filter(assignee=user)
    elif queue == "my_teams":
        qs = qs.filter(assignment_group__in=teams_of(user).values("pk"))
    elif queue == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif queue == "major":
        qs = qs.filter(is_major=True)
    elif queue == "breaching":
        qs = qs.filter(sla_due_at__lte=timezone.now() + timedelta(hours=4))
    return qs.order_by(*QUEUE_ORDERINGS.get(order, QUEUE_ORDERINGS["due"]))


def incident_detail(*, user, pk: int) -> Incident | None:
    return (
        _base(user)
        .select_related("configuration_item", "first_assignment_group")
        .prefetch_related(clock_prefetch("sla_clocks"))
        .filter(pk=pk)
        .first()
    )


def queue_counts(*, user) -> dict[str, int]:
    """Tab counts. One small query each, every one served by a partial index on open incidents."""
    open_qs = incident_scope(user).filter(state__in=OPEN_STATES)
    soon = timezone.now() + timedelta(hours=4)
    return {
        "mine": open_qs.filter(assignee=user).count(),
        "unassigned": open_qs.filter(assignee__isnull=True).count(),
        "major": open_qs.filter(is_major=True).count(),
        "breaching": open_qs.filter(sla_due_at__lte=soon).count(),
        "open": open_qs.count(),
    }
