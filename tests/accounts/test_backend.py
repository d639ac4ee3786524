"""Each page loads the signed-in user with their profile and roles in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile


def test_a_page_reads_the_user_profile_and_roles_in_one_query(client, make_user):
    agent = make_user("agent")
    Profile.objects.update_or_create(
        user=agent, defaults={"language": "zh-hans", "timezone": "Asia/Shanghai"}
    )
    client.force_login(agent)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/incidents/")
    assert response.status_code == 200  # an agent page: the roles were known
    assert response["Content-Language"] == "zh-hans"  # the profile was read
    sql = [q["sql"] for q in ctx.captured_queries]
    loads = [q for q in sql if f'WHERE "auth_user"."id" = {agent.pk}' in q]
    assert len(loads) == 1 and "accounts_profile" in loads[0], loads  # the user, with profile and roles
    assert not any(q.startswith('SELECT "accounts_profile"') for q in sql)
    assert not any(f'"auth_user_groups"."user_id" = {agent.pk}' in q for q in sql)


def test_a_user_without_a_profile_or_groups_still_signs_in(client, make_user):
    user = make_user("requester")
    Profile.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get("/portal/").status_code == 200
    assert client.get("/incidents/").status_code == 403  # no agent role


def test_a_deactivated_user_is_signed_out(client, make_user):
    user = make_user("agent")
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get("/incidents/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
