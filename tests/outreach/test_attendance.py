"""Attendance lists: read from XLSX or CSV (with or without a BOM, comma or semicolon), headed in
Vietnamese or English, categories as codes or names (case and diacritics ignored), NFD stored as
NFC; every problem reported with its row and column and nothing kept; the list then drives the
counts, typed counts are refused while it is kept, and clearing it returns to typed counts."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import translation
from openpyxl import load_workbook

from danvan.core.errors import DomainError, StaleEdit
from danvan.outreach import attendance, services
from danvan.outreach.models import Activity, Attendee

from .conftest import TODAY, activity_input, counts_of, csv_bytes, record_activity, state, xlsx

VI_HEADER = ["Họ và tên", "Đối tượng", "Đơn vị", "Chức vụ"]
EN_HEADER = ["Full name", "Category", "Unit or organisation", "Position"]
PEOPLE = [
    ["Nguyễn Văn An", "Cán bộ", "UBND xã Khánh Thiện", "Chủ tịch"],
    ["Trần Thị Bình", "Đảng viên", "Chi bộ thôn Đông", ""],
    ["Lê Văn Cường", "party_members", "Chi bộ thôn Tây", ""],
    ["Phạm Thị Dung", "Nhân dân", "Thôn Đông", ""],
    ["Hoàng Văn Em", "ĐOÀN VIÊN", "Chi đoàn thôn Đông", "Bí thư chi đoàn"],
]
EXPECTED = {"cadres": 1, "party_members": 2, "citizens": 1, "union_members": 1}


def problems_of(name: str, data: bytes) -> list[str]:
    with pytest.raises(attendance.ListRefused) as caught:
        attendance.read(name, data)
    return [p.message for p in caught.value.problems]


# ---- reading --------------------------------------------------------------------------------------


def test_xlsx_with_vietnamese_headers():
    read = attendance.read("danh-sach.xlsx", xlsx([VI_HEADER, *PEOPLE]))
    assert [p.full_name for p in read.people] == [row[0] for row in PEOPLE]
    assert [p.category for p in read.people] == [
        "cadres",
        "party_members",
        "party_members",
        "citizens",
        "union_members",
    ]
    assert read.people[0].organisation == "UBND xã Khánh Thiện" and read.people[0].job_title == "Chủ tịch"
    assert [p.number for p in read.people] == [2, 3, 4, 5, 6]


def test_csv_with_a_bom_and_english_headers_and_labels():
    rows = [
        ["Position", "FULL NAME", "category", "Unit or organisation"],
        ["Secretary", "Nguyễn Văn An", "Party members", "Cell 1"],
        ["", "Trần Thị Bình", "mass mobilization cadres", "Committee"],
        ["", "Lê Văn Cường", "Citizens", ""],
    ]
    read = attendance.read("list.csv", csv_bytes(rows, bom=True))
    assert [(p.full_name, p.category, p.organisation, p.job_title) for p in read.people] == [
        ("Nguyễn Văn An", "party_members", "Cell 1", "Secretary"),
        ("Trần Thị Bình", "mm_cadres", "Committee", ""),
        ("Lê Văn Cường", "citizens", "", ""),
    ]


def test_csv_without_a_bom_separated_by_semicolons_with_headers_without_diacritics():
    rows = [["ho va ten", "doi tuong", "don vi"], ["Nguyễn Văn An", "dang vien", "Chi bộ 1"]]
    read = attendance.read("list.csv", csv_bytes(rows, bom=False, delimiter=";"))
    assert [(p.full_name, p.category) for p in read.people] == [("Nguyễn Văn An", "party_members")]


def test_a_title_above_the_header_and_empty_rows_are_skipped():
    data = xlsx(
        [VI_HEADER, PEOPLE[0], [None, None, None, None], PEOPLE[1]],
        title_rows=[["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ"], []],
    )
    read = attendance.read("ds.xlsx", data)
    assert [p.number for p in read.people] == [4, 6]


def test_nfd_input_is_stored_in_nfc(team, tree):
    nfd = [[unicodedata.normalize("NFD", cell) for cell in row] for row in [VI_HEADER, *PEOPLE]]
    activity = record_activity(team.recorder, tree.n)
    services.attendance_import(
        actor=team.recorder,
        activity_id=activity.pk,
        version=activity.version,
        name="nfd.csv",
        data=csv_bytes(nfd),
        today=TODAY,
    )
    stored = list(Attendee.objects.filter(activity=activity).order_by("position"))
    assert [a.full_name for a in stored] == [row[0] for row in PEOPLE]
    assert all(unicodedata.is_normalized("NFC", a.full_name + a.organisation + a.job_title) for a in stored)
    assert stored[0].name_folded == "nguyen van an"


# ---- problems, with row and column ----------------------------------------------------------------


def test_every_row_problem_is_listed_with_row_and_column():
    rows = [
        VI_HEADER,
        ["Nguyễn Văn A", "Cán bộ", "UBND xã X", ""],  # row 2
        ["", "Cán bộ", "UBND xã X", ""],  # row 3: no name
        ["Trần Văn B", "Khách mời", "", ""],  # row 4: unknown category
        ["Lê Thị C", "", "", ""],  # row 5: no category
        ["Phạm Văn D", "Đảng viên", "", ""],  # row 6
        ["nguyen van a", "Đảng viên", "ubnd xa x", ""],  # row 7: repeats row 2
        ["Phạm Văn D", "Nhân dân", "", ""],  # row 8: repeats row 6
    ]
    with translation.override("en"):
        messages = problems_of("ds.xlsx", xlsx(rows))
    assert messages[0] == "Row 3, column “Họ và tên”: the full name is empty."
    assert messages[1].startswith(
        "Row 4, column “Đối tượng”: “Khách mời” is not a category; use one of: Cadres;"
    )
    assert "Association members" in messages[1] and "Not broken down" not in messages[1]
    assert messages[2].startswith("Row 5, column “Đối tượng”: the category is empty")
    assert messages[3] == "Row 7 repeats row 2: nguyen van a (ubnd xa x)."
    assert messages[4] == "Row 8 repeats row 6: Phạm Văn D."
    assert len(messages) == 5


def test_a_value_too_long_is_named():
    rows = [EN_HEADER, ["A" * 201, "Citizens", "", ""]]
    with translation.override("en"):
        assert problems_of("l.csv", csv_bytes(rows)) == ["Row 2, column “Full name”: at most 200 characters."]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.csv", b"", "empty.csv is empty."),
        ("bom.csv", b"\xef\xbb\xbf\r\n \r\n", "bom.csv is empty."),
        ("empty.xlsx", None, "empty.xlsx is empty."),
        ("header.xlsx", xlsx([VI_HEADER]), "header.xlsx has the header row but no one on the list."),
        ("header.csv", csv_bytes([EN_HEADER, ["", "", "", ""]]), "header.csv has the header row but no one"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.pdf is not a spreadsheet"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv is not a spreadsheet"),
        ("letter.docx", None, "letter.docx is not a spreadsheet"),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "old.xls is in the old Excel format",
        ),
        (
            "ansi.csv",
            "Ho va ten,Doi tuong\nNguyen Van An,Cán bo\n".encode("cp1252"),
            "ansi.csv is not in UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_a_list_is_refused(name, data, expected):
    if name == "empty.xlsx":
        data = xlsx([])
    if name == "letter.docx":
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        data = out.getvalue()
    with translation.override("en"):
        messages = problems_of(name, data)
    assert len(messages) == 1 and messages[0].startswith(expected), messages


def test_a_missing_required_column_is_named_in_both_languages():
    with translation.override("en"):
        messages = problems_of("l.csv", csv_bytes([["Họ và tên", "Đơn vị"], ["Nguyễn Văn An", "UBND"]]))
    assert messages == ["Row 1 (the header row) has no column “Đối tượng” or “Category”."]
    with translation.override("en"):
        messages = problems_of("l.csv", csv_bytes([["Tên", "Loại"], ["Nguyễn Văn An", "Cán bộ"]]))
    assert len(messages) == 2 and "“Họ và tên” or “Full name”" in messages[0]


def test_the_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(attendance, "MAX_FILE_BYTES", 100)
    with translation.override("en"):
        assert problems_of("big.csv", b"x" * 101)[0] == (
            "big.csv is larger than 5 MB, the most an attendance list may be."
        )
    monkeypatch.setattr(attendance, "MAX_FILE_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(attendance, "MAX_ROWS", 3)
    rows = [EN_HEADER] + [[f"Người {i}", "Citizens", "", ""] for i in range(4)]
    with translation.override("en"):
        assert problems_of("long.csv", csv_bytes(rows)) == [
            "long.csv has more than 3 people, the most one activity's list may have."
        ]
    assert len(attendance.read("ok.csv", csv_bytes(rows[:4])).people) == 3


def test_the_template_is_headed_in_the_users_language_and_reads_back():
    for language, header in (("vi", VI_HEADER), ("en", EN_HEADER)):
        data = attendance.template_xlsx(language)
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert [c.value for c in sheet[1]] == header
        filled = load_workbook(io.BytesIO(data))
        filled.worksheets[0].append(PEOPLE[0])
        out = io.BytesIO()
        filled.save(out)
        assert [p.category for p in attendance.read("t.xlsx", out.getvalue()).people] == ["cadres"]
    categories = load_workbook(io.BytesIO(attendance.template_xlsx("vi"))).worksheets[1]
    names = [row[0].value for row in categories.iter_rows(min_row=2)]
    assert names[:2] == ["Cán bộ", "Đảng viên"] and len(names) == 7
    assert all(attendance.category_of(name) for name in names)


# ---- the list drives the counts --------------------------------------------------------------------


def _import(actor, activity: Activity, data: bytes, name="ds.xlsx") -> Activity:
    return services.attendance_import(
        actor=actor, activity_id=activity.pk, version=activity.version, name=name, data=data, today=TODAY
    )


def test_an_imported_list_replaces_the_typed_counts(team, tree):
    activity = record_activity(team.recorder, tree.n)
    kept = _import(team.recorder, activity, xlsx([VI_HEADER, *PEOPLE]))
    assert kept.from_attendance and kept.participants_total == 5 and kept.version == activity.version + 1
    assert counts_of(activity) == EXPECTED
    assert list(Attendee.objects.filter(activity=activity).values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    # Imported again, the new list replaces the old one.
    kept = _import(
        team.recorder, kept, csv_bytes([EN_HEADER, ["Một Người", "Citizens", "", ""]]), "again.csv"
    )
    assert Attendee.objects.filter(activity=activity).count() == 1 and counts_of(activity) == {"citizens": 1}


def test_a_list_with_problems_keeps_nothing(team, tree):
    activity = record_activity(team.recorder, tree.n)
    before = state()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        _import(team.recorder, activity, xlsx([VI_HEADER, PEOPLE[0], ["", "Cán bộ", "", ""], PEOPLE[0]]))
    assert state() == before
    assert caught.value.field_messages()["file"] == [
        "Row 3, column “Họ và tên”: the full name is empty.",
        "Row 4 repeats row 2: Nguyễn Văn An (UBND xã Khánh Thiện).",
    ]
    assert caught.value.code == "outreach_attendance_invalid"


def test_typed_rows_report_each_problem_on_its_row(team, tree):
    activity = record_activity(team.recorder, tree.n)
    rows = [
        services.AttendeeInput("Nguyễn Văn An", "cadres", "UBND xã"),
        services.AttendeeInput("", "cadres"),
        services.AttendeeInput("Trần Thị Bình", "visitors"),
        services.AttendeeInput("nguyễn văn an", "citizens", "ubnd xa"),
    ]
    before = state()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.attendance_save(
            actor=team.recorder, activity_id=activity.pk, version=activity.version, rows=rows, today=TODAY
        )
    assert state() == before
    fields = caught.value.field_messages()
    assert set(fields) == {"attendees.1.full_name", "attendees.2.category", "attendees.3.full_name"}
    assert fields["attendees.3.full_name"] == ["Row 4 repeats row 1: nguyễn văn an (ubnd xa)."]
    assert fields["attendees.1.full_name"] == ["Row 2, column “Full name”: the full name is empty."]
    with pytest.raises(DomainError) as caught:
        services.attendance_save(
            actor=team.recorder, activity_id=activity.pk, version=activity.version, rows=[], today=TODAY
        )
    assert "attendees" in caught.value.fields


def test_while_a_list_is_kept_typed_counts_are_refused_then_clearing_returns_to_them(team, tree):
    activity = record_activity(team.recorder, tree.n)
    activity = services.attendance_save(
        actor=team.recorder,
        activity_id=activity.pk,
        version=activity.version,
        rows=[
            services.AttendeeInput("Nguyễn Văn An", "Cán bộ"),
            services.AttendeeInput("Trần Thị Bình", "dang vien"),
        ],
        today=TODAY,
    )
    assert counts_of(activity) == {"cadres": 1, "party_members": 1} and activity.participants_total == 2
    before = state()
    with pytest.raises(DomainError) as caught:
        services.activity_update(
            actor=team.recorder,
            activity_id=activity.pk,
            version=activity.version,
            data=activity_input(tree.n, counts={"cadres": 50}, participants_total=50),
            today=TODAY,
        )
    assert state() == before
    with translation.override("en"):
        assert "attendance list" in caught.value.field_messages()["participants_total"][0]
    # Other changes go through; the counts still follow the list (with the new kind and day).
    activity = services.activity_update(
        actor=team.recorder,
        activity_id=activity.pk,
        version=activity.version,
        data=activity_input(tree.n, kind="training", counts={}, participants_total=None),
        today=TODAY,
    )
    assert activity.from_attendance and activity.participants_total == 2
    assert set(activity.participations.values_list("kind", flat=True)) == {"training"}

    activity = services.attendance_clear(
        actor=team.recorder, activity_id=activity.pk, version=activity.version, today=TODAY
    )
    assert not activity.from_attendance and Attendee.objects.filter(activity=activity).count() == 0
    assert counts_of(activity) == {"cadres": 1, "party_members": 1} and activity.participants_total == 2
    activity = services.activity_update(
        actor=team.recorder,
        activity_id=activity.pk,
        version=activity.version,
        data=activity_input(tree.n, counts={"cadres": 50}, participants_total=50),
        today=TODAY,
    )
    assert counts_of(activity) == {"cadres": 50}


def test_list_writes_check_the_version(team, tree):
    activity = record_activity(team.recorder, tree.n)
    _import(team.recorder, activity, xlsx([VI_HEADER, *PEOPLE]))
    before = state()
    with pytest.raises(StaleEdit):
        _import(team.recorder, activity, xlsx([VI_HEADER, *PEOPLE]))  # the old version
    with pytest.raises(StaleEdit):
        services.attendance_clear(actor=team.recorder, activity_id=activity.pk, version=0, today=TODAY)
    assert state() == before


class Boom(Exception):
    pass


def test_a_failure_while_keeping_the_list_leaves_nothing(team, tree, monkeypatch):
    activity = record_activity(team.recorder, tree.n)
    before = state()

    def fail(**kwargs):
        assert Attendee.objects.filter(activity=activity).count() == 5
        raise Boom()

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(Boom):
        _import(team.recorder, activity, xlsx([VI_HEADER, *PEOPLE]))
    assert state() == before
