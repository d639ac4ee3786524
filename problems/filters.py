"""One FilterSet for the agent problem list and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from incidents.choices import Priority
from org.models import Service, Team
from problems.choices import OPEN_STATES, State
from problems.models import Problem


class ProblemFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"), distinct=False)
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, label=_("Priority"), distinct=False
    )
    owner_team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.filter(is_active=True), label=_("Owner team")
    )
    service = django_filters.ModelChoiceFilter(
        field_name="services",
        queryset=Service.objects.filter(is_active=True),
        label=_("Service"),
        distinct=False,  # a problem lists a service once, so the join cannot repeat rows
    )
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    is_published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("Known error in the KEDB")
    )
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_text", label=_("Text"))

    class Meta:
        model = Problem
        fields = ["state", "priority", "owner_team", "owner", "category", "number"]

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(state__in=OPEN_STATES) if value else qs.exclude(state__in=OPEN_STATES)

    def filter_text(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.upper().startswith("PRB") and value[3:].isdigit():
            return qs.filter(number=value.upper())
        return qs.filter(
            Q(title__icontains=value)
            | Q(symptoms__icontains=value)
            | Q(root_cause__icontains=value)
            | Q(number__icontains=value)
        )


class KnownErrorFilterSet(FilterSet):
    service = django_filters.ModelChoiceFilter(
        field_name="services",
        queryset=Service.objects.filter(is_active=True),
        label=_("Service"),
        distinct=False,  # a problem lists a service once, so the join cannot repeat rows
    )

    class Meta:
        model = Problem
        fields = ["category", "state"]
