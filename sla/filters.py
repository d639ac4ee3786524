from core.filters import FilterSet
from sla.models import BusinessCalendar, SlaPolicy


class BusinessCalendarFilterSet(FilterSet):
    class Meta:
        model = BusinessCalendar
        fields = ["is_24x7", "timezone"]


class SlaPolicyFilterSet(FilterSet):
    class Meta:
        model = SlaPolicy
        fields = ["applies_to", "priority", "service", "calendar", "is_active"]
