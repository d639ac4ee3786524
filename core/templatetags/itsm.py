from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context, area: str):
    request = context.get("request")
    if request is None:
        return []
    return navigation.items_for(area=area, user=request.user)


@register.inclusion_tag("core/_field.html")
def field(bound_field, autofocus=False):
    """A form field with its label, help text and errors, wired for screen readers."""
    return {"field": bound_field, "autofocus": autofocus}


@register.filter
def age(value) -> str:
    """A short relative age: 5 min, 3 h, 2 d."""
    if not value:
        return ""
    seconds = int((timezone.now() - value).total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("%(n)d min ago") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)d h ago") % {"n": seconds // 3600}
    return _("%(n)d d ago") % {"n": seconds // 86400}


@register.filter
def content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@register.filter
def person(user) -> str:
    """A person's display name: family name first without a space for Chinese names (王芳)."""
    if not user:
        return "—"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not first and not last:
        return user.username
    if _has_cjk(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


@register.filter
def in_list(value, csv: str) -> bool:
    return str(value) in csv.split(",")
