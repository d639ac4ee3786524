import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from problems.models import SuggestionEvent
from problems.selectors import suggestion_stats, suggestions_for_incident
from problems.services import (
    problem_apply_workaround,
    suggestion_record_deflection,
    suggestions_record_shown,
)
from tests.problems.factories import make_incident, make_known_error, make_problem


def test_incident_suggestions_rank_the_known_error_first(desk, known_error):
    make_known_error(actor=desk.agent, title="Printer jams on floor 2", symptoms="Paper jam in tray 2")
    incident = make_incident(
        actor=desk.agent, title="Outlook hangs", description="It keeps updating my inbox forever"
    )
    ranked = suggestions_for_incident(user=desk.agent, incident=incident)
    assert [r.problem.pk for r in ranked] == [known_error.pk]
    assert {"outlook", "updat", "inbox"} <= set(ranked[0].match.matched_terms)


def test_applying_a_workaround_links_the_incident_notes_both_and_counts(desk, known_error):
    incident = make_incident(actor=desk.agent, title="Outlook hangs updating inbox")
    linked = problem_apply_workaround(actor=desk.agent, problem=known_error, incident=incident, draft="d1")
    assert linked.problem_id == known_error.pk and linked.version == incident.version + 1
    event = incident.timeline_entries.get(event_code="problem_linked")
    assert known_error.number in event.body and "delete the OST cache" in event.body
    assert known_error.timeline_entries.filter(event_code="workaround_applied").exists()
    assert SuggestionEvent.objects.filter(problem=known_error, kind="applied", incident=incident).count() == 1
    # Applying again changes nothing and counts nothing.
    problem_apply_workaround(actor=desk.agent, problem=known_error, incident=incident)
    assert SuggestionEvent.objects.filter(kind="applied").count() == 1
    assert incident.audit_records.filter(changes__has_key="problem").exists()


def test_apply_is_refused_for_other_problems_and_unpublished_ones(desk, known_error):
    incident = make_incident(actor=desk.agent, title="Outlook")
    draft = make_problem(actor=desk.agent, title="Not published")
    with pytest.raises(ValidationError) as exc:
        problem_apply_workaround(actor=desk.agent, problem=draft, incident=incident)
    assert "problem" in exc.value.message_dict
    other = make_known_error(actor=desk.agent, title="Other known error")
    problem_apply_workaround(actor=desk.agent, problem=other, incident=incident)
    with pytest.raises(ValidationError) as exc:
        problem_apply_workaround(actor=desk.agent, problem=known_error, incident=incident)
    assert "already linked" in exc.value.message_dict["problem"][0]


def test_requesters_cannot_apply(desk, known_error):
    incident = make_incident(actor=desk.requester, title="Outlook")
    with pytest.raises(PermissionDenied):
        problem_apply_workaround(actor=desk.requester, problem=known_error, incident=incident)
    incident.refresh_from_db()
    assert incident.problem_id is None


def test_shown_counts_once_per_typing_session(desk, known_error):
    for _ in range(3):  # the panel re-renders on every pause in typing
        suggestions_record_shown(
            problem_ids=[known_error.pk], channel="portal", draft="abc", user=desk.requester
        )
    suggestions_record_shown(problem_ids=[known_error.pk], channel="portal", draft="def", user=desk.requester)
    suggestions_record_shown(problem_ids=[known_error.pk], channel="portal", draft="", user=desk.requester)
    suggestions_record_shown(
        problem_ids=[known_error.pk], channel="portal", draft="bad draft!", user=desk.requester
    )
    assert SuggestionEvent.objects.filter(kind="shown").count() == 2


def test_deflection_is_counted_once_per_session_and_feeds_the_rate(desk, known_error):
    for draft in ("s1", "s2", "s3", "s4"):
        suggestions_record_shown(
            problem_ids=[known_error.pk], channel="portal", draft=draft, user=desk.requester
        )
    suggestions_record_shown(
        problem_ids=[known_error.pk], channel="workspace", draft="agent1", user=desk.agent
    )
    suggestion_record_deflection(user=desk.requester, problem=known_error, draft="s1")
    suggestion_record_deflection(user=desk.requester, problem=known_error, draft="s1")  # double click
    stats = suggestion_stats()
    assert (stats.portal_sessions_shown, stats.portal_sessions_deflected) == (4, 1)
    assert stats.deflection_rate == pytest.approx(0.25)
    assert (stats.shown, stats.deflected) == (5, 1)


def test_deflection_without_a_session_still_counts_as_shown_and_deflected(desk, known_error):
    suggestion_record_deflection(user=desk.requester, problem=known_error)
    stats = suggestion_stats()
    assert stats.portal_sessions_shown == stats.portal_sessions_deflected == 1
    unpublished = make_problem(actor=desk.agent)
    with pytest.raises(ValidationError):
        suggestion_record_deflection(user=desk.requester, problem=unpublished)


def test_no_sessions_no_rate(db):
    assert suggestion_stats().deflection_rate is None
