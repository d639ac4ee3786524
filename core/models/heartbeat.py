from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by a periodic task, so anyone can see that background work really runs."""

    name = models.CharField(max_length=50, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name
