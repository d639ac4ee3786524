from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.models import Attachment, AuditRecord, Notification, NumberSequence, TimelineEntry, WorkerHeartbeat
from core.services.audit import audit_record, audit_snapshot
from core.services.config import config_object_delete

admin.site.site_header = _("ITSM administration")
admin.site.site_title = _("ITSM administration")
admin.site.index_title = _("Configuration")


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits write the same audit records as API and service writes."""

    def save_model(self, request, obj, form, change):
        request._audit_before = audit_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit_record(obj=form.instance, actor=request.user, before=getattr(request, "_audit_before", None))

    def delete_model(self, request, obj):
        config_object_delete(obj=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            config_object_delete(obj=obj, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "content_type", "object_id", "kind", "is_internal", "event_code", "author"]
    list_filter = ["kind", "is_internal", "content_type"]
    list_select_related = ["author", "content_type"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "mime_type", "size", "content_type", "object_id", "uploaded_by", "created_at"]
    list_select_related = ["uploaded_by", "content_type"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event", "subject", "recipient", "to_email", "status", "attempts"]
    list_filter = ["status", "event"]
    search_fields = ["subject", "to_email"]
    list_select_related = ["recipient"]
    actions = ["retry"]

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        from core.services.notifications import notifications_retry

        count = notifications_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, _("%(count)d notifications queued again.") % {"count": count}, messages.SUCCESS
        )

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "last_value"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_seen", "hostname"]
