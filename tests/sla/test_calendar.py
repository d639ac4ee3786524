"""Business-time arithmetic: the pure functions every due time and elapsed time comes from."""

import time as timer
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla.calendar import (
    CalendarSpec,
    add_business_seconds,
    business_seconds_between,
    business_time_between,
)

H = 3600
OFFICE = [(time(9), time(12)), (time(13), time(18))]  # 8 h with a lunch break


def office(tz="Asia/Shanghai", ranges=None, days=range(5), holidays=(), workdays=()) -> CalendarSpec:
    ranges = OFFICE if ranges is None else ranges
    return CalendarSpec(
        timezone=tz,
        is_24x7=False,
        hours={d: list(ranges) for d in days},
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
    )


def local(tz: str, *args) -> datetime:
    """A local wall time as an aware UTC instant."""
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def span(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# The 2026 official schedule of mainland China.
CN_HOLIDAYS = [
    *span(date(2026, 1, 1), date(2026, 1, 3)),
    *span(date(2026, 2, 15), date(2026, 2, 23)),
    *span(date(2026, 4, 4), date(2026, 4, 6)),
    *span(date(2026, 5, 1), date(2026, 5, 5)),
    *span(date(2026, 6, 19), date(2026, 6, 21)),
    *span(date(2026, 9, 25), date(2026, 9, 27)),
    *span(date(2026, 10, 1), date(2026, 10, 7)),
]
CN_WORKDAYS = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]
CHINA = office(holidays=CN_HOLIDAYS, workdays=CN_WORKDAYS)
SH = "Asia/Shanghai"


# --- within a day ---------------------------------------------------------------------------------


def test_inside_working_hours_counts_wall_time():
    assert business_seconds_between(CHINA, local(SH, 2026, 3, 2, 10), local(SH, 2026, 3, 2, 11, 30)) == 5400


def test_lunch_break_does_not_count():
    assert business_seconds_between(CHINA, local(SH, 2026, 3, 2, 11), local(SH, 2026, 3, 2, 14)) == 2 * H


def test_start_before_opening_and_after_closing():
    assert business_seconds_between(CHINA, local(SH, 2026, 3, 2, 7), local(SH, 2026, 3, 2, 10)) == H
    assert business_seconds_between(CHINA, local(SH, 2026, 3, 2, 19), local(SH, 2026, 3, 3, 10)) == H
    # A due time from outside working hours starts counting at the next opening.
    assert add_business_seconds(CHINA, local(SH, 2026, 3, 2, 19), 30 * 60) == local(SH, 2026, 3, 3, 9, 30)
    assert add_business_seconds(CHINA, local(SH, 2026, 3, 2, 12, 15), 60 * 60) == local(SH, 2026, 3, 2, 14)


def test_reaching_the_target_at_closing_time_is_due_at_closing_not_next_morning():
    assert add_business_seconds(CHINA, local(SH, 2026, 3, 2, 17), H) == local(SH, 2026, 3, 2, 18)


def test_end_not_after_start_is_zero_and_zero_seconds_is_start():
    start = local(SH, 2026, 3, 2, 20)
    assert business_seconds_between(CHINA, start, start - timedelta(hours=5)) == 0
    assert add_business_seconds(CHINA, start, 0) == start


def test_fractions_of_a_second_are_floored():
    start = local(SH, 2026, 3, 2, 10)
    assert business_seconds_between(CHINA, start, start + timedelta(seconds=1, microseconds=999_999)) == 1


def test_midnight_as_end_means_end_of_day():
    evening = office(tz="UTC", ranges=[(time(18), time(0))])
    assert (
        business_seconds_between(
            evening, datetime(2026, 3, 2, 12, tzinfo=UTC), datetime(2026, 3, 3, 12, tzinfo=UTC)
        )
        == 6 * H
    )
    whole_day = office(tz="UTC", ranges=[(time(0), time(0))], days=range(7))
    assert (
        business_seconds_between(
            whole_day, datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC)
        )
        == 48 * H
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        business_seconds_between(CHINA, datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 11, tzinfo=UTC))


# --- nights, weekends, holidays, make-up days -------------------------------------------------------


def test_nights_and_weekends_do_not_count():
    # Friday 17:30 → Monday 09:30: half an hour on each side.
    assert business_seconds_between(CHINA, local(SH, 2026, 3, 6, 17, 30), local(SH, 2026, 3, 9, 9, 30)) == H
    assert add_business_seconds(CHINA, local(SH, 2026, 3, 6, 17), 2 * H) == local(SH, 2026, 3, 9, 10)


def test_spring_festival_with_its_makeup_saturday():
    # Fri 13 Feb 17:00 → Tue 24 Feb 10:00: 1 h Friday, 8 h on the make-up Saturday 14 Feb,
    # nothing 15–23 Feb (holidays), 1 h on Tuesday.
    start, end = local(SH, 2026, 2, 13, 17), local(SH, 2026, 2, 24, 10)
    assert business_seconds_between(CHINA, start, end) == 10 * H
    # Three business days (24 h) from Friday 17:00 are due Wednesday 25 Feb 17:00.
    assert add_business_seconds(CHINA, start, 24 * H) == local(SH, 2026, 2, 25, 17)
    # Without the schedule the same due time is a week and a half earlier.
    assert add_business_seconds(office(), start, 24 * H) == local(SH, 2026, 2, 18, 17)


