"""SLA warnings and breaches on requests reach the people holding the open tasks; escalations act on them."""

from datetime import timedelta

import pytest
from django.core import mail

from requests_catalog.models import ServiceRequest
from sla import services as sla
from sla.models import EscalationRule
from tests.requests_catalog.conftest import NOW
from tests.requests_catalog.factories import submit

pytestmark = pytest.mark.django_db


def test_breach_notifies_the_team_and_marks_the_request(cat, django_capture_on_commit_callbacks):
    cat.agent.email = "li@example.com"
    cat.agent.save()
    request = submit(actor=cat.requester, item=cat.mouse, at=NOW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sla.sla_scan(now=NOW + timedelta(days=3))
    request.refresh_from_db()
    assert request.sla_breached
    subjects = [m.subject for m in mail.outbox if m.to == ["li@example.com"]]
    assert any(s.startswith("SLA breached: " + request.number) for s in subjects)


def test_escalation_raises_the_priority_and_moves_the_clock(cat, django_capture_on_commit_callbacks):
    EscalationRule.objects.create(policy=cat.policy, at_percent=50, action="raise_priority")
    request = submit(actor=cat.requester, item=cat.mouse, at=NOW)
    assert request.priority == 4
    with django_capture_on_commit_callbacks(execute=True):
        sla.sla_scan(now=NOW + timedelta(hours=3))  # the response clock (4 h) passed 50 %
    request = ServiceRequest.objects.get(pk=request.pk)
    assert request.priority == 3
    assert "priority raised from P4 to P3" in " ".join(
        request.timeline_entries.values_list("body", flat=True)
    )
