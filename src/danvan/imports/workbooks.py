"""Spreadsheets that go out: a record type's template, exports of records, and the document that
describes the import formats (`docs/import.md`).

A template and an export share their first sheet's shape: one header row whose cells are the
columns' labels in one language, then one row per record. So an export imports back as it is, and
a template filled in by hand imports with no column to map. Cells are written by
`values.format_cell`, the inverse of the parser the import uses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from danvan.core import audit, records
from danvan.core.errors import NotFound
from danvan.core.records import Column, ExportQuery, RecordType, registry
from danvan.units import access

from .values import ACCEPTED_BOOLEANS, format_cell

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
DATE_FORMAT = "DD/MM/YYYY"
REQUIRED_FILL = "FCE4D6"  # light orange: the headers a row cannot leave empty
HEADER_FILL = "D9E1F2"  # light blue: the header of the allowed-values sheet
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9]+")

KIND_LABELS = {
    records.TEXT: gettext_lazy("text"),
    records.LONG_TEXT: gettext_lazy("long text (line breaks are kept)"),
    records.DATE: gettext_lazy("date (dd/mm/yyyy)"),
    records.INTEGER: gettext_lazy("whole number"),
    records.DECIMAL: gettext_lazy("number"),
    records.BOOLEAN: gettext_lazy("yes or no"),
    records.CHOICE: gettext_lazy("one of the allowed values"),
    records.CHOICES: gettext_lazy("allowed values separated by “;”"),
    records.UNIT: gettext_lazy("unit (name or code)"),
}
# Widths (in characters) of a column by kind, before its header's length is taken into account.
KIND_WIDTHS = {
    records.TEXT: 24,
    records.LONG_TEXT: 48,
    records.DATE: 12,
    records.INTEGER: 10,
    records.DECIMAL: 12,
    records.BOOLEAN: 10,
    records.CHOICE: 22,
    records.CHOICES: 30,
    records.UNIT: 30,
}
MAX_WIDTH = 60


# -- columns -----------------------------------------------------------------------------------------


def headers(record_type: RecordType) -> list[str]:
    """The header row in the active language: the columns' labels, exactly as the import reads them."""
    return [str(column.label) for column in record_type.columns]


def kind_text(column: Column) -> str:
    """The kind of value a column holds, with its limits, in the active language."""
    text = str(KIND_LABELS[column.kind])
    limits = []
    if column.max_length is not None:
        limits.append(_("at most %(max)s characters") % {"max": column.max_length})
    if column.min_value is not None:
        limits.append(_("at least %(min)s") % {"min": column.min_value})
    return "; ".join([text, *limits])


def allowed_values(column: Column) -> list[tuple[str, str, str]]:
    """Every allowed value of a CHOICE or CHOICES column: (code, Vietnamese label, English label)."""
    if column.kind not in (records.CHOICE, records.CHOICES):
        return []
    found = []
    for code, label in column.choices.items():
        with override("vi"):
            vi = str(label)
        with override("en"):
            en = str(label)
        found.append((str(code), vi, en))
    return found


def column_width(column: Column, header: str) -> int:
    return min(MAX_WIDTH, max(KIND_WIDTHS.get(column.kind, 20), len(header) + 4))


def sheet_title(record_type: RecordType) -> str:
    """The record type's name in the active language, as a sheet's name may be written."""
    title = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", str(record_type.label)).split())
    if len(title) > SHEET_TITLE_MAX:
        # Cut between words, not inside one ("Hoạt động tuyên truyền, vận động").
        cut = title[: SHEET_TITLE_MAX + 1].rsplit(" ", 1)[0].rstrip(" ,;-–")
        title = cut if len(cut) >= SHEET_TITLE_MAX // 2 else title[:SHEET_TITLE_MAX]
    return title or record_type.code[:SHEET_TITLE_MAX]


def _other_language(language: str) -> str:
    return "en" if language == "vi" else "vi"


def _header_in(column: Column, language: str) -> str:
    with override(language):
        return str(column.label)


