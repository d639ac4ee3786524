from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.eventtext import kept_text


class TimelineEntry(models.Model):
    """One line of a ticket's story: a comment, an internal work note or a system event."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        EVENT = "event", _("Event")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    ticket = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Internal entries (work notes, internal events) are never shown to requesters.
    is_internal = models.BooleanField(_("internal"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), blank=True)
    event_code = models.CharField(_("event"), max_length=40, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="timeline_ticket_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def text(self) -> str:
        """What to show: an event kept as message and parameters (core.eventtext.EventText) in the
        reader's language; anything else as written."""
        kept = (self.data or {}).get("text") if self.kind == self.Kind.EVENT else None
        return kept_text(kept, self.body)
