"""The life of a ticket's clocks: start, pause, resume, complete, reopen, cancel, reprioritize, teams.

Every function runs in one transaction, locks the ticket's clocks, records an SlaClockEvent for
each change (with the caller's reason) and leaves due_at/next_check_at right for the new state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from core.eventtext import EventText
from sla import engine, hooks
from sla.calendar import CalendarSpec, business_seconds_between
from sla.models import SlaClock, SlaClockEvent, SlaPolicy, TeamTimeShare
from sla.selectors import policy_match

KIND_ORDER = (SlaClock.Kind.RESPONSE, SlaClock.Kind.RESOLUTION)
CLOCK_FIELDS = [
    "policy",
    "state",
    "target_seconds",
    "elapsed_seconds",
    "segment_started_at",
    "stopped_at",
    "breached_at",
    "warned_percent",
    "escalations_done",
    "due_at",
    "next_check_at",
    "team",
]


# --- shared helpers (used by the scan and the recompute as well) ------------------------------------


def ticket_key(ticket) -> dict:
    return {"content_type": ContentType.objects.get_for_model(ticket), "object_id": ticket.pk}


def load_clock_context(clocks: Iterable[SlaClock]) -> None:
    """Prefetch policy, calendar and escalation rules onto locked clocks (no FOR UPDATE on those);
    the calendar's rows come from the spec cache (sla.specs)."""
    prefetch_related_objects(list(clocks), "policy__calendar", "policy__escalations")


def load_clock_context_for_policy(policy: SlaPolicy) -> None:
    """The same for a policy about to be put on clocks."""
    prefetch_related_objects([policy], "calendar", "escalations")


def rules_of(clock: SlaClock) -> list:
    return list(clock.policy.escalations.all())


def locked_clocks(ticket, *, open_only: bool = True) -> list[SlaClock]:
    qs = SlaClock.objects.select_for_update(of=("self",)).filter(**ticket_key(ticket))
    if open_only:
        qs = qs.filter(stopped_at__isnull=True)
    clocks = sorted(qs, key=lambda c: KIND_ORDER.index(c.kind))
    load_clock_context(clocks)
    return clocks


def event_row(clock: SlaClock, event: engine.ClockEvent) -> SlaClockEvent:
    return SlaClockEvent(
        clock=clock,
        kind=event.kind,
        at=event.at,
        percent=event.percent,
        elapsed_seconds=event.elapsed_seconds,
        reason=event.reason,
        data=event.data,
    )


def record(clock: SlaClock, events: list[engine.ClockEvent]) -> None:
    """Write the events and queue the process hook (after commit) for warnings, breaches, escalations."""
    record_each([(clock, events)])


def record_each(clock_events: Iterable[tuple[SlaClock, list[engine.ClockEvent]]]) -> None:
    """`record` for several clocks, in one INSERT."""
    clock_events = list(clock_events)
    rows = [event_row(clock, event) for clock, events in clock_events for event in events]
    if not rows:
        return
    SlaClockEvent.objects.bulk_create(rows)
    for clock, events in clock_events:
        for event in events:
            if event.hook:
                hooks.call_after_commit(
                    clock=clock, event=event.hook, percent=event.percent, action=event.action, rule=event.rule
                )


def save(clock: SlaClock, spec: CalendarSpec | None = None) -> None:
    engine.refresh_schedule(clock, spec or clock.spec, rules_of(clock))
    clock.save(update_fields=CLOCK_FIELDS)


def lifecycle_event(
    clock: SlaClock, kind: str, at: datetime, reason: str | EventText = "", **data
) -> engine.ClockEvent:
    """A reason given as an EventText is kept so that each reader sees it in their language."""
    if isinstance(reason, EventText):
        data["reason"] = reason.as_data()
        reason = reason.render()
    return engine.ClockEvent(
        kind=kind,
        at=at,
        elapsed_seconds=clock.elapsed_seconds,
        percent=engine.percent_of(clock.target_seconds, clock.elapsed_seconds),
        reason=reason or "",
        data=data,
    )


