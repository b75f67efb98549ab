"""The reception book (sổ tiếp công dân) as a spreadsheet and as a printable PDF, in the layout of
form 03 of Thông tư 04/2021/TT-TTCP (Luật Tiếp công dân Art 25(2)).

Both take the rows of `selectors.book_rows`, already scoped and masked for the user, and only lay
them out: a title with the unit and the period, the form's column titles with the handling columns
8–10 grouped, the row of column numbers (1)…(12), then one line per visit. Titles and fixed texts go
through gettext in the active language; callers wrap the call in `translation.override`. A masked
line (a protected denouncer the user may not see) shows "Protected identity" across columns 3–4.
The PDF repeats the column titles on every page and never splits a line across pages; a line longer
than a page continues on rows of its own below it.

The PDF needs a TrueType font that covers Vietnamese: Be Vietnam Pro, from the npm package
`@expo-google-fonts/be-vietnam-pro` (its .ttf files). It is found through Django's staticfiles
finders, so it works from node_modules in development, and through the static files storage after
`collectstatic` where node_modules is gone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import pgettext_lazy as _p

from danvan.core.fonts import FONT_FAMILY, FONT_FILES, font_path

from .selectors import BookRow

CONTEXT = "reception book"


@dataclass(frozen=True)
class Column:
    number: int
    title: object  # a lazy translation
    xlsx_width: float  # characters
    pdf_width: float  # millimetres on A4 landscape (277 mm between the margins)


COLUMNS: tuple[Column, ...] = (
    Column(1, _p(CONTEXT, "No."), 5, 9),
    Column(2, _p(CONTEXT, "Reception date"), 11, 19),
    Column(3, _p(CONTEXT, "Full name and address"), 30, 35),
    Column(4, _p(CONTEXT, "ID card or passport number"), 16, 27),
    Column(5, _p(CONTEXT, "Content of the case"), 42, 40),
    Column(6, _p(CONTEXT, "Petition type / number of people"), 16, 22),
    Column(7, _p(CONTEXT, "Agency that has already handled it"), 18, 21),
    Column(8, _p(CONTEXT, "Accepted for resolution"), 10, 17),
    Column(9, _p(CONTEXT, "Returned and guided"), 22, 24),
    Column(10, _p(CONTEXT, "Transferred to the competent body"), 22, 24),
    Column(11, _p(CONTEXT, "Follow-up of the result"), 18, 19),
    Column(12, _p(CONTEXT, "Notes"), 20, 20),
)
# Columns 8–10 sit under one group title, "how it was handled".
HANDLING = (8, 9, 10)
HANDLING_TITLE = _p(CONTEXT, "Handling")
TITLE = _p(CONTEXT, "RECEPTION BOOK")
SHEET_TITLE = _p(CONTEXT, "Reception book")


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def period_text(first: date, last: date) -> str:
    return pgettext(CONTEXT, "From %(first)s to %(last)s") % {"first": _dmy(first), "last": _dmy(last)}


def kinds_people_text(row: BookRow) -> str:
    """Column 6: the kinds of petition, then the number of people on a line of its own."""
    people = ngettext("%(count)s person", "%(count)s people", row.people) % {"count": row.people}
    kinds = ", ".join(row.kinds)
    return f"{kinds}\n{people}" if kinds else people


def protected_text() -> str:
    return gettext("Protected identity")


def row_cells(row: BookRow) -> list[str]:
    """The twelve cells of a row as text, the way the PDF prints them. A masked row has the
    protected text in column 3 and nothing in column 4 (the two are joined in both layouts)."""
    return [
        str(row.number),
        _dmy(row.day),
        protected_text() if row.masked else row.name_address,
        "" if row.masked else row.id_number,
        row.content,
        kinds_people_text(row),
        row.earlier_handling,
        "x" if row.accepted else "",
        row.guided,
        row.transferred,
        row.follow_up,
        row.note,
    ]


# ---- XLSX -----------------------------------------------------------------------------------

# Layout of the sheet: unit, title and period on rows 1–3, the column titles on rows 5–6, the
# column numbers on row 7, the book from row 8. Rows 5–7 repeat on every printed page.
XLSX_UNIT_ROW, XLSX_TITLE_ROW, XLSX_PERIOD_ROW = 1, 2, 3
XLSX_HEAD_ROW, XLSX_SUBHEAD_ROW, XLSX_NUMBER_ROW = 5, 6, 7
XLSX_FIRST_ROW = 8


def book_xlsx(*, unit, rows: Sequence[BookRow], first: date, last: date) -> bytes:
    """The book as an .xlsx workbook of one sheet, laid out and set up for printing like the form."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)[:31]
    workbook.properties.title = f"{TITLE} – {unit.name}"
    workbook.properties.creator = "danvan"
    workbook.properties.language = get_language() or ""

    last_letter = get_column_letter(len(COLUMNS))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")

    for row_number, text, font in (
        (XLSX_UNIT_ROW, unit.name, Font(bold=True, size=11)),
        (XLSX_TITLE_ROW, str(TITLE), Font(bold=True, size=14)),
        (XLSX_PERIOD_ROW, period_text(first, last), Font(italic=True, size=11)),
    ):
        sheet.merge_cells(f"A{row_number}:{last_letter}{row_number}")
        cell = sheet.cell(row=row_number, column=1, value=text)
        cell.font = font
        cell.alignment = centred
    sheet.row_dimensions[XLSX_TITLE_ROW].height = 22

    header_font = Font(bold=True)
    for column in COLUMNS:
        letter = get_column_letter(column.number)
        sheet.column_dimensions[letter].width = column.xlsx_width
        for row_number in (XLSX_HEAD_ROW, XLSX_SUBHEAD_ROW, XLSX_NUMBER_ROW):
            cell = sheet.cell(row=row_number, column=column.number)
            cell.border = box
            cell.alignment = centred
            cell.font = header_font if row_number != XLSX_NUMBER_ROW else Font(italic=True)
        if column.number in HANDLING:
            sheet.cell(row=XLSX_SUBHEAD_ROW, column=column.number, value=str(column.title))
        else:
            sheet.cell(row=XLSX_HEAD_ROW, column=column.number, value=str(column.title))
            sheet.merge_cells(f"{letter}{XLSX_HEAD_ROW}:{letter}{XLSX_SUBHEAD_ROW}")
        sheet.cell(row=XLSX_NUMBER_ROW, column=column.number, value=f"({column.number})")
    first_handling, last_handling = get_column_letter(HANDLING[0]), get_column_letter(HANDLING[-1])
    sheet.cell(row=XLSX_HEAD_ROW, column=HANDLING[0], value=str(HANDLING_TITLE))
    sheet.merge_cells(f"{first_handling}{XLSX_HEAD_ROW}:{last_handling}{XLSX_HEAD_ROW}")
    sheet.row_dimensions[XLSX_SUBHEAD_ROW].height = 45

    for offset, row in enumerate(rows):
        row_number = XLSX_FIRST_ROW + offset
        cells = row_cells(row)
        values: list[object] = [row.number, row.day, *cells[2:]]
        for column, value in zip(COLUMNS, values, strict=True):
            if isinstance(value, str):  # control characters make openpyxl refuse the cell
                value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
            cell = sheet.cell(row=row_number, column=column.number, value=value)
            cell.border = box
            cell.alignment = wrap_top
        sheet.cell(row=row_number, column=1).alignment = Alignment(horizontal="center", vertical="top")
        day_cell = sheet.cell(row=row_number, column=2)
        day_cell.number_format = "DD/MM/YYYY"
        day_cell.alignment = Alignment(horizontal="center", vertical="top")
        sheet.cell(row=row_number, column=8).alignment = Alignment(horizontal="center", vertical="top")
        if row.masked:
            sheet.merge_cells(start_row=row_number, start_column=3, end_row=row_number, end_column=4)

    sheet.freeze_panes = f"A{XLSX_FIRST_ROW}"
    sheet.print_title_rows = f"{XLSX_HEAD_ROW}:{XLSX_NUMBER_ROW}"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "&P/&N"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------------


