"""Ticket kinds register here so that shared machinery (timeline, attachments, audit) can check
permissions and build links without knowing any process app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclass(frozen=True)
class TicketKind:
    model: type[models.Model]
    can_view: Callable  # (user, ticket) -> bool: may read it (and its public timeline)
    can_work: Callable  # (user, ticket) -> bool: agent-side: internal notes, events, edits
    detail_url: Callable  # (ticket) -> str
    # Where an approver who is not an agent (a line manager) reviews it, in the portal; None: nowhere.
    approver_url: Callable | None = None  # (ticket) -> str


_kinds: dict[type[models.Model], TicketKind] = {}


def register(model, *, can_view, can_work, detail_url, approver_url=None) -> None:
    _kinds[model] = TicketKind(
        model=model, can_view=can_view, can_work=can_work, detail_url=detail_url, approver_url=approver_url
    )


def kind_for_model(model) -> TicketKind | None:
    return _kinds.get(model)


def kind_for_content_type(content_type_id: int) -> TicketKind | None:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    return _kinds.get(model)


def ticket_kinds() -> list[TicketKind]:
    return list(_kinds.values())
