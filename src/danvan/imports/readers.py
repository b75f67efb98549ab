"""Uploaded spreadsheet → header + rows of cell values.

`open_sheet` recognises the format by the content (XLSX, XLS, ODS or CSV whatever the name says),
picks the sheet, finds the header row under any title lines, recognises legacy Vietnamese text
(TCVN3, VNI) and returns a `Sheet` whose `rows()` streams the data rows as Python values. Anything
that cannot be read becomes a DomainError with an `import.*` code and a message that says which
file, which sheet, why and what to do; cells that cannot be read become problems on their row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import pathlib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 -- only our own upload's sheet XML, no entities resolved

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from danvan.core.errors import DomainError
from danvan.core.text import fold

from . import legacy as legacy_text

SAMPLE_BYTES = 64 * 1024  # CSV bytes read up front to recognise encoding, delimiter, header, legacy text
HEADER_WINDOW = 30  # the header is looked for in this many rows from the top
LEGACY_CELLS = 200  # text cells with characters outside ASCII sampled for legacy detection
LEGACY_ROWS = 5000  # rows scanned for that sample in a workbook
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ALLOWED_VALUES_SHEETS = ("allowed values", "gia tri cho phep")
_CSV_DELIMITERS = (",", ";", "\t")
_NOT_TEXT = re.compile(r"[+\-]?[\d\s.,/:%-]+")  # numbers, dates and times typed as text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class SourceRow:
    number: int  # row number as the spreadsheet shows it (1-based); CSV: the line where the record starts
    # Per column in file order: str (NFC, trimmed, legacy text converted) | int | float | bool | date |
    # datetime | None (empty).
    cells: list[Any]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (column index, message)


@dataclass
class Sheet:
    file_name: str  # the original name
    name: str  # sheet name; "" for CSV
    sheet_names: list[str]  # all sheets of the workbook ([""] for CSV)
    headers: list[str]  # header cells as text (NFC) in file order; "" for an empty header cell
    header_row: int  # its row number
    format: str  # "xlsx" | "xls" | "ods" | "csv"
    encoding: str  # CSV: "utf-8", "utf-8-sig", "utf-16", "cp1258"; workbooks: ""
    legacy: str  # "" | "tcvn3" | "vni": text was converted from that legacy encoding
    _read: Callable[[Sheet], Iterator[SourceRow]] | None = field(default=None, repr=False, compare=False)

    def rows(self) -> Iterator[SourceRow]:
        """The data rows after the header, streamed from the file; fully empty rows are skipped.
        Each call reads the file again."""
        if self._read is None:
            return iter(())
        return self._read(self)


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA"."""
    if index < 0:
        raise ValueError(index)
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def cell_name(column: int, row: int) -> str:
    """ "B7" for column index 1, row number 7."""
    return f"{column_letter(column)}{row}"


def open_sheet(path: pathlib.Path, original_name: str, *, sheet: str | None = None) -> Sheet:
    """Open the uploaded file at `path` (named `original_name` by the user) and prepare its sheet:
    `sheet` by name, or by default the first sheet with a header and data (an "allowed values" sheet
    and empty sheets are passed over). CSV files have one sheet named "" and ignore `sheet`.

    Raises DomainError with code import.empty_file, import.not_spreadsheet, import.unknown_sheet,
    import.no_header, import.encoding_unknown or import.unreadable; fields={"file": message}."""
    path = pathlib.Path(path)
    kind = _sniff(path, original_name)
    if kind == "csv":
        return _open_csv(path, original_name)
    return _open_workbook(path, original_name, kind, sheet)


# --- errors ------------------------------------------------------------------------------------------


def _error(code: str, message: str, **params: Any) -> DomainError:
    return DomainError(code, message, fields={"file": message}, **params)


def _format_label(kind: str) -> str:
    return {
        "xlsx": _("an Excel workbook (.xlsx)"),
        "xls": _("an Excel 97-2003 workbook (.xls)"),
        "ods": _("an OpenDocument spreadsheet (.ods)"),
        "csv": _("a CSV file"),
    }[kind]


def _unreadable(name: str, kind: str) -> DomainError:
    return _error(
        "import.unreadable",
        _(
            "The file %(file)s could not be read as %(format)s: it is damaged or incomplete (the upload "
            "may have been cut off). Open it in a spreadsheet program, save it again and upload the new "
            "copy."
        ),
        file=name,
        format=_format_label(kind),
    )


