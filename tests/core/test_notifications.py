from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import Notification
from core.services.notifications import notification_deliver, notification_enqueue, notifications_retry
from core.tasks import deliver_pending_notifications


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_queued_notification_is_sent_after_commit(make_user, django_capture_on_commit_callbacks):
    user = make_user(email="kim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            recipient=user, event="test", subject="INC0001001 resolved", body="Done.", link="/x/"
        )
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.com"]
    assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body


def test_nothing_is_sent_if_the_cause_rolls_back(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_enqueue(recipient=user, event="test", subject="s", body="b")
    assert len(callbacks) == 1  # delivery waits for commit
    assert mail.outbox == []


def test_delivering_twice_sends_once(make_user):
    notification = notification_enqueue(recipient=make_user(), event="test", subject="s", body="b")
    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert notification_deliver(notification_id=notification.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_failures_back_off_then_give_up(make_user, settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.BrokenBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    notification = notification_enqueue(recipient=make_user(), event="test", subject="s", body="b")
    assert notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert "mail server down" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    # Not due yet: the sweep leaves it alone.
    assert deliver_pending_notifications() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert deliver_pending_notifications() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_retry(ids=[notification.pk]) == 1
    assert notification_deliver(notification_id=notification.pk) == "sent"


def test_user_without_address_gets_it_in_app_only(make_user, client):
    user = make_user(email="")
    notification = notification_enqueue(
        recipient=user, event="test", subject="Your laptop is ready", body="b"
    )
    assert notification_deliver(notification_id=notification.pk) == "in_app"
    assert mail.outbox == []
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert "Your laptop is ready" in page
    client.post("/notifications/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("recipient", [None])
def test_nobody_to_notify_is_a_no_op(db, recipient):
    assert notification_enqueue(recipient=recipient, event="x", subject="s", body="b") is None


def test_one_transaction_sends_its_notifications_in_one_task(make_user, django_capture_on_commit_callbacks):
    from django.db import transaction

    users = [make_user(email=f"user{i}@example.com") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for user in users:
                notification_enqueue(recipient=user, event="test", subject="s", body="b")
    assert len(callbacks) == 1  # one broker message for the three
    assert sorted(m.to[0] for m in mail.outbox) == [f"user{i}@example.com" for i in range(3)]
    # A later transaction starts a new batch rather than joining the one already sent.
    with django_capture_on_commit_callbacks(execute=True) as later:
        with transaction.atomic():
            notification_enqueue(recipient=users[0], event="test", subject="again", body="b")
    assert len(later) == 1 and len(mail.outbox) == 4


def test_the_bell_says_99_plus_for_a_long_backlog(login_as):
    client, user = login_as("agent")
    Notification.objects.bulk_create(
        Notification(recipient=user, event="test", subject=f"s{i}", body="b") for i in range(120)
    )
    html = client.get("/incidents/").content.decode()
    assert '<span class="badge" aria-label="More than 99 unread">99+</span>' in html
    Notification.objects.filter(recipient=user).exclude(
        pk__in=Notification.objects.filter(recipient=user).values("pk")[:3]
    ).delete()
    html = client.get("/incidents/").content.decode()
    assert 'aria-label="3 unread">3</span>' in html
