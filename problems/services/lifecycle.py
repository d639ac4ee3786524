"""Every write to a problem: create, edit, move along the lifecycle, publish, link incidents."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import StaleVersionError
from core.roles import is_agent
from core.services.audit import audit_record, audit_snapshot
from core.services.numbering import number_next
from core.services.timeline import EventText, timeline_event
from incidents.choices import OPEN_STATES as INCIDENT_OPEN_STATES
from incidents.choices import ResolutionCode
from incidents.choices import State as IncidentState
from incidents.models import Incident
from incidents.services import incident_transition
from problems.choices import TRANSITIONS, IncidentNote, RcaMethod, State
from problems.models import Problem
from problems.search.tokenize import token_string, tokenize

EDITABLE_FIELDS = (
    "title",
    "description",
    "priority",
    "category",
    "services",
    "owner_team",
    "owner",
    "symptoms",
    "root_cause",
    "rca_method",
    "rca_notes",
    "workaround",
    "plain_workaround",
    "fix_change",
    "fix_notes",
)
SEARCH_FIELDS = ("title", "symptoms", "description")


def _require_agent(actor) -> None:
    if actor is not None and not is_agent(actor):
        raise PermissionDenied


def _lock(problem: Problem, expected_version: int | None) -> Problem:
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError(current_version=locked.version)
    return locked


def _search_text(problem: Problem) -> str:
    # Symptoms are what users type; the description stands in while no symptoms are written.
    return f"{problem.title}\n{problem.symptoms or problem.description}"


def _refresh_search(problem: Problem) -> None:
    text = _search_text(problem)
    problem.search_tokens = token_string(text)
    problem.search_token_count = len(tokenize(text))


def _check(problem: Problem) -> None:
    errors = {}
    if not (problem.title or "").strip():
        errors["title"] = _("Give the problem a short title.")
    if problem.priority not in (1, 2, 3, 4, 5):
        errors["priority"] = _("Priority must be 1 (critical) to 5 (planning).")
    if problem.rca_method and problem.rca_method not in RcaMethod.values:
        errors["rca_method"] = _("Unknown analysis method %(method)s.") % {"method": problem.rca_method}
    if problem.owner_id:
        if not is_agent(problem.owner):
            errors["owner"] = _("Only agents can own problems.")
        elif problem.owner_team_id and not problem.owner_team.members.filter(pk=problem.owner_id).exists():
            errors["owner"] = _("%(user)s is not a member of %(team)s.") % {
                "user": problem.owner.get_username(),
                "team": problem.owner_team.name,
            }
    if problem.published_at and not (problem.root_cause.strip() or problem.workaround.strip()):
        errors["workaround"] = _("A published known error keeps its workaround or root cause.")
    if errors:
        raise ValidationError(errors, code="invalid")


def problem_create(
    *,
    actor,
    title: str,
    description: str = "",
    priority: int = 3,
    category=None,
    services=(),
    owner_team=None,
    owner=None,
    symptoms: str = "",
    root_cause: str = "",
    rca_method: str = "",
    rca_notes: str = "",
    workaround: str = "",
    plain_workaround: str = "",
    fix_change: str = "",
    fix_notes: str = "",
    incidents=(),
    at=None,
) -> Problem:
    _require_agent(actor)
    now = at or timezone.now()
    with transaction.atomic():
        problem = Problem(
            title=(title or "").strip()[:200],
            description=description or "",
            priority=priority,
            category=category,
            owner_team=owner_team,
            owner=owner,
            symptoms=symptoms or "",
            root_cause=root_cause or "",
            rca_method=rca_method or "",
            rca_notes=rca_notes or "",
            workaround=workaround or "",
            plain_workaround=plain_workaround or "",
            fix_change=fix_change or "",
            fix_notes=fix_notes or "",
            requester=actor,
            created_at=now,
        )
        _check(problem)
        problem.number = number_next(prefix=Problem.NUMBER_PREFIX)
        _refresh_search(problem)
        problem.save()
        if services:
            problem.services.set(services)
        timeline_event(
            ticket=problem,
            code="created",
            at=now,
            actor=actor,
            text=EventText(gettext_lazy("Problem raised.")),
        )
        audit_record(obj=problem, actor=actor, before=None)
        if incidents:
            _link_many(actor=actor, problem=problem, incidents=incidents, at=now)
    return problem


def problem_update(*, actor, problem: Problem, version: int | None = None, **changes) -> Problem:
    """Edit the record and the root-cause analysis. The state moves only through problem_transition."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    _require_agent(actor)
    with transaction.atomic():
        problem = _lock(problem, version)
        if not problem.is_open and problem.state != State.RESOLVED:
            raise ValidationError(
                {
                    "state": _("A %(state)s problem can no longer be edited.")
                    % {"state": problem.get_state_display()}
                },
                code="closed",
            )
        before = audit_snapshot(problem)
        services = changes.pop("services", None)
        for name, value in changes.items():
            setattr(
                problem,
                name,
                "" if value is None and name not in ("category", "owner_team", "owner") else value,
            )
        _check(problem)
        if set(changes) & set(SEARCH_FIELDS):
            _refresh_search(problem)
        problem.version += 1
        problem.save()
        if services is not None:
            problem.services.set(services)
        if "root_cause" in changes and before.get("root_cause") != problem.root_cause and problem.root_cause:
            timeline_event(
                ticket=problem,
                code="root_cause",
                actor=actor,
                text=EventText(gettext_lazy("Root cause documented.")),
            )
        if "workaround" in changes and before.get("workaround") != problem.workaround and problem.workaround:
            timeline_event(
                ticket=problem,
                code="workaround",
                actor=actor,
                text=EventText(gettext_lazy("Workaround documented.")),
            )
        audit_record(obj=problem, actor=actor, before=before)
    return problem


