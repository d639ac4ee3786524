"""One FilterSet per list, shared by the agent pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.text_search import text_matches
from requests_catalog.choices import State, TaskState
from requests_catalog.models import CatalogItem, RequestTask, ServiceRequest


class RequestFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"), distinct=False)
    item = django_filters.ModelChoiceFilter(queryset=CatalogItem.objects.all(), label=_("Item"))
    submitted_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    submitted_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_text", label=_("Text"))

    class Meta:
        model = ServiceRequest
        fields = ["state", "item", "requester", "assignment_group", "service", "number"]

    def filter_text(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.upper().startswith("REQ") and value[3:].isdigit():
            return qs.filter(number=value.upper())
        return text_matches(qs, value, ("title", "number"))


class RequestTaskFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=TaskState.choices, label=_("State"), distinct=False)

    class Meta:
        model = RequestTask
        fields = ["state", "team", "assignee", "request"]
