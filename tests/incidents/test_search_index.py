"""On PostgreSQL the `q` text filter is served by indexes, not a full scan: trigrams (migration 0006)
for three characters or more, one- and two-character pieces (migration 0008) for shorter texts."""

import pytest
from django.db import connection

from incidents.filters import IncidentFilterSet
from incidents.models import Incident
from tests.db_plans import plan_of

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="these indexes are PostgreSQL's")


def plan_for(text):
    return plan_of(IncidentFilterSet({"q": text}, queryset=Incident.objects.all()).qs)


def test_the_text_filter_uses_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone(), "migration 0006 installs pg_trgm"
    plan = plan_for("printer")
    # The indexes are built on Django's own icontains expression, UPPER(column::text): all three match.
    for index in ("inc_title_trgm", "inc_description_trgm", "inc_number_trgm"):
        assert index in plan, plan


@pytest.mark.parametrize("text", ["打印", "慢", "Ab"])
def test_short_texts_use_the_short_piece_index(db, text):
    plan = plan_for(text)
    # core/text_search.py writes the same expression as migration 0008's index.
    assert "inc_text_grams" in plan, plan
    assert "Seq Scan" not in plan, plan
