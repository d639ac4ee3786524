import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone (after LocaleMiddleware's browser guess)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tz_name = None
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None) if _has_profile(user) else None
            if profile is not None:
                if profile.language:
                    translation.activate(profile.language)
                    request.LANGUAGE_CODE = translation.get_language()
                tz_name = profile.timezone or None
        if tz_name and not request.path.startswith("/api/"):  # the API speaks UTC (API.md)
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _has_profile(user) -> bool:
    try:
        user.profile  # noqa: B018 - one query, cached on the user object
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return False
    return True
