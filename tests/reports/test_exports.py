"""Report files opened and read back: form 01/TCD (TT 01/2024) and the review as XLSX, DOCX, PDF and
CSV, in Vietnamese and English.

The form is Tỉnh Ninh Bình over the inspection year I2024 (15/12/2023–14/12/2024) with two rows
whose figures are set by hand, column n of each:

  Huyện Yên Khánh   n            (n records)
  Huyện Yên Mô      100 + n      (1 record), except column 2: 1.234 (3 records)
  Total             the sum: column 1 = 102, column 2 = 1.236, column 5 = 110
  column 29         not available in every row

Texts the catalogue translates are expected in Vietnamese once it does (`vi`), as the msgid until
then; everything else (names, numbers, dates, layout) is checked as printed.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from danvan.core.indicators import NOT_AVAILABLE, Figure
from danvan.reports import exports
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Result
from danvan.reports.forms.tcd01 import TT01_2024
from danvan.reports.periods import period_parse
from danvan.reports.review import Review, ReviewItemView, ReviewSectionView
from danvan.reports.selectors import FormReport, FormRow

DAY = date(2026, 12, 2)


def vi(msgid: str, text: str) -> str:
    """`text` once the Vietnamese catalogue translates `msgid`; `msgid` until then."""
    with translation.override("vi"):
        return text if gettext(msgid) != msgid else msgid


def d1(n: int) -> Figure:
    return Figure(n, n)


def d2(n: int) -> Figure:
    return Figure(1234, 3) if n == 2 else Figure(100 + n, 1)


def figures(make) -> dict[str, Figure]:
    return {str(n): NOT_AVAILABLE if n == 29 else make(n) for n in range(1, 30)}


def make_form(tree, frame: str = AS_IT_WAS) -> FormReport:
    period = period_parse("I2024")
    result = Result(unit=tree.province, period=period, frame=frame, cells=TT01_2024.cells, total={})
    total = FormRow(None, gettext("Total"), figures(lambda n: d1(n) + d2(n)))
    rows = [FormRow(tree.d1, tree.d1.name, figures(d1)), FormRow(tree.d2, tree.d2.name, figures(d2))]
    return FormReport(TT01_2024, result, total, rows, checks=[])


def make_review(tree) -> Review:
    period = period_parse("2023..2024")
    result = Result(
        unit=tree.province, period=period, frame=AS_IT_WAS, cells=[], total={}, years={2023: {}, 2024: {}}
    )
    items = [
        ReviewItemView(
            "reception.visits",
            "Lượt tiếp công dân",
            "count",
            Figure(1250, 1250),
            {2023: Figure(1000, 1000), 2024: Figure(250, 250)},
            "Tỉnh Ninh Bình đã tiếp 1.250 lượt công dân.",
            True,
        ),
        ReviewItemView(
            "petitions.resolution_rate",
            "Tỷ lệ giải quyết đơn thuộc thẩm quyền",
            "percent",
            Figure(Decimal("66.7"), 3),
            {2023: Figure(Decimal("50.0"), 2), 2024: Figure(Decimal("100.0"), 1)},
            "",
            False,
        ),
        ReviewItemView(
            "outreach.conferences",
            "Hội nghị tuyên truyền",
            "count",
            NOT_AVAILABLE,
            {2023: NOT_AVAILABLE, 2024: NOT_AVAILABLE},
            "",
            False,
        ),
    ]
    section = ReviewSectionView(
        "reception", "Tiếp công dân", items, "Tỉnh Ninh Bình đã tiếp 1.250 lượt công dân."
    )
    return Review(
        unit=tree.province,
        period=period,
        frame=AS_IT_WAS,
        title="Tổng kết công tác dân vận, Tỉnh Ninh Bình, 2023–2024",
        sections=[section],
        intro="Từ 01/01/2023 đến 31/12/2024, tính từ hồ sơ của Tỉnh Ninh Bình.",
        not_available=["Hội nghị tuyên truyền"],
        result=result,
    )


def document(tree, **options):
    return exports.document_for(tree.agency, DAY, options)


# ---- XLSX ----------------------------------------------------------------------------------------


def open_xlsx(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_xlsx_has_the_layout_of_the_form(tree, language):
    with translation.override(language):
        report = make_form(tree)
        data = exports.render_bytes(report, "xlsx", document=exports.document_for(tree.province, DAY))
    sheet = open_xlsx(data)

    assert sheet["A1"].value == "Tỉnh Ninh Bình"
    form_number = vi("Form %(number)s", "Biểu số %(number)s") if language == "vi" else "Form %(number)s"
    assert sheet["W1"].value == form_number % {"number": "01/TCD"}  # top right: columns W–AD
    assert "W1:AD1" in {str(r) for r in sheet.merged_cells.ranges}
    if language == "en":
        assert sheet["A3"].value == "Summary of regular, periodic and ad hoc citizen reception"
        assert sheet["A4"].value == "Data from 15/12/2023 to 14/12/2024"
    else:
        line = vi("Data from %(first)s to %(last)s", "Số liệu tính từ ngày %(first)s đến ngày %(last)s")
        assert sheet["A4"].value == line % {"first": "15/12/2023", "last": "14/12/2024"}

    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Header rows 6–9: the groups of form 01/TCD, merged over their columns (column n is n + 1).
    assert {
        "A6:A9",  # the unit column, over every header row
        "B6:D6",  # Total: columns 1–3
        "B7:B9",  # column 1's label reaches the last header row
        "E6:L6",  # regular reception: 4–11
        "G7:H7",  # its cases: 6–7
        "I7:L7",  # its crowds: 8–11
        "G8:G9",  # "first time" (6) under cases
        "M6:AD6",  # periodic and ad hoc reception by the head: 12–29
        "M7:U7",  # by the head in person: 12–20
        "V7:AD7",  # by an authorised person: 21–29
        "M8:M9",  # sessions (12)
        "P8:Q8",  # the head's cases: 15–16
    } <= merged
    assert "P9:P9" not in merged and sheet["P9"].value  # column 15's label on the last header row
    if language == "en":
        assert [sheet["B6"].value, sheet["E6"].value, sheet["M7"].value, sheet["G7"].value] == [
            "Total",
            "Regular reception",
            "Received by the head in person",
            "Cases",
        ]
        assert sheet["G8"].value == "First time"
        assert sheet["A6"].value == "Unit"

    # The row of column numbers, then the total and one row per unit: numbers, not text.
    assert [sheet.cell(row=10, column=c).value for c in (1, 2, 3, 30)] == ["A", "1", "2", "29"]
    assert sheet["A11"].value == gettext_in(language, "Total")
    assert [sheet["A12"].value, sheet["A13"].value] == ["Huyện Yên Khánh", "Huyện Yên Mô"]
    assert [sheet["B11"].value, sheet["C11"].value, sheet["F11"].value] == [102, 1236, 110]
    assert [sheet["B12"].value, sheet["C12"].value, sheet["AC12"].value] == [1, 2, 28]
    assert [sheet["B13"].value, sheet["C13"].value, sheet["AC13"].value] == [101, 1234, 128]
    assert all(isinstance(sheet.cell(row=r, column=c).value, int) for r in (11, 12, 13) for c in range(2, 30))
    assert sheet["AD11"].value == exports.NOT_AVAILABLE_TEXT  # column 29: not available, never 0
    assert sheet["C11"].number_format == "#,##0"
    assert sheet.freeze_panes == "B11"
    assert sheet["B12"].border.left.style == "thin"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width
    # The note about "not available" under the table.
    notes = [sheet.cell(row=r, column=1).value for r in range(15, 20) if sheet.cell(row=r, column=1).value]
    assert any(exports.NOT_AVAILABLE_TEXT in note for note in notes)


def gettext_in(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def test_form_xlsx_notes_the_frame_and_the_rows_that_include_former_units(tree):
    with translation.override("en"):
        report = make_form(tree, frame=AS_IT_IS)
        report.rows[0].formerly = ["Xã Khánh Thiện", "Xã Khánh Cường"]
        data = exports.render_bytes(report, "xlsx", document=exports.document_for(tree.province, DAY))
    sheet = open_xlsx(data)
    notes = [sheet.cell(row=r, column=1).value for r in range(15, 22)]
    assert "Huyện Yên Khánh includes the records of Xã Khánh Thiện, Xã Khánh Cường." in notes
    assert any(note and note.startswith("Counted in the units as they are now") for note in notes)


def test_review_xlsx_has_figures_by_year_and_the_narrative(tree):
    with translation.override("en"):
        data = exports.render_bytes(make_review(tree), "xlsx", document=document(tree))
    sheet = open_xlsx(data)
    assert sheet["A2"].value == "Tổng kết công tác dân vận, Tỉnh Ninh Bình, 2023–2024"
    assert [sheet.cell(row=5, column=c).value for c in range(1, 6)] == [
        "No.",
        "Figure",
        "Whole period",
        "2023",
        "2024",
    ]
    assert sheet["A6"].value == "I. Tiếp công dân"
    assert [sheet.cell(row=7, column=c).value for c in range(2, 6)] == ["Lượt tiếp công dân", 1250, 1000, 250]
    assert [sheet.cell(row=8, column=c).value for c in range(3, 6)] == [pytest.approx(66.7), 50, 100]
    assert sheet["C8"].number_format == '0.0"%"'
    assert sheet["C9"].value == exports.NOT_AVAILABLE_TEXT
    texts = [sheet.cell(row=r, column=1).value for r in range(10, 16)]
    assert "Tỉnh Ninh Bình đã tiếp 1.250 lượt công dân." in texts
    assert any(t and "Hội nghị tuyên truyền" in t for t in texts)


# ---- DOCX ----------------------------------------------------------------------------------------


def open_docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def test_document_particulars_follow_decree_30(tree):
    with translation.override("vi"):
        particulars = exports.document_for(tree.agency, DAY)
        assert particulars.place == "Ninh Bình"  # the province the agency sits in, without "Tỉnh"
        assert particulars.superior == "Tỉnh Ninh Bình"
        assert particulars.recipients[0] == "Tỉnh Ninh Bình"
        date_text = vi(
            "day %(day)s month %(month)s year %(year)s", "ngày %(day)s tháng %(month)s năm %(year)s"
        )
        assert exports.document_date(date(2026, 12, 2)) == date_text % {
            "day": "02",
            "month": "12",
            "year": 2026,
        }
        # A day below 10 and the months 1 and 2 take a leading zero; the other months do not.
        assert exports.document_date(date(2026, 2, 5)) == date_text % {
            "day": "05",
            "month": "02",
            "year": 2026,
        }
        assert exports.document_date(date(2026, 3, 15)) == date_text % {
            "day": "15",
            "month": "3",
            "year": 2026,
        }
    with translation.override("en"):
        assert exports.document_date(date(2026, 12, 2)) == "2 December 2026"
        assert exports.place_of(tree.n) == "Khánh Thiện"
        given = exports.document_for(tree.n, DAY, {"recipients": ["Ban Dân vận Tỉnh ủy"], "number": "15"})
        assert exports.recipient_lines(given) == ["- Ban Dân vận Tỉnh ủy;", "- Archive: clerical office."]
        assert exports.number_line(given) == "No.: 15/BC-…"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_docx_is_a_report_in_the_state_format(tree, language):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    particulars = {"signer_position": "Chủ tịch", "signer_name": "Trần Văn Chủ"}
    with translation.override(language):
        data = exports.render_bytes(make_form(tree), "docx", document=document(tree, **particulars))
    doc = open_docx(data)

    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin)] == [
        20,
        20,
        30,
    ]
    assert round(section.right_margin.mm) == 15
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size == Pt(14)

    heading, table, closing = doc.tables
    issuer, national = (cell.text for cell in heading.rows[0].cells)
    if language == "en":
        assert national.splitlines()[:2] == [
            "SOCIALIST REPUBLIC OF VIET NAM",
            "Independence - Freedom - Happiness",
        ]
        assert national.splitlines()[-1] == "Ninh Bình, 2 December 2026"
        assert issuer.splitlines() == ["TỈNH NINH BÌNH", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "", "No.: …/BC-…"]
    else:
        assert national.splitlines()[0] == vi(
            "SOCIALIST REPUBLIC OF VIET NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        )
        assert national.splitlines()[1] == vi(
            "Independence - Freedom - Happiness", "Độc lập - Tự do - Hạnh phúc"
        )
        place_date = vi("%(place)s, %(date)s", "%(place)s, %(date)s") % {
            "place": "Ninh Bình",
            "date": vi(
                "day %(day)s month %(month)s year %(year)s", "ngày %(day)s tháng %(month)s năm %(year)s"
            )
            % {"day": "02", "month": "12", "year": 2026},
        }
        assert national.splitlines()[-1] == place_date
        assert issuer.splitlines()[1] == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"
    assert heading.rows[0].cells[1].paragraphs[1].runs[0].bold

    texts = [p.text for p in doc.paragraphs]
    title = gettext_in(language, "Summary of regular, periodic and ad hoc citizen reception")
    assert title in texts
    report_word = "REPORT" if language == "en" else vi("REPORT", "BÁO CÁO")
    assert texts[texts.index(title) - 1] == report_word

    # The form's table: header rows 0–3, the column numbers on row 4, the total on row 5.
    assert table.cell(0, 1).text == gettext_in(language, "Total")
    assert table.cell(0, 2).text == table.cell(0, 1).text  # merged over columns 1–3
    assert table.cell(4, 0).text == "A" and table.cell(4, 29).text == "29"
    total = [table.cell(5, c).text for c in (0, 1, 2, 5, 29)]
    thousands = "1.236" if language == "vi" else "1,236"
    assert total == [gettext_in(language, "Total"), "102", thousands, "110", exports.NOT_AVAILABLE_TEXT]
    assert [table.cell(7, c).text for c in (0, 1, 2)] == ["Huyện Yên Mô", "101", thousands.replace("6", "4")]

    left, right = closing.rows[0].cells
    recipients = "Recipients:" if language == "en" else vi("Recipients:", "Nơi nhận:")
    assert left.paragraphs[0].text == recipients
    assert left.paragraphs[1].text == "- Tỉnh Ninh Bình;"
    signature = [p.text for p in right.paragraphs]
    assert signature[0] == "CHỦ TỊCH"
    assert signature[-1] == "Trần Văn Chủ"
    assert signature[1:-1] == ["", "", "", ""]  # room for the signature and the seal


def test_review_docx_has_sections_paragraphs_and_figures_by_year(tree):
    with translation.override("en"):
        data = exports.render_bytes(make_review(tree), "docx", document=document(tree))
    doc = open_docx(data)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210  # two years: portrait
    texts = [p.text for p in doc.paragraphs]
    assert "Tổng kết công tác dân vận, Tỉnh Ninh Bình, 2023–2024" in texts
    assert "I. Tiếp công dân" in texts
    assert "Tỉnh Ninh Bình đã tiếp 1.250 lượt công dân." in texts
    figures_table = doc.tables[1]
    assert [c.text for c in figures_table.rows[0].cells] == ["Figure", "Whole period", "2023", "2024"]
    assert [c.text for c in figures_table.rows[1].cells] == ["Lượt tiếp công dân", "1,250", "1,000", "250"]
    assert [c.text for c in figures_table.rows[2].cells][1:] == ["66.7%", "50.0%", "100.0%"]
    assert figures_table.rows[3].cells[1].text == exports.NOT_AVAILABLE_TEXT
    assert any("Hội nghị tuyên truyền" in t for t in texts)
    assert doc.tables[-1].rows[0].cells[1].paragraphs[0].text == "HEAD OF THE UNIT"


# ---- PDF -----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> tuple[int, str, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    return len(reader.pages), " ".join(p.extract_text() for p in reader.pages), str(page.mediabox.width)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_pdf_keeps_vietnamese_diacritics(tree, language):
    with translation.override(language):
        data = exports.render_bytes(make_form(tree), "pdf", document=exports.document_for(tree.province, DAY))
        title = str(TT01_2024.title)
    assert data.startswith(b"%PDF")
    pages, text, width = pdf_text(data)
    assert float(width) > 800  # landscape A4: 842 points wide
    assert title in " ".join(text.split())
    assert "Tỉnh Ninh Bình" in text
    assert "Huyện Yên Khánh" in text and "Huyện Yên Mô" in text
    assert ("1.236" if language == "vi" else "1,236") in text
    assert "01/TCD" in text


def test_review_pdf_has_the_narrative_and_figures(tree):
    with translation.override("vi"):
        data = exports.render_bytes(make_review(tree), "pdf", document=document(tree))
    _pages, text, width = pdf_text(data)
    flat = " ".join(text.split())
    assert float(width) < 600  # portrait
    assert "Tổng kết công tác dân vận, Tỉnh Ninh Bình, 2023–2024" in flat
    assert "Tỉnh Ninh Bình đã tiếp 1.250 lượt công dân." in flat
    assert "66,7%" in flat and "1.000" in flat


# ---- CSV -----------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for spreadsheets
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_csv_has_one_line_per_figure(tree, language):
    with translation.override(language):
        data = exports.render_bytes(make_form(tree), "csv", document=document(tree))
        total = gettext("Total")
        header = [gettext(t) for t in ("Unit", "Column or figure", "Label", "Value", "Records", "Year")]
    lines = read_csv(data)
    assert lines[0] == header
    assert len(lines) == 1 + 3 * 29
    by_key = {(line[0], line[1]): line for line in lines[1:]}
    assert by_key[(total, "2")][3:5] == ["1236", "5"]
    assert by_key[("Huyện Yên Mô", "2")][3:5] == ["1234", "3"]
    assert by_key[("Huyện Yên Khánh", "28")][3:5] == ["28", "28"]
    assert by_key[("Huyện Yên Khánh", "29")][3:5] == ["", "0"]  # not available: no value
    if language == "en":
        assert by_key[("Huyện Yên Khánh", "15")][2] == (
            "Periodic and ad hoc reception by the head — Received by the head in person — Cases — First time"
        )


def test_review_csv_has_the_period_and_each_year(tree):
    with translation.override("en"):
        data = exports.render_bytes(make_review(tree), "csv", document=document(tree))
    lines = read_csv(data)
    assert lines[1] == ["Tỉnh Ninh Bình", "reception.visits", "Lượt tiếp công dân", "1250", "1250", ""]
    assert lines[2][3:] == ["1000", "1000", "2023"]
    assert lines[3][3:] == ["250", "250", "2024"]
    rate = [line for line in lines if line[1] == "petitions.resolution_rate"]
    assert [line[3] for line in rate] == ["66.7", "50.0", "100.0"]
    assert [line[3] for line in lines if line[1] == "outreach.conferences"] == ["", "", ""]


def test_progress_is_told_after_each_row(tree):
    seen: list[tuple[int, int]] = []
    with translation.override("en"):
        exports.render(
            make_form(tree),
            "csv",
            io.BytesIO(),
            document=document(tree),
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_header_cells_merge_only_runs_under_the_same_groups():
    from danvan.reports.declarations import Column

    columns = (
        Column("1", "a", groups=("X", "Y")),
        Column("2", "b", groups=("X", "Y")),
        Column("3", "c", groups=("Z", "Y")),  # same group Y at level 1, under another parent
        Column("4", "d"),
    )
    depth, cells = exports.header_cells(columns)
    assert depth == 3
    spans = {(c.text, c.row, c.col): (c.rowspan, c.colspan) for c in cells}
    assert spans[("X", 0, 1)] == (1, 2)
    assert spans[("Y", 1, 1)] == (1, 2)
    assert spans[("Y", 1, 3)] == (1, 1)
    assert spans[("d", 0, 4)] == (3, 1)
    assert spans[("a", 2, 1)] == (1, 1)
