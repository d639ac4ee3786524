"""On PostgreSQL the `q` text filter is served by trigram indexes (migration 0006), not a full scan."""

import pytest
from django.db import connection

from incidents.filters import IncidentFilterSet
from incidents.models import Incident

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")


def test_the_text_filter_uses_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone(), "migration 0006 installs pg_trgm"
    qs = IncidentFilterSet({"q": "printer"}, queryset=Incident.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned anyway
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The indexes are built on Django's own icontains expression, UPPER(column::text): all three match.
    for index in ("inc_title_trgm", "inc_description_trgm", "inc_number_trgm"):
        assert index in plan, plan
