"""The life of a ticket's clocks: start, pause, resume, complete, reopen, cancel, reprioritize, teams."""

from datetime import time, timedelta

import pytest
import time_machine

from sla import services
from sla.models import SlaClock, SlaClockEvent, SlaPolicy, TeamTimeShare
from sla.selectors import policy_match, sla_clock_data, sla_clocks_for, sla_next_due
from tests.org.factories import ServiceFactory, TeamFactory
from tests.sla.conftest import sh
from tests.sla.factories import (
    BusinessCalendarFactory,
    HolidayFactory,
    OfficeCalendarFactory,
    SlaPolicyFactory,
)
from tests.ticketapp.factories import SampleTicketFactory

MON_9 = sh(2026, 3, 2, 9)


def start(ticket, at=MON_9, **kwargs):
    kwargs = {"applies_to": "incident", "priority": 3, "service_id": None, **kwargs}
    return services.sla_clocks_start(ticket=ticket, at=at, **kwargs)


def clocks_of(ticket) -> dict[str, SlaClock]:
    return {c.kind: c for c in sla_clocks_for(ticket=ticket)}


def kinds(clock) -> list[str]:
    return [e.kind for e in clock.events.all()]


# --- policy matching ---------------------------------------------------------------------------------


def test_policy_match_prefers_service_and_priority_then_priority_then_service_then_catch_all(db):
    calendar = BusinessCalendarFactory()
    vpn, erp = ServiceFactory(name="VPN"), ServiceFactory(name="ERP")
    catch_all = SlaPolicyFactory(calendar=calendar)
    service_only = SlaPolicyFactory(calendar=calendar, service=vpn)
    priority_only = SlaPolicyFactory(calendar=calendar, priority=2)
    both = SlaPolicyFactory(calendar=calendar, priority=2, service=vpn)
    SlaPolicyFactory(calendar=calendar, priority=2, service=vpn, is_active=False)
    SlaPolicyFactory(calendar=calendar, priority=2, service=vpn, applies_to="request")

    def match(priority, service):
        return policy_match(
            applies_to="incident", priority=priority, service_id=service.pk if service else None
        )

    assert match(2, vpn) == both
    assert match(2, erp) == priority_only
    assert match(2, None) == priority_only
    assert match(4, vpn) == service_only
    assert match(4, erp) == catch_all
    assert match(None, None) == catch_all
    assert policy_match(applies_to="request", priority=4, service_id=None) is None
    # Ties go to the lowest id.
    SlaPolicyFactory(calendar=calendar, priority=2)
    assert match(2, erp) == priority_only


# --- start -------------------------------------------------------------------------------------------


def test_start_creates_running_response_and_resolution_clocks_due_on_the_calendar(office_policy, ticket):
    team = TeamFactory()
    started = start(ticket, at=sh(2026, 3, 2, 17), team_id=team.pk)
    assert [c.kind for c in started] == ["response", "resolution"]
    clocks = clocks_of(ticket)
    response, resolution = clocks["response"], clocks["resolution"]
    assert response.state == resolution.state == "running"
    assert response.target_seconds == 3600 and resolution.target_seconds == 4 * 3600
    # Monday 17:00 + 1 h = 18:00; + 4 h = 1 h Monday, 3 h Tuesday morning → Tuesday 12:00.
    assert response.due_at == sh(2026, 3, 2, 18)
    assert resolution.due_at == sh(2026, 3, 3, 12)
    # The first threshold ahead (50%) is the next check.
    assert response.next_check_at == sh(2026, 3, 2, 17, 30)
    assert response.team_id == team.pk
    event = response.events.get()
    assert (
        event.kind == "started"
        and event.data["policy"] == "Office P3"
        and event.data["target_seconds"] == 3600
    )
    assert TeamTimeShare.objects.get().team == team


def test_start_is_idempotent(office_policy, ticket):
    first = start(ticket)
    again = start(ticket, at=MON_9 + timedelta(hours=1), priority=1)
    assert [c.pk for c in again] == [c.pk for c in first]
    assert SlaClock.objects.count() == 2 and SlaClockEvent.objects.count() == 2