def _cell_text(value: Any) -> Any:
    """Text without the control characters a workbook cannot hold; other values as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


# -- template ----------------------------------------------------------------------------------------


def _header_note(column: Column, language: str) -> str:
    """The comment on a template's header cell: the other language's header, the help, the kind,
    whether it is required (in `language`, which is active)."""
    other = _other_language(language)
    other_header = _header_in(column, other)
    lines = [
        (_("Header in English: %(header)s") if other == "en" else _("Header in Vietnamese: %(header)s"))
        % {"header": other_header}
    ]
    if column.help:
        lines.append(str(column.help))
    lines.append(_("Kind: %(kind)s.") % {"kind": kind_text(column)})
    lines.append(str(_("Required.") if column.required else _("Optional.")))
    if column.kind in (records.CHOICE, records.CHOICES):
        lines.append(_("Allowed values: see the sheet “%(sheet)s”.") % {"sheet": _("Allowed values")})
    if column.kind == records.BOOLEAN:
        lines.append(_("Write one of: %(accepted)s.") % {"accepted": ACCEPTED_BOOLEANS})
    if column.sensitive:
        lines.append(_("Confidential: hidden in exports from users not entitled to see it."))
    return "\n".join(lines)


def _example_row(record_type: RecordType) -> list[Any]:
    return [format_cell(column, column.example, csv=False) for column in record_type.columns]


def _write_template_sheet(sheet, record_type: RecordType, language: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (column, header, example) in enumerate(
        zip(record_type.columns, headers(record_type), _example_row(record_type), strict=True), start=1
    ):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column_width(column, header)
        cell = sheet.cell(row=1, column=number, value=header)
        cell.font = bold
        cell.alignment = wrap
        if column.required:
            cell.fill = required_fill
        note = _header_note(column, language)
        cell.comment = Comment(note, "danvan", height=max(120, 18 * (note.count("\n") + 2)), width=320)
        value = sheet.cell(row=2, column=number, value=_cell_text(example))
        if isinstance(example, str):
            value.data_type = "s"  # text that starts with "=" is text, never a formula
        if column.kind == records.DATE:
            value.number_format = DATE_FORMAT
        if column.kind == records.LONG_TEXT:
            value.alignment = wrap
    sheet.freeze_panes = "A2"


def _write_allowed_sheet(sheet, record_type: RecordType) -> None:
    """Per column: header (vi), header (en), required, kind, help, then its allowed values one per
    row (code, Vietnamese label, English label), the first beside the column's own row."""
    from openpyxl.styles import Alignment, Font, PatternFill

    titles = [
        _("Header (Vietnamese)"),
        _("Header (English)"),
        _("Required"),
        _("Kind"),
        _("Help"),
        _("Code"),
        _("Value (Vietnamese)"),
        _("Value (English)"),
    ]
    widths = [30, 30, 10, 28, 50, 18, 36, 36]
    note = sheet.cell(
        row=1,
        column=1,
        value=_(
            "The first sheet is imported; this one is not. Headers filled orange there are required: "
            "every row needs a value in them."
        ),
    )
    note.font = Font(italic=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=2, column=number, value=title)
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = width
    required_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    row = 3
    for column in record_type.columns:
        facts = [
            _header_in(column, "vi"),
            _header_in(column, "en"),
            _("Yes") if column.required else _("No"),
            kind_text(column),
            str(column.help),
        ]
        for number, value in enumerate(facts, start=1):
            cell = sheet.cell(row=row, column=number, value=_cell_text(value))
            cell.data_type = "s"
            cell.alignment = wrap
        if column.required:
            sheet.cell(row=row, column=1).fill = required_fill
        choices = allowed_values(column)
        for offset, choice in enumerate(choices):
            for number, value in enumerate(choice, start=6):
                cell = sheet.cell(row=row + offset, column=number, value=_cell_text(value))
                cell.data_type = "s"
        row += max(1, len(choices))
    sheet.freeze_panes = "A3"


