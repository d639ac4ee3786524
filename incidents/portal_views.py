"""Self-service portal pages: requesters report, follow, comment on and rate their own incidents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import AttachmentForm, CommentForm
from core.pagination import DeepPaginator
from core.selectors import attachments_for, timeline_for
from core.services.feedback import satisfaction_for
from incidents import services
from incidents.choices import TRANSITIONS, State
from incidents.forms import PortalReportForm, RatingForm, TransitionForm
from incidents.models import Incident
from incidents.permissions import can_rate, can_transition
from sla.selectors import sla_clock_data


def _own(request, pk: int) -> Incident:
    incident = (
        Incident.objects.filter(pk=pk, requester=request.user)
        .select_related("service", "assignment_group", "assignee")
        .prefetch_related("sla_clocks")
        .first()
    )
    if incident is None:
        raise Http404
    return incident


@login_required
def portal_list(request):
    qs = (
        Incident.objects.filter(requester=request.user)
        .select_related("service")
        .order_by("-created_at", "-id")
    )
    page = DeepPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "incidents/portal_list.html", {"page_obj": page, "incidents": page.object_list})


@login_required
def portal_report(request):
    if request.method == "POST":
        form = PortalReportForm(request.POST)
        if form.is_valid():
            try:
                incident = services.incident_report_from_portal(requester=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(
                    request,
                    _("Thanks — we logged %(number)s and will keep you posted.")
                    % {"number": incident.number},
                )
                return redirect("incidents:portal_detail", pk=incident.pk)
    else:
        form = PortalReportForm()
    return render(request, "incidents/portal_report.html", {"form": form})


@login_required
def portal_detail(request, pk: int):
    incident = _own(request, pk)
    now = timezone.now()
    allowed = [State(s) for s in TRANSITIONS[incident.state] if can_transition(request.user, incident, s)]
    return render(
        request,
        "incidents/portal_detail.html",
        {
            "incident": incident,
            "ticket": incident,
            "clocks": [
                sla_clock_data(c, now=now) for c in incident.sla_clocks.all() if c.kind == "resolution"
            ],
            "allowed_states": allowed,
            "transition_form": TransitionForm(initial={"version": incident.version}),
            "timeline": timeline_for(ticket=incident, user=request.user),
            "attachments": attachments_for(ticket=incident, user=request.user),
            "can_work": False,
            "comment_form": CommentForm(),
            "attachment_form": AttachmentForm(),
            "rating": satisfaction_for(ticket=incident),
            "can_rate": can_rate(request.user, incident),
            "rating_form": RatingForm(),
        },
    )


@login_required
@require_POST
def portal_rate(request, pk: int):
    incident = _own(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.incident_rate(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("incidents:portal_detail", pk=incident.pk)
