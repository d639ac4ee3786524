"""PostgreSQL only: an index for text searches of one or two characters.

Trigrams (migration 0006) cannot serve a search shorter than three characters, and common Chinese
words are two characters (打印, 网络, 密码): those searches read every incident, ~100 ms at 100,000
and growing with the table. `itsm_short_grams` lists the distinct one- and two-character pieces of a
text; a GIN index over the pieces of title, description and number finds the rows that may contain
the search text, and the usual `icontains` conditions decide (`incidents/search.py` builds the query
on the same expression). Plain PostgreSQL: no extension needed. SQLite is untouched.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION itsm_short_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT piece), '{}')
    FROM generate_series(1, length(t)) AS i,
         LATERAL (VALUES (substr(t, i, 1)), (substr(t, i, 2))) AS pieces(piece)
$$
"""

INDEX = """
CREATE INDEX IF NOT EXISTS inc_text_grams ON incidents_incident USING gin (
    itsm_short_grams(upper((title)::text) || ' ' || upper(description) || ' ' || upper((number)::text))
)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS inc_text_grams")
    schema_editor.execute("DROP FUNCTION IF EXISTS itsm_short_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_service_index_covered")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
