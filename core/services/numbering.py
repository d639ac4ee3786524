from django.db import connection

from core.models import NumberSequence


def number_next(*, prefix: str) -> str:
    """Hand out the next human number for a prefix: INC0001001, INC0001002 ..."""
    # One statement: the UPDATE locks the row until commit, so two writers never get the same number,
    # and RETURNING (PostgreSQL, SQLite 3.35+) reads the value without another round trip.
    sql = f"UPDATE {NumberSequence._meta.db_table} SET last_value = last_value + 1 WHERE prefix = %s RETURNING last_value"  # noqa: S608 - the table name is ours
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix])
        row = cursor.fetchone()
        if row is None:
            NumberSequence.objects.get_or_create(prefix=prefix)
            cursor.execute(sql, [prefix])
            row = cursor.fetchone()
    return f"{prefix}{row[0]:07d}"
