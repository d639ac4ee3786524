"""Wire problems into the shared machinery: ticket kind, navigation and home widgets."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import navigation, registry, search
from core.roles import is_agent
from problems import permissions
from problems.models import Problem

registry.register(
    Problem,
    can_view=permissions.can_view,
    can_work=permissions.can_work,
    detail_url=lambda problem: reverse("problems:detail", args=[problem.pk]),
)
navigation.register(
    navigation.NavItem(
        key="problems",
        label=_("Problems"),
        url_name="problems:list",
        area="workspace",
        order=20,
        visible=is_agent,
    )
)
navigation.register(
    navigation.NavItem(
        key="known-errors",
        label=_("Known errors"),
        url_name="problems:kedb",
        area="workspace",
        order=25,
        visible=is_agent,
    )
)
navigation.register(
    navigation.NavItem(
        key="known-issues",
        label=_("Known issues"),
        url_name="problems:portal_kedb",
        area="portal",
        order=15,
    )
)


def _workspace_widget(request):
    from problems import selectors

    if not is_agent(request.user):
        return None
    return {"counts": selectors.open_counts(user=request.user), "stats": selectors.suggestion_stats()}


def _portal_widget(request):
    from problems import selectors

    return {"known_errors": list(selectors.known_error_list(user=request.user)[:3])}


navigation.register_widget(
    navigation.Widget(
        key="problems",
        area="workspace",
        template="problems/_workspace_widget.html",
        context=_workspace_widget,
        order=20,
    )
)
navigation.register_widget(
    navigation.Widget(
        key="known-issues",
        area="portal",
        template="problems/_portal_widget.html",
        context=_portal_widget,
        order=15,
    )
)


def _search_known_errors(*, user, text: str, limit: int):
    from problems.selectors import known_errors_search

    return [
        search.Hit(
            title=ranked.problem.title,
            url=reverse("problems:portal_detail", args=[ranked.problem.pk]),
            snippet=ranked.problem.plain_workaround or ranked.problem.workaround,
        )
        for ranked in known_errors_search(user=user, text=text, limit=limit)
    ]


search.register(
    search.Provider(
        key="known-errors", label=_("Known issues and workarounds"), search=_search_known_errors, order=20
    )
)
