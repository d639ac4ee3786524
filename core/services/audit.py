"""Audit records: one row per write, listing each changed field with old and new value."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditRecord


def _display(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def audit_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Field values (display strings) for the concrete and many-to-many fields of obj."""
    snapshot = {}
    for field in obj._meta.get_fields():
        if fields is not None and field.name not in fields:
            continue
        if field.auto_created or not getattr(field, "editable", False):
            continue
        if field.many_to_many:
            snapshot[field.name] = _display(list(getattr(obj, field.name).all())) if obj.pk else None
        elif field.concrete:
            snapshot[field.name] = _display(getattr(obj, field.name))
    return snapshot


def audit_record(
    *, obj: models.Model, actor, before: dict | None, after: dict | None = None, action: str | None = None
) -> AuditRecord | None:
    """Write what changed between two snapshots; nothing when nothing changed."""
    after = audit_snapshot(obj) if after is None else after
    if action is None:
        action = AuditRecord.Action.CREATE if before is None else AuditRecord.Action.UPDATE
    before = before or {}
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if action != AuditRecord.Action.UPDATE or before.get(name) != value
    }
    if action == AuditRecord.Action.UPDATE and not changes:
        return None
    return AuditRecord.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        changes=changes,
    )
