"""Workspace pages for changes: list, detail, forms per type, calendar and the standard catalogue."""

import calendar as pycalendar
from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import ApprovalState
from approvals.permissions import is_eligible
from approvals.selectors import approvals_for
from changes import selectors, services
from changes.choices import ChangeType, Risk, State, allowed_next
from changes.filters import ChangeFilterSet
from changes.forms import ChangeForm, ChangeTemplateForm, StandardChangeForm, TransitionForm, change_initial
from changes.models import ChangeTemplate
from changes.permissions import can_manage_templates, can_see_changes
from changes.scheduling import conflicts_for
from core.errors import StaleVersionError
from core.forms import CommentForm
from core.pagination import DeepPaginator
from core.selectors import audit_for, timeline_for
from core.services.config import config_object_save

PAGE_SIZE = 25


def _workers_only(request):
    if not can_see_changes(request.user):
        raise Http404  # requesters do not learn that changes exist


@login_required
def change_list(request):
    _workers_only(request)
    filterset = ChangeFilterSet(request.GET, queryset=selectors.change_list_page(user=request.user))
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = DeepPaginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    conflicts = conflicts_for(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "changes/list.html",
        {
            "page_obj": page,
            "rows": [{"change": c, "conflicts": conflicts[c.pk]} for c in rows],
            "filter": filterset,
            "query": query.urlencode(),
            "state_choices": State.choices,
            "type_choices": ChangeType.choices,
            "risk_choices": Risk.choices,
            "selected_states": request.GET.getlist("state"),
            "selected_types": request.GET.getlist("type"),
            "selected_risks": request.GET.getlist("risk"),
        },
    )


def _detail_context(request, change, *, transition_form=None):
    requests = list(approvals_for(target=change))
    steps = []
    for approval in requests:
        for step in approval.steps.all():
            steps.append(
                {
                    "step": step,
                    "request": approval,
                    "can_decide": step.is_active
                    and approval.state == ApprovalState.PENDING
                    and is_eligible(request.user, step)
                    and all(d.approver_id != request.user.pk for d in step.decisions.all()),
                }
            )
    return {
        "change": change,
        "ticket": change,
        "approval_requests": requests,
        "steps": steps,
        "conflicts": conflicts_for([change])[change.pk],
        "allowed_states": [
            State(s)
            for s in allowed_next(change.type, change.state)
            # From authorize, scheduling by hand is only offered once the approval is granted.
            if not (
                change.state == State.AUTHORIZE
                and s == State.SCHEDULED
                and not any(r.state == ApprovalState.APPROVED for r in requests)
            )
        ],
        "transition_form": transition_form or TransitionForm(initial={"version": change.version}),
        "timeline": timeline_for(ticket=change, user=request.user),
        "attachments": [],
        "audit": audit_for(obj=change)[:50],
        "can_work": True,
        "comment_form": CommentForm(),
    }


@login_required
def detail(request, pk: int):
    _workers_only(request)
    change = selectors.change_detail(user=request.user, pk=pk)
    if change is None:
        raise Http404
    return render(request, "changes/detail.html", _detail_context(request, change))


@login_required
def create(request):
    _workers_only(request)
    change_type = request.GET.get("type") or request.POST.get("type") or ""
    if change_type not in ChangeType.values:
        return render(request, "changes/choose_type.html", {"types": ChangeType.choices})
    if change_type == ChangeType.STANDARD:
        form = StandardChangeForm(request.POST or None, initial={"template": request.GET.get("template")})
    else:
        form = ChangeForm(request.POST or None, change_type=change_type)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(
                request,
                _("%(number)s recorded (%(state)s).")
                % {"number": change.number, "state": change.get_state_display()},
            )
            return redirect("changes:detail", pk=change.pk)
    return render(request, "changes/form.html", {"form": form, "change_type": ChangeType(change_type)})


