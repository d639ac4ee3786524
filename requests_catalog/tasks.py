"""Celery tasks: take ids, re-fetch, call a service; safe to run twice."""

from celery import shared_task

from requests_catalog.fulfilment import automation_due_ids, automation_run
from requests_catalog.lifecycle import requests_auto_close


@shared_task
def run_request_automation(request_id: int) -> str:
    return automation_run(request_id=request_id)


@shared_task
def run_due_request_automations() -> int:
    """The sweep: retries that are due, and runs whose message was lost or whose worker died."""
    ids = automation_due_ids()
    for request_id in ids:
        automation_run(request_id=request_id)
    return len(ids)


@shared_task
def close_fulfilled_requests() -> int:
    return requests_auto_close()
