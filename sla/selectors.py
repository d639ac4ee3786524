"""Reads: policy matching, configuration lists, clocks of a ticket and their display data."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sla.calendar import CalendarSpec
from sla.engine import percent_of
from sla.models import BusinessCalendar, SlaClock, SlaPolicy, TeamTimeShare
from sla.models.clocks import ClockReading
from sla.specs import spec_for_id

CALENDAR_LOOKUPS = ("hours", "holidays", "workdays")


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
    """Clocks with what live elapsed time needs: policy and calendar in the same query; the calendar's
    compiled hours and holidays come from the per-process cache (sla.specs)."""
    # "-kind" lists the response clock before the resolution clock.
    qs = SlaClock.objects.select_related("policy__calendar").order_by("-kind", "pk")
    if events:
        qs = qs.prefetch_related("events")
    return qs


def clock_prefetch(lookup: str = "sla_clocks", *, events: bool = False) -> Prefetch:
    """For a process app's GenericRelation to SlaClock: a list of tickets then computes every clock's
    live state with a constant number of queries.

        Incident.objects.prefetch_related(clock_prefetch())
    """
    return Prefetch(lookup, queryset=clock_queryset(events=events))


ATTACHED_CLOCKS = "sla_clock_list"


@dataclass(slots=True)
class ClockRow(ClockReading):
    """A clock as lists read it: plain values, no model instances (a page shows fifty clocks)."""

    object_id: int
    kind: str
    state: str
    target_seconds: int
    elapsed_seconds: int
    segment_started_at: datetime | None
    stopped_at: datetime | None
    breached_at: datetime | None
    due_at: datetime | None
    policy_name: str
    calendar_id: int
    calendar_revision: int

    @property
    def spec(self) -> CalendarSpec:
        return spec_for_id(self.calendar_id, self.calendar_revision)


CLOCK_ROW_COLUMNS = (
    "object_id",
    "kind",
    "state",
    "target_seconds",
    "elapsed_seconds",
    "segment_started_at",
    "stopped_at",
    "breached_at",
    "due_at",
    "policy__name",
    "policy__calendar_id",
    "policy__calendar__revision",
)


def attach_clocks(tickets) -> None:
    """Put each ticket's clocks on it, as ClockRows, in one query: cheaper than a GenericRelation
    prefetch (a queryset per ticket, three model instances per clock). Read them with `ticket_clocks`."""
    tickets = [t for t in tickets if ATTACHED_CLOCKS not in t.__dict__]
    if not tickets:
        return
    by_ticket: dict[int, list[ClockRow]] = {t.pk: [] for t in tickets}
    rows = (
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(tickets[0]), object_id__in=list(by_ticket)
        )
        .order_by("-kind", "pk")  # response before resolution
        .values_list(*CLOCK_ROW_COLUMNS)
    )
    for row in rows:
        by_ticket[row[0]].append(ClockRow(*row))
    for ticket in tickets:
        ticket.__dict__[ATTACHED_CLOCKS] = by_ticket[ticket.pk]


def keep_clocks(ticket, clocks) -> None:
    """Remember clocks just written on their ticket, response first, so showing it reads none."""
    ticket.__dict__[ATTACHED_CLOCKS] = sorted(clocks, key=lambda clock: clock.kind != SlaClock.Kind.RESPONSE)


def ticket_clocks(ticket) -> list[ClockReading]:
    """The ticket's clocks, response first: attached by `attach_clocks` or `keep_clocks`, else loaded now."""
    if ATTACHED_CLOCKS not in ticket.__dict__:
        attach_clocks([ticket])
    return ticket.__dict__[ATTACHED_CLOCKS]


def sla_clocks_for(*, ticket) -> list[SlaClock]:
    """The ticket's clocks, response first, with their event log prefetched."""
    return list(clock_queryset(events=True).filter(**_ticket_filter(ticket)))


@lru_cache(maxsize=2048)
def _clock_name(policy_name: str, kind: str, language: str | None) -> str:
    # A list of 25 tickets names 50 clocks: translating each costs more than the rest of the clock's data.
    return _("%(policy)s: %(kind)s") % {"policy": policy_name, "kind": SlaClock.Kind(kind).label}


def clock_name(clock: ClockReading) -> str:
    return _clock_name(clock.policy_name, clock.kind, translation.get_language())


def sla_clock_data(clock: ClockReading, now: datetime | None = None) -> dict:
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


def clocks_next_due(clocks) -> datetime | None:
    """`sla_next_due` of clocks already in hand (no query)."""
    return min((c.due_at for c in clocks if c.is_counting and c.due_at is not None), default=None)


def sla_next_due(*, ticket) -> datetime | None:
    """Earliest due time of the ticket's counting clocks (None when none counts)."""
    return SlaClock.objects.filter(
        **_ticket_filter(ticket), stopped_at__isnull=True, segment_started_at__isnull=False
    ).aggregate(due=Min("due_at"))["due"]


def team_time_shares_for(*, ticket) -> QuerySet[TeamTimeShare]:
    return TeamTimeShare.objects.filter(**_ticket_filter(ticket)).select_related("team")
