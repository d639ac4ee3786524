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


def enqueue_batch_on_commit(task, item) -> None:
    """Like enqueue_on_commit, but items queued for the same task in one transaction go as one message:
    `task.delay([item, ...])`. A create that notifies three people sends one broker message, not three."""
    connection = transaction.get_connection()
    for _savepoints, callback, _robust in connection.run_on_commit:
        if getattr(callback, "batch_task", None) == task.name and not callback.sent:
            callback.items.append(item)
            return

    def send():
        send.sent = True  # a test's captured callbacks stay listed after they ran: start a new batch
        try:
            task.delay(send.items)
        except Exception:  # noqa: BLE001 - broker down: the sweep retries later
            logger.exception("could not enqueue %s; the periodic sweep will pick it up", task.name)

    send.batch_task = task.name
    send.items = [item]
    send.sent = False
    transaction.on_commit(send)
