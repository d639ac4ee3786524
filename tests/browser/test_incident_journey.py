import pytest

from tests.browser.test_workspace_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_holds_and_resolves_an_incident_and_sees_the_sla_timeline(page, make_user):
    from sla.models import BusinessCalendar, SlaPolicy
    from tests.org.factories import ServiceFactory, TeamFactory

    agent = make_user("agent", username="liwei", first_name="Li")
    team = TeamFactory(name="Service Desk")
    team.members.add(agent)
    ServiceFactory(name="VPN", support_team=team)
    calendar = BusinessCalendar.objects.create(name="24x7", timezone="UTC", is_24x7=True)
    SlaPolicy.objects.create(
        name="All incidents",
        applies_to="incident",
        response_minutes=30,
        resolution_minutes=480,
        calendar=calendar,
    )

    sign_in(page, "liwei")
    page.wait_for_url("**/workspace/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name="Log incident").click()
    page.get_by_label("Title").fill("VPN drops every few minutes")
    page.get_by_label("Service", exact=True).select_option(label="VPN")
    page.get_by_label("Impact").select_option("2")
    page.get_by_label("Urgency").select_option("1")
    page.get_by_label("Title").press("Control+Enter")  # keyboard submit

    page.wait_for_url("**/incidents/*/")
    assert "logged." in page.get_by_role("status").inner_text()
    assert "P2 — High" in page.locator(".ticket-meta").inner_text()

    page.get_by_role("button", name="Start work").click()
    page.wait_for_function("document.querySelector('.ticket-meta').innerText.includes('In progress')")

    page.locator("summary", has_text="Put on hold").click()
    page.get_by_label("Hold reason").select_option("awaiting_vendor")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_function("document.querySelector('.ticket-meta').innerText.includes('On hold')")

    page.get_by_role("button", name="Resume").click()
    page.wait_for_function("document.querySelector('.ticket-meta').innerText.includes('In progress')")

    page.locator("summary", has_text="Resolve").click()
    page.get_by_role("button", name="Confirm").click()  # without notes: refused, input kept
    page.locator(".actions-card .form-errors").wait_for()
    assert (
        "Describe how the incident was resolved." in page.locator(".actions-card .form-errors").inner_text()
    )
    if not page.get_by_label("Resolution notes").is_visible():
        page.locator("summary", has_text="Resolve").click()
    page.get_by_label("Resolution code").select_option("solved_permanently")
    page.get_by_label("Resolution notes").fill("Replaced the VPN gateway certificate.")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_function("document.querySelector('.ticket-meta').innerText.includes('Resolved')")

    sla_log = page.get_by_role("region", name="SLA clock history").inner_text().lower()
    for word in ("started", "paused", "resumed", "met"):
        assert word in sla_log
