"""The service catalogue (categories, items with a form defined as data, task templates) and requests."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bilingual import BilingualName, pick
from core.models import Ticket
from core.models.mixins import FieldConstraintErrorsMixin
from requests_catalog.choices import ApprovalRule, Automation, AutomationState, State, TaskState


class Bilingual(BilingualName, models.Model):
    """Catalogue text an administrator writes in English and, optionally, Simplified Chinese."""

    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name


class CatalogCategory(FieldConstraintErrorsMixin, Bilingual):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("An emoji shown in the portal."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="catalog_category_unique",
                violation_error_code="name_taken",
                violation_error_message=_("This category already exists here."),
            )
        ]


class CatalogItem(FieldConstraintErrorsMixin, Bilingual):
    category = models.ForeignKey(
        CatalogCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("An emoji shown in the portal."))
    keywords = models.CharField(
        _("search keywords"), max_length=300, blank=True, help_text=_("Other words people use for it.")
    )
    visible_to = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="+",
        verbose_name=_("who may order"),
        help_text=_("Leave empty so that everyone may order it."),
    )
    service = models.ForeignKey(
        "org.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalog_items",
        verbose_name=_("service"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_catalog_items",
        verbose_name=_("owner"),
    )
    fulfilment_team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fulfilment team"),
        help_text=_("Gets the request when no task template names a team, and when automation fails."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=4, choices=[(p, f"P{p}") for p in range(1, 6)]
    )
    delivery_hours = models.PositiveIntegerField(
        _("expected delivery (hours)"), default=24, help_text=_("What the portal promises.")
    )
    approval = models.CharField(
        _("approval"), max_length=30, choices=ApprovalRule.choices, default=ApprovalRule.NONE
    )
    approval_group = models.CharField(
        _("approver group"), max_length=150, blank=True, help_text=_("A group name, for group approval.")
    )
    form = models.JSONField(_("form"), default=list, blank=True)
    automation = models.CharField(
        _("automation"), max_length=20, choices=Automation.choices, default=Automation.NONE
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret = models.CharField(_("webhook secret"), max_length=200, blank=True)
    automation_group = models.CharField(
        _("group to add the user to"),
        max_length=150,
        blank=True,
        help_text=_("For “add the user to a group”."),
    )
    automation_user_field = models.CharField(
        _("user question"),
        max_length=50,
        blank=True,
        help_text=_("The form question naming the user to act on; empty means the requester."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "name"],
                name="catalog_item_unique",
                violation_error_code="name_taken",
                violation_error_message=_("An item with this name already exists in the category."),
            )
        ]

    @property
    def requires_approval(self) -> bool:
        return self.approval != ApprovalRule.NONE

    @property
    def is_automated(self) -> bool:
        return self.automation != Automation.NONE


class TaskTemplate(models.Model):
    """One fulfilment step. Tasks with the same step number run in parallel; higher steps wait."""

    item = models.ForeignKey(
        CatalogItem, on_delete=models.CASCADE, related_name="task_templates", verbose_name=_("item")
    )
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    instructions = models.TextField(_("instructions"), blank=True)
    visible_fields = models.JSONField(
        _("answers shown"), default=list, blank=True, help_text=_("Question names; empty shows all answers.")
    )

    class Meta:
        verbose_name = _("task template")
        verbose_name_plural = _("task templates")
        ordering = ["item_id", "step", "id"]

    def __str__(self) -> str:
        return self.title


class ServiceRequest(Ticket):
    NUMBER_PREFIX = "REQ"

    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("item")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    priority = models.PositiveSmallIntegerField(_("priority"), default=4)
    service = models.ForeignKey(
        "org.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("service"),
    )
    assignment_group = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("assignment group"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Wall-clock seconds from submission to fulfilment, kept for the fulfilment-time metric.
    fulfilment_seconds = models.PositiveIntegerField(_("fulfilment time (s)"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    automation_state = models.CharField(
        _("automation"), max_length=12, choices=AutomationState.choices, default="", blank=True
    )
    automation_attempts = models.PositiveSmallIntegerField(_("automation attempts"), default=0)
    automation_next_at = models.DateTimeField(_("next automation attempt"), null=True, blank=True)
    automation_error = models.TextField(_("last automation error"), blank=True)
    sla_due_at = models.DateTimeField(_("SLA due"), null=True, blank=True, editable=False)
    sla_breached = models.BooleanField(_("SLA breached"), default=False, editable=False)

    sla_clocks = GenericRelation("sla.SlaClock")
    approval_requests = GenericRelation("approvals.ApprovalRequest")

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="req_requester_created"),
            models.Index(fields=["state", "sla_due_at", "id"], name="req_state_due"),
            models.Index(fields=["assignment_group", "state"], name="req_team_state"),
            models.Index(fields=["item", "fulfilled_at"], name="req_item_fulfilled"),
            models.Index(fields=["created_at"], name="req_created"),
            models.Index(
                fields=["automation_next_at"],
                name="req_automation_due",
                condition=Q(automation_state__in=["queued", "retrying"]),
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.state in (State.SUBMITTED, State.AWAITING_APPROVAL, State.APPROVED, State.FULFILLING)


class RequestTask(models.Model):
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("request")
    )
    template = models.ForeignKey(
        TaskTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    visible_fields = models.JSONField(_("answers shown"), default=list, blank=True)
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("team")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request_tasks",
        verbose_name=_("assignee"),
    )
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices, default=TaskState.PENDING)
    is_automation_fallback = models.BooleanField(_("automation fallback"), default=False, editable=False)
    notes = models.TextField(_("work notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("fulfilment task")
        verbose_name_plural = _("fulfilment tasks")
        ordering = ["request_id", "step", "id"]
        indexes = [
            models.Index(
                fields=["team", "opened_at"],
                name="reqtask_open_team",
                condition=Q(state__in=["open", "in_progress"]),
            ),
            models.Index(
                fields=["assignee", "opened_at"],
                name="reqtask_open_assignee",
                condition=Q(state__in=["open", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} · {self.display_title}"

    @property
    def display_title(self) -> str:
        return pick(self.title, self.title_zh)

    @property
    def is_open(self) -> bool:
        return self.state in (TaskState.OPEN, TaskState.IN_PROGRESS)
