from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import registry
from core.eventtext import EventText
from core.models import TimelineEntry

__all__ = ["EventText", "timeline_comment_add", "timeline_event"]

COMMENT_MAX_LENGTH = 20_000


def timeline_event(
    *,
    ticket: models.Model,
    code: str,
    actor=None,
    text: "str | EventText" = "",
    data: dict | None = None,
    internal=False,
    at=None,
) -> TimelineEntry:
    """Record a system event (state change, assignment, SLA warning ...) on a ticket. Give `text` as an
    EventText so each reader sees it in their language."""
    data = dict(data or {})
    if isinstance(text, EventText):
        data["text"] = text.as_data()
        text = text.render()
    return TimelineEntry.objects.create(
        created_at=at or timezone.now(),
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=ticket.pk,
        kind=TimelineEntry.Kind.EVENT,
        is_internal=internal,
        author=actor if actor is not None and actor.is_authenticated else None,
        event_code=code,
        body=text,
        data=data,
    )


def timeline_comment_add(
    *, ticket: models.Model, author, body: str, is_internal: bool = False, at=None
) -> TimelineEntry:
    """A public comment or an internal work note. Requesters may only add public comments."""
    kind = registry.kind_for_model(type(ticket))
    if kind is None or not kind.can_view(author, ticket):
        raise PermissionDenied
    if is_internal and not kind.can_work(author, ticket):
        raise ValidationError(
            {"is_internal": _("Only agents can write internal work notes.")}, code="not_agent"
        )
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before sending.")}, code="empty")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment can be at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}},
            code="too_long",
        )
    with transaction.atomic():
        entry = TimelineEntry.objects.create(
            content_type=ContentType.objects.get_for_model(ticket),
            object_id=ticket.pk,
            kind=TimelineEntry.Kind.COMMENT,
            created_at=at or timezone.now(),
            is_internal=is_internal,
            author=author,
            body=body,
        )
    return entry
