"""The record-type registry: how each app's records are imported from spreadsheets and exported.

An app declares its record types in its `records.py` (found at start-up, as Django's admin finds
`admin.py`), so the `imports` app reads, checks, writes and exports records without knowing any
app's tables. A record type names its columns (each a field of the record: header in both
languages from the catalogue, kind of value, required or not, allowed values), the columns that
identify a record (its natural key: importing the same row twice matches the record it made), the
column whose date places the record in time (units named in the row are resolved against the tree
as it was on that date), and four functions: which keys already exist, how to check a row beyond
its single values, how to write a chunk of rows (through the app's services) and how to read
records back out as rows of the same columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

# Kinds of value a column holds; `imports.values` parses each from a cell.
TEXT, LONG_TEXT, DATE, INTEGER, DECIMAL, BOOLEAN, CHOICE, UNIT, CHOICES = (
    "text",
    "long_text",
    "date",
    "integer",
    "decimal",
    "boolean",
    "choice",
    "unit",
    "choices",  # several allowed values in one cell, separated by ";"
)

Row = dict[str, Any]  # column key -> parsed value (date, int, Decimal, str, bool, code, Unit, list)
Key = tuple  # a natural key: plain values (unit ids for units)


@dataclass(frozen=True)
class Column:
    """One column of a record type's template.

    `label` is a catalogue entry: its English text and its Vietnamese translation are both accepted
    as the header on import (and `aliases`, headers people write for it, folded). `choices` maps
    each allowed code to its label (codes and labels in either language are accepted). A UNIT column
    is resolved by name or code against the tree on the date of the record type's `date_column`.
    `sensitive` marks a denouncer's identity: the record type's `export` masks it for users not
    entitled to see it (and logs each view for those who are); the template documents it.
    """

    key: str
    label: str | Promise
    kind: str = TEXT
    required: bool = False
    choices: Mapping[str, str | Promise] = field(default_factory=dict)
    help: str | Promise = ""
    example: Any = ""
    aliases: tuple[str, ...] = ()
    choice_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # code -> other words for it
    max_length: int | None = None
    min_value: int | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class ExportQuery:
    user: Any
    unit: Any  # a Unit: its records and those of every unit below it
    first: date
    last: date


@dataclass(frozen=True)
class RecordType:
    """How one kind of record comes in from a spreadsheet and goes out to one.

    - `key(row)` is the natural key of a parsed row; `existing(user, keys)` the subset of `keys`
      that some record already has (one query per chunk).
    - `check(row)` returns {column key: message} for rules across columns (a date before another).
    - `write(user, rows, batch)` creates the records of a chunk of new, valid rows through the app's
      services, tagged with the import batch, inside the import's transaction; returns how many.
    - `rollback(user, batch)` removes what the batch created, or raises DomainError saying which
      record changed since and so cannot go.
    - `export(query)` yields the records of a unit's subtree dated in a period as rows.
    - `action` is the role action needed on each row's unit to import it.
    """

    code: str
    label: str | Promise
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    key: Callable[[Row], Key]
    existing: Callable[[Any, Sequence[Key]], set[Key]]
    write: Callable[[Any, Sequence[Row], Any], int]
    rollback: Callable[[Any, Any], int]
    export: Callable[[ExportQuery], Iterator[Row]]
    action: str
    model: type[Model] | None = None
    date_column: str = ""
    unit_column: str = "unit"
    check: Callable[[Row], Mapping[str, Any]] | None = None
    # The date units are named as of, when `date_column` alone does not give it (a year's total).
    date_of: Callable[[Row], date | None] | None = None
    # Called in the commit's transaction once every row is written: work on the whole batch that
    # may wait (queued as a background task, it is queued only if the import commits).
    committed: Callable[[Any], None] | None = None
    order: int = 100  # place in the list of record types
    description: str | Promise = ""

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise LookupError(f"{self.code}.{key}")


_registry: dict[str, RecordType] = {}
_discovered = False


def register(*record_types: RecordType) -> None:
    for record_type in record_types:
        if record_type.code in _registry and _registry[record_type.code] is not record_type:
            raise ValueError(f"record type {record_type.code} registered twice")
        _registry[record_type.code] = record_type


def registry() -> dict[str, RecordType]:
    """Every declared record type, in their `order`."""
    global _discovered
    if not _discovered:
        autodiscover_modules("records")
        _discovered = True
    return dict(sorted(_registry.items(), key=lambda item: (item[1].order, item[0])))


def get(code: str) -> RecordType:
    try:
        return registry()[code]
    except KeyError:
        raise LookupError(code) from None


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`items` in lists of at most `size`: writes and look-ups go a chunk at a time."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def changed_since_import(model: type[Model], ids: list[int]) -> tuple[Any, str] | None:
    """The first record of `ids` changed after its import, and how: a later version, an entry in the
    audit trail (imports write none per record) or a file kept with it; None when none changed. A
    rollback that would remove such a record is refused, so no one's later work is lost."""
    from django.utils.translation import gettext as _

    from .models import AuditEvent, RecordFile

    if not ids:
        return None
    label = model._meta.label_lower
    edited = model._default_manager.filter(pk__in=ids, version__gt=0).order_by("pk").first()
    if edited is not None:
        return edited, _("it was edited")
    event = (
        AuditEvent.objects.filter(record_type=label, record_id__in=[str(pk) for pk in ids])
        .order_by("at", "pk")
        .values_list("record_id", flat=True)
        .first()
    )
    if event is not None:
        return model._default_manager.get(pk=int(event)), _("it has entries in the audit trail")
    kept = RecordFile.objects.filter(record_type=label, record_id__in=ids).order_by("pk").first()
    if kept is not None:
        return model._default_manager.get(pk=kept.record_id), _("files were added to it")
    return None


