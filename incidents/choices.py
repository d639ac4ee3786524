"""Incident states, the transition table, and the other enumerations (DESIGN.md section 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (State.NEW, State.IN_PROGRESS, State.ON_HOLD)

# The one place the lifecycle is defined. Anything not listed is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.NEW: (State.IN_PROGRESS, State.CANCELLED),
    State.IN_PROGRESS: (State.ON_HOLD, State.RESOLVED, State.CANCELLED),
    State.ON_HOLD: (State.IN_PROGRESS, State.RESOLVED, State.CANCELLED),
    State.RESOLVED: (State.IN_PROGRESS, State.CLOSED),
    State.CLOSED: (),
    State.CANCELLED: (),
}


class HoldReason(models.TextChoices):
    AWAITING_CALLER = "awaiting_caller", _("Awaiting caller")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    AWAITING_CHANGE = "awaiting_change", _("Awaiting change")


class ResolutionCode(models.TextChoices):
    SOLVED_PERMANENTLY = "solved_permanently", _("Solved (permanently)")
    SOLVED_WORKAROUND = "solved_workaround", _("Solved (workaround)")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    USER_ERROR = "user_error", _("User error / how-to")
    DUPLICATE = "duplicate", _("Duplicate")
    RESOLVED_BY_CALLER = "resolved_by_caller", _("Resolved by caller")


class Level(models.IntegerChoices):
    HIGH = 1, _("1 — High")
    MEDIUM = 2, _("2 — Medium")
    LOW = 3, _("3 — Low")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 — Critical")
    P2 = 2, _("P2 — High")
    P3 = 3, _("P3 — Moderate")
    P4 = 4, _("P4 — Low")
    P5 = 5, _("P5 — Planning")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    MONITORING = "monitoring", _("Monitoring")
    API = "api", _("API")
    WALK_IN = "walk_in", _("Walk-in")


class AssignStrategy(models.TextChoices):
    TEAM_ONLY = "team_only", _("Team queue only")
    ROUND_ROBIN = "round_robin", _("Round-robin within the team")
    LEAST_LOADED = "least_loaded", _("Least-loaded member")


# DESIGN.md default matrix: (impact, urgency) -> priority.
DEFAULT_PRIORITY_MATRIX = {
    (1, 1): 1,
    (1, 2): 2,
    (2, 1): 2,
    (1, 3): 3,
    (2, 2): 3,
    (3, 1): 3,
    (2, 3): 4,
    (3, 2): 4,
    (3, 3): 5,
}
