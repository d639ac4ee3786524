import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from problems.models import SuggestionEvent
from problems.services import problem_link_incidents
from tests.problems.factories import make_incident, make_known_error, make_problem


@pytest.fixture
def agent_api(api_as, desk):
    return api_as(user=desk.agent)[0]


@pytest.fixture
def requester_api(api_as, desk):
    return api_as(user=desk.requester)[0]


def test_agent_raises_and_works_a_problem_through_the_api(agent_api, desk):
    incident = make_incident(actor=desk.agent)
    response = agent_api.post(
        "/api/v1/problems/",
        {
            "title": "VPN drops",
            "symptoms": "VPN 断开",
            "services": [desk.service.pk],
            "owner_team": desk.team.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("PRB") and body["state"] == "new"
    for key in ("id", "number", "title", "state", "root_cause", "workaround", "incidents", "services"):
        assert key in body
    assert body["services"] == [desk.service.pk] and body["created_at"].endswith("Z")
    url = f"/api/v1/problems/{body['id']}/"

    linked = agent_api.post(f"{url}link-incidents/", {"incidents": [incident.pk]})
    assert linked.status_code == 200 and linked.json()["incidents"] == [incident.pk]
    assert agent_api.get(f"/api/v1/incidents/{incident.pk}/").json()["problem"] == body["id"]

    refused = agent_api.post(f"{url}transition/", {"state": "closed"})
    assert refused.status_code == 400 and "cannot move from New to Closed" in refused.json()["state"][0]
    unpublishable = agent_api.post(f"{url}publish/")
    assert unpublishable.status_code == 400
    assert {"root_cause", "workaround"} <= set(unpublishable.json())

    edited = agent_api.patch(url, {"workaround": "Use the TCP profile."}, HTTP_IF_MATCH=str(body["version"]))
    assert edited.status_code == 200
    stale = agent_api.patch(url, {"root_cause": "x"}, HTTP_IF_MATCH=str(body["version"]))
    assert stale.status_code == 409
    published = agent_api.post(f"{url}publish/")
    assert published.status_code == 200 and published.json()["state"] == "known_error"
    assert published.json()["published_at"]

    resolved = agent_api.post(
        f"{url}transition/",
        {"state": "resolved", "fix_notes": "Firmware 2.1", "resolve_incidents": True, "incident_note": "fix"},
    )
    assert resolved.status_code == 200, resolved.content
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolution_code == "solved_permanently"

    unlinked = agent_api.post(f"{url}unlink-incidents/", {"incidents": [incident.pk]})
    assert unlinked.json()["incidents"] == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "priority": 9}, "priority"),
        ({"title": "x", "services": [99999]}, "services"),
        ({"title": "x", "rca_method": "astrology"}, "rca_method"),
    ],
)
def test_bad_input_is_400_naming_the_field(agent_api, payload, field):
    response = agent_api.post("/api/v1/problems/", payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_requesters_read_known_errors_but_never_problems(requester_api, desk, known_error):
    hidden = make_problem(actor=desk.agent, title="Internal analysis")
    assert requester_api.get("/api/v1/problems/").json()["results"] == []
    assert requester_api.get(f"/api/v1/problems/{hidden.pk}/").status_code == 404
    assert requester_api.get(f"/api/v1/problems/{known_error.pk}/").status_code == 404
    assert requester_api.post("/api/v1/problems/", {"title": "Mine"}).status_code == 403
    assert (
        requester_api.post(
            f"/api/v1/problems/{known_error.pk}/transition/", {"state": "resolved"}
        ).status_code
        == 403
    )
    listed = requester_api.get("/api/v1/known-errors/").json()["results"]
    assert [k["number"] for k in listed] == [known_error.number]
    entry = listed[0]
    assert entry["problem"] == entry["id"] == known_error.pk
    for key in ("title", "symptoms", "workaround", "root_cause", "services", "published_at"):
        assert key in entry
    assert requester_api.get(f"/api/v1/known-errors/{hidden.pk}/").status_code == 404


def test_requester_cannot_apply_a_workaround(requester_api, desk, known_error):
    incident = make_incident(actor=desk.requester, title="Outlook hangs updating inbox")
    own = requester_api.get(f"/api/v1/incidents/{incident.pk}/suggestions/")
    assert own.status_code == 200 and own.json()["results"][0]["id"] == known_error.pk
    response = requester_api.post(f"/api/v1/incidents/{incident.pk}/suggestions/{known_error.pk}/apply/")
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.problem_id is None
    someone_else = make_incident(actor=desk.agent, title="Outlook hangs")
    assert requester_api.get(f"/api/v1/incidents/{someone_else.pk}/suggestions/").status_code == 404


def test_known_errors_are_ranked_by_relevance_with_q(agent_api, desk, known_error):
    vpn = make_known_error(
        actor=desk.agent, title="VPN 连接频繁断开", symptoms="每隔几分钟掉线", services=[desk.service]
    )
    response = agent_api.get("/api/v1/known-errors/", {"q": "vpn老是掉线断开"})
    results = response.json()["results"]
    assert results[0]["id"] == vpn.pk and results[0]["relevance"] > 0
    assert "断开" in results[0]["matched_terms"]
    response = agent_api.get("/api/v1/known-errors/", {"q": "outlook hangs updating my inbox"})
    assert [r["id"] for r in response.json()["results"]] == [known_error.pk]
    plain = agent_api.get("/api/v1/known-errors/").json()["results"]
    assert [r["id"] for r in plain] == [vpn.pk, known_error.pk]  # newest first
    assert plain[0]["relevance"] is None


def test_incident_suggestions_and_apply_for_agents(agent_api, desk, known_error):
    incident = make_incident(
        actor=desk.agent, title="Outlook hangs", description="updating inbox for an hour"
    )
    response = agent_api.get(f"/api/v1/incidents/{incident.pk}/suggestions/")
    assert response.status_code == 200
    assert response.json()["results"][0]["number"] == known_error.number
    applied = agent_api.post(f"/api/v1/incidents/{incident.pk}/suggestions/{known_error.pk}/apply/")
    assert applied.status_code == 200 and applied.json() == {
        "incident": incident.pk,
        "problem": known_error.pk,
    }
    assert SuggestionEvent.objects.get(kind="applied").channel == "api"
    assert agent_api.get(f"/api/v1/incidents/{incident.pk}/").json()["problem"] == known_error.pk
    assert agent_api.get("/api/v1/incidents/999999/suggestions/").status_code == 404


def test_proposals_through_the_api(agent_api, requester_api, desk):
    from problems.services import problem_proposals_detect
    from tests.problems.factories import CategoryFactory

    category = CategoryFactory(name="Mailbox")
    for title in (
        "Outlook stuck updating inbox",
        "Outlook inbox stuck updating",
        "outlook stuck on updating inbox",
    ):
        make_incident(actor=desk.agent, title=title, service=desk.service, category=category)
    proposal = problem_proposals_detect()[0]
    assert requester_api.get("/api/v1/problem-proposals/").json()["results"] == []
    listed = agent_api.get("/api/v1/problem-proposals/?state=pending").json()["results"]
    assert listed[0]["id"] == proposal.pk and len(listed[0]["incidents"]) == 3
    accepted = agent_api.post(f"/api/v1/problem-proposals/{proposal.pk}/accept/", {"title": "Outlook cache"})
    assert accepted.status_code == 201 and len(accepted.json()["incidents"]) == 3
    again = agent_api.post(f"/api/v1/problem-proposals/{proposal.pk}/dismiss/")
    assert again.status_code == 400 and "state" in again.json()


def _count(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_problem_list_query_count_is_constant(agent_api, desk):
    def one():
        problem = make_problem(actor=desk.agent, services=[desk.service])
        problem_link_incidents(actor=desk.agent, problem=problem, incidents=[make_incident(actor=desk.agent)])

    one()
    few = _count(agent_api, "/api/v1/problems/")
    for _ in range(6):
        one()
    assert _count(agent_api, "/api/v1/problems/") == few


def test_known_error_list_query_count_is_constant(requester_api, desk):
    make_known_error(actor=desk.agent, title="VPN drops", services=[desk.service])
    few = _count(requester_api, "/api/v1/known-errors/")
    ranked = _count(requester_api, "/api/v1/known-errors/?q=vpn")
    for n in range(6):
        make_known_error(actor=desk.agent, title=f"VPN drops {n}", services=[desk.service])
    assert _count(requester_api, "/api/v1/known-errors/") == few
    assert _count(requester_api, "/api/v1/known-errors/?q=vpn") == ranked


def test_ranked_known_errors_page_through_in_rank_order(requester_api, desk):
    """`?q=` ranks every match, then loads only the requested page, still best first."""
    for n, title in enumerate(
        ["VPN drops", "VPN drops at login", "VPN drops at login every hour", "VPN slow", "Printer jam"]
    ):
        make_known_error(actor=desk.agent, title=title, symptoms=f"case {n}")
    everything = requester_api.get("/api/v1/known-errors/?q=vpn drops login hour&page_size=10").json()
    order = [r["title"] for r in everything["results"]]
    assert order[0] == "VPN drops at login every hour" and "Printer jam" not in order
    first = requester_api.get("/api/v1/known-errors/?q=vpn drops login hour&page_size=2").json()
    second = requester_api.get("/api/v1/known-errors/?q=vpn drops login hour&page_size=2&page=2").json()
    assert first["count"] == second["count"] == len(order)
    assert [r["title"] for r in first["results"] + second["results"]] == order[:4]
    assert first["results"][0]["relevance"] >= first["results"][1]["relevance"] > 0


def test_known_error_fast_rendering_matches_drf(desk):
    from rest_framework import serializers as drf

    from problems.api.serializers import KnownErrorSerializer
    from problems.selectors import known_error_matches, ranked_known_errors

    make_known_error(
        actor=desk.agent, title="VPN drops at login", symptoms="Tunnel closes", services=[desk.service]
    )
    (ranked,) = ranked_known_errors(
        user=desk.agent, matches=known_error_matches(user=desk.agent, text="vpn login drops")
    )
    ranked.problem.match = ranked.match
    serializer = KnownErrorSerializer(ranked.problem)
    assert "to_representation" in KnownErrorSerializer.__dict__  # the fast path is really in use
    assert serializer.to_representation(ranked.problem) == drf.ModelSerializer.to_representation(
        serializer, ranked.problem
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the term-frequency cache is PostgreSQL's path")
def test_cached_term_frequencies_follow_the_corpus(desk):
    from problems.search.ranking import _postgres_statistics

    make_known_error(actor=desk.agent, title="VPN drops", symptoms="tunnel closes")
    assert _postgres_statistics(["vpn", "printer"])[2] == {"vpn": 1, "printer": 0}
    make_known_error(actor=desk.agent, title="Printer jams", symptoms="paper stuck")
    count, _avg, frequencies = _postgres_statistics(["vpn", "printer"])
    assert count == 2 and frequencies == {"vpn": 1, "printer": 1}
    vpn = make_known_error(actor=desk.agent, title="VPN slow", symptoms="tunnel")
    assert _postgres_statistics(["vpn"])[2] == {"vpn": 2}
    from problems.services import problem_update

    problem_update(actor=desk.agent, problem=vpn, title="Wi-Fi slow")  # an edit changes the words
    assert _postgres_statistics(["vpn"])[2] == {"vpn": 1}
