"""Uploaded files → header + rows: every format, CSV encodings and delimiters, legacy text, title
rows, merged cells, formulas without values, and the files that must be refused with a clear
message. The files are committed under tests/data/imports/readers (made by make_files.py there)."""

from __future__ import annotations

import datetime as dt
import pathlib
import shutil
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.imports.readers import column_letter, open_sheet

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "imports" / "readers"

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Địa chỉ", "Số tiền", "Ghi chú"]
CELLS = {
    5: [1, "Nguyễn Văn Ánh", dt.date(1980, 5, 17), "Ủy ban nhân dân xã Khánh Thiện", 1500000, "Đường"],
    6: [2, "Trần Thị Hòa", dt.date(1975, 12, 1), "Hòa Bình", 2.5, None],
    8: [3, "Lê Văn Bình", None, "Đường 3/2", 0, "có"],
}
# A CSV carries text: the same table as the spreadsheet program wrote it.
CSV_CELLS = {
    5: ["1", "Nguyễn Văn Ánh", "17/05/1980", "Ủy ban nhân dân xã Khánh Thiện", "1500000", "Đường"],
    6: ["2", "Trần Thị Hòa", "01/12/1975", "Hòa Bình", "2.5", None],
    8: ["3", "Lê Văn Bình", None, "Đường 3/2", "0", "có"],
}
LEGACY_HEADERS = ["STT", "Họ và tên", "Địa chỉ", "Ghi chú"]
LEGACY_CELLS = [
    ["1", "Nguyễn Văn Ánh", "Ủy ban nhân dân xã Khánh Thiện", "Đường"],
    ["2", "Trần Thị Hòa", "Hòa Bình", "Đường"],
]


def read(name: str, **kwargs):
    sheet = open_sheet(DATA / name, name, **kwargs)
    return sheet, list(sheet.rows())


def refused(path: pathlib.Path, name: str | None = None, **kwargs) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as caught:
        open_sheet(path, name or path.name, **kwargs)
    error = caught.value
    with translation.override("en"):
        error.rendered = error.message  # type: ignore[attr-defined]
        error.rendered_fields = error.field_messages()  # type: ignore[attr-defined]
    return error


def test_column_letter():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        column_letter(-1)


@pytest.mark.parametrize(
    ("name", "kind"), [("table.xlsx", "xlsx"), ("table.xls", "xls"), ("table.ods", "ods")]
)
def test_every_workbook_format_reads_the_same_table(name, kind):
    sheet, rows = read(name)
    assert (sheet.format, sheet.encoding, sheet.legacy) == (kind, "", "")
    assert sheet.name == "Đơn thư"
    assert sheet.sheet_names == ["Đơn thư"]
    assert sheet.file_name == name
    # Two title lines (merged) and an empty line above the header; an empty data row is skipped.
    assert sheet.header_row == 4
    assert sheet.headers == HEADERS
    assert {row.number: row.cells for row in rows} == CELLS
    assert all(row.problems == [] for row in rows)
    assert type(rows[0].cells[0]) is int and type(rows[1].cells[4]) is float


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("table.csv", "utf-8"),
        ("table_bom.csv", "utf-8-sig"),
        ("table_utf16.csv", "utf-16"),  # BOM, tab-delimited (Excel's "Unicode text")
        ("table_utf16le.csv", "utf-16"),  # no BOM, semicolons
        ("table_cp1258.csv", "cp1258"),  # Windows-1258 with combining tones, semicolons
    ],
)
def test_csv_encodings_and_delimiters(name, encoding):
    sheet, rows = read(name)
    assert (sheet.format, sheet.encoding, sheet.legacy, sheet.name, sheet.sheet_names) == (
        "csv", encoding, "", "", [""],
    )  # fmt: skip
    assert sheet.header_row == 4
    assert sheet.headers == HEADERS
    assert {row.number: row.cells for row in rows} == CSV_CELLS


def test_csv_quoted_newlines_are_one_record_numbered_by_its_first_line():
    sheet, rows = read("multiline.csv")
    assert sheet.headers == ["Họ và tên", "Nội dung"]
    assert [(row.number, row.cells) for row in rows] == [
        (2, ["Nguyễn Văn Ánh", "Dòng 1\r\nDòng 2\r\nDòng 3"]),
        (6, ["Trần Thị Hòa", 'Có "ngoặc"']),
    ]


@pytest.mark.parametrize(
    ("name", "legacy", "first_row"),
    [("tcvn3.xlsx", "tcvn3", 4), ("vni.xlsx", "vni", 2), ("tcvn3.csv", "tcvn3", 2), ("vni.csv", "vni", 2)],
)
def test_legacy_text_is_converted_in_headers_and_cells(name, legacy, first_row):
    sheet, rows = read(name)
    assert sheet.legacy == legacy
    assert sheet.headers == LEGACY_HEADERS
    assert [row.cells for row in rows] == LEGACY_CELLS
    assert rows[0].number == first_row
    if name.endswith(".csv"):
        assert sheet.encoding == "cp1258"


