"""Known-error suggestions in the agent workspace: the panel on the incident form and detail page,
applying a workaround, and the KEDB page with its suggestion counts and deflection rate."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.pagination import DeepPaginator
from core.roles import is_agent
from incidents.forms import IncidentForm
from incidents.permissions import incident_scope
from incidents.services import incident_create
from org.selectors import service_options
from problems import selectors, services
from problems.choices import Channel
from problems.models import Problem

PANEL_LIMIT = 5
MIN_TEXT = 3  # characters typed before suggesting anything


def _agent_only(request):
    if not is_agent(request.user):
        raise PermissionDenied


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _incident(request, pk):
    incident = incident_scope(request.user).select_related("category").filter(pk=pk).first() if pk else None
    if pk and incident is None:
        raise Http404
    return incident


def _record(request, ranked, draft: str, channel: str = Channel.WORKSPACE) -> None:
    services.suggestions_record_shown(
        problem_ids=[r.problem.pk for r in ranked], channel=channel, draft=draft, user=request.user
    )


@login_required
@require_GET
def suggest(request):
    """htmx: known errors for what the agent is typing on the incident form."""
    _agent_only(request)
    text = f"{request.GET.get('title', '')}\n{request.GET.get('description', '')}".strip()
    incident = _incident(request, _int(request.GET.get("incident")))
    draft = services.clean_draft(request.GET.get("suggest_draft"))
    ranked = []
    if len(text) >= MIN_TEXT and not (incident and incident.problem_id):
        ranked = selectors.known_errors_search(
            user=request.user,
            text=text,
            service_id=_int(request.GET.get("service")),
            category_ids=selectors.category_family(_int(request.GET.get("category"))),
            limit=PANEL_LIMIT,
        )
        _record(request, ranked, draft)
    mode = "edit" if incident else "create"
    return render(
        request,
        "problems/_suggestions.html",
        {"ranked": ranked, "mode": mode, "incident": incident, "draft": draft},
    )


@login_required
@require_GET
def incident_panel(request, incident_pk: int):
    """htmx: on an incident without a problem, the known errors that match it, each with Apply."""
    _agent_only(request)
    incident = _incident(request, incident_pk)
    draft = uuid.uuid4().hex  # each look at the page is one session
    ranked = []
    if incident.problem_id is None:
        ranked = selectors.suggestions_for_incident(user=request.user, incident=incident, limit=PANEL_LIMIT)
        _record(request, ranked, draft)
    return render(
        request,
        "problems/_suggestions.html",
        {"ranked": ranked, "mode": "detail", "incident": incident, "draft": draft},
    )


def _published_or_404(pk) -> Problem:
    return get_object_or_404(Problem.objects.filter(published_at__isnull=False), pk=_int(pk) or 0)


def _to_incident(request, incident):
    response = redirect("incidents:detail", pk=incident.pk)
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


@login_required
@require_POST
def apply(request):
    """Apply a known error's workaround to an existing incident (links it to the problem)."""
    _agent_only(request)
    incident = _incident(request, _int(request.POST.get("incident")))
    if incident is None:
        raise Http404
    problem = _published_or_404(request.POST.get("apply_problem"))
    try:
        services.problem_apply_workaround(
            actor=request.user,
            problem=problem,
            incident=incident,
            draft=request.POST.get("suggest_draft", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Workaround from %(problem)s applied; %(incident)s is linked to it.")
            % {"problem": problem.number, "incident": incident.number},
        )
    return _to_incident(request, incident)


@login_required
@require_POST
def log_and_apply(request):
    """One click on the logging form: log the incident and apply the suggested workaround."""
    _agent_only(request)
    problem = _published_or_404(request.POST.get("apply_problem"))
    form = IncidentForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                incident = incident_create(actor=request.user, **form.service_kwargs())
                services.problem_apply_workaround(
                    actor=request.user,
                    problem=problem,
                    incident=incident,
                    draft=request.POST.get("suggest_draft", ""),
                )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(
                request,
                _("%(incident)s logged with the workaround from %(problem)s.")
                % {"incident": incident.number, "problem": problem.number},
            )
            return _to_incident(request, incident)
    return render(request, "incidents/form.html", {"form": form, "creating": True})


@login_required
@require_GET
def kedb(request):
    """The known-error database for agents: search, suggestion counts and the deflection rate."""
    _agent_only(request)
    text = (request.GET.get("q") or "").strip()
    service_id = _int(request.GET.get("service"))
    page = None
    if text:
        ranked = selectors.known_errors_search(user=request.user, text=text, service_id=service_id, limit=50)
        counted = selectors.with_suggestion_counts(selectors.known_error_list(user=request.user)).in_bulk(
            [r.problem.pk for r in ranked]
        )
        rows = []
        for r in ranked:
            row = counted[r.problem.pk]
            row.match = r.match
            rows.append(row)
    else:
        qs = selectors.with_suggestion_counts(selectors.known_error_list(user=request.user))
        if service_id:
            qs = qs.filter(services=service_id)
        page = DeepPaginator(qs, 25).get_page(request.GET.get("page"))
        rows = page.object_list
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows,
        "page_obj": page,
        "q": text,
        "query": query.urlencode(),
        "service_id": service_id,
        "service_options": service_options(),
        "stats": selectors.suggestion_stats(),
    }
    template = (
        "problems/_kedb_results.html"
        if request.htmx and request.htmx.target == "kedb-results"
        else "problems/kedb.html"
    )
    return render(request, template, context)
