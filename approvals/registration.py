"""The approval inbox in the workspace navigation (for anyone who can be an approver)."""

from django.utils.translation import gettext_lazy as _

from core import navigation
from core.roles import is_agent, is_cab


def _may_approve(user) -> bool:
    return is_agent(user) or is_cab(user)


navigation.register(
    navigation.NavItem(
        key="approvals",
        label=_("Approvals"),
        url_name="approvals:inbox",
        area="workspace",
        order=32,
        visible=_may_approve,
    )
)
