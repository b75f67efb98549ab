"""Attendance lists: reading one from a spreadsheet (XLSX or CSV), checking its rows, and the
downloadable template.

A list has a header row and one person a row: full name, category, unit or organisation,
position. Headers are accepted in Vietnamese or English ("Họ và tên" / "Full name", ...), matched
without case or diacritics; a category is accepted as its code or as its Vietnamese or English
name, matched the same way. Reading is all-or-nothing: every problem is reported with its row and
column, and a list with any problem is not kept (the service raises before writing).

Pure functions of their input (no database); the services call them and write.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core import numbers
from danvan.core.text import fold, normalize

from .models import Attendee, ParticipantCategory

MAX_FILE_MB = 5
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_ROWS = 20_000
# A header may sit below a title: it is looked for among the first rows that are not empty.
HEADER_SEARCH_ROWS = 10

FIELDS = ("full_name", "category", "organisation", "job_title")
REQUIRED = ("full_name", "category")


def _max_length(name: str) -> int:
    field = Attendee._meta.get_field(name)
    return int(getattr(field, "max_length", 0) or 0)


MAX_LENGTH: dict[str, int] = {name: _max_length(name) for name in FIELDS}

# The header of each column, as the template writes it (Vietnamese, English); both are accepted,
# and a few other ways officials head these columns.
HEADERS: dict[str, tuple[str, str]] = {
    "full_name": ("Họ và tên", "Full name"),
    "category": ("Đối tượng", "Category"),
    "organisation": ("Đơn vị", "Unit or organisation"),
    "job_title": ("Chức vụ", "Position"),
}
OTHER_HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ tên", "Name"),
    "category": ("Thành phần", "Participant category"),
    "organisation": ("Đơn vị công tác", "Cơ quan, đơn vị", "Unit or organization", "Organisation", "Unit"),
    "job_title": ("Chức danh", "Job title"),
}

# The categories a person may be listed under (not "unspecified", which only a typed total makes).
LISTED = tuple(c for c in ParticipantCategory if c != ParticipantCategory.UNSPECIFIED)
# Vietnamese names of the categories, as lists write them (data, not interface text): the first
# is the one the template offers.
VIETNAMESE_CATEGORIES: dict[str, tuple[str, ...]] = {
    ParticipantCategory.CADRES: ("Cán bộ", "Cán bộ, công chức", "Cán bộ, công chức, viên chức"),
    ParticipantCategory.PARTY_MEMBERS: ("Đảng viên",),
    ParticipantCategory.UNION_MEMBERS: ("Đoàn viên",),
    ParticipantCategory.ASSOCIATION_MEMBERS: ("Hội viên",),
    ParticipantCategory.MM_CADRES: ("Cán bộ làm công tác dân vận", "Cán bộ dân vận"),
    ParticipantCategory.CITIZENS: ("Nhân dân", "Người dân", "Công dân"),
    ParticipantCategory.OTHER: ("Khác", "Đối tượng khác"),
}


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in FIELDS:
        for text in (*HEADERS[name], *OTHER_HEADERS[name]):
            keys[fold(text)] = name
    return keys


HEADER_KEYS = _header_keys()


def category_keys() -> dict[str, str]:
    """Folded code or name -> category code: the codes, the Vietnamese names, the English labels
    and the labels in the active language."""
    keys: dict[str, str] = {}
    for category in LISTED:
        names = [category.value, category.value.replace("_", " "), *VIETNAMESE_CATEGORIES[category]]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append(str(category.label))
        names.append(str(category.label))
        for name in names:
            keys.setdefault(fold(name), category.value)
    return keys


def category_of(value: str) -> str | None:
    """The category code a cell or a typed value names, or None."""
    return category_keys().get(fold(value)) if value else None


def allowed_categories() -> str:
    """The categories a list accepts, as the user reads them (for the error message)."""
    return "; ".join(str(category.label) for category in LISTED)


def column_labels() -> dict[str, str]:
    """Column names for typed rows, in the active language."""
    return {
        "full_name": _("Full name"),
        "category": _("Category"),
        "organisation": _("Unit or organisation"),
        "job_title": _("Position"),
    }


# ---- rows and problems ------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    """One person as written: `number` is the row's number in the file (or on the typed list)."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Person:
    full_name: str
    category: str
    organisation: str
    job_title: str
    number: int


