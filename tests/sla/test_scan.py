"""The scan: warnings, breaches and escalations, each exactly once, at the instant they happened."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from sla import services, tasks
from sla.models import SlaClock, SlaClockEvent
from tests.sla.conftest import sh
from tests.sla.factories import EscalationRuleFactory
from tests.ticketapp.factories import SampleTicketFactory

MON_9 = sh(2026, 3, 2, 9)


def start(ticket, at=MON_9):
    return services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None, at=at)


def events_of(ticket, kind):
    clock = SlaClock.objects.get(object_id=ticket.pk, kind=kind)
    return [(e.kind, e.percent, e.at) for e in clock.events.exclude(kind="started")]


def test_warnings_and_breach_are_recorded_once_each_at_their_instants(office_policy, ticket):
    start(ticket)
    # Resolution (4 h from Monday 09:00): 50% 11:00, 75% 12:00 (lunch starts), 90% 13:36, 100% 14:00.
    assert services.sla_scan(now=sh(2026, 3, 2, 11, 30)) == 2  # both clocks had a threshold due
    assert events_of(ticket, "resolution") == [("warned", 50, sh(2026, 3, 2, 11))]
    services.sla_scan(now=sh(2026, 3, 2, 13, 40))
    services.sla_scan(now=sh(2026, 3, 2, 13, 40))  # run twice: nothing twice
    assert events_of(ticket, "resolution") == [
        ("warned", 50, sh(2026, 3, 2, 11)),
        ("warned", 75, sh(2026, 3, 2, 12)),
        ("warned", 90, sh(2026, 3, 2, 13, 36)),
    ]
    # The response clock went through everything by 10:00 and breached exactly then.
    assert events_of(ticket, "response") == [
        ("warned", 50, sh(2026, 3, 2, 9, 30)),
        ("warned", 75, sh(2026, 3, 2, 9, 45)),
        ("warned", 90, sh(2026, 3, 2, 9, 54)),
        ("breached", 100, sh(2026, 3, 2, 10)),
    ]
    response = SlaClock.objects.get(kind="response")
    assert response.state == "breached" and response.breached_at == sh(2026, 3, 2, 10)
    assert response.warned_percent == 90 and response.next_check_at is None
    # Exactly at 14:00 the resolution target is reached, not yet breached; a second later it is.
    services.sla_scan(now=sh(2026, 3, 2, 14))
    assert SlaClock.objects.get(kind="resolution").breached_at is None
    services.sla_scan(now=sh(2026, 3, 2, 14, 0, 1))
    services.sla_scan(now=sh(2026, 3, 2, 16))
    resolution = SlaClock.objects.get(kind="resolution")
    assert resolution.breached_at == sh(2026, 3, 2, 14)
    assert [e for e in events_of(ticket, "resolution") if e[0] == "breached"] == [
        ("breached", 100, sh(2026, 3, 2, 14))
    ]
    assert resolution.next_check_at is None


def test_a_late_scan_still_records_the_crossing_instant(office_policy, ticket):
    start(ticket)
    services.sla_scan(now=sh(2026, 3, 5, 12))  # the worker was down for three days
    resolution = SlaClock.objects.get(kind="resolution")
    assert resolution.breached_at == sh(2026, 3, 2, 14)
    assert [e[0] for e in events_of(ticket, "resolution")] == ["warned", "warned", "warned", "breached"]


def test_scan_touches_only_clocks_at_a_threshold(office_policy):
    near, far = SampleTicketFactory(), SampleTicketFactory()
    start(near)
    start(far, at=sh(2026, 3, 2, 11, 20))
    far_before = {
        c.pk: (c.next_check_at, c.warned_percent) for c in SlaClock.objects.filter(object_id=far.pk)
    }
    assert services.sla_scan(now=sh(2026, 3, 2, 11, 30)) == 2  # both clocks of `near`, none of `far`
    assert {
        c.pk: (c.next_check_at, c.warned_percent) for c in SlaClock.objects.filter(object_id=far.pk)
    } == far_before
    assert not SlaClockEvent.objects.filter(clock__object_id=far.pk).exclude(kind="started").exists()
    # Nothing due: one indexed query finds nothing.
    with CaptureQueriesContext(connection) as ctx:
        assert services.sla_scan(now=sh(2026, 3, 2, 11, 31)) == 0
    assert len([q for q in ctx.captured_queries if "sla_slaclock" in q["sql"]]) == 1


def test_paused_and_stopped_clocks_are_not_scanned(office_policy, ticket):
    start(ticket)
    services.sla_clocks_pause(ticket=ticket, reason="on hold", at=sh(2026, 3, 2, 9, 10))
    assert services.sla_scan(now=sh(2026, 3, 9)) == 0


def test_scan_in_batches_processes_everything(office_policy):
    tickets = SampleTicketFactory.create_batch(3)
    for ticket in tickets:
        start(ticket)
    assert services.sla_scan(now=sh(2026, 3, 2, 9, 31), batch=2) == 3  # the response clocks
    assert SlaClockEvent.objects.filter(kind="warned").count() == 3  # 50% of each response clock


def test_escalation_rules_run_once_and_the_handler_is_called_after_commit(
    office_policy, ticket, handler_calls, django_capture_on_commit_callbacks
):
    EscalationRuleFactory(policy=office_policy, at_percent=75, action="notify_manager")
    EscalationRuleFactory(policy=office_policy, at_percent=100, action="raise_priority")
    start(ticket)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sla_scan(now=sh(2026, 3, 2, 9, 50))
        assert handler_calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [(c["kind"], c["event"], c["percent"], c["action"]) for c in handler_calls] == [
        ("response", "warned", 50, None),
        ("response", "warned", 75, None),
        ("response", "escalated", 75, "notify_manager"),
    ]
    handler_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_scan(now=sh(2026, 3, 2, 10, 5))
        services.sla_scan(now=sh(2026, 3, 2, 10, 5))
    assert [(c["event"], c["percent"], c["action"]) for c in handler_calls] == [
        ("warned", 90, None),
        ("breached", 100, None),
        ("escalated", 100, "raise_priority"),
    ]
    response = SlaClock.objects.get(kind="response")
    escalated = response.events.filter(kind="escalated")
    assert [(e.percent, e.data["action"]) for e in escalated] == [
        (75, "notify_manager"),
        (100, "raise_priority"),
    ]
    assert len(response.escalations_done) == 2


def test_a_failing_handler_is_logged_and_does_not_break_the_scan(
    office_policy, ticket, caplog, django_capture_on_commit_callbacks
):
    from sla import hooks
    from tests.ticketapp.models import SampleTicket

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    hooks.register_escalation_handler(SampleTicket, broken)
    try:
        start(ticket)
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            assert services.sla_scan(now=sh(2026, 3, 2, 10, 30)) == 1
    finally:
        hooks.unregister_escalation_handler(SampleTicket)
    assert "handler failed" in caplog.text
    assert SlaClock.objects.get(kind="response").state == "breached"


def test_without_a_handler_events_are_still_recorded(
    office_policy, ticket, django_capture_on_commit_callbacks
):
    start(ticket)
    with django_capture_on_commit_callbacks() as callbacks:
        services.sla_scan(now=sh(2026, 3, 2, 10, 30))
    assert callbacks == []
    assert SlaClockEvent.objects.filter(kind="breached").count() == 1


def test_scan_task(office_policy, ticket):
    start(ticket, at=sh(2026, 3, 2, 9) - timedelta(days=7))
    assert tasks.sla_scan.delay().get() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_never_process_a_clock_twice(office_policy):
    tickets = SampleTicketFactory.create_batch(20)
    for ticket in tickets:
        start(ticket)
    now = sh(2026, 3, 2, 16)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(services.sla_scan(now=now, batch=5))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) >= 40
    assert SlaClockEvent.objects.filter(kind="breached").count() == 40
    assert SlaClockEvent.objects.filter(kind="warned").count() == 40 * 3
