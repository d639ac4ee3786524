"""Requests through their states: approval paths, ordered and parallel tasks, SLA, cancel, reopen, close."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import ApprovalState
from requests_catalog import fulfilment, lifecycle
from requests_catalog.choices import ApprovalRule, State, TaskState
from requests_catalog.models import RequestTask
from sla.models import SlaClock
from tests.requests_catalog.conftest import GOOD_LAPTOP, NOW
from tests.requests_catalog.factories import CatalogItemFactory, submit

pytestmark = pytest.mark.django_db


def _tasks(request):
    return {t.title: t for t in RequestTask.objects.filter(request=request)}


def _done(task, actor):
    return fulfilment.task_transition(actor=actor, task=task, state=TaskState.DONE, notes="done")


def test_item_without_approval_goes_straight_to_fulfilling_with_a_task_for_the_team(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    request.refresh_from_db()
    assert request.number.startswith("REQ")
    assert request.state == State.FULFILLING
    (task,) = request.tasks.all()
    assert task.state == TaskState.OPEN and task.team == cat.desk
    assert not request.approval_requests.exists()


def test_line_manager_approves_then_tasks_run_in_step_order_and_the_request_is_fulfilled(cat, decide):
    with time_machine.travel(NOW, tick=False):
        request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    request.refresh_from_db()
    assert request.state == State.AWAITING_APPROVAL
    assert not request.tasks.exists()  # nothing to do before approval
    (approval,) = request.approval_requests.all()
    step = approval.steps.get()
    assert list(step.users.all()) == [cat.boss]

    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        decide(request=approval, approver=cat.boss, decision="approved")
    request.refresh_from_db()
    assert request.state == State.FULFILLING
    assert request.approved_at == NOW + timedelta(hours=2)
    tasks = _tasks(request)
    assert tasks["Order the laptop"].state == TaskState.OPEN
    assert tasks["Install the image"].state == TaskState.PENDING
    assert tasks["Book delivery"].state == TaskState.PENDING

    _done(tasks["Order the laptop"], cat.agent)
    tasks = _tasks(request)
    # Step 2's two tasks open together (parallel).
    assert tasks["Install the image"].state == TaskState.OPEN
    assert tasks["Book delivery"].state == TaskState.OPEN
    _done(tasks["Install the image"], cat.agent)
    request.refresh_from_db()
    assert request.state == State.FULFILLING  # one parallel task still open

    with time_machine.travel(NOW + timedelta(hours=30), tick=False):
        _done(_tasks(request)["Book delivery"], cat.agent)
    request.refresh_from_db()
    assert request.state == State.FULFILLED
    assert request.fulfilled_at == NOW + timedelta(hours=30)
    assert request.fulfilment_seconds == 30 * 3600  # recorded for the fulfilment-time metric


def test_the_sla_clock_pauses_while_waiting_for_approval(cat, decide):
    with time_machine.travel(NOW, tick=False):
        request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    clock = SlaClock.objects.get(object_id=request.pk, kind="resolution", policy=cat.policy)
    assert clock.state == SlaClock.State.PAUSED
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        decide(request=request.approval_requests.get(), approver=cat.boss, decision="approved")
    clock.refresh_from_db()
    assert clock.state == SlaClock.State.RUNNING
    assert clock.elapsed_seconds == 0  # the five hours of approval did not count
    assert clock.due_at == NOW + timedelta(hours=5) + timedelta(minutes=2880)


def test_rejection_stops_the_request_with_the_reason_and_cancels_its_clocks(cat, decide):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    decide(
        request=request.approval_requests.get(),
        approver=cat.boss,
        decision="rejected",
        comment="Not this year",
    )
    request.refresh_from_db()
    assert request.state == State.REJECTED
    assert request.cancel_reason == "Not this year"
    assert not request.tasks.exists()
    assert set(SlaClock.objects.filter(object_id=request.pk).values_list("state", flat=True)) == {"cancelled"}


def test_someone_else_cannot_approve_for_the_line_manager(cat, make_user, decide):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    stranger = make_user("requester")
    with pytest.raises(PermissionDenied):
        decide(request=request.approval_requests.get(), approver=stranger, decision="approved")
    with pytest.raises(PermissionDenied):
        decide(request=request.approval_requests.get(), approver=cat.requester, decision="approved")


def test_requester_without_a_line_manager_goes_to_the_service_desk_managers(cat, make_user, decide):
    loner = make_user("requester")
    request = submit(actor=loner, item=cat.laptop, answers=GOOD_LAPTOP)
    step = request.approval_requests.get().steps.get()
    assert step.group == "managers"
    decide(request=request.approval_requests.get(), approver=cat.manager, decision="approved")
    request.refresh_from_db()
    assert request.state == State.FULFILLING


def test_line_manager_then_owner_needs_both_in_order(cat, decide):
    cat.laptop.approval = ApprovalRule.LINE_MANAGER_THEN_OWNER
    cat.laptop.save()
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    approval = request.approval_requests.get()
    with pytest.raises(PermissionDenied):  # the owner's step is not active yet
        decide(request=approval, approver=cat.manager, decision="approved")
    decide(request=approval, approver=cat.boss, decision="approved")
    request.refresh_from_db()
    assert request.state == State.AWAITING_APPROVAL
    decide(request=approval, approver=cat.manager, decision="approved")
    request.refresh_from_db()
    assert request.state == State.FULFILLING


def test_group_approval_any_member_of_the_group(cat, make_user, decide):
    item = CatalogItemFactory(approval=ApprovalRule.GROUP, approval_group="cab", fulfilment_team=cat.desk)
    request = submit(actor=cat.requester, item=item)
    cab = make_user("cab")
    decide(request=request.approval_requests.get(), approver=cab, decision="approved")
    request.refresh_from_db()
    assert request.state == State.FULFILLING


def test_bad_answers_name_each_question_and_save_nothing(cat):
    with pytest.raises(lifecycle.AnswerErrors) as caught:
        submit(actor=cat.requester, item=cat.laptop, answers={"model": "gold", "reason": "short"})
    assert set(caught.value.answer_errors) == {"model", "reason"}
    assert not cat.laptop.requests.exists()


def test_an_item_hidden_from_the_user_cannot_be_ordered(cat):
    from django.contrib.auth.models import Group

    secret = CatalogItemFactory(fulfilment_team=cat.desk)
    secret.visible_to.add(Group.objects.create(name="finance"))
    with pytest.raises(ValidationError) as caught:
        submit(actor=cat.requester, item=secret)
    assert "item" in caught.value.message_dict


def test_requester_cancels_while_waiting_and_the_approval_is_withdrawn(cat):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    lifecycle.request_transition(
        actor=cat.requester, request=request, state=State.CANCELLED, reason="Got one"
    )
    request.refresh_from_db()
    assert request.state == State.CANCELLED
    assert request.approval_requests.get().state == ApprovalState.CANCELLED


def test_cancelling_a_fulfilling_request_cancels_its_open_tasks(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    lifecycle.request_transition(actor=cat.agent, request=request, state=State.CANCELLED, reason="Duplicate")
    assert set(request.tasks.values_list("state", flat=True)) == {TaskState.CANCELLED}


def test_fulfilled_by_hand_is_refused_while_tasks_are_open(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    with pytest.raises(ValidationError) as caught:
        lifecycle.request_transition(actor=cat.agent, request=request, state=State.FULFILLED)
    assert "state" in caught.value.message_dict


def test_approval_states_cannot_be_set_by_hand(cat):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    with pytest.raises(ValidationError) as caught:
        lifecycle.request_transition(actor=cat.agent, request=request, state=State.APPROVED)
    assert "state" in caught.value.message_dict


def test_requester_may_not_mark_fulfilled_or_touch_others_requests(cat, make_user):
    request = submit(actor=cat.requester, item=cat.mouse)
    with pytest.raises(PermissionDenied):
        lifecycle.request_transition(actor=cat.requester, request=request, state=State.FULFILLED)
    with pytest.raises(PermissionDenied):
        lifecycle.request_transition(actor=make_user("requester"), request=request, state=State.CANCELLED)


def test_requester_reopens_a_fulfilled_request_with_a_follow_up_task_then_confirms(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    _done(request.tasks.get(), cat.agent)
    with pytest.raises(ValidationError):  # must say what is missing
        lifecycle.request_transition(actor=cat.requester, request=request, state=State.FULFILLING)
    lifecycle.request_transition(
        actor=cat.requester, request=request, state=State.FULFILLING, reason="The mouse has no batteries"
    )
    request.refresh_from_db()
    assert request.state == State.FULFILLING and request.fulfilled_at is None
    follow_up = request.tasks.get(state=TaskState.OPEN)
    assert "batteries" in follow_up.title
    _done(follow_up, cat.agent)
    lifecycle.request_transition(actor=cat.requester, request=request, state=State.CLOSED)
    request.refresh_from_db()
    assert request.state == State.CLOSED and request.closed_at is not None


def test_a_stale_version_is_refused(cat):
    from core.errors import StaleVersionError

    request = submit(actor=cat.requester, item=cat.mouse)
    request.refresh_from_db()
    old = request.version
    lifecycle.request_comment_add(actor=cat.agent, request=request, body="On it")
    lifecycle.request_transition(
        actor=cat.agent, request=request, state=State.CANCELLED, reason="dup", version=old
    )
    with pytest.raises(StaleVersionError):
        lifecycle.request_transition(actor=cat.requester, request=request, state=State.CANCELLED, version=old)


def test_starting_a_task_is_the_first_response(cat):
    with time_machine.travel(NOW, tick=False):
        request = submit(actor=cat.requester, item=cat.mouse)
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        fulfilment.task_transition(actor=cat.agent, task=request.tasks.get(), state=TaskState.IN_PROGRESS)
    request.refresh_from_db()
    assert request.responded_at == NOW + timedelta(minutes=20)
    task = request.tasks.get()
    assert task.assignee == cat.agent
    response = SlaClock.objects.get(object_id=request.pk, kind="response", policy=cat.policy)
    assert response.state == SlaClock.State.MET


def test_cancelling_a_task_needs_a_reason_and_only_agents_work_tasks(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    task = request.tasks.get()
    with pytest.raises(ValidationError):
        fulfilment.task_transition(actor=cat.agent, task=task, state=TaskState.CANCELLED)
    with pytest.raises(PermissionDenied):
        fulfilment.task_transition(actor=cat.requester, task=task, state=TaskState.DONE)


def test_fulfilled_requests_close_automatically_after_five_days(cat):
    with time_machine.travel(NOW, tick=False):
        request = submit(actor=cat.requester, item=cat.mouse)
        _done(request.tasks.get(), cat.agent)
    assert lifecycle.requests_auto_close(now=NOW + timedelta(days=4)) == 0
    assert lifecycle.requests_auto_close(now=NOW + timedelta(days=6)) == 1
    request.refresh_from_db()
    assert request.state == State.CLOSED


def test_requester_rates_once_fulfilled(cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    with pytest.raises(ValidationError):
        lifecycle.request_rate(actor=cat.requester, request=request, rating=5)
    _done(request.tasks.get(), cat.agent)
    request.refresh_from_db()
    assert lifecycle.request_rate(actor=cat.requester, request=request, rating=4).rating == 4


def test_a_back_dated_order_checks_relative_dates_against_its_own_day(cat):
    """An import of last month's orders: "start date on or after today" means the order's day."""
    item = CatalogItemFactory(form=[{"name": "start", "label": "Start", "type": "date", "min": "today"}])
    request = submit(actor=cat.requester, item=item, answers={"start": "2026-03-05"}, at=NOW)
    assert request.answers == {"start": "2026-03-05"}
    with pytest.raises(lifecycle.AnswerErrors):
        submit(actor=cat.requester, item=item, answers={"start": "2026-03-01"}, at=NOW)


def test_notifications_name_the_item_in_each_recipients_language(cat, django_capture_on_commit_callbacks):
    from accounts.models import Profile
    from core.models import Notification

    cat.mouse.name_zh = "鼠标"
    cat.mouse.save()
    Profile.objects.update_or_create(user=cat.requester, defaults={"language": "zh-hans"})
    requester = type(cat.requester).objects.get(pk=cat.requester.pk)  # as a fresh request would load them
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(actor=requester, item=cat.mouse)
    received = Notification.objects.get(recipient=requester, event="request.received")
    assert received.subject == f"{request.number} 已收到：鼠标"
    assert request.title == "Mouse"  # stored as ordered; only the words each reader gets differ
