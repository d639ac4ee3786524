"""Change types, states, the transition table and the other enumerations (DESIGN.md section 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeType(models.TextChoices):
    STANDARD = "standard", _("Standard")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSESS = "assess", _("Assess")
    AUTHORIZE = "authorize", _("Authorize")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPLEMENT = "implement", _("Implement")
    REVIEW = "review", _("Review")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATES = (State.CLOSED, State.REJECTED, State.CANCELLED)
# States whose planned window can collide with another change's.
CALENDAR_STATES = (State.DRAFT, State.ASSESS, State.AUTHORIZE, State.SCHEDULED, State.IMPLEMENT, State.REVIEW)

# The one place the lifecycle is defined, per type. Anything not listed is refused.
# authorize → scheduled/rejected happens when the approval is decided (changes.registration hook);
# a manual authorize → scheduled is allowed only once the approval is approved (e.g. after a freeze moved).
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    ChangeType.STANDARD: {
        State.DRAFT: (State.SCHEDULED, State.CANCELLED),
        State.SCHEDULED: (State.IMPLEMENT, State.CANCELLED),
        State.IMPLEMENT: (State.REVIEW,),
        State.REVIEW: (State.CLOSED,),
    },
    ChangeType.NORMAL: {
        State.DRAFT: (State.ASSESS, State.CANCELLED),
        State.ASSESS: (State.AUTHORIZE, State.DRAFT, State.CANCELLED),
        State.AUTHORIZE: (State.SCHEDULED, State.CANCELLED),
        State.SCHEDULED: (State.IMPLEMENT, State.CANCELLED),
        State.IMPLEMENT: (State.REVIEW,),
        State.REVIEW: (State.CLOSED,),
    },
    ChangeType.EMERGENCY: {
        State.DRAFT: (State.AUTHORIZE, State.CANCELLED),
        State.AUTHORIZE: (State.SCHEDULED, State.CANCELLED),
        State.SCHEDULED: (State.IMPLEMENT, State.CANCELLED),
        State.IMPLEMENT: (State.REVIEW,),
        State.REVIEW: (State.CLOSED,),
    },
}


def allowed_next(change_type: str, state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(change_type, {}).get(state, ())


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    SUCCESSFUL_WITH_ISSUES = "successful_with_issues", _("Successful with issues")
    FAILED = "failed", _("Failed (rolled back)")


# Approval steps by path. Group names are core.roles groups.
STEP_CHANGE_MANAGER = {"name": "Change manager", "group": "managers", "mode": "any"}
STEP_CAB = {"name": "CAB", "group": "cab", "mode": "any"}
STEP_EMERGENCY_CAB = {"name": "Emergency CAB", "group": "cab", "mode": "any"}
