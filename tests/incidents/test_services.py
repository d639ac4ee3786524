from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import StaleVersionError
from core.models import AuditRecord, Notification, TimelineEntry
from incidents.choices import TRANSITIONS, State
from incidents.models import AssignmentRule, Incident, IncidentSettings, PriorityMatrixEntry
from incidents.services import (
    incident_comment_add,
    incident_create,
    incident_rate,
    incident_report_from_portal,
    incident_transition,
    incident_update,
    incidents_auto_close,
    priority_for,
)
from tests.incidents.factories import CategoryFactory
from tests.org.factories import TeamFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [(1, 1, 1), (1, 2, 2), (2, 1, 2), (1, 3, 3), (2, 2, 3), (3, 1, 3), (2, 3, 4), (3, 2, 4), (3, 3, 5)],
)
def test_default_priority_matrix(db, impact, urgency, priority):
    assert priority_for(impact=impact, urgency=urgency) == priority


def test_configured_matrix_wins(db):
    PriorityMatrixEntry.objects.create(impact=3, urgency=3, priority=4)
    assert priority_for(impact=3, urgency=3) == 4


def test_create_numbers_routes_and_starts_sla(desk):
    with time_machine.travel(T0, tick=False):
        incident = incident_create(
            actor=desk.agent,
            requester=desk.requester,
            title="VPN down",
            impact=2,
            urgency=1,
            service=desk.service,
        )
    assert incident.number == "INC0001001"
    assert incident.priority == 2
    assert incident.assignment_group == desk.team  # the service's support team
    assert incident.state == State.NEW
    clocks = {c.kind: c for c in incident.sla_clocks.all()}
    assert set(clocks) == {"response", "resolution"}
    assert clocks["response"].due_at == T0 + timedelta(minutes=30)
    assert incident.sla_due_at == T0 + timedelta(minutes=30)
    assert AuditRecord.objects.filter(action="create", object_id=str(incident.pk)).exists()


def test_create_refuses_bad_levels_and_empty_title(desk):
    with pytest.raises(ValidationError) as err:
        incident_create(actor=desk.agent, title="  ", impact=4, urgency=0)
    assert "title" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        incident_create(actor=desk.agent, title="x", impact=4, urgency=0)
    assert set(err.value.error_dict) == {"impact", "urgency"}
    assert not Incident.objects.exists()


def test_assignment_rule_routes_by_category_with_least_loaded_member(desk):
    network = TeamFactory(name="Network")
    busy, free = desk.agent, desk.other
    network.members.add(busy, free)
    wifi = CategoryFactory(name="Wi-Fi")
    AssignmentRule.objects.create(order=1, category=wifi, team=network, strategy="least_loaded")
    incident_create(actor=desk.agent, title="busy one", assignment_group=network, assignee=busy)
    routed = incident_create(actor=desk.agent, title="Wi-Fi down", category=wifi)
    assert routed.assignment_group == network
    assert routed.assignee == free


def test_round_robin_alternates(desk):
    AssignmentRule.objects.create(order=1, service=desk.service, team=desk.team, strategy="round_robin")
    first = incident_create(actor=desk.agent, title="a", service=desk.service)
    second = incident_create(actor=desk.agent, title="b", service=desk.service)
    assert {first.assignee, second.assignee} == {desk.agent, desk.other}


def test_assignee_must_belong_to_the_team(desk, make_user):
    outsider = make_user("agent")
    with pytest.raises(ValidationError) as err:
        incident_create(actor=desk.agent, title="x", assignment_group=desk.team, assignee=outsider)
    assert "assignee" in err.value.error_dict


ALL_STATES = [s.value for s in State]


def _incident_in(desk, state):
    incident = incident_create(actor=desk.agent, title="x", service=desk.service)
    path = {
        "new": [],
        "in_progress": ["in_progress"],
        "on_hold": ["in_progress", "on_hold"],
        "resolved": ["in_progress", "resolved"],
        "closed": ["in_progress", "resolved", "closed"],
        "cancelled": ["cancelled"],
    }[state]
    for step in path:
        incident = incident_transition(
            actor=desk.agent,
            incident=incident,
            state=step,
            hold_reason="awaiting_vendor",
            resolution_code="solved_permanently",
            resolution_notes="fixed",
        )
    return incident


