"""Enqueue Celery tasks after the surrounding transaction commits.

A broker outage must not turn a saved change into an error page: the periodic sweeps pick up
anything whose message was lost.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    def send():
        try:
            task.delay(*args, **kwargs)
        except Exception:  # noqa: BLE001 - broker down: the sweep retries later
            logger.exception("could not enqueue %s; the periodic sweep will pick it up", task.name)

    transaction.on_commit(send)
