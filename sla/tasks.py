"""Background work: the threshold scan (every minute) and a recompute of open clocks."""

from celery import shared_task
from celery.signals import worker_ready
from django.contrib.auth import get_user_model

from sla import services
from sla.models import BusinessCalendar, SlaPolicy


@shared_task
def sla_scan() -> int:
    """Warnings, breaches and escalations due by now. Safe to run twice or in parallel."""
    return services.sla_scan()


@shared_task
def sla_recompute_apply_task(
    policy_id: int | None = None, calendar_id: int | None = None, actor_id=None
) -> int:
    """Recompute the open clocks of a policy or calendar (one that no longer exists: nothing to do)."""
    policy = SlaPolicy.objects.filter(pk=policy_id).first() if policy_id else None
    calendar = BusinessCalendar.objects.filter(pk=calendar_id).first() if calendar_id else None
    if (policy_id and policy is None) or (calendar_id and calendar is None) or not (policy or calendar):
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return services.sla_recompute_apply(policy=policy, calendar=calendar, actor=actor)


@worker_ready.connect
def _scan_on_start(sender=None, **kwargs):
    # Catch up at once after downtime instead of waiting for the first beat interval.
    sla_scan.delay()
