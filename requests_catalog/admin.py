from django.contrib import admin

from requests_catalog.models import CatalogCategory, CatalogItem, RequestTask, ServiceRequest, TaskTemplate


@admin.register(CatalogCategory)
class CatalogCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "parent", "order", "is_active"]
    list_filter = ["is_active"]


class TaskTemplateInline(admin.TabularInline):
    model = TaskTemplate
    extra = 0


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    """The form and fulfilment plan are edited on the catalogue pages (validated there); this is an overview."""

    list_display = ["name", "category", "approval", "automation", "priority", "is_active"]
    list_filter = ["category", "approval", "automation", "is_active"]
    search_fields = ["name", "name_zh", "keywords"]
    readonly_fields = ["form"]
    inlines = [TaskTemplateInline]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "requester", "created_at", "fulfilled_at"]
    list_filter = ["state", "item"]
    search_fields = ["number", "title"]
    readonly_fields = [f.name for f in ServiceRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RequestTask)
class RequestTaskAdmin(admin.ModelAdmin):
    list_display = ["request", "title", "team", "assignee", "state"]
    list_filter = ["state", "team"]
    readonly_fields = ["request", "state", "opened_at", "started_at", "completed_at"]