def _transition_errors(problem: Problem, target: str, *, resolve_incidents: bool, incident_note: str) -> dict:
    if target not in State.values:
        return {"state": [_("Unknown state %(state)s.") % {"state": target}]}
    if target not in TRANSITIONS[problem.state]:
        allowed = ", ".join(str(State(s).label) for s in TRANSITIONS[problem.state]) or _("none")
        return {
            "state": [
                _("A problem cannot move from %(from)s to %(to)s. Allowed next states: %(allowed)s.")
                % {"from": problem.get_state_display(), "to": State(target).label, "allowed": allowed}
            ]
        }
    errors = {}
    if target == State.KNOWN_ERROR and not (problem.root_cause.strip() or problem.workaround.strip()):
        message = _("A known error needs a documented root cause or workaround.")
        errors["root_cause"] = [message]
        errors["workaround"] = [message]
    if target == State.RESOLVED:
        if not problem.fix_notes.strip():
            errors["fix_notes"] = [_("Describe the permanent fix.")]
        if resolve_incidents and incident_note not in IncidentNote.values:
            errors["incident_note"] = [_("Choose the fix or the workaround as the incidents' resolution.")]
        elif (
            resolve_incidents and incident_note == IncidentNote.WORKAROUND and not problem.workaround.strip()
        ):
            errors["incident_note"] = [_("There is no workaround to resolve the incidents with.")]
    return errors


