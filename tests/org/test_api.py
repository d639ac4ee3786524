import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Service
from tests.org.factories import ConfigurationItemFactory, ServiceFactory, TeamFactory


def test_unauthenticated_gets_401(client, db):
    response = client.get("/api/v1/teams/")
    assert response.status_code == 401


def test_bad_token_is_401_with_a_message(client, db):
    response = client.get("/api/v1/teams/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_any_user_reads_services_with_their_configuration_items(api_as):
    api, _ = api_as("requester")
    ci = ConfigurationItemFactory(name="vpn-gw-01")
    body = api.get("/api/v1/services/").json()
    assert body["count"] == 1
    assert body["results"][0]["configuration_items"] == [{"id": ci.pk, "name": "vpn-gw-01", "kind": "server"}]
    assert set(body) == {"count", "next", "previous", "results"}


def test_requesters_and_agents_cannot_write_configuration(api_as):
    for role in ("requester", "agent"):
        api, _ = api_as(role)
        assert api.post("/api/v1/teams/", {"name": "Hackers"}).status_code == 403
    assert not Service.objects.exists()


def test_staff_create_team_with_members(api_as, make_user):
    api, _ = api_as("staff")
    agent = make_user("agent")
    response = api.post(
        "/api/v1/teams/", {"name": "Service Desk", "members": [agent.pk], "manager": agent.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["members"] == [agent.pk]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Payroll", "criticality": "extreme"}, "criticality"),
        ({"criticality": "low"}, "name"),
        ({"name": "Payroll", "owner": 999999}, "owner"),
        ({"name": "payroll"}, "__dup__"),
    ],
)
def test_bad_service_input_is_a_400_naming_the_field(api_as, payload, field):
    api, _ = api_as("staff")
    ServiceFactory(name="Payroll")
    response = api.post("/api/v1/services/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    if field == "__dup__":
        # Names are unique whatever the case.
        assert body == {"name": ["A service with this name already exists."]}
    else:
        assert field in body


def test_malformed_json_is_400_not_500(api_as):
    api, _ = api_as("staff")
    response = api.generic("POST", "/api/v1/services/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_search_filter_ordering_and_page_size(api_as):
    api, _ = api_as("agent")
    for name, criticality in [
        ("E-mail", "critical"),
        ("VPN", "high"),
        ("Wi-Fi", "medium"),
        ("ERP", "critical"),
    ]:
        ServiceFactory(name=name, criticality=criticality)
    assert [s["name"] for s in api.get("/api/v1/services/?q=wi").json()["results"]] == ["Wi-Fi"]
    names = [
        s["name"] for s in api.get("/api/v1/services/?criticality=critical&ordering=-name").json()["results"]
    ]
    assert names == ["ERP", "E-mail"]
    page = api.get("/api/v1/services/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    assert api.get("/api/v1/services/?page_size=1000").status_code == 200
    assert api.get("/api/v1/services/?criticality=extreme").status_code == 400


def test_team_member_filter(api_as, make_user):
    api, agent = api_as("agent")
    mine = TeamFactory(name="Mine")
    mine.members.add(agent)
    TeamFactory(name="Other")
    assert [t["name"] for t in api.get(f"/api/v1/teams/?member={agent.pk}").json()["results"]] == ["Mine"]


def test_service_list_query_count_does_not_grow_with_rows(api_as):
    api, _ = api_as("agent")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/services/").status_code == 200
        return len(ctx.captured_queries)

    ConfigurationItemFactory()
    few = count_queries()
    for _ in range(10):
        ConfigurationItemFactory.create_batch(3, service=ServiceFactory())
    assert count_queries() == few


def test_requesters_see_only_themselves_in_users(api_as, make_user):
    make_user("agent")
    api, me = api_as("requester")
    assert [u["username"] for u in api.get("/api/v1/users/").json()["results"]] == [me.username]
    api, _ = api_as("agent")
    assert api.get("/api/v1/users/").json()["count"] == 3


def test_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/teams/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
