"""One FilterSet for the change list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from changes.choices import ChangeType, Outcome, Risk, State
from changes.models import Change
from core.filters import FilterSet
from core.text_search import text_matches


class ChangeFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"), distinct=False)
    type = django_filters.MultipleChoiceFilter(choices=ChangeType.choices, label=_("Type"), distinct=False)
    risk = django_filters.MultipleChoiceFilter(choices=Risk.choices, label=_("Risk"), distinct=False)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Outcome"))
    planned_after = django_filters.IsoDateTimeFilter(field_name="planned_end", lookup_expr="gt")
    planned_before = django_filters.IsoDateTimeFilter(field_name="planned_start", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_text", label=_("Text"))

    class Meta:
        model = Change
        fields = ["state", "type", "risk", "template", "implementer_team", "services", "outcome", "number"]

    def filter_text(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.upper().startswith("CHG") and value[3:].isdigit():
            return qs.filter(number=value.upper())
        return text_matches(qs, value, ("title", "description", "number"))
