"""The approval inbox, the signed-link confirm page and the decide form posted from a record's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals import selectors, services
from approvals.models import ApprovalStep, Decision
from approvals.permissions import is_eligible
from approvals.signing import approval_link_check
from core import registry
from core.forms import ServiceErrorsMixin
from core.http import redirect_next
from core.roles import is_agent


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when you reject."),
    )


def _target_url(target) -> str:
    kind = registry.kind_for_model(type(target))
    return kind.detail_url(target) if kind else ""


def _approver_url(user, target) -> str:
    """Where this approver looks at the ticket: its page for agents; for a business user (a line
    manager) the portal page its kind offers approvers, else nothing to link."""
    kind = registry.kind_for_model(type(target)) if target is not None else None
    if kind is None:
        return ""
    if is_agent(user):
        return kind.detail_url(target)
    return kind.approver_url(target) if kind.approver_url else ""


@login_required
def inbox(request):
    steps = list(selectors.approvals_waiting_for(user=request.user)[:200])
    rows = [{"step": s, "target": s.request.target} for s in steps]
    for row in rows:
        row["url"] = _target_url(row["target"]) if row["target"] is not None else ""
    return render(request, "approvals/inbox.html", {"rows": rows})


def _decide(request, step, form):
    try:
        services.approval_decide(
            approval_step=step,
            approver=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        form.add_errors(exc)
        return False
    messages.success(request, _("Your decision on %(step)s was recorded.") % {"step": step.name})
    return True


@login_required
def link(request, token: str):
    """GET shows what is to be decided; only the POST decides (mail scanners follow links)."""
    error = None
    step = None
    try:
        step_id = approval_link_check(token=token, user=request.user)
        step = get_object_or_404(ApprovalStep.objects.select_related("request"), pk=step_id)
    except ValidationError as exc:
        error = exc.messages[0]
    except PermissionDenied as exc:
        error = str(exc) or _("This approval link was sent to someone else.")
    status = 200 if error is None else 403
    form = DecisionForm(request.POST or None, initial={"decision": request.GET.get("decision", "approved")})
    target = step.request.target if step else None
    agent = is_agent(request.user)
    target_url = _approver_url(request.user, target)
    if step is not None and request.method == "POST" and form.is_valid() and _decide(request, step, form):
        if agent:
            return redirect_next(request, "approvals:inbox")
        return redirect(target_url or "portal")
    if step is not None and not step.is_active:
        error = _("This approval is no longer waiting for a decision.")
    return render(
        request,
        "approvals/confirm.html",
        {
            # Line managers are business users: the page wears the portal's clothes for them.
            "base_template": "workspace/base.html" if agent else "portal/base.html",
            "inbox_url": reverse("approvals:inbox") if agent else (target_url or reverse("portal")),
            "step": step,
            "target": target,
            "target_url": target_url,
            "form": form,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def decide(request, pk: int):
    step = get_object_or_404(ApprovalStep.objects.select_related("request"), pk=pk)
    if not is_eligible(request.user, step):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        _decide(request, step, form)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect_next(request, "approvals:inbox")
