"""PostgreSQL only: indexes for the change text search (`q`: title, description or number contain the text, any case).

Without them every search reads every change. `core/text_search.py` builds the query on exactly
these expressions: pg_trgm indexes on Django's own `icontains` expression, `UPPER(column::text)`, for
three characters or more, and one over the one- and two-character pieces of the fields
(`itsm_short_grams`, core 0005) for shorter texts, such as two-character Chinese words. Without
pg_trgm (core 0005 says why) only the short-piece index is built. SQLite is untouched.
"""

from django.db import migrations

TABLE = "changes_change"
TRIGRAM_INDEXES = {'chg_title_trgm': 'upper((title)::text)', 'chg_description_trgm': 'upper((description)::text)', 'chg_number_trgm': 'upper((number)::text)'}
GRAMS_INDEX = "chg_text_grams"
GRAMS_EXPRESSION = "itsm_short_grams(upper((title)::text) || ' ' || upper((description)::text) || ' ' || upper((number)::text))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        has_trigrams = cursor.fetchone() is not None
    if has_trigrams:
        for name, expression in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin ({expression} gin_trgm_ops)"
            )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GRAMS_INDEX} ON {TABLE} USING gin ({GRAMS_EXPRESSION})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*TRIGRAM_INDEXES, GRAMS_INDEX]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("changes", "0001_initial"), ("core", "0005_short_grams_function")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
