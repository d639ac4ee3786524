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
