"""Agent side: the request queue, request detail with tasks and approvals, the fulfilment task queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import StaleVersionError
from core.forms import AttachmentForm, CommentForm
from core.pagination import DeepPaginator
from core.roles import is_agent
from core.selectors import attachments_for, audit_for, timeline_for
from core.services.feedback import satisfaction_for
from org.models import Team
from requests_catalog import fulfilment, lifecycle, selectors
from requests_catalog.choices import TASK_TRANSITIONS, TRANSITIONS, State, TaskState
from requests_catalog.filters import RequestFilterSet
from requests_catalog.forms import RequestTransitionForm, TaskActionForm
from requests_catalog.models import CatalogItem, RequestTask
from requests_catalog.permissions import can_transition
from requests_catalog.portal_views import answers_display, form_errors_text, record_refs
from sla.selectors import sla_clock_data

PAGE_SIZE = 25
TASK_QUEUES = {
    "teams": gettext_lazy("My teams"),
    "mine": gettext_lazy("Mine"),
    "all": gettext_lazy("All open"),
}


def _agent_only(request) -> None:
    if not is_agent(request.user):
        raise PermissionDenied


@login_required
def request_list(request):
    _agent_only(request)
    filterset = RequestFilterSet(request.GET, queryset=selectors.request_list(user=request.user))
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if not request.GET.get("state"):
        qs = qs.filter(state__in=[State.SUBMITTED, State.AWAITING_APPROVAL, State.APPROVED, State.FULFILLING])
    qs = qs.order_by("sla_due_at", "-created_at", "id")
    page = DeepPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "requests_catalog/list.html",
        {
            "page_obj": page,
            "requests": page.object_list,
            "query": query.urlencode(),
            "state_choices": State.choices,
            "selected_states": request.GET.getlist("state"),
            "item_options": list(CatalogItem.objects.order_by("name").values_list("pk", "name")),
            "team_options": list(
                Team.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
            ),
            "selected": {name: request.GET.get(name, "") for name in ("item", "assignment_group", "q")},
            "now": timezone.now(),
        },
    )


def _detail_context(request, service_request, *, transition_form=None) -> dict:
    now = timezone.now()
    tasks = list(service_request.tasks.all())
    records = record_refs([service_request])
    for task in tasks:
        task.allowed = [TaskState(s) for s in TASK_TRANSITIONS[task.state]]
        task.answers = answers_display(service_request, task.visible_fields or None, records=records)
    return {
        "service_request": service_request,
        "ticket": service_request,
        "answers": answers_display(service_request, records=records),
        "tasks": tasks,
        "approval_requests": list(service_request.approval_requests.all()),
        "clocks": [sla_clock_data(c, now=now) for c in service_request.sla_clocks.all()],
        "clock_objects": list(service_request.sla_clocks.all()),
        "allowed_states": [
            State(s)
            for s in TRANSITIONS[service_request.state]
            if s in (State.CANCELLED, State.FULFILLED, State.CLOSED)
            and can_transition(request.user, service_request, s)
            and not lifecycle.transition_errors(service_request, s)
        ],
        "transition_form": transition_form
        or RequestTransitionForm(initial={"version": service_request.version}),
        "timeline": timeline_for(ticket=service_request, user=request.user),
        "attachments": attachments_for(ticket=service_request, user=request.user),
        "can_work": True,
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "rating": satisfaction_for(ticket=service_request),
        "audit": audit_for(obj=service_request)[:50],
    }


@login_required
def request_detail(request, pk: int):
    service_request = selectors.request_detail(user=request.user, pk=pk)
    if service_request is None:
        raise Http404
    if not is_agent(request.user):
        return redirect("requests_catalog:portal_detail", pk=pk)
    return render(request, "requests_catalog/detail.html", _detail_context(request, service_request))


def _error_text(exc) -> str:
    if isinstance(exc, StaleVersionError):
        return _("Someone else changed this meanwhile. The page shows the current version; try again.")
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do that.")


@login_required
@require_POST
def request_transition(request, pk: int):
    _agent_only(request)
    service_request = selectors.request_detail(user=request.user, pk=pk)
    if service_request is None:
        raise Http404
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
        except (StaleVersionError, ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("%(number)s is now %(state)s.")
                % {"number": service_request.number, "state": State(form.cleaned_data["state"]).label},
            )
    else:
        messages.error(request, form_errors_text(form))
    return redirect("requests_catalog:detail", pk=pk)


@login_required
@require_POST
def task_action(request, pk: int):
    _agent_only(request)
    task = get_object_or_404(RequestTask.objects.select_related("request"), pk=pk)
    form = TaskActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["assign_to_me"]:
                fulfilment.task_assign(
                    actor=request.user, task=task, assignee=request.user, version=data["version"]
                )
            else:
                fulfilment.task_transition(
                    actor=request.user,
                    task=task,
                    state=data["state"],
                    notes=data["notes"],
                    version=data["version"],
                )
        except (StaleVersionError, ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Task updated."))
    else:
        messages.error(request, form_errors_text(form))
    back = request.POST.get("next")
    if back == "tasks":
        return redirect("requests_catalog:tasks")
    return redirect("requests_catalog:detail", pk=task.request_id)


@login_required
def task_queue(request):
    _agent_only(request)
    scope = request.GET.get("queue", "teams")
    if scope not in TASK_QUEUES:
        scope = "teams"
    qs = selectors.task_queue(user=request.user, scope=scope)
    page = DeepPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page.object_list:
        task.allowed = [TaskState(s) for s in TASK_TRANSITIONS[task.state] if s != TaskState.CANCELLED]
    return render(
        request,
        "requests_catalog/tasks.html",
        {
            "page_obj": page,
            "tasks": page.object_list,
            "queue": scope,
            "queues": TASK_QUEUES,
            "now": timezone.now(),
        },
    )
