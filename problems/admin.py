from django.contrib import admin

from problems.models import Problem, ProblemProposal, SuggestionEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only here: problems change through the workspace and API, where the lifecycle is enforced."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "state", "priority", "owner_team", "published_at", "created_at"]
    list_filter = ["state", "priority", "owner_team"]
    search_fields = ["number", "title", "symptoms"]
    list_select_related = ["owner_team"]
    date_hierarchy = "created_at"


@admin.register(ProblemProposal)
class ProblemProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "service", "category", "problem", "created_at"]
    list_filter = ["state"]
    list_select_related = ["service", "category", "problem"]


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "channel", "problem", "incident", "user"]
    list_filter = ["kind", "channel"]
    list_select_related = ["problem", "incident", "user"]
