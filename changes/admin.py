from django.contrib import admin

from changes.models import Change, ChangeSettings, ChangeTemplate, FreezeWindow, RiskOption, RiskQuestion


@admin.register(ChangeTemplate)
class ChangeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "risk", "is_active", "failure_rate", "flagged", "demoted"]
    list_filter = ["is_active", "flagged", "demoted", "risk"]
    search_fields = ["name"]
    filter_horizontal = ["services"]


class RiskOptionInline(admin.TabularInline):
    model = RiskOption
    extra = 1


@admin.register(RiskQuestion)
class RiskQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "is_active"]
    inlines = [RiskOptionInline]


@admin.register(FreezeWindow)
class FreezeWindowAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]
    filter_horizontal = ["services"]


@admin.register(ChangeSettings)
class ChangeSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not ChangeSettings.objects.exists()


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """Read-only: changes are worked in the workspace, where the services apply the rules."""

    list_display = ["number", "title", "type", "state", "risk", "planned_start"]
    list_filter = ["type", "state", "risk"]
    search_fields = ["number", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
