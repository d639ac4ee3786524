"""Self-service portal: find and order from the catalogue, follow own requests, decide approvals, rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import services as approvals
from approvals.models import ApprovalStep
from core.errors import StaleVersionError
from core.forms import AttachmentForm, CommentForm
from core.pagination import DeepPaginator
from core.selectors import attachments_for, timeline_for
from core.services.feedback import satisfaction_for
from requests_catalog import dynamic_form, formdef, lifecycle, selectors
from requests_catalog.choices import TRANSITIONS, State
from requests_catalog.forms import DecisionForm, RatingForm, RequestTransitionForm
from requests_catalog.models import CatalogCategory, ServiceRequest
from requests_catalog.permissions import can_rate, can_transition
from sla.selectors import sla_clock_data


def form_errors_text(form) -> str:
    """A refused POST without a page of its own says what was wrong in a message (never a silent no-op)."""
    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    return _("The action was not done: %(problems)s") % {"problems": problems}


def record_refs(service_requests) -> dict:
    """Display names of every user and service answered in these requests, loaded at once."""
    return formdef.record_names(
        (field["type"], r.answers.get(field["name"]))
        for r in service_requests
        for field in r.item.form
        if field["type"] in ("user", "service")
    )


def answers_display(service_request: ServiceRequest, names=None, records: dict | None = None) -> list[dict]:
    language = translation.get_language()
    if records is None:
        records = record_refs([service_request])
    rows = []
    for field in service_request.item.form:
        if field["name"] not in service_request.answers or (names and field["name"] not in names):
            continue
        value = service_request.answers[field["name"]]
        rows.append(
            {
                "name": field["name"],
                "label": formdef.field_label(field, language),
                "value": formdef.answer_display(field, value, language=language, records=records),
            }
        )
    return rows


@login_required
def portal_catalogue(request):
    query = (request.GET.get("q") or "").strip()
    category = None
    if request.GET.get("category", "").isdigit():
        category = get_object_or_404(CatalogCategory, pk=int(request.GET["category"]), is_active=True)
    if query:
        items = selectors.item_search(user=request.user, text=query)
    elif category is not None:
        items = list(selectors.category_items(user=request.user, category=category))
    else:
        items = list(selectors.orderable_items(user=request.user)[:60])
    return render(
        request,
        "requests_catalog/portal_catalogue.html",
        {
            "categories": selectors.category_tree(user=request.user),
            "catalog_items": items,
            "q": query,
            "category": category,
        },
    )


@login_required
def portal_order(request, pk: int):
    item = selectors.orderable_items(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    language = translation.get_language()
    status = 200
    if request.method == "POST":
        form = dynamic_form.build_form(item.form, data=request.POST, language=language)
        if form.is_valid():
            try:
                created = lifecycle.request_submit(actor=request.user, item=item, answers=form.answers)
            except lifecycle.AnswerErrors as exc:
                for name, errors in exc.answer_errors.items():
                    form.add_error(name if name in form.fields else None, errors)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("Thanks — your request %(number)s is on its way.") % {"number": created.number}
                )
                return redirect("requests_catalog:portal_detail", pk=created.pk)
        status = 400
    else:
        form = dynamic_form.build_form(item.form, language=language)
    return render(request, "requests_catalog/portal_order.html", {"item": item, "form": form}, status=status)


@login_required
def portal_list(request):
    qs = (
        ServiceRequest.objects.filter(requester=request.user)
        .select_related("item")
        .order_by("-created_at", "-id")
    )
    page = DeepPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request, "requests_catalog/portal_list.html", {"page_obj": page, "requests": page.object_list}
    )


def _visible(request, pk: int) -> ServiceRequest:
    service_request = selectors.request_detail(user=request.user, pk=pk)
    if service_request is None:
        raise Http404
    return service_request


def portal_detail_context(request, service_request, **extra) -> dict:
    now = timezone.now()
    allowed = [
        State(s)
        for s in TRANSITIONS[service_request.state]
        if s in (State.CANCELLED, State.CLOSED, State.FULFILLING)
        and service_request.requester_id == request.user.pk
        and can_transition(request.user, service_request, s)
    ]
    return {
        "service_request": service_request,
        "ticket": service_request,
        "answers": answers_display(service_request),
        "tasks": list(service_request.tasks.all()),
        "approval_requests": list(service_request.approval_requests.all()),
        "clocks": [
            sla_clock_data(c, now=now) for c in service_request.sla_clocks.all() if c.kind == "resolution"
        ],
        "allowed_states": allowed,
        "transition_form": RequestTransitionForm(initial={"version": service_request.version}),
        "timeline": timeline_for(ticket=service_request, user=request.user),
        "attachments": attachments_for(ticket=service_request, user=request.user),
        "can_work": False,
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "rating": satisfaction_for(ticket=service_request),
        "can_rate": can_rate(request.user, service_request),
        "rating_form": RatingForm(),
        "decision_form": DecisionForm(),
        "waiting_step": _waiting_step(request.user, service_request),
        **extra,
    }


def _waiting_step(user, service_request):
    for row in selectors.approvals_for_requests(user=user):
        if row["service_request"] and row["service_request"].pk == service_request.pk:
            return row["step"]
    return None


@login_required
def portal_detail(request, pk: int):
    service_request = _visible(request, pk)
    return render(
        request, "requests_catalog/portal_detail.html", portal_detail_context(request, service_request)
    )


@login_required
@require_POST
def portal_transition(request, pk: int):
    service_request = _visible(request, pk)
    form = RequestTransitionForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.request_transition(
                actor=request.user,
                request=service_request,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            messages.error(
                request, _("Someone else changed this request meanwhile. Here is the current version.")
            )
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text or _("You may not do that."))
        else:
            messages.success(request, _("Request updated."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("requests_catalog:portal_detail", pk=service_request.pk)


@login_required
@require_POST
def portal_rate(request, pk: int):
    service_request = _visible(request, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
    else:
        try:
            lifecycle.request_rate(actor=request.user, request=service_request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect("requests_catalog:portal_detail", pk=service_request.pk)


@login_required
def portal_approvals(request):
    rows = selectors.approvals_for_requests(user=request.user)
    records = record_refs([row["service_request"] for row in rows])
    for row in rows:
        row["answers"] = answers_display(row["service_request"], records=records)
    return render(
        request, "requests_catalog/portal_approvals.html", {"rows": rows, "decision_form": DecisionForm()}
    )


@login_required
@require_POST
def portal_decide(request, step_id: int):
    step = get_object_or_404(ApprovalStep.objects.select_related("request"), pk=step_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            approvals.approval_decide(
                approval_step=step,
                approver=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You are not an approver of this request."))
        else:
            messages.success(request, _("Your decision was recorded."))
    else:
        messages.error(request, _("Choose approve or reject."))
    target = request.POST.get("next")
    if target == "detail" and step.request.object_id:
        return redirect("requests_catalog:portal_detail", pk=step.request.object_id)
    return redirect("requests_catalog:portal_approvals")
