from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import navigation, registry, roles, search
from core.forms import AttachmentForm, CommentForm
from core.models import Attachment, WorkerHeartbeat
from core.permissions import attachment_can_download
from core.selectors import attachments_for, notifications_for, timeline_for
from core.services.attachments import attachment_add
from core.services.notifications import notifications_mark_read
from core.services.timeline import timeline_comment_add
from org.selectors import service_list, team_list, teams_of


@login_required
def home(request):
    """Agents land in the workspace, everyone else in the self-service portal."""
    return redirect("workspace" if roles.is_agent(request.user) else "portal")


def _worker_status() -> dict:
    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    age = (timezone.now() - beat.last_seen).total_seconds() if beat else None
    return {
        "last_seen": beat.last_seen if beat else None,
        "age_seconds": age,
        "ok": age is not None and age < 180,
    }


@login_required
def workspace(request):
    if not roles.is_agent(request.user):
        raise PermissionDenied
    my_teams = list(teams_of(request.user).select_related("manager").prefetch_related("members", "services"))
    return render(
        request,
        "core/workspace.html",
        {
            "my_teams": my_teams,
            "notifications": notifications_for(user=request.user, limit=8),
            "worker": _worker_status(),
            "widgets": navigation.widgets_for(area="workspace", request=request),
        },
    )


@login_required
def portal(request):
    return render(
        request,
        "core/portal.html",
        {
            "services": service_list().filter(is_active=True),
            "notifications": notifications_for(user=request.user, limit=5),
            "widgets": navigation.widgets_for(area="portal", request=request),
        },
    )


@login_required
def portal_search(request):
    """One search box for business users: catalogue items, known workarounds and whatever else apps offer."""
    query = (request.GET.get("q") or "").strip()
    return render(
        request,
        "core/portal_search.html",
        {"q": query, "results": search.search_all(user=request.user, text=query)},
    )


@login_required
def team_directory(request):
    if not roles.is_agent(request.user):
        raise PermissionDenied
    return render(
        request, "core/teams.html", {"teams": team_list().filter(is_active=True).prefetch_related("services")}
    )


@login_required
def service_directory(request):
    return render(request, "core/services.html", {"services": service_list().filter(is_active=True)})


@login_required
def notification_inbox(request):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "core/notifications.html", {"notifications": notifications_for(user=request.user)})


def _ticket_or_404(content_type_id: int, object_id: int, user):
    kind = registry.kind_for_content_type(content_type_id)
    if kind is None:
        raise Http404
    ticket = kind.model._default_manager.filter(pk=object_id).first()
    if ticket is None or not kind.can_view(user, ticket):
        raise Http404
    return kind, ticket


def _back_to(request, kind, ticket):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(kind.detail_url(ticket))


def _timeline_partial(request, kind, ticket, *, form=None, attachment_form=None, status=200):
    return render(
        request,
        "core/_timeline.html",
        {
            "ticket": ticket,
            "timeline": timeline_for(ticket=ticket, user=request.user),
            "attachments": attachments_for(ticket=ticket, user=request.user),
            "can_work": kind.can_work(request.user, ticket),
            "comment_form": form or CommentForm(),
            "attachment_form": attachment_form or AttachmentForm(),
        },
        status=status,
    )


@login_required
@require_POST
def comment_add(request, content_type_id: int, object_id: int):
    kind, ticket = _ticket_or_404(content_type_id, object_id, request.user)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            timeline_comment_add(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                is_internal=form.cleaned_data["is_internal"],
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            if request.htmx:
                return _timeline_partial(request, kind, ticket)
            return _back_to(request, kind, ticket)
    if request.htmx:
        return _timeline_partial(request, kind, ticket, form=form)
    return render(
        request, "core/form_errors.html", {"form": form, "back": kind.detail_url(ticket)}, status=400
    )


@login_required
@require_POST
def attachment_upload(request, content_type_id: int, object_id: int):
    kind, ticket = _ticket_or_404(content_type_id, object_id, request.user)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                ticket=ticket,
                file=form.cleaned_data["file"],
                user=request.user,
                is_internal=form.cleaned_data["is_internal"],
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            if request.htmx:
                return _timeline_partial(request, kind, ticket)
            return _back_to(request, kind, ticket)
    if request.htmx:
        return _timeline_partial(request, kind, ticket, attachment_form=form)
    return render(
        request, "core/form_errors.html", {"form": form, "back": kind.detail_url(ticket)}, status=400
    )


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not attachment_can_download(request.user, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is no longer stored.")) from None
    # Always a download, never rendered: a stored HTML or SVG file cannot run in our origin.
    mime = attachment.mime_type if attachment.mime_type != "text/plain" else "text/plain; charset=utf-8"
    response = FileResponse(handle, as_attachment=True, filename=attachment.filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def health(request):
    """Liveness for proxies and compose: the database answers; background worker freshness."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001
        return JsonResponse({"database": "unavailable"}, status=503)
    worker = _worker_status()
    return JsonResponse(
        {
            "database": database,
            "worker_last_seen": worker["last_seen"].isoformat() if worker["last_seen"] else None,
            "worker_ok": worker["ok"],
        }
    )


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
