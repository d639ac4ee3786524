import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.selectors import timeline_for
from core.services.timeline import timeline_comment_add, timeline_event
from tests.ticketapp.factories import SampleTicketFactory


def comment_url(ticket):
    ct = ContentType.objects.get_for_model(ticket).pk
    return reverse("ticket_comment_add", args=[ct, ticket.pk])


def test_requester_never_sees_internal_work_notes(make_user):
    agent = make_user("agent")
    ticket = SampleTicketFactory()
    timeline_comment_add(ticket=ticket, author=ticket.requester, body="It is broken again")
    timeline_comment_add(ticket=ticket, author=agent, body="Vendor contract expired", is_internal=True)
    timeline_event(ticket=ticket, code="reassigned", actor=agent, text="Moved to Network", internal=True)

    seen_by_requester = [e.body for e in timeline_for(ticket=ticket, user=ticket.requester)]
    seen_by_agent = [e.body for e in timeline_for(ticket=ticket, user=agent)]
    assert seen_by_requester == ["It is broken again"]
    assert seen_by_agent == ["It is broken again", "Vendor contract expired", "Moved to Network"]


def test_requester_cannot_write_internal_notes(db):
    ticket = SampleTicketFactory()
    with pytest.raises(ValidationError) as err:
        timeline_comment_add(ticket=ticket, author=ticket.requester, body="psst", is_internal=True)
    assert "is_internal" in err.value.error_dict


def test_other_requester_cannot_comment(make_user):
    ticket = SampleTicketFactory()
    with pytest.raises(PermissionDenied):
        timeline_comment_add(ticket=ticket, author=make_user(), body="hello")


def test_empty_comment_is_refused_with_a_message(db):
    ticket = SampleTicketFactory()
    with pytest.raises(ValidationError) as err:
        timeline_comment_add(ticket=ticket, author=ticket.requester, body="   ")
    assert err.value.error_dict["body"][0].messages == ["Write something before sending."]


def test_comment_view_with_htmx_returns_timeline_without_internal_notes(client, make_user):
    agent = make_user("agent")
    ticket = SampleTicketFactory()
    timeline_comment_add(ticket=ticket, author=agent, body="Internal: reboot scheduled", is_internal=True)
    client.force_login(ticket.requester)
    response = client.post(comment_url(ticket), {"body": "Any news?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Any news?" in html
    assert "reboot scheduled" not in html


def test_comment_view_hides_other_peoples_tickets(client, make_user):
    ticket = SampleTicketFactory()
    client.force_login(make_user())
    response = client.post(comment_url(ticket), {"body": "let me in"})
    assert response.status_code == 404
    assert not ticket.timeline_entries.exists()


def test_comment_view_without_htmx_redirects_to_ticket(client, db):
    ticket = SampleTicketFactory()
    client.force_login(ticket.requester)
    response = client.post(comment_url(ticket), {"body": "Thanks"})
    assert response.status_code == 302
    assert response["Location"] == f"/sample/{ticket.pk}/"


def test_bad_comment_keeps_nothing_and_says_why(client, db):
    ticket = SampleTicketFactory()
    client.force_login(ticket.requester)
    response = client.post(comment_url(ticket), {"body": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_events_read_in_the_readers_language_whoever_wrote_them(make_user):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from core.models import TimelineEntry
    from core.services.timeline import EventText
    from incidents.choices import HoldReason, State

    ticket = SampleTicketFactory()
    with translation.override("zh-hans"):  # written by a Chinese-speaking agent
        entry = timeline_event(
            ticket=ticket,
            code="state",
            actor=make_user("agent"),
            text=EventText(
                gettext_lazy("%(from)s → %(to)s (%(reason)s)"),
                {
                    "from": State.IN_PROGRESS.label,
                    "to": State.ON_HOLD.label,
                    "reason": HoldReason.AWAITING_VENDOR.label,
                },
                note="已联系 Cisco",
            ),
        )
    assert entry.body == "处理中 → 挂起（等待供应商）\n已联系 Cisco"  # kept as written
    entry = TimelineEntry.objects.get(pk=entry.pk)
    with translation.override("en"):
        assert (
            entry.text == "In progress → On hold (Awaiting vendor)\n已联系 Cisco"
        )  # the note stays as typed
    with translation.override("zh-hans"):
        assert entry.text == "处理中 → 挂起（等待供应商）\n已联系 Cisco"


def test_an_event_without_kept_words_or_with_broken_ones_shows_its_body(db):
    from core.models import TimelineEntry

    ticket = SampleTicketFactory()
    plain = timeline_event(ticket=ticket, code="note", text="Moved to Network")
    assert plain.text == "Moved to Network"
    broken = timeline_event(
        ticket=ticket, code="x", text="As written", data={"text": {"message": "%(gone)s"}}
    )
    assert TimelineEntry.objects.get(pk=broken.pk).text == "As written"


def test_the_incident_page_shows_events_in_the_viewers_language(client, make_user):
    from accounts.models import Profile
    from incidents.services import incident_create, incident_transition

    agent = make_user("agent")
    incident = incident_create(actor=agent, title="VPN down", impact=2, urgency=2)
    incident_transition(actor=agent, incident=incident, state="in_progress")
    client.force_login(agent)
    english = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "New → In progress" in english and "Logged with priority P3." in english
    Profile.objects.update_or_create(user=agent, defaults={"language": "zh-hans"})
    chinese = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "新建 → 处理中" in chinese and "New → In progress" not in chinese


def test_sla_clock_reasons_read_in_the_readers_language(make_user):
    from django.utils import translation

    from incidents.services import incident_create, incident_transition
    from sla.models import BusinessCalendar, SlaClockEvent, SlaPolicy

    calendar = BusinessCalendar.objects.create(name="Always", timezone="UTC", is_24x7=True)
    SlaPolicy.objects.create(
        name="All", applies_to="incident", response_minutes=60, resolution_minutes=480, calendar=calendar
    )
    agent = make_user("agent")
    with translation.override("en"):  # an English-speaking agent puts it on hold
        incident = incident_create(actor=agent, title="VPN down")
        incident = incident_transition(actor=agent, incident=incident, state="in_progress")
        incident_transition(actor=agent, incident=incident, state="on_hold", hold_reason="awaiting_vendor")
    paused = SlaClockEvent.objects.get(kind="paused", clock__kind="resolution")
    assert paused.reason == "on hold: Awaiting vendor"
    with translation.override("zh-hans"):
        assert paused.reason_text == "挂起：等待供应商"