def test_no_matching_policy_starts_nothing(office_policy, ticket):
    assert start(ticket, applies_to="request") == []
    assert not SlaClock.objects.exists()


# --- pause and resume --------------------------------------------------------------------------------


def test_pause_over_night_and_weekend_then_resume(office_policy, ticket):
    start(ticket, at=sh(2026, 3, 6, 16))  # Friday 16:00
    services.sla_clocks_pause(ticket=ticket, reason="on hold: awaiting vendor", at=sh(2026, 3, 6, 17, 30))
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.state == "paused" and resolution.elapsed_seconds == 90 * 60
    assert resolution.due_at is None and resolution.next_check_at is None
    assert resolution.live_elapsed_seconds(sh(2026, 3, 10, 12)) == 90 * 60  # paused: nothing counts
    services.sla_clocks_resume(ticket=ticket, reason="vendor answered", at=sh(2026, 3, 9, 10))  # Monday
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.state == "running"
    # 2.5 h remain from Monday 10:00: 10–12 and 13:00–13:30.
    assert resolution.due_at == sh(2026, 3, 9, 13, 30)
    paused, resumed = resolution.events.all()[1:]
    assert (paused.kind, paused.reason, paused.elapsed_seconds) == (
        "paused",
        "on hold: awaiting vendor",
        5400,
    )
    assert (resumed.kind, resumed.reason) == ("resumed", "vendor answered")
    assert resolution.live_elapsed_seconds(sh(2026, 3, 9, 11)) == 150 * 60


def test_pause_and_resume_only_touch_what_they_should(office_policy, ticket):
    start(ticket)
    services.sla_clock_complete(
        ticket=ticket, kind="response", reason="first response", at=MON_9 + timedelta(minutes=5)
    )
    assert len(services.sla_clocks_pause(ticket=ticket, reason="on hold", at=MON_9 + timedelta(hours=1))) == 1
    assert services.sla_clocks_pause(ticket=ticket, reason="again", at=MON_9 + timedelta(hours=2)) == []
    assert len(services.sla_clocks_resume(ticket=ticket, reason="back", at=MON_9 + timedelta(hours=2))) == 1
    assert services.sla_clocks_resume(ticket=ticket, reason="again", at=MON_9 + timedelta(hours=3)) == []
    assert kinds(clocks_of(ticket)["response"]) == ["started", "met"]


def test_pause_records_a_threshold_crossed_just_before(office_policy, ticket):
    start(ticket)
    # 75% of the response (45 min) passed at 09:45; the scan has not run yet when the ticket goes on hold.
    services.sla_clocks_pause(ticket=ticket, reason="on hold", at=sh(2026, 3, 2, 9, 50))
    response = clocks_of(ticket)["response"]
    assert [(e.kind, e.percent) for e in response.events.all()] == [
        ("started", 0),
        ("warned", 50),
        ("warned", 75),
        ("paused", 83),
    ]
    assert response.warned_percent == 75


# --- complete, breach, reopen, cancel ----------------------------------------------------------------


def test_complete_within_target_is_met(office_policy, ticket):
    start(ticket)
    clock = services.sla_clock_complete(
        ticket=ticket, kind="response", reason="first response", at=sh(2026, 3, 2, 9, 40)
    )
    assert (clock.state, clock.elapsed_seconds, clock.stopped_at) == ("met", 2400, sh(2026, 3, 2, 9, 40))
    assert clock.due_at is None and clock.next_check_at is None and clock.breached_at is None
    assert kinds(clock) == ["started", "met"]
    # Completing again changes nothing.
    services.sla_clock_complete(ticket=ticket, kind="response", reason="again", at=sh(2026, 3, 2, 11))
    assert kinds(clocks_of(ticket)["response"]) == ["started", "met"]


def test_complete_exactly_at_the_due_time_is_met(office_policy, ticket):
    start(ticket)
    clock = services.sla_clock_complete(
        ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 10)
    )
    assert clock.state == "met" and clock.elapsed_seconds == clock.target_seconds


