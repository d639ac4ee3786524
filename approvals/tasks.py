from celery import shared_task
from django.conf import settings

from approvals.services import approvals_remind


@shared_task
def remind_pending_approvals() -> int:
    return approvals_remind(hours=int(getattr(settings, "APPROVAL_REMINDER_HOURS", 24)))
