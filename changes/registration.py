"""Wire changes into the shared machinery: ticket kind, navigation, the approvals hook."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals import hooks
from changes import permissions
from changes.models import Change
from core import navigation, registry

registry.register(
    Change,
    can_view=permissions.can_view,
    can_work=permissions.can_work,
    detail_url=lambda change: reverse("changes:detail", args=[change.pk]),
)
for key, label, url_name, order in (
    ("changes", _("Changes"), "changes:list", 30),
    ("change-calendar", _("Change calendar"), "changes:calendar", 31),
):
    navigation.register(
        navigation.NavItem(
            key=key,
            label=label,
            url_name=url_name,
            area="workspace",
            order=order,
            visible=permissions.can_see_changes,
        )
    )
navigation.register(
    navigation.NavItem(
        key="change-catalogue",
        label=_("Standard changes"),
        url_name="changes:catalogue",
        area="workspace",
        order=33,
        visible=permissions.can_manage_templates,
    )
)


def _handle_approval_event(**kwargs):
    from changes.services import handle_approval_event

    handle_approval_event(**kwargs)


hooks.register_approval_handler(Change, _handle_approval_event)


def _workspace_widget(request):
    if not permissions.can_see_changes(request.user):
        return None
    from django.utils import timezone

    from approvals.selectors import approvals_waiting_for
    from changes.choices import State

    now = timezone.now()
    return {
        "waiting": approvals_waiting_for(user=request.user).count(),
        "upcoming": list(
            Change.objects.filter(state=State.SCHEDULED, planned_start__gte=now)
            .order_by("planned_start")
            .only("pk", "number", "title", "planned_start")[:3]
        ),
    }


navigation.register_widget(
    navigation.Widget(
        key="changes",
        area="workspace",
        template="changes/_workspace_widget.html",
        context=_workspace_widget,
        order=30,
    )
)


def _register_cause_handler():
    # An incident linked as caused by a change marks it change-induced (the 7-day rule is in the service).
    from changes.services import change_mark_induced
    from incidents import hooks

    hooks.register_cause_handler(change_mark_induced)


_register_cause_handler()