def _stop(clock: SlaClock, at: datetime) -> list[engine.ClockEvent]:
    """Settle a breach crossed before `at`, fold the running segment, mark stopped."""
    spec = clock.spec
    events = engine.settle(clock, spec, rules_of(clock), at, breach_only=True)
    engine.close_segment(clock, spec, at)
    clock.stopped_at = at
    return events


# --- team shares -------------------------------------------------------------------------------------


def _share_spec(ticket) -> CalendarSpec:
    clock = (
        SlaClock.objects.filter(**ticket_key(ticket), kind=SlaClock.Kind.RESOLUTION)
        .select_related("policy__calendar")
        .first()
    )
    return clock.spec if clock is not None else CalendarSpec.always()


def _close_share(ticket, at: datetime) -> TeamTimeShare | None:
    share = (
        TeamTimeShare.objects.select_for_update().filter(**ticket_key(ticket), ended_at__isnull=True).first()
    )
    if share is None:
        return None
    end = max(at, share.started_at)
    share.ended_at = end
    share.wall_seconds = int((end - share.started_at).total_seconds())
    share.business_seconds = business_seconds_between(_share_spec(ticket), share.started_at, end)
    share.save(update_fields=["ended_at", "wall_seconds", "business_seconds"])
    return share


def _open_share(ticket, team_id: int, at: datetime) -> TeamTimeShare:
    return TeamTimeShare.objects.create(**ticket_key(ticket), team_id=team_id, started_at=at)


# --- the services ------------------------------------------------------------------------------------


def sla_clocks_start(
    *,
    ticket,
    applies_to: str,
    priority: int | None,
    service_id: int | None,
    team_id=None,
    at=None,
    new_ticket: bool = False,
) -> list[SlaClock]:
    """Start the response and resolution clocks of the matching policy ([] when none matches).

    Idempotent: a ticket that already has clocks gets them back unchanged. A team given here opens
    the ticket's first team share whether or not a policy matches. `new_ticket=True` says the ticket
    was inserted in the current transaction, so it cannot have clocks or shares yet: the checks for
    them are skipped and every row goes in with one statement per table (the create path's cost).
    """
    at = at or timezone.now()
    key = ticket_key(ticket)
    # A new ticket's transaction rolls back as a whole on any error: no savepoint needed.
    with transaction.atomic(savepoint=not new_ticket):
        if not new_ticket:
            existing = locked_clocks(ticket, open_only=False)
            if existing:
                return existing
        policy = policy_match(applies_to=applies_to, priority=priority, service_id=service_id)
        if policy is not None:
            load_clock_context_for_policy(policy)
        clocks = [
            SlaClock(
                **key,
                policy=policy,
                kind=kind,
                state=SlaClock.State.RUNNING,
                target_seconds=policy.target_seconds(kind),
                elapsed_seconds=0,
                segment_started_at=at,
                started_at=at,
                team_id=team_id,
            )
            for kind in (KIND_ORDER if policy is not None else ())
        ]
        for clock in clocks:
            engine.refresh_schedule(clock, clock.spec, rules_of(clock))
        if new_ticket:
            if team_id:
                _open_share(ticket, team_id, at)
            SlaClock.objects.bulk_create(clocks)
        else:
            try:
                with transaction.atomic():
                    if team_id and not TeamTimeShare.objects.filter(**key).exists():
                        _open_share(ticket, team_id, at)
                    SlaClock.objects.bulk_create(clocks)
            except IntegrityError:
                # Another request started them in parallel: theirs stand.
                return locked_clocks(ticket, open_only=False)
        record_each(
            (
                clock,
                [
                    lifecycle_event(
                        clock,
                        SlaClockEvent.Kind.STARTED,
                        at,
                        policy=policy.name,
                        policy_id=policy.pk,
                        calendar=policy.calendar.name,
                        target_seconds=clock.target_seconds,
                        due_at=clock.due_at.isoformat() if clock.due_at else None,
                    )
                ],
            )
            for clock in clocks
        )
        return clocks


