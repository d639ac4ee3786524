from celery import shared_task

from problems.services import problem_proposals_detect


@shared_task
def detect_recurring_incidents() -> int:
    """Propose problems for clusters of similar incidents. Safe to run twice or in parallel."""
    return len(problem_proposals_detect())
