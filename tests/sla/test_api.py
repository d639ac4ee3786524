"""calendars/ and sla-policies/: everyone signed in reads, staff write, bad input names the field."""

from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditRecord
from sla import services
from sla.models import BusinessCalendar, SlaPolicy
from tests.org.factories import ServiceFactory, TeamFactory
from tests.sla.conftest import sh
from tests.sla.factories import (
    BusinessCalendarFactory,
    EscalationRuleFactory,
    HolidayFactory,
    MakeupWorkdayFactory,
    OfficeCalendarFactory,
    SlaPolicyFactory,
)

OFFICE_HOURS = [
    {"weekday": d, "start": start, "end": end}
    for d in range(5)
    for start, end in (("09:00", "12:00"), ("13:00", "18:00"))
]
CHINA = {
    "name": "China office hours",
    "timezone": "Asia/Shanghai",
    "is_24x7": False,
    "hours": OFFICE_HOURS,
    "holidays": [{"date": "2026-02-16", "name": "Spring Festival"}],
    "workdays": [{"date": "2026-02-14", "name": "Spring Festival make-up day"}],
}


def test_any_user_reads_calendars_and_policies(api_as):
    calendar = OfficeCalendarFactory(name="Office")
    HolidayFactory(calendar=calendar, date=date(2026, 5, 1), name="Labour Day")
    MakeupWorkdayFactory(calendar=calendar, date=date(2026, 5, 9), name="Make-up")
    SlaPolicyFactory(name="P1", priority=1, calendar=calendar)
    api, _ = api_as("requester")
    body = api.get("/api/v1/calendars/").json()
    assert body["count"] == 1
    office = body["results"][0]
    assert office["hours"][:2] == [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "13:00", "end": "18:00"},
    ]
    assert office["holidays"] == [{"date": "2026-05-01", "name": "Labour Day"}]
    assert office["workdays"] == [{"date": "2026-05-09", "name": "Make-up"}]
    policy = api.get("/api/v1/sla-policies/").json()["results"][0]
    assert policy == {
        "id": policy["id"],
        "name": "P1",
        "applies_to": "incident",
        "priority": 1,
        "service": None,
        "response_minutes": 60,
        "resolution_minutes": 240,
        "calendar": calendar.pk,
        "warn_at": [50, 75, 90],
        "is_active": True,
        "escalations": [],
    }


@pytest.mark.parametrize("role", ["requester", "agent", "manager"])
def test_only_staff_write(api_as, role):
    api, _ = api_as(role)
    assert api.post("/api/v1/calendars/", CHINA, format="json").status_code == 403
    calendar = BusinessCalendarFactory()
    policy = SlaPolicyFactory(calendar=calendar)
    assert api.patch(f"/api/v1/sla-policies/{policy.pk}/", {"response_minutes": 5}).status_code == 403
    assert api.post(f"/api/v1/sla-policies/{policy.pk}/recompute-preview/").status_code == 403
    assert api.post(f"/api/v1/calendars/{calendar.pk}/recompute/").status_code == 403
    assert api.delete(f"/api/v1/calendars/{calendar.pk}/").status_code == 403
    assert BusinessCalendar.objects.count() == 1


def test_anonymous_is_401(client, db):
    assert client.get("/api/v1/calendars/").status_code == 401