def template_workbook(record_type: RecordType, *, language: str) -> bytes:
    """The XLSX template of a record type in `language` ("vi" or "en").

    Sheet 1, named after the record type: the header row (the columns' labels in `language`, bold,
    frozen; required ones filled orange; each with a comment giving the other language's header,
    the help, the kind and whether it is required) and one example row. Sheet 2, "Allowed values":
    every column described, with every allowed value of the columns that take them. The import reads
    the first sheet only, so the template imports as it is (its example row included).
    """
    from openpyxl import Workbook

    with override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = sheet_title(record_type)
        _write_template_sheet(sheet, record_type, language)
        _write_allowed_sheet(workbook.create_sheet(_("Allowed values")[:SHEET_TITLE_MAX]), record_type)
        workbook.properties.title = str(record_type.label)
        workbook.properties.creator = "danvan"
        workbook.properties.language = language
        out = io.BytesIO()
        workbook.save(out)
    return out.getvalue()


# -- export ------------------------------------------------------------------------------------------


def export_filename(record_type: RecordType, unit, first: date, last: date, fmt: str) -> str:
    """An ASCII file name that says what the export holds, e.g.
    "petitions-374-2013-01-01-2022-12-31.xlsx"."""
    kind = _FILE_NAME_UNSAFE.sub("-", record_type.code).strip("-") or "records"
    code = _FILE_NAME_UNSAFE.sub("-", str(getattr(unit, "code", "") or "")).strip("-") or "unit"
    return f"{kind}-{code}-{first.isoformat()}-{last.isoformat()}.{fmt}"


def _formatted(record_type: RecordType, rows: Iterable[records.Row], *, csv_cells: bool):
    columns = record_type.columns
    for row in rows:
        yield [format_cell(column, row.get(column.key), csv=csv_cells) for column in columns]


def _write_xlsx(record_type: RecordType, rows: Iterable[records.Row], out: IO[bytes]) -> int:
    """Rows streamed into a write-only workbook: memory stays flat whatever the number of records."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(record_type))
    titles = headers(record_type)
    for number, (column, header) in enumerate(zip(record_type.columns, titles, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column_width(column, header)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in titles:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    kinds = [column.kind for column in record_type.columns]
    count = 0
    for values in _formatted(record_type, rows, csv_cells=False):
        cells: list[Cell | None] = []
        for kind, value in zip(kinds, values, strict=True):
            if value == "":
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=_cell_text(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with "=" is text, never a formula
            elif kind == records.DATE:
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.properties.title = str(record_type.label)
    workbook.properties.creator = "danvan"
    workbook.save(out)
    return count


def _write_csv(record_type: RecordType, rows: Iterable[records.Row], out: IO[bytes]) -> int:
    """UTF-8 with a byte-order mark (so Excel reads the Vietnamese letters), commas, a header row."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(headers(record_type))
        count = 0
        for values in _formatted(record_type, rows, csv_cells=True):
            writer.writerow(values)
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns `out`: leave it open
    return count


