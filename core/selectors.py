from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from core import registry
from core.models import Attachment, AuditRecord, Notification, TimelineEntry


def timeline_for(*, ticket, user) -> QuerySet[TimelineEntry]:
    """Entries the user may see: requesters never get internal notes or internal events."""
    kind = registry.kind_for_model(type(ticket))
    qs = TimelineEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk
    ).select_related("author")
    if kind is None or not kind.can_work(user, ticket):
        qs = qs.filter(is_internal=False)
    return qs.order_by("created_at", "id")


def attachments_for(*, ticket, user) -> QuerySet[Attachment]:
    kind = registry.kind_for_model(type(ticket))
    qs = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk
    ).select_related("uploaded_by")
    if kind is None or not kind.can_work(user, ticket):
        qs = qs.filter(is_internal=False)
    return qs


def audit_for(*, obj) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def notifications_for(*, user, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]
