from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.bilingual import BilingualName
from core.models import Ticket
from core.models.mixins import FieldConstraintErrorsMixin
from incidents.choices import AssignStrategy, Channel, HoldReason, Level, Priority, ResolutionCode, State


class Category(FieldConstraintErrorsMixin, BilingualName, models.Model):
    """Incident categories; a category with a parent is a subcategory. Named in English and Chinese."""

    name = models.CharField(_("name"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["parent__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                name="incident_category_unique",
                violation_error_code="name_taken",
                violation_error_message=_("This category already exists here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.display_name} › {self.display_name}" if self.parent_id else self.display_name


class PriorityMatrixEntry(models.Model):
    """Impact × urgency → priority, editable by administrators."""

    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)

    class Meta:
        verbose_name = _("priority matrix entry")
        verbose_name_plural = _("priority matrix")
        ordering = ["impact", "urgency"]
        constraints = [models.UniqueConstraint(fields=["impact", "urgency"], name="priority_matrix_unique")]

    def __str__(self) -> str:
        return f"I{self.impact} × U{self.urgency} → P{self.priority}"


class AssignmentRule(models.Model):
    """Route new incidents by service and/or category to a team (first matching rule by order wins)."""

    order = models.PositiveIntegerField(_("order"), default=100)
    service = models.ForeignKey(
        "org.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("service"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    strategy = models.CharField(
        _("assignee"), max_length=20, choices=AssignStrategy.choices, default=AssignStrategy.TEAM_ONLY
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.service or '*'} / {self.category or '*'} → {self.team}"


class IncidentSettings(models.Model):
    """Process settings administrators change without code (a single row)."""

    auto_close_days = models.PositiveSmallIntegerField(
        _("close resolved incidents after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    major_incident_notify_managers = models.BooleanField(
        _("notify all managers of major incidents"), default=True
    )

    class Meta:
        verbose_name = _("incident settings")
        verbose_name_plural = _("incident settings")

    def __str__(self) -> str:
        return str(_("Incident settings"))

    @classmethod
    def current(cls) -> "IncidentSettings":
        return cls.objects.first() or cls()


class Incident(Ticket):
    NUMBER_PREFIX = "INC"

    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.LOW)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=Level.LOW)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.P5)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    hold_reason = models.CharField(_("hold reason"), max_length=20, choices=HoldReason.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    service = models.ForeignKey(
        "org.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("service"),
        db_index=False,  # inc_service_created (service, created_at) serves every lookup by service
    )
    configuration_item = models.ForeignKey(
        "org.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        verbose_name=_("configuration item"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("category"),
    )
    assignment_group = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("assignment group"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_incidents",
        verbose_name=_("assignee"),
    )
    first_assignment_group = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    is_major = models.BooleanField(_("major incident"), default=False)
    problem = models.ForeignKey(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        verbose_name=_("problem"),
    )
    outage_start = models.DateTimeField(_("outage start"), null=True, blank=True)
    outage_end = models.DateTimeField(_("outage end"), null=True, blank=True)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    resolution_code = models.CharField(
        _("resolution code"), max_length=30, choices=ResolutionCode.choices, blank=True
    )
    resolution_notes = models.TextField(_("resolution notes"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0, editable=False)
    reassignment_count = models.PositiveSmallIntegerField(_("reassignments"), default=0, editable=False)
    # The earliest due time of the counting SLA clocks, kept by the service: the queue sorts on it.
    sla_due_at = models.DateTimeField(_("SLA due"), null=True, blank=True, editable=False)
    sla_breached = models.BooleanField(_("SLA breached"), default=False, editable=False)

    # The change that caused this incident (a string reference: incidents never import changes).
    caused_by_change = models.ForeignKey(
        "changes.Change",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="induced_incidents",
        verbose_name=_("caused by change"),
    )

    sla_clocks = GenericRelation("sla.SlaClock")

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Queue views: open work by team/assignee ordered by SLA due; partial to stay small at millions of rows.
            models.Index(
                fields=["assignment_group", "sla_due_at"],
                name="inc_open_team_due",
                condition=Q(state__in=["new", "in_progress", "on_hold"]),
            ),
            models.Index(
                fields=["assignee", "sla_due_at"],
                name="inc_open_assignee_due",
                condition=Q(state__in=["new", "in_progress", "on_hold"]),
            ),
            models.Index(
                fields=["sla_due_at", "id"],
                name="inc_open_due",
                condition=Q(state__in=["new", "in_progress", "on_hold"]),
            ),
            models.Index(fields=["state", "sla_due_at"], name="inc_state_due"),
            models.Index(fields=["state"], name="inc_major", condition=Q(is_major=True)),
            models.Index(fields=["state", "assignment_group", "sla_due_at", "id"], name="inc_state_team_due"),
            models.Index(fields=["requester", "-created_at"], name="inc_requester_created"),
            # The "All" queue and the API default order (newest first, id breaking ties): also lets deep
            # pages skip rows with an index-only scan (core.pagination.DeepPaginator).
            models.Index(fields=["created_at", "id"], name="inc_created_id"),
            models.Index(fields=["resolved_at"], name="inc_resolved"),
            models.Index(fields=["state", "resolved_at"], name="inc_state_resolved"),
            models.Index(fields=["service", "created_at"], name="inc_service_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outage_end__isnull=True)
                | Q(outage_start__isnull=False, outage_end__gte=models.F("outage_start")),
                name="incident_outage_order",
                violation_error_message=_("The outage must start before it ends."),
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.state in (State.NEW, State.IN_PROGRESS, State.ON_HOLD)