def test_makeup_workday_works_mondays_hours():
    mornings_on_monday = CalendarSpec(
        timezone=SH,
        is_24x7=False,
        hours={0: [(time(9), time(12))], **{d: OFFICE for d in range(1, 5)}},
        workdays=frozenset([date(2026, 2, 14)]),
    )
    day = (local(SH, 2026, 2, 14, 0), local(SH, 2026, 2, 15, 0))
    assert business_seconds_between(mornings_on_monday, *day) == 3 * H


def test_holidays_are_local_dates_of_the_calendar():
    # 1 May starts at 16:00 UTC on 30 April in Shanghai: the evening UTC hours of 30 April are holiday.
    assert business_seconds_between(CHINA, local(SH, 2026, 4, 30, 9), local(SH, 2026, 5, 6, 10)) == 9 * H
    assert add_business_seconds(CHINA, local(SH, 2026, 4, 30, 17), 2 * H) == local(SH, 2026, 5, 6, 10)
    # 9 May (Saturday) is a make-up working day after Labour Day.
    assert add_business_seconds(CHINA, local(SH, 2026, 5, 8, 17), 2 * H) == local(SH, 2026, 5, 9, 10)


def test_national_day_week_and_the_makeup_saturday_after_it():
    # Tue 30 Sep 17:00 + 2 h: 1 h on the 30th, 1–7 Oct are holidays, 8 Oct (Thu) 09:00–10:00.
    assert add_business_seconds(CHINA, local(SH, 2026, 9, 30, 17), 2 * H) == local(SH, 2026, 10, 8, 10)
    # Fri 9 Oct 17:00 + 2 h: Saturday 10 Oct is a working day.
    assert add_business_seconds(CHINA, local(SH, 2026, 10, 9, 17), 2 * H) == local(SH, 2026, 10, 10, 10)


# --- time zones and DST -----------------------------------------------------------------------------

BE = "Europe/Berlin"
NY = "America/New_York"


def test_berlin_office_hours_across_spring_forward():
    berlin = office(tz=BE, ranges=[(time(8), time(17))])
    # Fri 27 Mar 16:00 CET + 2 h → Mon 30 Mar 09:00 CEST, which is 07:00 UTC (naive UTC maths: 08:00).
    due = add_business_seconds(berlin, local(BE, 2026, 3, 27, 16), 2 * H)
    assert due == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert due == local(BE, 2026, 3, 30, 9)


def test_berlin_office_hours_across_fall_back():
    berlin = office(tz=BE, ranges=[(time(8), time(17))])
    due = add_business_seconds(berlin, local(BE, 2026, 10, 23, 16), 2 * H)
    assert due == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert due == local(BE, 2026, 10, 26, 9)


def test_dst_days_are_23_and_25_hours_long():
    round_the_clock = office(tz=BE, ranges=[(time(0), time(0))], days=range(7))
    assert business_seconds_between(round_the_clock, local(BE, 2026, 3, 29), local(BE, 2026, 3, 30)) == 23 * H
    assert (
        business_seconds_between(round_the_clock, local(BE, 2026, 10, 25), local(BE, 2026, 10, 26)) == 25 * H
    )
    ny = office(tz=NY, ranges=[(time(0), time(0))], days=range(7))
    assert business_seconds_between(ny, local(NY, 2026, 3, 8), local(NY, 2026, 3, 9)) == 23 * H
    assert business_seconds_between(ny, local(NY, 2026, 11, 1), local(NY, 2026, 11, 2)) == 25 * H


def test_working_ranges_in_the_dst_gap_and_overlap_do_not_crash():
    night = office(tz=BE, ranges=[(time(1), time(4))], days=range(7))
    assert business_seconds_between(night, local(BE, 2026, 3, 29), local(BE, 2026, 3, 30)) == 2 * H
    assert business_seconds_between(night, local(BE, 2026, 10, 25), local(BE, 2026, 10, 26)) == 4 * H
    in_gap = office(tz=BE, ranges=[(time(2, 30), time(3, 30))], days=range(7))
    # 02:30 does not exist on 29 March: the range is worked from the jump (03:00 CEST) to 03:30.
    assert business_seconds_between(in_gap, local(BE, 2026, 3, 29), local(BE, 2026, 3, 30)) == 30 * 60
    only_gap = office(tz=BE, ranges=[(time(2, 15), time(2, 45))], days=range(7))
    assert business_seconds_between(only_gap, local(BE, 2026, 3, 29), local(BE, 2026, 3, 30)) == 0
    assert add_business_seconds(only_gap, local(BE, 2026, 3, 28, 12), 60) == local(BE, 2026, 3, 30, 2, 16)