def _empty(name: str) -> DomainError:
    return _error(
        "import.empty_file",
        _("The file %(file)s is empty: it has no rows to import. Check that you chose the right file."),
        file=name,
    )


# --- format ------------------------------------------------------------------------------------------


def _binary_kinds() -> tuple[tuple[bytes, str], ...]:
    return (
        (b"\x89PNG", _("a PNG image")),
        (b"\xff\xd8\xff", _("a JPEG image")),
        (b"GIF8", _("a GIF image")),
        (b"%PDF", _("a PDF document")),
        (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf", _("a 7-Zip archive")),
        (b"\x1f\x8b", _("a gzip archive")),
        (b"{\\rtf", _("an RTF document")),
    )


def _not_spreadsheet(name: str, what: str | None) -> DomainError:
    if what is None:
        return _error(
            "import.not_spreadsheet",
            _(
                "The file %(file)s is not a spreadsheet: it holds binary data that is neither an Excel, "
                "an OpenDocument nor a CSV file. Upload an Excel workbook (.xlsx or .xls), an "
                "OpenDocument spreadsheet (.ods) or a CSV file."
            ),
            file=name,
        )
    return _error(
        "import.not_spreadsheet",
        _(
            "The file %(file)s is not a spreadsheet: it is %(what)s. Upload an Excel workbook (.xlsx or "
            ".xls), an OpenDocument spreadsheet (.ods) or a CSV file."
        ),
        file=name,
        what=what,
    )


def _sniff(path: pathlib.Path, name: str) -> str:
    """ "xlsx", "xls", "ods" or "csv", from the first bytes and, for a zip, its members."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise _unreadable(name, "csv") from exc
    if size == 0:
        raise _empty(name)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path, name)
    if head == OLE2_SIGNATURE:
        return "xls"
    for magic, what in _binary_kinds():
        if head.startswith(magic):
            raise _not_spreadsheet(name, what)
    return "csv"


def _sniff_zip(path: pathlib.Path, name: str) -> str:
    suffix = pathlib.PurePath(name).suffix.lower()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:200].decode("ascii", "replace")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        kind = "ods" if suffix == ".ods" else "xlsx"
        raise _unreadable(name, kind) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names:
        raise _not_spreadsheet(name, _("a Word document"))
    if "ppt/presentation.xml" in names:
        raise _not_spreadsheet(name, _("a PowerPoint presentation"))
    if "opendocument.text" in mimetype:
        raise _not_spreadsheet(name, _("an OpenDocument text document"))
    raise _not_spreadsheet(name, _("a ZIP archive"))


# --- cells -------------------------------------------------------------------------------------------


def _text(value: str, legacy: str) -> str | None:
    """A text cell: legacy text converted, NFC, trimmed; None when nothing is left."""
    if legacy:
        value = legacy_text.to_unicode(value, legacy)
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def _cell(value: Any, legacy: str) -> Any:
    """A workbook value as the row carries it: integral floats become int, times become text."""
    if value is None:
        return None
    if isinstance(value, str):
        return _text(value, legacy)
    if isinstance(value, bool | int | dt.date):  # datetime is a date
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.timedelta):
        return str(value)
    return _text(str(value), legacy)


def _header_text(value: Any, legacy: str) -> str:
    cell = _cell(value, legacy)
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _is_filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _is_header(values: list[Any], *, typed: bool) -> bool:
    """At least two filled cells, all text (in a CSV, text that is not a number or a date)."""
    filled = [v for v in values if _is_filled(v)]
    if len(filled) < 2:
        return False
    if typed:
        return all(isinstance(v, str) for v in filled)
    return all(not _NOT_TEXT.fullmatch(v.strip()) for v in filled)


def _spread(values: list[Any]) -> bool:
    """Whether the filled cells have empty cells between them, as in a letterhead that puts the
    agency on the left and the national motto on the right."""
    filled = [i for i, v in enumerate(values) if _is_filled(v)]
    return bool(filled) and filled[-1] - filled[0] + 1 > len(filled)


def _pick_header(window: list[list[Any]], *, typed: bool) -> int | None:
    """Position in `window` (the first rows) of the header: the first row with at least two filled
    cells that are all text, passing over letterhead lines (filled cells spread apart, or fewer than
    half as many as the widest such row)."""
    candidates = [(i, sum(1 for v in values if _is_filled(v))) for i, values in enumerate(window)]
    candidates = [(i, n) for i, n in candidates if _is_header(window[i], typed=typed)]
    if not candidates:
        return None
    widest = max(n for _i, n in candidates)
    for position, (i, n) in enumerate(candidates):
        wider_later = any(m > n for _j, m in candidates[position + 1 :])
        if n * 2 < widest or (wider_later and _spread(window[i])):
            continue
        return i
    return candidates[0][0]


def _headers(values: list[Any], legacy: str) -> list[str]:
    headers = [_header_text(v, legacy) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _pad(cells: list[Any], width: int) -> list[Any]:
    if len(cells) < width:
        cells.extend([None] * (width - len(cells)))
    return cells


def _legacy_samples(rows: list[list[Any]]) -> list[str]:
    samples: list[str] = []
    for values in rows:
        for value in values:
            if isinstance(value, str) and not value.isascii():
                samples.append(value)
                if len(samples) >= LEGACY_CELLS:
                    return samples
    return samples


def _detect_legacy(name: str, samples: list[str], unicode_samples: list[str] | None = None) -> str:
    try:
        return legacy_text.detect(samples, unicode_samples=unicode_samples)
    except DomainError as exc:
        raise _error(
            exc.code,
            _(
                "The text in %(file)s looks like it was typed with an old Vietnamese font (TCVN3/ABC or "
                "VNI), but it cannot be told which one. Save the file as Unicode (UTF-8) or convert it "
                "with Unikey's converter, then upload it again."
            ),
            file=name,
        ) from exc


# --- workbooks ---------------------------------------------------------------------------------------


def _load_workbook(path: pathlib.Path, name: str, kind: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise _error(
            "import.unreadable",
            _(
                "The file %(file)s is protected with a password. Open it, remove the password, save it and "
                "upload it again."
            ),
            file=name,
        ) from exc
    except (CalamineError, OSError, ValueError, RuntimeError) as exc:
        raise _unreadable(name, kind) from exc


def _sheet_rows(workbook: CalamineWorkbook, sheet_name: str, name: str, kind: str):
    """(calamine sheet, iterator of (0-based row index, values with column A first))."""
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
    except (CalamineError, ValueError, RuntimeError) as exc:
        raise _unreadable(name, kind) from exc
    # python-calamine yields rows from row 1 but columns from the first used column: put the missing
    # columns back so that indexes are the spreadsheet's columns.
    offset = sheet.start[1] if sheet.start else 0

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for index, values in enumerate(sheet.iter_rows()):
                yield index, ([None] * offset + list(values)) if offset else list(values)
        except (CalamineError, ValueError, RuntimeError) as exc:
            raise _unreadable(name, kind) from exc

    return sheet, rows()


@dataclass
class _Found:
    """What the scan of one sheet found: the header and a sample for legacy detection."""

    header_index: int | None = None
    header_values: list[Any] = field(default_factory=list)
    has_data: bool = False
    empty: bool = True
    samples: list[list[Any]] = field(default_factory=list)


def _scan_sheet(rows: Iterator[tuple[int, list[Any]]]) -> _Found:
    found = _Found()
    window: list[tuple[int, list[Any]]] = []
    for index, values in rows:
        window.append((index, values))
        if index + 1 >= HEADER_WINDOW:
            break
    found.empty = not any(_is_filled(v) for _i, values in window for v in values)
    position = _pick_header([values for _i, values in window], typed=True)
    if position is None:
        return found
    found.header_index, found.header_values = window[position]
    found.samples = [values for _i, values in window[: position + 1] if any(_is_filled(v) for v in values)]
    legacy_cells = len(_legacy_samples(found.samples))
    for data_rows, (_index, values) in enumerate(itertools.chain(window[position + 1 :], rows), start=1):
        if any(_is_filled(v) for v in values):
            found.has_data = True
            found.samples.append(values)
            legacy_cells += sum(1 for v in values if isinstance(v, str) and not v.isascii())
        if data_rows >= LEGACY_ROWS or (found.has_data and legacy_cells >= LEGACY_CELLS):
            break
    return found


def _is_allowed_values(sheet_name: str) -> bool:
    folded = fold(sheet_name)
    return any(word in folded for word in _ALLOWED_VALUES_SHEETS)


def _open_workbook(path: pathlib.Path, name: str, kind: str, wanted: str | None) -> Sheet:
    with _load_workbook(path, name, kind) as workbook:
        names = list(workbook.sheet_names)
        if wanted is not None and wanted not in names:
            raise _error(
                "import.unknown_sheet",
                _('The file %(file)s has no sheet named "%(sheet)s". Its sheets are: %(sheets)s.'),
                file=name,
                sheet=wanted,
                sheets=", ".join(f'"{n}"' for n in names),
            )
        order = [wanted] if wanted is not None else [n for n in names if not _is_allowed_values(n)] or names
        chosen: tuple[str, _Found, int] | None = None  # the sheet, what its scan found, its header's index
        first_without_header: str | None = None
        for sheet_name in order:
            _sheet, rows = _sheet_rows(workbook, sheet_name, name, kind)
            found = _scan_sheet(rows)
            if found.header_index is None:
                if not found.empty and first_without_header is None:
                    first_without_header = sheet_name
                continue
            if chosen is None or (not chosen[1].has_data and found.has_data):
                chosen = (sheet_name, found, found.header_index)
            if found.has_data:
                break
    if chosen is None:
        if first_without_header is None:
            if wanted is not None:
                raise _error(
                    "import.empty_file",
                    _('Sheet "%(sheet)s" of %(file)s is empty: it has no rows to import.'),
                    file=name,
                    sheet=wanted,
                )
            raise _empty(name)
        raise _no_header(name, first_without_header)
    sheet_name, found, header_index = chosen
    legacy = _detect_legacy(name, _legacy_samples(found.samples))
    return Sheet(
        file_name=name,
        name=sheet_name,
        sheet_names=names,
        headers=_headers(found.header_values, legacy),
        header_row=header_index + 1,
        format=kind,
        encoding="",
        legacy=legacy,
        _read=lambda s: _workbook_rows(path, s),
    )


def _no_header(name: str, sheet_name: str) -> DomainError:
    if sheet_name:
        message = _(
            'No header row was found in sheet "%(sheet)s" of %(file)s: none of its first %(rows)s rows has '
            "at least two filled cells that are all text. Put the column names in one row above the data."
        )
    else:
        message = _(
            "No header row was found in %(file)s: none of its first %(rows)s rows has at least two filled "
            "cells that are all text. Put the column names in one row above the data."
        )
    return _error("import.no_header", message, file=name, sheet=sheet_name, rows=HEADER_WINDOW)


def _workbook_rows(path: pathlib.Path, sheet: Sheet) -> Iterator[SourceRow]:
    workbook = _load_workbook(path, sheet.file_name, sheet.format)
    try:
        calamine_sheet, rows = _sheet_rows(workbook, sheet.name, sheet.file_name, sheet.format)
        merged = _MergedCells(calamine_sheet.merged_cell_ranges or [], first_row=sheet.header_row)
        formulas = _UncomputedFormulas(path, sheet.name) if sheet.format == "xlsx" else None
        width = len(sheet.headers)
        for index, values in rows:
            number = index + 1
            if number <= sheet.header_row:
                continue
            cells = _pad([_cell(v, sheet.legacy) if v != "" else None for v in values], width)
            if all(c is None for c in cells):
                continue
            problems = merged.problems(index, number)
            if formulas is not None and any(c is None for c in cells):
                for column in formulas.columns(number):
                    if column < len(cells) and cells[column] is None:
                        problems.append((column, _uncomputed_message(column, number)))
            problems.sort()
            yield SourceRow(number=number, cells=cells, problems=problems)
    finally:
        workbook.close()


def _uncomputed_message(column: int, number: int) -> str:
    return _(
        "Cell %(cell)s holds a formula whose value was never computed: open the file in a spreadsheet "
        "program and save it, or paste the values."
    ) % {"cell": cell_name(column, number)}


class _MergedCells:
    """Merged ranges that reach into the data rows. Every covered cell but the first is a problem: the
    value sits in the first cell only, the other rows would import empty."""

    def __init__(self, ranges: list[tuple[tuple[int, int], tuple[int, int]]], *, first_row: int) -> None:
        # 0-based, inclusive; keep those that end below the header row (first_row is 1-based).
        self._pending = sorted(((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in ranges if r2 >= first_row)
        self._active: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def problems(self, index: int, number: int) -> list[tuple[int, str]]:
        while self._pending and self._pending[0][0][0] <= index:
            self._active.append(self._pending.pop(0))
        self._active = [r for r in self._active if r[1][0] >= index]
        out: list[tuple[int, str]] = []
        for (r1, c1), (r2, c2) in self._active:
            label = f"{cell_name(c1, r1 + 1)}:{cell_name(c2, r2 + 1)}"
            for column in range(c1, c2 + 1):
                if (index, column) != (r1, c1):
                    message = _(
                        "Cell %(cell)s is part of merged cells %(range)s: unmerge them and fill in every row."
                    ) % {"cell": cell_name(column, number), "range": label}
                    out.append((column, message))
        return out


class _UncomputedFormulas:
    """Which cells of an XLSX row hold a formula without a cached value. The sheet XML is streamed
    only once a row has an empty cell, in step with the rows, keeping one row in memory."""

    def __init__(self, path: pathlib.Path, sheet_name: str) -> None:
        self._path = path
        self._sheet_name = sheet_name
        self._stream: Iterator[tuple[int, set[int]]] | None = None
        self._next: tuple[int, set[int]] | None = None
        self._done = False

    def columns(self, number: int) -> set[int]:
        if self._done:
            return set()
        if self._stream is None:
            self._stream = self._scan()
            self._advance()
        while self._next is not None and self._next[0] < number:
            self._advance()
        if self._next is not None and self._next[0] == number:
            return self._next[1]
        return set()

    def _advance(self) -> None:
        assert self._stream is not None  # noqa: S101 -- set by columns() before the first call
        self._next = next(self._stream, None)
        if self._next is None:
            self._done = True

    def _scan(self) -> Iterator[tuple[int, set[int]]]:
        try:
            with zipfile.ZipFile(self._path) as archive:
                member = _sheet_member(archive, self._sheet_name)
                if member is None:
                    return
                with archive.open(member) as stream:
                    yield from _formula_rows(stream)
        except (zipfile.BadZipFile, OSError, EOFError, ET.ParseError, KeyError):
            # calamine read the same sheet; a sheet it could read but we cannot parse only loses the check.
            return


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _formula_rows(stream) -> Iterator[tuple[int, set[int]]]:
    """(row number, column indexes) for rows with a `<c>` that has an `<f>` and no `<v>` value."""
    container = None
    row_number = 0
    position = -1
    columns: set[int] = set()
    for event, element in ET.iterparse(stream, events=("start", "end")):  # noqa: S314 -- see the import
        tag = _local(element.tag)
        if event == "start":
            if tag == "sheetData":
                container = element
            elif tag == "row":
                row_number = int(element.get("r") or row_number + 1)
                position = -1
            continue
        if tag == "c":
            ref = _CELL_REF.fullmatch(element.get("r") or "")
            position = _column_index(ref.group(1)) if ref else position + 1
            children = {_local(child.tag): child for child in element}
            value = children.get("v")
            if "f" in children and (value is None or not (value.text or "").strip()):
                columns.add(position)
        elif tag == "row":
            if columns:
                yield row_number, columns
                columns = set()
            if container is not None:
                container.clear()  # finished rows are not kept


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member of the worksheet named `sheet_name`, from the workbook and its relationships."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 -- see the import
    rel_id = None
    for element in workbook.iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            rel_id = element.get(rel_ns)
            break
    if rel_id is None:
        return None
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314 -- see the import
    for element in rels.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == rel_id:
            target = element.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


# --- CSV ---------------------------------------------------------------------------------------------


@dataclass
class _CsvFormat:
    encoding: str  # as reported on the Sheet
    codec: str  # the Python codec that reads it
    delimiter: str = ","


def _csv_encoding(sample: bytes, name: str) -> _CsvFormat:
    if sample.startswith(codecs.BOM_UTF8):
        return _CsvFormat("utf-8-sig", "utf-8-sig")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _CsvFormat("utf-16", "utf-16")
    if b"\x00" in sample:
        # UTF-16 without a byte order mark: ASCII characters leave a NUL beside every letter.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.3 and even < odd * 0.1:
            return _CsvFormat("utf-16", "utf-16-le")
        if even > half * 0.3 and odd < even * 0.1:
            return _CsvFormat("utf-16", "utf-16-be")
        raise _not_spreadsheet(name, None)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return _CsvFormat("cp1258", "cp1258")
    return _CsvFormat("utf-8", "utf-8")


def _decode_sample(sample: bytes, codec: str, complete: bool) -> str:
    return codecs.getincrementaldecoder(codec)(errors="replace").decode(sample, final=complete)


def _sample_records(text: str, delimiter: str, complete: bool) -> list[tuple[int, list[str]]]:
    """(start line, fields) of the records in a decoded sample; the last one is dropped when the
    sample ends inside the file (it may be cut)."""
    records = list(_records(io.StringIO(text, newline=""), delimiter, limit=None))
    if not complete and records:
        records.pop()
    return records


def _records(lines, delimiter: str, limit: int | None) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=delimiter)
    previous = 0
    for count, record in enumerate(reader):
        if limit is not None and count >= limit:
            return
        start, previous = previous + 1, reader.line_num
        yield start, record


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into the same number (>1) of fields."""
    lines = text.splitlines()[:100]
    if len(lines) > 1:
        lines = lines[:-1]  # may be cut
    best, best_score = ",", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: pathlib.Path, name: str) -> Sheet:
    try:
        with path.open("rb") as stream:
            sample = stream.read(SAMPLE_BYTES + 1)
    except OSError as exc:
        raise _unreadable(name, "csv") from exc
    complete = len(sample) <= SAMPLE_BYTES
    sample = sample[:SAMPLE_BYTES]
    form = _csv_encoding(sample, name)
    text = _decode_sample(sample, form.codec, complete)
    if len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise _not_spreadsheet(name, None)
    if not text.strip().strip("\ufeff"):
        raise _empty(name)
    form.delimiter = _sniff_delimiter(text)
    try:
        records = _sample_records(text, form.delimiter, complete)
    except csv.Error as exc:
        raise _unreadable(name, "csv") from exc
    if not any(any(f.strip() for f in fields) for _line, fields in records):
        raise _empty(name)
    legacy = _csv_legacy(name, sample, form, complete, records)
    if legacy and form.encoding == "cp1258":
        form.codec = "latin-1"  # legacy codes are the bytes themselves, read as Windows-1252 glyphs
    window = [(line, fields) for line, fields in records if line <= HEADER_WINDOW]
    position = _pick_header([fields for _line, fields in window], typed=False)
    if position is None:
        raise _no_header(name, "")
    header_line, header_fields = window[position]
    if legacy and form.codec == "latin-1":
        header_fields = next(
            f
            for line, f in _sample_records(
                _decode_sample(sample, "latin-1", complete), form.delimiter, complete
            )
            if line == header_line
        )
    return Sheet(
        file_name=name,
        name="",
        sheet_names=[""],
        headers=_headers(header_fields, legacy),
        header_row=header_line,
        format="csv",
        encoding=form.encoding,
        legacy=legacy,
        _read=lambda s: _csv_rows(path, form, s),
    )