def test_complete_after_the_due_time_is_breached_at_the_due_time(office_policy, ticket):
    start(ticket, at=sh(2026, 3, 2, 17, 30))
    # Due 18:30? No: 17:30 + 1 h of office time = Tuesday 09:30. Answered in the evening after 18:00 → met.
    clock = services.sla_clock_complete(
        ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 20)
    )
    assert clock.state == "met"
    ticket2 = SampleTicketFactory()
    start(ticket2, at=sh(2026, 3, 2, 17))
    # Due Monday 18:00; answered at 20:00 — no business second passed since, yet the due time is gone.
    clock = services.sla_clock_complete(
        ticket=ticket2, kind="response", reason="answered", at=sh(2026, 3, 2, 20)
    )
    assert clock.state == "breached"
    assert clock.breached_at == sh(2026, 3, 2, 18)
    assert clock.elapsed_seconds == clock.target_seconds
    assert [(e.kind, e.at) for e in clock.events.all()] == [
        ("started", sh(2026, 3, 2, 17)),
        ("breached", sh(2026, 3, 2, 18)),
        ("breached", sh(2026, 3, 2, 20)),
    ]
    assert clock.events.last().data["stopped"] is True


def test_breached_stays_breached_through_pause_resume_and_completion(office_policy, ticket):
    start(ticket)
    services.sla_scan(now=sh(2026, 3, 2, 10, 30))
    assert clocks_of(ticket)["response"].state == "breached"
    services.sla_clocks_pause(ticket=ticket, reason="on hold", at=sh(2026, 3, 2, 11))
    response = clocks_of(ticket)["response"]
    assert response.state == "breached" and response.is_paused
    assert sla_clock_data(response, now=sh(2026, 3, 2, 12))["paused"] is True
    services.sla_clocks_resume(ticket=ticket, reason="back", at=sh(2026, 3, 2, 14))
    assert clocks_of(ticket)["response"].state == "breached"
    clock = services.sla_clock_complete(
        ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 15)
    )
    assert clock.state == "breached" and clock.breached_at == sh(2026, 3, 2, 10)


def test_reopen_resumes_the_resolution_clock(office_policy, ticket):
    start(ticket)
    services.sla_clock_complete(ticket=ticket, kind="resolution", reason="resolved", at=sh(2026, 3, 2, 11))
    clock = services.sla_clock_reopen(
        ticket=ticket, reason="caller says it is broken again", at=sh(2026, 3, 3, 9)
    )
    assert clock.state == "running" and clock.stopped_at is None
    assert clock.elapsed_seconds == 2 * 3600
    assert clock.due_at == sh(2026, 3, 3, 11)
    assert kinds(clock) == ["started", "met", "reopened"]
    assert clock.events.last().reason == "caller says it is broken again"
    # Reopening an open clock does nothing.
    services.sla_clock_reopen(ticket=ticket, reason="again", at=sh(2026, 3, 3, 10))
    assert kinds(clocks_of(ticket)["resolution"]) == ["started", "met", "reopened"]


def test_reopen_of_a_breached_clock_stays_breached(office_policy, ticket):
    start(ticket)
    services.sla_clock_complete(ticket=ticket, kind="resolution", reason="resolved", at=sh(2026, 3, 3, 9))
    clock = services.sla_clock_reopen(ticket=ticket, reason="reopened", at=sh(2026, 3, 3, 10))
    assert clock.state == "breached" and clock.is_counting
    assert clock.breached_at == sh(2026, 3, 2, 14)
    # Past its target: due at the breach, and nothing more to check without escalation rules.
    assert clock.due_at == clock.breached_at and clock.next_check_at is None


def test_cancel_stops_open_clocks_and_keeps_a_breach(office_policy, ticket):
    start(ticket)
    services.sla_clock_complete(ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 9, 30))
    services.sla_clocks_cancel(ticket=ticket, reason="duplicate", at=sh(2026, 3, 2, 10))
    clocks = clocks_of(ticket)
    assert clocks["response"].state == "met"
    assert clocks["resolution"].state == "cancelled" and clocks["resolution"].stopped_at == sh(2026, 3, 2, 10)
    assert kinds(clocks["resolution"]) == ["started", "cancelled"]
    other = SampleTicketFactory()
    start(other)
    services.sla_clocks_cancel(ticket=other, reason="duplicate", at=sh(2026, 3, 2, 11))
    assert clocks_of(other)["response"].state == "breached"


