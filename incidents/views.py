"""Agent workspace pages for incidents (portal pages live in portal_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import StaleVersionError
from core.forms import AttachmentForm, CommentForm
from core.http import redirect_next
from core.pagination import DeepPaginator
from core.roles import is_agent
from core.selectors import attachments_for, audit_for, timeline_for
from core.services.feedback import satisfaction_for
from core.templatetags.itsm import person
from incidents import selectors, services
from incidents.choices import TRANSITIONS, Priority, State
from incidents.filters import IncidentFilterSet
from incidents.forms import BulkAssignForm, IncidentForm, TransitionForm, agents_queryset
from incidents.permissions import can_transition
from org.models import Team
from org.selectors import service_options
from sla.selectors import sla_clock_data, team_time_shares_for

QUEUE_LABELS = {
    "mine": gettext_lazy("Assigned to me"),
    "my_teams": gettext_lazy("My teams"),
    "unassigned": gettext_lazy("Unassigned"),
    "breaching": gettext_lazy("Breaching soon"),
    "major": gettext_lazy("Major"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("All"),
}
SORT_LABELS = {
    "due": gettext_lazy("SLA due"),
    "priority": gettext_lazy("Priority"),
    "newest": gettext_lazy("Newest"),
    "oldest": gettext_lazy("Oldest"),
}
PAGE_SIZE = 25


def _agent_only(request):
    if not is_agent(request.user):
        raise PermissionDenied


@login_required
def queue(request):
    _agent_only(request)
    queue_name = request.GET.get("queue", "my_teams")
    if queue_name not in selectors.QUEUES:
        queue_name = "my_teams"
    order = request.GET.get("sort", "due")
    filterset = IncidentFilterSet(
        request.GET, queryset=selectors.incident_queue(user=request.user, queue=queue_name, order=order)
    )
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    counts = selectors.queue_counts(user=request.user)
    # Unfiltered, the tab count is this queue's size: counting the same rows again would cost as much.
    known = counts.get(queue_name) if not filterset.filters else None
    page = DeepPaginator(qs, PAGE_SIZE, count=known).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "queue": queue_name,
        "sort": order if order in selectors.QUEUE_ORDERINGS else "due",
        "sort_labels": SORT_LABELS,
        "queue_labels": QUEUE_LABELS,
        "counts": counts,
        "filter": filterset,
        "page_obj": page,
        "incidents": page.object_list,
        "query": query.urlencode(),
        "now": timezone.now(),
        # Plain option lists rendered by a loop: Django's select widgets render every <option>
        # through a template, which costs more than the rest of the page.
        "team_options": list(Team.objects.filter(is_active=True).order_by("name").values_list("pk", "name")),
        "service_options": service_options(),
        "agent_options": [
            (u.pk, person(u)) for u in agents_queryset().only("pk", "username", "first_name", "last_name")
        ],
        "selected": {name: request.GET.get(name, "") for name in ("assignment_group", "service", "assignee")},
        "state_choices": State.choices,
        "priority_choices": Priority.choices,
        "selected_states": request.GET.getlist("state"),
        "selected_priorities": request.GET.getlist("priority"),
    }
    template = (
        "incidents/_queue_table.html"
        if request.htmx and request.htmx.target == "queue-table"
        else "incidents/queue.html"
    )
    return render(request, template, context)


def _detail_context(request, incident, *, transition_form=None, comment_form=None):
    clocks = list(incident.sla_clocks.all())
    now = timezone.now()
    allowed = [s for s in TRANSITIONS[incident.state] if can_transition(request.user, incident, s)]
    return {
        "incident": incident,
        "ticket": incident,
        "clocks": [sla_clock_data(c, now=now) for c in clocks],
        "clock_objects": clocks,
        "allowed_states": [State(s) for s in allowed],
        "transition_form": transition_form or TransitionForm(initial={"version": incident.version}),
        "timeline": timeline_for(ticket=incident, user=request.user),
        "attachments": attachments_for(ticket=incident, user=request.user),
        "audit": audit_for(obj=incident)[:50],
        "can_work": is_agent(request.user),
        "comment_form": comment_form or CommentForm(),
        "attachment_form": AttachmentForm(),
        "rating": satisfaction_for(ticket=incident),
        "team_shares": team_time_shares_for(ticket=incident),
        "now": now,
    }


@login_required
def detail(request, pk: int):
    _agent_only(request)
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        raise Http404
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@login_required
def create(request):
    _agent_only(request)
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            data = form.service_kwargs()
            try:
                incident = services.incident_create(actor=request.user, **data)
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("%(number)s logged.") % {"number": incident.number})
                return redirect("incidents:detail", pk=incident.pk)
    else:
        form = IncidentForm(initial={"impact": 3, "urgency": 3, "channel": "phone"})
    return render(request, "incidents/form.html", {"form": form, "creating": True})


@login_required
def edit(request, pk: int):
    _agent_only(request)
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        raise Http404
    if request.method == "POST":
        form = IncidentForm(request.POST, instance=incident)
        if form.is_valid():
            data = form.service_kwargs()
            changes = {k: v for k, v in data.items() if k in form.changed_data}
            try:
                services.incident_update(
                    actor=request.user, incident=incident, version=form.cleaned_data.get("version"), **changes
                )
            except StaleVersionError:
                form.add_error(
                    None,
                    _(
                        "Someone else changed %(number)s while you were editing. Your changes were not saved; "
                        "reload to see theirs."
                    )
                    % {"number": incident.number},
                )
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": incident.number})
                return redirect("incidents:detail", pk=incident.pk)
    else:
        form = IncidentForm(instance=incident)
    return render(request, "incidents/form.html", {"form": form, "incident": incident, "creating": False})


@login_required
@require_POST
def transition(request, pk: int):
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        raise Http404
    form = TransitionForm(request.POST)
    error_status = 200 if request.htmx else 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_transition(
                actor=request.user,
                incident=incident,
                state=data["state"],
                version=data.get("version"),
                hold_reason=data["hold_reason"],
                resolution_code=data["resolution_code"],
                resolution_notes=data["resolution_notes"],
                comment=data["comment"],
            )
        except StaleVersionError:
            form.add_error(None, _("Someone else changed this incident meanwhile. Reload and try again."))
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(
                request,
                _("%(number)s is now %(state)s.")
                % {"number": incident.number, "state": incident.get_state_display()},
            )
            target = "incidents:detail" if is_agent(request.user) else "incidents:portal_detail"
            response = redirect(target, pk=incident.pk)
            if request.htmx:
                response["HX-Redirect"] = response["Location"]
            return response
    incident = selectors.incident_detail(user=request.user, pk=pk)
    template = "incidents/detail.html" if is_agent(request.user) else "incidents/portal_detail.html"
    context = _detail_context(request, incident, transition_form=form)
    context["transition_target"] = request.POST.get("state")
    return render(request, template, context, status=error_status)


@login_required
@require_POST
def bulk_assign(request):
    _agent_only(request)
    form = BulkAssignForm(request.POST, incidents_qs=selectors.incident_list(user=request.user))
    if form.is_valid():
        done, problems = services.incidents_bulk_assign(
            actor=request.user,
            incidents=form.cleaned_data["incidents"],
            assignment_group=form.cleaned_data["assignment_group"],
            assignee=form.cleaned_data["assignee"],
        )
        if done:
            messages.success(request, _("%(count)d incidents assigned.") % {"count": done})
        for problem in problems:
            messages.error(request, problem)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect_next(request, "incidents:queue")
