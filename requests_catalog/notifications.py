"""Who hears about what happens to a service request. Messages render in each recipient's language."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.services.notifications import notification_enqueue_each


def _portal_link(request) -> str:
    return reverse("requests_catalog:portal_detail", args=[request.pk])


def _agent_link(request) -> str:
    return reverse("requests_catalog:detail", args=[request.pk])


def _title(request):
    """A request titled after its item reads as the item's name in each recipient's language."""
    item = request.item
    if item is not None and request.title in (item.name, item.name_zh):
        return lazy(lambda: item.display_name, str)()  # evaluated while rendering for each recipient
    return request.title


def _send(recipients, *, request, **message):
    notification_enqueue_each(recipients, number=request.number, title=_title(request), **message)


def on_submitted(request) -> None:
    _send(
        [request.requester],
        event="request.received",
        subject=_("%(number)s received: %(title)s"),
        body=_("We have your request %(number)s and will keep you posted."),
        link=_portal_link(request),
        request=request,
    )


def on_rejected(request, reason: str) -> None:
    _send(
        [request.requester],
        event="request.rejected",
        subject=_("%(number)s was not approved: %(title)s"),
        body=_("Your request was not approved. Reason: %(reason)s"),
        link=_portal_link(request),
        request=request,
        reason=reason,
    )


def on_fulfilled(request) -> None:
    _send(
        [request.requester],
        event="request.fulfilled",
        subject=_("%(number)s is done: %(title)s"),
        body=_("Your request has been fulfilled. Tell us how we did: open the link to rate the service."),
        link=_portal_link(request),
        request=request,
    )


def on_task_opened(task) -> None:
    recipients = (
        [task.assignee] if task.assignee_id else list(task.team.members.all()) if task.team_id else []
    )
    _send(
        recipients,
        event="request.task",
        subject=_("Task for %(number)s: %(task)s"),
        body=_("A fulfilment task is waiting for your team."),
        link=_agent_link(task.request),
        request=task.request,
        task=task.title,
    )


def on_automation_failed(request, error: str) -> None:
    team = request.assignment_group
    _send(
        list(team.members.all()) if team else [],
        event="request.automation_failed",
        subject=_("Automation failed for %(number)s: %(title)s"),
        body=_("The automatic fulfilment failed after retries and needs a person. Last error: %(error)s"),
        link=_agent_link(request),
        request=request,
        error=error[:300],
    )
