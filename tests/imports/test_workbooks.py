"""Templates and exports (`imports.workbooks`): the template's two sheets, its header row mapping
every column of every declared record type, and exports of every kind of value in XLSX and CSV,
scoped to the user and audited."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from danvan.core import records
from danvan.core.errors import NotFound
from danvan.core.models import AuditEvent
from danvan.core.records import Column, RecordType, registry
from danvan.imports import workbooks
from danvan.imports.pipeline import match_columns
from danvan.imports.readers import open_sheet
from danvan.imports.values import parse_cell
from danvan.units.models import Role, RoleScope

DECLARED = list(registry())


def _never(*args, **kwargs):
    raise AssertionError("not called by templates or exports")


def sample_type(rows: list[dict] | None = None, seen: list | None = None) -> RecordType:
    """A record type with a column of every kind, whose export yields `rows` (and notes its query)."""

    def export(query):
        if seen is not None:
            seen.append(query)
        yield from rows or []

    columns = (
        Column("unit", gettext_lazy("Unit"), records.UNIT, required=True, example="Xã Khánh Thiện"),
        Column("day", gettext_lazy("Date received"), records.DATE, required=True, example=date(2016, 3, 5)),
        Column("name", gettext_lazy("Name"), records.TEXT, help=gettext_lazy("The petitioner's name."),
               example="Nguyễn Văn An", max_length=100, sensitive=True),
        Column("content", gettext_lazy("Content"), records.LONG_TEXT, example="Dòng một\nDòng hai"),
        Column("count", gettext_lazy("Number of people"), records.INTEGER, example=3, min_value=1),
        Column("money", gettext_lazy("Money returned"), records.DECIMAL, example=Decimal("12.5")),
        Column("anonymous", gettext_lazy("Anonymous"), records.BOOLEAN, example=False),
        Column("kind", gettext_lazy("Kind"), records.CHOICE, required=True,
               choices={"complaint": gettext_lazy("Complaint"), "denunciation": gettext_lazy("Denunciation")},
               example="complaint"),
        Column("fields", gettext_lazy("Fields"), records.CHOICES,
               choices={"land": gettext_lazy("Land"), "policy": gettext_lazy("Policy")},
               example=["land", "policy"]),
    )  # fmt: skip
    return RecordType(
        code="sample_things",
        label=gettext_lazy("Petitions"),
        columns=columns,
        natural_key=("unit", "day"),
        key=lambda row: (row["unit"], row["day"]),
        existing=_never,
        write=_never,
        rollback=_never,
        export=export,
        action="petition.intake",
        date_column="day",
    )


EN_HEADERS = [
    "Unit",
    "Date received",
    "Name",
    "Content",
    "Number of people",
    "Money returned",
    "Anonymous",
    "Kind",
    "Fields",
]


def saved(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- templates ---------------------------------------------------------------------------------------


def test_template_sheets_headers_marks_and_example_row():
    record_type = sample_type()
    with translation.override("en"):
        book = load_workbook(io.BytesIO(workbooks.template_workbook(record_type, language="en")))
    assert book.sheetnames == ["Petitions", "Allowed values"]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == EN_HEADERS
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    filled = [cell.value for cell in sheet[1] if cell.fill.fgColor.rgb.endswith(workbooks.REQUIRED_FILL)]
    assert filled == ["Unit", "Date received", "Kind"]
    assert sheet.column_dimensions["D"].width >= workbooks.KIND_WIDTHS[records.LONG_TEXT]
    note = sheet["C1"].comment.text
    assert "The petitioner's name." in note and "Optional." in note and "at most 100 characters" in note
    assert "Confidential" in note
    assert "Required." in sheet["A1"].comment.text
    assert "Header in Vietnamese:" in sheet["A1"].comment.text
    example = [cell.value for cell in sheet[2]]
    assert example[0] == "Xã Khánh Thiện"
    assert example[1].date() == date(2016, 3, 5) and sheet["B2"].number_format == workbooks.DATE_FORMAT
    assert example[2:] == ["Nguyễn Văn An", "Dòng một\nDòng hai", 3, 12.5, "No", "Complaint", "Land; Policy"]
    assert sheet.max_row == 2


def test_template_allowed_values_sheet_lists_every_column_and_value():
    record_type = sample_type()
    with translation.override("vi"):  # the active language does not leak into the template's
        book = load_workbook(io.BytesIO(workbooks.template_workbook(record_type, language="en")))
    sheet = book["Allowed values"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:3] == ["Header (Vietnamese)", "Header (English)", "Required"]
    described = [row[1] for row in rows[1:] if row[1]]
    with translation.override("en"):
        assert described == [str(c.label) for c in record_type.columns]
    kind_row = next(i for i, row in enumerate(rows) if row[1] == "Kind")
    assert rows[kind_row][2:4] == ["Yes", "one of the allowed values"]
    assert [row[5:8] for row in rows[kind_row : kind_row + 2]] == [
        ["complaint", "Khiếu nại", "Complaint"],
        ["denunciation", "Tố cáo", "Denunciation"],
    ]
    assert rows[kind_row + 2][1] == "Fields"


def test_template_in_vietnamese_names_the_sheet_and_headers_in_vietnamese():
    record_type = sample_type()
    book = load_workbook(io.BytesIO(workbooks.template_workbook(record_type, language="vi")))
    with translation.override("vi"):
        assert book.sheetnames[0] == str(record_type.label)
        assert [cell.value for cell in book.worksheets[0][1]] == [str(c.label) for c in record_type.columns]
    sheet = book.worksheets[0]
    assert sheet.title == "Đơn thư"
    assert [sheet["A1"].value, sheet["B1"].value, sheet["H1"].value] == ["Đơn vị", "Ngày nhận đơn", "Loại"]
    assert ": Kind" in sheet["H1"].comment.text  # the English header, for a reader of the other language
    assert [sheet["G2"].value, sheet["H2"].value] == ["Không", "Khiếu nại"]  # labels, not codes


def test_sheet_title_is_cut_between_words_and_cleaned():
    long = sample_type()
    long = RecordType(**{**long.__dict__, "label": "Hoạt động tuyên truyền, vận động: nhân dân [2016]"})
    title = workbooks.sheet_title(long)
    assert len(title) <= 31 and title == "Hoạt động tuyên truyền, vận"
    assert ":" not in workbooks.sheet_title(RecordType(**{**long.__dict__, "label": "A: B"}))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", DECLARED)
def test_every_declared_template_maps_every_column_and_its_example_row_parses(tmp_path, code, language):
    record_type = registry()[code]
    path = saved(tmp_path, workbooks.template_workbook(record_type, language=language), f"{code}.xlsx")
    sheet = open_sheet(path, path.name)
    with translation.override("en"):
        matches, unknown, missing = match_columns(record_type, sheet.headers)
    assert (unknown, missing) == ([], [])
    assert [m.column.key for m in matches] == [c.key for c in record_type.columns]
    rows = list(sheet.rows())
    assert len(rows) == 1 and rows[0].problems == []
    for match in matches:
        column = match.column
        cell = rows[0].cells[match.index] if match.index < len(rows[0].cells) else None
        value = parse_cell(column, cell)
        if column.kind == records.UNIT or column.example in (None, "", []):
            continue
        expected = column.example
        if column.kind == records.CHOICES and isinstance(expected, str):
            expected = [expected]
        if column.kind == records.LONG_TEXT:
            value, expected = " ".join(value.split()), " ".join(str(expected).split())
        assert value == expected, column.key


# -- exports -----------------------------------------------------------------------------------------

ROWS = [
    {
        "unit": None,  # set to a Unit in the test
        "day": date(2016, 3, 5),
        "name": "=HYPERLINK(\"http://x\")",
        "content": "Dòng một\nDòng hai",
        "count": 1234,
        "money": Decimal("1234.500"),
        "anonymous": True,
        "kind": "denunciation",
        "fields": ["policy", "land"],
    },
    {"unit": None, "day": date(2016, 3, 6), "name": None, "content": "", "count": None, "money": None,
     "anonymous": None, "kind": "complaint", "fields": []},
]  # fmt: skip


@pytest.fixture
def people(tree, make_user):
    return {
        "leader": make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="leader"),
        "outsider": make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE, username="outsider"),
    }


def _rows(unit) -> list[dict]:
    return [{**row, "unit": unit} for row in ROWS]


def test_export_xlsx_writes_every_kind_as_its_type(tree, people, tmp_path):
    seen: list = []
    record_type = sample_type(_rows(tree.c1), seen)
    out = io.BytesIO()
    with translation.override("en"):
        count = workbooks.export_records(
            people["leader"],
            record_type,
            unit=tree.province,
            first=date(2016, 1, 1),
            last=date(2016, 12, 31),
            fmt="xlsx",
            out=out,
        )
    assert count == 2
    query = seen[0]
    assert (query.user, query.unit, query.first, query.last) == (
        people["leader"],
        tree.province,
        date(2016, 1, 1),
        date(2016, 12, 31),
    )
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.title == "Petitions" and sheet.freeze_panes == "A2"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == EN_HEADERS
    first = values[1]
    assert first[0] == "Xã Khánh Thiện (14800)"
    assert first[1].date() == date(2016, 3, 5) and sheet["B2"].number_format == workbooks.DATE_FORMAT
    assert sheet["C2"].data_type == "s" and first[2] == '=HYPERLINK("http://x")'  # text, not a formula
    assert first[3:] == ["Dòng một\nDòng hai", 1234, 1234.5, "Yes", "Denunciation", "Policy; Land"]
    assert values[2][1:] == [sheet["B3"].value, None, None, None, None, None, "Complaint", None]


def test_export_csv_has_a_bom_commas_and_text_the_parser_reads_back(tree, people):
    record_type = sample_type(_rows(tree.c1))
    out = io.BytesIO()
    with translation.override("en"):
        count = workbooks.export_records(
            people["leader"],
            record_type,
            unit=tree.d1,
            first=date(2016, 1, 1),
            last=date(2016, 12, 31),
            fmt="csv",
            out=out,
        )
    assert count == 2 and not out.closed
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[0][:3] == ["Unit", "Date received", "Name"]
    assert lines[1] == [
        "Xã Khánh Thiện (14800)",
        "05/03/2016",
        '=HYPERLINK("http://x")',
        "Dòng một\nDòng hai",
        "1234",
        "1234.500",
        "Yes",
        "Denunciation",
        "Policy; Land",
    ]
    assert lines[2] == ["Xã Khánh Thiện (14800)", "06/03/2016", "", "", "", "", "", "Complaint", ""]
    with translation.override("en"):
        columns = {c.key: c for c in record_type.columns}
        assert parse_cell(columns["money"], lines[1][5]) == Decimal("1234.5")
        assert parse_cell(columns["fields"], lines[1][8]) == ["policy", "land"]


def test_export_headers_follow_the_active_language(tree, people):
    record_type = sample_type([])
    out = io.BytesIO()
    with translation.override("vi"):
        workbooks.export_records(
            people["leader"], record_type, unit=tree.province, first=date(2016, 1, 1),
            last=date(2016, 12, 31), fmt="csv", out=out,
        )  # fmt: skip
        expected = [str(c.label) for c in record_type.columns]
    header = next(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert header == expected and header[:2] == ["Đơn vị", "Ngày nhận đơn"]


def test_export_records_one_audit_event(tree, people):
    record_type = sample_type(_rows(tree.c1))
    workbooks.export_records(
        people["leader"], record_type, unit=tree.d1, first=date(2016, 1, 1), last=date(2016, 12, 31),
        fmt="xlsx", out=io.BytesIO(),
    )  # fmt: skip
    events = list(AuditEvent.objects.filter(action="records.export"))
    assert len(events) == 1
    event = events[0]
    assert event.actor == people["leader"] and event.record_type == "sample_things"
    assert event.unit_ref == tree.d1.pk and event.unit_path == tree.d1.path
    assert event.after == {"from": "2016-01-01", "to": "2016-12-31", "format": "xlsx", "rows": 2}
    assert tree.d1.name in event.record_label


def test_export_of_a_unit_out_of_scope_is_not_found_and_writes_nothing(tree, people):
    seen: list = []
    record_type = sample_type(_rows(tree.c1), seen)
    out = io.BytesIO()
    with pytest.raises(NotFound):
        workbooks.export_records(
            people["outsider"], record_type, unit=tree.province, first=date(2016, 1, 1),
            last=date(2016, 12, 31), fmt="csv", out=out,
        )  # fmt: skip
    assert out.getvalue() == b"" and seen == []
    assert not AuditEvent.objects.filter(action="records.export").exists()


def test_export_refuses_an_unknown_format(tree, people):
    with pytest.raises(ValueError):
        workbooks.export_records(
            people["leader"], sample_type([]), unit=tree.province, first=date(2016, 1, 1),
            last=date(2016, 12, 31), fmt="pdf", out=io.BytesIO(),
        )  # fmt: skip


def test_export_filename_is_ascii_and_says_what_the_file_holds(tree):
    record_type = sample_type()
    name = workbooks.export_filename(record_type, tree.agency, date(2013, 1, 1), date(2022, 12, 31), "xlsx")
    assert name == "sample-things-37-UBND-2013-01-01-2022-12-31.xlsx"
    assert name.isascii()
    assert (
        workbooks.export_filename(
            registry()["petitions"], tree.province, date(2013, 1, 1), date(2022, 12, 31), "csv"
        )
        == "petitions-37-2013-01-01-2022-12-31.csv"
    )
