"""Self-service portal: known issues and their workarounds in plain language, and the suggestion panel
on the report form whose "This solved my problem" ends the request without a ticket (a deflection)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.pagination import DeepPaginator
from problems import selectors, services
from problems.choices import Channel
from problems.suggestion_views import MIN_TEXT, PANEL_LIMIT, _int


def _known_error_or_404(request, pk):
    problem = selectors.known_error_list(user=request.user).filter(pk=pk).first()
    if problem is None:
        raise Http404
    return problem


@login_required
@require_GET
def portal_kedb(request):
    text = (request.GET.get("q") or "").strip()
    page = None
    if text:
        results = [r.problem for r in selectors.known_errors_search(user=request.user, text=text, limit=20)]
    else:
        page = DeepPaginator(selectors.known_error_list(user=request.user), 20).get_page(
            request.GET.get("page")
        )
        results = page.object_list
    context = {"results": results, "q": text, "page_obj": page, "query": ""}
    template = (
        "problems/_portal_kedb_results.html"
        if request.htmx and request.htmx.target == "known-issues"
        else "problems/portal_kedb.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def portal_known_error(request, pk: int):
    return render(request, "problems/portal_known_error.html", {"problem": _known_error_or_404(request, pk)})


@login_required
@require_GET
def portal_suggest(request):
    """htmx: known issues matching what the user is typing in the report form."""
    text = f"{request.GET.get('title', '')}\n{request.GET.get('description', '')}".strip()
    draft = services.clean_draft(request.GET.get("suggest_draft"))
    ranked = []
    if len(text) >= MIN_TEXT:
        ranked = selectors.known_errors_search(
            user=request.user, text=text, service_id=_int(request.GET.get("service")), limit=PANEL_LIMIT
        )
        services.suggestions_record_shown(
            problem_ids=[r.problem.pk for r in ranked], channel=Channel.PORTAL, draft=draft, user=request.user
        )
    return render(request, "problems/_portal_suggestions.html", {"ranked": ranked, "draft": draft})


@login_required
@require_POST
def portal_solved(request):
    """ "This solved my problem": count the deflection and thank the user instead of logging a ticket."""
    problem = _known_error_or_404(request, _int(request.POST.get("problem")) or 0)
    try:
        services.suggestion_record_deflection(
            user=request.user, problem=problem, draft=request.POST.get("suggest_draft", "")
        )
    except ValidationError:
        raise Http404 from None
    response = redirect("problems:portal_thanks", pk=problem.pk)
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


@login_required
@require_GET
def portal_thanks(request, pk: int):
    return render(request, "problems/portal_thanks.html", {"problem": _known_error_or_404(request, pk)})
