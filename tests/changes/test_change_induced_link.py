"""Linking an incident to the change that caused it marks the change change-induced (within 7 days)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from changes.models import Change
from incidents.services import incident_create, incident_update


def _implemented_change(requester, *, ended):
    return Change.objects.create(
        number=f"CHG{Change.objects.count() + 9000:07d}",
        title="Upgrade VPN firmware",
        requester=requester,
        type="normal",
        state="review",
        actual_start=ended - timedelta(hours=1),
        actual_end=ended,
    )


def test_linking_within_seven_days_marks_the_change(make_user):
    agent = make_user("agent")
    change = _implemented_change(agent, ended=timezone.now() - timedelta(days=2))
    incident = incident_create(actor=agent, title="VPN drops since the upgrade")
    incident_update(actor=agent, incident=incident, caused_by_change=change)
    change.refresh_from_db()
    assert change.is_change_induced
    assert list(change.induced_incidents.all()) == [incident]


def test_linking_an_older_change_does_not_mark_it(make_user):
    agent = make_user("agent")
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        change = _implemented_change(agent, ended=timezone.now())
    incident = incident_create(actor=agent, title="Unrelated", caused_by_change=change)
    change.refresh_from_db()
    assert incident.caused_by_change == change
    assert not change.is_change_induced


def test_api_exposes_and_sets_caused_by_change(api_as):
    api, agent = api_as("agent")
    change = _implemented_change(agent, ended=timezone.now())
    incident = incident_create(actor=agent, title="x")
    response = api.patch(f"/api/v1/incidents/{incident.pk}/", {"caused_by_change": change.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["caused_by_change"] == change.pk
    change.refresh_from_db()
    assert change.is_change_induced
