"""The periodic scan: warnings, breaches and escalations for clocks whose next threshold has come."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sla import engine, hooks
from sla.calendar import CalendarSpec
from sla.models import SlaClock, SlaClockEvent
from sla.services.clocks import CLOCK_FIELDS, event_row, load_clock_context, rules_of

logger = logging.getLogger(__name__)

RETRY_LATER = timedelta(hours=1)


def sla_scan(*, now: datetime | None = None, batch: int = 500) -> int:
    """Handle the clocks whose next_check_at has come; returns how many were processed.

    Reads only through the partial next_check_at index, so clocks far from a threshold cost nothing.
    Each batch locks its rows with SKIP LOCKED: two workers in parallel take different clocks, and
    because what was recorded lives on the clock (warned_percent, escalations_done, breached_at) a
    second run records nothing twice. Process hooks run after each batch commits.
    """
    now = now or timezone.now()
    processed = 0
    # Clocks whose next check is still due after processing (a breach is only crossed once `now`
    # passes the due instant): not taken again in this run.
    again: set[int] = set()
    while True:
        with transaction.atomic():
            clocks = list(
                SlaClock.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(next_check_at__lte=now)
                .exclude(pk__in=again)
                .order_by("next_check_at", "pk")[:batch]
            )
            if not clocks:
                break
            load_clock_context(clocks)
            specs: dict[int, CalendarSpec] = {}
            rows: list[SlaClockEvent] = []
            hook_calls = []
            for clock in clocks:
                spec = specs.setdefault(clock.policy.calendar_id, clock.spec)
                rules = rules_of(clock)
                try:
                    events = engine.settle(clock, spec, rules, now)
                    engine.refresh_schedule(clock, spec, rules)
                except ValueError:
                    # A calendar without working time: nothing can be due; look again later.
                    logger.exception("SLA clock %s: cannot compute thresholds", clock.pk)
                    events, clock.next_check_at = [], now + RETRY_LATER
                if clock.next_check_at is not None and clock.next_check_at <= now:
                    again.add(clock.pk)
                rows += [event_row(clock, event) for event in events]
                hook_calls += [(clock, event) for event in events if event.hook]
            SlaClock.objects.bulk_update(clocks, CLOCK_FIELDS)
            SlaClockEvent.objects.bulk_create(rows)
            for clock, event in hook_calls:
                hooks.call_after_commit(
                    clock=clock, event=event.hook, percent=event.percent, action=event.action, rule=event.rule
                )
            processed += len(clocks)
        if len(clocks) < batch:
            break
    return processed
