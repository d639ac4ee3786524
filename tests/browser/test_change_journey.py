"""Raise a standard change (scheduled with no approval) and a normal high-risk change approved by CAB."""

import re

import pytest

from tests.browser.test_workspace_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_standard_change_is_scheduled_and_high_risk_change_is_approved_by_cab(page, make_user):
    from approvals.services import approval_decide
    from changes.models import Change, ChangeTemplate
    from tests.org.factories import ServiceFactory, TeamFactory

    agent = make_user("agent", username="liwei", first_name="Li")
    TeamFactory(name="Service Desk").members.add(agent)
    manager = make_user("manager", username="maria")
    make_user("cab", username="chenjie")
    erp = ServiceFactory(name="ERP")
    template = ChangeTemplate.objects.create(
        name="Restart application pool",
        implementation_plan="Recycle it.",
        backout_plan="Start it.",
        duration_minutes=15,
    )
    template.services.set([erp])

    sign_in(page, "liwei")
    page.wait_for_url("**/workspace/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Changes", exact=True).click()
    page.get_by_role("link", name="New change").click()
    page.get_by_role("link", name="Standard change").click()
    page.get_by_label("Standard change template").select_option(label="Restart application pool")
    page.get_by_role("button", name="Save change").click()
    page.wait_for_url(re.compile(r".*/changes/\d+/$"))
    assert page.get_by_test_id("change-state").inner_text() == "Scheduled"
    assert page.get_by_role("region", name="Approvals").count() == 0

    page.goto("/changes/new/?type=normal")
    page.get_by_label("Title").fill("Replace ERP database server")
    page.get_by_label("Implementation plan").fill("Fail over, replace, fail back.")
    page.get_by_label("Back-out plan").fill("Fail back to the old server.")
    page.get_by_label("Services").select_option(label="ERP")
    page.get_by_label("Planned start").fill("2031-05-06T20:00")
    page.get_by_label("Planned end").fill("2031-05-06T23:00")
    page.get_by_label("Risk").select_option("high")
    page.get_by_role("button", name="Save change").click()
    page.wait_for_url(re.compile(r".*/changes/\d+/$"))
    page.get_by_role("button", name="Submit for assessment").click()
    page.get_by_role("button", name="Request approval").click()
    assert page.get_by_test_id("change-state").inner_text() == "Authorize"
    steps = page.get_by_role("region", name="Approvals").inner_text()
    assert "Change manager" in steps and "CAB" in steps

    change = Change.objects.get(title="Replace ERP database server")
    approval_decide(request=change.approval_requests.get(), approver=manager, decision="approved")

    page.context.clear_cookies()
    sign_in(page, "chenjie")
    page.wait_for_url("**/workspace/")
    page.get_by_role("link", name="Approvals").first.click()
    page.get_by_role("link", name=re.compile("Replace ERP database server")).click()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r".*/changes/\d+/$"))
    assert page.get_by_test_id("change-state").inner_text() == "Scheduled"
