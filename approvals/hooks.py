"""How the owning process learns of approval outcomes, without approvals knowing the process.

    register_approval_handler(Change, handle_approval_event)

    def handle_approval_event(*, target, request, step, event): ...

`event` is "step_approved", "approved" or "rejected" (step is the deciding step) or "cancelled".
Handlers run after the deciding transaction commits, in their own transaction; a failure is logged.
"""

import logging
from collections.abc import Callable

from django.db import models, transaction

logger = logging.getLogger(__name__)

_handlers: dict[type[models.Model], Callable[..., None]] = {}


def register_approval_handler(model: type[models.Model], handler: Callable[..., None]) -> None:
    _handlers[model] = handler


def handler_for(model) -> Callable[..., None] | None:
    return _handlers.get(model)


def _call(*, request_id: int, step_id: int | None, event: str) -> None:
    from approvals.models import ApprovalRequest, ApprovalStep

    try:
        request = ApprovalRequest.objects.get(pk=request_id)
        target = request.target
        handler = handler_for(type(target)) if target is not None else None
        if handler is None:
            return
        step = ApprovalStep.objects.filter(pk=step_id).first() if step_id else None
        with transaction.atomic():
            handler(target=target, request=request, step=step, event=event)
    except Exception:  # noqa: BLE001 - a failing handler must not break the decision already saved
        logger.exception("approval %s handler failed for request %s", event, request_id)


def call_after_commit(*, request, step, event: str) -> None:
    request_id, step_id = request.pk, step.pk if step is not None else None
    transaction.on_commit(lambda: _call(request_id=request_id, step_id=step_id, event=event))