def export_records(
    user, record_type: RecordType, *, unit, first: date, last: date, fmt: str, out: IO[bytes]
) -> int:
    """Write the records of `unit` and every unit below it, dated from `first` to `last`, that `user`
    may see, to `out` as XLSX or CSV: the template's columns with headers in the active language,
    one row per record (sensitive columns as the record type masks them for this user). Returns the
    number of rows and records one audit event. A unit outside the user's scope is NotFound."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if unit is None or not access.scope_for(user, "record.view").covers(unit):
        raise NotFound()
    rows = record_type.export(ExportQuery(user, unit, first, last))
    count = (_write_xlsx if fmt == "xlsx" else _write_csv)(record_type, rows, out)
    audit.record(
        actor=user,
        action="records.export",
        record_type=record_type.code,
        label=f"{record_type.label} – {unit.name} ({first:%d/%m/%Y}–{last:%d/%m/%Y})",
        unit=unit,
        after={"from": first.isoformat(), "to": last.isoformat(), "format": fmt, "rows": count},
    )
    return count


# -- the import formats document ---------------------------------------------------------------------


def _md(text: Any) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _both(en: str, vi: str) -> str:
    """A value in both languages, once when the catalogue has no other translation."""
    return en if en == vi else f"{vi} / {en}"


def _in_both(value: Any) -> tuple[str, str]:
    with override("en"):
        en = str(value)
    with override("vi"):
        vi = str(value)
    return en, vi


def _allowed_cell(column: Column) -> str:
    parts = []
    for code, vi, en in allowed_values(column):
        labels = _both(en, vi)
        parts.append(f"`{code}` {labels}")
    if column.kind == records.BOOLEAN:
        parts.append(ACCEPTED_BOOLEANS)
    return "<br>".join(_md(part) for part in parts)


def _type_table(record_type: RecordType) -> list[str]:
    en_label, vi_label = _in_both(record_type.label)
    lines = [f"### {_both(en_label, vi_label)} (`{record_type.code}`)", ""]
    if record_type.description:
        en, vi = _in_both(record_type.description)
        lines += [_md(en), ""] if vi == en else [_md(en), "", _md(vi), ""]
    key = ", ".join(f"`{k}`" for k in record_type.natural_key)
    lines.append(f"- Natural key / Khóa nhận diện: {key}")
    if record_type.date_column:
        lines.append(f"- Date of the record / Ngày của bản ghi: `{record_type.date_column}`")
    lines.append(f"- Permission / Quyền: `{record_type.action}`")
    lines += [
        "",
        "| Header (vi) / Tên cột (tiếng Việt) | Header (en) / Tên cột (tiếng Anh) | Key | "
        "Kind / Kiểu | Required / Bắt buộc | Help / Hướng dẫn | Allowed values / Giá trị cho phép |",
        "|---|---|---|---|---|---|---|",
    ]
    for column in record_type.columns:
        en_header, vi_header = _in_both(column.label)
        with override("en"):
            kind_en = kind_text(column)
        with override("vi"):
            kind_vi = kind_text(column)
        help_en, help_vi = _in_both(column.help)
        required = "yes / có" if column.required else "no / không"
        help_text = _both(help_en, help_vi) if help_en else ""
        if column.sensitive:
            help_text = f"{help_text} (confidential / bảo mật)".strip()
        if column.aliases:
            help_text += " Also accepted / Cũng nhận: " + ", ".join(f"“{a}”" for a in column.aliases) + "."
        cells = [
            vi_header,
            en_header,
            f"`{column.key}`",
            _both(kind_en, kind_vi),
            required,
            help_text,
            _allowed_cell(column),
        ]
        lines.append("| " + " | ".join(_md(cell) if i < 6 else cell for i, cell in enumerate(cells)) + " |")
    lines.append("")
    return lines


def import_formats_markdown(record_types: Sequence[RecordType] | None = None) -> str:
    """`docs/import.md`: how to import and export records (in English, then in Vietnamese), then one
    table per record type with every column. Generated from the declarations (`danvan import_docs`),
    so it cannot drift from what the import accepts."""
    types = list(registry().values()) if record_types is None else list(record_types)
    lines = [GUIDE_EN.strip(), "", GUIDE_VI.strip(), "", TYPES_HEADING.strip(), ""]
    lines += ["| Code / Mã | Record type / Loại bản ghi | Columns / Số cột |", "|---|---|---|"]
    for record_type in types:
        en, vi = _in_both(record_type.label)
        lines.append(f"| `{record_type.code}` | {_md(_both(en, vi))} | {len(record_type.columns)} |")
    lines.append("")
    for record_type in types:
        lines += _type_table(record_type)
    return "\n".join(lines).rstrip() + "\n"


TYPES_HEADING = """
## Record types and their columns / Các loại bản ghi và các cột

Generated from the declarations in each app's `records.py` by `danvan import_docs`; do not edit
by hand. / Tạo tự động từ khai báo `records.py` của từng phân hệ bằng lệnh `danvan import_docs`;
không sửa tay.
"""

GUIDE_EN = f"""
# Importing and exporting records / Nhập và xuất dữ liệu

This document describes the spreadsheets danvan imports and exports: first in English, then in
Vietnamese, then one table per record type listing every column. / Tài liệu này mô tả các bảng tính
mà danvan nhập và xuất: trước bằng tiếng Anh, sau bằng tiếng Việt, cuối cùng là bảng các cột của
từng loại bản ghi.

## English

### Files

- **Formats**: Excel workbooks (`.xlsx`, and `.xls` from Excel 97–2003), LibreOffice
  spreadsheets (`.ods`) and text files of comma-separated values (`.csv`). The format is told by the
  file's content, not by its name; a picture or a document renamed `.xlsx` is refused.
