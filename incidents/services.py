"""Every write to an incident goes through here (CONVENTIONS.md: services own state changes)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import StaleVersionError
from core.roles import is_agent
from core.services.audit import audit_record, audit_snapshot
from core.services.feedback import satisfaction_rate
from core.services.numbering import number_next
from core.services.timeline import EventText, timeline_comment_add, timeline_event
from incidents import hooks, notifications, routing
from incidents.choices import DEFAULT_PRIORITY_MATRIX, TRANSITIONS, HoldReason, ResolutionCode, State
from incidents.models import Incident, IncidentSettings, PriorityMatrixEntry
from incidents.permissions import can_rate, can_transition, can_view
from sla import services as sla
from sla.selectors import clocks_next_due, keep_clocks, sla_next_due

EDITABLE_FIELDS = (
    "title",
    "description",
    "impact",
    "urgency",
    "service",
    "configuration_item",
    "category",
    "assignment_group",
    "assignee",
    "is_major",
    "outage_start",
    "outage_end",
    "channel",
    "caused_by_change",
)


def priority_for(*, impact: int, urgency: int) -> int:
    configured = (
        PriorityMatrixEntry.objects.filter(impact=impact, urgency=urgency)
        .values_list("priority", flat=True)
        .first()
    )
    return configured or DEFAULT_PRIORITY_MATRIX[(impact, urgency)]


def _check_levels(impact, urgency) -> None:
    errors = {}
    for name, value in (("impact", impact), ("urgency", urgency)):
        if value not in (1, 2, 3):
            errors[name] = _("%(field)s must be 1 (high), 2 (medium) or 3 (low).") % {"field": name}
    if errors:
        raise ValidationError(errors, code="level")


def _check_consistency(incident: Incident) -> None:
    errors = {}
    if incident.configuration_item_id and incident.service_id:
        if incident.configuration_item.service_id != incident.service_id:
            errors["configuration_item"] = _("This configuration item belongs to another service.")
    if incident.assignee_id:
        if not is_agent(incident.assignee):
            errors["assignee"] = _("Only agents can be assigned incidents.")
        elif (
            incident.assignment_group_id
            and not incident.assignment_group.members.filter(pk=incident.assignee_id).exists()
        ):
            errors["assignee"] = _("%(user)s is not a member of %(team)s.") % {
                "user": incident.assignee.get_username(),
                "team": incident.assignment_group.name,
            }
    if incident.outage_end and not incident.outage_start:
        errors["outage_start"] = _("Give the outage start as well as its end.")
    elif incident.outage_end and incident.outage_end < incident.outage_start:
        errors["outage_end"] = _("The outage must start before it ends.")
    if errors:
        raise ValidationError(errors, code="inconsistent")


def _sync_sla(incident: Incident) -> None:
    incident.sla_due_at = sla_next_due(ticket=incident)
    incident.sla_breached = incident.sla_clocks.filter(breached_at__isnull=False).exists()


def _lock(incident: Incident, expected_version: int | None) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError(current_version=locked.version)
    return locked


def incident_create(
    *,
    actor,
    title: str,
    description: str = "",
    impact: int = 3,
    urgency: int = 3,
    requester=None,
    service=None,
    configuration_item=None,
    category=None,
    assignment_group=None,
    assignee=None,
    is_major: bool = False,
    channel: str = "portal",
    outage_start=None,
    outage_end=None,
    caused_by_change=None,
    at=None,
) -> Incident:
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the incident a short title.")}, code="required")
    _check_levels(impact, urgency)
    now = at or timezone.now()
    with transaction.atomic():
        incident = Incident(
            number=number_next(prefix=Incident.NUMBER_PREFIX),
            title=title.strip()[:200],
            description=description or "",
            impact=impact,
            urgency=urgency,
            priority=priority_for(impact=impact, urgency=urgency),
            requester=requester or actor,
            service=service,
            configuration_item=configuration_item,
            category=category,
            assignment_group=assignment_group,
            assignee=assignee,
            is_major=is_major,
            channel=channel,
            outage_start=outage_start,
            outage_end=outage_end,
            caused_by_change=caused_by_change,
            created_at=now,
        )
        if incident.assignment_group is None:
            team, strategy = routing.route(service=service, category=category)
            incident.assignment_group = team
            if incident.assignee is None:
                incident.assignee = routing.pick_assignee(team=team, strategy=strategy)
        _check_consistency(incident)
        incident.first_assignment_group = incident.assignment_group
        incident.save()
        clocks = sla.sla_clocks_start(
            ticket=incident,
            applies_to="incident",
            priority=incident.priority,
            service_id=incident.service_id,
            team_id=incident.assignment_group_id,  # opens the first team share too
            at=now,
            new_ticket=True,
        )
        incident.sla_due_at, incident.sla_breached = clocks_next_due(clocks), False
        incident.save(update_fields=["sla_due_at", "sla_breached"])
        keep_clocks(incident, clocks)  # the API answers with them
        timeline_event(
            ticket=incident,
            code="created",
            at=now,
            actor=actor,
            text=EventText(
                gettext_lazy("Logged with priority P%(priority)d."), {"priority": incident.priority}
            ),
        )
        audit_record(obj=incident, actor=actor, before=None)
        if caused_by_change is not None:
            hooks.cause_linked(change=caused_by_change, incident=incident, actor=actor)
        notifications.on_created(incident)
    return incident


def incident_update(*, actor, incident: Incident, version: int | None = None, **changes) -> Incident:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    if not is_agent(actor):
        raise PermissionDenied
    with transaction.atomic():
        incident = _lock(incident, version)
        if not incident.is_open and set(changes) - {"outage_start", "outage_end", "description"}:
            raise ValidationError(
                {
                    "state": _("A %(state)s incident can no longer be edited.")
                    % {"state": incident.get_state_display()}
                },
                code="closed",
            )
        before = audit_snapshot(incident)
        old_group_id, old_assignee_id = incident.assignment_group_id, incident.assignee_id
        old_priority, old_service_id = incident.priority, incident.service_id
        old_cause_id = incident.caused_by_change_id
        for name, value in changes.items():
            setattr(incident, name, value)
        if "title" in changes and not (incident.title or "").strip():
            raise ValidationError({"title": _("Give the incident a short title.")}, code="required")
        _check_levels(incident.impact, incident.urgency)
        if (
            "assignment_group" in changes
            and incident.assignment_group_id != old_group_id
            and "assignee" not in changes
        ):
            incident.assignee = None  # a new team picks its own assignee
        _check_consistency(incident)
        incident.priority = priority_for(impact=incident.impact, urgency=incident.urgency)
        now = timezone.now()
        if incident.assignment_group_id != old_group_id:
            if old_group_id is not None:
                incident.reassignment_count += 1
            if incident.first_assignment_group_id is None:
                incident.first_assignment_group_id = incident.assignment_group_id
            sla.sla_team_change(ticket=incident, team_id=incident.assignment_group_id, at=now)
            timeline_event(
                ticket=incident,
                code="reassigned",
                actor=actor,
                text=EventText(
                    gettext_lazy("Assignment group: %(team)s."),
                    {"team": incident.assignment_group.name if incident.assignment_group else "—"},
                ),
            )
        if incident.assignee_id != old_assignee_id:
            timeline_event(
                ticket=incident,
                code="assigned",
                actor=actor,
                text=EventText(
                    gettext_lazy("Assigned to %(user)s."),
                    {"user": incident.assignee.get_username() if incident.assignee else "—"},
                ),
            )
        if incident.priority != old_priority or incident.service_id != old_service_id:
            sla.sla_clocks_reprioritize(
                ticket=incident,
                applies_to="incident",
                priority=incident.priority,
                service_id=incident.service_id,
                reason=EventText(
                    gettext_lazy("Priority P%(old)d → P%(new)d"),
                    {"old": old_priority, "new": incident.priority},
                ),
                at=now,
            )
            if incident.priority != old_priority:
                timeline_event(
                    ticket=incident,
                    code="priority",
                    actor=actor,
                    text=EventText(
                        gettext_lazy("Priority changed from P%(old)d to P%(new)d."),
                        {"old": old_priority, "new": incident.priority},
                    ),
                )
        _sync_sla(incident)
        incident.version += 1
        incident.save()
        audit_record(obj=incident, actor=actor, before=before)
        if incident.caused_by_change_id and incident.caused_by_change_id != old_cause_id:
            hooks.cause_linked(change=incident.caused_by_change, incident=incident, actor=actor)
        if (
            incident.assignee_id
            and incident.assignee_id != old_assignee_id
            and incident.assignee_id != actor.pk
        ):
            notifications.on_assigned(incident)
        if incident.is_major and not before.get("is_major") == "True":
            notifications.on_major(incident)
    return incident


def _transition_errors(
    incident: Incident, target: str, hold_reason: str, resolution_code: str, notes: str
) -> dict:
    if target not in State.values:
        return {"state": [_("Unknown state %(state)s.") % {"state": target}]}
    if target not in TRANSITIONS[incident.state]:
        allowed = ", ".join(str(State(s).label) for s in TRANSITIONS[incident.state]) or _("none")
        return {
            "state": [
                _("An incident cannot move from %(from)s to %(to)s. Allowed next states: %(allowed)s.")
                % {"from": incident.get_state_display(), "to": State(target).label, "allowed": allowed}
            ]
        }
    errors = {}
    if target == State.ON_HOLD and hold_reason not in HoldReason.values:
        errors["hold_reason"] = [_("Say why the incident is on hold: awaiting caller, vendor or change.")]
    if target == State.RESOLVED:
        if resolution_code not in ResolutionCode.values:
            errors["resolution_code"] = [_("Choose a resolution code.")]
        if not (notes or "").strip():
            errors["resolution_notes"] = [_("Describe how the incident was resolved.")]
    return errors


def incident_transition(
    *,
    actor,
    incident: Incident,
    state: str,
    version: int | None = None,
    hold_reason: str = "",
    resolution_code: str = "",
    resolution_notes: str = "",
    comment: str = "",
    at=None,
) -> Incident:
    """Move an incident along its lifecycle; anything the table does not allow is refused with a reason."""
    now = at or timezone.now()
    with transaction.atomic():
        incident = _lock(incident, version)
        if actor is not None and not can_view(actor, incident):
            raise PermissionDenied
        errors = _transition_errors(incident, state, hold_reason, resolution_code, resolution_notes)
        if errors:
            raise ValidationError(errors, code="bad_transition")
        if actor is not None and not can_transition(actor, incident, state):
            raise PermissionDenied
        if (
            actor is not None
            and not is_agent(actor)
            and state == State.IN_PROGRESS
            and not (comment or "").strip()
        ):
            raise ValidationError({"comment": _("Tell us what is still wrong so the agent can pick it up.")})
        before = audit_snapshot(incident)
        source = incident.state
        incident.state = state
        if source == State.ON_HOLD:
            incident.hold_reason = ""
        if state == State.IN_PROGRESS:
            if source == State.NEW:
                _record_response(incident, actor, now)
                takes_it = actor is not None and is_agent(actor) and incident.assignee_id is None
                if (
                    takes_it
                    and incident.assignment_group_id
                    and incident.assignment_group.members.filter(pk=actor.pk).exists()
                ):
                    incident.assignee = actor
                elif takes_it and incident.assignment_group_id is None:
                    incident.assignee = actor
                    incident.assignment_group = actor.teams.filter(is_active=True).order_by("name").first()
                    incident.first_assignment_group = incident.assignment_group
                    if incident.assignment_group_id:
                        sla.sla_team_change(ticket=incident, team_id=incident.assignment_group_id, at=now)
            elif source == State.ON_HOLD:
                sla.sla_clocks_resume(ticket=incident, reason=EventText(gettext_lazy("work resumed")), at=now)
            elif source == State.RESOLVED:
                incident.reopen_count += 1
                incident.resolved_at = None
                sla.sla_clock_reopen(
                    ticket=incident,
                    kind="resolution",
                    reason=EventText(gettext_lazy("incident reopened")),
                    at=now,
                )
        elif state == State.ON_HOLD:
            incident.hold_reason = hold_reason
            sla.sla_clocks_pause(
                ticket=incident,
                reason=EventText(
                    gettext_lazy("on hold: %(reason)s"), {"reason": HoldReason(hold_reason).label}
                ),
                at=now,
            )
        elif state == State.RESOLVED:
            if source == State.ON_HOLD:
                sla.sla_clocks_resume(
                    ticket=incident, reason=EventText(gettext_lazy("resolved while on hold")), at=now
                )
            _record_response(incident, actor, now)
            incident.resolved_at = now
            incident.resolution_code = resolution_code
            incident.resolution_notes = resolution_notes.strip()
            sla.sla_clock_complete(
                ticket=incident,
                kind="resolution",
                reason=EventText(gettext_lazy("incident resolved")),
                at=now,
            )
        elif state == State.CLOSED:
            incident.closed_at = now
        elif state == State.CANCELLED:
            incident.closed_at = now
            sla.sla_clocks_cancel(ticket=incident, reason=EventText(gettext_lazy("cancelled")), at=now)
        _sync_sla(incident)
        incident.version += 1
        incident.save()
        moved = {"from": State(source).label, "to": State(state).label}
        if state == State.ON_HOLD:
            text = EventText(
                gettext_lazy("%(from)s → %(to)s (%(reason)s)"),
                {**moved, "reason": HoldReason(hold_reason).label},
                note=comment,
            )
        else:
            text = EventText(gettext_lazy("%(from)s → %(to)s"), moved, note=comment)
        timeline_event(
            ticket=incident, code="state", at=now, actor=actor, text=text, data={"from": source, "to": state}
        )
        audit_record(obj=incident, actor=actor, before=before)
        notifications.on_transition(incident, source=source, actor=actor)
    return incident


def _record_response(incident: Incident, actor, now) -> None:
    """First response: the first public agent comment or the move to in progress."""
    if incident.responded_at is None:
        incident.responded_at = now
        sla.sla_clock_complete(
            ticket=incident, kind="response", reason=EventText(gettext_lazy("first response")), at=now
        )


def incident_comment_add(*, actor, incident: Incident, body: str, is_internal: bool = False, at=None):
    with transaction.atomic():
        entry = timeline_comment_add(ticket=incident, author=actor, body=body, is_internal=is_internal, at=at)
        if is_agent(actor) and not is_internal and incident.responded_at is None and incident.is_open:
            incident = _lock(incident, None)
            _record_response(incident, actor, entry.created_at)
            _sync_sla(incident)
            incident.save(update_fields=["responded_at", "sla_due_at", "sla_breached"])
        notifications.on_comment(incident, entry)
    return entry


def incident_assign(
    *, actor, incident: Incident, assignment_group=None, assignee=None, version=None
) -> Incident:
    changes = {}
    if assignment_group is not None:
        changes["assignment_group"] = assignment_group
    if assignee is not None:
        changes["assignee"] = assignee
    return incident_update(actor=actor, incident=incident, version=version, **changes)


def incidents_bulk_assign(*, actor, incidents, assignment_group=None, assignee=None) -> tuple[int, list[str]]:
    """Assign many; each in its own transaction so one refusal does not undo the others."""
    done, problems = 0, []
    for incident in incidents:
        try:
            incident_assign(
                actor=actor, incident=incident, assignment_group=assignment_group, assignee=assignee
            )
            done += 1
        except ValidationError as exc:
            problems.append(f"{incident.number}: {'; '.join(exc.messages)}")
    return done, problems


def incident_rate(*, actor, incident: Incident, rating, comment: str = ""):
    if not can_rate(actor, incident):
        raise ValidationError(
            {"rating": _("Only the requester can rate, once the incident is resolved.")}, code="not_allowed"
        )
    return satisfaction_rate(ticket=incident, user=actor, rating=rating, comment=comment)


URGENT_WORDS = (
    "urgent",
    "asap",
    "cannot work",
    "can't work",
    "down",
    "outage",
    "blocked",
    "紧急",
    "无法",
    "宕机",
    "中断",
)
WIDE_WORDS = ("everyone", "all users", "whole team", "entire", "nobody can", "所有人", "全部", "整个", "大家")


def incident_report_from_portal(*, requester, title: str, description: str = "", service=None) -> Incident:
    """A business user reports in plain words; impact and urgency are inferred (agents refine later)."""
    text = f"{title} {description}".lower()
    impact = 2 if any(word in text for word in WIDE_WORDS) else 3
    if service is not None and service.criticality == "critical" and impact == 2:
        impact = 1
    urgency = 2 if any(word in text for word in URGENT_WORDS) else 3
    if urgency == 2 and service is not None and service.criticality in ("critical", "high"):
        urgency = 1
    return incident_create(
        actor=requester,
        requester=requester,
        title=title,
        description=description,
        impact=impact,
        urgency=urgency,
        service=service,
        channel="portal",
    )


def incidents_auto_close(*, now=None) -> int:
    """Close resolved incidents after the configured number of days. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=IncidentSettings.current().auto_close_days)
    closed = 0
    for incident in Incident.objects.filter(state=State.RESOLVED, resolved_at__lte=cutoff).only("pk")[:1000]:
        try:
            incident_transition(
                actor=None,
                incident=incident,
                state=State.CLOSED,
                comment=str(gettext_lazy("Closed automatically after the confirmation period.")),
                at=now,
            )
            closed += 1
        except ValidationError:
            continue  # reopened meanwhile
    return closed
