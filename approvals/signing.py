"""Signed approval links: a token names the step and the approver and expires (never decides on GET)."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

SALT = "approvals.decide"


def max_age_seconds() -> int:
    return int(getattr(settings, "APPROVAL_LINK_MAX_AGE_HOURS", 72)) * 3600


def approval_link_token(*, step, user) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"s": step.pk, "u": user.pk})


def approval_link_check(*, token: str, user, max_age: int | None = None) -> int:
    """The step id the token is for; refuses tampered or expired tokens and other users."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=max_age if max_age is not None else max_age_seconds()
        )
    except signing.SignatureExpired:
        raise ValidationError(_("This approval link has expired."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This approval link is not valid."), code="bad_signature") from None
    if data.get("u") != user.pk:
        raise PermissionDenied(_("This approval link was sent to someone else."))
    return int(data["s"])
