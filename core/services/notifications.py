"""The notification outbox: enqueue in the caller's transaction, deliver from a task after commit."""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from core.models import Notification
from core.queue import enqueue_batch_on_commit, enqueue_on_commit

logger = logging.getLogger(__name__)


_suppressed = threading.local()


@contextmanager
def notifications_suppressed():
    """Write history without messaging anyone (demo data, imports)."""
    _suppressed.active = True
    try:
        yield
    finally:
        _suppressed.active = False


def notification_enqueue(
    *, recipient=None, to_email: str = "", event: str, subject: str, body: str, link: str = ""
) -> Notification | None:
    """Queue a message for a user (in their language, rendered by the caller) or an address."""
    email = to_email or (recipient.email if recipient is not None else "")
    if (recipient is None and not email) or getattr(_suppressed, "active", False):
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        to_email=email,
        event=event,
        subject=subject[:200],
        body=body,
        link=link[:300],
    )
    from core.tasks import deliver_notifications

    enqueue_batch_on_commit(deliver_notifications, notification.pk)
    return notification


def user_language(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.language if profile and profile.language else None) or settings.LANGUAGE_CODE


def notification_enqueue_translated(*, recipient, event: str, subject, body, link: str = "", **params):
    """Render lazy strings in the recipient's own language before queueing."""
    with translation.override(user_language(recipient)):
        return notification_enqueue(
            recipient=recipient,
            event=event,
            subject=str(subject) % params,
            body=str(body) % params,
            link=link,
        )


def notification_enqueue_each(recipients, *, event: str, subject, body, link: str = "", **params) -> int:
    """The same translated message to each active recipient once (None and repeats are skipped)."""
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification_enqueue_translated(
            recipient=user, event=event, subject=subject, body=body, link=link, **params
        )
    return len(seen)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 60))


LEASE = timedelta(minutes=5)


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification. Safe to run twice: a sent message is not sent again.

    The row is claimed with a short lease and the lock released before talking to the mail
    server; a worker that dies mid-send leaves the lease to expire and the sweep to retry.
    """
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if notification is None:
            return "skipped"
        if not notification.to_email:
            # In-app only (the user has no address): it is visible in their inbox.
            notification.status = Notification.Status.SENT
            notification.sent_at = now
            notification.save(update_fields=["status", "sent_at"])
            return "in_app"
        notification.attempts += 1
        notification.next_attempt_at = now + LEASE
        notification.save(update_fields=["attempts", "next_attempt_at"])
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{settings.ITSM_BASE_URL.rstrip('/')}{notification.link}"
    try:
        send_mail(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [notification.to_email])
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
        logger.warning("notification %s failed: %s", notification.pk, exc)
        notification.last_error = str(exc)[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        else:
            notification.next_attempt_at = timezone.now() + _backoff(notification.attempts)
        notification.save(update_fields=["last_error", "status", "next_attempt_at"])
        return "failed"
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"


def notifications_due_ids(*, limit: int = 200) -> list[int]:
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notifications_retry(*, ids: list[int]) -> int:
    """Queue failed (or stuck) notifications again, from the admin."""
    count = (
        Notification.objects.filter(pk__in=ids)
        .exclude(status=Notification.Status.SENT)
        .update(status=Notification.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )
    from core.tasks import deliver_pending_notifications

    enqueue_on_commit(deliver_pending_notifications)
    return count
