from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import ApprovalRequest
from changes.models import Change, ChangeSettings, RiskOption, RiskQuestion
from changes.services import (
    change_create,
    change_mark_induced,
    change_templates_health,
    change_transition,
    change_update,
)
from core.models import Notification
from tests.changes.conftest import NOW, freeze, normal, to_authorize, window

pytestmark = pytest.mark.django_db


def test_standard_change_is_scheduled_at_once_in_the_templates_window(cm):
    change = change_create(actor=cm.agent, type="standard", title="", template=cm.template, at=NOW)
    assert change.state == "scheduled"
    assert change.title == "Restart application pool"
    assert change.planned_start == NOW.replace(day=3, hour=22, minute=0)  # next Tuesday 22:00
    assert change.planned_end - change.planned_start == timedelta(minutes=30)
    assert not ApprovalRequest.objects.exists()
    assert [s.name for s in change.services.all()] == ["ERP"]


def test_standard_change_skips_a_frozen_window(cm):
    freeze(start=0, length=48)  # covers Tuesday night
    change = change_create(actor=cm.agent, type="standard", title="", template=cm.template, at=NOW)
    assert change.planned_start == NOW.replace(day=10, hour=22)


def test_demoted_template_follows_the_normal_path(cm):
    cm.template.demoted = True
    cm.template.save()
    change = change_create(actor=cm.agent, type="standard", title="", template=cm.template, at=NOW)
    assert (change.type, change.state) == ("normal", "draft")
    assert change.template == cm.template


def test_standard_needs_a_template_and_cannot_assess(cm):
    with pytest.raises(ValidationError) as exc:
        change_create(actor=cm.agent, type="standard", title="x", at=NOW)
    assert "template" in exc.value.error_dict


@pytest.mark.parametrize(
    ("risk", "steps"),
    [("low", ["Change manager"]), ("medium", ["Change manager"]), ("high", ["Change manager", "CAB"])],
)
def test_risk_decides_the_approval_path(cm, decide, risk, steps):
    change = to_authorize(cm, normal(cm, risk=risk))
    assert change.state == "authorize"
    request = change.approval_requests.get()
    assert [s.name for s in request.steps.all()] == steps
    decide(request=request, approver=cm.manager, decision="approved")
    if risk == "high":
        change.refresh_from_db()
        assert change.state == "authorize"
        with pytest.raises(PermissionDenied):  # agents and managers outside cab cannot decide CAB
            decide(request=request, approver=cm.manager, decision="approved")
        decide(request=request, approver=cm.cab, decision="approved")
    change.refresh_from_db()
    assert change.state == "scheduled"


def test_rejection_stops_the_change_with_the_reason(cm, decide):
    change = to_authorize(cm, normal(cm))
    request = change.approval_requests.get()
    with pytest.raises(ValidationError) as exc:
        decide(request=request, approver=cm.manager, decision="rejected", comment="")
    assert "comment" in exc.value.error_dict
    decide(request=request, approver=cm.manager, decision="rejected", comment="No back-out test")
    change.refresh_from_db()
    assert change.state == "rejected" and change.rejection_reason == "No back-out test"
    assert Notification.objects.filter(recipient=cm.agent, event="change.rejected").exists()


def test_emergency_goes_to_emergency_cab_bypasses_freeze_and_needs_review(cm, decide):
    freeze(start=0, length=48)
    start, end = window(2)
    change = change_create(
        actor=cm.agent,
        type="emergency",
        title="Patch 0-day",
        services=[cm.mail],
        planned_start=start,
        planned_end=end,
        at=NOW,
    )
    assert change.needs_review and change.freeze_bypassed
    assert change.timeline_entries.filter(event_code="freeze_bypass").exists()
    change = change_transition(actor=cm.agent, change=change, state="authorize", at=NOW)
    request = change.approval_requests.get()
    assert [s.name for s in request.steps.all()] == ["Emergency CAB"]
    decide(request=request, approver=cm.cab, decision="approved")
    change.refresh_from_db()
    assert change.state == "scheduled"


def test_normal_change_into_a_freeze_is_refused_with_the_reason(cm):
    freeze(start=0, length=48)
    with pytest.raises(ValidationError) as exc:
        normal(cm, start=24)
    assert "Year-end" in exc.value.message_dict["planned_start"][0]


def test_freeze_limited_to_services_spares_others(cm):
    freeze(start=0, length=48, services=[cm.erp])
    assert normal(cm, start=24, services=[cm.mail]).planned_start is not None
    with pytest.raises(ValidationError):
        normal(cm, start=24, services=[cm.erp])


def test_lifecycle_to_closed_and_bad_moves(cm, decide):
    change = normal(cm)
    with pytest.raises(ValidationError) as exc:
        change_transition(actor=cm.agent, change=change, state="implement")
    assert "state" in exc.value.error_dict
    change = to_authorize(cm, change)
    decide(request=change.approval_requests.get(), approver=cm.manager, decision="approved")
    change = Change.objects.get(pk=change.pk)
    change = change_transition(actor=cm.agent, change=change, state="implement")
    assert change.actual_start is not None
    with pytest.raises(ValidationError) as exc:
        change_transition(actor=cm.agent, change=change, state="review")
    assert "outcome" in exc.value.error_dict
    change = change_transition(actor=cm.agent, change=change, state="review", outcome="successful")
    change = change_transition(actor=cm.agent, change=change, state="closed", review_notes="Fine")
    assert (change.state, change.review_notes) == ("closed", "Fine")


