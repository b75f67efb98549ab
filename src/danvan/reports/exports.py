"""Reports as files: a form (`selectors.form_report`) or the review (`review.review_report`) as an
XLSX workbook, a DOCX document, a PDF or a CSV file.

Each renderer only lays out what the selectors computed, already scoped to the user: it writes into
a binary file object and, when given `progress`, tells after each row how far it is (rows done, rows
in all). Texts go through gettext in the active language; callers wrap the call in
`translation.override`.

- XLSX keeps the form's layout: the unit top left, the form number top right, the title, the data
  period, the header rows built from each column's groups (consecutive columns under the same group
  at the same level share one merged cell), the row of column numbers, the total and one row per
  unit, the notes under the table. Figures are numbers, never text; "not available" is "—".
- DOCX follows the state administrative document format (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4,
  margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the national heading and
  motto top right, the issuing unit and the number top left, the place and date, the title, the
  body, the recipients ("Nơi nhận") and the signature block. Forms are laid out landscape (the
  decree allows it for a table that is the document's content).
- PDF embeds Be Vietnam Pro (found like the reception book's font), landscape A4 for forms.
- CSV is UTF-8 with a byte order mark, one line per figure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from danvan.core.fonts import FONT_FAMILY, FONT_FILES, font_path
from danvan.core.indicators import Figure, registry
from danvan.core.numbers import figure_text
from danvan.units.models import Unit, UnitLevel

from .declarations import Column
from .engine import AS_IT_IS
from .review import Review
from .selectors import FormReport

Progress = Callable[[int, int], None]

FORMATS = ("xlsx", "docx", "pdf", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
NOT_AVAILABLE_TEXT = "—"

# Words that open the official name of an area: the place line of a document names the area
# without them ("Tỉnh Ninh Bình" -> "Ninh Bình"; Nghị định 30/2020, Phụ lục I, II.5).
AREA_PREFIXES = re.compile(r"^(Thành phố|Tỉnh|Huyện|Quận|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+")
AREA_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)

DEFAULT_POSITION = gettext_lazy("HEAD OF THE UNIT")


# ---- what every format prints around the figures ------------------------------------------------


@dataclass
class Document:
    """The document's particulars (Nghị định 30/2020, Art 8 and Phụ lục I): the issuing unit and
    the body above it, the number (left blank to be given when the document is registered), the
    place and date, the recipients and the signer."""

    issuer: str
    superior: str = ""
    number: str = ""
    abbreviation: str = ""
    place: str = ""
    day: date | None = None
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def place_of(unit: Unit) -> str:
    """The place a unit's documents are dated from: the area the unit is (or sits in), by its short
    name, else by its name without the word of its rank."""
    current: Unit | None = unit
    while current is not None and current.level not in AREA_LEVELS:
        current = current.parent
    if current is None:
        current = unit
    return current.short_name or AREA_PREFIXES.sub("", current.name)


def document_for(unit: Unit, day: date, options: dict[str, Any] | None = None) -> Document:
    """The particulars of a report of `unit` dated `day`, with what the user gave in `options`
    (number, place, signer_position, signer_name, recipients)."""
    options = options or {}
    parent = unit.parent
    superior = parent.name if parent is not None and unit.level == UnitLevel.AGENCY else ""
    recipients = [str(r).strip() for r in options.get("recipients") or [] if str(r).strip()]
    if not recipients and parent is not None and parent.level != UnitLevel.COUNTRY:
        recipients.append(parent.name)
    recipients.append(_("Archive: clerical office"))  # always last (Phụ lục I, II.9)
    return Document(
        issuer=unit.name,
        superior=superior,
        number=str(options.get("number") or "").strip(),
        abbreviation=unit.short_name if unit.short_name and unit.level == UnitLevel.AGENCY else "",
        place=str(options.get("place") or "").strip() or place_of(unit),
        day=day,
        signer_position=str(options.get("signer_position") or "").strip() or str(DEFAULT_POSITION),
        signer_name=str(options.get("signer_name") or "").strip(),
        recipients=recipients,
    )


def document_date(day: date) -> str:
    """The date as a document prints it. In Vietnamese "ngày 02 tháng 12 năm 2026": a day below 10
    and the months 1 and 2 take a leading zero (Nghị định 30/2020, Phụ lục I, II.5.b)."""
    if (get_language() or "vi").startswith("vi"):
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return _("day %(day)s month %(month)s year %(year)s") % {
            "day": f"{day.day:02d}",
            "month": month,
            "year": day.year,
        }
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def place_date_line(document: Document) -> str:
    return _("%(place)s, %(date)s") % {
        "place": document.place,
        "date": document_date(document.day or date.min),
    }


def number_line(document: Document) -> str:
    return _("No.: %(number)s/BC-%(abbreviation)s") % {
        "number": document.number or "…",
        "abbreviation": document.abbreviation or "…",
    }


def recipient_lines(document: Document) -> list[str]:
    """Each recipient on a line of its own, "- " before it, ";" after it and "." after the last."""
    return [
        f"- {name}{'.' if i == len(document.recipients) - 1 else ';'}"
        for i, name in enumerate(document.recipients)
    ]


def period_line(first: date, last: date) -> str:
    return _("Data from %(first)s to %(last)s") % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}


def value_text(figure: Figure | None, measure: str) -> str:
    """The figure as printed; "" for a column the form leaves to be written by hand."""
    if figure is None:
        return ""
    if figure.value is None:
        return NOT_AVAILABLE_TEXT
    return figure_text(figure.value, measure)


def raw_value(figure: Figure | None) -> int | Decimal | None:
    return None if figure is None else figure.value


# ---- the form's table, shared by every format ---------------------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the form's header: `row` is the header level, `col` the table column (0 is the
    unit column, column n the form's n-th numbered column)."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def header_cells(columns: Sequence[Column]) -> tuple[int, list[HeaderCell]]:
    """(depth, cells) of the header: each column's groups, outermost first, then its label, which
    reaches down to the last header row. Consecutive columns under the same groups up to a level
    share that level's cell."""
    depth = max((len(c.groups) for c in columns), default=0) + 1
    cells = [HeaderCell(_("Unit"), 0, 0, rowspan=depth)]
    for level in range(depth):
        run_key: tuple[str, ...] | None = None
        for index, column in enumerate(columns, start=1):
            if level < len(column.groups):
                key = tuple(str(g) for g in column.groups[: level + 1])
                if key == run_key:
                    last = cells[-1]
                    cells[-1] = HeaderCell(last.text, last.row, last.col, last.rowspan, last.colspan + 1)
                else:
                    cells.append(HeaderCell(key[-1], level, index))
                    run_key = key
                continue
            run_key = None
            if level == len(column.groups):
                cells.append(HeaderCell(str(column.label), level, index, rowspan=depth - level))
    return depth, cells


