"""Automated fulfilment: a signed webhook, built-in actions, retries, and the hand-over to a person."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail

from requests_catalog import fulfilment
from requests_catalog.choices import Automation, AutomationState, State, TaskState
from requests_catalog.tasks import run_due_request_automations
from tests.requests_catalog.conftest import NOW
from tests.requests_catalog.factories import CatalogItemFactory, submit

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP endpoint on loopback that answers with the next status in `statuses`."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _webhook_item(cat, url):
    return CatalogItemFactory(
        name="VPN access",
        form=[
            {
                "name": "profile",
                "label": "Profile",
                "type": "choice",
                "required": True,
                "choices": ["staff", "vendor"],
            }
        ],
        automation=Automation.WEBHOOK,
        webhook_url=url,
        webhook_secret="s3cret",
        fulfilment_team=cat.desk,
    )


def _submit(cat, item, answers, capture):
    with capture(execute=True):  # the automation is queued after commit and runs eagerly in tests
        return submit(actor=cat.requester, item=item, answers=answers)


def test_webhook_delivers_signed_answers_and_fulfils_with_no_human(cat, django_capture_on_commit_callbacks):
    with Receiver([200]) as hook:
        request = _submit(
            cat, _webhook_item(cat, hook.url), {"profile": "vendor"}, django_capture_on_commit_callbacks
        )
    request.refresh_from_db()
    assert request.state == State.FULFILLED
    assert request.automation_state == AutomationState.SUCCEEDED
    assert not request.tasks.exists()
    (call,) = hook.received
    payload = json.loads(call["body"])
    assert payload["request"]["number"] == request.number
    assert payload["request"]["answers"] == {"profile": "vendor"}
    expected = "sha256=" + hmac.new(b"s3cret", call["body"], hashlib.sha256).hexdigest()
    assert call["headers"]["x-itsm-signature"] == expected


def test_failing_webhook_is_retried_with_backoff_then_handed_to_a_person(
    cat, django_capture_on_commit_callbacks
):
    with Receiver([500, 503, 502]) as hook:
        with time_machine.travel(NOW, tick=False):
            request = _submit(
                cat, _webhook_item(cat, hook.url), {"profile": "staff"}, django_capture_on_commit_callbacks
            )
        request.refresh_from_db()
        assert request.state == State.FULFILLING
        assert request.automation_state == AutomationState.RETRYING
        assert request.automation_attempts == 1
        assert "HTTP 500" in request.automation_error
        assert request.automation_next_at == NOW + timedelta(seconds=30)

        with time_machine.travel(NOW + timedelta(seconds=10), tick=False):
            assert run_due_request_automations() == 0  # not due yet
        with time_machine.travel(NOW + timedelta(seconds=31), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert run_due_request_automations() == 1
        request.refresh_from_db()
        assert request.automation_attempts == 2 and request.automation_state == AutomationState.RETRYING

        with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                run_due_request_automations()
    request.refresh_from_db()
    assert len(hook.received) == 3
    assert request.automation_state == AutomationState.FAILED
    assert request.state == State.FULFILLING
    (task,) = request.tasks.all()
    assert task.is_automation_fallback and task.state == TaskState.OPEN and task.team == cat.desk
    assert "HTTP 502" in task.instructions
    # The team hears about it, and the person finishing the task fulfils the request.
    assert any("Automation failed" in m.subject for m in mail.outbox)
    fulfilment.task_transition(actor=cat.agent, task=task, state=TaskState.DONE, notes="Created by hand")
    request.refresh_from_db()
    assert request.state == State.FULFILLED


def test_unreachable_webhook_counts_as_a_failure(cat, django_capture_on_commit_callbacks):
    with Receiver([]) as hook:
        url = hook.url
    request = _submit(cat, _webhook_item(cat, url), {"profile": "staff"}, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.automation_state == AutomationState.RETRYING
    assert "could not be reached" in request.automation_error


def test_a_run_is_claimed_once_even_if_the_message_arrives_twice(cat, django_capture_on_commit_callbacks):
    with Receiver([200, 200]) as hook:
        request = _submit(
            cat, _webhook_item(cat, hook.url), {"profile": "staff"}, django_capture_on_commit_callbacks
        )
        assert fulfilment.automation_run(request_id=request.pk) == "skipped"
    assert len(hook.received) == 1


def test_add_to_group_action_adds_the_requester(cat, django_capture_on_commit_callbacks):
    group = Group.objects.create(name="vpn-users")
    item = CatalogItemFactory(
        automation=Automation.ADD_TO_GROUP, automation_group="vpn-users", fulfilment_team=cat.desk
    )
    request = _submit(cat, item, {}, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.state == State.FULFILLED
    assert cat.requester.groups.filter(pk=group.pk).exists()


def test_password_reset_sends_a_working_link(cat, client, django_capture_on_commit_callbacks):
    cat.requester.email = "alice@example.com"
    cat.requester.save()
    item = CatalogItemFactory(
        name="Password reset", automation=Automation.PASSWORD_RESET, fulfilment_team=cat.desk
    )
    request = _submit(cat, item, {}, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.state == State.FULFILLED
    (message,) = [m for m in mail.outbox if m.subject.startswith("Reset your password")]
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else path,
        {"new_password1": "a-Brand-new-pass-42", "new_password2": "a-Brand-new-pass-42"},
    )
    assert response.status_code == 302
    cat.requester.refresh_from_db()
    assert cat.requester.check_password("a-Brand-new-pass-42")


def test_action_failure_without_retry_value_goes_to_a_person(cat, django_capture_on_commit_callbacks):
    item = CatalogItemFactory(
        automation=Automation.ADD_TO_GROUP, automation_group="missing", fulfilment_team=cat.desk
    )
    request = _submit(cat, item, {}, django_capture_on_commit_callbacks)
    for minutes in (1, 5):
        with time_machine.travel(NOW.replace(year=2030) + timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                run_due_request_automations()
    request.refresh_from_db()
    assert request.automation_state == AutomationState.FAILED
    assert "missing" in request.tasks.get().instructions
