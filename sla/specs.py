"""Compiled calendars, kept per process and keyed by the calendar's revision.

A list of tickets computes every running clock's live elapsed time from its calendar. Calendars
change a few times a year, so loading their hours, holidays and make-up days on every request is
waste: the compiled `CalendarSpec` is kept here under (calendar id, revision). Every write to a
calendar or its rows bumps `BusinessCalendar.revision`, and every reader passes the revision it just read with the clock, so a process
never uses a spec older than what that read saw.
"""

from __future__ import annotations

import threading

from django.db.models import F

from sla.calendar import CalendarSpec

_lock = threading.Lock()
_specs: dict[int, tuple[int, CalendarSpec]] = {}


def spec_for(calendar) -> CalendarSpec:
    """The spec of a BusinessCalendar instance (its rows are read only when the revision is new)."""
    cached = _specs.get(calendar.pk)
    if cached is not None and cached[0] == calendar.revision:
        return cached[1]
    spec = CalendarSpec.from_calendar(calendar)
    with _lock:
        current = _specs.get(calendar.pk)
        if current is None or current[0] <= calendar.revision:
            _specs[calendar.pk] = (calendar.revision, spec)
    return spec


def spec_for_id(calendar_id: int, revision: int) -> CalendarSpec:
    """The spec of a calendar known by id and the revision just read with it (lean list rows)."""
    cached = _specs.get(calendar_id)
    if cached is not None and cached[0] >= revision:
        return cached[1]
    from sla.models import BusinessCalendar

    calendar = BusinessCalendar.objects.prefetch_related("hours", "holidays", "workdays").get(pk=calendar_id)
    return spec_for(calendar)


def bump_revision(calendar_id: int) -> None:
    """Mark a calendar changed: every process recompiles its spec on the next read."""
    from sla.models import BusinessCalendar

    BusinessCalendar.objects.filter(pk=calendar_id).update(revision=F("revision") + 1)
    with _lock:
        _specs.pop(calendar_id, None)


def calendar_changed(calendar) -> None:
    """Call after bulk_create or update() on a calendar's hours, holidays or make-up days (which send no
    signals); saves and deletes, of single rows or querysets, bump the revision by themselves."""
    bump_revision(calendar.pk)
    calendar.refresh_from_db(fields=["revision"])
    calendar.forget_spec()


def clear() -> None:
    with _lock:
        _specs.clear()


# Signals, not services, because the cache must stay right however a row is written (admin inlines,
# factories, a shell): this is invalidation of derived data, not business logic.
def _row_written(sender, instance, **kwargs) -> None:
    bump_revision(instance.calendar_id)


def _calendar_saved(sender, instance, **kwargs) -> None:
    bump_revision(instance.pk)
    instance.forget_spec()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from sla.models import BusinessCalendar, Holiday, MakeupWorkday, WorkingHours

    post_save.connect(_calendar_saved, sender=BusinessCalendar, dispatch_uid="sla_spec_calendar")
    for model in (WorkingHours, Holiday, MakeupWorkday):
        post_save.connect(_row_written, sender=model, dispatch_uid=f"sla_spec_save_{model.__name__}")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"sla_spec_delete_{model.__name__}")