def sla_clocks_pause(*, ticket, reason: str | EventText, at=None) -> list[SlaClock]:
    """Pause every counting clock (the ticket waits on someone else), e.g. reason "on hold: awaiting vendor"."""
    at = at or timezone.now()
    changed = []
    with transaction.atomic():
        for clock in locked_clocks(ticket):
            if not clock.is_counting:
                continue
            spec = clock.spec
            # Thresholds crossed before the pause are handled now, or the pause would hide them.
            events = engine.settle(clock, spec, rules_of(clock), at)
            engine.close_segment(clock, spec, at)
            if clock.state == SlaClock.State.RUNNING:
                clock.state = SlaClock.State.PAUSED
            events.append(lifecycle_event(clock, SlaClockEvent.Kind.PAUSED, at, reason))
            save(clock, spec)
            record(clock, events)
            changed.append(clock)
    return changed


def sla_clocks_resume(*, ticket, reason: str | EventText, at=None) -> list[SlaClock]:
    """Resume every paused open clock; a breached clock counts on but stays breached."""
    at = at or timezone.now()
    changed = []
    with transaction.atomic():
        for clock in locked_clocks(ticket):
            if clock.is_counting:
                continue
            clock.segment_started_at = at
            if clock.state == SlaClock.State.PAUSED:
                clock.state = SlaClock.State.RUNNING
            save(clock)
            record(clock, [lifecycle_event(clock, SlaClockEvent.Kind.RESUMED, at, reason)])
            changed.append(clock)
    return changed


def sla_clock_complete(*, ticket, kind: str, reason: str | EventText, at=None) -> SlaClock | None:
    """Stop the clock of that kind: met when within target and never breached, else breached.

    A no-op (returning the clock) when it is already stopped; None when the ticket has no such clock.
    Completing the resolution clock also ends the current team's share of the time.
    """
    at = at or timezone.now()
    with transaction.atomic():
        clock = next((c for c in locked_clocks(ticket, open_only=False) if c.kind == kind), None)
        if clock is None or not clock.is_open:
            return clock
        events = _stop(clock, at)
        breached = clock.breached_at is not None
        clock.state = SlaClock.State.BREACHED if breached else SlaClock.State.MET
        events.append(
            lifecycle_event(
                clock,
                SlaClockEvent.Kind.BREACHED if breached else SlaClockEvent.Kind.MET,
                at,
                reason,
                stopped=True,
            )
        )
        save(clock)
        record(clock, events)
        if kind == SlaClock.Kind.RESOLUTION:
            _close_share(ticket, at)
        return clock


def sla_clock_reopen(
    *, ticket, kind: str = SlaClock.Kind.RESOLUTION, reason: str | EventText, at=None
) -> SlaClock | None:
    """A reopened ticket: the stopped clock counts again from `at` (still breached if it had breached)."""
    at = at or timezone.now()
    with transaction.atomic():
        clock = next((c for c in locked_clocks(ticket, open_only=False) if c.kind == kind), None)
        if clock is None or clock.is_open or clock.state == SlaClock.State.CANCELLED:
            return clock
        clock.stopped_at = None
        clock.segment_started_at = at
        clock.state = SlaClock.State.BREACHED if clock.breached_at else SlaClock.State.RUNNING
        save(clock)
        record(clock, [lifecycle_event(clock, SlaClockEvent.Kind.REOPENED, at, reason)])
        if kind == SlaClock.Kind.RESOLUTION and clock.team_id:
            key = ticket_key(ticket)
            if not TeamTimeShare.objects.filter(**key, ended_at__isnull=True).exists():
                _open_share(ticket, clock.team_id, at)
        return clock


def sla_clocks_cancel(*, ticket, reason: str | EventText, at=None) -> list[SlaClock]:
    """The ticket was cancelled: open clocks stop as cancelled (a breached one stays breached)."""
    at = at or timezone.now()
    changed = []
    with transaction.atomic():
        for clock in locked_clocks(ticket):
            events = _stop(clock, at)
            if clock.breached_at is None:
                clock.state = SlaClock.State.CANCELLED
            events.append(lifecycle_event(clock, SlaClockEvent.Kind.CANCELLED, at, reason))
            save(clock)
            record(clock, events)
            changed.append(clock)
        _close_share(ticket, at)
    return changed


