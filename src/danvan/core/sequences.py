"""Numbers given per unit and year without gaps (receipt numbers, reception book numbers)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def next_number(counter: type[Model], *, unit_id: int, year: int) -> int:
    """The next number of `unit_id` in `year` from `counter`, a table of (unit, year, last) with a
    unique (unit, year). One statement on PostgreSQL and SQLite (3.35+): create the row or count
    on, and read it. Call it last in the transaction: the row's lock is then held only briefly."""
    table = counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - a model's table
            f"ON CONFLICT (unit_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit_id, year],
        )
        return cursor.fetchone()[0]
