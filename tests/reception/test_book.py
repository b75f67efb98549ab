"""The reception book (form 03, TT 04/2021), checked against a book written out by hand: the rows of
the selector, the spreadsheet and the PDF, in Vietnamese and in English, column by column.

The fixture (book_fixture.py) is a month of commune N. The expected books below are typed from
what the clerks recorded; nothing in them is computed by the code under test.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from danvan.core import fonts
from danvan.core.errors import NotFound
from danvan.core.models import AuditEvent
from danvan.reception import exports, selectors
from danvan.reception.selectors import BookRow

from .book_fixture import FIRST, LAST, book_month  # noqa: F401 (the fixture "book")
from .conftest import PLANTED_ID, PLANTED_NAME

# ---- the book as written by hand ------------------------------------------------------------
# Columns: (1) STT, (2) date, (3) name and address, (4) ID, (5) content, (6) kinds / people,
# (7) agency that already handled it, (8) accepted, (9) guided, (10) transferred, (11) follow-up,
# (12) notes. As the clerk who received the denouncer sees it.

BOOK_EN = [
    (
        "1",
        "02/11/2026",
        "Nguyễn Văn An, Thôn Đông, xã Khánh Thiện",
        "037090001234",
        "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
        "Complaint\n1 person",
        "UBND huyện Yên Khánh (cũ) đã giải quyết lần đầu",
        "x",
        "",
        "",
        "Đã thông báo thụ lý giải quyết ngày 20/11/2026",
        "",
    ),
    (
        "2",
        "02/11/2026",
        "Trịnh Thị Lan, Thôn Tây",
        "037190005555",
        "Khiếu nại bản án dân sự sơ thẩm về chia thừa kế.",
        "Complaint\n1 person",
        "Tòa án nhân dân huyện Yên Khánh đã xét xử sơ thẩm",
        "",
        "Tòa án nhân dân khu vực 5 - Ninh Bình, 05/HD-TCD",
        "",
        "",
        "",
    ),
    (
        "3",
        "05/11/2026",
        "Lê Thị Hoa, Thôn Bắc",
        "037185004321",
        "Kiến nghị xem xét chế độ trợ cấp cho người có công.",
        "Recommendation\n1 person",
        "",
        "",
        "",
        "Sở Nội vụ tỉnh Ninh Bình, 12/PC-TCD",
        "",
        "",
    ),
    (
        "4",
        "05/11/2026",
        "Phạm Văn Bình, Xóm 3",
        "",
        "Khiếu nại việc chậm giải quyết hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
        "Complaint\n1 person",
        "",
        "",
        "",
        "Chi nhánh Văn phòng đăng ký đất đai Yên Khánh, 08/ĐĐ-TCD",
        "",
        "",
    ),
    (
        "5",
        "10/11/2026",
        "Đỗ Văn Cường, Thôn Nam; Vũ Thị Dung, Thôn Nam",
        "037080001111; 037082002222",
        "Khiếu nại về giá bồi thường khi thu hồi đất làm đường tỉnh 481.",
        "Complaint\n12 people",
        "",
        "x",
        "",
        "",
        "",
        "Đoàn đông người, cử 2 người đại diện",
    ),
    (
        "6",
        "10/11/2026",
        "Ngô Văn Phúc, Thôn Đoài",
        "037075003333",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng. / Kiến nghị sửa chữa đường liên thôn.",
        "Complaint, Recommendation\n1 person",
        "",
        "x",
        "",
        "",
        "",
        "",
    ),
    (
        "7",
        "16/11/2026",
        "Bùi Thị Giang, Thôn Tây",
        "",
        "Phản ánh việc đèn chiếu sáng công cộng ở thôn Tây bị hỏng.",
        "Feedback\n1 person",
        "",
        "",
        "",
        "",
        "",
        "Answered on the spot; Đã giải thích, xã sẽ sửa trong tháng 12",
    ),
    (
        "8",
        "16/11/2026",
        "Đinh Văn Hùng, Thôn Đông",
        "037070004444",
        "Tiếp tục khiếu nại tranh chấp ranh giới đất đã được giải quyết.",
        "Complaint\n1 person",
        "",
        "",
        "",
        "",
        "",
        "Persists in a matter already resolved correctly and answered in writing; 01/TB-TCD",
    ),
    (
        "9",
        "20/11/2026",
        "Hoàng Thị Bí Mật Zyx, Thôn Bắc",
        "037199012345",
        "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất đai.",
        "Denunciation\n1 person",
        "",
        "",
        "",
        "Thanh tra tỉnh Ninh Bình, 20/PC-TCD",
        "",
        "",
    ),
]
MASKED_EN = (
    "9",
    "20/11/2026",
    "Protected identity",
    "",
    "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất đai.",
    "Denunciation\n1 person",
    "",
    "",
    "",
    "Thanh tra tỉnh Ninh Bình, 20/PC-TCD",
    "",
    "",
)

BOOK_VI = [
    (
        "1",
        "02/11/2026",
        "Nguyễn Văn An, Thôn Đông, xã Khánh Thiện",
        "037090001234",
        "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
        "Khiếu nại\n1 người",
        "UBND huyện Yên Khánh (cũ) đã giải quyết lần đầu",
        "x",
        "",
        "",
        "Đã thông báo thụ lý giải quyết ngày 20/11/2026",
        "",
    ),
    (
        "2",
        "02/11/2026",
        "Trịnh Thị Lan, Thôn Tây",
        "037190005555",
        "Khiếu nại bản án dân sự sơ thẩm về chia thừa kế.",
        "Khiếu nại\n1 người",
        "Tòa án nhân dân huyện Yên Khánh đã xét xử sơ thẩm",
        "",
        "Tòa án nhân dân khu vực 5 - Ninh Bình, 05/HD-TCD",
        "",
        "",
        "",
    ),
    (
        "3",
        "05/11/2026",
        "Lê Thị Hoa, Thôn Bắc",
        "037185004321",
        "Kiến nghị xem xét chế độ trợ cấp cho người có công.",
        "Kiến nghị\n1 người",
        "",
        "",
        "",
        "Sở Nội vụ tỉnh Ninh Bình, 12/PC-TCD",
        "",
        "",
    ),
    (
        "4",
        "05/11/2026",
        "Phạm Văn Bình, Xóm 3",
        "",
        "Khiếu nại việc chậm giải quyết hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
        "Khiếu nại\n1 người",
        "",
        "",
        "",
        "Chi nhánh Văn phòng đăng ký đất đai Yên Khánh, 08/ĐĐ-TCD",
        "",
        "",
    ),
    (
        "5",
        "10/11/2026",
        "Đỗ Văn Cường, Thôn Nam; Vũ Thị Dung, Thôn Nam",
        "037080001111; 037082002222",
        "Khiếu nại về giá bồi thường khi thu hồi đất làm đường tỉnh 481.",
        "Khiếu nại\n12 người",
        "",
        "x",
        "",
        "",
        "",
        "Đoàn đông người, cử 2 người đại diện",
    ),
    (
        "6",
        "10/11/2026",
        "Ngô Văn Phúc, Thôn Đoài",
        "037075003333",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng. / Kiến nghị sửa chữa đường liên thôn.",
        "Khiếu nại, Kiến nghị\n1 người",
        "",
        "x",
        "",
        "",
        "",
        "",
    ),
    (
        "7",
        "16/11/2026",
        "Bùi Thị Giang, Thôn Tây",
        "",
        "Phản ánh việc đèn chiếu sáng công cộng ở thôn Tây bị hỏng.",
        "Phản ánh\n1 người",
        "",
        "",
        "",
        "",
        "",
        "Trả lời trực tiếp tại buổi tiếp; Đã giải thích, xã sẽ sửa trong tháng 12",
    ),
    (
        "8",
        "16/11/2026",
        "Đinh Văn Hùng, Thôn Đông",
        "037070004444",
        "Tiếp tục khiếu nại tranh chấp ranh giới đất đã được giải quyết.",
        "Khiếu nại\n1 người",
        "",
        "",
        "",
        "",
        "",
        "Cố tình khiếu nại, tố cáo vụ việc đã được giải quyết đúng, đã được trả lời bằng văn bản; 01/TB-TCD",
    ),
    (
        "9",
        "20/11/2026",
        "Hoàng Thị Bí Mật Zyx, Thôn Bắc",
        "037199012345",
        "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất đai.",
        "Tố cáo\n1 người",
        "",
        "",
        "",
        "Thanh tra tỉnh Ninh Bình, 20/PC-TCD",
        "",
        "",
    ),
]
MASKED_VI = (
    "9",
    "20/11/2026",
    "Danh tính được bảo vệ",
    "",
    "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất đai.",
    "Tố cáo\n1 người",
    "",
    "",
    "",
    "Thanh tra tỉnh Ninh Bình, 20/PC-TCD",
    "",
    "",
)
# The book numbers (visit number / year) of the lines, in the order of the book.
BOOK_NUMBERS = ["2/2026", "10/2026", "3/2026", "4/2026", "5/2026", "6/2026", "7/2026", "8/2026", "9/2026"]


@dataclass(frozen=True)
class Layout:
    """The fixed texts of the form in one language."""

    title: str
    period: str
    group: str  # over columns 8–10
    columns: tuple[str, ...]
    protected: str
    book: list[tuple[str, ...]]
    masked: tuple[str, ...]
    sheet: str


EN = Layout(
    title="RECEPTION BOOK",
    period="From 01/11/2026 to 30/11/2026",
    group="Handling",
    columns=(
        "No.",
        "Reception date",
        "Full name and address",
        "ID card or passport number",
        "Content of the case",
        "Petition type / number of people",
        "Agency that has already handled it",
        "Accepted for resolution",
        "Returned and guided",
        "Transferred to the competent body",
        "Follow-up of the result",
        "Notes",
    ),
    protected="Protected identity",
    book=BOOK_EN,
    masked=MASKED_EN,
    sheet="Reception book",
)
VI = Layout(
    title="SỔ TIẾP CÔNG DÂN",
    period="Từ ngày 01/11/2026 đến ngày 30/11/2026",
    group="Hướng xử lý",
    columns=(
        "STT",
        "Ngày tiếp",
        "Họ tên - Địa chỉ",
        "CCCD/CMND/Hộ chiếu của công dân",
        "Nội dung vụ việc",
        "Phân loại đơn/Số người",
        "Cơ quan đã giải quyết",
        "Thụ lý để giải quyết",
        "Trả lại đơn và hướng dẫn",
        "Chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền",
        "Theo dõi kết quả giải quyết",
        "Ghi chú",
    ),
    protected="Danh tính được bảo vệ",
    book=BOOK_VI,
    masked=MASKED_VI,
    sheet="Sổ tiếp công dân",
)
LAYOUTS = {"en": EN, "vi": VI}
UNIT_NAME = "Xã Khánh Thiện"
NUMBER_ROW = tuple(f"({n})" for n in range(1, 13))
# The static prefixes of the checkout's settings, before any test changes them.
SETTINGS_PREFIXES = [prefix for prefix, _path in settings.STATICFILES_DIRS]


def as_clerk(layout: Layout) -> list[tuple[str, ...]]:
    """The book seen by a clerk who did not receive the denouncer: the last line is masked."""
    return [*layout.book[:-1], layout.masked]


# ---- reading the three forms back -----------------------------------------------------------


def squeeze(text: str) -> str:
    """Text without any white space: wrapped lines in a PDF cell compare equal to the typed text."""
    return "".join(text.split())


def selector_table(rows: list[BookRow], protected: str) -> list[tuple[str, ...]]:
    """The selector's rows in the 12 columns. Column 6 keeps the number of people bare (the word
    "people" is the export's), so the expected column 6 is compared through `bare_people`."""
    table = []
    for r in rows:
        if r.masked:
            assert (r.name_address, r.id_number) == ("", "")
        table.append(
            (
                str(r.number),
                r.day.strftime("%d/%m/%Y"),
                protected if r.masked else r.name_address,
                r.id_number,
                r.content,
                ", ".join(r.kinds) + f"\n{r.people}",
                r.earlier_handling,
                "x" if r.accepted else "",
                r.guided,
                r.transferred,
                r.follow_up,
                r.note,
            )
        )
    return table


