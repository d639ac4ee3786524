from datetime import UTC, datetime

import pytest

from accounts.models import Profile
from requests_catalog.choices import ApprovalRule
from sla.models import BusinessCalendar, SlaPolicy
from tests.requests_catalog.factories import CatalogItemFactory, TaskTemplateFactory, TeamFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

LAPTOP_FORM = [
    {
        "name": "model",
        "label": "Model",
        "type": "choice",
        "required": True,
        "choices": ["standard", "developer"],
    },
    {"name": "reason", "label": "Why", "type": "textarea", "required": True, "min": 10},
    {"name": "needs_dock", "label": "Docking station", "type": "checkbox"},
    {
        "name": "dock_site",
        "label": "Desk location",
        "type": "text",
        "required": True,
        "show_if": {"field": "needs_dock", "equals": True},
    },
]
GOOD_LAPTOP = {"model": "developer", "reason": "My old laptop is five years old."}


class Env:
    pass


@pytest.fixture
def cat(make_user, db):
    """A catalogue: a laptop with line-manager approval and two ordered steps (the second in parallel)."""
    e = Env()
    e.boss = make_user("requester", username="boss")
    e.requester = make_user("requester", username="alice")
    Profile.objects.update_or_create(user=e.requester, defaults={"manager": e.boss})
    e.agent = make_user("agent", username="li")
    e.manager = make_user("manager", username="maria")
    e.desk = TeamFactory(name="Service desk")
    e.desk.members.add(e.agent)
    e.hardware = TeamFactory(name="Hardware")
    e.hardware.members.add(e.agent)
    e.laptop = CatalogItemFactory(
        name="Laptop",
        form=LAPTOP_FORM,
        approval=ApprovalRule.LINE_MANAGER,
        fulfilment_team=e.desk,
        owner=e.manager,
    )
    e.order = TaskTemplateFactory(item=e.laptop, step=1, title="Order the laptop", team=e.hardware)
    e.image = TaskTemplateFactory(item=e.laptop, step=2, title="Install the image", team=e.hardware)
    e.deliver = TaskTemplateFactory(
        item=e.laptop, step=2, title="Book delivery", team=e.desk, visible_fields=["model"]
    )
    e.mouse = CatalogItemFactory(name="Mouse", fulfilment_team=e.desk)
    calendar = BusinessCalendar.objects.create(name="24x7", timezone="UTC", is_24x7=True)
    e.policy = SlaPolicy.objects.create(
        name="Requests",
        applies_to="request",
        response_minutes=240,
        resolution_minutes=2880,
        calendar=calendar,
    )
    return e


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """approval_decide with the after-commit approval hook run, as in production."""
    from approvals.services import approval_decide

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return approval_decide(**kwargs)

    return run
