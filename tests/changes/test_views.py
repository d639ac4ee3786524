import pytest

from changes.services import change_create
from tests.changes.conftest import freeze, normal, to_authorize

pytestmark = pytest.mark.django_db


def test_requesters_get_404_on_change_pages(client, cm):
    change = normal(cm)
    client.force_login(cm.requester)
    for url in ("/changes/", f"/changes/{change.pk}/", "/changes/calendar/", "/changes/new/"):
        assert client.get(url).status_code == 404, url


def test_list_filters_and_detail_show_conflicts_and_actions(client, cm):
    a = normal(cm, title="Mail upgrade")
    normal(cm, title="Mail patch", start=24.5)
    client.force_login(cm.agent)
    page = client.get("/changes/", {"q": "upgrade"})
    assert page.status_code == 200 and b"Mail upgrade" in page.content and b"Mail patch" not in page.content
    detail = client.get(f"/changes/{a.pk}/").content.decode()
    assert "Overlaps" in detail and "Submit for assessment" in detail
    response = client.post(f"/changes/{a.pk}/transition/", {"state": "closed", "version": a.version})
    assert response.status_code == 400 and "cannot move" in response.content.decode()


def test_raise_standard_change_from_the_form(client, cm):
    client.force_login(cm.agent)
    assert b"Standard change" in client.get("/changes/new/").content
    assert b"Restart application pool" in client.get("/changes/new/?type=standard").content
    response = client.post("/changes/new/", {"type": "standard", "template": cm.template.pk})
    assert response.status_code == 302
    assert b"Scheduled" in client.get(response["Location"]).content


def test_normal_form_refuses_a_freeze_beside_planned_start(client, cm):
    freeze(start=0, length=48)
    client.force_login(cm.agent)
    response = client.post(
        "/changes/new/",
        {
            "type": "normal",
            "title": "x",
            "risk": "low",
            "services": [cm.mail.pk],
            "planned_start": "2026-03-03T10:00",
            "planned_end": "2026-03-03T11:00",
        },
    )
    assert response.status_code == 200 and b"Year-end" in response.content


def test_cab_approves_on_the_detail_page(client, cm, django_capture_on_commit_callbacks):
    change = to_authorize(cm, normal(cm, risk="high"))
    client.force_login(cm.cab)
    assert b"Approve" not in client.get(f"/changes/{change.pk}/").content  # manager step first
    client.force_login(cm.manager)
    step = change.approval_requests.get().steps.get(name="Change manager")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/approvals/steps/{step.pk}/decide/", {"decision": "approved"})
    client.force_login(cm.cab)
    page = client.get(f"/changes/{change.pk}/").content.decode()
    assert "Approve" in page
    cab_step = change.approval_requests.get().steps.get(name="CAB")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/approvals/steps/{cab_step.pk}/decide/",
            {"decision": "approved", "next": f"/changes/{change.pk}/"},
        )
    change.refresh_from_db()
    assert change.state == "scheduled"


def test_calendar_month_and_week_show_blocks_freezes_and_conflicts(client, cm):
    a = normal(cm, start=24, length=2)
    normal(cm, start=25, length=2)
    freeze(name="Quarter close", start=200, length=24)
    client.force_login(cm.agent)
    month = client.get("/changes/calendar/", {"date": "2026-03-02"}).content.decode()
    assert a.number in month and "Quarter close" in month and "change-calendar__block--conflict" in month
    assert "date=2026-02-01" in month and "date=2026-04-01" in month
    week = client.get("/changes/calendar/", {"view": "week", "date": "2026-03-03"}).content.decode()
    assert a.number in week and "date=2026-03-09" in week
    assert client.get("/changes/calendar/", {"date": "garbage"}).status_code == 200


def test_catalogue_is_for_change_managers(client, cm):
    change_create(actor=cm.agent, type="standard", title="", template=cm.template)
    client.force_login(cm.agent)
    assert client.get("/changes/catalogue/").status_code == 403
    client.force_login(cm.manager)
    page = client.get("/changes/catalogue/")
    assert page.status_code == 200 and b"Restart application pool" in page.content


def test_edit_saves_through_the_service_and_refuses_stale_versions(client, cm):
    change = normal(cm, title="Old title")
    client.force_login(cm.agent)
    page = client.get(f"/changes/{change.pk}/edit/")
    assert page.status_code == 200 and b"Old title" in page.content
    form = {
        "title": "New title",
        "implementation_plan": "Do it.",
        "backout_plan": "Undo it.",
        "risk": "medium",
        "services": [cm.mail.pk],
        "planned_start": "2026-03-03T09:00",
        "planned_end": "2026-03-03T10:00",
        "version": change.version,
    }
    assert client.post(f"/changes/{change.pk}/edit/", form).status_code == 302
    change.refresh_from_db()
    assert (change.title, change.risk) == ("New title", "medium")
    stale = client.post(f"/changes/{change.pk}/edit/", {**form, "title": "Again"})
    assert stale.status_code == 200 and b"Someone else changed" in stale.content


def test_workspace_home_shows_the_changes_widget(client, cm):
    to_authorize(cm, normal(cm))
    client.force_login(cm.manager)
    page = client.get("/workspace/").content.decode()
    assert "Approvals waiting for me" in page


def test_list_page_costs_a_fixed_number_of_queries(client, cm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cm.agent)
    normal(cm, cis=[cm.mail_ci])
    with CaptureQueriesContext(connection) as first:
        client.get("/changes/")
    for hours in range(30, 80, 5):
        to_authorize(cm, normal(cm, start=hours, cis=[cm.mail_ci]))
    with CaptureQueriesContext(connection) as second:
        client.get("/changes/")
    assert len(second.captured_queries) == len(first.captured_queries)


def test_schedule_by_hand_is_offered_only_once_approved(client, cm):
    change = to_authorize(cm, normal(cm))
    client.force_login(cm.agent)
    page = client.get(f"/changes/{change.pk}/").content.decode()
    assert 'value="scheduled"' not in page and 'value="cancelled"' in page


def test_change_managers_add_templates_in_the_catalogue(client, cm):
    client.force_login(cm.agent)
    assert client.get("/changes/catalogue/new/").status_code == 403
    client.force_login(cm.manager)
    form = {
        "name": "Renew TLS certificate",
        "risk": "medium",
        "duration_minutes": 60,
        "allowed_windows": '[{"weekday": 8, "start": "20:00", "end": "22:00"}]',
        "services": [cm.mail.pk],
        "is_active": "on",
    }
    response = client.post("/changes/catalogue/new/", form)
    assert response.status_code == 200 and b"weekday" in response.content
    form["allowed_windows"] = '[{"weekday": 4, "start": "20:00", "end": "22:00"}]'
    assert client.post("/changes/catalogue/new/", form).status_code == 302
    from changes.models import ChangeTemplate

    template = ChangeTemplate.objects.get(name="Renew TLS certificate")
    assert template.owner == cm.manager and list(template.services.all()) == [cm.mail]
    from core.models import AuditRecord

    assert AuditRecord.objects.filter(object_repr="Renew TLS certificate", action="create").exists()
    edit = client.get(f"/changes/catalogue/{template.pk}/edit/")
    assert edit.status_code == 200 and b"Renew TLS certificate" in edit.content