def keys_found(queryset, fields: Sequence[str], keys: Iterable[Key], *, per_query: int = 200) -> set[Key]:
    """The `keys` (tuples of the values of `fields`) that some row of `queryset` has.

    Keys are grouped by all but their last value, so a chunk's keys read as a few `(a = x AND b = y
    AND c IN (...)) OR ...` conditions the unique index answers; never the cross product of each
    field's values, which on a large table returns most of it. At most `per_query` groups a query
    (SQLite limits the depth of an expression)."""
    from collections import defaultdict

    from django.db.models import Q

    groups: dict[tuple, set] = defaultdict(set)
    for key in keys:
        groups[tuple(key[:-1])].add(key[-1])
    found: set[Key] = set()
    heads = list(groups)
    for start in range(0, len(heads), per_query):
        condition = Q(pk__in=[])
        for head in heads[start : start + per_query]:
            condition |= Q(**dict(zip(fields[:-1], head, strict=True)), **{f"{fields[-1]}__in": groups[head]})
        found.update(tuple(row) for row in queryset.filter(condition).values_list(*fields))
    return found


def rows_with_identities(
    user,
    records,
    *,
    people_of: Callable[[list[int]], Mapping[int, Any]],
    entitled_among: Callable[[Any, list[Any]], set[int]],
    row_of: Callable[[Any, Any, bool], Row],
    action: str,
    size: int = 2000,
) -> Iterator[Row]:
    """The rows of `records` (a queryset, read a chunk at a time) for an export, each with its main
    person (`people_of(ids)`): a protected record's person is shown only to a user entitled to see
    it (`entitled_among(user, chunk)` gives their ids), and each such showing is recorded in the
    audit trail under `action`, as a page showing it is. `row_of(record, person, reveal)` makes the
    row and leaves the identity empty when `reveal` is false."""
    from . import audit

    for chunk in chunks(records.iterator(chunk_size=size), size):
        people = people_of([record.pk for record in chunk])
        entitled = entitled_among(user, chunk)
        for record in chunk:
            reveal = not record.protected or record.pk in entitled
            if record.protected and reveal and record.pk in people:
                audit.record(
                    actor=user, action=action, obj=record, unit=record.unit, after={"reason": "export"}
                )
            yield row_of(record, people.get(record.pk), reveal)