# --- reprioritize ------------------------------------------------------------------------------------


def test_reprioritize_sets_new_targets_and_keeps_elapsed(office_policy, ticket):
    p1 = SlaPolicyFactory(
        name="Office P1", priority=1, calendar=office_policy.calendar, resolution_minutes=180
    )
    start(ticket)
    services.sla_clocks_reprioritize(
        ticket=ticket,
        applies_to="incident",
        priority=1,
        service_id=None,
        reason="priority 3 → 1",
        at=sh(2026, 3, 2, 10),
    )
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.policy == p1 and resolution.target_seconds == 3 * 3600
    assert resolution.elapsed_seconds == 3600 and resolution.state == "running"
    assert resolution.due_at == sh(2026, 3, 2, 12)
    event = resolution.events.last()
    assert event.kind == "recomputed" and event.reason == "priority 3 → 1"
    assert (event.data["old_target_seconds"], event.data["new_target_seconds"]) == (4 * 3600, 3 * 3600)
    assert event.data["old_due_at"] == sh(2026, 3, 2, 14).isoformat()


def test_reprioritize_past_the_new_target_breaches_at_once(office_policy, ticket):
    SlaPolicyFactory(
        name="P1", priority=1, calendar=office_policy.calendar, response_minutes=15, resolution_minutes=60
    )
    start(ticket)
    at = sh(2026, 3, 2, 11)
    services.sla_clocks_reprioritize(
        ticket=ticket, applies_to="incident", priority=1, service_id=None, reason="major", at=at
    )
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.state == "breached" and resolution.breached_at == at
    assert kinds(resolution)[-2:] == ["recomputed", "breached"]


def test_reprioritize_to_another_calendar_counts_the_past_on_the_old_one(office_policy, ticket):
    SlaPolicyFactory(name="P1 24x7", priority=1, calendar=BusinessCalendarFactory(), resolution_minutes=240)
    start(ticket, at=sh(2026, 3, 2, 17))
    services.sla_clocks_reprioritize(
        ticket=ticket,
        applies_to="incident",
        priority=1,
        service_id=None,
        reason="major",
        at=sh(2026, 3, 2, 20),
    )
    resolution = clocks_of(ticket)["resolution"]
    # 1 office hour counted (17–18); 3 h remain round the clock from 20:00.
    assert resolution.elapsed_seconds == 3600
    assert resolution.due_at == sh(2026, 3, 2, 23)


def test_reprioritize_without_a_policy_leaves_clocks_and_without_clocks_starts_them(office_policy, ticket):
    start(ticket)
    services.sla_clocks_reprioritize(
        ticket=ticket, applies_to="request", priority=3, service_id=None, reason="x"
    )
    assert {c.policy_id for c in clocks_of(ticket).values()} == {office_policy.pk}
    fresh = SampleTicketFactory()
    assert start(fresh, applies_to="request") == []
    SlaPolicyFactory(applies_to="request", calendar=office_policy.calendar)
    clocks = services.sla_clocks_reprioritize(
        ticket=fresh, applies_to="request", priority=3, service_id=None, reason="x", at=MON_9
    )
    assert len(clocks) == 2


# --- teams (OLA) -------------------------------------------------------------------------------------


def test_team_shares_record_each_teams_business_and_wall_time(office_policy, ticket):
    desk, network = TeamFactory(name="Desk"), TeamFactory(name="Network")
    start(ticket, at=sh(2026, 3, 2, 17), team_id=desk.pk)
    services.sla_team_change(ticket=ticket, team_id=network.pk, at=sh(2026, 3, 3, 10))
    assert {c.team_id for c in clocks_of(ticket).values()} == {network.pk}
    # The same team again changes nothing.
    services.sla_team_change(ticket=ticket, team_id=network.pk, at=sh(2026, 3, 3, 11))
    services.sla_clock_complete(ticket=ticket, kind="resolution", reason="resolved", at=sh(2026, 3, 3, 14))
    first, second = TeamTimeShare.objects.order_by("started_at")
    assert (first.team, first.business_seconds, first.wall_seconds) == (desk, 2 * 3600, 17 * 3600)
    assert (second.team, second.business_seconds, second.wall_seconds) == (network, 3 * 3600, 4 * 3600)
    assert second.ended_at == sh(2026, 3, 3, 14)


