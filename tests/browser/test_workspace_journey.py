import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password="pw-Secret-123"):
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_agent_signs_in_and_sees_the_workspace(page, make_user):
    from tests.org.factories import TeamFactory

    agent = make_user("agent", username="liwei", first_name="Li")
    TeamFactory(name="Service Desk").members.add(agent)

    page.goto("/")
    page.get_by_label("Username").fill("liwei")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Please enter a correct username and password")

    sign_in(page, "liwei")
    page.wait_for_url("**/workspace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Good to see you, Li"
    assert "Service Desk" in page.get_by_role("region", name="My teams").inner_text()
    nav = page.get_by_role("navigation", name="Workspace")
    assert nav.get_by_role("link", name="Teams").is_visible()

    # Switch the interface to Chinese from the header and back.
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/workspace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Li，您好"
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Good to see you, Li"


def test_requester_lands_in_the_portal(page, make_user):
    make_user("requester", username="alice", first_name="Alice")
    sign_in(page, "alice")
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", level=1).inner_text() == "How can we help, Alice?"
    assert page.get_by_role("link", name="Agent workspace").count() == 0
