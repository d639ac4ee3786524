"""Services are named in English and, optionally, Chinese: each reader sees their language's name."""

from accounts.models import Profile
from tests.org.factories import ServiceFactory


def test_the_portal_lists_services_in_the_readers_language(login_as):
    ServiceFactory(
        name="E-mail",
        description="Mailboxes and calendars.",
        name_zh="电子邮件",
        description_zh="邮箱和日历。",
    )
    ServiceFactory(name="Wi-Fi", description="Office wireless.")  # no Chinese text yet
    client, user = login_as("requester")

    english = client.get("/portal/").content.decode()
    assert "E-mail" in english and "Mailboxes and calendars." in english and "电子邮件" not in english

    Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    chinese = client.get("/portal/").content.decode()
    assert "电子邮件" in chinese and "邮箱和日历。" in chinese
    assert "Mailboxes and calendars." not in chinese
    assert "Wi-Fi" in chinese and "Office wireless." in chinese  # falls back to English


def test_staff_write_the_chinese_names_through_the_api(api_as):
    api, _ = api_as("staff")
    created = api.post(
        "/api/v1/services/",
        {"name": "ERP", "name_zh": "ERP 系统", "description_zh": "财务和采购。", "criticality": "high"},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/services/{created.json()['id']}/"
    assert api.patch(url, {"name_zh": "企业资源计划"}, format="json").status_code == 200
    body = api.get(url).json()
    assert (body["name"], body["name_zh"], body["description_zh"]) == ("ERP", "企业资源计划", "财务和采购。")
    too_long = api.patch(url, {"name_zh": "长" * 101}, format="json")
    assert too_long.status_code == 400 and "name_zh" in too_long.json()
