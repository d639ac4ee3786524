from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Ticket(models.Model):
    """Fields every process record shares. Concrete tickets set NUMBER_PREFIX."""

    NUMBER_PREFIX = ""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_requested",
        verbose_name=_("requester"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic concurrency: every write bumps it; a write based on an older value is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    timeline_entries = GenericRelation("core.TimelineEntry")
    attachments = GenericRelation("core.Attachment")
    audit_records = GenericRelation("core.AuditRecord")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
