"""Reads: permission scope first, then filters, with a fixed number of queries per page."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from approvals.selectors import approvals_prefetch
from changes.choices import CALENDAR_STATES
from changes.models import Change, ChangeTemplate, FreezeWindow
from changes.permissions import change_scope
from org.models import ConfigurationItem, Service


def _m2m_prefetch() -> list:
    return [
        Prefetch("services", queryset=Service.objects.only("pk", "name")),
        Prefetch("configuration_items", queryset=ConfigurationItem.objects.only("pk", "name", "service_id")),
    ]


def change_list(*, user, with_approvals: bool = False) -> QuerySet[Change]:
    qs = change_scope(user).prefetch_related(*_m2m_prefetch())
    if with_approvals:
        qs = qs.prefetch_related(*approvals_prefetch())
    return qs


def change_list_page(*, user) -> QuerySet[Change]:
    return (
        change_scope(user).select_related("template", "implementer_team").prefetch_related(*_m2m_prefetch())
    )


def change_detail(*, user, pk: int) -> Change | None:
    return (
        change_scope(user)
        .select_related("template", "implementer_team", "requester")
        .prefetch_related(*_m2m_prefetch())
        .filter(pk=pk)
        .first()
    )


def change_calendar(*, user, start: datetime, end: datetime) -> tuple[list[Change], list[FreezeWindow]]:
    changes = list(
        change_scope(user)
        .filter(state__in=CALENDAR_STATES, planned_start__lt=end, planned_end__gt=start)
        .prefetch_related(*_m2m_prefetch())
        .order_by("planned_start", "id")
    )
    freezes = list(FreezeWindow.objects.filter(start__lt=end, end__gt=start).order_by("start"))
    return changes, freezes


def template_catalogue(*, active_only: bool = False) -> QuerySet[ChangeTemplate]:
    qs = ChangeTemplate.objects.select_related("owner", "implementer_team").prefetch_related("services")
    return qs.filter(is_active=True) if active_only else qs
