"""API errors: Django ValidationError → 400 {"field": [...]}, stale version → 409, never a 500 for bad input."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import StaleVersionError


def validation_error_detail(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field if field != "__all__" else "non_field_errors": [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, StaleVersionError):
        return Response(
            {
                "version": [
                    _(
                        "This record was changed by someone else (now version %(version)s). Reload and try again."
                    )
                    % {"version": exc.current_version}
                ]
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response(
            {
                "non_field_errors": [
                    _("The change conflicts with existing data (a duplicate or a missing reference).")
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