- **CSV encodings**: UTF-8 (with or without a byte-order mark), UTF-16 and Windows-1258. Values may
  be separated by commas, semicolons (as Excel writes them on Vietnamese Windows) or tabs.
- **Old Vietnamese fonts**: text typed with the TCVN3 (ABC, `.VnTime`) or VNI fonts is recognised and
  converted to Unicode. When the file looks like such text but the encoding cannot be told for sure,
  it is refused: save it as Unicode, or convert it with Unikey's converter, and upload it again.
- **Sheet**: the first sheet that has a header and rows is read (a template's "Allowed values" sheet
  is skipped); another sheet can be chosen by name.
- **Header row**: the first row among the first 30 that has at least two cells, all of them text.
  Title lines above it ("ỦY BAN NHÂN DÂN …", "SỔ THEO DÕI ĐƠN THƯ NĂM 2016") are skipped. Below the
  header, merged cells and formulas whose value was never computed are reported as problems.
- **Headers**: a column is recognised by its Vietnamese or English header as listed below, by its
  key, or by the names old registers give it, ignoring case, diacritics and punctuation ("Ngày nhận
  (dd/mm/yyyy)" names "Ngày nhận"). A header that names no field must be mapped to a field or ignored;
  a mapping can be saved under a name and is then used for the next file with the same headers.
- **Size**: an upload may be at most `DANVAN_IMPORT_MAX_MB` megabytes (50 by default); larger files
  are imported on the server with the command line.

### Values

- **Dates** are written day first: `05/03/2016`, `5-3-2016`, `05.03.2016`, `ngày 5 tháng 3 năm
  2016`, or as ISO `2016-03-05`; a cell formatted as a date is read as it is. Years must lie between
  1945 and 2100. A month first (`03/25/2016`) is refused, never guessed.
- **Numbers** take Vietnamese or English separators: `1.234,5` and `1,234.5` are both 1234.5; `1.234`
  is one thousand two hundred and thirty-four; in a column of decimals `12,5` is 12.5, in a column of
  whole numbers `1,234` is 1234.
- **Yes or no**: {ACCEPTED_BOOLEANS}.
- **Allowed values** are written as their code or their label in either language; a column that
  takes several holds them separated by `;`.
- A lone `-` or `—` means "nothing to report": an empty value (except in a text column).
- **Units** are written by their code (`14329`), as exports write them (`Phường Hoa Lư (14329)`), or
  by name with or without the prefix of their kind (`TP Hoa Lư`, `H. Yên Khánh`, `X. Khánh Thiện`) or
  as an agency (`UBND xã Khánh Thiện`); `Name, parent` tells apart two units of the same name. A unit
  is looked up among the units that existed on the record's date, so a register from before the
  reform of 1 July 2025 uses the names of its time. Choosing "the unit the names belong to" prefers
  the units of that unit's subtree.

### Preview, import, roll back

1. **Upload**: the file is read and checked, nothing is written. The preview shows the columns found
   (letter, header, field), the number of rows, of records to create and of rows matching records
   that already exist, and every problem with its row number, column letter and header.
2. **Import**: the whole file is written in one transaction, or nothing: the import is refused while
   the file has any problem. Each row needs the role to import records for its unit.
3. **Idempotence**: every record type has a natural key (listed below). A row whose key matches an
   existing record is counted as matching and not written again, so importing the same file twice
   creates nothing the second time (the preview also says when the same file was imported before).
   Two rows of one file with the same key are a problem.
4. **Roll back**: a batch's records can all be removed in one step, until one of them is changed;
   then the roll-back is refused, naming the record, and nothing is removed.

Every batch is kept with its original file and recorded once in the audit trail; the records carry
the batch they came from.

### Period totals

A unit that kept no itemised register can import totals: the record type `period_totals` holds one
value per unit, indicator and period (a year, or a first and a last date), with an optional
breakdown (`kind=complaint; field=land`). Reports count a total like the records it stands for, once.
When a unit has both a total and itemised records for the same indicator and period, the reports show
a conflict to resolve (keep the total, or withdraw it so the records count); the two are never added.

### Templates and exports

- **Template**: for each record type, in Vietnamese or English, a workbook whose first sheet holds
  the header row and one example row (required headers are filled orange; each header has a comment
  with its other-language header, its help and its kind), and whose second sheet lists every column
  and its allowed values. Replace the example row by your records: it would be imported too.
- **Export**: the records of a unit and of every unit below it, dated within a period, as XLSX or as
  CSV (UTF-8 with a byte-order mark, commas), with the headers in the language of the page. An export
  imports back unchanged: into another danvan, or into the same one where every row matches. Columns
  that identify a denouncer are masked for users not entitled to see them. Each export is recorded in
  the audit trail.

### Command line

```
danvan import PATH [--type TYPE] [--mapping NAME] [--dry-run] [--lang vi|en]
              [--unit CODE] [--sheet S] [--user USERNAME]
danvan export TYPE --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD --format xlsx|csv
              [--output PATH] [--lang vi|en] [--user USERNAME]
danvan import_docs [--check]
```

`danvan import` prints the preview (counts, columns, every problem as "Row 7, column C (Ngày nhận):
…") and exits with a non-zero status when anything is wrong; without `--dry-run` it imports the file
in one pass and prints the batch number. Without `--type`, the record type whose columns the headers
name best is chosen. `danvan import_docs` writes this document; with `--check` it exits with status 1
when the document differs from the declarations.

### API

Under `/api/v1/imports/`: `GET types` (record types and their columns), `POST batches` (a multipart
upload; returns the preview), `GET batches`, `GET batches/{{id}}`, `POST batches/{{id}}/mapping`,
`POST batches/{{id}}/commit` and `POST batches/{{id}}/rollback` (with the batch's `version`; a stale
version answers 409), `GET template?type=petitions&lang=vi` and
`GET export?type=petitions&unit=ID&from=2013-01-01&to=2022-12-31&format=xlsx` (or `csv`). Errors
answer `{{"code", "message", "fields"}}`.
"""

GUIDE_VI = f"""
## Tiếng Việt

### Tệp

- **Định dạng**: sổ tính Excel (`.xlsx`, và `.xls` của Excel 97–2003), bảng tính LibreOffice
  (`.ods`) và tệp văn bản phân cách bằng dấu phẩy (`.csv`). Hệ thống nhận biết định dạng theo nội
  dung tệp, không theo tên tệp; ảnh hoặc văn bản bị đổi tên thành `.xlsx` sẽ bị từ chối.
- **Bảng mã của tệp CSV**: UTF-8 (có hoặc không có BOM), UTF-16 và Windows-1258. Các giá trị có thể
  phân cách bằng dấu phẩy, dấu chấm phẩy (như Excel ghi trên Windows tiếng Việt) hoặc dấu tab.
- **Phông chữ cũ**: văn bản gõ bằng phông TCVN3 (ABC, `.VnTime`) hoặc VNI được tự động nhận biết và
  chuyển sang Unicode. Nếu tệp có dấu hiệu dùng phông cũ nhưng không xác định chắc chắn được bảng mã,
  tệp sẽ bị từ chối: hãy lưu lại tệp ở dạng Unicode hoặc chuyển mã bằng công cụ chuyển mã của Unikey,
  rồi tải lên lại.
- **Trang tính**: hệ thống đọc trang tính đầu tiên có dòng tiêu đề cột và dữ liệu (trang "Giá trị cho
  phép" của tệp mẫu được bỏ qua); có thể chọn trang tính khác theo tên.
- **Dòng tiêu đề cột**: là dòng đầu tiên trong 30 dòng đầu có ít nhất hai ô và tất cả đều là chữ.
  Các dòng tiêu đề văn bản phía trên ("ỦY BAN NHÂN DÂN …", "SỔ THEO DÕI ĐƠN THƯ NĂM 2016") được bỏ
  qua. Trong phần dữ liệu, ô bị gộp và công thức chưa được tính giá trị sẽ được báo là lỗi.
- **Tên cột**: mỗi cột được nhận theo tên tiếng Việt hoặc tiếng Anh nêu ở các bảng dưới đây, theo mã
  trường, hoặc theo tên thường dùng trong các sổ sách cũ, không phân biệt chữ hoa, chữ thường, dấu
  và dấu câu ("Ngày nhận (dd/mm/yyyy)" được hiểu là "Ngày nhận"). Cột có tên không khớp với trường
  nào thì phải ghép với một trường hoặc chọn bỏ qua; cách ghép cột có thể lưu lại theo tên để dùng
  cho các tệp sau có cùng các cột.
- **Dung lượng**: tệp tải lên không quá `DANVAN_IMPORT_MAX_MB` MB (mặc định 50 MB); tệp lớn hơn được
  nhập trên máy chủ bằng dòng lệnh.

### Giá trị

- **Ngày tháng** ghi ngày trước: `05/03/2016`, `5-3-2016`, `05.03.2016`, `ngày 5 tháng 3 năm 2016`,
  hoặc theo chuẩn ISO `2016-03-05`; ô đã định dạng ngày được đọc nguyên giá trị. Năm phải trong
  khoảng 1945–2100. Cách ghi tháng trước (`03/25/2016`) bị từ chối, hệ thống không tự đoán.
- **Số** có thể ghi theo kiểu Việt Nam hoặc kiểu Anh: `1.234,5` và `1,234.5` đều là 1234,5; `1.234`
  là một nghìn hai trăm ba mươi tư; ở cột số thập phân `12,5` là 12,5, ở cột số nguyên `1,234` là 1234.
- **Có hoặc không**: {ACCEPTED_BOOLEANS}.
- **Giá trị trong danh mục** ghi bằng mã hoặc tên (tiếng Việt hoặc tiếng Anh); cột nhận nhiều giá trị
  thì ghi các giá trị cách nhau bằng dấu `;`.
- Ô chỉ có dấu `-` hoặc `—` được hiểu là "không có số liệu", tức là để trống (trừ cột văn bản).
- **Đơn vị** ghi theo mã (`14329`), theo cách tệp xuất ghi (`Phường Hoa Lư (14329)`), theo tên có
  hoặc không có tiền tố loại đơn vị (`TP Hoa Lư`, `H. Yên Khánh`, `X. Khánh Thiện`) hoặc theo tên cơ
  quan (`UBND xã Khánh Thiện`); ghi `Tên, đơn vị cấp trên` để phân biệt hai đơn vị trùng tên. Đơn vị
  được tra trong các đơn vị tồn tại vào ngày của bản ghi, vì vậy sổ sách trước ngày sắp xếp đơn vị
  hành chính 01/7/2025 vẫn dùng tên đơn vị của thời điểm đó. Khi chọn "đơn vị quản lý các tên trong
  tệp", hệ thống ưu tiên các đơn vị trực thuộc đơn vị đó.

### Xem trước, nhập, hoàn tác

1. **Tải tệp lên**: hệ thống đọc và kiểm tra tệp, chưa ghi gì vào dữ liệu. Trang xem trước cho biết
   các cột nhận được (chữ cái của cột, tên cột, trường tương ứng), số dòng, số bản ghi sẽ tạo mới, số
   dòng trùng với bản ghi đã có, và từng lỗi kèm số dòng, chữ cái của cột và tên cột.
2. **Nhập**: toàn bộ tệp được ghi trong một giao dịch, hoặc không ghi gì: tệp còn lỗi thì không nhập
   được. Người nhập phải có quyền nhập bản ghi của đơn vị ghi ở từng dòng.
3. **Nhập lại không tạo trùng**: mỗi loại bản ghi có khóa nhận diện (nêu ở các bảng dưới đây). Dòng có
   khóa trùng với bản ghi đã có được tính là trùng và không ghi lại, vì vậy nhập cùng một tệp hai lần
   thì lần thứ hai không tạo thêm bản ghi nào (trang xem trước cũng báo nếu tệp đã được nhập trước
   đó). Hai dòng trong cùng một tệp có khóa trùng nhau là lỗi.
4. **Hoàn tác**: có thể xóa toàn bộ bản ghi của một lần nhập trong một thao tác, khi chưa có bản ghi
   nào được sửa; nếu có, việc hoàn tác bị từ chối, hệ thống nêu bản ghi đã sửa và không xóa gì.

Mỗi lần nhập được lưu kèm tệp gốc và ghi một lần vào nhật ký hệ thống; mỗi bản ghi lưu lần nhập đã
tạo ra nó.

### Số liệu tổng hợp theo kỳ

Đơn vị không có sổ theo dõi chi tiết có thể nhập số liệu tổng hợp: loại bản ghi `period_totals` ghi
một giá trị cho mỗi đơn vị, chỉ tiêu và kỳ (một năm, hoặc từ ngày đến ngày), có thể kèm cách phân loại
(`kind=complaint; field=land`). Báo cáo tính số liệu tổng hợp như các bản ghi mà nó thay thế, chỉ một
lần. Khi một đơn vị vừa có số liệu tổng hợp vừa có bản ghi chi tiết cho cùng chỉ tiêu và kỳ, báo cáo
nêu sự chênh lệch để người dùng xử lý (giữ số liệu tổng hợp, hoặc rút số liệu tổng hợp để tính theo
bản ghi chi tiết); hai nguồn không bao giờ được cộng dồn.

### Tệp mẫu và xuất dữ liệu

- **Tệp mẫu**: mỗi loại bản ghi có một tệp mẫu tiếng Việt hoặc tiếng Anh. Trang tính thứ nhất gồm dòng
  tên cột và một dòng ví dụ (tên cột bắt buộc được tô màu cam; mỗi tên cột có ghi chú nêu tên cột
  bằng ngôn ngữ kia, hướng dẫn và kiểu giá trị); trang tính thứ hai mô tả từng cột và các giá trị cho
  phép. Hãy thay dòng ví dụ bằng dữ liệu của đơn vị: nếu để lại, dòng ví dụ cũng được nhập.
- **Xuất dữ liệu**: bản ghi của một đơn vị và mọi đơn vị trực thuộc, có ngày trong một kỳ, xuất ra
  tệp XLSX hoặc CSV (UTF-8 có BOM, phân cách bằng dấu phẩy), tên cột theo ngôn ngữ của trang. Tệp xuất
  nhập lại được nguyên vẹn: vào một hệ thống danvan khác, hoặc vào chính hệ thống này (khi đó mọi dòng
  đều trùng). Các cột cho biết danh tính người tố cáo được che đối với người dùng không có quyền xem.
  Mỗi lần xuất dữ liệu được ghi vào nhật ký hệ thống.

### Dòng lệnh

```
danvan import PATH [--type TYPE] [--mapping NAME] [--dry-run] [--lang vi|en]
              [--unit CODE] [--sheet S] [--user USERNAME]
danvan export TYPE --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD --format xlsx|csv
              [--output PATH] [--lang vi|en] [--user USERNAME]
danvan import_docs [--check]
```

Lệnh `danvan import` in kết quả xem trước (các con số, các cột, từng lỗi theo dạng "Dòng 7, cột C
(Ngày nhận): …") và kết thúc với mã lỗi khác 0 nếu có sai sót; không có `--dry-run` thì lệnh nhập
toàn bộ tệp trong một lượt và in số hiệu lần nhập. Không ghi `--type` thì hệ thống chọn loại bản ghi
có các cột khớp nhất với tên cột của tệp. Lệnh `danvan import_docs` tạo tài liệu này; với `--check`,
lệnh kết thúc với mã 1 nếu tài liệu khác với khai báo.

### Giao diện lập trình (API)

Tại `/api/v1/imports/`: `GET types` (các loại bản ghi và các cột), `POST batches` (tải tệp lên dạng
multipart; trả về kết quả xem trước), `GET batches`, `GET batches/{{id}}`,
`POST batches/{{id}}/mapping`, `POST batches/{{id}}/commit` và `POST batches/{{id}}/rollback` (kèm
`version` của lần nhập; phiên bản đã cũ thì trả về mã 409), `GET template?type=petitions&lang=vi` và
`GET export?type=petitions&unit=ID&from=2013-01-01&to=2022-12-31&format=xlsx` (hoặc `csv`). Lỗi trả
về dạng `{{"code", "message", "fields"}}`.
"""
