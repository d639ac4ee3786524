import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Profile
from core.services.audit import audit_record, audit_snapshot


def profile_for(user) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def profile_update_preferences(*, user, language: str, timezone: str) -> Profile:
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language %(value)s.") % {"value": language}})
    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                {"timezone": _("Unknown time zone %(value)s.") % {"value": timezone}}
            ) from None
    with transaction.atomic():
        profile = profile_for(user)
        before = audit_snapshot(profile, ["language", "timezone"])
        profile.language = language
        profile.timezone = timezone
        profile.save(update_fields=["language", "timezone"])
        audit_record(
            obj=profile, actor=user, before=before, after=audit_snapshot(profile, ["language", "timezone"])
        )
    return profile
