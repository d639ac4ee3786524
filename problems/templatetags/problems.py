import uuid

from django import template

register = template.Library()


@register.simple_tag
def suggestion_draft(current: str = "") -> str:
    """The id of one typing session on a form, so each suggestion counts once per session.

    A form shown again after an error keeps its session (pass the posted value)."""
    from problems.services import clean_draft

    return clean_draft(current) or uuid.uuid4().hex


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %"
