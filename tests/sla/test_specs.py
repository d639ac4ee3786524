"""Compiled calendars are cached per process and keyed by the calendar's revision: lists of tickets
read no calendar rows, and any change to a calendar shows at once."""

from datetime import date, time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla import specs
from sla.models import Holiday, WorkingHours
from sla.selectors import attach_clocks, sla_clock_data, ticket_clocks
from sla.services import calendar_save
from tests.sla.conftest import sh
from tests.sla.factories import HolidayFactory
from tests.sla.test_clocks import MON_9, start
from tests.ticketapp.models import SampleTicket

TUE_12 = sh(2026, 3, 3, 12)  # Monday 8 working hours + Tuesday 09–12: 11 hours


def elapsed_hours(ticket, now=TUE_12) -> float:
    fresh = SampleTicket.objects.get(pk=ticket.pk)  # nothing attached yet
    resolution = next(c for c in ticket_clocks(fresh) if c.kind == "resolution")
    return sla_clock_data(resolution, now=now)["elapsed_seconds"] / 3600


def test_a_list_reads_no_calendar_rows_once_the_spec_is_cached(office_policy, ticket, make_user):
    start(ticket, at=MON_9)
    assert elapsed_hours(ticket) == 11
    tickets = list(SampleTicket.objects.all())
    with CaptureQueriesContext(connection) as ctx:
        attach_clocks(tickets)
        data = [sla_clock_data(c, now=TUE_12) for t in tickets for c in ticket_clocks(t)]
    assert len(ctx.captured_queries) == 1  # the clocks, with policy name and calendar revision joined
    assert "sla_workinghours" not in ctx.captured_queries[0]["sql"]
    assert {d["kind"] for d in data} == {"response", "resolution"}


def test_a_holiday_saved_through_the_service_shows_at_once(office_policy, ticket, make_user):
    start(ticket, at=MON_9)
    assert elapsed_hours(ticket) == 11
    calendar_save(
        actor=make_user("staff"),
        calendar=office_policy.calendar,
        holidays=[{"date": date(2026, 3, 3), "name": "Tuesday off"}],
    )
    assert elapsed_hours(ticket) == 8


def test_rows_written_directly_also_change_the_revision(office_policy, ticket):
    calendar = office_policy.calendar
    start(ticket, at=MON_9)
    assert elapsed_hours(ticket) == 11
    before = calendar.revision
    holiday = HolidayFactory(calendar=calendar, date=date(2026, 3, 3))  # a plain save (admin, shell)
    assert elapsed_hours(ticket) == 8
    holiday.delete()
    assert elapsed_hours(ticket) == 11
    Holiday.objects.create(calendar=calendar, date=date(2026, 3, 3))
    Holiday.objects.filter(calendar=calendar).delete()  # a queryset delete
    assert elapsed_hours(ticket) == 11
    WorkingHours.objects.filter(calendar=calendar, weekday=1, start=time(9)).delete()
    assert elapsed_hours(ticket) == 8  # Tuesday morning no longer counts
    calendar.refresh_from_db()
    assert calendar.revision > before


def test_another_process_with_an_old_spec_sees_the_new_revision(office_policy, ticket):
    start(ticket, at=MON_9)
    assert elapsed_hours(ticket) == 11
    # Simulate a second process: its cache keeps the old spec; the change happened elsewhere.
    stale = dict(specs._specs)
    HolidayFactory(calendar=office_policy.calendar, date=date(2026, 3, 3))
    specs._specs.update(stale)
    assert elapsed_hours(ticket) == 8  # the clock row carries the new revision: the old spec is not used
