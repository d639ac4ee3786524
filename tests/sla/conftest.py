from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sla import hooks
from tests.sla.factories import OfficeCalendarFactory, SlaPolicyFactory
from tests.ticketapp.factories import SampleTicketFactory
from tests.ticketapp.models import SampleTicket

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(*args) -> datetime:
    """A Shanghai wall time as an aware UTC instant."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def office_policy(db):
    """Incident policy on Shanghai office hours (Mon–Fri 09–12, 13–18): response 1 h, resolution 4 h."""
    return SlaPolicyFactory(
        name="Office P3",
        calendar=OfficeCalendarFactory(name="Office"),
        response_minutes=60,
        resolution_minutes=240,
    )


@pytest.fixture
def ticket(db):
    return SampleTicketFactory()


@pytest.fixture
def handler_calls():
    """Registers a recording escalation handler for SampleTicket; yields the list of calls."""
    calls = []

    def handler(*, ticket, clock, event, percent, action, rule):
        calls.append(
            {"ticket": ticket.pk, "kind": clock.kind, "event": event, "percent": percent, "action": action}
        )

    hooks.register_escalation_handler(SampleTicket, handler)
    yield calls
    hooks.unregister_escalation_handler(SampleTicket)
