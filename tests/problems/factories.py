"""Problems are made through the services, as agents make them (number, tokens, timeline)."""

from problems.services import problem_create, problem_publish
from tests.incidents.factories import CategoryFactory, make_incident
from tests.org.factories import ServiceFactory, TeamFactory


def make_problem(*, actor, **kwargs):
    kwargs.setdefault("title", "VPN drops every few minutes")
    return problem_create(actor=actor, **kwargs)


def make_known_error(*, actor, title, symptoms="", workaround="Restart the client.", **kwargs):
    """A published known error (new → investigating → known error)."""
    problem = problem_create(actor=actor, title=title, symptoms=symptoms, workaround=workaround, **kwargs)
    return problem_publish(actor=actor, problem=problem)


__all__ = [
    "CategoryFactory",
    "ServiceFactory",
    "TeamFactory",
    "make_incident",
    "make_known_error",
    "make_problem",
]
