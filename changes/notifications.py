"""Messages about changes, queued in the outbox in the recipient's language."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import roles
from core.services.notifications import notification_enqueue_translated


def _link(change) -> str:
    return reverse("changes:detail", args=[change.pk])


def on_scheduled(change) -> None:
    notification_enqueue_translated(
        recipient=change.requester,
        event="change.scheduled",
        subject=_("%(number)s is scheduled"),
        body=_("%(number)s %(title)s is scheduled for %(start)s."),
        link=_link(change),
        number=change.number,
        title=change.title,
        start=change.planned_start.isoformat() if change.planned_start else "—",
    )


def on_rejected(change) -> None:
    notification_enqueue_translated(
        recipient=change.requester,
        event="change.rejected",
        subject=_("%(number)s was rejected"),
        body=_("%(number)s %(title)s was rejected: %(reason)s"),
        link=_link(change),
        number=change.number,
        title=change.title,
        reason=change.rejection_reason or "—",
    )


def on_template_flagged(template, *, demoted: bool) -> None:
    managers = get_user_model().objects.filter(groups__name=roles.MANAGERS, is_active=True).distinct()
    for manager in managers:
        notification_enqueue_translated(
            recipient=manager,
            event="change.template_flagged",
            subject=_("Standard change template %(name)s needs re-assessment"),
            body=_("%(name)s failed %(rate)s of its completed changes.%(demoted)s"),
            link=reverse("changes:catalogue"),
            name=template.name,
            rate=f"{template.failure_rate:.0%}",
            demoted=" " + str(_("It was demoted: new changes from it need normal approval."))
            if demoted
            else "",
        )
