"""Recompute open clocks after a policy or calendar changed: a preview first, then apply.

A clock keeps the business time it has counted up to its current segment; the running segment and
everything ahead are measured on the calendar as it is now, against the policy's current target.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sla import engine
from sla.models import SlaClock, SlaClockEvent
from sla.services.clocks import CLOCK_FIELDS, event_row, lifecycle_event, load_clock_context, rules_of

CHUNK = 200


def _open_clocks(*, policy=None, calendar=None):
    qs = SlaClock.objects.filter(stopped_at__isnull=True)
    if policy is not None:
        qs = qs.filter(policy=policy)
    if calendar is not None:
        qs = qs.filter(policy__calendar=calendar)
    return qs


def _recompute(clock: SlaClock, at: datetime) -> tuple[dict, list[engine.ClockEvent]]:
    """Bring one clock in line with its policy and calendar; returns (preview row, events)."""
    spec, rules = clock.spec, rules_of(clock)
    old_due, old_target = clock.due_at, clock.target_seconds
    clock.target_seconds = clock.policy.target_seconds(clock.kind)
    elapsed = clock.live_elapsed_seconds(at)
    engine.lower_warned_percent(clock, elapsed)
    engine.refresh_schedule(clock, spec, rules)
    overdue = clock.is_counting and clock.due_at is not None and at > clock.due_at
    would_breach = clock.breached_at is None and (elapsed > clock.target_seconds or overdue)
    if would_breach:
        clock.breached_at = at
        clock.state = SlaClock.State.BREACHED
        engine.refresh_schedule(clock, spec, rules)
    row = {
        "clock_id": clock.pk,
        "ticket": str(clock.ticket) if clock.ticket is not None else f"#{clock.object_id}",
        "kind": clock.kind,
        "policy": clock.policy.name,
        "elapsed_seconds": elapsed,
        "old_due_at": old_due,
        "new_due_at": clock.due_at,
        "old_target_seconds": old_target,
        "new_target_seconds": clock.target_seconds,
        "would_breach": would_breach,
    }
    changed = would_breach or old_due != clock.due_at or old_target != clock.target_seconds
    if not changed:
        return row, []
    data = {
        "old_target_seconds": old_target,
        "new_target_seconds": clock.target_seconds,
        "old_due_at": old_due.isoformat() if old_due else None,
        "new_due_at": clock.due_at.isoformat() if clock.due_at else None,
    }
    event = lifecycle_event(clock, SlaClockEvent.Kind.RECOMPUTED, at, **data)
    event.elapsed_seconds, event.percent = elapsed, engine.percent_of(clock.target_seconds, elapsed)
    events = [event]
    if would_breach:
        breach = lifecycle_event(clock, SlaClockEvent.Kind.BREACHED, at, recomputed=True)
        breach.elapsed_seconds, breach.percent, breach.hook = elapsed, engine.BREACH_PERCENT, "breached"
        events.append(breach)
    return row, events


def sla_recompute_preview(*, policy=None, calendar=None, at: datetime | None = None) -> list[dict]:
    """What recomputing the open clocks of a policy (or of every policy on a calendar) would change:
    one row per clock that changes, {clock_id, ticket, kind, policy, elapsed_seconds, old_due_at,
    new_due_at, old_target_seconds, new_target_seconds, would_breach}. Changes nothing."""
    at = at or timezone.now()
    clocks = list(_open_clocks(policy=policy, calendar=calendar).prefetch_related("ticket").order_by("pk"))
    load_clock_context(clocks)
    rows = []
    for clock in clocks:
        row, events = _recompute(copy.copy(clock), at)
        if events:
            rows.append(row)
    return rows


def sla_recompute_apply(*, policy=None, calendar=None, actor=None, at: datetime | None = None) -> int:
    """Recompute the open clocks of a policy / calendar (events "recomputed"); returns how many changed."""
    from sla import hooks

    at = at or timezone.now()
    by = getattr(actor, "username", None) if actor is not None and actor.is_authenticated else None
    source = {"policy": policy.name} if policy is not None else {}
    if calendar is not None:
        source["calendar"] = calendar.name
    ids = list(_open_clocks(policy=policy, calendar=calendar).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            clocks = list(
                SlaClock.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + CHUNK], stopped_at__isnull=True)
                .prefetch_related("ticket")
            )
            load_clock_context(clocks)
            updated, rows = [], []
            for clock in clocks:
                _row, events = _recompute(clock, at)
                if not events:
                    continue
                for event in events:
                    event.data.update(source, by=by)
                updated.append(clock)
                rows += [event_row(clock, event) for event in events]
                for event in events:
                    if event.hook:
                        hooks.call_after_commit(clock=clock, event=event.hook, percent=event.percent)
            SlaClock.objects.bulk_update(updated, CLOCK_FIELDS)
            SlaClockEvent.objects.bulk_create(rows)
            changed += len(updated)
    return changed
