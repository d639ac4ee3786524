"""Saving configuration objects (teams, services, calendars ...) with validation and an audit record."""

from django.db import models, transaction


def config_object_save(
    *, obj: models.Model, actor, values: dict | None = None, m2m: dict | None = None
) -> models.Model:
    """Apply values, validate (field rules and constraints → ValidationError), save, audit."""
    from core.services.audit import audit_record, audit_snapshot

    with transaction.atomic():
        # Snapshot what is stored, not the instance: admin forms change the instance before saving.
        before = audit_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if obj.pk else None
        for name, value in (values or {}).items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        for name, value in (m2m or {}).items():
            getattr(obj, name).set(value)
        audit_record(obj=obj, actor=actor, before=before)
    return obj


def config_object_delete(*, obj: models.Model, actor) -> None:
    from core.models import AuditRecord
    from core.services.audit import audit_record, audit_snapshot

    with transaction.atomic():
        snapshot = audit_snapshot(obj)
        audit_record(obj=obj, actor=actor, before=snapshot, after=snapshot, action=AuditRecord.Action.DELETE)
        obj.delete()
