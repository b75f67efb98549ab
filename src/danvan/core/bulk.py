"""Writing many rows at once, for imports: PostgreSQL's COPY where it is available, and counters
raised in one statement.

`bulk_create` builds one parameter per value in Python (70 columns × 2,000 petitions is 140,000
parameters a chunk) and costs more than the database's own work; COPY streams the rows in
PostgreSQL's text format from psycopg's C code. Ids are reserved from the table's sequence first, so
the caller gets its objects back with their primary keys, as from `bulk_create`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from psycopg.types.json import Jsonb

M = TypeVar("M", bound=models.Model)


def bulk_insert(model: type[M], objects: Sequence[M]) -> list[M]:
    """Insert `objects` (new, unsaved) and give each its primary key; returns them. On PostgreSQL
    through COPY with ids reserved from the sequence; elsewhere `bulk_create`. Signals are not sent
    and `save()` is not called, as with `bulk_create`; `auto_now_add` fields are filled in."""
    objects = list(objects)
    if not objects:
        return objects
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return model._default_manager.using(alias).bulk_create(objects, batch_size=1000)
    meta = model._meta
    fields = list(meta.concrete_fields)
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            for obj in objects:
                field.pre_save(obj, add=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        # One C call reads a row's values; JSON values are wrapped for psycopg.
        row_of = operator.attrgetter(*(field.attname for field in fields))
        json_at = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for obj in objects:
                row = row_of(obj)
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = None if values[i] is None else Jsonb(values[i])
                    copy.write_row(values)
                else:
                    copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = alias
    return objects


def counters_raise(model: type[models.Model], highest: Mapping[tuple[int, int], int]) -> None:
    """Make each (unit, year) counter of `model` (fields unit, year, last; unique on unit and year)
    at least the highest number given, in one statement: numbers given later follow them."""
    if not highest:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    values = ", ".join(["(%s, %s, %s)"] * len(highest))
    params: list[int] = []
    for (unit_id, year), last in highest.items():
        params.extend((unit_id, year, last))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, year, last) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (unit_id, year) DO UPDATE SET last = {larger}({table}.last, excluded.last)",
            params,
        )


_plans: dict[type, tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]], dict[str, str]]] = {}


def _plan(model: type[models.Model]):
    static: dict[str, Any] = {}
    dynamic: list[tuple[str, Callable[[], Any]]] = []
    relations: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            dynamic.append((field.attname, field.default))
        else:
            static[field.attname] = field.get_default()
        if field.is_relation:
            relations[field.name] = field.attname
    _plans[model] = (static, dynamic, relations)
    return _plans[model]


def new(model: type[M], **values: Any) -> M:
    """An unsaved `model` instance with `values` (fields by name; related objects by their field's
    name, or ids by `<name>_id`) and every other field at its default — what `model(**values)` gives,
    without `Model.__init__`'s per-field work, which is most of the cost of a million-row import."""
    static, dynamic, relations = _plans.get(model) or _plan(model)
    obj = model.__new__(model)
    state = models.base.ModelState()
    attributes = obj.__dict__
    attributes["_state"] = state
    attributes.update(static)
    for attname, make in dynamic:
        attributes[attname] = make()
    for name, value in values.items():
        attname = relations.get(name)
        if attname is not None and attname != name:
            attributes[attname] = None if value is None else value.pk
            state.fields_cache[name] = value
        else:
            attributes[name] = value
    return obj
