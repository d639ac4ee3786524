from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import AuditedAdmin, ReadOnlyAdmin
from core.services.audit import audit_record
from sla import services
from sla.models import (
    BusinessCalendar,
    EscalationRule,
    Holiday,
    MakeupWorkday,
    SlaClock,
    SlaClockEvent,
    SlaPolicy,
    TeamTimeShare,
    WorkingHours,
)
from sla.services.config import calendar_snapshot, policy_snapshot, validate_hours
from sla.specs import calendar_changed


class WorkingHoursFormSet(BaseInlineFormSet):
    """Checks across rows: no overlapping ranges, and working hours unless the calendar is 24×7."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (form.cleaned_data["weekday"], form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_hours(rows)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        if not self.instance.is_24x7 and not rows:
            raise ValidationError(_("A calendar that is not 24×7 needs working hours."))


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


class MakeupWorkdayInline(admin.TabularInline):
    model = MakeupWorkday
    extra = 0


class RecomputeAdminMixin:
    """A "Preview recompute of open clocks" page (change-view link and list action) with an Apply button."""

    change_form_template = "sla/admin/change_form_recompute.html"
    recompute_target = ""  # "policy" or "calendar"
    actions = ["recompute_preview_action"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name=f"{opts.app_label}_{opts.model_name}_recompute",
            ),
            *super().get_urls(),
        ]

    def _preview_page(self, request, objects, *, action_ids=None):
        rows = []
        for obj in objects:
            rows += services.sla_recompute_preview(**{self.recompute_target: obj})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview recompute of open clocks"),
            "objects": objects,
            "rows": rows,
            "action_ids": action_ids,
            "action_name": "recompute_preview_action",
        }
        return TemplateResponse(request, "sla/admin/recompute_preview.html", context)

    def _apply(self, request, objects) -> None:
        count = sum(
            services.sla_recompute_apply(**{self.recompute_target: obj}, actor=request.user)
            for obj in objects
        )
        self.message_user(
            request, _("%(count)d open clocks recomputed.") % {"count": count}, messages.SUCCESS
        )

    def recompute_view(self, request, object_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            self._apply(request, [obj])
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        return self._preview_page(request, [obj])

    @admin.action(description=gettext_lazy("Preview recompute of open clocks"))
    def recompute_preview_action(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        objects = list(queryset)
        if request.POST.get("apply"):
            self._apply(request, objects)
            return None
        return self._preview_page(request, objects, action_ids=[obj.pk for obj in objects])


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(RecomputeAdminMixin, AuditedAdmin):
    list_display = ["name", "timezone", "is_24x7"]
    list_filter = ["is_24x7"]
    search_fields = ["name", "timezone"]
    inlines = [WorkingHoursInline, HolidayInline, MakeupWorkdayInline]
    recompute_target = "calendar"

    def save_model(self, request, obj, form, change):
        before = calendar_snapshot(BusinessCalendar.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        request._audit_before = before

    def save_related(self, request, form, formsets, change):
        admin.ModelAdmin.save_related(self, request, form, formsets, change)
        calendar = form.instance
        calendar_changed(calendar)
        audit_record(
            obj=calendar, actor=request.user, before=request._audit_before, after=calendar_snapshot(calendar)
        )


class EscalationRuleInline(admin.TabularInline):
    model = EscalationRule
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(RecomputeAdminMixin, AuditedAdmin):
    list_display = [
        "name",
        "applies_to",
        "priority",
        "service",
        "response_minutes",
        "resolution_minutes",
        "calendar",
        "is_active",
    ]
    list_filter = ["applies_to", "priority", "is_active", "calendar"]
    search_fields = ["name"]
    list_select_related = ["service", "calendar"]
    inlines = [EscalationRuleInline]
    recompute_target = "policy"

    def save_model(self, request, obj, form, change):
        before = policy_snapshot(SlaPolicy.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        request._audit_before = before

    def save_related(self, request, form, formsets, change):
        admin.ModelAdmin.save_related(self, request, form, formsets, change)
        audit_record(
            obj=form.instance,
            actor=request.user,
            before=request._audit_before,
            after=policy_snapshot(form.instance),
        )


class SlaClockEventInline(admin.TabularInline):
    model = SlaClockEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "percent", "elapsed_seconds", "reason", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "content_type",
        "object_id",
        "kind",
        "state",
        "policy",
        "due_at",
        "breached_at",
        "team",
    ]
    list_filter = ["state", "kind", "policy", "content_type"]
    list_select_related = ["content_type", "policy", "team"]
    inlines = [SlaClockEventInline]
    date_hierarchy = "started_at"


@admin.register(TeamTimeShare)
class TeamTimeShareAdmin(ReadOnlyAdmin):
    list_display = [
        "content_type",
        "object_id",
        "team",
        "started_at",
        "ended_at",
        "business_seconds",
        "wall_seconds",
    ]
    list_filter = ["team", "content_type"]
    list_select_related = ["content_type", "team"]