def problem_transition(
    *,
    actor,
    problem: Problem,
    state: str,
    version: int | None = None,
    comment: str = "",
    fix_notes: str | None = None,
    fix_change: str | None = None,
    resolve_incidents: bool = False,
    incident_note: str = IncidentNote.FIX,
    at=None,
) -> Problem:
    """Move a problem along its lifecycle. Becoming a known error publishes it to the KEDB; closing or
    cancelling takes it out. Resolving can resolve the linked open incidents with the fix or workaround."""
    _require_agent(actor)
    now = at or timezone.now()
    with transaction.atomic():
        problem = _lock(problem, version)
        before = audit_snapshot(problem)
        if fix_notes is not None:
            problem.fix_notes = fix_notes.strip()
        if fix_change is not None:
            problem.fix_change = fix_change.strip()[:100]
        errors = _transition_errors(
            problem, state, resolve_incidents=resolve_incidents, incident_note=incident_note
        )
        if errors:
            raise ValidationError(errors, code="bad_transition")
        source, was_published = problem.state, problem.published_at is not None
        problem.state = state
        if state == State.KNOWN_ERROR and problem.published_at is None:
            problem.published_at = now
        elif state == State.RESOLVED:
            problem.resolved_at = now
        elif state == State.INVESTIGATING and source == State.RESOLVED:
            problem.resolved_at = None  # reopened: the fix did not hold
        elif state in (State.CLOSED, State.CANCELLED):
            problem.closed_at = now
            problem.published_at = None
        problem.version += 1
        problem.save()
        text = EventText(
            gettext_lazy("%(from)s → %(to)s"),
            {"from": State(source).label, "to": State(state).label},
            note=comment,
        )
        timeline_event(
            ticket=problem,
            code="state",
            at=now,
            actor=actor,
            text=text,
            data={"from": source, "to": state},
        )
        if state == State.KNOWN_ERROR:
            timeline_event(
                ticket=problem,
                code="published",
                at=now,
                actor=actor,
                text=EventText(gettext_lazy("Published to the KEDB.")),
            )
        elif was_published and problem.published_at is None:
            timeline_event(
                ticket=problem,
                code="unpublished",
                at=now,
                actor=actor,
                text=EventText(gettext_lazy("Removed from the KEDB.")),
            )
        audit_record(obj=problem, actor=actor, before=before)
        if state == State.RESOLVED and resolve_incidents:
            _resolve_linked_incidents(actor=actor, problem=problem, note=incident_note, at=now)
    return problem


def problem_publish(*, actor, problem: Problem, version: int | None = None, at=None) -> Problem:
    """Publish as a known error: a new problem passes through investigating on the way."""
    if problem.state == State.KNOWN_ERROR:
        raise ValidationError(
            {"state": [_("%(number)s is already a known error.") % {"number": problem.number}]}
        )
    with transaction.atomic():
        if problem.state == State.NEW:
            problem = problem_transition(
                actor=actor, problem=problem, state=State.INVESTIGATING, version=version, at=at
            )
            version = None
        return problem_transition(
            actor=actor, problem=problem, state=State.KNOWN_ERROR, version=version, at=at
        )


def _resolve_linked_incidents(*, actor, problem: Problem, note: str, at) -> int:
    if note == IncidentNote.WORKAROUND:
        code, text = ResolutionCode.SOLVED_WORKAROUND, problem.workaround
    else:
        code, text = ResolutionCode.SOLVED_PERMANENTLY, problem.fix_notes
    notes = f"{problem.number}: {text.strip()}"
    resolved, skipped = [], []
    for incident in problem.incidents.filter(state__in=INCIDENT_OPEN_STATES).order_by("pk"):
        try:
            # Through the allowed states: a new incident is taken into work first.
            if incident.state == IncidentState.NEW:
                incident = incident_transition(
                    actor=actor, incident=incident, state=IncidentState.IN_PROGRESS, at=at
                )
            incident_transition(
                actor=actor,
                incident=incident,
                state=IncidentState.RESOLVED,
                resolution_code=code,
                resolution_notes=notes,
                at=at,
            )
            resolved.append(incident.number)
        except (ValidationError, PermissionDenied):
            skipped.append(incident.number)
    if resolved or skipped:
        if skipped:
            text = EventText(
                gettext_lazy("Resolved the linked incidents: %(numbers)s. Could not resolve: %(skipped)s."),
                {"numbers": ", ".join(resolved) or "—", "skipped": ", ".join(skipped)},
            )
        else:
            text = EventText(
                gettext_lazy("Resolved the linked incidents: %(numbers)s."), {"numbers": ", ".join(resolved)}
            )
        timeline_event(ticket=problem, code="incidents_resolved", at=at, actor=actor, text=text)
    return len(resolved)