def test_new_york_office_hours_across_both_changes():
    ny = office(tz=NY, ranges=[(time(9), time(17))])
    assert add_business_seconds(ny, local(NY, 2026, 3, 6, 16), 2 * H) == datetime(2026, 3, 9, 14, tzinfo=UTC)
    assert add_business_seconds(ny, local(NY, 2026, 10, 30, 16), 2 * H) == datetime(
        2026, 11, 2, 15, tzinfo=UTC
    )
    assert business_seconds_between(ny, local(NY, 2026, 3, 6, 9), local(NY, 2026, 3, 9, 17)) == 16 * H


def test_midnight_dst_zone():
    # Cuba moves its clocks at midnight: the local date starts at 01:00 on 8 March 2026.
    havana = office(tz="America/Havana", ranges=[(time(0), time(0))], days=range(7))
    assert (
        business_seconds_between(
            havana, local("America/Havana", 2026, 3, 7, 12), local("America/Havana", 2026, 3, 9, 12)
        )
        == 47 * H
    )


# --- 24×7 and broken calendars ----------------------------------------------------------------------


def test_24x7_is_wall_time_and_ignores_holidays():
    always = CalendarSpec(timezone=BE, is_24x7=True, holidays=frozenset([date(2026, 3, 29)]))
    start = local(BE, 2026, 3, 28, 22)
    assert business_seconds_between(always, start, start + timedelta(days=2)) == 48 * H
    assert add_business_seconds(always, start, 4 * H) == start + timedelta(hours=4)
    assert CalendarSpec.always().is_24x7


def test_calendar_without_working_time_raises_a_clear_error():
    with pytest.raises(ValueError, match="no working hours"):
        add_business_seconds(
            CalendarSpec(timezone="UTC", is_24x7=False), datetime(2026, 1, 1, tzinfo=UTC), 60
        )
    all_holidays = office(tz="UTC", holidays=span(date(2026, 1, 1), date(2031, 1, 1)))
    with pytest.raises(ValueError, match="no working time in"):
        add_business_seconds(all_holidays, datetime(2026, 1, 1, tzinfo=UTC), 60)


def test_long_spans_are_fast_and_exact():
    weekdays_all_day = office(tz="UTC", ranges=[(time(0), time(0))])
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
    weekdays = sum(1 for d in span(start.date(), end.date() - timedelta(days=1)) if d.weekday() < 5)
    began = timer.perf_counter()
    assert business_seconds_between(weekdays_all_day, start, end) == weekdays * 24 * H
    assert add_business_seconds(CHINA, local(SH, 2026, 1, 5, 9), 500 * 8 * H) > local(SH, 2027, 12, 1)
    assert timer.perf_counter() - began < 1.0


def test_overlapping_ranges_are_merged_not_counted_twice():
    overlapping = office(tz="UTC", ranges=[(time(9), time(13)), (time(12), time(18))])
    assert overlapping.hours[0] == [(time(9), time(18))]


# --- properties ---------------------------------------------------------------------------------------

SPECS = [
    CHINA,
    office(tz=BE, ranges=[(time(8), time(17))], holidays=[date(2026, 12, 25), date(2026, 12, 26)]),
    office(tz=NY, ranges=[(time(9), time(12)), (time(13), time(17))]),
    office(tz=BE, ranges=[(time(1), time(4)), (time(22), time(0))], days=range(7)),
    office(tz="America/Havana", ranges=[(time(0), time(6)), (time(20), time(0))], days=range(7)),
    office(tz="Australia/Lord_Howe", ranges=[(time(1), time(3))], days=(5, 6)),
    CalendarSpec.always(),
]
instants = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(UTC)
)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(spec=st.sampled_from(SPECS), start=instants, seconds=st.integers(0, 40 * 24 * H))
def test_add_and_between_are_inverse(spec, start, seconds):
    due = add_business_seconds(spec, start, seconds)
    assert due >= start
    assert business_seconds_between(spec, start, due) == seconds
    if seconds:
        # And it is the earliest such instant.
        assert business_seconds_between(spec, start, due - timedelta(seconds=1)) < seconds


@PROPERTY_SETTINGS
@given(
    spec=st.sampled_from(SPECS), start=instants, a=st.integers(0, 90 * 24 * H), b=st.integers(0, 90 * 24 * H)
)
def test_elapsed_is_monotonic_and_never_exceeds_wall_time(spec, start, a, b):
    first, second = sorted((a, b))
    end1, end2 = start + timedelta(seconds=first), start + timedelta(seconds=second)
    e1, e2 = business_seconds_between(spec, start, end1), business_seconds_between(spec, start, end2)
    assert 0 <= e1 <= e2
    assert e1 <= first and e2 <= second


@PROPERTY_SETTINGS
@given(
    spec=st.sampled_from(SPECS), start=instants, a=st.integers(0, 20 * 24 * H), b=st.integers(0, 20 * 24 * H)
)
def test_elapsed_is_additive(spec, start, a, b):
    middle, end = start + timedelta(seconds=a), start + timedelta(seconds=a + b)
    assert business_time_between(spec, start, end) == business_time_between(
        spec, start, middle
    ) + business_time_between(spec, middle, end)
