"""Saving calendars and policies with their rows (hours, holidays, workdays, escalations), audited.

The nested rows are replaced as a whole, validated together (no overlapping hours, a date is not both
a holiday and a make-up working day, a calendar that is not 24×7 has working hours) and recorded in
the same audit record as the parent's fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.services.audit import audit_record, audit_snapshot
from core.services.config import config_object_delete
from sla.calendar import range_seconds
from sla.models import BusinessCalendar, EscalationRule, Holiday, MakeupWorkday, SlaPolicy, WorkingHours
from sla.specs import calendar_changed


def _field_errors(field: str, exc: ValidationError) -> ValidationError:
    return ValidationError({field: [m for m in exc.messages]})


def _clean_rows(field: str, rows: list[models.Model], exclude: list[str]) -> None:
    for row in rows:
        try:
            row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise _field_errors(field, exc) from None


def _hours_text(hours: Iterable[WorkingHours]) -> str:
    return ", ".join(str(h) for h in sorted(hours, key=lambda h: (h.weekday, h.start)))


def _dates_text(rows: Iterable) -> str:
    return ", ".join(str(r) for r in sorted(rows, key=lambda r: r.date))


def calendar_snapshot(calendar: BusinessCalendar) -> dict:
    snapshot = audit_snapshot(calendar)
    snapshot["hours"] = _hours_text(calendar.hours.all())
    snapshot["holidays"] = _dates_text(calendar.holidays.all())
    snapshot["workdays"] = _dates_text(calendar.workdays.all())
    return snapshot


def validate_hours(hours: Iterable[tuple[int, time, time]]) -> None:
    """Ranges of one weekday may not overlap (the time would count twice)."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in hours:
        start_s = start.hour * 3600 + start.minute * 60 + start.second
        by_day.setdefault(weekday, []).append((start_s, start_s + range_seconds(start, end)))
    for ranges in by_day.values():
        ranges.sort()
        for (_a, a_end), (b_start, _b) in zip(ranges, ranges[1:], strict=False):
            if b_start < a_end:
                raise ValidationError(
                    {"hours": [_("Working hours of the same weekday overlap.")]}, code="hours_overlap"
                )


def _unique_dates(field: str, rows: list) -> None:
    dates = [r.date for r in rows]
    if len(dates) != len(set(dates)):
        raise ValidationError({field: [_("A date is listed twice.")]}, code="duplicate_date")


def calendar_save(
    *,
    actor,
    calendar: BusinessCalendar | None = None,
    hours: list[dict] | None = None,
    holidays: list[dict] | None = None,
    workdays: list[dict] | None = None,
    **values,
) -> BusinessCalendar:
    """Create or change a calendar. `hours` ([{weekday, start, end}]), `holidays` and `workdays`
    ([{date, name}]) replace the stored rows when given."""
    calendar = calendar or BusinessCalendar()
    with transaction.atomic():
        before = calendar_snapshot(BusinessCalendar.objects.get(pk=calendar.pk)) if calendar.pk else None
        for name, value in values.items():
            setattr(calendar, name, value)
        calendar.full_clean()
        calendar.save()
        if hours is not None:
            rows = [WorkingHours(calendar=calendar, **row) for row in hours]
            _clean_rows("hours", rows, exclude=["calendar"])
            validate_hours((r.weekday, r.start, r.end) for r in rows)
            calendar.hours.all().delete()
            WorkingHours.objects.bulk_create(rows)
        if holidays is not None:
            rows = [Holiday(calendar=calendar, **row) for row in holidays]
            _clean_rows("holidays", rows, exclude=["calendar"])
            _unique_dates("holidays", rows)
            calendar.holidays.all().delete()
            Holiday.objects.bulk_create(rows)
        if workdays is not None:
            rows = [MakeupWorkday(calendar=calendar, **row) for row in workdays]
            _clean_rows("workdays", rows, exclude=["calendar"])
            _unique_dates("workdays", rows)
            calendar.workdays.all().delete()
            MakeupWorkday.objects.bulk_create(rows)
        calendar_validate(calendar)
        calendar_changed(calendar)
        for name in ("hours", "holidays", "workdays"):
            getattr(calendar, "_prefetched_objects_cache", {}).pop(name, None)
        audit_record(obj=calendar, actor=actor, before=before, after=calendar_snapshot(calendar))
    return calendar


def calendar_validate(calendar: BusinessCalendar) -> None:
    """Rules across the calendar's rows, checked on what is stored (inside the saving transaction)."""
    if not calendar.is_24x7 and not calendar.hours.exists():
        raise ValidationError(
            {"hours": [_("A calendar that is not 24×7 needs working hours.")]}, code="no_working_hours"
        )
    clash = calendar.workdays.filter(date__in=calendar.holidays.values("date")).first()
    if clash is not None:
        raise ValidationError(
            {
                "workdays": [
                    _("%(date)s is both a holiday and a make-up working day.")
                    % {"date": f"{clash.date:%Y-%m-%d}"}
                ]
            },
            code="holiday_and_workday",
        )


def _escalations_text(rules: Iterable[EscalationRule]) -> str:
    return ", ".join(
        f"{r.at_percent}% {r.action}" + (f" → {r.team_id}" if r.team_id else "")
        for r in sorted(rules, key=lambda r: (r.at_percent, r.action))
    )


def policy_snapshot(policy: SlaPolicy) -> dict:
    snapshot = audit_snapshot(policy)
    snapshot["escalations"] = _escalations_text(policy.escalations.all())
    return snapshot


def policy_save(
    *, actor, policy: SlaPolicy | None = None, escalations: list[dict] | None = None, **values
) -> SlaPolicy:
    """Create or change a policy; `escalations` ([{at_percent, action, team}]) replaces its rules."""
    policy = policy or SlaPolicy()
    with transaction.atomic():
        before = policy_snapshot(SlaPolicy.objects.get(pk=policy.pk)) if policy.pk else None
        for name, value in values.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
        if escalations is not None:
            rows = [EscalationRule(policy=policy, **row) for row in escalations]
            _clean_rows("escalations", rows, exclude=["policy"])
            policy.escalations.all().delete()
            EscalationRule.objects.bulk_create(rows)
            getattr(policy, "_prefetched_objects_cache", {}).pop("escalations", None)
        audit_record(obj=policy, actor=actor, before=before, after=policy_snapshot(policy))
    return policy


def sla_config_delete(*, actor, obj: BusinessCalendar | SlaPolicy) -> None:
    """Delete a calendar or policy; one still in use is refused with a message (deactivate it instead)."""
    try:
        with transaction.atomic():
            config_object_delete(obj=obj, actor=actor)
    except ProtectedError:
        if isinstance(obj, SlaPolicy):
            message = _("Clocks were started under this policy: deactivate it instead of deleting it.")
        else:
            message = _("SLA policies use this calendar: change them first.")
        raise ValidationError({"non_field_errors": [message]}, code="in_use") from None
