"""The REST contract for the catalogue, requests, their tasks and approvals (API.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_catalog.choices import State, TaskState
from requests_catalog.models import CatalogItem
from tests.factories import UserFactory
from tests.requests_catalog.conftest import GOOD_LAPTOP
from tests.requests_catalog.factories import CatalogItemFactory, submit

pytestmark = pytest.mark.django_db


def test_catalogue_items_carry_the_contract_fields(api_as, cat):
    api, _ = api_as(user=cat.requester)
    response = api.get("/api/v1/catalog/items/?ordering=name")
    assert response.status_code == 200
    laptop = next(i for i in response.json()["results"] if i["name"] == "Laptop")
    assert laptop["requires_approval"] is True and laptop["is_automated"] is False
    assert [f["name"] for f in laptop["form"]] == ["model", "reason", "needs_dock", "dock_site"]
    assert laptop["form"][3]["show_if"] == {"field": "needs_dock", "equals": True}
    assert laptop["category"] == cat.laptop.category_id
    assert "webhook_secret" not in laptop


def test_items_limited_to_a_group_are_invisible_to_others(api_as, cat):
    from django.contrib.auth.models import Group

    finance = Group.objects.create(name="finance")
    CatalogItemFactory(name="Budget tool licence").visible_to.add(finance)
    api, _ = api_as(user=cat.requester)
    names = [i["name"] for i in api.get("/api/v1/catalog/items/").json()["results"]]
    assert "Budget tool licence" not in names
    cat.requester.groups.add(finance)
    names = [i["name"] for i in api.get("/api/v1/catalog/items/").json()["results"]]
    assert "Budget tool licence" in names


def test_submit_a_request_and_read_it_back(api_as, cat):
    api, _ = api_as(user=cat.requester)
    response = api.post("/api/v1/requests/", {"item": cat.laptop.pk, "answers": GOOD_LAPTOP}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("REQ")
    assert body["state"] == State.AWAITING_APPROVAL
    assert body["requester"] == cat.requester.pk
    assert body["answers"] == {"model": "developer", "reason": GOOD_LAPTOP["reason"], "needs_dock": False}
    assert body["approvals"][0]["steps"][0]["state"] == "pending"
    assert {c["kind"] for c in body["sla"]} == {"response", "resolution"}
    assert body["submitted_at"].endswith("Z") or "+00:00" in body["submitted_at"]


def test_bad_answers_answer_400_naming_each_question(api_as, cat):
    api, _ = api_as(user=cat.requester)
    response = api.post(
        "/api/v1/requests/",
        {"item": cat.laptop.pk, "answers": {"model": 7, "reason": "", "colour": "red", "dock_site": "B2"}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["answers"]
    assert set(errors) == {"model", "reason", "colour", "dock_site"}  # wrong type, required, unknown, hidden
    assert not cat.laptop.requests.exists()


@pytest.mark.parametrize("answers", ["not an object", ["model"], None])
def test_answers_that_are_not_an_object_are_refused(api_as, cat, answers):
    api, _ = api_as(user=cat.requester)
    response = api.post("/api/v1/requests/", {"item": cat.mouse.pk, "answers": answers}, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()


def test_unknown_item_is_a_400_not_a_500(api_as, cat):
    api, _ = api_as(user=cat.requester)
    response = api.post("/api/v1/requests/", {"item": 999999, "answers": {}}, format="json")
    assert response.status_code == 400 and "item" in response.json()


def test_requesters_see_only_their_own_requests(api_as, cat):
    mine = submit(actor=cat.requester, item=cat.mouse)
    other = submit(actor=UserFactory(), item=cat.mouse)
    api, _ = api_as(user=cat.requester)
    numbers = [r["number"] for r in api.get("/api/v1/requests/").json()["results"]]
    assert numbers == [mine.number]
    assert api.get(f"/api/v1/requests/{other.pk}/").status_code == 404
    agent_api, _ = api_as(user=cat.agent)
    assert agent_api.get("/api/v1/requests/").json()["count"] == 2


def test_the_line_manager_sees_and_approves_through_the_api(api_as, cat, django_capture_on_commit_callbacks):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    api, _ = api_as(user=cat.boss)
    assert api.get(f"/api/v1/requests/{request.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/requests/{request.pk}/approvals/", {"decision": "approved"}, format="json"
        )
    assert response.status_code == 201
    body = api.get(f"/api/v1/requests/{request.pk}/").json()
    assert body["state"] == State.FULFILLING
    assert [t["state"] for t in body["tasks"]] == [TaskState.OPEN, TaskState.PENDING, TaskState.PENDING]


def test_a_rejection_needs_a_reason(api_as, cat):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    api, _ = api_as(user=cat.boss)
    response = api.post(f"/api/v1/requests/{request.pk}/approvals/", {"decision": "rejected"}, format="json")
    assert response.status_code == 400 and "comment" in response.json()


def test_agents_work_tasks_through_the_api_until_fulfilled(api_as, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    api, _ = api_as(user=cat.agent)
    tasks = api.get("/api/v1/request-tasks/?queue=teams").json()["results"]
    assert [t["request_number"] for t in tasks] == [request.number]
    task = tasks[0]
    response = api.post(
        f"/api/v1/request-tasks/{task['id']}/transition/", {"state": "in_progress"}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"] == cat.agent.pk
    stale = api.post(
        f"/api/v1/request-tasks/{task['id']}/transition/",
        {"state": "done"},
        format="json",
        HTTP_IF_MATCH=str(task["version"]),
    )
    assert stale.status_code == 409
    done = api.post(
        f"/api/v1/request-tasks/{task['id']}/transition/",
        {"state": "done", "notes": "Delivered"},
        format="json",
    )
    assert done.status_code == 200
    assert api.get(f"/api/v1/requests/{request.pk}/").json()["state"] == State.FULFILLED


def test_task_answers_show_only_what_the_template_names(api_as, cat, django_capture_on_commit_callbacks):
    from approvals.services import approval_decide
    from requests_catalog.fulfilment import task_transition

    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(request=request.approval_requests.get(), approver=cat.boss, decision="approved")
    task_transition(actor=cat.agent, task=request.tasks.get(title="Order the laptop"), state="done")
    api, _ = api_as(user=cat.agent)
    tasks = {t["title"]: t for t in api.get(f"/api/v1/request-tasks/?request={request.pk}").json()["results"]}
    assert tasks["Book delivery"]["answers"] == {"model": "developer"}
    assert "reason" in tasks["Install the image"]["answers"]


def test_requesters_cannot_use_the_task_api(api_as, cat):
    api, _ = api_as(user=cat.requester)
    assert api.get("/api/v1/request-tasks/").status_code == 403


def test_refused_transition_names_state(api_as, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    api, _ = api_as(user=cat.agent)
    response = api.post(f"/api/v1/requests/{request.pk}/transition/", {"state": "closed"}, format="json")
    assert response.status_code == 400 and "state" in response.json()
    response = api.post(f"/api/v1/requests/{request.pk}/transition/", {"state": "nonsense"}, format="json")
    assert response.status_code == 400 and "state" in response.json()


def test_requester_withdraws_own_request(api_as, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    api, _ = api_as(user=cat.requester)
    response = api.post(
        f"/api/v1/requests/{request.pk}/transition/",
        {"state": "cancelled", "reason": "Found one"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == State.CANCELLED


def test_comments_hide_internal_notes_from_the_requester(api_as, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    agent_api, _ = api_as(user=cat.agent)
    agent_api.post(
        f"/api/v1/requests/{request.pk}/comments/",
        {"body": "Ordering from vendor X", "is_internal": True},
        format="json",
    )
    agent_api.post(f"/api/v1/requests/{request.pk}/comments/", {"body": "It is on its way"}, format="json")
    api, _ = api_as(user=cat.requester)
    bodies = [c["body"] for c in api.get(f"/api/v1/requests/{request.pk}/comments/").json()["results"]]
    assert bodies == ["It is on its way"]


def test_catalogue_managers_write_items_and_bad_forms_are_refused(api_as, cat):
    api, _ = api_as(user=cat.manager)
    bad = api.post(
        "/api/v1/catalog/items/",
        {
            "name": "Monitor",
            "category": cat.laptop.category_id,
            "fulfilment_team": cat.desk.pk,
            "form": [{"name": "size", "label": "Size", "type": "choice"}],
        },
        format="json",
    )
    assert bad.status_code == 400 and "form" in bad.json()
    assert not CatalogItem.objects.filter(name="Monitor").exists()
    good = api.post(
        "/api/v1/catalog/items/",
        {
            "name": "Monitor",
            "category": cat.laptop.category_id,
            "fulfilment_team": cat.desk.pk,
            "form": [
                {"name": "size", "label": "Size", "type": "choice", "choices": ["24", "27"], "required": True}
            ],
        },
        format="json",
    )
    assert good.status_code == 201, good.json()
    item_id = good.json()["id"]
    version = good.json()["version"]
    api.patch(f"/api/v1/catalog/items/{item_id}/", {"delivery_hours": 48}, format="json")
    stale = api.patch(
        f"/api/v1/catalog/items/{item_id}/", {"delivery_hours": 72}, format="json", HTTP_IF_MATCH=str(version)
    )
    assert stale.status_code == 409
    plan = api.put(
        f"/api/v1/catalog/items/{item_id}/task-templates/",
        [{"step": 1, "title": "Hand it over", "team": cat.desk.pk, "visible_fields": ["size"]}],
        format="json",
    )
    assert plan.status_code == 200 and plan.json()["task_templates"][0]["title"] == "Hand it over"
    requester_api, _ = api_as(user=cat.requester)
    assert (
        requester_api.patch(f"/api/v1/catalog/items/{item_id}/", {"name": "x"}, format="json").status_code
        == 403
    )


def test_request_list_costs_the_same_queries_for_more_rows(api_as, cat):
    api, _ = api_as(user=cat.agent)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/requests/?page_size=50").status_code == 200
        return len(ctx.captured_queries)

    submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    few = count()
    for _ in range(6):
        submit(actor=UserFactory(), item=cat.mouse)
        submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    assert count() == few


def test_task_queue_costs_the_same_queries_for_more_rows(api_as, cat):
    api, _ = api_as(user=cat.agent)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/request-tasks/?queue=teams").status_code == 200
        return len(ctx.captured_queries)

    submit(actor=cat.requester, item=cat.mouse)
    few = count()
    for _ in range(6):
        submit(actor=UserFactory(), item=cat.mouse)
    assert count() == few


def test_assigning_a_task_to_an_unknown_user_names_the_field(api_as, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    api, _ = api_as(user=cat.agent)
    task = request.tasks.get()
    response = api.post(f"/api/v1/request-tasks/{task.pk}/assign/", {"assignee": 999999}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    response = api.post(
        f"/api/v1/request-tasks/{task.pk}/assign/", {"assignee": cat.requester.pk}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()  # requesters do not work tasks
    response = api.post(f"/api/v1/request-tasks/{task.pk}/assign/", {"assignee": cat.agent.pk}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == cat.agent.pk
