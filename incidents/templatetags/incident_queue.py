"""Queue rows rendered in Python: the template engine costs more per row than the rest of the page.

The markup is what a template would produce; every value from the database is escaped.
"""

from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.templatetags.itsm import person
from incidents.choices import HoldReason, State

register = template.Library()

_ID_PLACEHOLDER = 2_147_000_001  # reversed once per page, then replaced by each incident's id


def _muted(text: str) -> str:
    return f'<span class="muted">{escape(text)}</span>'


class _Words:
    """The page's translated words, looked up once per page instead of once per row."""

    def __init__(self):
        self.states = {value: str(label) for value, label in State.choices}
        self.holds = {value: str(label) for value, label in HoldReason.choices}
        self.major = _("Major")
        self.unassigned = _muted(_("Unassigned"))
        self.paused = _muted(_("paused"))
        self.breached = f'<span class="pill pill--critical">{escape(_("breached"))}</span>'
        self.select = _("Select %(n)s")
        # The live countdown (sla/countdown.js updates it each second; the server writes its first value).
        self.left = escape(_("%(time)s left"))
        self.over = escape(_("overdue by %(time)s"))
        self.day_unit = escape(pgettext("days, short", "d"))
        self.detail_url = reverse("incidents:detail", args=[_ID_PLACEHOLDER])


def _countdown(seconds: int, day_unit: str) -> str:
    """As sla/countdown.js writes it: 2 d 03:04:05."""
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days} {day_unit} {clock}" if days else clock


def _due_cell(incident, now, words: _Words) -> str:
    due = incident.sla_due_at
    if due:
        breached = " due--breached" if incident.sla_breached or due < now else ""
        local = timezone.localtime(due)
        shown = escape(date_format(local, "SHORT_DATETIME_FORMAT"))
        seconds = int((due - now).total_seconds())
        label = (words.over if seconds < 0 else words.left) % {
            "time": _countdown(abs(seconds), words.day_unit)
        }
        over = " sla-countdown--over" if seconds < 0 else ""
        return (
            f'<time class="due{breached}" datetime="{local.isoformat()}">{shown}</time>'
            f'<br><span class="sla-countdown muted{over}" data-due="{local.isoformat()}" data-left="{words.left}"'
            f' data-over="{words.over}" data-day-unit="{words.day_unit}" aria-live="off">{label}</span>'
        )
    if incident.state == "on_hold":
        return words.paused
    if incident.sla_breached:
        return words.breached
    return _muted("—")


def _row(incident, now, words: _Words) -> str:
    pk, number, priority = incident.pk, escape(incident.number), int(incident.priority)
    major = f' <span class="pill pill--critical">{escape(words.major)}</span>' if incident.is_major else ""
    where = (incident.service.display_name if incident.service_id else "") + (
        f" · {incident.category}" if incident.category_id else ""
    )
    state = escape(words.states.get(incident.state, incident.state))
    if incident.hold_reason:
        state += "<br>" + _muted(words.holds.get(incident.hold_reason, incident.hold_reason))
    team = escape(incident.assignment_group.name) if incident.assignment_group_id else "—"
    assignee = escape(person(incident.assignee)) if incident.assignee_id else words.unassigned
    label = escape(words.select % {"n": incident.number})
    url = words.detail_url.replace(str(_ID_PLACEHOLDER), str(pk))
    return (
        f'<tr class="{"row--major" if incident.is_major else ""}">'
        f'<td><input type="checkbox" name="incidents" value="{pk}" aria-label="{label}"></td>'
        f'<th scope="row"><a href="{url}">{number}</a></th>'
        f'<td><span class="prio prio--{priority}">P{priority}</span></td>'
        f'<td>{escape(truncatechars(incident.title, 80))}{major}<br><span class="muted">{escape(where)}</span></td>'
        f"<td>{state}</td><td>{team}</td><td>{assignee}</td><td>{_due_cell(incident, now, words)}</td></tr>\n"
    )


@register.simple_tag(takes_context=True)
def queue_rows(context, incidents):
    """The <tr> of each incident of a queue page (lookups prefetched by selectors.incident_queue)."""
    now = context.get("now") or timezone.now()
    words = _Words()
    return mark_safe("".join(_row(incident, now, words) for incident in incidents))  # noqa: S308 - escaped above
