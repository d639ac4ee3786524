"""Calendar arithmetic: overlaps, freeze windows, conflicts and a template's next allowed window.

Windows are half-open [start, end): a change ending exactly when another starts does not conflict.
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from changes.choices import CALENDAR_STATES
from changes.models import Change, ChangeTemplate, FreezeWindow
from org.models import ConfigurationItem, Service


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def freeze_windows_for(*, start, end, service_ids) -> list[FreezeWindow]:
    """Freeze windows overlapping [start, end) that cover one of the services (or every service)."""
    if start is None or end is None:
        return []
    windows = FreezeWindow.objects.filter(start__lt=end, end__gt=start).prefetch_related(
        Prefetch("services", queryset=Service.objects.only("pk"))
    )
    service_ids = set(service_ids)
    return [w for w in windows if not w.services.all() or service_ids & {s.pk for s in w.services.all()}]


def _ids(change, relation: str) -> set[int]:
    return {obj.pk for obj in getattr(change, relation).all()}


def conflicts_for(changes: list[Change]) -> dict[int, list[dict]]:
    """Conflicts of each change (services and configuration items prefetched) in a fixed number of queries."""
    result: dict[int, list[dict]] = {c.pk: [] for c in changes}
    windowed = [c for c in changes if c.planned_start and c.planned_end]
    if not windowed:
        return result
    low = min(c.planned_start for c in windowed)
    high = max(c.planned_end for c in windowed)
    candidates = list(
        Change.objects.filter(state__in=CALENDAR_STATES, planned_start__lt=high, planned_end__gt=low)
        .only("pk", "number", "title", "planned_start", "planned_end")
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.only("pk", "name")),
            Prefetch("configuration_items", queryset=ConfigurationItem.objects.only("pk", "name")),
        )
    )
    freezes = list(
        FreezeWindow.objects.filter(start__lt=high, end__gt=low).prefetch_related(
            Prefetch("services", queryset=Service.objects.only("pk"))
        )
    )
    for change in windowed:
        if change.state not in CALENDAR_STATES:
            continue
        services, items = _ids(change, "services"), _ids(change, "configuration_items")
        for other in candidates:
            if other.pk == change.pk or not overlaps(
                change.planned_start, change.planned_end, other.planned_start, other.planned_end
            ):
                continue
            shared_services = [s.name for s in other.services.all() if s.pk in services]
            shared_items = [ci.name for ci in other.configuration_items.all() if ci.pk in items]
            if shared_services or shared_items:
                result[change.pk].append(
                    {
                        "kind": "change",
                        "change": other.pk,
                        "number": other.number,
                        "title": other.title,
                        "reason": _("Overlaps %(number)s on %(what)s.")
                        % {"number": other.number, "what": ", ".join(shared_services + shared_items)},
                    }
                )
        for freeze in freezes:
            if not overlaps(change.planned_start, change.planned_end, freeze.start, freeze.end):
                continue
            covered = {s.pk for s in freeze.services.all()}
            if covered and not covered & services:
                continue
            result[change.pk].append(
                {
                    "kind": "freeze",
                    "freeze_window": freeze.pk,
                    "name": freeze.name,
                    "reason": _("Falls in the freeze window %(name)s.") % {"name": freeze.name},
                }
            )
    return result


def _parse(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def next_template_window(template: ChangeTemplate, *, after, service_ids=()) -> tuple[datetime, datetime]:
    """The earliest slot at or after `after` inside the template's windows (UTC) and outside freezes."""
    duration = timedelta(minutes=template.duration_minutes or 60)
    windows = template.allowed_windows or []
    after = after.astimezone(UTC)
    if not windows:
        start = after
        for _attempt in range(50):
            frozen = freeze_windows_for(start=start, end=start + duration, service_ids=service_ids)
            if not frozen:
                return start, start + duration
            start = max(w.end for w in frozen)
        return start, start + duration
    day = after.date()
    for offset in range(400):
        date = day + timedelta(days=offset)
        for window in sorted(windows, key=lambda w: w["start"]):
            if int(window["weekday"]) != date.weekday():
                continue
            w_start = datetime.combine(date, _parse(window["start"]), tzinfo=after.tzinfo)
            w_end = datetime.combine(date, _parse(window["end"]), tzinfo=after.tzinfo)
            start = max(w_start, after)
            if start + duration > w_end:
                continue
            if freeze_windows_for(start=start, end=start + duration, service_ids=service_ids):
                continue
            return start, start + duration
    return after, after + duration
