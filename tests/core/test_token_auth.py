"""API tokens: the user and their roles come in one query; bad and inactive tokens are refused."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.services import incident_create


def test_roles_come_with_the_token(api_as, make_user):
    agent_api, agent = api_as("agent")
    requester_api, requester = api_as("requester")
    mine = incident_create(actor=requester, title="My laptop")
    incident_create(actor=make_user("requester"), title="Someone else's printer")
    with CaptureQueriesContext(connection) as ctx:
        agent_view = agent_api.get("/api/v1/incidents/").json()
    assert agent_view["count"] == 2  # an agent, recognised without a second query for the groups
    assert not any(
        "auth_user_groups" in q["sql"] and "authtoken_token" not in q["sql"] for q in ctx.captured_queries
    )
    assert [i["id"] for i in requester_api.get("/api/v1/incidents/").json()["results"]] == [mine.pk]


def test_a_user_in_two_groups_has_both_roles_from_one_query(api_as):
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from core.api.authentication import TokenAuthentication
    from core.roles import is_agent, is_cab, is_manager

    _, manager = api_as("manager")
    manager.groups.add(Group.objects.get_or_create(name="cab")[0])
    _, plain = api_as("requester")
    key = Token.objects.get(user=manager).key
    with CaptureQueriesContext(connection) as ctx:
        user, _ = TokenAuthentication().authenticate_credentials(key)
        roles = (is_agent(user), is_manager(user), is_cab(user))
    assert roles == (True, True, True) and len(ctx.captured_queries) == 1
    user, _ = TokenAuthentication().authenticate_credentials(Token.objects.get(user=plain).key)
    assert (is_agent(user), is_manager(user), is_cab(user)) == (False, False, False)


def test_an_inactive_users_token_is_refused(api_as):
    api, user = api_as("agent")
    user.is_active = False
    user.save()
    response = api.get("/api/v1/incidents/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."
