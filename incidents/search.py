"""The incident text search (`q`): title, description or number contains the text, in any case.

On PostgreSQL two kinds of index serve it (both built on exactly the expressions used here):
- three or more characters: the pg_trgm indexes of migration 0006 serve Django's own `icontains`;
- one or two characters — common Chinese words such as 打印, 网络, 密码 are two — cannot use
  trigrams, so the text's one- and two-character pieces are indexed too (migration 0008,
  `itsm_short_grams`). A row can only contain the text if its pieces include it, so the index narrows
  the rows and the `icontains` conditions decide, exactly as on SQLite.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The longest text the short-piece index answers; longer texts use the trigram indexes.
SHORT_TEXT = 2


def grams_expression(table: str) -> str:
    """The indexed expression (migration 0008 builds the index on the same SQL for `incidents_incident`)."""
    return (
        f"itsm_short_grams(upper(({table}.title)::text) || ' ' || upper({table}.description)"
        f" || ' ' || upper(({table}.number)::text))"
    )


def text_matches(queryset, text: str):
    """The incidents of `queryset` whose title, description or number contains `text` (any case)."""
    contains = Q(title__icontains=text) | Q(description__icontains=text) | Q(number__icontains=text)
    if connection.vendor == "postgresql" and len(text) <= SHORT_TEXT:
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        has_pieces = RawSQL(  # noqa: S611 - the text is a parameter; the table name is the model's
            f"{grams_expression(table)} @> ARRAY[upper(%s)]", [text], output_field=BooleanField()
        )
        return queryset.filter(has_pieces, contains)
    return queryset.filter(contains)
