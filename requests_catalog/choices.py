"""Request states, the transition table, task states, approval and automation kinds (DESIGN.md section 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FULFILLING = "fulfilling", _("Fulfilling")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (State.SUBMITTED, State.AWAITING_APPROVAL, State.APPROVED, State.FULFILLING)
FINAL_STATES = (State.CLOSED, State.REJECTED, State.CANCELLED)

# The one place the lifecycle is defined. Anything not listed is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.SUBMITTED: (State.AWAITING_APPROVAL, State.FULFILLING, State.CANCELLED),
    State.AWAITING_APPROVAL: (State.APPROVED, State.REJECTED, State.CANCELLED),
    State.APPROVED: (State.FULFILLING, State.CANCELLED),
    State.FULFILLING: (State.FULFILLED, State.CANCELLED),
    State.FULFILLED: (State.CLOSED, State.FULFILLING),
    State.CLOSED: (),
    State.REJECTED: (),
    State.CANCELLED: (),
}

# Moves a person asks for; the others follow from approvals, tasks and automation.
MANUAL_TARGETS = (State.CANCELLED, State.FULFILLED, State.CLOSED, State.FULFILLING)


class TaskState(models.TextChoices):
    PENDING = "pending", _("Waiting for an earlier task")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATES = (TaskState.PENDING, TaskState.OPEN, TaskState.IN_PROGRESS)

TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskState.PENDING: (TaskState.CANCELLED,),
    TaskState.OPEN: (TaskState.IN_PROGRESS, TaskState.DONE, TaskState.CANCELLED),
    TaskState.IN_PROGRESS: (TaskState.DONE, TaskState.OPEN, TaskState.CANCELLED),
    TaskState.DONE: (),
    TaskState.CANCELLED: (),
}


class ApprovalRule(models.TextChoices):
    NONE = "none", _("No approval")
    LINE_MANAGER = "line_manager", _("Requester's line manager")
    OWNER = "owner", _("Item owner")
    GROUP = "group", _("A group")
    LINE_MANAGER_THEN_OWNER = "line_manager_then_owner", _("Line manager, then item owner")


class Automation(models.TextChoices):
    NONE = "none", _("People fulfil it (tasks)")
    WEBHOOK = "webhook", _("Outbound webhook with the answers")
    ADD_TO_GROUP = "add_to_group", _("Add the user to a group")
    PASSWORD_RESET = "password_reset", _("Send a password reset link")


class AutomationState(models.TextChoices):
    NONE = "", _("None")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running the action")
    RETRYING = "retrying", _("Waiting to retry")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed: handed to a person")
