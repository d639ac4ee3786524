from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """The last human number handed out per prefix (INC, PRB, CHG, REQ, CSI ...)."""

    prefix = models.CharField(_("prefix"), max_length=8, primary_key=True)
    last_value = models.PositiveBigIntegerField(_("last value"), default=1000)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_value:07d}"
