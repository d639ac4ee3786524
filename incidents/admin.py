from django.contrib import admin

from core.admin import AuditedAdmin
from incidents.models import AssignmentRule, Category, Incident, IncidentSettings, PriorityMatrixEntry


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "name_zh", "parent", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "name_zh"]


@admin.register(PriorityMatrixEntry)
class PriorityMatrixAdmin(AuditedAdmin):
    list_display = ["__str__", "impact", "urgency", "priority"]
    list_editable = ["priority"]


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(AuditedAdmin):
    list_display = ["__str__", "order", "service", "category", "team", "strategy", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["team", "strategy", "is_active"]
    list_select_related = ["service", "category", "team", "category__parent"]


@admin.register(IncidentSettings)
class IncidentSettingsAdmin(AuditedAdmin):
    list_display = ["__str__", "auto_close_days", "major_incident_notify_managers"]

    def has_add_permission(self, request):
        return not IncidentSettings.objects.exists()


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only here: incidents change through the workspace and API, where the lifecycle is enforced."""

    list_display = ["number", "title", "state", "priority", "assignment_group", "assignee", "created_at"]
    list_filter = ["state", "priority", "is_major", "assignment_group"]
    search_fields = ["number", "title"]
    list_select_related = ["assignment_group", "assignee"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
