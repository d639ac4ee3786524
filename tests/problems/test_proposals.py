from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from problems.models import ProblemProposal
from problems.services import (
    problem_link_incidents,
    problem_proposal_accept,
    problem_proposal_dismiss,
    problem_proposals_detect,
)
from problems.tasks import detect_recurring_incidents
from tests.problems.factories import CategoryFactory, make_incident, make_problem

TITLES = [
    "Outlook stuck on updating inbox",
    "Outlook hangs, inbox stuck updating",
    "outlook stuck updating inbox again",
]


@pytest.fixture
def mailbox(desk):
    return CategoryFactory(name="Mailbox")


def _incidents(desk, category, titles=TITLES, *, days_ago=1, service=None):
    now = timezone.now()
    return [
        make_incident(
            actor=desk.agent,
            title=title,
            service=service or desk.service,
            category=category,
            at=now - timedelta(days=days_ago, minutes=n),
        )
        for n, title in enumerate(titles)
    ]


def test_a_cluster_of_similar_incidents_is_proposed_once_with_its_evidence(desk, mailbox):
    cluster = _incidents(desk, mailbox)
    make_incident(actor=desk.agent, title="Printer jam", service=desk.service, category=mailbox)
    make_incident(actor=desk.agent, title="Outlook stuck updating inbox", service=desk.service)  # no category

    proposals = problem_proposals_detect()
    assert len(proposals) == 1
    proposal = proposals[0]
    assert {i["id"] for i in proposal.evidence["incidents"]} == {i.pk for i in cluster}
    assert {"outlook", "stuck", "updat", "inbox"} <= set(proposal.shared_terms)
    assert proposal.service == desk.service and proposal.category == mailbox
    assert proposal.evidence["window_days"] == 14 and proposal.evidence["similarity"] >= 0.3
    assert problem_proposals_detect() == []  # safe to run twice
    assert detect_recurring_incidents.delay().get() == 0
    assert ProblemProposal.objects.count() == 1


def test_a_dismissed_cluster_is_never_proposed_again(desk, mailbox):
    _incidents(desk, mailbox)
    proposal = problem_proposals_detect()[0]
    problem_proposal_dismiss(actor=desk.agent, proposal=proposal)
    assert problem_proposals_detect() == []
    # One more similar incident does not resurrect the dismissed ones.
    _incidents(desk, mailbox, titles=["Outlook stuck updating the inbox"])
    assert problem_proposals_detect() == []
    with pytest.raises(ValidationError) as exc:
        problem_proposal_dismiss(actor=desk.agent, proposal=proposal)
    assert "state" in exc.value.message_dict


def test_incidents_linked_to_a_problem_are_not_proposed(desk, mailbox):
    cluster = _incidents(desk, mailbox)
    problem_link_incidents(actor=desk.agent, problem=make_problem(actor=desk.agent), incidents=cluster[:1])
    assert problem_proposals_detect() == []  # two left: below the minimum of three


def test_incidents_outside_the_window_are_not_proposed(desk, mailbox):
    _incidents(desk, mailbox, titles=TITLES[:2])
    _incidents(desk, mailbox, titles=TITLES[2:], days_ago=20)
    assert problem_proposals_detect() == []
    assert len(problem_proposals_detect(window_days=30)) == 1


def test_different_services_do_not_cluster(desk, mailbox):
    from tests.org.factories import ServiceFactory

    _incidents(desk, mailbox, titles=TITLES[:2])
    _incidents(desk, mailbox, titles=TITLES[2:], service=ServiceFactory(name="E-mail"))
    assert problem_proposals_detect() == []


def test_accepting_opens_the_problem_with_the_incidents_linked(desk, mailbox):
    cluster = _incidents(desk, mailbox)
    proposal = problem_proposals_detect()[0]
    with pytest.raises(PermissionDenied):
        problem_proposal_accept(actor=desk.requester, proposal=proposal)
    problem = problem_proposal_accept(actor=desk.agent, proposal=proposal, title="Outlook OST cache corrupt")
    assert problem.title == "Outlook OST cache corrupt"
    assert set(problem.incidents.values_list("pk", flat=True)) == {i.pk for i in cluster}
    assert list(problem.services.all()) == [desk.service] and problem.category == mailbox
    assert problem.owner_team == desk.service.support_team
    assert "Outlook stuck on updating inbox" in problem.symptoms
    proposal.refresh_from_db()
    assert (proposal.state, proposal.problem, proposal.decided_by) == ("accepted", problem, desk.agent)
    with pytest.raises(ValidationError):
        problem_proposal_accept(actor=desk.agent, proposal=proposal)
