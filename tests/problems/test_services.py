import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import StaleVersionError
from incidents.services import incident_transition
from problems.choices import TRANSITIONS, State
from problems.models import Problem
from problems.services import (
    problem_create,
    problem_link_incidents,
    problem_publish,
    problem_transition,
    problem_unlink_incident,
    problem_update,
)
from tests.problems.factories import make_incident, make_problem

# How to reach each state from new, through allowed moves only.
PATHS = {
    State.NEW: [],
    State.INVESTIGATING: [State.INVESTIGATING],
    State.KNOWN_ERROR: [State.INVESTIGATING, State.KNOWN_ERROR],
    State.RESOLVED: [State.INVESTIGATING, State.RESOLVED],
    State.CLOSED: [State.INVESTIGATING, State.RESOLVED, State.CLOSED],
    State.CANCELLED: [State.CANCELLED],
}


def _problem_in(state, actor):
    problem = make_problem(actor=actor, workaround="Reconnect.", fix_notes="Patched the gateway.")
    for step in PATHS[state]:
        problem = problem_transition(actor=actor, problem=problem, state=step)
    assert problem.state == state
    return problem


@pytest.mark.parametrize("source", State.values)
@pytest.mark.parametrize("target", State.values)
def test_every_transition_is_allowed_or_refused_by_the_table(desk, source, target):
    problem = _problem_in(source, desk.agent)
    if target in TRANSITIONS[source]:
        moved = problem_transition(actor=desk.agent, problem=problem, state=target)
        assert moved.state == target
        assert moved.version == problem.version + 1
        entry = problem.timeline_entries.filter(event_code="state").order_by("id").last()
        assert (entry.data["from"], entry.data["to"]) == (source, target)
    else:
        with pytest.raises(ValidationError) as exc:
            problem_transition(actor=desk.agent, problem=problem, state=target)
        assert set(exc.value.message_dict) == {"state"}
        assert Problem.objects.get(pk=problem.pk).state == source


def test_unknown_state_is_refused_naming_state(desk):
    problem = make_problem(actor=desk.agent)
    with pytest.raises(ValidationError) as exc:
        problem_transition(actor=desk.agent, problem=problem, state="teleported")
    assert "state" in exc.value.message_dict


def test_a_problem_without_root_cause_and_workaround_cannot_be_published(desk):
    problem = make_problem(actor=desk.agent, symptoms="VPN drops")
    with pytest.raises(ValidationError) as exc:
        problem_publish(actor=desk.agent, problem=problem)
    assert {"root_cause", "workaround"} <= set(exc.value.message_dict)
    problem.refresh_from_db()
    assert (
        problem.state == State.NEW and problem.published_at is None
    )  # the pass via investigating rolled back

    problem_update(actor=desk.agent, problem=problem, root_cause="Idle timeout on the gateway is 60 s.")
    published = problem_publish(actor=desk.agent, problem=problem)
    assert published.state == State.KNOWN_ERROR and published.published_at is not None
    codes = list(
        problem.timeline_entries.filter(event_code__in=["state", "published"])
        .order_by("id")
        .values_list("event_code", flat=True)
    )
    assert codes == ["state", "state", "published"]


def test_publishing_twice_is_refused(desk):
    problem = make_problem(actor=desk.agent, workaround="Reconnect.")
    problem = problem_publish(actor=desk.agent, problem=problem)
    with pytest.raises(ValidationError) as exc:
        problem_publish(actor=desk.agent, problem=problem)
    assert "already a known error" in exc.value.message_dict["state"][0]


def test_closing_or_cancelling_takes_the_known_error_out_of_the_kedb(desk):
    problem = problem_publish(
        actor=desk.agent, problem=make_problem(actor=desk.agent, workaround="Reconnect.")
    )
    problem = problem_transition(
        actor=desk.agent, problem=problem, state=State.RESOLVED, fix_notes="New firmware"
    )
    assert problem.published_at is not None  # a fixed known error stays readable
    problem = problem_transition(actor=desk.agent, problem=problem, state=State.CLOSED)
    assert problem.published_at is None and problem.closed_at is not None
    other = problem_publish(actor=desk.agent, problem=make_problem(actor=desk.agent, workaround="x"))
    other = problem_transition(actor=desk.agent, problem=other, state=State.CANCELLED, comment="duplicate")
    assert other.published_at is None


def test_resolving_needs_the_permanent_fix(desk):
    problem = _problem_in(State.INVESTIGATING, desk.agent)
    problem.fix_notes = ""
    Problem.objects.filter(pk=problem.pk).update(fix_notes="")
    with pytest.raises(ValidationError) as exc:
        problem_transition(actor=desk.agent, problem=problem, state=State.RESOLVED)
    assert "fix_notes" in exc.value.message_dict
    resolved = problem_transition(
        actor=desk.agent,
        problem=problem,
        state=State.RESOLVED,
        fix_notes="Firmware 2.1",
        fix_change="CHG0001234",
    )
    assert resolved.resolved_at is not None and resolved.fix_change == "CHG0001234"


def test_reopening_a_resolved_problem_clears_resolved_at(desk):
    problem = _problem_in(State.RESOLVED, desk.agent)
    problem = problem_transition(
        actor=desk.agent, problem=problem, state=State.INVESTIGATING, comment="Back again"
    )
    assert problem.resolved_at is None


