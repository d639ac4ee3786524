"""Error pages in our layout, with JSON for API clients."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, template: str, message: str):
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    return render(request, template, {"message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html", _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html", _("You do not have permission to open this page."))


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html", _("This page does not exist, or you may not see it."))


def server_error(request):
    return _error(request, 500, "errors/500.html", _("Something went wrong on our side. It has been logged."))
