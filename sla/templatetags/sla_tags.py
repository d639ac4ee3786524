"""Template helpers for SLA clocks: durations, state labels and the explanation of each clock event."""

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sla.models import EscalationRule, SlaClock, SlaClockEvent
from sla.selectors import clock_name

register = template.Library()

STATE_LABELS = dict(SlaClock.State.choices)
ACTION_LABELS = dict(EscalationRule.Action.choices)


@register.filter
def sla_duration(seconds) -> str:
    """Business seconds as a short duration in hours and minutes: 45 min, 3 h 20 min, 24 h.

    No days: a business "day" depends on the calendar, 24 h of office time is three working days.
    """
    if seconds is None:
        return "—"
    seconds = int(seconds)
    hours, rest = divmod(abs(seconds), 3600)
    minutes = rest // 60
    parts = []
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if minutes or not hours:
        parts.append(_("%(n)d min") % {"n": minutes})
    return ("-" if seconds < 0 else "") + " ".join(parts)


@register.filter
def sla_state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@register.filter
def sla_state_class(data: dict) -> str:
    """CSS class of a clock's state pill (app.css status colours plus sla.css)."""
    state = data.get("state")
    if state == SlaClock.State.BREACHED:
        return "sla-state--breached"
    if state == SlaClock.State.MET:
        return "status--ok"
    if data.get("paused") or state in (SlaClock.State.PAUSED, SlaClock.State.CANCELLED):
        return "muted"
    return "status--warn" if data.get("percent", 0) >= 75 else "status--ok"


@register.filter
def sla_clock_name(clock: SlaClock) -> str:
    return clock_name(clock)


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@register.filter
def sla_event_detail(event: SlaClockEvent) -> str:
    """Why the clock says what it says, in the reader's language, from the event's kind and data."""
    data = event.data or {}
    elapsed = sla_duration(event.elapsed_seconds)
    kind = event.kind
    if kind == SlaClockEvent.Kind.STARTED:
        return _("Due %(due)s: policy %(policy)s on calendar %(calendar)s, target %(target)s.") % {
            "policy": data.get("policy", "—"),
            "calendar": data.get("calendar", "—"),
            "target": sla_duration(data.get("target_seconds")),
            "due": _when(data.get("due_at")),
        }
    if kind == SlaClockEvent.Kind.WARNED:
        return _("%(percent)s%% of the target reached (%(elapsed)s counted).") % {
            "percent": event.percent,
            "elapsed": elapsed,
        }
    if kind == SlaClockEvent.Kind.BREACHED:
        if data.get("stopped"):
            return _("Stopped after the target had passed (%(elapsed)s counted).") % {"elapsed": elapsed}
        if data.get("recomputed"):
            return _("The new target is already passed (%(elapsed)s counted).") % {"elapsed": elapsed}
        return _("The target passed (%(elapsed)s counted).") % {"elapsed": elapsed}
    if kind == SlaClockEvent.Kind.MET:
        return _("Stopped within the target (%(elapsed)s counted).") % {"elapsed": elapsed}
    if kind == SlaClockEvent.Kind.PAUSED:
        return _("Not counting (%(elapsed)s counted so far).") % {"elapsed": elapsed}
    if kind in (SlaClockEvent.Kind.RESUMED, SlaClockEvent.Kind.REOPENED):
        return _("Counting again from %(elapsed)s.") % {"elapsed": elapsed}
    if kind == SlaClockEvent.Kind.RECOMPUTED:
        text = _("Target %(old)s → %(new)s; due %(old_due)s → %(new_due)s.") % {
            "old": sla_duration(data.get("old_target_seconds")),
            "new": sla_duration(data.get("new_target_seconds")),
            "old_due": _when(data.get("old_due_at")),
            "new_due": _when(data.get("new_due_at")),
        }
        if data.get("new_policy") and data.get("new_policy") != data.get("old_policy"):
            text += " " + _("Policy %(old)s → %(new)s.") % {
                "old": data.get("old_policy"),
                "new": data["new_policy"],
            }
        if data.get("by"):
            text += " " + _("By %(user)s.") % {"user": data["by"]}
        return text
    if kind == SlaClockEvent.Kind.ESCALATED:
        return _("Escalation at %(percent)s%%: %(action)s.") % {
            "percent": event.percent,
            "action": ACTION_LABELS.get(data.get("action"), data.get("action", "—")),
        }
    if kind == SlaClockEvent.Kind.CANCELLED:
        return _("Stopped: the ticket was cancelled (%(elapsed)s counted).") % {"elapsed": elapsed}
    return ""
