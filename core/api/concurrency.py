"""Optimistic concurrency for the API: `If-Match: <version>` (or a `version` field) must be current."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def expected_version(request) -> int | None:
    raw = request.headers.get("If-Match") or (
        request.data.get("version") if hasattr(request.data, "get") else None
    )
    if raw in (None, ""):
        return None
    raw = str(raw).strip().strip('"').removeprefix("W/").strip('"')
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({"version": _("If-Match must be the record's version number.")}) from None