def test_resolving_can_resolve_the_linked_open_incidents_through_allowed_states(desk):
    new = make_incident(actor=desk.agent, title="VPN drops")
    working = incident_transition(
        actor=desk.agent, incident=make_incident(actor=desk.agent, title="VPN drops too"), state="in_progress"
    )
    waiting = incident_transition(
        actor=desk.agent,
        incident=incident_transition(
            actor=desk.agent, incident=make_incident(actor=desk.agent, title="VPN again"), state="in_progress"
        ),
        state="on_hold",
        hold_reason="awaiting_vendor",
    )
    done = make_incident(actor=desk.agent, title="VPN cancelled")
    done = incident_transition(actor=desk.agent, incident=done, state="cancelled")
    problem = make_problem(
        actor=desk.agent, workaround="Use the TCP profile.", incidents=[new, working, waiting, done]
    )
    problem = problem_transition(actor=desk.agent, problem=problem, state=State.INVESTIGATING)
    problem = problem_transition(
        actor=desk.agent,
        problem=problem,
        state=State.RESOLVED,
        fix_notes="Gateway firmware 2.1 deployed.",
        resolve_incidents=True,
        incident_note="workaround",
    )
    for incident in (new, working, waiting):
        incident.refresh_from_db()
        assert incident.state == "resolved"
        assert incident.resolution_code == "solved_workaround"
        assert incident.resolution_notes == f"{problem.number}: Use the TCP profile."
    done.refresh_from_db()
    assert done.state == "cancelled"
    assert problem.timeline_entries.filter(event_code="incidents_resolved").exists()


def test_resolving_with_the_workaround_needs_one(desk):
    problem = _problem_in(State.INVESTIGATING, desk.agent)
    Problem.objects.filter(pk=problem.pk).update(workaround="")
    with pytest.raises(ValidationError) as exc:
        problem_transition(
            actor=desk.agent,
            problem=problem,
            state=State.RESOLVED,
            resolve_incidents=True,
            incident_note="workaround",
        )
    assert "incident_note" in exc.value.message_dict


def test_requesters_cannot_work_problems(desk):
    with pytest.raises(PermissionDenied):
        problem_create(actor=desk.requester, title="Mine")
    problem = make_problem(actor=desk.agent)
    with pytest.raises(PermissionDenied):
        problem_transition(actor=desk.requester, problem=problem, state=State.INVESTIGATING)


def test_stale_version_is_refused(desk):
    problem = make_problem(actor=desk.agent)
    problem_update(actor=desk.agent, problem=problem, version=problem.version, root_cause="x")
    with pytest.raises(StaleVersionError):
        problem_update(actor=desk.agent, problem=problem, version=problem.version, root_cause="y")


def test_update_keeps_search_tokens_and_validates(desk):
    problem = make_problem(actor=desk.agent, title="Printer jams", symptoms="打印机卡纸")
    assert " printer " in problem.search_tokens and " 卡纸 " in problem.search_tokens
    problem = problem_update(actor=desk.agent, problem=problem, symptoms="Paper jams on floor 2")
    assert "卡纸" not in problem.search_tokens and " floor " in problem.search_tokens
    with pytest.raises(ValidationError) as exc:
        problem_update(actor=desk.agent, problem=problem, title=" ")
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        problem_update(actor=desk.agent, problem=problem, state="closed")
    assert "state" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        problem_update(actor=desk.agent, problem=problem, owner=desk.requester)
    assert "owner" in exc.value.message_dict


def test_published_known_error_keeps_a_workaround_or_root_cause(desk):
    problem = problem_publish(
        actor=desk.agent, problem=make_problem(actor=desk.agent, workaround="Reconnect")
    )
    with pytest.raises(ValidationError) as exc:
        problem_update(actor=desk.agent, problem=problem, workaround="")
    assert "workaround" in exc.value.message_dict


def test_link_and_unlink_incidents_record_on_both_timelines(desk):
    problem = make_problem(actor=desk.agent)
    a, b = make_incident(actor=desk.agent), make_incident(actor=desk.agent, title="VPN again")
    linked = problem_link_incidents(actor=desk.agent, problem=problem, incidents=[a, b])
    assert {i.pk for i in linked} == {a.pk, b.pk}
    assert set(problem.incidents.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert problem_link_incidents(actor=desk.agent, problem=problem, incidents=[a]) == []  # already linked
    assert a.timeline_entries.filter(event_code="problem_linked").count() == 1
    assert problem.timeline_entries.filter(event_code="incidents_linked").count() == 1

    other = make_problem(actor=desk.agent, title="Other")
    with pytest.raises(ValidationError) as exc:
        problem_link_incidents(actor=desk.agent, problem=other, incidents=[a])
    assert "already linked" in exc.value.message_dict["incidents"][0]

    problem_unlink_incident(actor=desk.agent, problem=problem, incident=a)
    a.refresh_from_db()
    assert a.problem_id is None
    with pytest.raises(ValidationError):
        problem_unlink_incident(actor=desk.agent, problem=problem, incident=a)


def test_closed_problems_take_no_incidents(desk):
    problem = _problem_in(State.CLOSED, desk.agent)
    with pytest.raises(ValidationError) as exc:
        problem_link_incidents(actor=desk.agent, problem=problem, incidents=[make_incident(actor=desk.agent)])
    assert "incidents" in exc.value.message_dict
