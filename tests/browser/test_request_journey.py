"""A business user orders an item that needs approval; the line manager approves in the portal; an agent
completes the fulfilment task; the user sees the request fulfilled."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_approve_fulfil(page, make_user):
    from accounts.models import Profile
    from requests_catalog.choices import ApprovalRule
    from requests_catalog.models import ServiceRequest
    from tests.org.factories import TeamFactory
    from tests.requests_catalog.factories import CatalogItemFactory

    requester = make_user("requester", username="alice", first_name="Alice")
    boss = make_user("requester", username="boss", first_name="Bea")
    Profile.objects.update_or_create(user=requester, defaults={"manager": boss})
    agent = make_user("agent", username="liwei", first_name="Li")
    desk = TeamFactory(name="Service Desk")
    desk.members.add(agent)
    CatalogItemFactory(
        name="Standard laptop",
        icon="💻",
        approval=ApprovalRule.LINE_MANAGER,
        fulfilment_team=desk,
        form=[
            {
                "name": "model",
                "label": "Model",
                "type": "choice",
                "required": True,
                "choices": ["standard", "developer"],
            },
            {"name": "needs_dock", "label": "Docking station", "type": "checkbox"},
            {
                "name": "desk",
                "label": "Desk location",
                "type": "text",
                "required": True,
                "show_if": {"field": "needs_dock", "equals": True},
            },
        ],
    )

    # The user finds the item by searching and orders it; the conditional question appears when needed.
    sign_in(page, "alice")
    page.wait_for_url("**/portal/")
    page.goto("/portal/catalogue/")
    page.get_by_label("Search the catalogue").fill("laptop")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Standard laptop")).click()
    expect(page.get_by_label("Desk location")).to_be_hidden()  # shown only with a docking station
    page.get_by_label("Docking station").check()
    expect(page.get_by_label("Desk location")).to_be_visible()
    page.get_by_label("Model").select_option("developer")
    page.get_by_role("button", name="Submit request").click()
    expect(
        page.get_by_text("This question is required.")
    ).to_be_visible()  # the desk location, shown and empty
    assert page.get_by_label("Docking station").is_checked()  # what was entered is kept
    page.get_by_label("Desk location").fill("B2-114")
    page.get_by_role("button", name="Submit request").click()
    page.wait_for_url(re.compile(r".*/portal/requests/\d+/$"))
    expect(page.get_by_test_id("request-state")).to_have_text("Awaiting approval")
    request = ServiceRequest.objects.get()
    assert request.answers == {"model": "developer", "needs_dock": True, "desk": "B2-114"}

    # The line manager approves from "My approvals".
    page.context.clear_cookies()
    sign_in(page, "boss")
    page.wait_for_url("**/portal/")
    page.goto("/portal/approvals/")
    expect(page.get_by_role("link", name=request.number)).to_be_visible()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Send decision").click()
    expect(page.get_by_text("Nothing is waiting for you")).to_be_visible()

    # The agent completes the task from the team's task queue.
    page.context.clear_cookies()
    sign_in(page, "liwei")
    page.wait_for_url("**/workspace/")
    page.goto("/requests/tasks/")
    row = page.get_by_role("row", name=re.compile(request.number))
    row.get_by_role("button", name="Start").click()
    expect(row.get_by_role("button", name="Return to queue")).to_be_visible()  # now in progress
    row.get_by_text("Complete").click()
    row.get_by_label("Notes").fill("Handed over at the desk")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("No open tasks here")).to_be_visible()

    # The user sees it fulfilled and can rate it.
    page.context.clear_cookies()
    sign_in(page, "alice")
    page.wait_for_url("**/portal/")
    page.goto(f"/portal/requests/{request.pk}/")
    expect(page.get_by_test_id("request-state")).to_have_text("Fulfilled")
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
