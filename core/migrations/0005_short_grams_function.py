"""PostgreSQL only: what the ticket apps' text-search indexes are built with (`core/text_search.py`).

- pg_trgm, for searches of three characters or more. It is a trusted extension (PostgreSQL 13+): the
  database owner may create it. Where that is not allowed, the migration says so and the trigram
  indexes are left out (searches stay correct, only slower).
- `itsm_short_grams(text)`: the distinct one- and two-character pieces of a text, for searches
  shorter than three characters, which trigrams cannot serve. Common Chinese words are two
  characters (打印, 网络, 密码).

SQLite is untouched.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

FUNCTION = """
CREATE OR REPLACE FUNCTION itsm_short_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT piece), '{}')
    FROM generate_series(1, length(t)) AS i,
         LATERAL (VALUES (substr(t, i, 1)), (substr(t, i, 2))) AS pieces(piece)
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - e.g. not allowed to create extensions: no trigram indexes
        logger.warning("pg_trgm is not available (%s): text searches of 3+ characters stay unindexed", exc)
    schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS itsm_short_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_unread_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
