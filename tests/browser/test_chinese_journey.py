import pytest

from tests.browser.test_workspace_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chinese_requester_reports_and_chinese_agent_finds_it_by_a_two_character_word(
    browser, live_server, make_user
):
    from accounts.models import Profile
    from sla.models import BusinessCalendar, SlaPolicy
    from tests.org.factories import ServiceFactory, TeamFactory

    agent = make_user("agent", username="chenjie", first_name="Chen")
    requester = make_user("requester", username="wangfang", first_name="Fang")
    for user in (agent, requester):
        Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    team = TeamFactory(name="Desk")
    team.members.add(agent)
    ServiceFactory(name="Printing", name_zh="打印服务", support_team=team)
    ServiceFactory(name="VPN")  # no Chinese name: shown in English
    calendar = BusinessCalendar.objects.create(name="24x7", timezone="UTC", is_24x7=True)
    SlaPolicy.objects.create(
        name="All", applies_to="incident", response_minutes=30, resolution_minutes=480, calendar=calendar
    )

    def new_page():
        page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
        page.set_default_timeout(10_000)
        return page

    portal = new_page()
    sign_in(portal, "wangfang")
    portal.wait_for_url("**/portal/")
    portal.goto("/portal/incidents/new/")
    services = portal.locator("#id_service option").all_inner_texts()
    assert "打印服务" in services and "VPN" in services
    portal.locator("#id_title").fill("三楼打印机卡纸")
    portal.locator("#id_service").select_option(label="打印服务")
    portal.get_by_role("button", name="提交").click()
    portal.wait_for_url("**/portal/incidents/*/")
    assert "打印服务" in portal.content()

    from incidents.services import incident_create

    incident_create(actor=agent, title="VPN 无法连接")  # another open incident, without the word

    desk = new_page()
    sign_in(desk, "chenjie")
    desk.wait_for_url("**/workspace/")
    desk.goto("/incidents/?queue=open")
    rows = desk.locator("#queue-table tbody tr")
    assert rows.count() == 2
    desk.locator("input[name=q]").fill("打印")  # two characters: the short-piece search
    desk.wait_for_function("document.querySelectorAll('#queue-table tbody tr').length === 1")
    assert "三楼打印机卡纸" in rows.inner_text() and "打印服务" in rows.inner_text()
    assert "q=%E6%89%93%E5%8D%B0" in desk.url  # htmx pushed the filtered address: it can be shared