def test_mixed_legacy_text_is_refused_with_what_to_do():
    error = refused(DATA / "mixed_legacy.xlsx")
    assert error.code == "import.encoding_unknown"
    assert "mixed_legacy.xlsx" in error.rendered
    assert "save the file as Unicode (UTF-8) or convert it with Unikey's converter" in error.rendered.replace(
        "Save", "save"
    )
    assert error.rendered_fields == {"file": [error.rendered]}


@pytest.mark.parametrize(
    ("name", "first", "covered"), [("merged.xlsx", 6, "B6:B8"), ("merged.xls", 2, "B2:B4")]
)
def test_merged_cells_in_the_data_are_problems_on_each_covered_cell(name, first, covered):
    with translation.override("en"):
        sheet, rows = read(name)
    assert sheet.headers == ["STT", "Họ và tên", "Nội dung"]
    by_number = {row.number: row for row in rows}
    assert by_number[first].problems == []
    assert by_number[first].cells == [1, "Nguyễn Văn Ánh", "Đơn 1"]
    for number in (first + 1, first + 2):
        assert by_number[number].cells == [None, None, f"Đơn {number - first + 1}"]
        assert by_number[number].problems == [
            (1, f"Cell B{number} is part of merged cells {covered}: unmerge them and fill in every row.")
        ]
    if name == "merged.xlsx":
        # The merged title above the header is fine; the row after the merge has no problem.
        assert sheet.header_row == 5
        assert by_number[9].problems == []


def test_letterhead_lines_above_the_header_are_passed_over():
    sheet, rows = read("letterhead.xlsx")
    assert sheet.header_row == 6
    assert sheet.headers == ["STT", "Họ và tên", "Địa chỉ", "Nội dung"]
    assert [(row.number, row.cells) for row in rows] == [
        (7, [1, "Nguyễn Văn Ánh", "Hòa Bình", "Đơn kiến nghị"])
    ]


def test_formula_without_a_cached_value_is_a_problem():
    with translation.override("en"):
        sheet, rows = read("formula.xlsx")
    assert sheet.header_row == 4
    assert rows[0].number == 5
    assert rows[0].cells == ["An", 1, 2, None, 10]  # E5's formula has a cached value
    assert rows[0].problems == [
        (
            3,
            "Cell D5 holds a formula whose value was never computed: open the file in a spreadsheet program "
            "and save it, or paste the values.",
        )
    ]
    assert rows[1].problems == []


def test_default_sheet_skips_empty_and_allowed_values_sheets():
    sheet, rows = read("sheets.xlsx")
    assert sheet.name == "Dữ liệu"
    assert sheet.sheet_names == ["Trống", "Giá trị cho phép", "Dữ liệu", "Ghi chú"]
    assert [row.cells for row in rows] == [["Nguyễn Văn Ánh", "Hòa Bình"]]
    chosen, rows = read("sheets.xlsx", sheet="Giá trị cho phép")
    assert chosen.name == "Giá trị cho phép"
    assert chosen.headers == ["Trường", "Giá trị"]


def test_unknown_sheet_names_the_sheets_there_are():
    error = refused(DATA / "sheets.xlsx", sheet="Sheet1")
    assert error.code == "import.unknown_sheet"
    assert error.rendered == (
        'The file sheets.xlsx has no sheet named "Sheet1". Its sheets are: "Trống", "Giá trị cho phép", '
        '"Dữ liệu", "Ghi chú".'
    )
    assert error.fields and error.rendered_fields["file"] == [error.rendered]


def test_chosen_empty_sheet_and_sheet_without_header():
    assert refused(DATA / "sheets.xlsx", sheet="Trống").code == "import.empty_file"
    error = refused(DATA / "sheets.xlsx", sheet="Ghi chú")
    assert error.code == "import.no_header"
    error = refused(DATA / "no_header.xlsx")
    assert error.code == "import.no_header"
    assert error.rendered.startswith('No header row was found in sheet "Số liệu" of no_header.xlsx')
    assert "Put the column names in one row above the data." in error.rendered


@pytest.mark.parametrize("name", ["empty.csv", "blank.csv"])
def test_empty_files(name):
    error = refused(DATA / name)
    assert error.code == "import.empty_file"
    assert error.rendered.startswith(f"The file {name} is empty")


