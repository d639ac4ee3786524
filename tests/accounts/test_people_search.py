"""The people search behind "user" questions: a few matches as datalist options, never the whole directory."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_people_search_matches_names_and_user_names(client):
    UserFactory(username="ann.zed", first_name="Ann", last_name="Zed")
    UserFactory(username="wangfang", first_name="芳", last_name="王")
    UserFactory(username="old", first_name="Ann", last_name="Old", is_active=False)
    for n in range(15):
        UserFactory(username=f"annex{n}")
    client.force_login(UserFactory())
    html = client.get("/accounts/people/", {"field": "q-who", "q-who": "ann"}).content.decode()
    assert '<option value="ann.zed">Ann Zed</option>' in html
    assert "old" not in html and html.count("<option") == 10  # a handful, not the directory
    html = client.get("/accounts/people/", {"field": "q-who", "q-who": "王"}).content.decode()
    assert '<option value="wangfang">王芳</option>' in html
    assert client.get("/accounts/people/", {"field": "q-who", "q-who": "a"}).content.decode().strip() == ""


def test_people_search_needs_a_sign_in(client):
    assert client.get("/accounts/people/", {"q": "ann"}).status_code == 302
