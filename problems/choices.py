"""Problem states, the transition table, and the other enumerations (DESIGN.md section 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("New")
    INVESTIGATING = "investigating", _("Investigating")
    KNOWN_ERROR = "known_error", _("Known error")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (State.NEW, State.INVESTIGATING, State.KNOWN_ERROR)

# The one place the lifecycle is defined. Anything not listed is refused.
# resolved → investigating is a reopen: the permanent fix did not hold.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.NEW: (State.INVESTIGATING, State.CANCELLED),
    State.INVESTIGATING: (State.KNOWN_ERROR, State.RESOLVED, State.CANCELLED),
    State.KNOWN_ERROR: (State.RESOLVED, State.CANCELLED),
    State.RESOLVED: (State.CLOSED, State.INVESTIGATING),
    State.CLOSED: (),
    State.CANCELLED: (),
}


class RcaMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 whys")
    ISHIKAWA = "ishikawa", _("Ishikawa (fishbone) diagram")
    KEPNER_TREGOE = "kepner_tregoe", _("Kepner-Tregoe")
    FAULT_TREE = "fault_tree", _("Fault tree")
    TIMELINE = "timeline", _("Chronological analysis")
    OTHER = "other", _("Other")


class IncidentNote(models.TextChoices):
    """Which text resolves the linked incidents when a problem is resolved."""

    FIX = "fix", _("The permanent fix")
    WORKAROUND = "workaround", _("The workaround")


class SuggestionEventKind(models.TextChoices):
    SHOWN = "shown", _("Shown")
    APPLIED = "applied", _("Applied")
    DEFLECTED = "deflected", _("Solved without a ticket")


class Channel(models.TextChoices):
    WORKSPACE = "workspace", _("Agent workspace")
    PORTAL = "portal", _("Self-service portal")
    API = "api", _("API")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")
