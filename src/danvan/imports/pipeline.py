"""The import pipeline: one pass over a file that maps its columns, parses every cell, resolves units
as of each record's date, checks scope and the record type's rules, matches natural keys, and (when
committing) writes the new rows a chunk at a time.

A preview and a commit run the same pass, so a commit can never write what a preview would refuse:
the commit runs inside one transaction and raises `ImportRefused` (undoing every chunk written) when
the file has any problem. Memory stays bounded whatever the file's length: rows are read, checked and
written a chunk at a time, and the keys already seen are kept as hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.core.errors import DomainError
from danvan.core.records import UNIT, Column, RecordType, chunks, registry
from danvan.core.text import fold
from danvan.units import access
from danvan.units.names import UnitNames

from .readers import Sheet, SourceRow, column_letter, open_sheet
from .values import parse_cell

CHUNK = 2000
MAX_PROBLEMS = 1000  # kept and shown; all are counted
MAX_SAMPLES = 20


@dataclass
class Problem:
    row: int | None  # the spreadsheet's row number; None for the file or its header
    column: str  # the column letter ("" for the whole row or file)
    header: str  # the file's header of that column
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


@dataclass
class ColumnMatch:
    index: int
    header: str
    column: Column | None  # None: ignored (mapped to nothing)


@dataclass
class Outcome:
    """What a pass found (and, committing, wrote)."""

    record_type: str
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    format: str = ""
    encoding: str = ""
    legacy: str = ""
    columns: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # headers that match no field and are not ignored
    missing: list[str] = field(default_factory=list)  # required fields with no column
    rows: int = 0
    to_create: int = 0
    matched: int = 0
    created: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    samples_new: list[dict[str, Any]] = field(default_factory=list)
    samples_matched: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_report(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "sheets": self.sheets,
            "format": self.format,
            "encoding": self.encoding,
            "legacy": self.legacy,
            "columns": self.columns,
            "unknown": self.unknown,
            "missing": self.missing,
            "problems": [p.as_dict() for p in self.problems],
            "samples_new": self.samples_new,
            "samples_matched": self.samples_matched,
        }


class ImportRefused(Exception):
    """A commit found problems: the transaction it ran in must be rolled back."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.problem_count)
        self.outcome = outcome


def header_key(text: str) -> str:
    """Headers compare folded, without punctuation people add or drop ("Ngày nhận (dd/mm/yyyy)")."""
    folded = fold(text)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def column_names(column: Column) -> set[str]:
    """Every header that names `column`: its key, its label in both languages, its aliases."""
    names = {header_key(column.key), header_key(column.key.replace("_", " "))}
    for language in ("en", "vi"):
        with override(language):
            names.add(header_key(str(column.label)))
    names.update(header_key(alias) for alias in column.aliases)
    names.discard("")
    return names


def shape_signature(headers: Sequence[str]) -> str:
    """Files whose headers are the same (folded, in any order) share a signature."""
    keys = sorted({header_key(h) for h in headers if header_key(h)})
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


def match_columns(
    record_type: RecordType, headers: Sequence[str], mapping: dict[str, str] | None = None
) -> tuple[list[ColumnMatch], list[str], list[str]]:
    """Which column of the file feeds which field: an explicit mapping (folded header -> column key,
    "" to ignore) first, then the headers' own names. Returns the matches, the unknown headers and
    the required fields no column feeds."""
    mapping = {header_key(k): v for k, v in (mapping or {}).items()}
    by_name: dict[str, Column] = {}
    for known in record_type.columns:
        for name in column_names(known):
            by_name.setdefault(name, known)
    matches: list[ColumnMatch] = []
    unknown: list[str] = []
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        column: Column | None
        if key in mapping:
            target = mapping[key]
            column = record_type.column(target) if target else None
        else:
            column = by_name.get(key)
            if column is None:
                unknown.append(header)
                continue
        if column is not None:
            if column.key in used:
                # Two columns for one field: the second is reported as unknown rather than guessed.
                unknown.append(header)
                continue
            used.add(column.key)
        matches.append(ColumnMatch(index, header, column))
    missing = [str(c.label) for c in record_type.columns if c.required and c.key not in used]
    return matches, unknown, missing


