"""Business-time arithmetic on a calendar: pure functions, no database.

A working day is turned into UTC intervals by building each local working range on its local date
with zoneinfo and converting both ends to UTC, so a DST change shortens or lengthens that day by
exactly what the wall clock does. A local time that exists twice (fall back) is its first occurrence;
one that does not exist (spring forward) is the instant the clocks jumped. Neither raises, and a
range that collapses to nothing is dropped.

Seconds are whole seconds: `business_seconds_between` floors, `add_business_seconds` returns the
earliest instant at which that many business seconds have passed, so for any start s and x >= 0:
business_seconds_between(spec, s, add_business_seconds(spec, s, x)) == x.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

ONE_SECOND = timedelta(seconds=1)
ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0, 0)
# A search that finds no working time at all in this many days gives up: the calendar has none.
SEARCH_LIMIT_DAYS = 3 * 366
# No due time is ever further away than this (it also keeps dates far from the year 9999).
HORIZON_DAYS = 100 * 366
MAKEUP_WORKDAY_HOURS_OF = 0  # a make-up working day works the hours of Monday

Interval = tuple[datetime, datetime]


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    if not name or name not in timezone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def range_seconds(start: time, end: time) -> int:
    """Length of a local working range as written (00:00 as an end means 24:00)."""
    start_s = start.hour * 3600 + start.minute * 60 + start.second
    end_s = 86400 if end == MIDNIGHT else end.hour * 3600 + end.minute * 60 + end.second
    return end_s - start_s


@dataclass(frozen=True)
class CalendarSpec:
    """Everything the arithmetic needs from a BusinessCalendar, detached from the database."""

    timezone: str
    is_24x7: bool
    hours: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    _days: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        # Normalise ranges: sorted, merged, empty ones dropped; a frozen instance cannot change later.
        normalised = {}
        for weekday, ranges in (self.hours or {}).items():
            merged: list[list[int]] = []
            for start, end in sorted(ranges):
                start_s = start.hour * 3600 + start.minute * 60 + start.second
                end_s = start_s + range_seconds(start, end)
                if end_s <= start_s:
                    continue
                if merged and start_s <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end_s)
                else:
                    merged.append([start_s, end_s])
            if merged:
                normalised[int(weekday)] = [(_as_time(a), _as_time(b)) for a, b in merged]
        object.__setattr__(self, "hours", normalised)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))

    def __hash__(self):
        return hash(
            (
                self.timezone,
                self.is_24x7,
                tuple(sorted((k, tuple(v)) for k, v in self.hours.items())),
                self.holidays,
                self.workdays,
            )
        )

    @classmethod
    def always(cls) -> CalendarSpec:
        """Round the clock (24×7), used where no calendar applies."""
        return cls(timezone="UTC", is_24x7=True)

    @classmethod
    def from_calendar(cls, calendar) -> CalendarSpec:
        """Build from a BusinessCalendar, using its prefetched hours, holidays and workdays.

        The spec is cached on the instance: a list of clocks sharing a prefetched calendar builds it once.
        """
        cached = getattr(calendar, "_sla_spec", None)
        if cached is not None:
            return cached
        hours: dict[int, list[tuple[time, time]]] = {}
        spec_holidays: frozenset[date] = frozenset()
        spec_workdays: frozenset[date] = frozenset()
        if not calendar.is_24x7:
            for row in calendar.hours.all():
                hours.setdefault(row.weekday, []).append((row.start, row.end))
            spec_holidays = frozenset(h.date for h in calendar.holidays.all())
            spec_workdays = frozenset(w.date for w in calendar.workdays.all())
        spec = cls(
            timezone=calendar.timezone,
            is_24x7=calendar.is_24x7,
            hours=hours,
            holidays=spec_holidays,
            workdays=spec_workdays,
        )
        calendar._sla_spec = spec
        return spec

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_working_time(self) -> bool:
        return self.is_24x7 or bool(self.hours)

    def ranges_on(self, day: date) -> list[tuple[time, time]]:
        """The local working ranges of a date: none on a holiday, Monday's on a make-up working day."""
        if day in self.holidays:
            return []
        if day in self.workdays:
            return self.hours.get(MAKEUP_WORKDAY_HOURS_OF, [])
        return self.hours.get(day.weekday(), [])

    def intervals_on(self, day: date) -> tuple[list[Interval], timedelta]:
        """UTC working intervals of a local date and their total, cached per date."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        tz = self.tz
        intervals: list[Interval] = []
        for start, end in self.ranges_on(day):
            utc_start = _local_to_utc(day, start, tz)
            utc_end = _local_to_utc(day + ONE_DAY if end == MIDNIGHT else day, end, tz)
            if utc_end <= utc_start:
                continue  # the whole range fell into a DST gap
            if intervals and utc_start <= intervals[-1][1]:
                intervals[-1] = (intervals[-1][0], max(intervals[-1][1], utc_end))
            else:
                intervals.append((utc_start, utc_end))
        total = sum((b - a for a, b in intervals), timedelta())
        result = (intervals, total)
        if len(self._days) > 20_000:
            self._days.clear()
        self._days[day] = result
        return result


def _local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant, monotonic in the wall time.

    An ambiguous time (the repeated hour when clocks go back) is its first occurrence (fold=0).
    A time that does not exist (skipped when clocks go forward) is the instant the clocks jumped:
    the first real moment at or after it, so a range starting or ending in the gap loses nothing.
    """
    local = datetime.combine(day, at, tzinfo=tz)
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return utc
    # In the gap fold=1 applies the later offset (an instant before the jump), fold=0 the earlier one
    # (an instant after it): bisect between the two for the jump itself.
    before, after = local.replace(fold=1).astimezone(UTC), utc
    if after < before:
        before, after = after, before
    offset_before = before.astimezone(tz).utcoffset()
    while after - before > ONE_SECOND:
        middle = before + ONE_SECOND * ((after - before) // ONE_SECOND // 2)
        if middle.astimezone(tz).utcoffset() == offset_before:
            before = middle
        else:
            after = middle
    return after


def _as_time(seconds: int) -> time:
    if seconds >= 86400:
        return MIDNIGHT
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _aware_utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def _local_date(spec: CalendarSpec, value: datetime) -> date:
    return value.astimezone(spec.tz).date()


def business_time_between(spec: CalendarSpec, start: datetime, end: datetime) -> timedelta:
    """Exact business time between two instants (zero when end is not after start)."""
    start, end = _aware_utc(start, "start"), _aware_utc(end, "end")
    if end <= start:
        return timedelta()
    if spec.is_24x7:
        return end - start
    first, last = _local_date(spec, start), _local_date(spec, end)
    total = timedelta()
    day = first - ONE_DAY  # a DST oddity can leave the previous day's last range past local midnight
    while day <= last:
        intervals, day_total = spec.intervals_on(day)
        if day_total:
            if intervals[0][0] >= start and intervals[-1][1] <= end:
                total += day_total
            else:
                for a, b in intervals:
                    lo, hi = max(a, start), min(b, end)
                    if hi > lo:
                        total += hi - lo
        day += ONE_DAY
    return total


def business_seconds_between(spec: CalendarSpec, start: datetime, end: datetime) -> int:
    """Whole business seconds between two UTC-aware instants on the calendar (0 if end <= start)."""
    return business_time_between(spec, start, end) // ONE_SECOND


def add_business_seconds(spec: CalendarSpec, start: datetime, seconds: int) -> datetime:
    """The earliest UTC instant at which `seconds` business seconds have passed since start.

    Raises ValueError when the calendar has no working time within SEARCH_LIMIT_DAYS of where the
    search stands (a calendar without working hours, or one made only of holidays).
    """
    start = _aware_utc(start, "start")
    if seconds <= 0:
        return start
    remaining = timedelta(seconds=int(seconds))
    if spec.is_24x7:
        return start + remaining
    if not spec.hours:
        raise ValueError(f"calendar ({spec.timezone}) has no working hours: a due time cannot be computed")
    day = _local_date(spec, start) - ONE_DAY
    horizon = day + timedelta(days=HORIZON_DAYS)
    idle_days = 0
    while True:
        intervals, day_total = spec.intervals_on(day)
        if day_total:
            idle_days = 0
            if intervals[-1][1] > start:
                if intervals[0][0] >= start and day_total < remaining:
                    remaining -= day_total  # a whole working day ahead: skip it in one step
                else:
                    for a, b in intervals:
                        if b <= start:
                            continue
                        lo = max(a, start)
                        available = b - lo
                        if available >= remaining:
                            return lo + remaining
                        remaining -= available
        else:
            idle_days += 1
            if idle_days > SEARCH_LIMIT_DAYS:
                raise ValueError(
                    f"calendar ({spec.timezone}) has no working time in {SEARCH_LIMIT_DAYS} days "
                    f"after {day - timedelta(days=SEARCH_LIMIT_DAYS)}: a due time cannot be computed"
                )
        day += ONE_DAY
        if day > horizon:
            raise ValueError(
                f"{seconds} business seconds reach beyond {HORIZON_DAYS} days: too far to compute"
            )
