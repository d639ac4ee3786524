import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.services.notifications import notification_deliver, notifications_due_ids


@shared_task
def deliver_notification(notification_id: int) -> str:
    return notification_deliver(notification_id=notification_id)


@shared_task
def deliver_notifications(notification_ids: list[int]) -> int:
    """The notifications one transaction queued, sent in one task."""
    results = [notification_deliver(notification_id=pk) for pk in notification_ids]
    return sum(result != "skipped" for result in results)


@shared_task
def deliver_pending_notifications() -> int:
    """Sweep: sends what was queued while no worker ran, and retries failures after their backoff."""
    ids = notifications_due_ids()
    for notification_id in ids:
        notification_deliver(notification_id=notification_id)
    return len(ids)


@shared_task
def record_worker_heartbeat() -> str:
    WorkerHeartbeat.objects.update_or_create(
        name="worker", defaults={"last_seen": timezone.now(), "hostname": socket.gethostname()[:200]}
    )
    return "ok"


@worker_ready.connect
def _heartbeat_on_start(sender=None, **kwargs):
    # Report at once rather than after the first beat interval, so the UI shows a live worker quickly.
    record_worker_heartbeat.delay()