def guess_record_type(headers: Sequence[str]) -> RecordType | None:
    """The record type whose columns the headers name best (all its required fields present)."""
    best: tuple[int, RecordType] | None = None
    for record_type in registry().values():
        matches, _unknown, missing = match_columns(record_type, headers)
        found = sum(1 for m in matches if m.column is not None)
        if missing or not found:
            continue
        if best is None or found > best[0]:
            best = (found, record_type)
    return best[1] if best else None


@dataclass
class _Context:
    user: Any
    record_type: RecordType
    matches: list[ColumnMatch]
    names: UnitNames
    today: date
    scope: access.Scope
    outcome: Outcome
    seen: set[int] = field(default_factory=set)
    first_row_of: dict[int, int] = field(default_factory=dict)
    # Worked out once per file, not per row: (cell index, column, letter, header) of each field
    # read, the letter and header of each field, a row with every field empty.
    fields: list[tuple[int, Column, str, str]] = field(default_factory=list)
    header_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    empty_row: dict[str, Any] = field(default_factory=dict)
    unit_columns: list[Column] = field(default_factory=list)
    covered: dict[int, bool] = field(default_factory=dict)  # unit id -> in the user's scope

    def __post_init__(self) -> None:
        for match in self.matches:
            if match.column is not None:
                letter = column_letter(match.index)
                self.fields.append((match.index, match.column, letter, match.header))
                self.header_of[match.column.key] = (letter, match.header)
        self.empty_row = dict.fromkeys((c.key for c in self.record_type.columns), None)
        self.unit_columns = [c for c in self.record_type.columns if c.kind == UNIT]


def _parse_row(ctx: _Context, source: SourceRow) -> dict[str, Any] | None:
    """The row's values by column key, or None after reporting its problems."""
    outcome = ctx.outcome
    record_type = ctx.record_type
    bad = False
    for index, message in source.problems:
        outcome.add(Problem(source.number, column_letter(index), "", message))
        bad = True
    row: dict[str, Any] = dict(ctx.empty_row)
    cells = source.cells
    width = len(cells)
    for index, column, letter, header in ctx.fields:
        raw = cells[index] if index < width else None
        if raw is None:
            value = None
        else:
            try:
                value = parse_cell(column, raw)
            except DomainError as error:
                outcome.add(Problem(source.number, letter, header, error.message))
                bad = True
                continue
        if value is None or value == "" or value == []:
            if column.required:
                outcome.add(Problem(source.number, letter, header, str(_("A value is required."))))
                bad = True
            value = None
        row[column.key] = value
    if bad:
        return None
    # Units are named as the tree was on the record's date.
    if record_type.date_of is not None:
        on = record_type.date_of(row)
    else:
        on = row.get(record_type.date_column) if record_type.date_column else None
    on = on if isinstance(on, date) else ctx.today
    for column in ctx.unit_columns:
        text = row.get(column.key)
        if not text:
            continue
        try:
            row[column.key] = ctx.names.resolve(text, on)
        except DomainError as error:
            letter, header = ctx.header_of.get(column.key, ("", ""))
            outcome.add(Problem(source.number, letter, header, error.message))
            bad = True
    if bad:
        return None
    unit = row.get(record_type.unit_column)
    if unit is not None and not _covers(ctx, unit):
        letter, header = ctx.header_of.get(record_type.unit_column, ("", ""))
        message = _("You hold no role that lets you import these records for %(unit)s.") % {"unit": unit.name}
        outcome.add(Problem(source.number, letter, header, message))
        return None
    if record_type.check is not None:
        for key, message in record_type.check(row).items():
            letter, header = ctx.header_of.get(key, ("", ""))
            outcome.add(Problem(source.number, letter, header, str(message)))
            bad = True
    return None if bad else row


def _covers(ctx: _Context, unit) -> bool:
    covered = ctx.covered.get(unit.pk)
    if covered is None:
        covered = ctx.covered[unit.pk] = ctx.scope.covers(unit)
    return covered


def _sample(record_type: RecordType, number: int, row: dict[str, Any]) -> dict[str, Any]:
    """A short view of a row for the preview: its number and its natural key's values."""
    shown = {}
    for key in record_type.natural_key:
        value: Any = row.get(key)
        if hasattr(value, "name") and hasattr(value, "code"):
            value = f"{value.name} ({value.code})"
        elif isinstance(value, date):
            value = f"{value:%d/%m/%Y}"
        shown[str(record_type.column(key).label)] = "" if value is None else str(value)
    return {"row": number, "values": shown}