def test_staff_create_and_replace_a_calendar_with_its_rows(api_as):
    api, staff = api_as("staff")
    response = api.post("/api/v1/calendars/", CHINA, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["hours"]) == 10 and body["workdays"] == CHINA["workdays"]
    calendar = BusinessCalendar.objects.get()
    assert calendar.spec.hours[0] == [(time(9), time(12)), (time(13), time(18))]
    record = AuditRecord.objects.get(action="create")
    assert record.actor == staff and "Monday 09:00–12:00" in record.changes["hours"][1]
    # Nested rows are replaced as a whole; rows left out are left alone.
    response = api.patch(
        f"/api/v1/calendars/{calendar.pk}/",
        {"hours": [{"weekday": 5, "start": "10:00", "end": "00:00"}], "holidays": []},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["hours"] == [{"weekday": 5, "start": "10:00", "end": "00:00"}]
    assert response.json()["holidays"] == [] and len(response.json()["workdays"]) == 1
    update = AuditRecord.objects.get(action="update")
    assert set(update.changes) == {"hours", "holidays"}


def test_a_24x7_calendar_needs_no_hours(api_as):
    api, _ = api_as("staff")
    response = api.post(
        "/api/v1/calendars/", {"name": "24×7", "timezone": "UTC", "is_24x7": True}, format="json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"hours": [{"weekday": 0, "start": "18:00", "end": "09:00"}]}, "hours"),
        ({"hours": [{"weekday": 7, "start": "09:00", "end": "18:00"}]}, "hours"),
        ({"hours": [{"weekday": 0, "start": "9 o'clock", "end": "18:00"}]}, "hours"),
        (
            {
                "hours": [
                    {"weekday": 0, "start": "09:00", "end": "13:00"},
                    {"weekday": 0, "start": "12:00", "end": "18:00"},
                ]
            },
            "hours",
        ),
        ({"hours": []}, "hours"),
        ({"workdays": [{"date": "2026-02-16", "name": "a Monday"}]}, "workdays"),
        (
            {"workdays": [{"date": "2026-02-15", "name": "clash"}], "holidays": [{"date": "2026-02-15"}]},
            "workdays",
        ),
        ({"holidays": [{"date": "2026-02-16"}, {"date": "2026-02-16"}]}, "holidays"),
        ({"name": "OFFICE"}, "name"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_calendar_input_is_a_400_naming_the_field(api_as, change, field):
    BusinessCalendarFactory(name="Office")
    api, _ = api_as("staff")
    response = api.post("/api/v1/calendars/", {**CHINA, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert BusinessCalendar.objects.count() == 1


def test_staff_create_a_policy_with_escalations(api_as):
    api, _ = api_as("staff")
    calendar, service, team = BusinessCalendarFactory(), ServiceFactory(), TeamFactory()
    payload = {
        "name": "P1 VPN",
        "applies_to": "incident",
        "priority": 1,
        "service": service.pk,
        "response_minutes": 15,
        "resolution_minutes": 240,
        "calendar": calendar.pk,
        "warn_at": [50, 80],
        "escalations": [
            {"at_percent": 75, "action": "notify_manager"},
            {"at_percent": 90, "action": "reassign", "team": team.pk},
        ],
    }
    response = api.post("/api/v1/sla-policies/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warn_at"] == [50, 80] and body["is_active"] is True
    assert body["escalations"] == [
        {"at_percent": 75, "action": "notify_manager", "team": None},
        {"at_percent": 90, "action": "reassign", "team": team.pk},
    ]
    policy = SlaPolicy.objects.get()
    response = api.patch(f"/api/v1/sla-policies/{policy.pk}/", {"escalations": []}, format="json")
    assert response.json()["escalations"] == [] and not policy.escalations.exists()
    # Without warn_at the defaults apply.
    payload.update(name="P2", warn_at=None)
    del payload["warn_at"]
    assert api.post("/api/v1/sla-policies/", payload, format="json").json()["warn_at"] == [50, 75, 90]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"warn_at": [75, 50]}, "warn_at"),
        ({"warn_at": [50, 50]}, "warn_at"),
        ({"warn_at": [0, 50]}, "warn_at"),
        ({"warn_at": [50, 100]}, "warn_at"),
        ({"warn_at": "50"}, "warn_at"),
        ({"priority": 6}, "priority"),
        ({"applies_to": "problem"}, "applies_to"),
        ({"response_minutes": 0}, "response_minutes"),
        ({"response_minutes": 600}, "response_minutes"),
        ({"calendar": 999999}, "calendar"),
        ({"escalations": [{"at_percent": 75, "action": "panic"}]}, "escalations"),
        ({"escalations": [{"at_percent": 101, "action": "notify_manager"}]}, "escalations"),
        ({"escalations": [{"at_percent": 90, "action": "reassign"}]}, "escalations"),
        ({"name": "existing"}, "name"),
    ],
)
def test_bad_policy_input_is_a_400_naming_the_field(api_as, change, field):
    calendar = BusinessCalendarFactory()
    SlaPolicyFactory(name="Existing", calendar=calendar)
    api, _ = api_as("staff")
    payload = {
        "name": "P3",
        "applies_to": "incident",
        "response_minutes": 60,
        "resolution_minutes": 480,
        "calendar": calendar.pk,
        **change,
    }
    response = api.post("/api/v1/sla-policies/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_filters_search_and_ordering(api_as):
    calendar = BusinessCalendarFactory()
    SlaPolicyFactory(name="Incident P1", priority=1, calendar=calendar)
    SlaPolicyFactory(name="Incident P2", priority=2, calendar=calendar)
    SlaPolicyFactory(name="Requests", applies_to="request", calendar=calendar)
    api, _ = api_as("agent")
    names = [
        p["name"]
        for p in api.get("/api/v1/sla-policies/?applies_to=incident&ordering=-priority").json()["results"]
    ]
    assert names == ["Incident P2", "Incident P1"]
    assert [p["name"] for p in api.get("/api/v1/sla-policies/?q=req").json()["results"]] == ["Requests"]
    assert api.get("/api/v1/sla-policies/?applies_to=problem").status_code == 400


def test_list_query_counts_do_not_grow_with_rows(api_as):
    api, _ = api_as("agent")

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        return len(ctx.captured_queries)

    def add_rows():
        calendar = OfficeCalendarFactory()
        HolidayFactory(calendar=calendar, date=date(2026, 1, 1))
        MakeupWorkdayFactory(calendar=calendar, date=date(2026, 1, 4))
        policy = SlaPolicyFactory(calendar=calendar, service=ServiceFactory())
        EscalationRuleFactory(policy=policy)

    add_rows()
    calendars, policies = count("/api/v1/calendars/"), count("/api/v1/sla-policies/")
    for _ in range(5):
        add_rows()
    assert count("/api/v1/calendars/") == calendars
    assert count("/api/v1/sla-policies/") == policies


def test_recompute_preview_and_apply_endpoints(api_as, office_policy, ticket):
    services.sla_clocks_start(
        ticket=ticket, applies_to="incident", priority=3, service_id=None, at=sh(2026, 3, 2, 9)
    )
    office_policy.resolution_minutes = 120
    office_policy.save()
    api, _ = api_as("staff")
    with time_machine.travel(sh(2026, 3, 2, 9, 30), tick=False):
        response = api.post(f"/api/v1/sla-policies/{office_policy.pk}/recompute-preview/")
        assert response.status_code == 200
        (row,) = response.json()
        assert (
            row["kind"] == "resolution" and row["new_target_seconds"] == 7200 and row["ticket"] == str(ticket)
        )
        assert row["new_due_at"] == "2026-03-02T03:00:00Z" and row["would_breach"] is False
        response = api.post(f"/api/v1/calendars/{office_policy.calendar_id}/recompute/")
        assert response.status_code == 200 and response.json() == {"recomputed": 1}
        assert api.post(f"/api/v1/sla-policies/{office_policy.pk}/recompute-preview/").json() == []


def test_deleting_what_is_in_use_is_refused_with_a_message(api_as, office_policy, ticket):
    services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None)
    api, _ = api_as("staff")
    response = api.delete(f"/api/v1/sla-policies/{office_policy.pk}/")
    assert response.status_code == 400 and "deactivate" in response.json()["non_field_errors"][0]
    response = api.delete(f"/api/v1/calendars/{office_policy.calendar_id}/")
    assert response.status_code == 400
    unused = BusinessCalendarFactory()
    assert api.delete(f"/api/v1/calendars/{unused.pk}/").status_code == 204
    assert AuditRecord.objects.filter(action="delete", object_repr=unused.name).exists()


def test_schema_lists_the_sla_endpoints(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/sla-policies/{id}/recompute-preview/" in schema.content
    assert b"/api/v1/calendars/" in schema.content
