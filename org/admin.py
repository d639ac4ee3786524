from django.contrib import admin

from core.admin import AuditedAdmin
from org.models import ConfigurationItem, Service, Team


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "manager", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["manager"]


class ConfigurationItemInline(admin.TabularInline):
    model = ConfigurationItem
    extra = 0


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name", "name_zh", "criticality", "owner", "support_team", "is_active"]
    list_filter = ["criticality", "is_active", "support_team"]
    search_fields = ["name", "name_zh", "description"]
    autocomplete_fields = ["owner"]
    inlines = [ConfigurationItemInline]


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(AuditedAdmin):
    list_display = ["name", "service", "kind", "is_active"]
    list_filter = ["kind", "is_active", "service"]
    search_fields = ["name", "service__name"]
    list_select_related = ["service"]