def column_numbers(columns: Sequence[Column]) -> list[str]:
    return ["A", *(c.number for c in columns)]


def column_title(column: Column) -> str:
    """The column's groups and label on one line, as a CSV names it."""
    return " — ".join([*(str(g) for g in column.groups), str(column.label)])


@dataclass
class BodyRow:
    label: str
    figures: list[Figure | None]
    total: bool = False


def form_rows(report: FormReport) -> list[BodyRow]:
    """The total first, then the unit's own records and each unit below, in the report's order."""
    numbers = [c.number for c in report.columns]
    rows = [BodyRow(str(report.total.label), [report.total.figures.get(n) for n in numbers], total=True)]
    rows.extend(BodyRow(row.label, [row.figures.get(n) for n in numbers]) for row in report.rows)
    return rows


def column_measures(columns: Sequence[Column]) -> list[str]:
    known = registry()
    return [known[c.code].measure if c.code in known else "count" for c in columns]


def form_number_text(report: FormReport) -> str:
    return _("Form %(number)s") % {"number": report.declaration.form_number or report.declaration.code}


def circular_text(report: FormReport) -> str:
    return _("Issued with %(circular)s") % {"circular": str(report.declaration.circular)}


def form_notes(report: FormReport, rows: Sequence[BodyRow]) -> list[str]:
    """What the reader must know beside the figures: the declaration's own notes, the frame, the
    former units a row includes, any of the form's sums that does not hold, "not available"."""
    notes = [str(note) for note in report.declaration.notes]
    if report.result.frame == AS_IT_IS:
        notes.append(
            _(
                "Counted in the units as they are now: the records of former units are counted in the "
                "units that took them over."
            )
        )
    for row in report.rows:
        if row.formerly:
            notes.append(
                _("%(unit)s includes the records of %(units)s.")
                % {"unit": row.label, "units": ", ".join(row.formerly)}
            )
    for check in report.checks:
        if not check.holds:
            notes.append(
                _("The form's sum %(check)s does not hold for %(row)s: %(expected)s expected, %(got)s found.")
                % {"check": check.text, "row": check.row, "expected": check.expected, "got": check.got}
            )
    if any(f is not None and f.value is None for row in rows for f in row.figures):
        notes.append(
            _("“%(mark)s”: not available; no part of the system records this figure yet.")
            % {"mark": NOT_AVAILABLE_TEXT}
        )
    return notes


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# ---- XLSX ------------------------------------------------------------------------------------------