@dataclass(frozen=True)
class Problem:
    number: int  # the row; 0 for the file as a whole
    field: str  # "" for the file or the row as a whole
    message: str


class ListRefused(Exception):
    """The list has problems; nothing of it may be kept."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problems")


def check_rows(rows: Iterable[RawRow], columns: dict[str, str]) -> tuple[list[Person], list[Problem]]:
    """The people of the rows (names and organisations in NFC), and every problem: an empty
    name, an empty or unknown category, a value too long, the same person twice (same name and
    organisation, case and diacritics ignored). `columns` names the columns in messages."""
    keys = category_keys()
    people: list[Person] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        values = {name: normalize(row.values.get(name, "")) for name in FIELDS}
        ok = True
        for name in FIELDS:
            if len(values[name]) > MAX_LENGTH[name]:
                problems.append(_problem(row.number, name, columns, "too_long", limit=MAX_LENGTH[name]))
                ok = False
        if not values["full_name"]:
            problems.append(_problem(row.number, "full_name", columns, "name_empty"))
            ok = False
        category = keys.get(fold(values["category"])) if values["category"] else None
        if not values["category"]:
            problems.append(_problem(row.number, "category", columns, "category_empty"))
            ok = False
        elif category is None:
            problems.append(
                _problem(
                    row.number,
                    "category",
                    columns,
                    "category_unknown",
                    value=values["category"],
                    allowed=allowed_categories(),
                )
            )
            ok = False
        if values["full_name"]:
            key = (fold(values["full_name"]), fold(values["organisation"]))
            first = seen.get(key)
            if first is not None:
                problems.append(_repeat(row.number, first, values))
                ok = False
            else:
                seen[key] = row.number
        if ok and category is not None:
            people.append(
                Person(
                    full_name=values["full_name"],
                    category=category,
                    organisation=values["organisation"],
                    job_title=values["job_title"],
                    number=row.number,
                )
            )
    return people, problems


def _problem(number: int, field: str, columns: dict[str, str], kind: str, **params: Any) -> Problem:
    texts = {
        "too_long": _("Row %(row)s, column “%(column)s”: at most %(limit)s characters."),
        "name_empty": _("Row %(row)s, column “%(column)s”: the full name is empty."),
        "category_empty": _(
            "Row %(row)s, column “%(column)s”: the category is empty; use one of: %(allowed)s."
        ),
        "category_unknown": _(
            "Row %(row)s, column “%(column)s”: “%(value)s” is not a category; use one of: %(allowed)s."
        ),
    }
    params = {"row": number, "column": columns.get(field, field), "allowed": allowed_categories(), **params}
    return Problem(number, field, texts[kind] % params)


def _repeat(number: int, first: int, values: dict[str, str]) -> Problem:
    if values["organisation"]:
        text = _("Row %(row)s repeats row %(first)s: %(name)s (%(organisation)s).") % {
            "row": number,
            "first": first,
            "name": values["full_name"],
            "organisation": values["organisation"],
        }
    else:
        text = _("Row %(row)s repeats row %(first)s: %(name)s.") % {
            "row": number,
            "first": first,
            "name": values["full_name"],
        }
    return Problem(number, "full_name", text)


# ---- reading a file ---------------------------------------------------------------------------


@dataclass
class ReadList:
    people: list[Person]
    columns: dict[str, str]  # field -> the header as written in the file


def read(name: str, data: bytes) -> ReadList:
    """The people of an XLSX or CSV list, or ListRefused with every problem (row and column)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refused(
            _("%(name)s is larger than %(limit)s MB, the most an attendance list may be."),
            name=name,
            limit=MAX_FILE_MB,
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _refused(_("%(name)s is empty."), name=name)
    if data.startswith(b"PK"):
        rows = _xlsx_rows(name, data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused(
            _(
                "%(name)s is in the old Excel format (XLS): save it as XLSX (Excel Workbook) "
                "and upload it again."
            ),
            name=name,
        )
    else:
        rows = _csv_rows(name, data)
    return _from_rows(name, rows)


def _refused(message: str, **params: Any) -> ListRefused:
    return ListRefused([Problem(0, "", message % params)])


def _not_a_spreadsheet(name: str) -> ListRefused:
    return _refused(
        _("%(name)s is not a spreadsheet: upload an XLSX file, or a CSV file saved as UTF-8."), name=name
    )


BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z")
CONTROL_BYTES = frozenset([*range(0, 9), *range(14, 32)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(name: str, data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _not_a_spreadsheet(name)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ListRefused:
        raise
    except Exception as exc:  # a damaged or foreign archive: openpyxl raises many kinds
        raise _not_a_spreadsheet(name) from exc
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _csv_rows(name: str, data: bytes) -> Iterator[list[str]]:
    head = data[:4096]
    if head.startswith(BINARY_SIGNATURES) or any(b in CONTROL_BYTES for b in head):
        raise _not_a_spreadsheet(name)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused(
            _(
                "%(name)s is not in UTF-8: in Excel, save it as “CSV UTF-8 (Comma delimited)” "
                "and upload it again."
            ),
            name=name,
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _find_header(rows: Iterator[list[str]]) -> tuple[int, dict[str, int], dict[str, str], list[str]] | None:
    """(row number, field -> column index, field -> header text, first row) of the header: the
    first of the first rows that names the full-name column, else the first row with text."""
    first: tuple[int, list[str]] | None = None
    seen = 0
    for number, cells in enumerate(rows, start=1):
        if not any(c.strip() for c in cells):
            continue
        seen += 1
        if first is None:
            first = (number, cells)
        index, texts = _columns(cells)
        if "full_name" in index:
            return number, index, texts, cells
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        return None
    index, texts = _columns(first[1])
    return first[0], index, texts, first[1]


def _columns(cells: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    index: dict[str, int] = {}
    texts: dict[str, str] = {}
    for i, cell in enumerate(cells):
        field = HEADER_KEYS.get(fold(cell.rstrip(" *:")))
        if field and field not in index:
            index[field] = i
            texts[field] = normalize(cell)
    return index, texts


def _from_rows(name: str, rows: Iterator[list[str]]) -> ReadList:
    found = _find_header(rows)
    if found is None:
        raise _refused(_("%(name)s is empty."), name=name)
    header_number, index, texts, _cells = found
    missing = [field for field in REQUIRED if field not in index]
    if missing:
        raise ListRefused(
            [
                Problem(
                    header_number,
                    field,
                    _("Row %(row)s (the header row) has no column “%(vietnamese)s” or “%(english)s”.")
                    % {"row": header_number, "vietnamese": HEADERS[field][0], "english": HEADERS[field][1]},
                )
                for field in missing
            ]
        )
    columns = {field: texts.get(field) or column_labels()[field] for field in FIELDS}
    raw: list[RawRow] = []
    # `rows` continues after the header (it is one iterator).
    for number, cells in enumerate(rows, start=header_number + 1):
        if not any(c.strip() for c in cells):
            continue
        if len(raw) >= MAX_ROWS:
            raise _refused(
                _("%(name)s has more than %(limit)s people, the most one activity's list may have."),
                name=name,
                limit=numbers.number(MAX_ROWS),
            )
        raw.append(
            RawRow(
                number,
                {field: (cells[i] if i < len(cells) else "") for field, i in index.items()},
            )
        )
    if not raw:
        raise _refused(_("%(name)s has the header row but no one on the list."), name=name)
    people, problems = check_rows(raw, columns)
    if problems:
        raise ListRefused(problems)
    return ReadList(people=people, columns=columns)


# ---- the template -----------------------------------------------------------------------------


def template_xlsx(language: str) -> bytes:
    """An empty list to fill in: the header row in the user's language, the categories offered
    in a drop-down (from a second sheet that lists them)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    english = language.startswith("en")
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance" if english else "Danh sách"
    headers = [HEADERS[field][1 if english else 0] for field in FIELDS]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (32, 30, 40, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    names = book.create_sheet("Categories" if english else "Đối tượng")
    names.append(["Category" if english else "Đối tượng", "Code" if english else "Mã"])
    for category in LISTED:
        if english:
            with translation.override("en"):
                label = str(category.label)
        else:
            label = VIETNAMESE_CATEGORIES[category][0]
        names.append([label, category.value])
    names.column_dimensions["A"].width = 34
    last = len(LISTED) + 1
    validation = DataValidation(
        type="list", formula1=f"'{names.title}'!$A$2:$A${last}", allow_blank=True, showErrorMessage=False
    )
    sheet.add_data_validation(validation)
    validation.add(f"B2:B{MAX_ROWS + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