def _csv_legacy(name: str, sample: bytes, form: _CsvFormat, complete: bool, records) -> str:
    cells = _legacy_samples([fields for _line, fields in records])
    if form.encoding != "cp1258":
        return _detect_legacy(name, cells)
    # Eight-bit text is either Windows-1258 or legacy codes: score each on its own reading.
    glyphs = _sample_records(_decode_sample(sample, "latin-1", complete), form.delimiter, complete)
    return _detect_legacy(name, _legacy_samples([f for _line, f in glyphs]), unicode_samples=cells)


def _csv_rows(path: pathlib.Path, form: _CsvFormat, sheet: Sheet) -> Iterator[SourceRow]:
    width = len(sheet.headers)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=form.codec, errors="replace", newline="")
        line = 0
        try:
            for line, fields in _records(text, form.delimiter, limit=None):
                if line <= sheet.header_row:
                    continue
                cells = _pad([_text(value, sheet.legacy) for value in fields], width)
                if all(c is None for c in cells):
                    continue
                problems = [
                    (column, _undecodable_message(column, line, sheet.encoding))
                    for column, value in enumerate(cells)
                    if isinstance(value, str) and "\ufffd" in value
                ]
                yield SourceRow(number=line, cells=cells, problems=problems)
        except csv.Error as exc:
            raise _error(
                "import.unreadable",
                _(
                    "The file %(file)s cannot be read after line %(line)s: %(reason)s. A quoted value is "
                    "probably not closed; check the quotes there or save the file again from the "
                    "spreadsheet program."
                ),
                file=sheet.file_name,
                line=line,
                reason=str(exc),
            ) from exc


def _undecodable_message(column: int, line: int, encoding: str) -> str:
    return _(
        "Cell %(cell)s holds characters that are not valid %(encoding)s text: save the file as Unicode "
        "(UTF-8) and upload it again."
    ) % {"cell": cell_name(column, line), "encoding": encoding.upper()}
