from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import SatisfactionRating
from core.services.timeline import EventText, timeline_event


def satisfaction_rate(*, ticket, user, rating, comment: str = "", at=None) -> SatisfactionRating:
    """Record (or revise) the requester's rating. The process app decides when rating is allowed."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")}, code="rating")
    with transaction.atomic():
        record, _created = SatisfactionRating.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(ticket),
            object_id=ticket.pk,
            defaults={
                "rating": rating,
                "comment": (comment or "").strip()[:4000],
                "rated_by": user,
                "created_at": at or timezone.now(),
            },
        )
        timeline_event(
            ticket=ticket,
            code="rated",
            actor=user,
            at=at,
            text=EventText(gettext_lazy("Rated the service %(rating)d/5."), {"rating": rating}),
            data={"rating": rating},
        )
    return record


def satisfaction_for(*, ticket) -> SatisfactionRating | None:
    return SatisfactionRating.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk
    ).first()
