import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def timezone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Profile(models.Model):
    """Per-user preferences: language and time zone (times are stored in UTC)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("line manager"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
