from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Ticket
from incidents.choices import Priority
from problems.choices import Channel, ProposalState, RcaMethod, State, SuggestionEventKind


class Problem(Ticket):
    """The cause of one or more incidents. A problem in the KEDB (published_at set) is a known error.

    `requester` (from Ticket) is who raised the problem.
    """

    NUMBER_PREFIX = "PRB"

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.P3)
    category = models.ForeignKey(
        "incidents.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("category"),
    )
    services = models.ManyToManyField(
        "org.Service", blank=True, related_name="problems", verbose_name=_("affected services")
    )
    owner_team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("owner team"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
        verbose_name=_("owner"),
    )
    # Root-cause analysis
    symptoms = models.TextField(_("symptoms"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    rca_method = models.CharField(_("analysis method"), max_length=20, choices=RcaMethod.choices, blank=True)
    rca_notes = models.TextField(_("analysis notes"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    plain_workaround = models.TextField(
        _("workaround in plain language"),
        blank=True,
        help_text=_("What business users read in the portal. Leave empty to show the workaround as is."),
    )
    # Permanent fix: a free reference until the change process exists (e.g. CHG0001234 or a vendor ticket).
    fix_change = models.CharField(_("fix change"), max_length=100, blank=True)
    fix_notes = models.TextField(_("permanent fix"), blank=True)
    published_at = models.DateTimeField(_("published to the KEDB"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Tokens of title and symptoms (problems.search.tokenize), kept by the services. On PostgreSQL a GIN
    # index on its stored tsvector (a generated column, migration 0003) serves suggestions.
    search_tokens = models.TextField(_("search tokens"), blank=True, editable=False)
    search_token_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="prb_state_created"),
            models.Index(
                fields=["-published_at"], name="prb_published", condition=Q(published_at__isnull=False)
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.state in (State.NEW, State.INVESTIGATING, State.KNOWN_ERROR)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def portal_workaround(self) -> str:
        return self.plain_workaround or self.workaround


class SuggestionEvent(models.Model):
    """A known error suggested while someone typed, applied to an incident, or ending a portal request.

    `draft` identifies one typing session (one form on screen), so re-rendering as the user types counts
    a suggestion once, and the deflection rate can count sessions.
    """

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="suggestion_events", verbose_name=_("known error")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SuggestionEventKind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    draft = models.CharField(_("typing session"), max_length=64, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incident"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "kind", "draft"],
                condition=~Q(draft=""),
                name="suggestion_event_once_per_draft",
            )
        ]
        indexes = [
            models.Index(fields=["problem", "kind"], name="suggestion_problem_kind"),
            models.Index(fields=["channel", "kind", "draft"], name="suggestion_channel_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.problem_id}"


class ProblemProposal(models.Model):
    """Recurring incidents found by the detector: accept to open a problem, or dismiss for good."""

    title = models.CharField(_("title"), max_length=200)
    service = models.ForeignKey(
        "org.Service", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("service")
    )
    category = models.ForeignKey(
        "incidents.Category",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("category"),
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", through="ProposalIncident", related_name="+", verbose_name=_("incidents")
    )
    shared_terms = models.JSONField(_("shared terms"), default=list)
    # {"window_days", "min_similarity", "similarity", "incidents": [{"id", "number", "title", "created_at"}]}
    evidence = models.JSONField(_("evidence"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    problem = models.ForeignKey(
        Problem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("problem"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("problem proposal")
        verbose_name_plural = _("problem proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "-created_at"], name="proposal_state_created")]

    def __str__(self) -> str:
        return self.title


class ProposalIncident(models.Model):
    """An incident belongs to at most one proposal: a dismissed cluster is never proposed again."""

    proposal = models.ForeignKey(ProblemProposal, on_delete=models.CASCADE, related_name="members")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident"], name="proposal_incident_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.incident_id}"
