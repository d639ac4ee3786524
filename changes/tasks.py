from celery import shared_task

from changes.services import change_templates_health


@shared_task
def compute_template_health() -> int:
    return len(change_templates_health())
