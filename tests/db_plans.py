"""Query plans, for tests that check an index serves a query (PostgreSQL only)."""

from django.db import connection


def plan_of(qs) -> str:
    """PostgreSQL's plan for a queryset, with sequential scans discouraged: a tiny test table would be
    scanned anyway, so a Seq Scan in the plan means no index can serve the query."""
    qs = qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
