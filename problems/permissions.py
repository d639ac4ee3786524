"""Who may see and do what with problems and known errors. One scope function each for the UI and the API.

Problems are agent work; published known errors (the KEDB) are readable by every signed-in user.
"""

from django.db.models import QuerySet

from core.roles import is_agent
from problems.models import Problem, ProblemProposal


def problem_scope(user, qs: QuerySet[Problem] | None = None) -> QuerySet[Problem]:
    qs = Problem.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active or not is_agent(user):
        return qs.none()
    return qs


def known_error_scope(user, qs: QuerySet[Problem] | None = None) -> QuerySet[Problem]:
    qs = Problem.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs.filter(published_at__isnull=False)


def proposal_scope(user) -> QuerySet[ProblemProposal]:
    if not user.is_authenticated or not user.is_active or not is_agent(user):
        return ProblemProposal.objects.none()
    return ProblemProposal.objects.all()


def can_view(user, problem: Problem) -> bool:
    return user.is_authenticated and is_agent(user)


def can_work(user, problem: Problem) -> bool:
    return user.is_authenticated and is_agent(user)


def can_apply_workaround(user) -> bool:
    return user.is_authenticated and is_agent(user)


def can_see_suggestion_stats(user) -> bool:
    return user.is_authenticated and is_agent(user)