XLSX_FORMATS = {
    "count": "#,##0",
    "people": "#,##0",
    "percent": '0.0"%"',
    "money": "#,##0.000",
    "area": "#,##0.00",
}


def _xlsx_value(cell, figure: Figure | None, measure: str) -> None:
    if figure is None:  # a column the form leaves to be written by hand
        return
    if figure.value is None:
        cell.value = NOT_AVAILABLE_TEXT
        return
    cell.value = figure.value
    cell.number_format = XLSX_FORMATS.get(measure, "#,##0")


def _xlsx_print_setup(sheet, *, landscape: bool, title_rows: str = "") -> None:
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "&P/&N"


def _xlsx_text_row(sheet, row: int, last_column: int, text: str, font, alignment, height: float = 0) -> None:
    from openpyxl.utils import get_column_letter

    sheet.merge_cells(f"A{row}:{get_column_letter(last_column)}{row}")
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font = font
    cell.alignment = alignment
    if height:
        sheet.row_dimensions[row].height = height


XLSX_FORM_HEAD = 6  # the first header row; rows 1–4 hold the unit, form number, title and period


def form_xlsx(
    report: FormReport, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The form as a one-sheet workbook laid out like the printed form."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    columns = report.columns
    width = len(columns) + 1
    last_letter = get_column_letter(width)
    depth, header = header_cells(columns)
    numbers_row = XLSX_FORM_HEAD + depth
    first_row = numbers_row + 1

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(report.declaration.form_number or report.declaration.code).replace("/", "-")[:31]
    workbook.properties.title = f"{report.declaration.title} – {document.issuer}"
    workbook.properties.creator = "danvan"
    workbook.properties.language = get_language() or ""

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")
    corner = max(width - 7, 2)  # the form number and circular take the last columns

    sheet.cell(row=1, column=1, value=document.issuer).font = Font(bold=True, size=11)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="left", vertical="center")
    sheet.merge_cells(f"{get_column_letter(corner)}1:{last_letter}1")
    number_cell = sheet.cell(row=1, column=corner, value=form_number_text(report))
    number_cell.font = Font(bold=True, size=11)
    number_cell.alignment = Alignment(horizontal="right", vertical="center")
    sheet.merge_cells(f"{get_column_letter(corner)}2:{last_letter}2")
    circular_cell = sheet.cell(row=2, column=corner, value=circular_text(report))
    circular_cell.font = Font(italic=True, size=9)
    circular_cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
    _xlsx_text_row(sheet, 3, width, str(report.declaration.title), Font(bold=True, size=14), centred, 24)
    period = report.result.period
    _xlsx_text_row(
        sheet, 4, width, period_line(period.first, period.last), Font(italic=True, size=11), centred
    )

    header_font = Font(bold=True, size=10)
    for row in range(XLSX_FORM_HEAD, numbers_row + 1):
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = box
    for item in header:
        row, column = XLSX_FORM_HEAD + item.row, item.col + 1
        cell = sheet.cell(row=row, column=column, value=item.text)
        cell.font = header_font
        cell.alignment = centred
        if item.rowspan > 1 or item.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + item.rowspan - 1,
                end_column=column + item.colspan - 1,
            )
    for index, number in enumerate(column_numbers(columns), start=1):
        cell = sheet.cell(row=numbers_row, column=index, value=number)
        cell.font = Font(italic=True, size=10)
        cell.alignment = centred
    for level in range(depth):
        sheet.row_dimensions[XLSX_FORM_HEAD + level].height = 30

    measures = column_measures(columns)
    rows = form_rows(report)
    for offset, body in enumerate(rows):
        row = first_row + offset
        label = sheet.cell(row=row, column=1, value=body.label)
        label.border = box
        label.alignment = Alignment(wrap_text=True, vertical="center")
        label.font = Font(bold=body.total)
        for index, (figure, measure) in enumerate(zip(body.figures, measures, strict=True), start=2):
            cell = sheet.cell(row=row, column=index)
            _xlsx_value(cell, figure, measure)
            cell.border = box
            cell.alignment = Alignment(horizontal="right", vertical="center")
            if body.total:
                cell.font = Font(bold=True)
        _tick(progress, offset + 1, len(rows))

    notes_row = first_row + len(rows) + 1
    for offset, note in enumerate(form_notes(report, rows)):
        _xlsx_text_row(
            sheet,
            notes_row + offset,
            width,
            note,
            Font(italic=True, size=10),
            Alignment(wrap_text=True, vertical="top"),
            height=15 * (1 + len(note) // 180),
        )

    sheet.column_dimensions["A"].width = 34
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 8.5
    sheet.freeze_panes = f"B{first_row}"
    _xlsx_print_setup(sheet, landscape=True, title_rows=f"{XLSX_FORM_HEAD}:{numbers_row}")
    workbook.save(out)


XLSX_REVIEW_HEAD = 5


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out += letters
            number -= value
    return out


def review_years(review: Review) -> list[int]:
    return sorted(review.result.years) if review.result is not None else []


def review_xlsx(
    review: Review, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The review as a workbook: the figures of each section for the whole period and by year, then
    the narrative and what is not available."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    years = review_years(review)
    width = 3 + len(years)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("report kind", "Review")[:31]
    workbook.properties.title = review.title
    workbook.properties.creator = "danvan"
    workbook.properties.language = get_language() or ""
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")

    sheet.cell(row=1, column=1, value=document.issuer).font = Font(bold=True, size=11)
    _xlsx_text_row(sheet, 2, width, review.title, Font(bold=True, size=14), centred, 36)
    _xlsx_text_row(
        sheet,
        3,
        width,
        period_line(review.period.first, review.period.last),
        Font(italic=True, size=11),
        centred,
    )

    head = [_("No."), _("Figure"), _("Whole period"), *(str(y) for y in years)]
    for index, text in enumerate(head, start=1):
        cell = sheet.cell(row=XLSX_REVIEW_HEAD, column=index, value=text)
        cell.font = Font(bold=True)
        cell.alignment = centred
        cell.border = box
    row = XLSX_REVIEW_HEAD + 1
    items = [item for section in review.sections for item in section.items]
    done = 0
    for number, section in enumerate(review.sections, start=1):
        sheet.merge_cells(f"A{row}:{get_column_letter(width)}{row}")
        cell = sheet.cell(row=row, column=1, value=f"{_roman(number)}. {section.title}")
        cell.font = Font(bold=True)
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = box
        row += 1
        for position, item in enumerate(section.items, start=1):
            sheet.cell(row=row, column=1, value=position).alignment = Alignment(horizontal="center")
            sheet.cell(row=row, column=2, value=item.label).alignment = Alignment(wrap_text=True)
            _xlsx_value(sheet.cell(row=row, column=3), item.figure, item.measure)
            for offset, year in enumerate(years):
                _xlsx_value(sheet.cell(row=row, column=4 + offset), item.years.get(year), item.measure)
            for column in range(1, width + 1):
                sheet.cell(row=row, column=column).border = box
                if column >= 3:
                    sheet.cell(row=row, column=column).alignment = Alignment(horizontal="right")
            row += 1
            done += 1
            _tick(progress, done, len(items))

    row += 1
    paragraphs = [p for p in review.paragraphs if p]
    for text in paragraphs:
        _xlsx_text_row(
            sheet,
            row,
            width,
            text,
            Font(size=11),
            Alignment(wrap_text=True, vertical="top"),
            15 * (1 + len(text) // 90),
        )
        row += 1
    if review.not_available:
        text = _("Not available (no part of the system records them yet): %(figures)s.") % {
            "figures": ", ".join(review.not_available)
        }
        _xlsx_text_row(
            sheet, row, width, text, Font(italic=True, size=10), Alignment(wrap_text=True, vertical="top"), 30
        )

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 14
    for offset in range(len(years)):
        sheet.column_dimensions[get_column_letter(4 + offset)].width = 11
    sheet.freeze_panes = f"C{XLSX_REVIEW_HEAD + 1}"
    _xlsx_print_setup(sheet, landscape=len(years) > 6, title_rows=f"{XLSX_REVIEW_HEAD}:{XLSX_REVIEW_HEAD}")
    workbook.save(out)


# ---- DOCX ------------------------------------------------------------------------------------------

DOCX_FONT = "Times New Roman"
# The elements that follow w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase): a border
# goes before the first of them that is present.
PPR_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
DOCX_MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Phụ lục I, II.1


class _Docx:
    """A document in the decree's format, built with python-docx."""

    def __init__(self, *, landscape: bool, title: str) -> None:
        from docx import Document as new_document
        from docx.enum.section import WD_ORIENT
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.Mm, self.Pt = Mm, Pt
        self.doc = new_document()
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(DOCX_MARGINS_MM["top"])
        section.bottom_margin = Mm(DOCX_MARGINS_MM["bottom"])
        section.left_margin = Mm(DOCX_MARGINS_MM["left"])
        section.right_margin = Mm(DOCX_MARGINS_MM["right"])
        self.width_mm = (297 if landscape else 210) - DOCX_MARGINS_MM["left"] - DOCX_MARGINS_MM["right"]
        normal = self.doc.styles["Normal"]
        normal.font.name = DOCX_FONT
        normal.font.size = Pt(14)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), DOCX_FONT)
        fonts.set(qn("w:cs"), DOCX_FONT)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        properties = self.doc.core_properties
        properties.title = title
        properties.author = "danvan"
        properties.language = get_language() or "vi"

    def paragraph(
        self,
        container,
        text: str = "",
        *,
        size: float = 14,
        bold: bool = False,
        italic: bool = False,
        align: str = "center",
        before: float = 0,
        after: float = 0,
        indent_mm: float = 0,
    ):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if hasattr(container, "_tc") and not getattr(container, "_filled", False):
            paragraph = container.paragraphs[0]  # a new cell holds one empty paragraph: use it first
            container._filled = True
        else:
            paragraph = container.add_paragraph()
        paragraph.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        paragraph.paragraph_format.space_before = self.Pt(before)
        paragraph.paragraph_format.space_after = self.Pt(after)
        if indent_mm:
            paragraph.paragraph_format.first_line_indent = self.Mm(indent_mm)
        if text:
            run = paragraph.add_run(text)
            run.font.size = self.Pt(size)
            run.font.bold = bold
            run.font.italic = italic
        return paragraph

    def rule(self, container, length_mm: float, within_mm: float):
        """A solid line of `length_mm`, centred in a cell `within_mm` wide (under the unit's name
        and under the motto)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.paragraph(container)
        margin = max((within_mm - length_mm) / 2, 0)
        paragraph.paragraph_format.left_indent = self.Mm(margin)
        paragraph.paragraph_format.right_indent = self.Mm(margin)
        paragraph.paragraph_format.line_spacing = self.Pt(2)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(qn(f"w:{name}"), value)
        borders.append(bottom)
        properties = paragraph._p.get_or_add_pPr()
        properties.insert_element_before(borders, *PPR_AFTER_BORDERS)
        return paragraph

    def borderless_table(self, widths_mm: Sequence[float]):
        table = self.doc.add_table(rows=1, cols=len(widths_mm))
        table.autofit = False
        for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
            cell.width = self.Mm(width)
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = self.Mm(width)
        return table

    def heading(self, document: Document, corner: str = "") -> None:
        """The issuing unit and number (left), the national heading, motto, place and date (right);
        Phụ lục I, II.2–II.5."""
        if corner:
            self.paragraph(self.doc, corner, size=12, bold=True, align="right", after=4)
        left_mm = self.width_mm * 0.4
        right_mm = self.width_mm - left_mm
        table = self.borderless_table((left_mm, right_mm))
        left, right = table.rows[0].cells
        if document.superior:
            self.paragraph(left, document.superior.upper(), size=13)
        self.paragraph(left, document.issuer.upper(), size=13, bold=True)
        self.rule(left, left_mm / 3, left_mm)
        self.paragraph(left, number_line(document), size=13, before=6)
        self.paragraph(right, _("SOCIALIST REPUBLIC OF VIET NAM"), size=13, bold=True)
        motto = _("Independence - Freedom - Happiness")
        self.paragraph(right, motto, size=14, bold=True)
        self.rule(right, min(len(motto) * 2.3, right_mm), right_mm)
        self.paragraph(right, place_date_line(document), size=14, italic=True, before=6)

    def title(self, kind: str, title: str, period: str) -> None:
        self.paragraph(self.doc, kind, size=14, bold=True, before=18)
        self.paragraph(self.doc, title, size=14, bold=True)
        self.paragraph(self.doc, period, size=13, italic=True, after=12)

    def closing(self, document: Document) -> None:
        """The recipients (left) and the signer's position, room for the signature and the name
        (right); Phụ lục I, II.7–II.8."""
        left_mm = self.width_mm * 0.45
        table = self.borderless_table((left_mm, self.width_mm - left_mm))
        left, right = table.rows[0].cells
        self.paragraph(left, _("Recipients:"), size=12, bold=True, italic=True, align="left", before=12)
        for line in recipient_lines(document):
            self.paragraph(left, line, size=11, align="left")
        self.paragraph(right, document.signer_position.upper(), size=14, bold=True, before=12)
        for _line in range(4):
            self.paragraph(right, "", size=14)
        self.paragraph(right, document.signer_name, size=14, bold=True)

    def cell_text(
        self, cell, text: str, *, size: float, bold: bool = False, italic: bool = False, align="center"
    ):
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = cell.paragraphs[0]
        paragraph.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        run = paragraph.add_run(text)
        run.font.size = self.Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def grid(self, rows: int, widths_mm: Sequence[float], *, cell_margin_mm: float = 1.0):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        margins = OxmlElement("w:tblCellMar")  # narrow cells keep room for their figures
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(round(cell_margin_mm * 56.7)))  # twentieths of a point
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = self.Mm(width)
        for row in table.rows:
            self.widths(row.cells, widths_mm)
        return table

    def widths(self, cells, widths_mm: Sequence[float]) -> None:
        for cell, width in zip(cells, widths_mm, strict=True):
            cell.width = self.Mm(width)

    def save(self, out: IO[bytes]) -> None:
        self.doc.save(out)


DOCX_TABLE_SIZE = 7  # points: 29 numbered columns must fit the landscape page


def form_docx(
    report: FormReport, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The form as a report in the decree's format, landscape, its table in the body."""
    builder = _Docx(landscape=True, title=str(report.declaration.title))
    builder.heading(document, corner=f"{form_number_text(report)}\n{circular_text(report)}")
    period = report.result.period
    builder.title(_("REPORT"), str(report.declaration.title), period_line(period.first, period.last))

    columns = report.columns
    depth, header = header_cells(columns)
    unit_mm = 32.0
    column_mm = (builder.width_mm - unit_mm) / max(len(columns), 1)
    widths = [unit_mm, *([column_mm] * len(columns))]
    table = builder.grid(depth + 1, widths, cell_margin_mm=0.4)
    for item in header:
        cell = table.cell(item.row, item.col)
        if item.rowspan > 1 or item.colspan > 1:
            cell = cell.merge(table.cell(item.row + item.rowspan - 1, item.col + item.colspan - 1))
        builder.cell_text(cell, item.text, size=DOCX_TABLE_SIZE - 0.5, bold=True)
    for index, cell in enumerate(table.rows[depth].cells):
        builder.cell_text(cell, column_numbers(columns)[index], size=DOCX_TABLE_SIZE, italic=True)
    measures = column_measures(columns)
    rows = form_rows(report)
    for offset, body in enumerate(rows):
        cells = table.add_row().cells
        builder.widths(cells, widths)
        builder.cell_text(cells[0], body.label, size=DOCX_TABLE_SIZE, bold=body.total, align="left")
        for cell, figure, measure in zip(cells[1:], body.figures, measures, strict=True):
            builder.cell_text(
                cell, value_text(figure, measure), size=DOCX_TABLE_SIZE, bold=body.total, align="right"
            )
        _tick(progress, offset + 1, len(rows))

    for note in form_notes(report, rows):
        builder.paragraph(builder.doc, note, size=12, italic=True, align="justify", before=6)
    builder.closing(document)
    builder.save(out)


def review_docx(
    review: Review, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The review as a report in the decree's format: the narrative of each section, then its
    figures for the whole period and by year."""
    years = review_years(review)
    builder = _Docx(landscape=len(years) > 6, title=review.title)
    builder.heading(document)
    builder.title(_("REPORT"), review.title, period_line(review.period.first, review.period.last))
    builder.paragraph(builder.doc, review.intro, size=14, align="justify", indent_mm=10, after=6)

    label_mm = 62.0
    rest = (builder.width_mm - label_mm) / (len(years) + 1)
    widths = [label_mm, *([rest] * (len(years) + 1))]
    size = 11 if len(years) <= 4 else 9
    items = [item for section in review.sections for item in section.items]
    done = 0
    for number, section in enumerate(review.sections, start=1):
        builder.paragraph(
            builder.doc, f"{_roman(number)}. {section.title}", size=14, bold=True, align="left", before=6
        )
        if section.paragraph:
            builder.paragraph(builder.doc, section.paragraph, size=14, align="justify", indent_mm=10, after=6)
        table = builder.grid(1, widths)
        for cell, text in zip(
            table.rows[0].cells, [_("Figure"), _("Whole period"), *(str(y) for y in years)], strict=True
        ):
            builder.cell_text(cell, text, size=size, bold=True)
        for item in section.items:
            cells = table.add_row().cells
            builder.widths(cells, widths)
            builder.cell_text(cells[0], item.label, size=size, align="left")
            figures = [item.figure, *(item.years.get(y) for y in years)]
            for cell, figure in zip(cells[1:], figures, strict=True):
                builder.cell_text(cell, value_text(figure, item.measure), size=size, align="right")
            done += 1
            _tick(progress, done, len(items))
        builder.paragraph(builder.doc, "", size=6)
    if review.not_available:
        builder.paragraph(
            builder.doc,
            _("Not available (no part of the system records them yet): %(figures)s.")
            % {"figures": ", ".join(review.not_available)},
            size=12,
            italic=True,
            align="justify",
            before=6,
        )
    builder.closing(document)
    builder.save(out)


# ---- PDF -------------------------------------------------------------------------------------------

PDF_MARGIN = 10  # mm


def _pdf(*, landscape: bool, title: str):
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-8)
            self.set_font(FONT_FAMILY, "", 7)
            self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="C")

    pdf = ReportPDF(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
    pdf.set_margins(PDF_MARGIN, PDF_MARGIN, PDF_MARGIN)
    pdf.set_auto_page_break(auto=True, margin=PDF_MARGIN + 2)
    for style in FONT_FILES:
        pdf.add_font(FONT_FAMILY, style, str(font_path(style)))
    pdf.set_title(title)
    pdf.set_creator("danvan")
    pdf.set_lang(get_language() or "vi")
    pdf.add_page()
    return pdf


def _pdf_top(pdf, document: Document, corner: str) -> None:
    """The unit on the left and the form number on the right of the first line."""
    pdf.set_font(FONT_FAMILY, "B", 9)
    half = pdf.epw / 2
    y = pdf.get_y()
    pdf.multi_cell(half, 4.5, document.issuer, align="L", new_x="RIGHT", new_y="TOP")
    pdf.set_xy(PDF_MARGIN + half, y)
    pdf.multi_cell(half, 4.5, corner, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _pdf_title(pdf, title: str, period: str) -> None:
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(0, 5, period, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def form_pdf(
    report: FormReport, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The form on landscape A4: the header rows and column numbers repeated on every page."""
    from fpdf import FontFace

    pdf = _pdf(landscape=True, title=f"{report.declaration.title} – {document.issuer}")
    _pdf_top(pdf, document, f"{form_number_text(report)}\n{circular_text(report)}")
    period = report.result.period
    _pdf_title(pdf, str(report.declaration.title), period_line(period.first, period.last))

    columns = report.columns
    depth, header = header_cells(columns)
    unit_mm = 32.0
    widths = (unit_mm, *([(pdf.epw - unit_mm) / max(len(columns), 1)] * len(columns)))
    size = 6 if len(columns) > 15 else 8
    pdf.set_font(FONT_FAMILY, "", size)
    measures = column_measures(columns)
    rows = form_rows(report)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        num_heading_rows=depth + 1,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD", size_pt=size - 0.5, fill_color=(235, 235, 235)),
        text_align="CENTER",
        v_align="MIDDLE",
        line_height=size * 0.5,
        padding=0.5,
    ) as table:
        for level in range(depth):
            line = table.row()
            for item in sorted((h for h in header if h.row == level), key=lambda h: h.col):
                line.cell(item.text, align="C", rowspan=item.rowspan, colspan=item.colspan)
        numbers = table.row(style=FontFace(emphasis="NONE", fill_color=(245, 245, 245)))
        for number in column_numbers(columns):
            numbers.cell(number, align="C")
        for offset, body in enumerate(rows):
            style = FontFace(emphasis="BOLD") if body.total else None
            line = table.row(style=style)
            line.cell(body.label, align="L")
            for figure, measure in zip(body.figures, measures, strict=True):
                line.cell(value_text(figure, measure), align="R")
            _tick(progress, offset + 1, len(rows))
    notes = form_notes(report, rows)
    if notes:
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "", 8)
        for note in notes:
            pdf.multi_cell(0, 4, note, align="L", new_x="LMARGIN", new_y="NEXT")
    out.write(bytes(pdf.output()))


