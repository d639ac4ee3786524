import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes.services import change_create
from tests.changes.conftest import NOW, freeze, normal, to_authorize, window

pytestmark = pytest.mark.django_db


def iso(value):
    return value.isoformat().replace("+00:00", "Z")


def test_requesters_cannot_see_changes(api_as, cm):
    change = normal(cm)
    api, _ = api_as(user=cm.requester)
    assert api.get("/api/v1/changes/").json()["count"] == 0
    assert api.get(f"/api/v1/changes/{change.pk}/").status_code == 404
    assert api.post("/api/v1/changes/", {"type": "normal", "title": "x"}).status_code == 403


def test_create_normal_change_shape_and_conflicts(api_as, cm):
    first = normal(cm, cis=[cm.mail_ci])
    api, agent = api_as(user=cm.agent)
    start, end = window(24.5)
    response = api.post(
        "/api/v1/changes/",
        {
            "type": "normal",
            "title": "Mailbox migration",
            "implementation_plan": "Move",
            "backout_plan": "Move back",
            "risk": "high",
            "services": [cm.mail.pk],
            "planned_start": iso(start),
            "planned_end": iso(end),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("CHG") and body["state"] == "draft" and body["risk"] == "high"
    assert body["services"] == [cm.mail.pk] and body["approvals"] == []
    assert [c["kind"] for c in body["conflicts"]] == ["change"]
    assert first.number in body["conflicts"][0]["reason"]
    for key in ("id", "type", "template", "title", "planned_start", "planned_end", "outcome"):
        assert key in body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "weekly", "title": "x"}, "type"),
        ({"type": "normal", "title": "x", "services": [999999]}, "services"),
        ({"type": "normal", "title": "x", "risk": "extreme"}, "risk"),
        ({"type": "standard", "title": "x"}, "template"),
        ({"type": "normal", "title": "x", "planned_start": "2026-03-03T10:00:00Z"}, "planned_end"),
    ],
)
def test_bad_input_names_the_field(api_as, cm, payload, field):
    api, _ = api_as(user=cm.agent)
    response = api.post("/api/v1/changes/", payload)
    assert response.status_code == 400 and field in response.json(), response.content


def test_freeze_refusal_is_a_400_on_planned_start(api_as, cm):
    freeze(start=0, length=48)
    api, _ = api_as(user=cm.agent)
    start, end = window(24)
    response = api.post(
        "/api/v1/changes/",
        {
            "type": "normal",
            "title": "x",
            "services": [cm.mail.pk],
            "planned_start": iso(start),
            "planned_end": iso(end),
        },
    )
    assert response.status_code == 400 and "Year-end" in response.json()["planned_start"][0]
    response = api.post(
        "/api/v1/changes/",
        {
            "type": "emergency",
            "title": "x",
            "services": [cm.mail.pk],
            "planned_start": iso(start),
            "planned_end": iso(end),
        },
    )
    assert response.status_code == 201 and response.json()["freeze_bypassed"] is True
    assert [c["kind"] for c in response.json()["conflicts"]] == ["freeze"]


def test_transition_refusal_and_stale_version(api_as, cm):
    change = normal(cm)
    api, _ = api_as(user=cm.agent)
    response = api.post(f"/api/v1/changes/{change.pk}/transition/", {"state": "closed"})
    assert response.status_code == 400 and "state" in response.json()
    response = api.post(f"/api/v1/changes/{change.pk}/transition/", {"state": "assess"})
    assert response.status_code == 200 and response.json()["state"] == "assess"
    stale = api.patch(f"/api/v1/changes/{change.pk}/", {"title": "New"}, HTTP_IF_MATCH=str(change.version))
    assert stale.status_code == 409
    fresh = api.patch(
        f"/api/v1/changes/{change.pk}/", {"title": "New"}, HTTP_IF_MATCH=str(change.version + 1)
    )
    assert fresh.status_code == 200 and fresh.json()["title"] == "New"


def test_approvals_endpoint_only_cab_decides_cab(api_as, cm, django_capture_on_commit_callbacks):
    change = to_authorize(cm, normal(cm, risk="high"))
    manager_api, _ = api_as(user=cm.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_api.post(f"/api/v1/changes/{change.pk}/approvals/", {"decision": "approved"})
    assert response.status_code == 201 and response.json()["step"] == "Change manager"
    assert (
        manager_api.post(f"/api/v1/changes/{change.pk}/approvals/", {"decision": "approved"}).status_code
        == 403
    )
    cab_api, cab = api_as(user=cm.cab)
    bad = cab_api.post(f"/api/v1/changes/{change.pk}/approvals/", {"decision": "rejected"})
    assert bad.status_code == 400 and "comment" in bad.json()
    assert cab_api.post(f"/api/v1/changes/{change.pk}/approvals/", {"decision": "maybe"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            cab_api.post(
                f"/api/v1/changes/{change.pk}/approvals/", {"decision": "approved", "comment": "Go"}
            ).status_code
            == 201
        )
    listed = cab_api.get(f"/api/v1/changes/{change.pk}/approvals/").json()["results"]
    assert [(d["approver"], d["decision"]) for d in listed] == [
        (cm.manager.pk, "approved"),
        (cab.pk, "approved"),
    ]
    body = cab_api.get(f"/api/v1/changes/{change.pk}/").json()
    assert body["state"] == "scheduled" and body["approvals"][0]["state"] == "approved"


def _count(api, url):
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_costs_a_fixed_number_of_queries(api_as, cm):
    api, _ = api_as(user=cm.agent)
    to_authorize(cm, normal(cm, cis=[cm.mail_ci]))
    baseline = _count(api, "/api/v1/changes/")
    for hours in range(30, 90, 6):
        to_authorize(cm, normal(cm, start=hours, cis=[cm.mail_ci]))
    change_create(actor=cm.agent, type="standard", title="", template=cm.template, at=NOW)
    assert _count(api, "/api/v1/changes/") == baseline
    assert _count(api, "/api/v1/change-templates/") <= 5


def test_templates_read_by_workers_written_by_managers(api_as, cm):
    agent_api, _ = api_as(user=cm.agent)
    listed = agent_api.get("/api/v1/change-templates/").json()["results"]
    assert listed[0]["name"] == "Restart application pool" and "failure_rate" in listed[0]
    assert agent_api.post("/api/v1/change-templates/", {"name": "x"}).status_code == 403
    manager_api, _ = api_as(user=cm.manager)
    response = manager_api.post(
        "/api/v1/change-templates/",
        {"name": "Add user to distribution list", "risk": "low", "allowed_windows": [{"weekday": 9}]},
    )
    assert response.status_code == 400 and "allowed_windows" in response.json()
    response = manager_api.post(
        "/api/v1/change-templates/", {"name": "Add user to distribution list", "risk": "low"}
    )
    assert response.status_code == 201
    requester_api, _ = api_as(user=cm.requester)
    assert requester_api.get("/api/v1/change-templates/").status_code == 403
