from .calendars import BusinessCalendar, Holiday, MakeupWorkday, WorkingHours
from .clocks import SlaClock, SlaClockEvent, TeamTimeShare
from .policies import EscalationRule, SlaPolicy

__all__ = [
    "BusinessCalendar",
    "EscalationRule",
    "Holiday",
    "MakeupWorkday",
    "SlaClock",
    "SlaClockEvent",
    "SlaPolicy",
    "TeamTimeShare",
    "WorkingHours",
]
