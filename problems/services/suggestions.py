"""Known-error suggestions: what was shown, applied to an incident, or solved a portal user's problem."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import is_agent
from core.services.timeline import EventText, timeline_event
from incidents.models import Incident
from problems.choices import Channel, SuggestionEventKind
from problems.models import Problem, SuggestionEvent
from problems.services.lifecycle import _link

DRAFT_MAX_LENGTH = 64


def clean_draft(draft: str | None) -> str:
    """The typing-session id a form sends along; anything odd is dropped rather than stored."""
    draft = (draft or "").strip()
    if len(draft) > DRAFT_MAX_LENGTH or not all(ch.isalnum() or ch in "-_" for ch in draft):
        return ""
    return draft


def _user(user):
    return user if user is not None and user.is_authenticated else None


def suggestions_record_shown(*, problem_ids, channel: str, draft: str, user=None) -> int:
    """Count each known error once per typing session, however often the panel re-renders."""
    draft = clean_draft(draft)
    if not draft or not problem_ids:
        return 0
    now = timezone.now()
    SuggestionEvent.objects.bulk_create(
        [
            SuggestionEvent(
                problem_id=pk,
                kind=SuggestionEventKind.SHOWN,
                channel=channel,
                draft=draft,
                user=_user(user),
                created_at=now,
            )
            for pk in problem_ids
        ],
        ignore_conflicts=True,
    )
    return len(problem_ids)


def _require_published(problem: Problem) -> None:
    if problem.published_at is None:
        raise ValidationError(
            {"problem": [_("%(number)s is not a published known error.") % {"number": problem.number}]},
            code="not_published",
        )


def problem_apply_workaround(
    *, actor, problem: Problem, incident: Incident, draft: str = "", channel: str = Channel.WORKSPACE
) -> Incident:
    """Apply a known error's workaround: link the incident to the problem, note it on both, count it."""
    if not is_agent(actor):
        raise PermissionDenied
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        _require_published(problem)
        workaround = problem.workaround.strip() or problem.root_cause.strip()
        try:
            linked = _link(
                actor=actor,
                problem=problem,
                incident=incident,
                text=EventText(
                    gettext_lazy("Known error %(number)s applies: %(title)s\nWorkaround: %(workaround)s"),
                    {"number": problem.number, "title": problem.title, "workaround": workaround},
                ),
            )
        except ValidationError as exc:
            raise ValidationError(
                {"problem": exc.message_dict["incidents"]}, code="linked_elsewhere"
            ) from None
        if linked is None:
            return Incident.objects.get(pk=incident.pk)  # applied before: nothing new to count
        timeline_event(
            ticket=problem,
            code="workaround_applied",
            actor=actor,
            text=EventText(gettext_lazy("Workaround applied to %(number)s."), {"number": linked.number}),
            data={"incident": linked.pk},
        )
        draft = clean_draft(draft)
        SuggestionEvent.objects.bulk_create(
            [
                SuggestionEvent(
                    problem=problem,
                    kind=SuggestionEventKind.APPLIED,
                    channel=channel,
                    draft=draft,
                    incident=linked,
                    user=_user(actor),
                )
            ],
            ignore_conflicts=True,
        )
    return linked


def suggestion_record_deflection(*, user, problem: Problem, draft: str = "") -> str:
    """ "This solved my problem": the portal user leaves without a ticket. Counted once per session."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    _require_published(problem)
    draft = clean_draft(draft) or uuid.uuid4().hex
    now = timezone.now()
    events = [
        # A deflection implies the suggestion was shown in that session (keeps the rate at most 100%).
        SuggestionEvent(
            problem=problem,
            kind=SuggestionEventKind.SHOWN,
            channel=Channel.PORTAL,
            draft=draft,
            user=user,
            created_at=now,
        ),
        SuggestionEvent(
            problem=problem,
            kind=SuggestionEventKind.DEFLECTED,
            channel=Channel.PORTAL,
            draft=draft,
            user=user,
            created_at=now,
        ),
    ]
    with transaction.atomic():
        SuggestionEvent.objects.bulk_create(events, ignore_conflicts=True)
    return draft