def test_assess_needs_plans_and_window(cm):
    change = change_create(actor=cm.agent, type="normal", title="Vague", at=NOW)
    with pytest.raises(ValidationError) as exc:
        change_transition(actor=cm.agent, change=change, state="assess")
    assert {"planned_start", "implementation_plan", "backout_plan"} <= set(exc.value.error_dict)


def test_cancel_withdraws_the_pending_approval(cm):
    change = to_authorize(cm, normal(cm))
    change_transition(actor=cm.agent, change=change, state="cancelled")
    assert change.approval_requests.get().state == "cancelled"


def test_requesters_cannot_raise_changes(cm):
    with pytest.raises(PermissionDenied):
        change_create(actor=cm.requester, type="normal", title="x")


def test_risk_questionnaire_scores_the_risk(cm):
    impact = RiskQuestion.objects.create(text="Impact if it fails?", order=1)
    small = RiskOption.objects.create(question=impact, label="One team", weight=1)
    big = RiskOption.objects.create(question=impact, label="Everyone", weight=6)
    tested = RiskQuestion.objects.create(text="Back-out tested?", order=2)
    yes = RiskOption.objects.create(question=tested, label="Yes", weight=0)
    no = RiskOption.objects.create(question=tested, label="No", weight=5)
    low = normal(cm, risk=None, risk_answers={str(impact.pk): small.pk, str(tested.pk): yes.pk})
    assert (low.risk, low.risk_score) == ("low", 1)
    high = normal(cm, risk=None, start=50, risk_answers={str(impact.pk): big.pk, str(tested.pk): no.pk})
    assert (high.risk, high.risk_score) == ("high", 11)
    with pytest.raises(ValidationError) as exc:
        normal(cm, risk=None, start=80, risk_answers={str(impact.pk): big.pk})
    assert "risk_answers" in exc.value.error_dict
    change = change_update(
        actor=cm.agent, change=low, risk_answers={str(impact.pk): big.pk, str(tested.pk): yes.pk}
    )
    assert (change.risk, change.risk_score) == ("medium", 6)


def _implemented(cm, **kwargs):
    change = change_create(actor=cm.agent, type="standard", title="", template=cm.template, **kwargs)
    change = change_transition(actor=cm.agent, change=change, state="implement")
    return change


def test_change_induced_within_seven_days_of_implementation(cm):
    from incidents.services import incident_create

    with time_machine.travel(NOW, tick=False):
        change = _implemented(cm)
        change = change_transition(actor=cm.agent, change=change, state="review", outcome="successful")
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        late = incident_create(actor=cm.agent, title="Pool down again")
    assert change_mark_induced(change=change, incident=late, actor=cm.agent) is False
    with time_machine.travel(NOW + timedelta(days=6, hours=23), tick=False):
        soon = incident_create(actor=cm.agent, title="Pool down")
    assert change_mark_induced(change=change, incident=soon, actor=cm.agent) is True
    change.refresh_from_db()
    assert change.is_change_induced
    assert change.timeline_entries.filter(event_code="change_induced").exists()
    not_done = normal(cm, start=100)
    assert change_mark_induced(change=not_done, incident=soon, actor=cm.agent) is False


def test_template_health_flags_and_demotes_past_the_threshold(cm):
    ChangeSettings.objects.create(demote_flagged_templates=True)
    outcomes = ["successful", "successful", "successful", "failed", "failed"]
    for outcome in outcomes:
        change = _implemented(cm)
        change_transition(actor=cm.agent, change=change, state="review", outcome=outcome)
    flagged = change_templates_health()
    cm.template.refresh_from_db()
    assert [t.pk for t in flagged] == [cm.template.pk]
    assert cm.template.failure_rate == pytest.approx(0.4)
    assert cm.template.flagged and cm.template.demoted
    assert Notification.objects.filter(recipient=cm.manager, event="change.template_flagged").count() == 1
    assert change_templates_health() == []  # idempotent: no second notice
    demoted = change_create(actor=cm.agent, type="standard", title="", template=cm.template)
    assert demoted.type == "normal" and demoted.state == "draft"


def test_template_health_needs_enough_completed_changes(cm):
    change = _implemented(cm)
    change_transition(actor=cm.agent, change=change, state="review", outcome="failed")
    assert change_templates_health() == []
    cm.template.refresh_from_db()
    assert cm.template.failure_rate == 1.0 and not cm.template.flagged


def test_approved_change_blocked_by_a_new_freeze_is_scheduled_by_hand_after_moving(cm, decide):
    change = to_authorize(cm, normal(cm, start=24))
    with pytest.raises(ValidationError) as exc:
        change_transition(actor=cm.agent, change=change, state="scheduled")
    assert "waiting for approval" in exc.value.message_dict["state"][0]
    freeze(start=0, length=48)
    decide(request=change.approval_requests.get(), approver=cm.manager, decision="approved")
    change.refresh_from_db()
    assert change.state == "authorize"
    assert change.timeline_entries.filter(event_code="not_scheduled").exists()
    start, end = window(72)
    change = change_update(actor=cm.agent, change=change, planned_start=start, planned_end=end)
    change = change_transition(actor=cm.agent, change=change, state="scheduled")
    assert change.state == "scheduled"


def test_a_requested_time_outside_the_template_window_snaps_to_the_next_window(cm):
    start, _end = window(24 * 8)  # the next Tuesday but one, 09:00
    change = change_create(
        actor=cm.agent, type="standard", title="", template=cm.template, planned_start=start, at=NOW
    )
    assert change.planned_start == start.replace(hour=22)
