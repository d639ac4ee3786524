"""Other processes react to incident links without incidents importing them (CONVENTIONS: import direction)."""

import logging

logger = logging.getLogger(__name__)

_cause_handlers: list = []


def register_cause_handler(handler) -> None:
    """handler(*, change, incident, actor) — called in the transaction that links an incident to the
    change that caused it."""
    if handler not in _cause_handlers:
        _cause_handlers.append(handler)


def cause_linked(*, change, incident, actor) -> None:
    for handler in _cause_handlers:
        handler(change=change, incident=incident, actor=actor)
