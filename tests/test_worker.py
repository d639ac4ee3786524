"""A real Celery worker (in a thread) consumes what the app enqueues: Redis in CI, in-memory broker otherwise."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from core.models import Notification, WorkerHeartbeat
from core.services.notifications import notification_enqueue
from core.tasks import record_worker_heartbeat
from itsm.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_delivers_notifications_enqueued_after_commit(worker, make_user):
    user = make_user(email="ops@example.com")
    with transaction.atomic():
        notification = notification_enqueue(recipient=user, event="test", subject="Worker check", body="b")
    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT)
    assert [m.subject for m in mail.outbox] == ["Worker check"]


def test_worker_runs_periodic_task_bodies(worker):
    record_worker_heartbeat.delay()
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(name="worker").exists())
