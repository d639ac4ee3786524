import django_filters

from core.filters import FilterSet
from org.models import ConfigurationItem, Service, Team


class TeamFilterSet(FilterSet):
    member = django_filters.NumberFilter(field_name="members", label="member")

    class Meta:
        model = Team
        fields = ["is_active", "manager", "member"]


class ServiceFilterSet(FilterSet):
    class Meta:
        model = Service
        fields = ["criticality", "is_active", "owner", "support_team"]


class ConfigurationItemFilterSet(FilterSet):
    class Meta:
        model = ConfigurationItem
        fields = ["service", "kind", "is_active"]
