"""Wire incidents into the shared machinery: ticket kind, navigation, SLA escalation hook."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import navigation, registry
from incidents import permissions
from incidents.models import Incident

registry.register(
    Incident,
    can_view=permissions.can_view,
    can_work=permissions.can_work,
    detail_url=lambda incident: reverse("incidents:detail", args=[incident.pk]),
)
navigation.register(
    navigation.NavItem(
        key="incidents", label=_("Incidents"), url_name="incidents:queue", area="workspace", order=10
    )
)
navigation.register(
    navigation.NavItem(
        key="my-incidents", label=_("My incidents"), url_name="incidents:portal_list", area="portal", order=20
    )
)
navigation.register(
    navigation.NavItem(
        key="report-incident",
        label=_("Report a problem"),
        url_name="incidents:portal_report",
        area="portal",
        order=10,
    )
)


def _register_sla_hook():
    from incidents.escalation import handle_sla_event
    from sla import hooks

    hooks.register_escalation_handler(Incident, handle_sla_event)


_register_sla_hook()


def _workspace_widget(request):
    from core.roles import is_agent
    from incidents import selectors

    if not is_agent(request.user):
        return None
    from django.utils import timezone

    return {
        "now": timezone.now(),
        "counts": selectors.queue_counts(user=request.user),
        "next_breach": selectors.incident_queue(user=request.user, queue="my_teams")
        .filter(sla_due_at__isnull=False)
        .first(),
    }


def _portal_widget(request):
    from incidents.choices import OPEN_STATES

    return {
        "open_incidents": list(
            Incident.objects.filter(requester=request.user, state__in=OPEN_STATES).order_by("-created_at")[:5]
        )
    }


navigation.register_widget(
    navigation.Widget(
        key="incidents",
        area="workspace",
        template="incidents/_workspace_widget.html",
        context=_workspace_widget,
        order=10,
    )
)
navigation.register_widget(
    navigation.Widget(
        key="incidents",
        area="portal",
        template="incidents/_portal_widget.html",
        context=_portal_widget,
        order=10,
    )
)
