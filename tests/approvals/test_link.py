import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from approvals.models import ApprovalDecision
from approvals.services import approval_request
from approvals.signing import approval_link_token
from core.models import Notification
from org.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(make_user):
    manager = make_user("manager", username="maria")
    request = approval_request(
        target=Team.objects.create(name="T"),
        steps=[{"name": "Manager", "group": "managers"}],
        requested_by=manager,
    )
    return request.steps.get(), manager


def test_the_notified_link_opens_a_confirm_page_and_only_post_decides(client, pending):
    step, manager = pending
    link = Notification.objects.get(recipient=manager, event="approval.requested").link
    assert re.match(r"^/approvals/link/[^/]+/$", link)
    client.force_login(manager)
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm your decision" in page.content
    assert not ApprovalDecision.objects.exists()  # a GET never decides
    response = client.post(link, {"decision": "approved", "comment": ""})
    assert response.status_code == 302
    assert ApprovalDecision.objects.get().approver == manager


def test_expired_tampered_and_wrong_user_links_are_refused(client, pending, make_user):
    step, manager = pending
    token = approval_link_token(step=step, user=manager)
    client.force_login(manager)
    assert client.get(f"/approvals/link/{token[:-2]}xx/").status_code == 403
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(f"/approvals/link/{token}/", {"decision": "approved"})
    assert response.status_code == 403 and b"expired" in response.content
    other = make_user("manager", username="otto")
    client.force_login(other)
    response = client.post(f"/approvals/link/{token}/", {"decision": "approved"})
    assert response.status_code == 403 and b"someone else" in response.content
    assert not ApprovalDecision.objects.exists()


def test_rejecting_by_link_needs_a_comment(client, pending):
    step, manager = pending
    client.force_login(manager)
    token = approval_link_token(step=step, user=manager)
    response = client.post(f"/approvals/link/{token}/", {"decision": "rejected", "comment": ""})
    assert response.status_code == 200 and b"Say why you reject it" in response.content
    assert not ApprovalDecision.objects.exists()


def test_inbox_lists_what_waits_for_me(client, pending, make_user):
    step, manager = pending
    client.force_login(manager)
    response = client.get("/approvals/")
    assert response.status_code == 200 and b"Manager" in response.content
    client.force_login(make_user("agent"))
    assert b"Nothing is waiting" in client.get("/approvals/").content