@pytest.mark.parametrize(
    ("name", "what"),
    [("image.xlsx", "a PNG image"), ("image.csv", "a PNG image"), ("letter.xlsx", "a Word document")],
)
def test_files_that_are_not_spreadsheets_say_what_they_are(name, what):
    error = refused(DATA / name)
    assert error.code == "import.not_spreadsheet"
    assert error.rendered.startswith(f"The file {name} is not a spreadsheet: it is {what}.")


def test_binary_data_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 50)
    error = refused(path)
    assert error.code == "import.not_spreadsheet"


def test_truncated_workbook_is_unreadable():
    error = refused(DATA / "truncated.xlsx")
    assert error.code == "import.unreadable"
    assert "truncated.xlsx" in error.rendered and "damaged or incomplete" in error.rendered


def test_workbook_with_broken_xml_is_unreadable(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(DATA / "table.xlsx") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(info.filename, data)
    error = refused(path)
    assert error.code == "import.unreadable"


def test_format_comes_from_the_content_not_the_name(tmp_path):
    path = tmp_path / "upload"
    shutil.copy(DATA / "table.xlsx", path)
    sheet = open_sheet(path, "danh sach.csv")
    assert sheet.format == "xlsx"
    assert sheet.file_name == "danh sach.csv"
    shutil.copy(DATA / "table.csv", path)
    assert open_sheet(path, "danh sach.xlsx").format == "csv"


def test_rows_can_be_read_again():
    sheet = open_sheet(DATA / "table.xlsx", "table.xlsx")
    first = list(sheet.rows())
    assert first and list(sheet.rows()) == first


def test_columns_keep_their_place_when_the_table_does_not_start_in_column_a(tmp_path):
    path = tmp_path / "offset.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws["C3"], ws["D3"] = "Tên", "Tuổi"
    ws["C4"], ws["D4"] = "An", 30
    ws["C5"] = "=1+"  # never computed
    ws["D5"] = 31
    book.save(path)
    with translation.override("en"):
        sheet, rows = read_path(path)
    assert sheet.headers == ["", "", "Tên", "Tuổi"]
    assert sheet.header_row == 3
    assert [(row.number, row.cells) for row in rows] == [
        (4, [None, None, "An", 30]),
        (5, [None, None, None, 31]),
    ]
    assert rows[1].problems[0][0] == 2 and "Cell C5 holds a formula" in rows[1].problems[0][1]


def read_path(path: pathlib.Path):
    sheet = open_sheet(path, path.name)
    return sheet, list(sheet.rows())


def test_csv_header_skips_numeric_rows_and_pads_short_rows(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("Báo cáo quý 1\n2016;2017;2018\nTên;Địa chỉ;Ghi chú\nAn;Hà Nội\n", encoding="utf-8")
    sheet, rows = read_path(path)
    assert sheet.header_row == 3
    assert sheet.headers == ["Tên", "Địa chỉ", "Ghi chú"]
    assert [row.cells for row in rows] == [["An", "Hà Nội", None]]


def test_csv_unclosed_quote_is_unreadable_not_a_crash(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('Tên,Nội dung\nAn,"dài' + "x" * 200_000 + "\n", encoding="utf-8")
    sheet = open_sheet(path, "quote.csv")
    with translation.override("en"), pytest.raises(DomainError) as caught:
        list(sheet.rows())
    assert caught.value.code == "import.unreadable"
    assert "quote.csv" in caught.value.message


def test_invalid_utf8_after_the_sample_is_a_cell_problem(tmp_path):
    path = tmp_path / "late.csv"
    lines = ["Tên,Ghi chú"] + [f"Người {i},ổn" for i in range(8000)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"Cuoi,\xff\xfe\n")
    sheet = open_sheet(path, "late.csv")
    assert sheet.encoding == "utf-8"
    with translation.override("en"):
        last = list(sheet.rows())[-1]
    assert last.number == 8002
    assert last.problems and last.problems[0][0] == 1
    assert "Cell B8002" in last.problems[0][1]


def test_csv_streams_with_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("STT;Họ và tên;Địa chỉ;Nội dung\r\n")
        # Long rows make a large file of few rows: tracemalloc slows every row down.
        filler = "Đơn kiến nghị về việc bồi thường, hỗ trợ khi Nhà nước thu hồi đất " * 6
        for number in range(40_000):
            out.write(f"{number};Nguyễn Văn Ánh {number};Xã Khánh Thiện, tỉnh Ninh Bình;{filler}{number}\r\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        sheet = open_sheet(path, "big.csv")
        count = 0
        last = None
        for row in sheet.rows():
            count += 1
            last = row
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 40_000
    assert last is not None and last.number == 40_001 and last.cells[0] == "39999"
    assert size > 15_000_000
    assert peak < size / 20, (peak, size)
