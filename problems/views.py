"""Agent workspace pages for problems and proposals (suggestions and the KEDB: suggestion_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import StaleVersionError
from core.forms import AttachmentForm, CommentForm
from core.pagination import DeepPaginator
from core.roles import is_agent
from core.selectors import attachments_for, audit_for, timeline_for
from incidents.choices import Priority
from org.models import Team
from org.selectors import service_options
from problems import selectors, services
from problems.choices import TRANSITIONS, ProposalState, State
from problems.filters import ProblemFilterSet
from problems.forms import LinkIncidentsForm, ProblemForm, ProposalAcceptForm, TransitionForm
from problems.models import ProblemProposal, SuggestionEvent

PAGE_SIZE = 25
VIEWS = {
    "open": (gettext_lazy("Open"), {"is_open": True}),
    "known_error": (gettext_lazy("Known errors"), {"is_published": True}),
    "resolved": (gettext_lazy("Resolved"), {"state": State.RESOLVED}),
    "all": (gettext_lazy("All"), {}),
}


def _agent_only(request):
    if not is_agent(request.user):
        raise PermissionDenied


def _problem_or_404(request, pk: int):
    problem = selectors.problem_detail(user=request.user, pk=pk)
    if problem is None:
        raise Http404
    return problem


@login_required
def problem_list(request):
    _agent_only(request)
    view = request.GET.get("view", "open")
    if view not in VIEWS:
        view = "open"
    qs = selectors.problem_page(user=request.user)
    preset = VIEWS[view][1]
    if "is_open" in preset:
        qs = qs.filter(state__in=("new", "investigating", "known_error"))
    elif "is_published" in preset:
        qs = qs.filter(published_at__isnull=False)
    elif "state" in preset:
        qs = qs.filter(state=preset["state"])
    filterset = ProblemFilterSet(request.GET, queryset=qs)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = DeepPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "view": view,
        "view_labels": {key: label for key, (label, _preset) in VIEWS.items()},
        "filter": filterset,
        "page_obj": page,
        "problems": page.object_list,
        "query": query.urlencode(),
        "counts": selectors.open_counts(user=request.user),
        "team_options": list(Team.objects.filter(is_active=True).order_by("name").values_list("pk", "name")),
        "service_options": service_options(),
        "priority_choices": Priority.choices,
        "selected": {name: request.GET.get(name, "") for name in ("owner_team", "service", "priority")},
    }
    template = (
        "problems/_list_table.html"
        if request.htmx and request.htmx.target == "problem-table"
        else "problems/list.html"
    )
    return render(request, template, context)


def _detail_context(request, problem, *, transition_form=None, link_form=None, comment_form=None):
    counts = SuggestionEvent.objects.filter(problem=problem).values_list("kind")
    tally = {"shown": 0, "applied": 0, "deflected": 0}
    for (kind,) in counts:
        tally[kind] = tally.get(kind, 0) + 1
    return {
        "problem": problem,
        "ticket": problem,
        "allowed_states": [State(s) for s in TRANSITIONS[problem.state]],
        "can_publish": problem.state in (State.NEW, State.INVESTIGATING),
        "transition_form": transition_form
        or TransitionForm(
            initial={
                "version": problem.version,
                "fix_notes": problem.fix_notes,
                "fix_change": problem.fix_change,
            }
        ),
        "link_form": link_form or LinkIncidentsForm(),
        "incidents": selectors.linked_incidents(problem=problem),
        "timeline": timeline_for(ticket=problem, user=request.user),
        "attachments": attachments_for(ticket=problem, user=request.user),
        "audit": audit_for(obj=problem)[:50],
        "can_work": True,
        "comment_form": comment_form or CommentForm(),
        "attachment_form": AttachmentForm(),
        "tally": tally,
    }


@login_required
def problem_detail(request, pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    return render(request, "problems/detail.html", _detail_context(request, problem))


@login_required
def problem_create(request):
    _agent_only(request)
    if request.method == "POST":
        form = ProblemForm(request.POST)
        if form.is_valid():
            try:
                problem = services.problem_create(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("%(number)s raised.") % {"number": problem.number})
                return redirect("problems:detail", pk=problem.pk)
    else:
        form = ProblemForm(initial={"priority": 3})
    return render(request, "problems/form.html", {"form": form, "creating": True})


@login_required
def problem_edit(request, pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    if request.method == "POST":
        form = ProblemForm(request.POST, instance=problem)
        if form.is_valid():
            data = form.service_kwargs()
            changes = {k: v for k, v in data.items() if k in form.changed_data}
            try:
                services.problem_update(
                    actor=request.user, problem=problem, version=form.cleaned_data.get("version"), **changes
                )
            except StaleVersionError:
                form.add_error(
                    None,
                    _(
                        "Someone else changed %(number)s while you were editing. Your changes were not saved; "
                        "reload to see theirs."
                    )
                    % {"number": problem.number},
                )
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": problem.number})
                return redirect("problems:detail", pk=problem.pk)
    else:
        form = ProblemForm(instance=problem)
    return render(request, "problems/form.html", {"form": form, "problem": problem, "creating": False})


def _after_action(request, problem, message: str):
    messages.success(request, message)
    response = redirect("problems:detail", pk=problem.pk)
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


def _action_failed(request, pk: int, form, target: str):
    problem = _problem_or_404(request, pk)
    context = _detail_context(request, problem, transition_form=form)
    context["transition_target"] = target
    return render(request, "problems/detail.html", context, status=200 if request.htmx else 400)


@login_required
@require_POST
def problem_transition(request, pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_transition(
                actor=request.user,
                problem=problem,
                state=data["state"],
                version=data.get("version"),
                comment=data["comment"],
                fix_notes=(data["fix_notes"] or None) if data["state"] == State.RESOLVED else None,
                fix_change=(data["fix_change"] or None) if data["state"] == State.RESOLVED else None,
                resolve_incidents=data["resolve_incidents"],
                incident_note=data["incident_note"] or "fix",
            )
        except StaleVersionError:
            form.add_error(None, _("Someone else changed this problem meanwhile. Reload and try again."))
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            return _after_action(
                request,
                problem,
                _("%(number)s is now %(state)s.")
                % {"number": problem.number, "state": problem.get_state_display()},
            )
    return _action_failed(request, pk, form, request.POST.get("state", ""))


@login_required
@require_POST
def problem_publish(request, pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        problem = services.problem_publish(
            actor=request.user, problem=problem, version=form.cleaned_data.get("version")
        )
    except StaleVersionError:
        form.add_error(None, _("Someone else changed this problem meanwhile. Reload and try again."))
    except ValidationError as exc:
        form.add_errors(exc)
    else:
        return _after_action(
            request, problem, _("%(number)s is published as a known error.") % {"number": problem.number}
        )
    return _action_failed(request, pk, form, "publish")


@login_required
@require_POST
def problem_link(request, pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    form = LinkIncidentsForm(request.POST)
    if form.is_valid():
        try:
            linked = services.problem_link_incidents(
                actor=request.user, problem=problem, incidents=form.cleaned_data["numbers"]
            )
        except ValidationError as exc:
            form.add_errors(ValidationError({"numbers": exc.messages}))
        else:
            return _after_action(
                request,
                problem,
                _("Linked %(numbers)s.") % {"numbers": ", ".join(i.number for i in linked) or "—"},
            )
    context = _detail_context(request, problem, link_form=form)
    return render(request, "problems/detail.html", context, status=200 if request.htmx else 400)


@login_required
@require_POST
def problem_unlink(request, pk: int, incident_pk: int):
    _agent_only(request)
    problem = _problem_or_404(request, pk)
    incident = get_object_or_404(problem.incidents.all(), pk=incident_pk)
    services.problem_unlink_incident(actor=request.user, problem=problem, incident=incident)
    return _after_action(request, problem, _("Unlinked %(number)s.") % {"number": incident.number})


PROPOSAL_TABS = {
    ProposalState.PENDING: gettext_lazy("Pending"),
    ProposalState.ACCEPTED: gettext_lazy("Accepted"),
    ProposalState.DISMISSED: gettext_lazy("Dismissed"),
}


@login_required
def proposal_list(request):
    _agent_only(request)
    state = request.GET.get("state", ProposalState.PENDING)
    if state not in PROPOSAL_TABS:
        state = ProposalState.PENDING
    page = DeepPaginator(selectors.proposal_list(user=request.user, state=state), 10).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "problems/proposals.html",
        {
            "state": state,
            "tabs": PROPOSAL_TABS,
            "page_obj": page,
            "proposals": page.object_list,
            "query": f"state={state}",
            "counts": selectors.open_counts(user=request.user),
        },
    )


def _proposal_or_404(request, pk: int) -> ProblemProposal:
    proposal = selectors.proposal_list(user=request.user, state="").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


@login_required
@require_POST
def proposal_accept(request, pk: int):
    _agent_only(request)
    proposal = _proposal_or_404(request, pk)
    form = ProposalAcceptForm(request.POST)
    form.is_valid()
    try:
        problem = services.problem_proposal_accept(
            actor=request.user, proposal=proposal, title=form.cleaned_data.get("title", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("problems:proposals")
    messages.success(request, _("%(number)s opened from the proposal.") % {"number": problem.number})
    return redirect("problems:detail", pk=problem.pk)


@login_required
@require_POST
def proposal_dismiss(request, pk: int):
    _agent_only(request)
    proposal = _proposal_or_404(request, pk)
    try:
        services.problem_proposal_dismiss(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Proposal dismissed; these incidents will not be proposed again."))
    return redirect("problems:proposals")
