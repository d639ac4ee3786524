"""Synthetic published known errors for the suggestion benchmark (bulk rows, tokens filled as the
problem services would)."""

import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import NumberSequence
from demo.load_text import symptom_words


def generate_known_errors(*, count: int, requester, service) -> int:
    from problems.models import Problem
    from problems.search.tokenize import token_string, tokenize

    existing = Problem.objects.filter(title__startswith="Load known error").count()
    missing = count - existing
    if missing <= 0:
        return 0
    rng = random.Random(7)  # noqa: S311 - reproducible synthetic data
    seq, _ = NumberSequence.objects.get_or_create(prefix=Problem.NUMBER_PREFIX)
    NumberSequence.objects.filter(pk=seq.pk).update(last_value=F("last_value") + missing)
    first = seq.last_value + 1
    now = timezone.now()
    rows = []
    for i in range(missing):
        words, chinese = symptom_words(rng, 6)
        symptoms = " ".join(words) + ("，" + chinese if chinese else "")
        title = f"Load known error {first + i}: {' '.join(words[:3])}"
        text = f"{title}\n{symptoms}"
        rows.append(
            Problem(
                number=f"{Problem.NUMBER_PREFIX}{first + i:07d}",
                title=title,
                requester=requester,
                state="known_error",
                symptoms=symptoms,
                root_cause="Synthetic root cause.",
                workaround="Restart the client and sign in again.",
                published_at=now,
                search_tokens=token_string(text),
                search_token_count=len(tokenize(text)),
            )
        )
    with transaction.atomic():
        Problem.objects.bulk_create(rows, batch_size=2000)
    return missing
