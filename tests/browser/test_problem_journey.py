import pytest

from tests.browser.test_workspace_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_sees_the_workaround_while_typing_and_applies_it_in_one_click(page, make_user):
    from incidents.models import Incident
    from problems.models import SuggestionEvent
    from tests.org.factories import ServiceFactory, TeamFactory
    from tests.problems.factories import make_known_error

    agent = make_user("agent", username="liwei", first_name="Li")
    team = TeamFactory(name="Service Desk")
    team.members.add(agent)
    service = ServiceFactory(name="E-mail", support_team=team)
    known = make_known_error(
        actor=agent,
        title="Outlook stuck on 'Updating inbox'",
        symptoms="Outlook shows 'Updating inbox' for hours.\nOutlook 一直显示正在更新收件箱。",
        workaround="Close Outlook, delete the OST cache file and start Outlook again.",
        services=[service],
    )

    sign_in(page, "liwei")
    page.wait_for_url("**/workspace/")
    page.goto("/incidents/new/")
    page.get_by_label("Service", exact=True).select_option(label="E-mail")
    page.get_by_label("Title").press_sequentially("Outlook hangs updating my inbox", delay=15)

    panel = page.locator("#suggestions")
    panel.get_by_text("delete the OST cache").wait_for()
    assert known.number in panel.inner_text()
    assert "same service" in panel.inner_text()

    panel.get_by_role("button", name=f"Log and apply workaround ({known.number})").click()
    page.wait_for_url("**/incidents/*/")
    assert "logged with the workaround" in page.get_by_role("status").inner_text()
    linked = page.get_by_role("region", name="Problem / known error").inner_text()
    assert known.number in linked and "delete the OST cache" in linked

    incident = Incident.objects.get()
    assert incident.problem_id == known.pk and incident.service == service
    assert SuggestionEvent.objects.filter(kind="shown").count() == 1  # once per typing session
    assert SuggestionEvent.objects.filter(kind="applied", incident=incident).count() == 1
