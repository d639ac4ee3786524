import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.services import incident_comment_add, incident_create
from tests.factories import UserFactory


@pytest.fixture
def agent_api(api_as, desk):
    return api_as(user=desk.agent)[0]


def test_requester_reports_and_sees_only_own_incidents(api_as, desk):
    api, alice = api_as(user=desk.requester)
    response = api.post(
        "/api/v1/incidents/", {"title": "Cannot print", "description": "Jam", "impact": 1, "urgency": 1}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("INC") and body["requester"] == alice.pk
    assert (body["impact"], body["urgency"]) == (3, 3)  # requesters do not set priority
    someone_else = incident_create(actor=desk.agent, requester=UserFactory(), title="Not yours")
    listed = api.get("/api/v1/incidents/").json()
    assert [i["title"] for i in listed["results"]] == ["Cannot print"]
    assert api.get(f"/api/v1/incidents/{someone_else.pk}/").status_code == 404


def test_internal_notes_never_reach_requesters(api_as, desk):
    incident = incident_create(actor=desk.requester, title="x")
    incident_comment_add(actor=desk.agent, incident=incident, body="Vendor ticket 123", is_internal=True)
    incident_comment_add(actor=desk.agent, incident=incident, body="We are on it")
    api, _ = api_as(user=desk.requester)
    bodies = [c["body"] for c in api.get(f"/api/v1/incidents/{incident.pk}/comments/").json()["results"]]
    assert bodies == ["We are on it"]
    denied = api.post(f"/api/v1/incidents/{incident.pk}/comments/", {"body": "psst", "is_internal": True})
    assert denied.status_code == 400 and "is_internal" in denied.json()
    agent_api, _ = api_as(user=desk.agent)
    bodies = [
        c["body"] for c in agent_api.get(f"/api/v1/incidents/{incident.pk}/comments/").json()["results"]
    ]
    assert bodies == ["Vendor ticket 123", "We are on it"]


def test_agent_creates_with_fields_and_sla(agent_api, desk):
    response = agent_api.post(
        "/api/v1/incidents/",
        {
            "title": "VPN down",
            "impact": 1,
            "urgency": 2,
            "service": desk.service.pk,
            "requester": desk.requester.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["priority"] == 2
    assert body["assignment_group"] == desk.team.pk
    assert {c["kind"] for c in body["sla"]} == {"response", "resolution"}
    clock = body["sla"][0]
    assert set(clock) == {"name", "kind", "state", "due_at", "elapsed_seconds", "target_seconds"}
    assert clock["state"] == "running"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x", "impact": 7}, "impact"),
        ({"title": "x", "service": 99999}, "service"),
        ({"impact": 1}, "title"),
        ({"title": "x", "urgency": "high"}, "urgency"),
    ],
)
def test_bad_input_is_400_naming_the_field(agent_api, payload, field):
    response = agent_api.post("/api/v1/incidents/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_transition_refusal_is_400_with_state_key(agent_api, desk):
    incident = incident_create(actor=desk.agent, title="x")
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/transition/", {"state": "closed"})
    assert response.status_code == 400
    assert "cannot move from New to Closed" in response.json()["state"][0]
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/transition/", {"state": "in_progress"})
    assert response.status_code == 200 and response.json()["state"] == "in_progress"
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/transition/", {"state": "on_hold"})
    assert response.status_code == 400 and "hold_reason" in response.json()
    response = agent_api.post(
        f"/api/v1/incidents/{incident.pk}/transition/", {"state": "on_hold", "hold_reason": "awaiting_vendor"}
    )
    assert response.json()["hold_reason"] == "awaiting_vendor"
    assert {c["state"] for c in response.json()["sla"]} == {"met", "paused"}


def test_unknown_state_is_400(agent_api, desk):
    incident = incident_create(actor=desk.agent, title="x")
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/transition/", {"state": "teleported"})
    assert response.status_code == 400 and "state" in response.json()


def test_if_match_stale_version_is_409_and_nothing_is_lost(agent_api, desk):
    incident = incident_create(actor=desk.agent, title="Original")
    url = f"/api/v1/incidents/{incident.pk}/"
    first = agent_api.patch(url, {"title": "First edit"}, HTTP_IF_MATCH=str(incident.version))
    assert first.status_code == 200
    second = agent_api.patch(url, {"title": "Second edit"}, HTTP_IF_MATCH=str(incident.version))
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["version"][0]
    assert agent_api.get(url).json()["title"] == "First edit"


def test_requester_cannot_edit(api_as, desk):
    incident = incident_create(actor=desk.requester, title="x")
    api, _ = api_as(user=desk.requester)
    assert api.patch(f"/api/v1/incidents/{incident.pk}/", {"title": "mine"}).status_code == 403


def test_filters_ordering_and_search(agent_api, desk):
    a = incident_create(actor=desk.agent, title="VPN slow", impact=1, urgency=1)
    b = incident_create(actor=desk.agent, title="Printer jam", impact=3, urgency=3, service=desk.service)
    assert [i["id"] for i in agent_api.get("/api/v1/incidents/?q=printer").json()["results"]] == [b.pk]
    assert [i["id"] for i in agent_api.get("/api/v1/incidents/?priority=1").json()["results"]] == [a.pk]
    assert [i["id"] for i in agent_api.get("/api/v1/incidents/?ordering=sla_due_at").json()["results"]] == [
        a.pk,
        b.pk,
    ]
    assert [
        i["id"]
        for i in agent_api.get(f"/api/v1/incidents/?assignment_group={desk.team.pk}&state=new").json()[
            "results"
        ]
    ] == [b.pk]
    assert agent_api.get("/api/v1/incidents/?state=bogus").status_code == 400


def test_list_query_count_is_constant(agent_api, desk):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert agent_api.get("/api/v1/incidents/?page_size=50").status_code == 200
        return len(ctx.captured_queries)

    incident_create(actor=desk.agent, title="one", service=desk.service)
    few = count()
    for n in range(12):
        incident_create(actor=desk.agent, title=f"more {n}", service=desk.service, requester=UserFactory())
    assert count() == few


def test_rating_through_the_api(api_as, desk):
    incident = incident_create(actor=desk.requester, title="x")
    from incidents.services import incident_transition

    incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    incident_transition(
        actor=desk.agent,
        incident=incident,
        state="resolved",
        resolution_code="user_error",
        resolution_notes="ok",
    )
    api, _ = api_as(user=desk.requester)
    assert api.post(f"/api/v1/incidents/{incident.pk}/rate/", {"rating": 6}).status_code == 400
    response = api.post(f"/api/v1/incidents/{incident.pk}/rate/", {"rating": 5, "comment": "Great"})
    assert response.status_code == 201


def test_fast_representation_matches_drf_rendering(agent_api, desk):
    """The hand-written to_representation must equal what DRF's field machinery would produce."""
    from rest_framework import serializers as drf

    from incidents.api.serializers import IncidentSerializer
    from incidents.selectors import incident_detail
    from incidents.services import incident_transition

    incident = incident_create(
        actor=desk.agent, requester=desk.requester, title="VPN", service=desk.service, is_major=True
    )
    incident = incident_transition(actor=desk.agent, incident=incident, state="in_progress")
    incident = incident_detail(user=desk.agent, pk=incident.pk)
    serializer = IncidentSerializer(incident, context={"now": incident.updated_at})
    assert "to_representation" in IncidentSerializer.__dict__  # the fast path is really in use
    fast = serializer.to_representation(incident)
    slow = drf.ModelSerializer.to_representation(serializer, incident)
    assert fast == slow


def test_api_times_are_utc_whatever_the_users_time_zone(api_as, desk):
    from accounts.models import Profile

    Profile.objects.create(user=desk.agent, timezone="Asia/Shanghai")
    api, _ = api_as(user=desk.agent)
    incident_create(actor=desk.agent, title="x")
    created = api.get("/api/v1/incidents/").json()["results"][0]["created_at"]
    assert created.endswith("Z")


def test_create_costs_the_same_queries_every_time(agent_api, desk):
    """Creating an incident writes the incident, two clocks and their events, the team share, the
    timeline, the audit record and the notifications: a fixed budget of statements, not one per row."""

    def create(n):
        with CaptureQueriesContext(connection) as ctx:
            response = agent_api.post(
                "/api/v1/incidents/",
                {"title": f"Mail down {n}", "service": desk.service.pk, "impact": 2, "urgency": 2},
                format="json",
            )
        assert response.status_code == 201
        assert [c["kind"] for c in response.json()["sla"]] == ["response", "resolution"]
        return len(ctx.captured_queries)

    create(0)  # per-process caches (content types, calendar spec) fill here
    counts = [create(n) for n in range(1, 4)]
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 22, counts


def test_the_api_reads_deep_pages_the_same(agent_api, desk, monkeypatch):
    from core.pagination import DeepPaginator

    for n in range(9):
        incident_create(actor=desk.agent, title=f"Printer {n}", service=desk.service)
    shallow = [
        i["id"]
        for p in (1, 2, 3)
        for i in agent_api.get(f"/api/v1/incidents/?page={p}&page_size=3").json()["results"]
    ]
    monkeypatch.setattr(DeepPaginator, "DEEP", 1)
    deep = [
        i["id"]
        for p in (1, 2, 3)
        for i in agent_api.get(f"/api/v1/incidents/?page={p}&page_size=3").json()["results"]
    ]
    assert deep == shallow and len(set(deep)) == 9


def test_text_search_filters_each_row_once(agent_api, desk):
    incident_create(actor=desk.agent, title="Printer jam", service=desk.service)
    incident_create(actor=desk.agent, title="VPN slow", service=desk.service)
    with CaptureQueriesContext(connection) as ctx:
        body = agent_api.get("/api/v1/incidents/?q=printer").json()
    assert [i["title"] for i in body["results"]] == ["Printer jam"]
    count_sql = next(q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"])
    assert count_sql.count("%printer%") == 3, count_sql  # title, description, number: once each


def test_short_text_search_finds_chinese_words_and_short_pieces(agent_api, desk):
    printer = incident_create(actor=desk.agent, title="打印机卡纸", service=desk.service)
    network = incident_create(
        actor=desk.agent, title="Slow", description="会议室网络很慢 since 9:00", service=desk.service
    )
    incident_create(actor=desk.agent, title="VPN 无法连接", service=desk.service)

    def found(text):
        body = agent_api.get("/api/v1/incidents/", {"q": text}).json()
        return sorted(i["id"] for i in body["results"]), body["count"]

    assert found("打印") == ([printer.pk], 1)  # two characters: a whole Chinese word
    assert found("网络") == ([network.pk], 1)  # in the description
    assert found("慢") == ([network.pk], 1)  # one character
    assert found("9:") == ([network.pk], 1)  # short pieces that are not words
    assert found("sl") == ([network.pk], 1)  # any case
    assert found("纸张") == ([], 0)  # both characters must be there, side by side


def test_staff_name_categories_in_chinese_through_the_api(api_as):
    api, _ = api_as("staff")
    parent = api.post("/api/v1/incident-categories/", {"name": "Hardware", "name_zh": "硬件"}, format="json")
    assert parent.status_code == 201, parent.content
    child = api.post(
        "/api/v1/incident-categories/",
        {"name": "Printer", "name_zh": "打印机", "parent": parent.json()["id"]},
        format="json",
    )
    assert child.json()["name_zh"] == "打印机"
