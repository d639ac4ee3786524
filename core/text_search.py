"""The tickets' text search (`q`): the text appears in any of the given fields, in any case.

On PostgreSQL indexes serve it, built by each ticket app's migrations on exactly the expressions
used here:
- three or more characters: pg_trgm GIN indexes on `UPPER(field::text)` serve Django's own
  `icontains` (incidents 0006, requests_catalog 0002, changes 0002);
- one or two characters — common Chinese words such as 打印, 网络, 密码 are two — cannot use
  trigrams, so the one- and two-character pieces of the fields are indexed too (`itsm_short_grams`,
  core 0005). A row can only contain the text if its pieces include it, so that index narrows the
  rows and the `icontains` conditions decide, exactly as on SQLite.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The longest text the short-piece index answers; longer texts use the trigram indexes.
SHORT_TEXT = 2


def grams_expression(table: str, columns: list[str]) -> str:
    """The indexed expression: the pieces of the columns, upper-cased, joined by spaces."""
    joined = " || ' ' || ".join(f"upper(({table}.{column})::text)" for column in columns)
    return f"itsm_short_grams({joined})"


def text_matches(queryset, text: str, fields: tuple[str, ...]):
    """The rows of `queryset` where any of `fields` contains `text` (any case)."""
    contains = Q()
    for field in fields:
        contains |= Q(**{f"{field}__icontains": text})
    if connection.vendor == "postgresql" and len(text) <= SHORT_TEXT:
        meta, quote = queryset.model._meta, connection.ops.quote_name
        columns = [quote(meta.get_field(field).column) for field in fields]
        has_pieces = RawSQL(  # noqa: S611 - the text is a parameter; table and columns are the model's
            f"{grams_expression(quote(meta.db_table), columns)} @> ARRAY[upper(%s)]",
            [text],
            output_field=BooleanField(),
        )
        return queryset.filter(has_pieces, contains)
    return queryset.filter(contains)
