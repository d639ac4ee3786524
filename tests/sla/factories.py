from datetime import time

import factory

from sla.models import BusinessCalendar, EscalationRule, Holiday, MakeupWorkday, SlaPolicy, WorkingHours
from sla.specs import calendar_changed


class BusinessCalendarFactory(factory.django.DjangoModelFactory):
    """24×7 unless told otherwise; `OfficeCalendarFactory` gives Mon–Fri hours."""

    class Meta:
        model = BusinessCalendar
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Calendar {n}")
    timezone = "UTC"
    is_24x7 = True


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    calendar = factory.SubFactory(BusinessCalendarFactory, is_24x7=False)
    weekday = 0
    start = time(9)
    end = time(18)


class OfficeCalendarFactory(BusinessCalendarFactory):
    """Mon–Fri 09:00–12:00 and 13:00–18:00 (8 working hours a day) in the given time zone."""

    is_24x7 = False
    timezone = "Asia/Shanghai"

    @factory.post_generation
    def ranges(self, create, extracted, **kwargs):
        if not create:
            return
        ranges = extracted if extracted is not None else [(time(9), time(12)), (time(13), time(18))]
        WorkingHours.objects.bulk_create(
            WorkingHours(calendar=self, weekday=day, start=start, end=end)
            for day in range(5)
            for start, end in ranges
        )
        calendar_changed(self)  # bulk_create sends no signal (sla.specs)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    calendar = factory.SubFactory(OfficeCalendarFactory)
    name = "Holiday"


class MakeupWorkdayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MakeupWorkday

    calendar = factory.SubFactory(OfficeCalendarFactory)
    name = "Make-up working day"


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    applies_to = SlaPolicy.AppliesTo.INCIDENT
    priority = None
    service = None
    response_minutes = 60
    resolution_minutes = 240
    calendar = factory.SubFactory(BusinessCalendarFactory)
    warn_at = factory.LazyFunction(lambda: [50, 75, 90])
    is_active = True


class EscalationRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationRule

    policy = factory.SubFactory(SlaPolicyFactory)
    at_percent = 75
    action = EscalationRule.Action.NOTIFY_MANAGER
