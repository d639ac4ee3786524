from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from changes.choices import ChangeType, Outcome, Risk, State
from changes.validators import validate_windows
from core.models import Ticket


class ChangeSettings(models.Model):
    """Process settings administrators change without code (a single row)."""

    risk_medium_from = models.PositiveSmallIntegerField(_("medium risk from score"), default=5)
    risk_high_from = models.PositiveSmallIntegerField(_("high risk from score"), default=10)
    template_failure_threshold = models.FloatField(
        _("flag templates failing more than"),
        default=0.2,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    template_min_completed = models.PositiveSmallIntegerField(
        _("after at least (completed changes)"), default=5
    )
    demote_flagged_templates = models.BooleanField(
        _("demote flagged templates to normal changes"), default=False
    )

    class Meta:
        verbose_name = _("change settings")
        verbose_name_plural = _("change settings")

    def __str__(self) -> str:
        return str(_("Change settings"))

    @classmethod
    def current(cls) -> "ChangeSettings":
        return cls.objects.first() or cls()


class ChangeTemplate(models.Model):
    """A pre-authorised standard change: its changes skip assessment and approval."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("back-out plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.LOW)
    # [{"weekday": 0-6, "start": "22:00", "end": "23:59"}] in UTC; empty means any time.
    allowed_windows = models.JSONField(
        _("allowed windows"), default=list, blank=True, validators=[validate_windows]
    )
    duration_minutes = models.PositiveIntegerField(_("usual duration (minutes)"), default=60)
    services = models.ManyToManyField("org.Service", blank=True, related_name="+", verbose_name=_("services"))
    implementer_team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("team")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    failure_rate = models.FloatField(_("failure rate"), null=True, blank=True, editable=False)
    completed_count = models.PositiveIntegerField(_("completed"), default=0, editable=False)
    flagged = models.BooleanField(_("flagged for re-assessment"), default=False)
    demoted = models.BooleanField(_("demoted (needs normal approval)"), default=False)

    class Meta:
        verbose_name = _("standard change template")
        verbose_name_plural = _("standard change templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RiskQuestion(models.Model):
    text = models.CharField(_("question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("risk question")
        verbose_name_plural = _("risk questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class RiskOption(models.Model):
    question = models.ForeignKey(RiskQuestion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("answer"), max_length=150)
    weight = models.PositiveSmallIntegerField(_("weight"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("risk answer")
        verbose_name_plural = _("risk answers")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight})"


class FreezeWindow(models.Model):
    """A blackout period: normal and standard changes may not be scheduled in it."""

    name = models.CharField(_("name"), max_length=150)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.TextField(_("reason"), blank=True)
    services = models.ManyToManyField(
        "org.Service",
        blank=True,
        related_name="+",
        verbose_name=_("services"),
        help_text=_("Empty means every service."),
    )

    class Meta:
        verbose_name = _("freeze window")
        verbose_name_plural = _("freeze windows")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="freeze_window_order")
        ]

    def __str__(self) -> str:
        return self.name


class Change(Ticket):
    NUMBER_PREFIX = "CHG"

    type = models.CharField(_("type"), max_length=10, choices=ChangeType.choices, default=ChangeType.NORMAL)
    template = models.ForeignKey(
        ChangeTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("template"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    justification = models.TextField(_("justification"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("back-out plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.LOW)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    risk_answers = models.JSONField(_("risk answers"), default=dict, blank=True)
    services = models.ManyToManyField(
        "org.Service", blank=True, related_name="changes", verbose_name=_("services")
    )
    configuration_items = models.ManyToManyField(
        "org.ConfigurationItem", blank=True, related_name="changes", verbose_name=_("configuration items")
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True, editable=False)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True, editable=False)
    implementer_team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("implementer team"),
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    review_notes = models.TextField(_("review notes"), blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    is_change_induced = models.BooleanField(_("caused incidents"), default=False, editable=False)
    change_induced_at = models.DateTimeField(_("incident linked"), null=True, blank=True, editable=False)
    needs_review = models.BooleanField(_("needs review"), default=False)
    freeze_bypassed = models.BooleanField(_("bypassed a freeze"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    approval_requests = GenericRelation("approvals.ApprovalRequest")

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["planned_start", "planned_end"], name="chg_window"),
            models.Index(fields=["state", "planned_start"], name="chg_state_start"),
            models.Index(fields=["template", "state"], name="chg_template_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=False, planned_end__gt=models.F("planned_start")),
                name="change_planned_order",
                violation_error_message=_("The planned window must start before it ends."),
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.state not in (State.CLOSED, State.REJECTED, State.CANCELLED)