def review_pdf(
    review: Review, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """The review: the narrative of each section and a table of its figures by year."""
    from fpdf import FontFace

    years = review_years(review)
    pdf = _pdf(landscape=len(years) > 6, title=review.title)
    _pdf_top(pdf, document, place_date_line(document))
    _pdf_title(pdf, review.title, period_line(review.period.first, review.period.last))
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(0, 5, review.intro, align="J", new_x="LMARGIN", new_y="NEXT")
    label_mm = 70.0
    widths = (label_mm, *([(pdf.epw - label_mm) / (len(years) + 1)] * (len(years) + 1)))
    items = [item for section in review.sections for item in section.items]
    done = 0
    for number, section in enumerate(review.sections, start=1):
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "B", 11)
        pdf.multi_cell(0, 6, f"{_roman(number)}. {section.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 10)
        if section.paragraph:
            pdf.multi_cell(0, 5, section.paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.set_font(FONT_FAMILY, "", 8)
        with pdf.table(
            col_widths=widths,
            width=pdf.epw,
            num_heading_rows=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            line_height=4,
            padding=0.8,
        ) as table:
            head = table.row()
            for text in (_("Figure"), _("Whole period"), *(str(y) for y in years)):
                head.cell(text, align="C")
            for item in section.items:
                line = table.row()
                line.cell(item.label, align="L")
                for figure in (item.figure, *(item.years.get(y) for y in years)):
                    line.cell(value_text(figure, item.measure), align="R")
                done += 1
                _tick(progress, done, len(items))
    if review.not_available:
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "", 8)
        pdf.multi_cell(
            0,
            4,
            _("Not available (no part of the system records them yet): %(figures)s.")
            % {"figures": ", ".join(review.not_available)},
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    out.write(bytes(pdf.output()))


# ---- CSV -------------------------------------------------------------------------------------------


def csv_value(value: int | Decimal | None) -> str:
    """A machine-readable number: no grouping, a point before decimals, nothing when not available."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv_writer(out: IO[bytes]):
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_("Unit"), _("Column or figure"), _("Label"), _("Value"), _("Records"), _("Year")])
    return text, writer


def form_csv(
    report: FormReport, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """One line per figure of the form: the row's unit, the column number, the column's title, the
    value and the number of records behind it."""
    text, writer = _csv_writer(out)
    columns = report.columns
    rows = form_rows(report)
    for offset, body in enumerate(rows):
        for column, figure in zip(columns, body.figures, strict=True):
            if column.cell is None:
                continue
            writer.writerow(
                [
                    body.label,
                    column.number,
                    column_title(column),
                    csv_value(raw_value(figure)),
                    figure.records if figure is not None else 0,
                    "",
                ]
            )
        _tick(progress, offset + 1, len(rows))
    text.detach()


def review_csv(
    review: Review, out: IO[bytes], *, document: Document, progress: Progress | None = None
) -> None:
    """One line per figure of the review for the whole period, then one per year."""
    text, writer = _csv_writer(out)
    years = review_years(review)
    items = [item for section in review.sections for item in section.items]
    for done, item in enumerate(items, start=1):
        writer.writerow(
            [review.unit.name, item.code, item.label, csv_value(item.figure.value), item.figure.records, ""]
        )
        for year in years:
            figure = item.years.get(year)
            writer.writerow(
                [
                    review.unit.name,
                    item.code,
                    item.label,
                    csv_value(raw_value(figure)),
                    figure.records if figure is not None else 0,
                    year,
                ]
            )
        _tick(progress, done, len(items))
    text.detach()


# ---- one entry for every report and format ------------------------------------------------------

RENDERERS: dict[tuple[str, str], Callable[..., None]] = {
    ("form", "xlsx"): form_xlsx,
    ("form", "docx"): form_docx,
    ("form", "pdf"): form_pdf,
    ("form", "csv"): form_csv,
    ("review", "xlsx"): review_xlsx,
    ("review", "docx"): review_docx,
    ("review", "pdf"): review_pdf,
    ("review", "csv"): review_csv,
}


def render(
    report: FormReport | Review,
    fmt: str,
    out: IO[bytes],
    *,
    document: Document,
    progress: Progress | None = None,
) -> None:
    """Write `report` (a form or the review) as `fmt` into `out`."""
    kind = "review" if isinstance(report, Review) else "form"
    RENDERERS[(kind, fmt)](report, out, document=document, progress=progress)


def render_bytes(report: FormReport | Review, fmt: str, *, document: Document) -> bytes:
    out = io.BytesIO()
    render(report, fmt, out, document=document)
    return out.getvalue()
