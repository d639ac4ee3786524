"""PostgreSQL only: an index for incident text searches of one or two characters.

Trigrams (migration 0006) cannot serve a search shorter than three characters, and common Chinese
words are two characters (打印, 网络, 密码): those searches read every incident, ~100 ms at 100,000
and growing with the table. A GIN index over the one- and two-character pieces of title, description
and number (`itsm_short_grams`, core 0005) finds the rows that may contain the text, and the usual
`icontains` conditions decide (`core/text_search.py` builds the query on the same expression).
"""

from django.db import migrations

INDEX = """
CREATE INDEX IF NOT EXISTS inc_text_grams ON incidents_incident USING gin (itsm_short_grams(
    upper((title)::text) || ' ' || upper((description)::text) || ' ' || upper((number)::text)
))
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS inc_text_grams")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_service_index_covered"), ("core", "0005_short_grams_function")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
