"""SLA clocks on any ticket (a generic relation), their event log, and each team's share of the time."""

from datetime import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.eventtext import kept_text
from sla.calendar import CalendarSpec, business_seconds_between
from sla.specs import spec_for


class ClockReading:
    """How a clock reads at an instant, from its stored fields and its calendar's spec. Shared by
    SlaClock and the lean rows lists read (sla.selectors.ClockRow), so both compute the same."""

    __slots__ = ()

    @property
    def is_open(self) -> bool:
        return self.stopped_at is None

    @property
    def is_counting(self) -> bool:
        return self.stopped_at is None and self.segment_started_at is not None

    @property
    def is_paused(self) -> bool:
        return self.stopped_at is None and self.segment_started_at is None

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    def live_elapsed_seconds(self, now: datetime | None = None) -> int:
        """Business seconds counted so far, including the running segment (no query once loaded)."""
        if not self.is_counting:
            return self.elapsed_seconds
        now = now or timezone.now()
        return self.elapsed_seconds + business_seconds_between(self.spec, self.segment_started_at, now)


class SlaClock(ClockReading, models.Model):
    """Business time counted against one target of one ticket.

    `elapsed_seconds` holds the business seconds counted up to `segment_started_at`; while the clock
    counts, the running segment is added on read (`live_elapsed_seconds`). `due_at` and
    `next_check_at` are derived from the calendar and rewritten by every service that changes the clock.
    """

    class Kind(models.TextChoices):
        RESPONSE = "response", pgettext_lazy("SLA target", "Response")
        RESOLUTION = "resolution", pgettext_lazy("SLA target", "Resolution")

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("Cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    ticket = GenericForeignKey("content_type", "object_id")
    policy = models.ForeignKey(
        "sla.SlaPolicy", on_delete=models.PROTECT, related_name="clocks", verbose_name=_("policy")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING)
    target_seconds = models.PositiveIntegerField(_("target (business seconds)"))
    elapsed_seconds = models.PositiveIntegerField(_("elapsed (business seconds)"), default=0)
    segment_started_at = models.DateTimeField(_("counting since"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    warned_percent = models.PositiveSmallIntegerField(_("warned at (%)"), default=0)
    # Ids of the escalation rules already run on this clock: each runs at most once.
    escalations_done = models.JSONField(_("escalations done"), default=list, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["started_at", "id"]
        constraints = [
            # One clock per target per ticket. Its index also serves every lookup by ticket
            # (content_type, object_id), so there is no separate index for that.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="sla_clock_one_per_kind"
            )
        ]
        indexes = [
            # The scan reads only clocks with a threshold ahead; stopped and paused clocks are not in it.
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="sla_clock_next_check",
            ),
            models.Index(fields=["policy", "stopped_at"], name="sla_clock_policy_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def spec(self) -> CalendarSpec:
        return spec_for(self.policy.calendar)

    @property
    def policy_name(self) -> str:
        return self.policy.name


class SlaClockEvent(models.Model):
    """One line of a clock's story, so anyone can see why it says what it says."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        WARNED = "warned", _("Warning")
        MET = "met", _("Met")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("Cancelled")
        RECOMPUTED = "recomputed", _("Recomputed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")

    clock = models.ForeignKey(
        SlaClock, on_delete=models.CASCADE, related_name="events", verbose_name=_("clock")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    percent = models.PositiveIntegerField(
        _("percent"), null=True, blank=True
    )  # a long-overdue clock passes 32767 %
    elapsed_seconds = models.PositiveIntegerField(_("elapsed (business seconds)"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("SLA clock event")
        verbose_name_plural = _("SLA clock events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language when it was kept as an EventText, else as written."""
        return kept_text((self.data or {}).get("reason"), self.reason)


class TeamTimeShare(models.Model):
    """The time one team held a ticket (operational level agreements per team)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    ticket = GenericForeignKey("content_type", "object_id")
    team = models.ForeignKey(
        "org.Team", on_delete=models.CASCADE, related_name="sla_time_shares", verbose_name=_("team")
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    business_seconds = models.PositiveIntegerField(_("business seconds"), null=True, blank=True)
    wall_seconds = models.PositiveIntegerField(_("wall-clock seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("team time share")
        verbose_name_plural = _("team time shares")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(ended_at__isnull=True),
                name="sla_share_one_open_per_ticket",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="sla_share_ticket"),
            models.Index(fields=["team", "started_at"], name="sla_share_team"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.started_at:%Y-%m-%d %H:%M}"
