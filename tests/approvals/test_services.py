from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals import hooks
from approvals.selectors import approvals_waiting_for
from approvals.services import approval_cancel, approval_decide, approval_request, approvals_remind
from core.models import Notification
from org.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    """Record hook calls for a target model with no process (Team stands in for any record)."""
    seen = []
    hooks.register_approval_handler(
        Team, lambda **kw: seen.append((kw["event"], kw["step"] and kw["step"].name))
    )
    yield seen
    hooks._handlers.pop(Team, None)


@pytest.fixture
def target():
    return Team.objects.create(name="Anything")


def test_any_one_approves_and_the_owner_hears_after_commit(
    make_user, target, events, django_capture_on_commit_callbacks
):
    manager, requester = make_user("manager"), make_user("agent")
    request = approval_request(
        target=target, steps=[{"name": "Manager", "group": "managers"}], requested_by=requester
    )
    assert Notification.objects.filter(recipient=manager, event="approval.requested").exists()
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(request=request, approver=manager, decision="approved", comment="ok")
    request.refresh_from_db()
    assert request.state == "approved"
    assert events == [("approved", "Manager")]


def test_all_must_approve_named_users_in_order(make_user, target, events, django_capture_on_commit_callbacks):
    a, b, cab = make_user("agent"), make_user("agent"), make_user("cab")
    request = approval_request(
        target=target,
        steps=[{"name": "Owners", "users": [a, b], "mode": "all"}, {"name": "CAB", "group": "cab"}],
        requested_by=a,
    )
    with pytest.raises(ValidationError):  # the CAB step is not active yet
        approval_decide(approval_step=request.steps.get(name="CAB"), approver=cab, decision="approved")
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(request=request, approver=a, decision="approved")
    assert request.steps.get(name="Owners").state == "pending"
    assert list(approvals_waiting_for(user=cab)) == []
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(request=request, approver=b, decision="approved")
    assert [s.step.name if hasattr(s, "step") else s.name for s in approvals_waiting_for(user=cab)] == ["CAB"]
    with pytest.raises(ValidationError):
        approval_decide(request=request, approver=cab, decision="rejected", comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(request=request, approver=cab, decision="rejected", comment="Too risky")
    request.refresh_from_db()
    assert (request.state, request.reason) == ("rejected", "Too risky")
    assert events == [("step_approved", "Owners"), ("rejected", "CAB")]


def test_only_eligible_approvers_decide_and_only_once(make_user, target):
    agent, cab, cab2 = make_user("agent"), make_user("cab"), make_user("cab")
    request = approval_request(
        target=target, steps=[{"name": "CAB", "group": "cab", "mode": "all"}], requested_by=agent
    )
    with pytest.raises(PermissionDenied):
        approval_decide(request=request, approver=agent, decision="approved")
    approval_decide(request=request, approver=cab, decision="approved")
    with pytest.raises(ValidationError):
        approval_decide(request=request, approver=cab, decision="approved")
    approval_decide(request=request, approver=cab2, decision="approved")
    request.refresh_from_db()
    assert request.state == "approved"


def test_cancel_and_decisions_after_it(make_user, target):
    manager = make_user("manager")
    request = approval_request(
        target=target, steps=[{"name": "M", "group": "managers"}], requested_by=manager
    )
    approval_cancel(request=request, actor=manager, reason="withdrawn")
    assert approval_cancel(request=request, actor=manager).state == "cancelled"
    with pytest.raises(ValidationError):
        approval_decide(request=request, approver=manager, decision="approved")
    assert list(approvals_waiting_for(user=manager)) == []


def test_reminders_after_n_hours_once_per_period(make_user, target):
    manager = make_user("manager")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        approval_request(target=target, steps=[{"name": "M", "group": "managers"}], requested_by=manager)
        assert approvals_remind(hours=24) == 0
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        assert approvals_remind(hours=24) == 1
        assert approvals_remind(hours=24) == 0
    with time_machine.travel(start + timedelta(hours=50), tick=False):
        assert approvals_remind(hours=24) == 1
    assert Notification.objects.filter(recipient=manager, event="approval.reminder").count() == 2


def test_a_step_needs_approvers(make_user, target):
    with pytest.raises(ValidationError):
        approval_request(target=target, steps=[{"name": "Nobody"}], requested_by=make_user("agent"))
