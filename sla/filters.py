import django_filters

from sla.models import BusinessCalendar, SlaPolicy


class BusinessCalendarFilterSet(django_filters.FilterSet):
    class Meta:
        model = BusinessCalendar
        fields = ["is_24x7", "timezone"]


class SlaPolicyFilterSet(django_filters.FilterSet):
    class Meta:
        model = SlaPolicy
        fields = ["applies_to", "priority", "service", "calendar", "is_active"]