def _process_chunk(ctx: _Context, chunk: list[SourceRow], write: Callable[[list[dict]], int] | None) -> None:
    outcome = ctx.outcome
    record_type = ctx.record_type
    valid: list[tuple[int, dict[str, Any], tuple]] = []
    for source in chunk:
        outcome.rows += 1
        row = _parse_row(ctx, source)
        if row is None:
            continue
        key = record_type.key(row)
        digest = hash(key)
        if digest in ctx.seen:
            first = ctx.first_row_of.get(digest)
            message = (
                _("This row repeats row %(row)s (the same %(key)s).")
                % {"row": first, "key": _key_label(record_type)}
                if first
                else _("This row repeats an earlier row (the same %(key)s).")
                % {"key": _key_label(record_type)}
            )
            outcome.add(Problem(source.number, "", "", message))
            continue
        ctx.seen.add(digest)
        if len(ctx.first_row_of) < 200_000:  # enough to name the first row of most repeats
            ctx.first_row_of[digest] = source.number
        valid.append((source.number, row, key))
    if not valid:
        return
    existing = record_type.existing(ctx.user, [key for _n, _r, key in valid])
    new_rows = []
    for number, row, key in valid:
        if key in existing:
            outcome.matched += 1
            if len(outcome.samples_matched) < MAX_SAMPLES:
                outcome.samples_matched.append(_sample(record_type, number, row))
        else:
            outcome.to_create += 1
            new_rows.append(row)
            if len(outcome.samples_new) < MAX_SAMPLES:
                outcome.samples_new.append(_sample(record_type, number, row))
    if write is not None and new_rows and outcome.ok:
        outcome.created += write(new_rows)


def _key_label(record_type: RecordType) -> str:
    return ", ".join(str(record_type.column(k).label).lower() for k in record_type.natural_key)


def run(
    user,
    record_type: RecordType,
    path: Path,
    original_name: str,
    *,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    within=None,
    write: Callable[[list[dict]], int] | None = None,
    opened: Sheet | None = None,
) -> Outcome:
    """One pass over the file. Without `write`, a preview; with it, every chunk of new rows is
    written while the file has no problem so far (the caller's transaction is rolled back when the
    pass ends with problems). File-level errors (not a spreadsheet, no header) raise DomainError."""
    source = opened or open_sheet(path, original_name, sheet=sheet)
    outcome = Outcome(
        record_type=record_type.code,
        sheet=source.name,
        sheets=list(source.sheet_names),
        format=source.format,
        encoding=source.encoding,
        legacy=source.legacy,
    )
    matches, unknown, missing = match_columns(record_type, source.headers, mapping)
    outcome.columns = [
        {
            "index": m.index,
            "letter": column_letter(m.index),
            "header": m.header,
            "field": m.column.key if m.column else "",
            "label": str(m.column.label) if m.column else "",
        }
        for m in matches
    ]
    outcome.unknown = unknown
    outcome.missing = missing
    for header in unknown:
        index = list(source.headers).index(header)
        outcome.add(
            Problem(
                source.header_row,
                column_letter(index),
                header,
                _("“%(header)s” is not a field of %(type)s: map it to a field, or choose to ignore it.")
                % {"header": header, "type": str(record_type.label).lower()},
            )
        )
    for label in missing:
        outcome.add(
            Problem(
                source.header_row,
                "",
                "",
                _("The required column “%(field)s” is missing.") % {"field": label},
            )
        )
    if unknown or missing:
        return outcome
    ctx = _Context(
        user=user,
        record_type=record_type,
        matches=matches,
        names=UnitNames(within=within),
        today=timezone.localdate(),
        scope=access.scope_for(user, record_type.action),
        outcome=outcome,
    )
    for chunk in chunks(source.rows(), CHUNK):
        _process_chunk(ctx, chunk, write)
    if outcome.rows == 0:
        outcome.add(
            Problem(
                None,
                "",
                "",
                _("The file has a header but no rows to import (sheet “%(sheet)s”).")
                % {"sheet": source.name or original_name},
            )
        )
    return outcome
