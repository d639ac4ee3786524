from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
        """What to show: an event kept as message and parameters (core.services.timeline.EventText)
        in the reader's language; anything else as written."""
        kept = (self.data or {}).get("text") if self.kind == self.Kind.EVENT else None
        if not kept:
            return self.body
        try:
            params = {
                name: gettext(value["translate"]) if isinstance(value, dict) else value
                for name, value in kept["params"].items()
            }
            text = gettext(kept["message"]) % params
        except (KeyError, TypeError, ValueError, AttributeError):
            return self.body  # an unreadable record: fall back to the words as written
        return f"{text}\n{kept['note']}" if kept.get("note") else text
