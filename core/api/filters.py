from rest_framework.filters import SearchFilter


class QuerySearchFilter(SearchFilter):
    """`?q=` text search over the view's `search_fields` (API.md).

    A view whose FilterSet declares its own `q` (incidents, changes, requests: number first, then text)
    is left to it: applying both searched every row twice for the same words.
    """

    search_param = "q"

    def _answered_by_filterset(self, view) -> bool:
        filterset_class = getattr(view, "filterset_class", None)
        return filterset_class is not None and self.search_param in filterset_class.base_filters

    def filter_queryset(self, request, queryset, view):
        if self._answered_by_filterset(view):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        return [] if self._answered_by_filterset(view) else super().get_schema_operation_parameters(view)
