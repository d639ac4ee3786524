"""SLA policies (which tickets, which targets, on which calendar) and their escalation rules."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models.mixins import FieldConstraintErrorsMixin

# A target longer than a year is a typo, and it keeps due times computable.
MAX_TARGET_MINUTES = 366 * 24 * 60
DEFAULT_WARN_AT = (50, 75, 90)


def default_warn_at() -> list[int]:
    return list(DEFAULT_WARN_AT)


def validate_warn_at(value) -> None:
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationError(
            _("Give the warnings as a list of whole percentages, e.g. [50, 75, 90]."), code="warn_at_type"
        )
    if any(v < 1 or v > 99 for v in value):
        raise ValidationError(_("Each warning percentage is between 1 and 99."), code="warn_at_range")
    if any(b <= a for a, b in zip(value, value[1:], strict=False)):
        raise ValidationError(
            _("Warning percentages must be in ascending order without repeats."), code="warn_at_order"
        )


class SlaPolicy(FieldConstraintErrorsMixin, models.Model):
    """Targets for the tickets it matches: by type, priority (or any) and service (or any)."""

    class AppliesTo(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        REQUEST = "request", _("Service request")

    name = models.CharField(_("name"), max_length=100)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (highest) to 5; empty matches any priority."),
    )
    service = models.ForeignKey(
        "org.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_policies",
        verbose_name=_("service"),
        help_text=_("Empty matches any service."),
    )
    response_minutes = models.PositiveIntegerField(
        _("response target (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution target (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )
    calendar = models.ForeignKey(
        "sla.BusinessCalendar", on_delete=models.PROTECT, related_name="policies", verbose_name=_("calendar")
    )
    warn_at = models.JSONField(
        _("warn at (%)"),
        default=default_warn_at,
        blank=True,
        validators=[validate_warn_at],
        help_text=_("Percentages of the target at which to warn, ascending, e.g. [50, 75, 90]."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["applies_to", "priority", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="sla_policy_name_unique_ci",
                violation_error_code="name_taken",
                violation_error_message=_("An SLA policy with this name already exists."),
            )
        ]
        indexes = [models.Index(fields=["applies_to", "is_active"], name="sla_policy_match")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (
            self.response_minutes is not None
            and self.resolution_minutes is not None
            and self.response_minutes > self.resolution_minutes
        ):
            raise ValidationError(
                {"response_minutes": _("The response target cannot be longer than the resolution target.")},
                code="response_after_resolution",
            )

    def target_seconds(self, kind: str) -> int:
        minutes = self.response_minutes if kind == "response" else self.resolution_minutes
        return int(minutes) * 60


class EscalationRule(models.Model):
    """What happens when a clock of the policy reaches a percentage of its target (once per clock)."""

    class Action(models.TextChoices):
        NOTIFY_ASSIGNEE = "notify_assignee", _("Notify the assignee")
        NOTIFY_MANAGER = "notify_manager", _("Notify the team manager")
        RAISE_PRIORITY = "raise_priority", _("Raise the priority")
        REASSIGN = "reassign", _("Reassign to a team")

    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("policy")
    )
    at_percent = models.PositiveSmallIntegerField(
        _("at (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("The team to reassign to (only for “Reassign to a team”)."),
    )

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["at_percent", "id"]

    def __str__(self) -> str:
        return f"{self.at_percent}% {self.get_action_display()}"

    def clean(self):
        if self.action == self.Action.REASSIGN and self.team_id is None:
            raise ValidationError({"team": _("Choose the team to reassign to.")}, code="team_required")
        if self.action != self.Action.REASSIGN and self.team_id is not None:
            raise ValidationError(
                {"team": _("A team is only used by “Reassign to a team”.")}, code="team_not_used"
            )
