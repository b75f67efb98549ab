"""Make the small, messy spreadsheets that tests/imports/test_readers.py reads.

Run by hand from the repository root when the files must change; the outputs are committed and the
tests never run this script:

    pip install --target /tmp/xlwt xlwt
    PYTHONPATH=/tmp/xlwt .venv/bin/python tests/data/imports/readers/make_files.py

xlwt writes the .xls files; it is needed here only, not by the project. Legacy text (TCVN3, VNI) is
written as literal code strings hand-encoded from the published tables, so the tests do not check
the converter against itself.
"""

from __future__ import annotations

import codecs
import datetime as dt
import pathlib
import re
import unicodedata
import zipfile
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Font

HERE = pathlib.Path(__file__).resolve().parent

TITLE = "ỦY BAN NHÂN DÂN XÃ KHÁNH THIỆN"
SUBTITLE = "SỔ THEO DÕI ĐƠN THƯ NĂM 2016"
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Địa chỉ", "Số tiền", "Ghi chú"]
# Rows 5, 6, (7 empty), 8 under two title lines and an empty line.
ROWS = [
    [1, "Nguyễn Văn Ánh", dt.date(1980, 5, 17), "Ủy ban nhân dân xã Khánh Thiện", 1500000, "Đường"],
    [2, "Trần Thị Hòa", dt.date(1975, 12, 1), "  Hòa Bình  ", 2.5, None],
    None,
    [3, "Lê Văn Bình", None, "Đường 3/2", 0, "có"],
]

# The same names typed with legacy fonts (hand-encoded).
TCVN3_HEADERS = ["STT", "Hä vµ tªn", "§Þa chØ", "Ghi chó"]
TCVN3_ROWS = [
    ["1", "NguyÔn V¨n ¸nh", "ñy ban nh©n d©n x· Kh¸nh ThiÖn", "§\xadêng"],
    ["2", "TrÇn ThÞ Hßa", "Hßa B×nh", "§\xadêng"],
]
TCVN3_TITLE = "Sæ THEO DâI §¥N TH¦"  # all capitals, drawn with .VnTimeH
VNI_HEADERS = ["STT", "Hoï vaø teân", "Ñòa chæ", "Ghi chuù"]
VNI_ROWS = [
    ["1", "Nguyeãn Vaên Aùnh", "UÛy ban nhaân daân xaõ Khaùnh Thieän", "Ñöôøng"],
    ["2", "Traàn Thò Hoøa", "Hoøa Bình", "Ñöôøng"],
]


def title_rows(ws) -> None:
    ws["A1"] = TITLE
    ws.merge_cells("A1:F1")
    ws["A2"] = SUBTITLE
    ws.merge_cells("A2:F2")


