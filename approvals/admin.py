from django.contrib import admin

from approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStep


class StepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    fields = ["order", "name", "group", "mode", "state", "activated_at", "decided_at"]
    readonly_fields = fields


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "content_type", "object_id", "state", "created_at", "decided_at"]
    list_filter = ["state", "content_type"]
    inlines = [StepInline]

    def has_add_permission(self, request):
        return False


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(admin.ModelAdmin):
    list_display = ["step", "approver", "decision", "created_at"]
    list_filter = ["decision"]

    def has_add_permission(self, request):
        return False
