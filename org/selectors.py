from django.db.models import Prefetch, Q, QuerySet

from core.bilingual import pick
from org.models import ConfigurationItem, Service, Team


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("manager").prefetch_related("members")


def service_list() -> QuerySet[Service]:
    return Service.objects.select_related("owner", "support_team").prefetch_related(
        Prefetch("configuration_items", queryset=ConfigurationItem.objects.order_by("name"))
    )


def configuration_item_list() -> QuerySet[ConfigurationItem]:
    return ConfigurationItem.objects.select_related("service")


def teams_of(user) -> QuerySet[Team]:
    """The teams a person works in or manages."""
    return Team.objects.filter(Q(members=user) | Q(manager=user), is_active=True).distinct()


def service_options() -> list[tuple[int, str]]:
    """(id, name in the reader's language) of the active services, for pickers and filters."""
    rows = Service.objects.filter(is_active=True).order_by("name").values_list("pk", "name", "name_zh")
    return [(pk, pick(name, name_zh)) for pk, name, name_zh in rows]
