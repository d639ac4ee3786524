"""Changing a policy or calendar: preview what open clocks would change, then apply it."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla import services, tasks
from sla.models import SlaClock
from sla.selectors import clock_queryset, sla_clock_data
from tests.sla.conftest import sh
from tests.sla.factories import HolidayFactory, SlaPolicyFactory
from tests.ticketapp.factories import SampleTicketFactory

MON_9 = sh(2026, 3, 2, 9)


def start(ticket, at=MON_9, priority=3):
    return services.sla_clocks_start(
        ticket=ticket, applies_to="incident", priority=priority, service_id=None, at=at
    )


def test_a_new_holiday_shows_in_the_preview_and_moves_the_due_time_on_apply(office_policy, ticket, make_user):
    start(ticket, at=sh(2026, 3, 2, 17))  # resolution due Tuesday 12:00
    HolidayFactory(calendar=office_policy.calendar, date=date(2026, 3, 3), name="Office move")
    at = sh(2026, 3, 2, 17, 30)
    rows = services.sla_recompute_preview(calendar=office_policy.calendar, at=at)
    by_kind = {row["kind"]: row for row in rows}
    assert set(by_kind) == {"resolution"}  # the response is due Monday 18:00 either way
    resolution = by_kind["resolution"]
    assert resolution["ticket"] == str(ticket)
    assert resolution["old_due_at"] == sh(2026, 3, 3, 12)
    assert resolution["new_due_at"] == sh(2026, 3, 4, 12)  # Tuesday is off now
    assert resolution["old_target_seconds"] == resolution["new_target_seconds"] == 4 * 3600
    assert resolution["would_breach"] is False
    # The preview changed nothing.
    assert SlaClock.objects.get(kind="resolution").due_at == sh(2026, 3, 3, 12)
    staff = make_user("staff")
    assert services.sla_recompute_apply(calendar=office_policy.calendar, actor=staff, at=at) == 1
    clock = SlaClock.objects.get(kind="resolution")
    assert clock.due_at == sh(2026, 3, 4, 12)
    event = clock.events.last()
    assert event.kind == "recomputed"
    assert event.data["old_due_at"] == sh(2026, 3, 3, 12).isoformat()
    assert event.data["new_due_at"] == sh(2026, 3, 4, 12).isoformat()
    assert event.data["by"] == staff.username and event.data["calendar"] == "Office"
    # Applied: nothing left to change.
    assert services.sla_recompute_preview(calendar=office_policy.calendar, at=at) == []


def test_lowering_a_target_below_elapsed_would_breach(office_policy, ticket):
    start(ticket)
    services.sla_clock_complete(ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 9, 30))
    office_policy.resolution_minutes = 60
    office_policy.save()
    at = sh(2026, 3, 2, 11)
    rows = services.sla_recompute_preview(policy=office_policy, at=at)
    assert [(r["kind"], r["new_target_seconds"], r["would_breach"]) for r in rows] == [
        ("resolution", 3600, True)
    ]
    assert services.sla_recompute_apply(policy=office_policy, at=at) == 1
    clock = SlaClock.objects.get(kind="resolution")
    assert clock.state == "breached" and clock.breached_at == at and clock.target_seconds == 3600
    assert [e.kind for e in clock.events.all()][-2:] == ["recomputed", "breached"]
    # The stopped response clock kept its target.
    assert SlaClock.objects.get(kind="response").target_seconds == 3600


def test_raising_a_target_gives_paused_clocks_the_new_target_too(office_policy, ticket):
    start(ticket)
    services.sla_clocks_pause(ticket=ticket, reason="on hold", at=sh(2026, 3, 2, 10))
    office_policy.resolution_minutes = 480
    office_policy.save()
    rows = services.sla_recompute_preview(policy=office_policy, at=sh(2026, 3, 2, 11))
    assert [(r["kind"], r["old_due_at"], r["new_due_at"], r["new_target_seconds"]) for r in rows] == [
        ("resolution", None, None, 8 * 3600)
    ]
    tasks.sla_recompute_apply_task.delay(policy_id=office_policy.pk).get()
    assert SlaClock.objects.get(kind="resolution").target_seconds == 8 * 3600


def test_recompute_task_with_a_deleted_object_does_nothing(db):
    assert tasks.sla_recompute_apply_task(policy_id=999999) == 0
    assert tasks.sla_recompute_apply_task() == 0


def test_clock_list_costs_a_constant_number_of_queries(office_policy):
    other_policy = SlaPolicyFactory(priority=1, calendar=office_policy.calendar)

    def read_all():
        with CaptureQueriesContext(connection) as ctx:
            data = [sla_clock_data(c, now=sh(2026, 3, 2, 12)) for c in clock_queryset()]
        return len(ctx.captured_queries), data

    start(SampleTicketFactory())
    few, _ = read_all()
    for i in range(6):
        start(SampleTicketFactory(), priority=1 if i % 2 else 3)
    many, data = read_all()
    assert many == few
    assert len(data) == 14
    assert {d["name"].split(":")[0] for d in data} == {office_policy.name, other_policy.name}
