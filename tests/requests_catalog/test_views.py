"""Portal and agent pages: ordering with errors beside the questions, approvals, tasks, the form editor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_catalog.choices import State, TaskState
from tests.factories import UserFactory
from tests.requests_catalog.conftest import GOOD_LAPTOP
from tests.requests_catalog.factories import CatalogItemFactory, submit

pytestmark = pytest.mark.django_db


def test_portal_catalogue_lists_and_searches_items_in_both_languages(client, cat):
    cat.laptop.name_zh = "笔记本电脑"
    cat.laptop.keywords = "notebook computer"
    cat.laptop.save()
    client.force_login(cat.requester)
    page = client.get("/portal/catalogue/").content.decode()
    assert "Laptop" in page and "Mouse" in page
    found = client.get("/portal/catalogue/", {"q": "notebook"}).content.decode()
    assert "Laptop" in found and "Mouse" not in found
    found = client.get("/portal/catalogue/", {"q": "笔记本"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "笔记本电脑" in found


def test_order_form_shows_errors_beside_questions_and_keeps_what_was_typed(client, cat):
    client.force_login(cat.requester)
    response = client.post(
        f"/portal/catalogue/{cat.laptop.pk}/", {"q-model": "developer", "q-reason": "too short"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "At least 10" in page  # beside the reason
    assert "too short" in page  # what the user typed is still there
    assert (
        'value="developer" selected' in page
        or 'selected value="developer"' in page
        or 'developer" selected' in page
    )
    assert not cat.laptop.requests.exists()


def test_order_ignores_hidden_questions_and_creates_the_request(client, cat):
    client.force_login(cat.requester)
    response = client.post(
        f"/portal/catalogue/{cat.laptop.pk}/",
        {
            "q-model": "standard",
            "q-reason": "Starting on Monday in sales",
            "q-dock_site": "ignored, box unticked",
        },
    )
    assert response.status_code == 302
    request = cat.laptop.requests.get()
    assert request.answers == {
        "model": "standard",
        "reason": "Starting on Monday in sales",
        "needs_dock": False,
    }
    assert response["Location"] == f"/portal/requests/{request.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert request.number in detail and "Awaiting approval" in detail


def test_conditional_question_is_required_when_shown(client, cat):
    client.force_login(cat.requester)
    response = client.post(
        f"/portal/catalogue/{cat.laptop.pk}/",
        {"q-model": "standard", "q-reason": "Starting on Monday in sales", "q-needs_dock": "on"},
    )
    assert response.status_code == 400
    assert "This question is required." in response.content.decode()


def test_an_item_the_user_may_not_order_is_a_404(client, cat):
    from django.contrib.auth.models import Group

    secret = CatalogItemFactory()
    secret.visible_to.add(Group.objects.create(name="finance"))
    client.force_login(cat.requester)
    assert client.get(f"/portal/catalogue/{secret.pk}/").status_code == 404


def test_others_cannot_open_a_request_page(client, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    client.force_login(UserFactory())
    assert client.get(f"/portal/requests/{request.pk}/").status_code == 404
    assert client.get(f"/requests/{request.pk}/").status_code == 404


def test_line_manager_approves_in_the_portal(client, cat, django_capture_on_commit_callbacks):
    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    client.force_login(cat.boss)
    page = client.get("/portal/approvals/").content.decode()
    assert request.number in page and "developer" in page
    step = request.approval_requests.get().steps.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/portal/approvals/{step.pk}/decide/", {"decision": "approved"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.FULFILLING
    assert request.number not in client.get("/portal/approvals/").content.decode()


def test_agent_completes_tasks_from_the_task_queue(client, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    client.force_login(cat.agent)
    page = client.get("/requests/tasks/").content.decode()
    assert request.number in page
    task = request.tasks.get()
    client.post(
        f"/requests/tasks/{task.pk}/", {"state": "in_progress", "version": task.version, "next": "tasks"}
    )
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS
    response = client.post(
        f"/requests/tasks/{task.pk}/", {"state": "done", "version": task.version, "notes": "Delivered"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.FULFILLED
    detail = client.get(f"/requests/{request.pk}/").content.decode()
    assert "Delivered" in detail and "Fulfilled" in detail


def test_a_stale_task_action_says_so_instead_of_overwriting(client, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    task = request.tasks.get()
    client.force_login(cat.agent)
    client.post(f"/requests/tasks/{task.pk}/", {"state": "in_progress", "version": task.version})
    response = client.post(
        f"/requests/tasks/{task.pk}/", {"state": "done", "version": task.version}, follow=True
    )
    assert "Someone else changed this meanwhile" in response.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS


def test_requesters_cannot_open_agent_pages(client, cat):
    client.force_login(cat.requester)
    assert client.get("/requests/").status_code == 403
    assert client.get("/requests/tasks/").status_code == 403
    assert client.get("/catalogue/manage/").status_code == 403


def test_request_queue_costs_the_same_queries_for_more_rows(client, cat):
    client.force_login(cat.agent)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/requests/").status_code == 200
        return len(ctx.captured_queries)

    submit(actor=cat.requester, item=cat.mouse)
    few = count()
    for _ in range(5):
        submit(actor=UserFactory(), item=cat.mouse)
        submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    assert count() == few


def test_form_editor_saves_questions_and_previews_them(client, cat):
    client.force_login(cat.manager)
    page = client.get(f"/catalogue/manage/{cat.mouse.pk}/form/")
    assert page.status_code == 200
    data = {
        "fields-TOTAL_FORMS": "2",
        "fields-INITIAL_FORMS": "0",
        "fields-0-name": "hand",
        "fields-0-label": "Which hand?",
        "fields-0-label_zh": "左手还是右手？",
        "fields-0-type": "choice",
        "fields-0-required": "on",
        "fields-0-choices": "left|Left|左手\nright|Right|右手",
        "fields-0-ORDER": "1",
        "fields-1-name": "wireless",
        "fields-1-label": "Wireless",
        "fields-1-type": "checkbox",
        "fields-1-ORDER": "2",
        "save": "1",
        "version": str(cat.mouse.version),
    }
    response = client.post(f"/catalogue/manage/{cat.mouse.pk}/form/", data)
    assert response.status_code == 302
    cat.mouse.refresh_from_db()
    assert [f["name"] for f in cat.mouse.form] == ["hand", "wireless"]
    assert cat.mouse.form[0]["choices"][1] == {"value": "right", "label": "Right", "label_zh": "右手"}
    preview = client.get(f"/catalogue/manage/{cat.mouse.pk}/form/").content.decode()
    assert "Which hand?" in preview and 'name="q-hand"' in preview


def test_form_editor_refuses_a_broken_definition_and_keeps_the_old_form(client, cat):
    client.force_login(cat.manager)
    data = {
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-name": "size",
        "fields-0-label": "Size",
        "fields-0-type": "choice",
        "save": "1",
    }
    response = client.post(f"/catalogue/manage/{cat.laptop.pk}/form/", data)
    assert response.status_code == 400
    assert "size" in response.content.decode()
    cat.laptop.refresh_from_db()
    assert [f["name"] for f in cat.laptop.form] == ["model", "reason", "needs_dock", "dock_site"]


def test_item_settings_page_saves_the_fulfilment_plan(client, cat):
    client.force_login(cat.manager)
    assert client.get(f"/catalogue/manage/{cat.mouse.pk}/").status_code == 200
    data = {
        "category": cat.mouse.category_id,
        "name": "Mouse",
        "priority": 4,
        "delivery_hours": 8,
        "approval": "none",
        "automation": "none",
        "fulfilment_team": cat.desk.pk,
        "order": 1,
        "is_active": "on",
        "version": cat.mouse.version,
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-step": "1",
        "tasks-0-title": "Pick from stock",
        "tasks-0-team": cat.hardware.pk,
        "tasks-1-step": "1",
        "tasks-1-title": "",
    }
    response = client.post(f"/catalogue/manage/{cat.mouse.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cat.mouse.refresh_from_db()
    assert cat.mouse.delivery_hours == 8
    assert [t.title for t in cat.mouse.task_templates.all()] == ["Pick from stock"]


def test_catalogue_managers_see_every_item_with_its_form_size(client, cat):
    client.force_login(cat.manager)
    page = client.get("/catalogue/manage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/catalogue/manage/{cat.laptop.pk}/form/" in html and "Mouse" in html


def test_answers_show_people_in_their_own_name_order(client, cat, make_user):
    from tests.requests_catalog.factories import CatalogItemFactory

    colleague = make_user("requester", first_name="芳", last_name="王")
    item = CatalogItemFactory(form=[{"name": "who", "label": "For whom", "type": "user", "required": True}])
    request = submit(actor=cat.requester, item=item, answers={"who": colleague.pk})
    client.force_login(cat.requester)
    assert "王芳" in client.get(f"/portal/requests/{request.pk}/").content.decode()


def test_mark_fulfilled_is_offered_only_when_no_task_is_open(client, cat):
    from requests_catalog.fulfilment import task_transition

    request = submit(actor=cat.requester, item=cat.mouse)
    client.force_login(cat.agent)
    assert "Mark fulfilled" not in client.get(f"/requests/{request.pk}/").content.decode()
    task_transition(actor=cat.agent, task=request.tasks.get(), state="cancelled", notes="Ordered elsewhere")
    request.refresh_from_db()
    assert request.state == State.FULFILLED  # nothing left to do: fulfilled on its own
    assert "Mark fulfilled" not in client.get(f"/requests/{request.pk}/").content.decode()


def test_delivery_promise_reads_in_days_for_long_items(client, cat):
    cat.laptop.delivery_hours = 72
    cat.laptop.save()
    cat.mouse.delivery_hours = 4
    cat.mouse.save()
    client.force_login(cat.requester)
    page = client.get("/portal/catalogue/").content.decode()
    assert "Usually ready within 3 days" in page and "Usually ready within 4 hours" in page


def test_catalogue_managers_add_and_nest_categories(client, cat):
    from requests_catalog.models import CatalogCategory

    client.force_login(cat.manager)
    assert client.get("/catalogue/manage/categories/").status_code == 200
    response = client.post(
        "/catalogue/manage/categories/",
        {"name": "Hardware", "name_zh": "硬件", "icon": "🖥", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    hardware = CatalogCategory.objects.get(name="Hardware")
    client.post(
        "/catalogue/manage/categories/",
        {"name": "Monitors", "parent": hardware.pk, "order": 2, "is_active": "on"},
    )
    monitors = CatalogCategory.objects.get(name="Monitors")
    assert monitors.parent == hardware
    # Putting a category under its own child is refused, and nothing changes.
    response = client.post(
        f"/catalogue/manage/categories/{hardware.pk}/",
        {"name": "Hardware", "parent": monitors.pk, "order": 1},
    )
    assert response.status_code == 400 and "cannot sit under itself" in response.content.decode()
    hardware.refresh_from_db()
    assert hardware.parent is None


def test_requesters_cannot_manage_categories(client, cat):
    client.force_login(cat.requester)
    assert client.get("/catalogue/manage/categories/").status_code == 403


def test_my_approvals_costs_the_same_queries_for_more_requests(client, cat, make_user):
    from accounts.models import Profile

    item = CatalogItemFactory(
        approval="line_manager",
        fulfilment_team=cat.desk,
        form=[
            {"name": "who", "label": "For whom", "type": "user", "required": True},
            {"name": "svc", "label": "Service", "type": "service"},
        ],
    )
    from tests.org.factories import ServiceFactory

    service = ServiceFactory()

    def order():
        someone = make_user("requester")
        Profile.objects.update_or_create(user=someone, defaults={"manager": cat.boss})
        submit(actor=someone, item=item, answers={"who": make_user("requester").pk, "svc": service.pk})

    client.force_login(cat.boss)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/portal/approvals/").status_code == 200
        return len(ctx.captured_queries)

    order()
    few = count()
    for _ in range(4):
        order()
    assert count() == few


def test_category_api_refuses_a_cycle(api_as, cat):
    from requests_catalog.models import CatalogCategory

    api, _ = api_as(user=cat.manager)
    parent = api.post("/api/v1/catalog/categories/", {"name": "Hardware"}, format="json").json()
    child = api.post(
        "/api/v1/catalog/categories/", {"name": "Monitors", "parent": parent["id"]}, format="json"
    )
    assert child.status_code == 201
    response = api.patch(
        f"/api/v1/catalog/categories/{parent['id']}/", {"parent": child.json()["id"]}, format="json"
    )
    assert response.status_code == 400 and "parent" in response.json()
    assert CatalogCategory.objects.get(pk=parent["id"]).parent is None


def test_django_admin_shows_but_does_not_change_the_catalogue(client, cat, make_user):
    client.force_login(make_user("staff", is_superuser=True))
    assert client.get(f"/admin/requests_catalog/catalogitem/{cat.laptop.pk}/change/").status_code == 200
    response = client.post(f"/admin/requests_catalog/catalogitem/{cat.laptop.pk}/change/", {"name": "Hacked"})
    assert response.status_code == 403
    cat.laptop.refresh_from_db()
    assert cat.laptop.name == "Laptop"


def test_a_garbled_action_says_so_instead_of_doing_nothing(client, cat):
    request = submit(actor=cat.requester, item=cat.mouse)
    task = request.tasks.get()
    client.force_login(cat.agent)
    response = client.post(f"/requests/tasks/{task.pk}/", {"state": "done", "version": "x"}, follow=True)
    assert "The action was not done" in response.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    response = client.post(f"/requests/{request.pk}/transition/", {"reason": "no state"}, follow=True)
    assert "The action was not done" in response.content.decode()


def test_a_line_managers_email_link_opens_in_the_portal_and_returns_there(
    client, cat, django_capture_on_commit_callbacks
):
    from core.models import Notification
    from requests_catalog.choices import State

    request = submit(actor=cat.requester, item=cat.laptop, answers=GOOD_LAPTOP)
    link = Notification.objects.get(recipient=cat.boss, event="approval.requested").link
    client.force_login(cat.boss)  # a business user, not an agent
    html = client.get(link).content.decode()
    assert 'class="topbar topbar--portal"' in html and 'class="sidebar"' not in html
    assert 'href="/portal/approvals/"' in html  # not the agents' request page, which they cannot open
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"decision": "approved", "comment": ""})
    assert response.status_code == 302 and response["Location"] == "/portal/approvals/"
    request.refresh_from_db()
    assert request.state == State.FULFILLING
