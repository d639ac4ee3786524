"""View-only admin screens: the catalogue and requests change through the workspace pages and the API,
whose services validate forms, refuse category cycles and write the audit trail."""

from django.contrib import admin
from django.db import models

from requests_catalog.models import CatalogCategory, CatalogItem, RequestTask, ServiceRequest, TaskTemplate


class ViewOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TaskTemplateInline(admin.TabularInline):
    model = TaskTemplate
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CatalogCategory)
class CatalogCategoryAdmin(ViewOnly):
    list_display = ["name", "name_zh", "parent", "order", "is_active"]
    list_filter = ["is_active"]


@admin.register(CatalogItem)
class CatalogItemAdmin(ViewOnly):
    list_display = ["name", "category", "approval", "automation", "priority", "is_active"]
    list_filter = ["category", "approval", "automation", "is_active"]
    search_fields = ["name", "name_zh", "keywords"]
    inlines = [TaskTemplateInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ViewOnly):
    list_display = ["number", "title", "state", "requester", "created_at", "fulfilled_at"]
    list_filter = ["state", "item"]
    search_fields = ["number", "title"]


@admin.register(RequestTask)
class RequestTaskAdmin(ViewOnly):
    list_display = ["request", "title", "team", "assignee", "state"]
    list_filter = ["state", "team"]
