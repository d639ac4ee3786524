import pytest

from sla.models import BusinessCalendar, SlaPolicy
from tests.org.factories import ServiceFactory, TeamFactory


@pytest.fixture
def desk(make_user):
    """A team with two agents and a manager, a service it supports, and 24×7 incident SLA policies."""
    manager = make_user("manager", username="boss", email="boss@example.com")
    agent = make_user("agent", username="li", email="li@example.com")
    other = make_user("agent", username="noah", email="noah@example.com")
    team = TeamFactory(name="Service Desk", manager=manager)
    team.members.add(agent, other)
    service = ServiceFactory(name="VPN", support_team=team, criticality="high")
    calendar = BusinessCalendar.objects.create(name="24x7", timezone="UTC", is_24x7=True)
    for priority, (response, resolution) in {
        1: (15, 240),
        2: (30, 480),
        3: (60, 1440),
        4: (120, 2880),
        5: (240, 4320),
    }.items():
        SlaPolicy.objects.create(
            name=f"P{priority}",
            applies_to="incident",
            priority=priority,
            response_minutes=response,
            resolution_minutes=resolution,
            calendar=calendar,
        )

    class Desk:
        pass

    d = Desk()
    d.manager, d.agent, d.other, d.team, d.service, d.calendar = (
        manager,
        agent,
        other,
        team,
        service,
        calendar,
    )
    d.requester = make_user("requester", username="alice", email="alice@example.com")
    return d
