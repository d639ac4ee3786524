from rest_framework.filters import SearchFilter


class QuerySearchFilter(SearchFilter):
    """`?q=` text search over the view's `search_fields` (API.md)."""

    search_param = "q"