def _link(*, actor, problem: Problem, incident: Incident, text: EventText, at=None) -> Incident | None:
    """Link one incident (locked); None when it already was. Refused when another problem holds it."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.problem_id == problem.pk:
        return None
    if incident.problem_id:
        other = Problem.objects.filter(pk=incident.problem_id).values_list("number", flat=True).first()
        raise ValidationError(
            {
                "incidents": [
                    _("%(incident)s is already linked to %(problem)s.")
                    % {"incident": incident.number, "problem": other}
                ]
            },
            code="linked_elsewhere",
        )
    before = audit_snapshot(incident, fields=["problem"])
    incident.problem = problem
    incident.version += 1
    incident.save(update_fields=["problem", "version", "updated_at"])
    timeline_event(
        ticket=incident, code="problem_linked", actor=actor, at=at, text=text, data={"problem": problem.pk}
    )
    audit_record(obj=incident, actor=actor, before=before, after=audit_snapshot(incident, fields=["problem"]))
    return incident


def _check_linkable(problem: Problem) -> None:
    if problem.state in (State.CLOSED, State.CANCELLED):
        raise ValidationError(
            {
                "incidents": [
                    _("A %(state)s problem takes no more incidents.") % {"state": problem.get_state_display()}
                ]
            },
            code="closed",
        )


def _link_many(*, actor, problem: Problem, incidents, at=None) -> list[Incident]:
    linked = []
    for incident in incidents:
        done = _link(
            actor=actor,
            problem=problem,
            incident=incident,
            at=at,
            text=EventText(
                gettext_lazy("Linked to problem %(number)s: %(title)s"),
                {"number": problem.number, "title": problem.title},
            ),
        )
        if done is not None:
            linked.append(done)
    if linked:
        timeline_event(
            ticket=problem,
            code="incidents_linked",
            actor=actor,
            at=at,
            text=EventText(
                gettext_lazy("Linked %(numbers)s."), {"numbers": ", ".join(i.number for i in linked)}
            ),
            data={"incidents": [i.pk for i in linked]},
        )
    return linked


def problem_link_incidents(*, actor, problem: Problem, incidents) -> list[Incident]:
    """Link incidents to the problem, all or none. Incidents already linked here are left as they are."""
    _require_agent(actor)
    with transaction.atomic():
        problem = _lock(problem, None)
        _check_linkable(problem)
        return _link_many(actor=actor, problem=problem, incidents=incidents)


def problem_unlink_incident(*, actor, problem: Problem, incident: Incident) -> Incident:
    _require_agent(actor)
    with transaction.atomic():
        problem = _lock(problem, None)
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.problem_id != problem.pk:
            raise ValidationError(
                {
                    "incidents": [
                        _("%(incident)s is not linked to %(problem)s.")
                        % {"incident": incident.number, "problem": problem.number}
                    ]
                },
                code="not_linked",
            )
        before = audit_snapshot(incident, fields=["problem"])
        incident.problem = None
        incident.version += 1
        incident.save(update_fields=["problem", "version", "updated_at"])
        text = EventText(gettext_lazy("Unlinked from problem %(number)s."), {"number": problem.number})
        timeline_event(ticket=incident, code="problem_unlinked", actor=actor, text=text)
        timeline_event(
            ticket=problem,
            code="incident_unlinked",
            actor=actor,
            text=EventText(gettext_lazy("Unlinked %(number)s."), {"number": incident.number}),
        )
        audit_record(
            obj=incident, actor=actor, before=before, after=audit_snapshot(incident, fields=["problem"])
        )
    return incident
