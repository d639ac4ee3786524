"""Business calendars: a time zone, working hours per weekday, holidays and make-up working days."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models.mixins import FieldConstraintErrorsMixin
from sla.calendar import CalendarSpec, is_valid_timezone

MIDNIGHT = time(0, 0)


def validate_timezone(value: str) -> None:
    if not is_valid_timezone(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a known time zone: use an IANA name such as Europe/Berlin or Asia/Shanghai."
            ),
            code="invalid_timezone",
            params={"value": value},
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BusinessCalendar(FieldConstraintErrorsMixin, models.Model):
    """When the clock counts. 24×7 is a calendar too (it ignores hours and holidays)."""

    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. Asia/Shanghai. Working hours and holidays are local to it."),
    )
    is_24x7 = models.BooleanField(
        _("24×7"),
        default=False,
        help_text=_("Counts round the clock, every day; hours and holidays are ignored."),
    )
    # Bumped by every change to the calendar or its rows: compiled specs are cached under it (sla.specs).
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="sla_calendar_name_unique_ci",
                violation_error_code="name_taken",
                violation_error_message=_("A calendar with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def spec(self) -> CalendarSpec:
        """The pure arithmetic view; reads prefetched hours/holidays/workdays, cached on the instance."""
        return CalendarSpec.from_calendar(self)

    def forget_spec(self) -> None:
        self.__dict__.pop("_sla_spec", None)


class WorkingHours(FieldConstraintErrorsMixin, models.Model):
    """One working range on a weekday; a day may have several (a lunch break between them)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="hours", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="sla_hours_weekday_range",
                violation_error_code="weekday_taken",
                violation_error_message=_("The weekday is 0 (Monday) to 6 (Sunday)."),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")) | Q(end=MIDNIGHT),
                name="sla_hours_end_after_start",
                violation_error_code="end_taken",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if (
            self.start is not None
            and self.end is not None
            and self.end <= self.start
            and self.end != MIDNIGHT
        ):
            raise ValidationError({"end": _("The end must be after the start.")}, code="end_before_start")


class Holiday(FieldConstraintErrorsMixin, models.Model):
    """A local date on which nobody works (the clock does not count)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="sla_holiday_unique_date",
                violation_error_code="date_taken",
                violation_error_message=_("This date is already a holiday of the calendar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class MakeupWorkday(FieldConstraintErrorsMixin, models.Model):
    """A weekend date that is a working day (China's official schedule); it works Monday's hours."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="workdays", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("make-up working day")
        verbose_name_plural = _("make-up working days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="sla_workday_unique_date",
                violation_error_code="date_taken",
                violation_error_message=_("This date is already a make-up working day of the calendar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def clean(self):
        if self.date is not None and self.date.weekday() < 5:
            raise ValidationError(
                {"date": _("A make-up working day is a Saturday or a Sunday; weekdays already work.")},
                code="not_weekend",
            )