def xlsx_table(path: pathlib.Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đơn thư"
    title_rows(ws)
    for column, header in enumerate(HEADERS, start=1):
        ws.cell(row=4, column=column, value=header)
    for offset, row in enumerate(ROWS):
        for column, value in enumerate(row or [], start=1):
            cell = ws.cell(row=5 + offset, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    wb.save(path)


def xls_table(path: pathlib.Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Đơn thư")
    sheet.write_merge(0, 0, 0, 5, TITLE)
    sheet.write_merge(1, 1, 0, 5, SUBTITLE)
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for column, header in enumerate(HEADERS):
        sheet.write(3, column, header)
    for offset, row in enumerate(ROWS):
        for column, value in enumerate(row or []):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(4 + offset, column, value, date_style)
            else:
                sheet.write(4 + offset, column, value)
    book.save(str(path))


def xls_merged(path: pathlib.Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for column, header in enumerate(["STT", "Họ và tên", "Nội dung"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, 1)
    sheet.write_merge(1, 3, 1, 1, "Nguyễn Văn Ánh")  # B2:B4
    for row, text in ((1, "Đơn 1"), (2, "Đơn 2"), (3, "Đơn 3")):
        sheet.write(row, 2, text)
    book.save(str(path))


def ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{text}"/>'
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def ods_table(path: pathlib.Path) -> None:
    """An ODS built by hand: the mimetype first and stored, a manifest and content.xml."""
    rows = [
        f'<table:table-row><table:table-cell table:number-columns-spanned="6" office:value-type="string">'
        f"<text:p>{TITLE}</text:p></table:table-cell>"
        '<table:covered-table-cell table:number-columns-repeated="5"/></table:table-row>',
        f"<table:table-row>{ods_cell(SUBTITLE)}</table:table-row>",
        "<table:table-row><table:table-cell/></table:table-row>",
        "<table:table-row>" + "".join(ods_cell(h) for h in HEADERS) + "</table:table-row>",
    ]
    for row in ROWS:
        rows.append(
            "<table:table-row>" + "".join(ods_cell(v) for v in (row or [None])) + "</table:table-row>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Đơn thư">'
        '<table:table-column table:number-columns-repeated="6"/>' + "".join(rows) + "</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def csv_text(delimiter: str = ",") -> str:
    """The table as Excel exports it: title lines padded with delimiters, quoted where needed."""
    lines = [TITLE + delimiter * 5, SUBTITLE + delimiter * 5, delimiter * 5, delimiter.join(HEADERS)]
    for row in ROWS:
        values = []
        for value in row or [None] * 6:
            if value is None:
                values.append("")
            elif isinstance(value, dt.date):
                values.append(value.strftime("%d/%m/%Y"))
            else:
                values.append(str(value))
        lines.append(delimiter.join(values))
    return "\r\n".join(lines) + "\r\n"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: a precomposed base letter when the code page has
    it, the tone as a combining mark after it."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def xlsx_merged(path: pathlib.Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "SỔ THEO DÕI ĐƠN THƯ NĂM 2016"
    ws.merge_cells("A1:C2")
    for column, header in enumerate(["STT", "Họ và tên", "Nội dung"], start=1):
        ws.cell(row=5, column=column, value=header)
    ws["A6"], ws["B6"], ws["C6"] = 1, "Nguyễn Văn Ánh", "Đơn 1"
    ws["C7"], ws["C8"] = "Đơn 2", "Đơn 3"
    ws.merge_cells("B6:B8")
    ws["A9"], ws["B9"], ws["C9"] = 2, "Trần Thị Hòa", "Đơn 4"
    wb.save(path)


def xlsx_letterhead(path: pathlib.Path) -> None:
    """An official letterhead above the title and the header: agency left, national motto right."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["D1"] = "ỦY BAN NHÂN DÂN XÃ KHÁNH THIỆN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"], ws["D2"] = "Số: 12/BC-UBND", "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "SỔ THEO DÕI ĐƠN THƯ NĂM 2016"
    ws.merge_cells("A4:D4")
    for column, header in enumerate(["STT", "Họ và tên", "Địa chỉ", "Nội dung"], start=1):
        ws.cell(row=6, column=column, value=header)
    ws.append([1, "Nguyễn Văn Ánh", "Hòa Bình", "Đơn kiến nghị"])
    wb.save(path)


def xlsx_formula(path: pathlib.Path) -> None:
    """D5 holds a formula never computed (openpyxl writes no value); E5's formula gets a cached value
    put into the XML by hand, as Excel would have saved it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tính"
    for column, header in enumerate(["Tên", "Số 1", "Số 2", "Tổng", "Tổng 2"], start=1):
        ws.cell(row=4, column=column, value=header)
    ws["A1"] = "BẢNG TÍNH"
    ws.append(["An", 1, 2, "=B5+C5", "=B5*10"])
    ws.append(["Bình", 3, 4, 7, 30])
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(r"(<c r=\"E5\"[^>]*><f>B5\*10</f>)<v\s*/?>(?:</v>)?", r"\1<v>10</v>", sheet)
    assert count == 1, sheet
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def xlsx_legacy(path: pathlib.Path, headers, rows, font: str, title: str | None = None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    start = 1
    if title:
        ws["A1"] = title
        ws["A1"].font = Font(name=font + "H")
        start = 3
    for column, header in enumerate(headers, start=1):
        ws.cell(row=start, column=column, value=header).font = Font(name=font)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            ws.cell(row=start + offset, column=column, value=value).font = Font(name=font)
    wb.save(path)


def xlsx_sheets(path: pathlib.Path) -> None:
    """An empty first sheet, then the allowed values, then the data."""
    wb = openpyxl.Workbook()
    wb.active.title = "Trống"
    values = wb.create_sheet("Giá trị cho phép")
    values.append(["Trường", "Giá trị"])
    values.append(["Loại đơn", "Khiếu nại"])
    data = wb.create_sheet("Dữ liệu")
    data.append(["Họ và tên", "Địa chỉ"])
    data.append(["Nguyễn Văn Ánh", "Hòa Bình"])
    notes = wb.create_sheet("Ghi chú")
    notes.append(["Chỉ là ghi chú"])
    wb.save(path)


def xlsx_no_header(path: pathlib.Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Báo cáo"])
    for number in range(5):
        ws.append([number, number * 2, number * 3])
    wb.save(path)


def png(path: pathlib.Path) -> None:
    # A 1×1 transparent PNG.
    path.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
        )
    )


def docx(path: pathlib.Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")


def main() -> None:
    xlsx_table(HERE / "table.xlsx")
    xls_table(HERE / "table.xls")
    ods_table(HERE / "table.ods")
    (HERE / "table.csv").write_text(csv_text(","), encoding="utf-8", newline="")
    (HERE / "table_bom.csv").write_bytes(codecs.BOM_UTF8 + csv_text(",").encode("utf-8"))
    (HERE / "table_utf16.csv").write_bytes(csv_text("\t").encode("utf-16"))  # Excel's "Unicode text"
    (HERE / "table_utf16le.csv").write_bytes(csv_text(";").encode("utf-16-le"))  # no byte order mark
    (HERE / "table_cp1258.csv").write_bytes(cp1258(csv_text(";")))
    # A quoted value over three lines: the record after it starts on line 5.
    (HERE / "multiline.csv").write_text(
        'Họ và tên;Nội dung\r\nNguyễn Văn Ánh;"Dòng 1\r\nDòng 2\r\nDòng 3"\r\n\r\n'
        'Trần Thị Hòa;"Có ""ngoặc"""\r\n',
        encoding="utf-8",
        newline="",
    )
    tcvn3_csv = [",".join(TCVN3_HEADERS)] + [",".join(r) for r in TCVN3_ROWS]
    (HERE / "tcvn3.csv").write_bytes(("\r\n".join(tcvn3_csv) + "\r\n").encode("latin-1"))
    vni_csv = [";".join(VNI_HEADERS)] + [";".join(r) for r in VNI_ROWS]
    (HERE / "vni.csv").write_bytes(("\r\n".join(vni_csv) + "\r\n").encode("latin-1"))
    xlsx_legacy(HERE / "tcvn3.xlsx", TCVN3_HEADERS, TCVN3_ROWS, ".VnTime", title=TCVN3_TITLE)
    xlsx_legacy(HERE / "vni.xlsx", VNI_HEADERS, VNI_ROWS, "VNI-Times")
    # Half the names in one font, half in the other: no reading makes sense of the file.
    xlsx_legacy(
        HERE / "mixed_legacy.xlsx", ["STT", "Ho ten", "Dia chi", "Ghi chu"], TCVN3_ROWS + VNI_ROWS, ".VnTime"
    )
    xlsx_merged(HERE / "merged.xlsx")
    xls_merged(HERE / "merged.xls")
    xlsx_formula(HERE / "formula.xlsx")
    xlsx_letterhead(HERE / "letterhead.xlsx")
    xlsx_sheets(HERE / "sheets.xlsx")
    xlsx_no_header(HERE / "no_header.xlsx")
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "blank.csv").write_bytes(b"\r\n;;;\r\n\r\n")
    png(HERE / "image.xlsx")
    png(HERE / "image.csv")
    docx(HERE / "letter.xlsx")
    data = (HERE / "table.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])


if __name__ == "__main__":
    main()
