"""Clock arithmetic on SlaClock instances: thresholds, crossings, due and next-check times.

Nothing here touches the database: functions read and change clock attributes and return the
events to record; sla.services persists them, with locks and event rows.

Definitions (one place for all of them):
- percent p of a target T is reached when elapsed >= ceil(T * p / 100);
- the target itself is breached once the clock counts past the instant it reached T, so a ticket
  completed exactly at its due time is met, and a ticket still open after it is breached — even
  if that is after working hours and no further business second has passed;
- each threshold's instant is computed from the calendar, and that instant (not the time the scan
  happened to notice) is what the event records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sla.calendar import CalendarSpec, add_business_seconds, business_seconds_between

BREACH_PERCENT = 100


@dataclass
class ClockEvent:
    """An event to record on a clock and, when `hook` is set, to hand to the process hook after commit."""

    kind: str
    at: datetime
    elapsed_seconds: int
    percent: int | None = None
    reason: str = ""
    data: dict = field(default_factory=dict)
    hook: str | None = None  # "warned" | "breached" | "escalated"
    action: str | None = None
    rule: object | None = None


def threshold_seconds(target_seconds: int, percent: int) -> int:
    """Business seconds at which `percent` of the target is reached (rounded up)."""
    return -(-target_seconds * percent // 100)


def percent_of(target_seconds: int, elapsed_seconds: int) -> int:
    if target_seconds <= 0:
        return 0
    return elapsed_seconds * 100 // target_seconds


def instant_reaching(clock, spec: CalendarSpec, seconds: int) -> datetime | None:
    """When the counting clock's elapsed reaches `seconds` (the segment start if it already had)."""
    if not clock.is_counting:
        return None
    return add_business_seconds(spec, clock.segment_started_at, max(0, seconds - clock.elapsed_seconds))


def pending_thresholds(clock, rules) -> list[tuple[int, str, object | None]]:
    """(percent, what, rule) still to be handled: warnings not recorded, rules not run, the breach.

    Once breached, warnings and rules below 100% are moot (they warn of a breach that happened).
    """
    done = set(clock.escalations_done or [])
    rules = [rule for rule in rules if rule.pk not in done]
    if clock.breached_at is not None:
        return [(rule.at_percent, "escalated", rule) for rule in rules if rule.at_percent >= BREACH_PERCENT]
    pending: list[tuple[int, str, object | None]] = [
        (p, "warned", None) for p in (clock.policy.warn_at or []) if p > clock.warned_percent
    ]
    pending += [(rule.at_percent, "escalated", rule) for rule in rules]
    pending.append((BREACH_PERCENT, "breached", None))
    order = {"warned": 0, "breached": 1, "escalated": 2}
    return sorted(pending, key=lambda item: (item[0], order[item[1]], getattr(item[2], "pk", 0)))


def _is_crossed(what: str, percent: int, instant: datetime, now: datetime) -> bool:
    if what == "breached" or percent >= BREACH_PERCENT:
        return now > instant
    return now >= instant


def refresh_schedule(clock, spec: CalendarSpec, rules) -> None:
    """Recompute due_at and next_check_at from the calendar (both None unless counting)."""
    if not clock.is_counting:
        clock.due_at = None
        clock.next_check_at = None
        return
    if clock.elapsed_seconds >= clock.target_seconds:
        clock.due_at = clock.breached_at or clock.segment_started_at
    else:
        clock.due_at = instant_reaching(clock, spec, clock.target_seconds)
    instants = [
        instant_reaching(clock, spec, threshold_seconds(clock.target_seconds, percent))
        for percent, _what, _rule in pending_thresholds(clock, rules)
    ]
    clock.next_check_at = min(instants) if instants else None


def settle(clock, spec: CalendarSpec, rules, now: datetime, *, breach_only: bool = False) -> list[ClockEvent]:
    """Handle every threshold the counting clock crossed by `now`: warnings, escalations, the breach.

    With breach_only (a clock being stopped) only the breach is recorded: a warning or an escalation
    is pointless for a ticket that is done, a breach is a fact.
    """
    if not clock.is_counting:
        return []
    events: list[ClockEvent] = []
    for percent, what, rule in pending_thresholds(clock, rules):
        if breach_only and what != "breached":
            continue
        instant = instant_reaching(clock, spec, threshold_seconds(clock.target_seconds, percent))
        if not _is_crossed(what, percent, instant, now):
            continue
        elapsed = clock.elapsed_seconds + business_seconds_between(spec, clock.segment_started_at, instant)
        data = {"recorded_at": now.isoformat()}
        if what == "warned":
            clock.warned_percent = max(clock.warned_percent, percent)
            events.append(ClockEvent("warned", instant, elapsed, percent, data=data, hook="warned"))
        elif what == "breached":
            clock.breached_at = instant
            clock.state = clock.State.BREACHED
            events.append(
                ClockEvent("breached", instant, elapsed, BREACH_PERCENT, data=data, hook="breached")
            )
        else:
            clock.escalations_done = [*(clock.escalations_done or []), rule.pk]
            data.update({"rule": rule.pk, "action": rule.action})
            if rule.team_id:
                data["team"] = rule.team_id
            events.append(
                ClockEvent(
                    "escalated",
                    instant,
                    elapsed,
                    percent,
                    data=data,
                    hook="escalated",
                    action=rule.action,
                    rule=rule,
                )
            )
    return events


def close_segment(clock, spec: CalendarSpec, at: datetime) -> None:
    """Fold the running segment into elapsed_seconds and stop counting."""
    if clock.is_counting:
        clock.elapsed_seconds += business_seconds_between(spec, clock.segment_started_at, at)
        clock.segment_started_at = None


def lower_warned_percent(clock, elapsed_seconds: int) -> None:
    """After a target change, forget warnings above the clock's new percentage so they can fire again."""
    current = percent_of(clock.target_seconds, elapsed_seconds)
    if clock.warned_percent > current:
        clock.warned_percent = max([p for p in (clock.policy.warn_at or []) if p <= current], default=0)
