"""Admin pages (calendars, policies, recompute preview) and the ticket-page partials."""

from datetime import time

import time_machine
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import AuditRecord
from sla import services
from sla.models import BusinessCalendar, SlaClock
from sla.selectors import sla_clock_data, sla_clocks_for
from tests.sla.conftest import sh
from tests.sla.factories import EscalationRuleFactory

MON_9 = sh(2026, 3, 2, 9)


def inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def calendar_form(name, hours, **extra):
    return {
        "name": name,
        "timezone": "Asia/Shanghai",
        **extra,
        **inline("hours", hours),
        **inline("holidays", [{"date": "2026-10-01", "name": "National Day"}]),
        **inline("workdays", [{"date": "2026-10-10", "name": "Make-up"}]),
    }


def test_admin_creates_a_calendar_with_its_rows_and_audits_them(client, make_user):
    client.force_login(make_user("staff"))
    hours = [
        {"weekday": "0", "start": "09:00", "end": "12:00"},
        {"weekday": "0", "start": "13:00", "end": "18:00"},
    ]
    response = client.post("/admin/sla/businesscalendar/add/", calendar_form("Office", hours))
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar = BusinessCalendar.objects.get(name="Office")
    assert calendar.hours.count() == 2 and calendar.holidays.count() == 1 and calendar.workdays.count() == 1
    record = AuditRecord.objects.get(action="create")
    assert "Monday 09:00–12:00" in record.changes["hours"][1]
    assert "2026-10-10" in record.changes["workdays"][1]


def test_admin_refuses_a_calendar_without_hours_or_with_overlaps(client, make_user):
    client.force_login(make_user("staff"))
    response = client.post("/admin/sla/businesscalendar/add/", calendar_form("Empty", []))
    assert response.status_code == 200
    assert "needs working hours" in response.content.decode()
    overlapping = [
        {"weekday": "0", "start": "09:00", "end": "13:00"},
        {"weekday": "0", "start": "12:00", "end": "18:00"},
    ]
    response = client.post("/admin/sla/businesscalendar/add/", calendar_form("Overlap", overlapping))
    assert "overlap" in response.content.decode()
    backwards = [{"weekday": "0", "start": "18:00", "end": "09:00"}]
    response = client.post("/admin/sla/businesscalendar/add/", calendar_form("Backwards", backwards))
    assert "The end must be after the start." in response.content.decode()
    assert not BusinessCalendar.objects.exists()
    response = client.post("/admin/sla/businesscalendar/add/", calendar_form("Always", [], is_24x7="on"))
    assert response.status_code == 302


def test_admin_recompute_preview_and_apply_from_the_change_view(client, make_user, office_policy, ticket):
    with time_machine.travel(MON_9, tick=False):
        services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None)
        office_policy.resolution_minutes = 120
        office_policy.save()
        client.force_login(make_user("staff"))
        change = client.get(f"/admin/sla/slapolicy/{office_policy.pk}/change/")
        url = f"/admin/sla/slapolicy/{office_policy.pk}/recompute/"
        assert url in change.content.decode()
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert str(ticket) in html and "Apply to 1 clock" in html
        response = client.post(url)
        assert response.status_code == 302
    assert SlaClock.objects.get(kind="resolution").target_seconds == 7200


def test_admin_recompute_list_action(client, make_user, office_policy, ticket):
    with time_machine.travel(MON_9, tick=False):
        services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None)
        office_policy.calendar.hours.filter(weekday=0, start=time(13)).delete()
        client.force_login(make_user("staff"))
        data = {"action": "recompute_preview_action", "_selected_action": [office_policy.calendar_id]}
        page = client.post("/admin/sla/businesscalendar/", data)
        assert page.status_code == 200 and "Apply to 1 clock" in page.content.decode()
        response = client.post("/admin/sla/businesscalendar/", {**data, "apply": "1"})
        assert response.status_code == 302
    # Monday afternoon is no longer worked: the 4 h resolution is due Tuesday 10:00.
    assert SlaClock.objects.get(kind="resolution").due_at == sh(2026, 3, 3, 10)


def test_recompute_pages_are_staff_only(client, make_user, office_policy):
    client.force_login(make_user("agent"))
    response = client.get(f"/admin/sla/slapolicy/{office_policy.pk}/recompute/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_clocks_partial_shows_each_clock_with_a_live_countdown(office_policy, ticket):
    services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None, at=MON_9)
    services.sla_clock_complete(ticket=ticket, kind="response", reason="answered", at=sh(2026, 3, 2, 9, 20))
    now = sh(2026, 3, 2, 12)
    clocks = [sla_clock_data(c, now=now) for c in sla_clocks_for(ticket=ticket)]
    with timezone.override("Asia/Shanghai"):
        html = render_to_string("sla/_clocks.html", {"clocks": clocks})
    assert "Office P3: Response" in html and "Office P3: Resolution" in html
    assert "Met" in html and "Running" in html
    assert html.count("data-due=") == 1  # only the counting clock counts down
    assert 'data-due="2026-03-02T14:00:00+08:00"' in html
    assert "sla/countdown.js" in html and "sla/sla.css" in html
    assert "3 h / 4 h" in html and "(75%)" in html
    assert "No service level applies." in render_to_string("sla/_clocks.html", {"clocks": []})


def test_clock_events_partial_explains_every_change(office_policy, ticket):
    EscalationRuleFactory(policy=office_policy, at_percent=75, action="notify_manager")
    services.sla_clocks_start(ticket=ticket, applies_to="incident", priority=3, service_id=None, at=MON_9)
    services.sla_clocks_pause(ticket=ticket, reason="on hold: awaiting vendor", at=sh(2026, 3, 2, 9, 50))
    services.sla_clocks_resume(ticket=ticket, reason="vendor answered", at=sh(2026, 3, 2, 11))
    services.sla_scan(now=sh(2026, 3, 2, 16))
    with timezone.override("Asia/Shanghai"):
        html = render_to_string("sla/_clock_events.html", {"clocks": sla_clocks_for(ticket=ticket)})
    for text in [
        "policy Office P3 on calendar Office, target 1 h.",
        "Reason: on hold: awaiting vendor",
        "Reason: vendor answered",
        "50% of the target reached",
        "Escalation at 75%: Notify the team manager.",
        "The target passed (1 h counted).",
        "Counting again from 50 min.",
    ]:
        assert text in html, text


def test_static_files_exist():
    assert finders.find("sla/countdown.js") and finders.find("sla/sla.css")


def test_durations_are_hours_and_minutes():
    from sla.templatetags.sla_tags import sla_duration

    assert [sla_duration(s) for s in (0, 59, 5400, 86400, -600, None)] == [
        "0 min",
        "0 min",
        "1 h 30 min",
        "24 h",
        "-10 min",
        "—",
    ]
