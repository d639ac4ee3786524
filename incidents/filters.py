"""One FilterSet for the agent queue and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.text_search import text_matches
from incidents.choices import OPEN_STATES, Priority, State
from incidents.models import Incident
from org.models import Team


def _agents():
    from incidents.forms import agents_queryset

    return agents_queryset()


class IncidentFilterSet(FilterSet):
    # distinct=False: these filter plain columns, so no join can duplicate rows (DISTINCT is costly).
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"), distinct=False)
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, label=_("Priority"), distinct=False
    )
    assignee = django_filters.ModelChoiceFilter(queryset=lambda request: _agents(), label=_("Assignee"))
    assignment_group = django_filters.ModelChoiceFilter(
        queryset=Team.objects.filter(is_active=True), label=_("Team")
    )
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_text", label=_("Text"))

    class Meta:
        model = Incident
        fields = [
            "state",
            "priority",
            "assignment_group",
            "assignee",
            "service",
            "category",
            "requester",
            "is_major",
            "sla_breached",
            "number",
        ]

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(state__in=OPEN_STATES) if value else qs.exclude(state__in=OPEN_STATES)

    def filter_text(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.upper().startswith("INC") and value[3:].isdigit():
            return qs.filter(number=value.upper())
        return text_matches(qs, value, ("title", "description", "number"))