def bare_people(expected: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    def bare(cell: str) -> str:
        kinds, people = cell.split("\n")
        return f"{kinds}\n{people.split()[0]}"

    return [(*row[:5], bare(row[5]), *row[6:]) for row in expected]


@dataclass
class Sheet:
    cells: dict[tuple[int, int], object]
    merged: set[str]
    sheet: object


def read_xlsx(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 1
    return workbook.active


def xlsx_rows(sheet) -> list[tuple[str, ...]]:
    """The book's lines from row 8 on, as text: the number, the date in dd/mm/yyyy (checking the
    cell is a real date shown so), empty cells as ""."""
    rows = []
    for values in sheet.iter_rows(min_row=8, max_col=12):
        cells = []
        for cell in values:
            value = cell.value
            if cell.column == 1:
                assert isinstance(value, int)
            if cell.column == 2:
                assert isinstance(value, datetime) and cell.number_format.lower() == "dd/mm/yyyy"
                value = value.strftime("%d/%m/%Y")
            cells.append("" if value is None else str(value))
        rows.append(tuple(cells))
    return rows


LABEL = re.compile(r"^\((\d{1,2})\)$")
FOOTER_Y = 30  # points from the bottom: the page number sits below, the table above


@dataclass
class PdfPage:
    head: str  # everything above the row of column numbers, squeezed
    labels: list[int]  # the column numbers found, left to right
    rows: list[tuple[str, ...]]
    footer: str


def read_pdf(data: bytes) -> list[PdfPage]:
    """Each page's text placed by position: the row of column numbers (1)…(12) gives each column's
    place; a line of the table starts where column 1 has its number; a text belongs to the first
    column whose number label starts less than 8 points to its left (cells are left-aligned with a
    1 mm padding, the numbers centred)."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        chunks: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, chunks=chunks):
            if text.strip():
                chunks.append((tm[4], tm[5], text.strip()))

        page.extract_text(visitor_text=visit)
        labels = {int(m.group(1)): (x, y) for x, y, t in chunks if (m := LABEL.match(t))}
        numbers_y = labels[1][1]
        limits = [labels[k][0] + 8 for k in sorted(labels)]

        def column(x: float, limits=limits) -> int:
            return next((k for k, limit in enumerate(limits, start=1) if x < limit), len(limits))

        body = [(x, y, t) for x, y, t in chunks if FOOTER_Y < y < numbers_y - 1]
        tops = sorted({y for x, y, t in body if column(x) == 1 and t.isdigit()}, reverse=True)
        cells: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for x, y, t in body:
            # Above the first number of the page: a line continued from the page before (-1).
            row = max((i for i, top in enumerate(tops) if top >= y - 0.5), default=-1)
            cells.setdefault((row, column(x)), []).append((-y, x, t))
        continued = [-1] if any(row == -1 for row, _c in cells) else []
        rows = [
            tuple(" ".join(t for _y, _x, t in sorted(cells.get((r, c), []))) for c in range(1, 13))
            for r in [*continued, *range(len(tops))]
        ]
        pages.append(
            PdfPage(
                head=squeeze("".join(t for x, y, t in chunks if y > numbers_y + 1)),
                labels=sorted(labels),
                rows=rows,
                footer=" ".join(t for x, y, t in chunks if y <= FOOTER_Y),
            )
        )
    return pages


def assert_same_rows(actual: list[tuple[str, ...]], expected: list[tuple[str, ...]], squeezed=False):
    assert len(actual) == len(expected), [row[:3] for row in actual]
    for number, (got, want) in enumerate(zip(actual, expected, strict=True), start=1):
        assert len(got) == 12
        for col in range(12):
            a, b = (squeeze(got[col]), squeeze(want[col])) if squeezed else (got[col], want[col])
            assert a == b, f"line {number}, column {col + 1}: {got[col]!r} != {want[col]!r}"


# ---- fixtures -------------------------------------------------------------------------------


def render(user, unit_id: int, language: str, first: date = FIRST, last: date = LAST):
    with translation.override(language):
        unit, rows = selectors.book_rows(user, unit_id=unit_id, first=first, last=last)
        xlsx = exports.book_xlsx(unit=unit, rows=rows, first=first, last=last)
        pdf = exports.book_pdf(unit=unit, rows=rows, first=first, last=last)
    return unit, rows, xlsx, pdf


# ---- the selector ---------------------------------------------------------------------------


def test_rows_in_order_numbered_and_limited_to_unit_and_period(book):
    unit, rows = selectors.book_rows(book.clerk2, unit_id=book.desk.unit.pk, first=FIRST, last=LAST)
    assert unit == book.desk.unit
    assert [r.number for r in rows] == list(range(1, 10))
    assert [r.book_number for r in rows] == BOOK_NUMBERS
    v = book.visits
    order = "accepted guided transferred urged crowd multi answered refused protected"
    assert [r.visit_id for r in rows] == [v[name].pk for name in order.split()]
    assert not any(r.masked for r in rows)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_selector_rows_match_the_book(book, language):
    layout = LAYOUTS[language]
    with translation.override(language):
        _unit, rows = selectors.book_rows(book.desk.clerk, unit_id=book.desk.unit.pk, first=FIRST, last=LAST)
    assert_same_rows(selector_table(rows, layout.protected), bare_people(as_clerk(layout)))
    assert [r.people for r in rows] == [1, 1, 1, 1, 12, 1, 1, 1, 1]
    assert [r.masked for r in rows] == [False] * 8 + [True]


def test_book_of_a_unit_out_of_scope_is_not_found(book):
    with pytest.raises(NotFound):
        selectors.book_rows(book.desk.outsider, unit_id=book.desk.unit.pk, first=FIRST, last=LAST)


# ---- the spreadsheet ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "vi"])
def test_xlsx_is_the_form_with_the_book(book, language):
    layout = LAYOUTS[language]
    _unit, _rows, xlsx, _pdf = render(book.desk.clerk, book.desk.unit.pk, language)
    sheet = read_xlsx(xlsx)
    assert sheet.title == layout.sheet
    assert [sheet.cell(row=r, column=1).value for r in (1, 2, 3)] == [UNIT_NAME, layout.title, layout.period]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:L1", "A2:L2", "A3:L3", "H5:J5"} <= merged
    # Columns 1–7, 11 and 12 span both title rows; 8–10 sit under the group title.
    assert {f"{c}5:{c}6" for c in "ABCDEFGKL"} <= merged
    assert sheet.cell(row=2, column=1).font.bold
    titles = [sheet.cell(row=5, column=c).value for c in range(1, 13)]
    assert titles == [*layout.columns[:7], layout.group, None, None, *layout.columns[10:]]
    assert [sheet.cell(row=6, column=c).value for c in (8, 9, 10)] == list(layout.columns[7:10])
    assert tuple(sheet.cell(row=7, column=c).value for c in range(1, 13)) == NUMBER_ROW
    assert_same_rows(xlsx_rows(sheet), as_clerk(layout))
    # The masked line joins columns 3 and 4; no other line does.
    assert "C16:D16" in merged
    assert not {f"C{r}:D{r}" for r in range(8, 16)} & merged
    # Printing: A4 landscape, one page wide, rows 5–7 repeated on every page, text wrapped.
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$5:$7"
    assert sheet.freeze_panes == "A8"
    assert all(sheet.cell(row=8, column=c).alignment.wrap_text for c in (3, 5, 6, 9, 10, 11, 12))
    assert all(sheet.cell(row=5, column=c).alignment.wrap_text for c in (1, 2, 3, 4, 5, 6, 7, 8, 11, 12))
    assert all(sheet.cell(row=6, column=c).alignment.wrap_text for c in (8, 9, 10))
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"]
    assert all(w >= 5 for w in widths) and widths[4] == max(widths)  # the content is the widest


# ---- the PDF --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "vi"])
def test_pdf_is_the_form_with_the_book(book, language):
    layout = LAYOUTS[language]
    _unit, _rows, _xlsx, pdf = render(book.desk.clerk, book.desk.unit.pk, language)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    fonts = {str(f) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts
    names = [str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert all("BeVietnamPro" in name for name in names), names
    pages = read_pdf(pdf)
    first = pages[0].head
    for text in (UNIT_NAME, layout.title, layout.period):
        assert squeeze(text) in first
    for page in pages:
        assert page.labels == list(range(1, 13))
        for title in (*layout.columns, layout.group):
            assert squeeze(title) in page.head
    assert_same_rows([row for page in pages for row in page.rows], as_clerk(layout), squeezed=True)
    assert pages[-1].footer == f"{len(pages)}/{len(pages)}"


def long_rows(n: int) -> list[BookRow]:
    return [
        BookRow(
            number=i,
            day=date(2026, 11, 1 + i % 28),
            name_address=f"Người thứ {i}, Thôn Đông",
            id_number=f"0370900{i:05d}",
            content="Khiếu nại việc thu hồi đất nông nghiệp, bồi thường chưa thỏa đáng. " * (1 + i % 3),
            kinds=["Khiếu nại"],
            people=1,
            earlier_handling="",
            accepted=i % 2 == 0,
            guided="",
            transferred="",
            follow_up="",
            note="",
            visit_id=i,
            book_number=f"{i}/2026",
            masked=False,
        )
        for i in range(1, n + 1)
    ]


def test_pdf_repeats_the_column_titles_on_every_page_and_never_splits_a_line(tree):
    rows = long_rows(60)
    with translation.override("vi"):
        pdf = exports.book_pdf(unit=tree.n, rows=rows, first=FIRST, last=LAST)
    pages = read_pdf(pdf)
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert page.labels == list(range(1, 13))
        assert squeeze("Nội dung vụ việc") in page.head and squeeze("Hướng xử lý") in page.head
        assert (squeeze("SỔ TIẾP CÔNG DÂN") in page.head) is (number == 1)
        assert page.footer == f"{number}/{len(pages)}"
    found = [row for page in pages for row in page.rows]
    assert [row[0] for row in found] == [str(i) for i in range(1, 61)]
    assert [squeeze(row[3]) for row in found] == [f"0370900{i:05d}" for i in range(1, 61)]
    assert [row[7] for row in found] == ["x" if i % 2 == 0 else "" for i in range(1, 61)]


def test_a_line_longer_than_a_page_continues_on_the_next_pages(tree):
    """fpdf2 never splits a table row across pages: the exporter cuts a too long line into
    continuation rows, and every word is printed once, in order."""
    content = " ".join(f"Đoạn {n} của nội dung khiếu nại rất dài." for n in range(1, 500))
    long_row = BookRow(**{**long_rows(1)[0].__dict__, "content": content, "note": "Ghi chú cuối"})
    short_row = long_rows(2)[1]
    with translation.override("en"):
        pdf = exports.book_pdf(unit=tree.n, rows=[long_row, short_row], first=FIRST, last=LAST)
    pages = read_pdf(pdf)
    assert len(pages) > 3
    assert all(page.labels == list(range(1, 13)) for page in pages)
    lines: list[tuple[str, ...]] = []
    for row in (row for page in pages for row in page.rows):
        if row[0] == "" and lines:  # a continuation: glue it to its line
            lines[-1] = tuple(f"{a} {b}".strip() for a, b in zip(lines[-1], row, strict=True))
        else:
            lines.append(row)
    assert [line[0] for line in lines] == ["1", "2"]
    assert squeeze(lines[0][4]) == squeeze(content)
    assert (squeeze(lines[0][3]), lines[0][11]) == ("037090000001", "Ghi chú cuối")
    assert squeeze(lines[1][4]) == squeeze(short_row.content)


def test_control_characters_in_a_record_do_not_break_the_files(tree):
    row = BookRow(**{**long_rows(1)[0].__dict__, "content": "Nội dung\x01 lạ\x0b", "note": "\x1f"})
    with translation.override("vi"):
        sheet = read_xlsx(exports.book_xlsx(unit=tree.n, rows=[row], first=FIRST, last=LAST))
        pdf = exports.book_pdf(unit=tree.n, rows=[row], first=FIRST, last=LAST)
    assert (sheet["E8"].value, sheet["L8"].value) == ("Nội dung lạ", None)
    assert read_pdf(pdf)[0].rows[0][0] == "1"


def test_empty_book(tree):
    with translation.override("en"):
        xlsx = exports.book_xlsx(unit=tree.n, rows=[], first=FIRST, last=LAST)
        pdf = exports.book_pdf(unit=tree.n, rows=[], first=FIRST, last=LAST)
    sheet = read_xlsx(xlsx)
    assert sheet.max_row == 7 and xlsx_rows(sheet) == []
    (page,) = read_pdf(pdf)
    assert page.rows == [] and page.labels == list(range(1, 13))


# ---- the protected visitor ------------------------------------------------------------------


def identity_views(actor) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="reception.identity_view", actor=actor))


def test_protected_visitor_masked_for_another_clerk_and_nothing_logged(book):
    _unit, rows, xlsx, pdf = render(book.desk.clerk, book.desk.unit.pk, "en")
    assert rows[-1].masked
    assert identity_views(book.desk.clerk) == []
    # Not in the spreadsheet's XML nor anywhere in the PDF's text.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        xml = html.unescape("".join(archive.read(name).decode() for name in archive.namelist()))
    assert PLANTED_NAME not in xml and PLANTED_ID not in xml
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert squeeze(PLANTED_NAME) not in squeeze(text) and PLANTED_ID not in text


@pytest.mark.parametrize("language", ["en", "vi"])
def test_protected_visitor_shown_to_the_clerk_who_received_them_and_logged(book, language):
    layout = LAYOUTS[language]
    _unit, rows, xlsx, pdf = render(book.clerk2, book.desk.unit.pk, language)
    assert not rows[-1].masked
    assert_same_rows(selector_table(rows, layout.protected), bare_people(layout.book))
    assert_same_rows(xlsx_rows(read_xlsx(xlsx)), layout.book)
    assert_same_rows([row for page in read_pdf(pdf) for row in page.rows], layout.book, squeezed=True)
    events = identity_views(book.clerk2)
    # One view per rendering of the rows (book_rows was called once).
    assert len(events) == 1
    (event,) = events
    assert event.record_id == str(book.visits["protected"].pk)
    assert event.record_type == "reception.visit"
    assert event.after == {"reason": "reception book"}
    assert event.unit_ref == book.desk.unit.pk
    assert PLANTED_NAME not in str(event.after) and PLANTED_NAME not in event.record_label


@pytest.mark.parametrize("who", ["handler", "committee", "supervisor"])
def test_protected_visitor_masked_for_others_of_the_unit_and_the_supervisor_above(book, who):
    user = getattr(book.desk, who)
    _unit, rows = selectors.book_rows(user, unit_id=book.desk.unit.pk, first=FIRST, last=LAST)
    assert [r.masked for r in rows] == [False] * 8 + [True]
    assert identity_views(user) == []


def test_head_of_the_unit_sees_the_protected_visitor_and_is_logged(book):
    _unit, rows = selectors.book_rows(book.desk.leader, unit_id=book.desk.unit.pk, first=FIRST, last=LAST)
    assert not rows[-1].masked and rows[-1].name_address == "Hoàng Thị Bí Mật Zyx, Thôn Bắc"
    assert [e.record_id for e in identity_views(book.desk.leader)] == [str(book.visits["protected"].pk)]


def test_a_book_without_the_protected_visit_logs_nothing(book):
    selectors.book_rows(book.clerk2, unit_id=book.desk.unit.pk, first=FIRST, last=date(2026, 11, 19))
    assert identity_views(book.clerk2) == []


# ---- the period -----------------------------------------------------------------------------


def test_period_filter_renumbers_the_lines(book):
    first, last = date(2026, 11, 5), date(2026, 11, 16)
    expected = [(str(n), *line[1:]) for n, line in enumerate(BOOK_EN[2:8], start=1)]
    _unit, rows, xlsx, pdf = render(book.desk.clerk, book.desk.unit.pk, "en", first, last)
    assert [r.book_number for r in rows] == ["3/2026", "4/2026", "5/2026", "6/2026", "7/2026", "8/2026"]
    assert_same_rows(selector_table(rows, EN.protected), bare_people(expected))
    sheet = read_xlsx(xlsx)
    assert sheet.cell(row=3, column=1).value == "From 05/11/2026 to 16/11/2026"
    assert_same_rows(xlsx_rows(sheet), expected)
    pages = read_pdf(pdf)
    assert squeeze("From 05/11/2026 to 16/11/2026") in pages[0].head
    assert_same_rows([row for page in pages for row in page.rows], expected, squeezed=True)


def test_one_day_and_an_empty_period(book):
    day = date(2026, 11, 2)
    _unit, rows = selectors.book_rows(book.desk.clerk, unit_id=book.desk.unit.pk, first=day, last=day)
    assert [(r.number, r.book_number) for r in rows] == [(1, "2/2026"), (2, "10/2026")]
    _unit, rows = selectors.book_rows(
        book.desk.clerk, unit_id=book.desk.unit.pk, first=date(2026, 11, 21), last=date(2026, 11, 26)
    )
    assert rows == []
    _unit, rows = selectors.book_rows(
        book.desk.clerk, unit_id=book.desk.unit.pk, first=date(2026, 10, 1), last=date(2026, 10, 31)
    )
    assert [r.book_number for r in rows] == ["1/2026"]


# ---- the font -------------------------------------------------------------------------------


def test_font_found_after_collectstatic_without_node_modules(settings, tmp_path, tree):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.STATICFILES_DIRS = [
        (prefix, path) for prefix, path in settings.STATICFILES_DIRS if prefix != fonts.FONT_PREFIX
    ]
    assert finders.find(fonts.FONT_FILES[""]) is None
    path = fonts.font_path("")
    assert path.is_relative_to(tmp_path) and path.read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert fonts.font_path("B").name == "BeVietnamPro_700Bold.ttf"
    with translation.override("vi"):
        pdf = exports.book_pdf(unit=tree.n, rows=long_rows(2), first=FIRST, last=LAST)
    assert [row[0] for row in read_pdf(pdf)[0].rows] == ["1", "2"]


def test_missing_font_says_what_to_install(settings, tmp_path, tree):
    settings.STATIC_ROOT = tmp_path / "empty"
    settings.STATICFILES_DIRS = [
        (prefix, path) for prefix, path in settings.STATICFILES_DIRS if prefix != fonts.FONT_PREFIX
    ]
    with pytest.raises(ImproperlyConfigured, match="be-vietnam-pro"):
        exports.book_pdf(unit=tree.n, rows=[], first=FIRST, last=LAST)


def test_settings_map_the_font_package():
    """The settings map the font's npm package into the static files, where the PDF finds it."""
    assert fonts.FONT_PREFIX in SETTINGS_PREFIXES
