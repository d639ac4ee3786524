"""PostgreSQL only: a GIN index on the known errors' search tokens for suggestion ranking.

The expression must stay the one problems.search.ranking uses. SQLite has no GIN indexes; it finds
candidates with LIKE on the same column (see ranking.py), so nothing is created there.
"""

from django.db import migrations

INDEX = "prb_search_tokens_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON problems_problem "
        "USING gin (to_tsvector('simple'::regconfig, search_tokens)) WHERE published_at IS NOT NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
