from django.db import transaction
from django.db.models import F

from core.models import NumberSequence


def number_next(*, prefix: str) -> str:
    """Hand out the next human number for a prefix: INC0001001, INC0001002 ..."""
    with transaction.atomic():
        # The UPDATE locks the row until commit, so two writers never get the same number.
        if not NumberSequence.objects.filter(prefix=prefix).update(last_value=F("last_value") + 1):
            NumberSequence.objects.get_or_create(prefix=prefix)
            NumberSequence.objects.filter(prefix=prefix).update(last_value=F("last_value") + 1)
        value = NumberSequence.objects.values_list("last_value", flat=True).get(prefix=prefix)
    return f"{prefix}{value:07d}"
