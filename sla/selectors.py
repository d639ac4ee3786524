"""Reads: policy matching, configuration lists, clocks of a ticket and their display data."""

from datetime import datetime
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sla.engine import percent_of
from sla.models import BusinessCalendar, SlaClock, SlaPolicy, TeamTimeShare

CALENDAR_LOOKUPS = ("hours", "holidays", "workdays")
# What a clock needs to compute its live elapsed time without further queries.
CLOCK_CALENDAR_PREFETCH = tuple(f"policy__calendar__{name}" for name in CALENDAR_LOOKUPS)


def policy_match(*, applies_to: str, priority: int | None, service_id: int | None) -> SlaPolicy | None:
    """The active policy for a ticket: service+priority, then priority-only, then service-only,
    then catch-all; ties go to the lowest id."""
    candidates = SlaPolicy.objects.filter(applies_to=applies_to, is_active=True)
    candidates = candidates.filter(
        Q(priority__isnull=True) | Q(priority=priority) if priority else Q(priority__isnull=True)
    )
    candidates = candidates.filter(
        Q(service__isnull=True) | Q(service_id=service_id) if service_id else Q(service__isnull=True)
    )

    def rank(policy: SlaPolicy) -> tuple[int, int]:
        if policy.service_id and policy.priority:
            return (0, policy.pk)
        if policy.priority:
            return (1, policy.pk)
        if policy.service_id:
            return (2, policy.pk)
        return (3, policy.pk)

    return min(candidates.select_related("calendar"), key=rank, default=None)


def calendar_list() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.prefetch_related(*CALENDAR_LOOKUPS)


def policy_list() -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.select_related("calendar", "service").prefetch_related("escalations")


def _ticket_filter(ticket) -> dict:
    return {"content_type": ContentType.objects.get_for_model(ticket), "object_id": ticket.pk}


def clock_queryset(*, events: bool = False) -> QuerySet[SlaClock]:
    """Clocks with what live elapsed time needs (policy → calendar → hours/holidays/workdays)."""
    # "-kind" lists the response clock before the resolution clock.
    qs = SlaClock.objects.prefetch_related("policy__calendar", *CLOCK_CALENDAR_PREFETCH).order_by(
        "-kind", "pk"
    )
    if events:
        qs = qs.prefetch_related("events")
    return qs


def clock_prefetch(lookup: str = "sla_clocks", *, events: bool = False) -> Prefetch:
    """For a process app's GenericRelation to SlaClock: a list of tickets then computes every clock's
    live state with a constant number of queries.

        Incident.objects.prefetch_related(clock_prefetch())
    """
    return Prefetch(lookup, queryset=clock_queryset(events=events))


def sla_clocks_for(*, ticket) -> list[SlaClock]:
    """The ticket's clocks, response first, with their event log prefetched."""
    return list(clock_queryset(events=True).filter(**_ticket_filter(ticket)))


@lru_cache(maxsize=2048)
def _clock_name(policy_name: str, kind: str, language: str | None) -> str:
    # A list of 25 tickets names 50 clocks: translating each costs more than the rest of the clock's data.
    return _("%(policy)s: %(kind)s") % {"policy": policy_name, "kind": SlaClock.Kind(kind).label}


def clock_name(clock: SlaClock) -> str:
    return _clock_name(clock.policy.name, clock.kind, translation.get_language())


def sla_clock_data(clock: SlaClock, now: datetime | None = None) -> dict:
    """The API shape of a clock ({name, kind, state, due_at, elapsed_seconds, target_seconds}) plus
    percent, breached_at and paused.

    A counting clock past its due time reads as breached at its due time even before the scan
    (at most a minute behind) records it.
    """
    now = now or timezone.now()
    elapsed = clock.live_elapsed_seconds(now)
    state, breached_at = clock.state, clock.breached_at
    if breached_at is None and clock.is_counting and clock.due_at is not None and now > clock.due_at:
        state, breached_at = SlaClock.State.BREACHED, clock.due_at
    return {
        "name": clock_name(clock),
        "kind": clock.kind,
        "state": state,
        "due_at": clock.due_at,
        "elapsed_seconds": elapsed,
        "target_seconds": clock.target_seconds,
        "percent": percent_of(clock.target_seconds, elapsed),
        "breached_at": breached_at,
        "paused": clock.is_paused,
    }


def sla_clocks_data(clocks, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    return [sla_clock_data(clock, now) for clock in clocks]


def sla_next_due(*, ticket) -> datetime | None:
    """Earliest due time of the ticket's counting clocks (None when none counts)."""
    return SlaClock.objects.filter(
        **_ticket_filter(ticket), stopped_at__isnull=True, segment_started_at__isnull=False
    ).aggregate(due=Min("due_at"))["due"]


def team_time_shares_for(*, ticket) -> QuerySet[TeamTimeShare]:
    return TeamTimeShare.objects.filter(**_ticket_filter(ticket)).select_related("team")
