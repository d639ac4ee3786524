"""How a process app reacts to SLA warnings, breaches and escalations, without sla knowing it.

    register_escalation_handler(Incident, handle_sla_event)

    def handle_sla_event(*, ticket, clock, event, percent, action, rule): ...

`event` is "warned", "breached" or "escalated"; `action` and `rule` are set for "escalated"
(notify_assignee, notify_manager, raise_priority, reassign with rule.team_id). Handlers run after
the scan's transaction commits; an exception is logged and never undoes or stops the scan.
"""

import logging
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

logger = logging.getLogger(__name__)

EscalationHandler = Callable[..., None]

_handlers: dict[type[models.Model], EscalationHandler] = {}


def register_escalation_handler(model: type[models.Model], handler: EscalationHandler) -> None:
    _handlers[model] = handler


def unregister_escalation_handler(model: type[models.Model]) -> None:
    _handlers.pop(model, None)


def escalation_handler_for(model) -> EscalationHandler | None:
    return _handlers.get(model)


def _call(*, clock_id: int, event: str, percent: int, action: str | None, rule) -> None:
    from sla.models import SlaClock

    try:
        clock = SlaClock.objects.select_related("content_type", "policy").get(pk=clock_id)
        handler = escalation_handler_for(_model_of(clock))
        if handler is None:
            return
        ticket = clock.ticket
        if ticket is None:
            return
        with transaction.atomic():  # a handler that fails half-way leaves nothing behind
            handler(ticket=ticket, clock=clock, event=event, percent=percent, action=action, rule=rule)
    except Exception:  # noqa: BLE001 - a failing handler must never break the scan
        logger.exception("SLA %s handler failed for clock %s (%s%%, %s)", event, clock_id, percent, action)


def _model_of(clock):
    return ContentType.objects.get_for_id(clock.content_type_id).model_class()


def call_after_commit(*, clock, event: str, percent: int, action: str | None = None, rule=None) -> None:
    """Queue the handler of the clock's ticket type for after the surrounding transaction commits."""
    if escalation_handler_for(_model_of(clock)) is None:
        return
    transaction.on_commit(
        lambda: _call(clock_id=clock.pk, event=event, percent=percent, action=action, rule=rule)
    )