def sla_clocks_reprioritize(
    *, ticket, applies_to: str, priority: int | None, service_id: int | None, reason: str | EventText, at=None
) -> list[SlaClock]:
    """Priority or service changed: re-match the policy for the open clocks, keep their elapsed time,
    set the new target. Time so far counted on the old calendar; from `at` on the new one. A clock
    already past its new target breaches at once. A ticket without clocks gets them now.
    """
    at = at or timezone.now()
    with transaction.atomic():
        clocks = locked_clocks(ticket, open_only=False)
        policy = policy_match(applies_to=applies_to, priority=priority, service_id=service_id)
        if not clocks:
            if policy is None:
                return []
            share = TeamTimeShare.objects.filter(**ticket_key(ticket), ended_at__isnull=True).first()
            return sla_clocks_start(
                ticket=ticket,
                applies_to=applies_to,
                priority=priority,
                service_id=service_id,
                team_id=share.team_id if share else None,
                at=at,
            )
        if policy is None:
            return clocks  # no policy matches any more: the clocks keep the targets they had
        load_clock_context_for_policy(policy)
        for clock in clocks:
            if not clock.is_open:
                continue
            new_target = policy.target_seconds(clock.kind)
            if clock.policy_id == policy.pk and clock.target_seconds == new_target:
                continue
            _retarget(clock, policy, new_target, at, reason)
        return clocks


def _retarget(clock: SlaClock, policy: SlaPolicy, new_target: int, at: datetime, reason) -> None:
    old_spec = clock.spec
    old_policy, old_target, old_due = clock.policy, clock.target_seconds, clock.due_at
    # Thresholds crossed under the old target are facts; record them before it changes.
    events = engine.settle(clock, old_spec, rules_of(clock), at)
    counting = clock.is_counting
    engine.close_segment(clock, old_spec, at)
    clock.policy = policy
    clock.target_seconds = new_target
    if counting:
        clock.segment_started_at = at
    engine.lower_warned_percent(clock, clock.elapsed_seconds)
    breach_now = clock.breached_at is None and clock.elapsed_seconds > new_target
    if breach_now:
        clock.breached_at = at
        clock.state = SlaClock.State.BREACHED
    spec = clock.spec
    engine.refresh_schedule(clock, spec, rules_of(clock))
    events.append(
        lifecycle_event(
            clock,
            SlaClockEvent.Kind.RECOMPUTED,
            at,
            reason,
            old_policy=old_policy.name,
            new_policy=policy.name,
            old_target_seconds=old_target,
            new_target_seconds=new_target,
            old_due_at=old_due.isoformat() if old_due else None,
            new_due_at=clock.due_at.isoformat() if clock.due_at else None,
        )
    )
    if breach_now:
        event = lifecycle_event(clock, SlaClockEvent.Kind.BREACHED, at, reason, recomputed=True)
        event.percent, event.hook = engine.BREACH_PERCENT, "breached"
        events.append(event)
    save(clock, spec)
    record(clock, events)


def sla_team_change(*, ticket, team_id: int | None, at=None) -> TeamTimeShare | None:
    """The ticket moved to another team: end the current team's share, open one for the new team
    (None: just end it), and note the team on the open clocks. Returns the open share, if any."""
    at = at or timezone.now()
    key = ticket_key(ticket)
    with transaction.atomic():
        current = TeamTimeShare.objects.select_for_update().filter(**key, ended_at__isnull=True).first()
        if current is not None and current.team_id == team_id:
            return current
        _close_share(ticket, at)
        share = _open_share(ticket, team_id, at) if team_id else None
        SlaClock.objects.filter(**key, stopped_at__isnull=True).update(team_id=team_id)
        return share