@login_required
def edit(request, pk: int):
    _workers_only(request)
    change = selectors.change_detail(user=request.user, pk=pk)
    if change is None:
        raise Http404
    if not change.is_open:
        messages.error(request, _("A closed change can no longer be edited."))
        return redirect("changes:detail", pk=pk)
    initial = change_initial(change)
    form = ChangeForm(request.POST or None, initial=initial, change_type=change.type)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        data.pop("type", None)
        answers = data.pop("risk_answers", None)
        changed = {k: v for k, v in data.items() if k in form.changed_data}
        if answers is not None and any(name.startswith("q_") for name in form.changed_data):
            changed["risk_answers"] = answers
        try:
            services.change_update(
                actor=request.user, change=change, version=form.cleaned_data.get("version"), **changed
            )
        except StaleVersionError:
            form.add_error(None, _("Someone else changed this change meanwhile. Reload and try again."))
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("%(number)s saved.") % {"number": change.number})
            return redirect("changes:detail", pk=pk)
    return render(
        request, "changes/form.html", {"form": form, "change_type": ChangeType(change.type), "change": change}
    )


@login_required
@require_POST
def transition(request, pk: int):
    _workers_only(request)
    change = selectors.change_detail(user=request.user, pk=pk)
    if change is None:
        raise Http404
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.change_transition(
                actor=request.user,
                change=change,
                state=data["state"],
                version=data.get("version"),
                outcome=data["outcome"],
                review_notes=data["review_notes"],
                comment=data["comment"],
            )
        except StaleVersionError:
            form.add_error(None, _("Someone else changed this change meanwhile. Reload and try again."))
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(
                request,
                _("%(number)s is now %(state)s.")
                % {"number": change.number, "state": change.get_state_display()},
            )
            return redirect("changes:detail", pk=change.pk)
    change = selectors.change_detail(user=request.user, pk=pk)
    context = _detail_context(request, change, transition_form=form)
    context["transition_target"] = request.POST.get("state")
    return render(request, "changes/detail.html", context, status=200 if request.htmx else 400)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    end = last + timedelta(days=7 - last.weekday())
    return start, end


@login_required
def calendar(request):
    """Month (default) or week grid: changes as blocks, freeze windows shaded, conflicts highlighted."""
    _workers_only(request)
    view = "week" if request.GET.get("view") == "week" else "month"
    try:
        anchor = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = datetime.now(UTC).date()
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
        prev_date, next_date = start - timedelta(days=7), start + timedelta(days=7)
        title = _("Week of %(date)s") % {"date": start.isoformat()}
    else:
        start, end = _month_bounds(anchor.year, anchor.month)
        first = anchor.replace(day=1)
        prev_date = (first - timedelta(days=1)).replace(day=1)
        next_date = (first + timedelta(days=32)).replace(day=1)
        title = first.strftime("%Y-%m")
    range_start = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    range_end = datetime.combine(end, datetime.min.time(), tzinfo=UTC)
    changes, freezes = selectors.change_calendar(user=request.user, start=range_start, end=range_end)
    conflicts = conflicts_for(changes)
    days = []
    day = start
    while day < end:
        day_start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        day_end = day_start + timedelta(days=1)
        days.append(
            {
                "date": day,
                "in_month": view == "week" or day.month == anchor.month,
                "frozen": [f for f in freezes if f.start < day_end and f.end > day_start],
                "changes": [
                    {"change": c, "conflicts": conflicts[c.pk]}
                    for c in changes
                    if c.planned_start < day_end and c.planned_end > day_start
                ],
            }
        )
        day += timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return render(
        request,
        "changes/calendar.html",
        {
            "view": view,
            "weeks": weeks,
            "title": title,
            "anchor": anchor,
            "prev_date": prev_date,
            "next_date": next_date,
            "freezes": freezes,
            "conflict_count": sum(1 for c in changes if conflicts[c.pk]),
        },
    )


@login_required
def catalogue(request):
    _workers_only(request)
    if not can_manage_templates(request.user):
        raise PermissionDenied
    return render(request, "changes/catalogue.html", {"templates": selectors.template_catalogue()})


@login_required
def template_form(request, pk: int | None = None):
    """Change managers add and edit standard change templates (validated and audited)."""
    _workers_only(request)
    if not can_manage_templates(request.user):
        raise PermissionDenied
    template = get_object_or_404(ChangeTemplate, pk=pk) if pk else ChangeTemplate(owner=request.user)
    form = ChangeTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "services"}
        try:
            config_object_save(
                obj=template,
                actor=request.user,
                values=values,
                m2m={"services": form.cleaned_data["services"]},
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": template.name})
            return redirect("changes:catalogue")
    return render(request, "changes/template_form.html", {"form": form, "template": template})
