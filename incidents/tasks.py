from celery import shared_task

from incidents.services import incidents_auto_close


@shared_task
def close_resolved_incidents() -> int:
    return incidents_auto_close()