@pytest.mark.parametrize("source", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_every_transition_is_allowed_or_refused_by_the_table(desk, source, target):
    incident = _incident_in(desk, source)
    kwargs = {
        "hold_reason": "awaiting_caller",
        "resolution_code": "duplicate",
        "resolution_notes": "dup of INC1",
    }
    if target in TRANSITIONS[source]:
        moved = incident_transition(actor=desk.agent, incident=incident, state=target, **kwargs)
        assert moved.state == target
    else:
        with pytest.raises(ValidationError) as err:
            incident_transition(actor=desk.agent, incident=incident, state=target, **kwargs)
        assert "state" in err.value.error_dict
        incident.refresh_from_db()
        assert incident.state == source


def test_refusal_message_names_the_allowed_states(desk):
    incident = _incident_in(desk, "new")
    with pytest.raises(ValidationError) as err:
        incident_transition(actor=desk.agent, incident=incident, state="closed")
    assert err.value.error_dict["state"][0].messages == [
        "An incident cannot move from New to Closed. Allowed next states: In progress, Cancelled."
    ]


def test_hold_needs_a_reason_and_resolve_needs_code_and_notes(desk):
    incident = _incident_in(desk, "in_progress")
    with pytest.raises(ValidationError) as err:
        incident_transition(actor=desk.agent, incident=incident, state="on_hold")
    assert "hold_reason" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        incident_transition(actor=desk.agent, incident=incident, state="resolved", resolution_code="bogus")
    assert set(err.value.error_dict) == {"resolution_code", "resolution_notes"}


def test_hold_pauses_and_resume_continues_the_sla(desk):
    with time_machine.travel(T0, tick=False) as clock:
        incident = incident_create(actor=desk.agent, title="x", service=desk.service, impact=3, urgency=3)
        clock.shift(timedelta(minutes=10))
        incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
        clock.shift(timedelta(minutes=50))
        incident = incident_transition(
            actor=desk.agent, incident=incident, state="on_hold", hold_reason="awaiting_vendor"
        )
        assert incident.sla_due_at is None  # nothing is counting
        clock.shift(timedelta(hours=5))
        incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    resolution = incident.sla_clocks.get(kind="resolution")
    assert resolution.elapsed_seconds == 3600  # 10 + 50 minutes; the 5 hours on hold do not count
    assert resolution.due_at == T0 + timedelta(hours=6) + timedelta(minutes=4320 - 60)
    response = incident.sla_clocks.get(kind="response")
    assert response.state == "met"
    assert incident.responded_at == T0 + timedelta(minutes=10)


def test_reopen_is_counted_and_resumes_resolution_clock(desk):
    incident = _incident_in(desk, "resolved")
    assert incident.sla_clocks.get(kind="resolution").state == "met"
    incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    assert incident.reopen_count == 1
    assert incident.resolved_at is None
    assert incident.sla_clocks.get(kind="resolution").state == "running"


def test_requester_may_reopen_with_a_reason_or_confirm_but_not_work(desk):
    incident = incident_create(actor=desk.requester, title="Printer jam", service=desk.service)
    with pytest.raises(PermissionDenied):
        incident_transition(actor=desk.requester, incident=incident, state="in_progress")
    incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    incident = incident_transition(
        actor=desk.agent,
        incident=incident,
        state="resolved",
        resolution_code="user_error",
        resolution_notes="Explained",
    )
    with pytest.raises(ValidationError) as err:
        incident_transition(actor=desk.requester, incident=incident, state="in_progress")
    assert "comment" in err.value.error_dict
    incident = incident_transition(
        actor=desk.requester, incident=incident, state="in_progress", comment="Still jams"
    )
    assert incident.reopen_count == 1


def test_stale_version_is_refused(desk):
    incident = _incident_in(desk, "new")
    stale = incident.version
    incident_update(actor=desk.agent, incident=incident, version=stale, title="Edited by Li")
    with pytest.raises(StaleVersionError):
        incident_update(actor=desk.other, incident=incident, version=stale, title="Edited by Noah")
    incident.refresh_from_db()
    assert incident.title == "Edited by Li"


def test_reassignment_is_counted_and_timed_per_team(desk):
    network = TeamFactory(name="Network")
    with time_machine.travel(T0, tick=False) as clock:
        incident = incident_create(actor=desk.agent, title="x", service=desk.service)
        clock.shift(timedelta(minutes=30))
        incident = incident_update(actor=desk.agent, incident=incident, assignment_group=network)
    assert incident.reassignment_count == 1
    assert incident.first_assignment_group == desk.team
    assert incident.assignee is None
    from sla.models import TeamTimeShare

    shares = {s.team.name: s for s in TeamTimeShare.objects.filter(object_id=incident.pk)}
    assert shares["Service Desk"].wall_seconds == 1800
    assert shares["Network"].ended_at is None


def test_priority_change_recomputes_sla_target(desk):
    with time_machine.travel(T0, tick=False):
        incident = incident_create(actor=desk.agent, title="x", service=desk.service, impact=3, urgency=3)
        incident = incident_update(actor=desk.agent, incident=incident, impact=1, urgency=1)
    assert incident.priority == 1
    assert incident.sla_clocks.get(kind="resolution").target_seconds == 240 * 60
    assert incident.sla_due_at == T0 + timedelta(minutes=15)
    assert TimelineEntry.objects.filter(object_id=incident.pk, event_code="priority").exists()


def test_first_public_agent_comment_is_the_response(desk):
    incident = incident_create(actor=desk.requester, title="x", service=desk.service)
    incident_comment_add(actor=desk.agent, incident=incident, body="internal", is_internal=True)
    incident.refresh_from_db()
    assert incident.responded_at is None
    incident_comment_add(actor=desk.agent, incident=incident, body="Looking into it")
    incident.refresh_from_db()
    assert incident.responded_at is not None
    assert incident.sla_clocks.get(kind="response").state == "met"


def test_auto_close_after_configured_days(desk):
    IncidentSettings.objects.create(auto_close_days=3)
    with time_machine.travel(T0, tick=False) as clock:
        incident = _incident_in(desk, "resolved")
        clock.shift(timedelta(days=2))
        assert incidents_auto_close() == 0
        clock.shift(timedelta(days=2))
        assert incidents_auto_close() == 1
        assert incidents_auto_close() == 0  # safe to run twice
    incident.refresh_from_db()
    assert incident.state == State.CLOSED


def test_csat_only_for_the_requester_once_resolved(desk):
    incident = incident_create(actor=desk.requester, title="x", service=desk.service)
    with pytest.raises(ValidationError):
        incident_rate(actor=desk.requester, incident=incident, rating=5)
    incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    incident = incident_transition(
        actor=desk.agent,
        incident=incident,
        state="resolved",
        resolution_code="user_error",
        resolution_notes="ok",
    )
    with pytest.raises(ValidationError):
        incident_rate(actor=desk.agent, incident=incident, rating=5)
    with pytest.raises(ValidationError):
        incident_rate(actor=desk.requester, incident=incident, rating=9)
    assert incident_rate(actor=desk.requester, incident=incident, rating=4, comment="Good").rating == 4


def test_portal_report_infers_impact_and_urgency(desk):
    calm = incident_report_from_portal(requester=desk.requester, title="Printer prints faded pages")
    assert (calm.impact, calm.urgency, calm.priority) == (3, 3, 5)
    urgent = incident_report_from_portal(
        requester=desk.requester, title="VPN down, everyone in sales cannot work", service=desk.service
    )
    assert (urgent.impact, urgent.urgency) == (2, 1)
    chinese = incident_report_from_portal(
        requester=desk.requester, title="所有人都无法登录系统", service=desk.service
    )
    assert (chinese.impact, chinese.urgency) == (2, 1)


def test_notifications_reach_requester_and_assignee_in_their_language(
    desk, django_capture_on_commit_callbacks
):
    from accounts.models import Profile

    Profile.objects.create(user=desk.requester, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_create(
            actor=desk.agent,
            requester=desk.requester,
            title="VPN",
            assignment_group=desk.team,
            assignee=desk.other,
        )
    to_requester = Notification.objects.get(recipient=desk.requester)
    assert to_requester.subject.startswith(f"{incident.number} 已收到")
    assert Notification.objects.filter(recipient=desk.other, event="incident.new").exists()