def test_team_shares_without_clocks_use_round_the_clock_time(db, ticket):
    team = TeamFactory()
    services.sla_team_change(ticket=ticket, team_id=team.pk, at=MON_9)
    services.sla_team_change(ticket=ticket, team_id=None, at=MON_9 + timedelta(hours=30))
    share = TeamTimeShare.objects.get()
    assert share.business_seconds == share.wall_seconds == 30 * 3600


# --- reads -------------------------------------------------------------------------------------------


def test_clock_data_is_the_api_shape(office_policy, ticket):
    start(ticket)
    response = clocks_of(ticket)["response"]
    data = sla_clock_data(response, now=sh(2026, 3, 2, 9, 30))
    assert data == {
        "name": "Office P3: Response",
        "kind": "response",
        "state": "running",
        "due_at": sh(2026, 3, 2, 10),
        "elapsed_seconds": 1800,
        "target_seconds": 3600,
        "percent": 50,
        "breached_at": None,
        "paused": False,
    }
    # Past the due time the clock reads as breached at its due time, before the scan records it.
    late = sla_clock_data(response, now=sh(2026, 3, 2, 10, 0, 30))
    assert (late["state"], late["breached_at"], late["percent"]) == ("breached", sh(2026, 3, 2, 10), 100)


def test_next_due_is_the_earliest_counting_clock(office_policy, ticket):
    start(ticket)
    assert sla_next_due(ticket=ticket) == sh(2026, 3, 2, 10)
    services.sla_clock_complete(ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 9, 30))
    assert sla_next_due(ticket=ticket) == sh(2026, 3, 2, 14)
    services.sla_clocks_pause(ticket=ticket, reason="on hold", at=sh(2026, 3, 2, 9, 45))
    assert sla_next_due(ticket=ticket) is None


def test_default_time_is_now(office_policy, ticket):
    with time_machine.travel(MON_9, tick=False):
        clocks = start(ticket, at=None)
    assert clocks[0].started_at == MON_9


def test_a_holiday_moves_the_due_time(db, ticket):
    calendar = OfficeCalendarFactory(name="With holiday", timezone="UTC", ranges=[(time(9), time(17))])
    HolidayFactory(calendar=calendar, date=MON_9.date() + timedelta(days=1))
    SlaPolicyFactory(calendar=calendar, resolution_minutes=16 * 60, response_minutes=60)
    start(ticket, at=MON_9.replace(hour=9))
    # Monday 8 h, Tuesday a holiday, Wednesday 8 h.
    assert clocks_of(ticket)["resolution"].due_at == MON_9.replace(day=4, hour=17)


@pytest.mark.parametrize("kind", ["response", "resolution"])
def test_complete_unknown_ticket_clock_is_none(db, ticket, kind):
    assert services.sla_clock_complete(ticket=ticket, kind=kind, reason="x") is None


def test_policy_targets_are_in_seconds(db):
    policy = SlaPolicy(response_minutes=15, resolution_minutes=240)
    assert (policy.target_seconds("response"), policy.target_seconds("resolution")) == (900, 14400)


def test_a_clock_met_years_late_records_its_percent(office_policy, ticket):
    """A forgotten ticket closed two years on is far past 32767 % of a one-hour target (PostgreSQL smallint)."""
    start(ticket)
    services.sla_clock_complete(
        ticket=ticket, kind="response", reason="finally", at=MON_9 + timedelta(days=730)
    )
    clock = clocks_of(ticket)["response"]
    assert clock.state == "breached"
    last = clock.events.order_by("at", "id").last()
    assert last.percent > 32767
