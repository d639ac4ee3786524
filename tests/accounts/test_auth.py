import pytest
from django.urls import reverse

from accounts.models import Profile


def test_bad_login_says_so_and_does_not_sign_in(client, make_user):
    make_user(username="kim")
    response = client.post(reverse("login"), {"username": "kim", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_login_names_the_missing_fields(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2


@pytest.mark.parametrize(
    ("role", "landing"), [("agent", "/workspace/"), ("manager", "/workspace/"), ("requester", "/portal/")]
)
def test_login_lands_by_role(client, make_user, role, landing):
    make_user(role, username="kim")
    response = client.post(reverse("login"), {"username": "kim", "password": "pw-Secret-123"}, follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_requester_cannot_open_the_workspace(login_as):
    client, _ = login_as("requester")
    assert client.get("/workspace/").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logout_needs_post_and_signs_out(login_as):
    client, _ = login_as("agent")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_password_change(login_as):
    client, user = login_as("requester")
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-Secret-123", "new_password1": "Tr0ub4dor&3x!", "new_password2": "Tr0ub4dor&3x!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tr0ub4dor&3x!")


def test_password_change_with_wrong_old_password_explains(login_as):
    client, user = login_as("requester")
    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Tr0ub4dor&3x!", "new_password2": "Tr0ub4dor&3x!"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()


def test_language_preference_switches_the_interface_to_chinese(login_as):
    client, user = login_as("agent")
    response = client.post(
        reverse("preferences"), {"language": "zh-hans", "timezone": "Asia/Shanghai"}, follow=True
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=user).language == "zh-hans"
    page = client.get("/workspace/").content.decode()
    assert 'lang="zh-hans"' in page
    assert "我的团队" in page


def test_browser_language_is_used_before_a_preference(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "登录" in page
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Sign in to the service desk" in page


def test_header_toggle_remembers_language(login_as):
    client, user = login_as("requester")
    response = client.post(reverse("language_switch"), {"language": "zh-hans", "next": "/portal/"})
    assert response["Location"] == "/portal/"
    assert Profile.objects.get(user=user).language == "zh-hans"
    response = client.post(reverse("language_switch"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_time_zone_is_refused(login_as):
    client, _ = login_as("requester")
    response = client.post(reverse("preferences"), {"language": "", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_times_are_shown_in_the_users_time_zone(login_as):
    client, user = login_as("requester")
    client.post(reverse("preferences"), {"language": "en", "timezone": "Asia/Shanghai"})
    page = client.get(reverse("preferences")).content.decode()
    assert "now Asia/Shanghai" in page


def test_api_token_can_be_created_and_used(login_as):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client, user = login_as("requester")
    client.post(reverse("token_regenerate"))
    token = Token.objects.get(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/users/me/").json()["username"] == user.username


def test_unknown_host_is_a_400_not_a_500(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
