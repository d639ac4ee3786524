from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def delivery(hours) -> str:
    """An item's promise in the unit people think in: hours up to a day and a half, then days."""
    hours = int(hours or 0)
    if hours < 36:
        return ngettext("Usually ready within %(n)d hour", "Usually ready within %(n)d hours", hours) % {
            "n": hours
        }
    days = round(hours / 24)
    return ngettext("Usually ready within %(n)d day", "Usually ready within %(n)d days", days) % {"n": days}
