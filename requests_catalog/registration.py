"""Wire requests into the shared machinery: ticket kind, navigation, widgets, the approvals hook."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals import hooks
from core import navigation, registry, search
from core.roles import is_agent
from requests_catalog import permissions
from requests_catalog.models import ServiceRequest
from sla import hooks as sla_hooks


def _detail_url(request: ServiceRequest) -> str:
    return reverse("requests_catalog:detail", args=[request.pk])


registry.register(
    ServiceRequest,
    can_view=permissions.can_view,
    can_work=permissions.can_work,
    detail_url=_detail_url,
    approver_url=lambda request: reverse("requests_catalog:portal_approvals"),
)

for key, label, url_name, area, order, visible in (
    ("requests", _("Requests"), "requests_catalog:list", "workspace", 40, is_agent),
    ("request-tasks", _("Fulfilment tasks"), "requests_catalog:tasks", "workspace", 41, is_agent),
    (
        "catalogue-admin",
        _("Catalogue"),
        "requests_catalog:admin_items",
        "workspace",
        42,
        permissions.can_manage_catalogue,
    ),
    ("portal-catalogue", _("Order something"), "requests_catalog:portal_catalogue", "portal", 10, None),
    ("portal-requests", _("My requests"), "requests_catalog:portal_list", "portal", 11, None),
    ("portal-approvals", _("My approvals"), "requests_catalog:portal_approvals", "portal", 12, None),
):
    navigation.register(
        navigation.NavItem(key=key, label=label, url_name=url_name, area=area, order=order, visible=visible)
    )


def _handle_approval_event(**kwargs):
    from requests_catalog.lifecycle import handle_approval_event

    handle_approval_event(**kwargs)


hooks.register_approval_handler(ServiceRequest, _handle_approval_event)


def _portal_widget(request):
    from requests_catalog import selectors

    return selectors.portal_home(user=request.user)


def _workspace_widget(request):
    if not is_agent(request.user):
        return None
    from requests_catalog import selectors

    return selectors.workspace_summary(user=request.user)


navigation.register_widget(
    navigation.Widget(
        key="catalogue",
        area="portal",
        template="requests_catalog/_portal_widget.html",
        context=_portal_widget,
        order=5,
    )
)
navigation.register_widget(
    navigation.Widget(
        key="requests",
        area="workspace",
        template="requests_catalog/_workspace_widget.html",
        context=_workspace_widget,
        order=40,
    )
)


def _search_items(*, user, text: str, limit: int):
    from core.search import Hit
    from requests_catalog.selectors import item_search

    return [
        Hit(
            title=item.display_name,
            url=reverse("requests_catalog:portal_order", args=[item.pk]),
            snippet=item.display_description,
            icon=item.icon,
        )
        for item in item_search(user=user, text=text, limit=limit)
    ]


search.register(
    search.Provider(key="catalogue", label=_("Order from the catalogue"), search=_search_items, order=10)
)


def _handle_sla_event(**kwargs):
    from requests_catalog.escalation import handle_sla_event

    handle_sla_event(**kwargs)


sla_hooks.register_escalation_handler(ServiceRequest, _handle_sla_event)