PDF_FONT_SIZE = 8
PDF_MARGIN = 10  # mm


def book_pdf(*, unit, rows: Sequence[BookRow], first: date, last: date) -> bytes:
    """The book as an A4 landscape PDF: the title on the first page, the table with its column titles
    and numbers repeated at the top of every page, cells wrapped, page numbers at the foot."""
    from fpdf import FPDF, FontFace

    class BookPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-8)
            self.set_font(FONT_FAMILY, "", 7)
            self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="C")

    pdf = BookPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_margins(PDF_MARGIN, PDF_MARGIN, PDF_MARGIN)
    pdf.set_auto_page_break(auto=True, margin=PDF_MARGIN + 2)
    for style in FONT_FILES:
        pdf.add_font(FONT_FAMILY, style, str(font_path(style)))
    title = str(TITLE)
    pdf.set_title(f"{title} – {unit.name}")
    pdf.set_creator("danvan")
    pdf.set_lang(get_language() or "vi")
    pdf.add_page()

    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.multi_cell(0, 5, unit.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(0, 5, period_text(first, last), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font(FONT_FAMILY, "", PDF_FONT_SIZE)
    header = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    numbers = FontFace(emphasis="NONE", fill_color=(245, 245, 245))
    with pdf.table(
        col_widths=tuple(c.pdf_width for c in COLUMNS),
        width=pdf.epw,
        num_heading_rows=3,
        repeat_headings=1,
        headings_style=header,
        text_align="LEFT",
        v_align="TOP",
        line_height=PDF_FONT_SIZE * 0.5,
        padding=1,
    ) as table:
        titles = table.row()
        for column in COLUMNS:
            if column.number == HANDLING[0]:
                titles.cell(str(HANDLING_TITLE), align="C", v_align="M", colspan=len(HANDLING))
            elif column.number not in HANDLING:
                titles.cell(str(column.title), align="C", v_align="M", rowspan=2)
        subtitles = table.row()
        for number in HANDLING:
            subtitles.cell(str(COLUMNS[number - 1].title), align="C", v_align="M")
        numbers_row = table.row(style=numbers)
        for column in COLUMNS:
            numbers_row.cell(f"({column.number})", align="C")
        for row in rows:
            for part in _pdf_parts(pdf, _pdf_cells(row)):
                line = table.row()
                for text, _width, span, align in part:
                    line.cell(text, align=align, colspan=span)
    return bytes(pdf.output())


PDF_PADDING = 1  # mm around a cell's text
PDF_MAX_LINES = 30  # lines in one table row: a row never splits across pages, so a taller one is continued


def _pdf_cells(row: BookRow) -> list[tuple[str, float, int, str]]:
    """(text, width in mm, columns spanned, alignment) of each cell of a row."""
    cells = []
    for column, text in zip(COLUMNS, row_cells(row), strict=True):
        if row.masked and column.number == 4:
            continue
        span = 2 if row.masked and column.number == 3 else 1
        width = sum(c.pdf_width for c in COLUMNS[column.number - 1 : column.number - 1 + span])
        cells.append((text, width, span, "C" if column.number in (1, 2, 8) else "L"))
    return cells


def _pdf_parts(pdf, cells: list[tuple[str, float, int, str]]) -> list[list[tuple[str, float, int, str]]]:
    """The row as it is printed: itself, or, when a cell is longer than a page holds, the row cut
    after every PDF_MAX_LINES lines, the cuts continuing on rows of their own (nothing is lost)."""
    lines = [
        pdf.multi_cell(
            w=width - 2 * PDF_PADDING - 2 * pdf.c_margin - 0.5,  # narrower than printed: no re-wrap
            h=PDF_FONT_SIZE * 0.5,
            text=text,
            dry_run=True,
            output="LINES",
        )
        if text
        else []
        for text, width, _span, _align in cells
    ]
    if max(len(cell) for cell in lines) <= PDF_MAX_LINES:
        return [cells]
    return [
        [
            ("\n".join(cell_lines[start : start + PDF_MAX_LINES]), width, span, align)
            for cell_lines, (_text, width, span, align) in zip(lines, cells, strict=True)
        ]
        for start in range(0, max(len(cell) for cell in lines), PDF_MAX_LINES)
    ]
