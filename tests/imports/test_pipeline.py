"""The import pass on its own: column matching, cell problems by row and column, units as of the
record's date, scope, repeats within the file, matching existing records, chunked writes.

A record type made for the test keeps its "records" in a dict, so these tests say what the pipeline
does whatever the app behind a record type does."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from danvan.core import records as registry_module
from danvan.core.records import CHOICE, DATE, INTEGER, TEXT, UNIT, Column, RecordType
from danvan.imports import pipeline
from danvan.units.models import Role, RoleScope

STORE: dict[tuple, dict] = {}


def _key(row):
    return (row["unit"].pk, row["number"])


def _existing(user, keys):
    return {k for k in keys if k in STORE}


def _write(user, rows, batch):
    for row in rows:
        STORE[_key(row)] = dict(row)
    return len(rows)


def _check(row):
    if row["closed_on"] and row["received_on"] and row["closed_on"] < row["received_on"]:
        return {"closed_on": "closed before received"}
    return {}


NOTES = RecordType(
    code="test_notes",
    label="Test notes",
    columns=(
        Column("unit", "Unit", UNIT, required=True, aliases=("Đơn vị nhận",)),
        Column("number", "Number", INTEGER, required=True, aliases=("Số",)),
        Column("received_on", "Received on", DATE, required=True, aliases=("Ngày nhận",)),
        Column("closed_on", "Closed on", DATE),
        Column("kind", "Kind", CHOICE, choices={"complaint": "Complaint", "feedback": "Feedback"}),
        Column("content", "Content", TEXT),
    ),
    natural_key=("unit", "number"),
    key=_key,
    existing=_existing,
    write=_write,
    rollback=lambda user, batch: 0,
    export=lambda query: iter(()),
    action="petition.intake",
    date_column="received_on",
    check=_check,
)


@pytest.fixture
def notes():
    STORE.clear()
    registry_module.registry()
    registry_module._registry[NOTES.code] = NOTES
    yield NOTES
    registry_module._registry.pop(NOTES.code, None)
    STORE.clear()


@pytest.fixture
def clerk(tree, make_user):
    return make_user(Role.CLERK, tree.province, scope=RoleScope.SUBTREE)


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = ["Đơn vị nhận", "Số", "Ngày nhận", "Closed on", "Kind", "Content"]


def run(user, path, **options):
    with translation.override("en"):
        return pipeline.run(user, NOTES, path, path.name, **options)


def test_headers_in_either_language_or_aliases_match_the_columns(notes, clerk, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, ["Xã Khánh Thiện", "1", "05/03/2016", "", "Complaint", "x"]]
    )
    outcome = run(clerk, path)
    assert outcome.ok, outcome.problems
    assert [c["field"] for c in outcome.columns] == [
        "unit",
        "number",
        "received_on",
        "closed_on",
        "kind",
        "content",
    ]
    assert outcome.rows == 1 and outcome.to_create == 1 and outcome.matched == 0


def test_unknown_and_missing_columns_are_named_and_no_row_is_read(notes, clerk, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [["Đơn vị nhận", "Ngày nhận", "Ghi chú riêng"], ["Xã Khánh Thiện", "x", "y"]]
    )
    outcome = run(clerk, path)
    messages = [p.message for p in outcome.problems]
    assert (
        "“Ghi chú riêng” is not a field of test notes: map it to a field, or choose to ignore it." in messages
    )
    assert "The required column “Number” is missing." in messages
    assert outcome.rows == 0
    assert outcome.problems[0].column == "C"


def test_a_mapping_names_columns_and_ignores_others(notes, clerk, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["Nơi nhận", "STT", "Ngày", "Ghi chú riêng"],
            ["Xã Khánh Thiện", "7", "ngày 5 tháng 3 năm 2016", "z"],
        ],
    )
    mapping = {"Nơi nhận": "unit", "STT": "number", "ngay": "received_on", "Ghi chú riêng": ""}
    outcome = run(clerk, path, mapping=mapping)
    assert outcome.ok, outcome.problems
    assert outcome.to_create == 1


def test_every_bad_cell_is_reported_with_its_row_and_column(notes, clerk, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["Xã Khánh Thiện", "1", "31/02/2016", "", "Complaint", ""],
            ["Xã Khánh Thiện", "", "05/03/2016", "", "Denunciation?", ""],
            ["Xã Khánh Thiện", "3", "05/03/2016", "01/03/2016", "", ""],
        ],
    )
    outcome = run(clerk, path)
    found = {(p.row, p.column) for p in outcome.problems}
    assert (2, "C") in found  # an impossible date
    assert (3, "B") in found  # a required value missing
    assert (3, "E") in found  # a value outside the list
    assert (4, "D") in found  # closed before received (the record type's own rule)
    assert outcome.to_create == 0 and outcome.problem_count == 4
    assert (
        next(p for p in outcome.problems if (p.row, p.column) == (3, "B")).message == "A value is required."
    )
    assert (
        next(p for p in outcome.problems if (p.row, p.column) == (4, "D")).message == "closed before received"
    )


def test_units_are_resolved_as_of_the_records_date(notes, clerk, tree, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["Xã Khánh Thiện", "1", "05/03/2016", "", "", ""],
            ["Xã Khánh Thiện", "2", "05/03/2026", "", "", ""],
        ],
    )
    written = []
    outcome = run(clerk, path, write=lambda rows: written.extend(rows) or len(rows))
    assert outcome.ok, outcome.problems
    assert [r["unit"] for r in written] == [tree.c1, tree.n]  # the old commune, then the merged one


def test_a_unit_outside_the_users_scope_is_refused(notes, tree, make_user, tmp_path):
    commune_clerk = make_user(Role.CLERK, tree.c2)
    path = write_csv(tmp_path / "a.csv", [HEADER, ["Xã Khánh Thiện", "1", "05/03/2016", "", "", ""]])
    outcome = run(commune_clerk, path)
    assert outcome.problem_count == 1
    assert outcome.problems[0].message == (
        "You hold no role that lets you import these records for Xã Khánh Thiện."
    )
    assert outcome.problems[0].column == "A"


def test_a_key_repeated_in_the_file_names_the_first_row(notes, clerk, tmp_path):
    row = ["Xã Khánh Thiện", "1", "05/03/2016", "", "", ""]
    path = write_csv(tmp_path / "a.csv", [HEADER, row, row])
    outcome = run(clerk, path)
    assert outcome.problem_count == 1
    assert outcome.problems[0].row == 3
    assert outcome.problems[0].message == "This row repeats row 2 (the same unit, number)."


def test_rows_whose_key_exists_are_matched_not_written_again(notes, clerk, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["Xã Khánh Thiện", "1", "05/03/2016", "", "", ""],
            ["Xã Khánh Thiện", "2", "05/03/2016", "", "", ""],
        ],
    )
    first = run(clerk, path, write=lambda rows: _write(clerk, rows, None))
    assert (first.created, first.matched) == (2, 0)
    again = run(clerk, path, write=lambda rows: _write(clerk, rows, None))
    assert (again.created, again.matched, again.to_create) == (0, 2, 0)
    assert len(STORE) == 2


def test_writes_go_a_chunk_at_a_time_and_stop_after_a_problem(notes, clerk, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK", 10)
    rows = [HEADER] + [["Xã Khánh Thiện", str(i), "05/03/2016", "", "", ""] for i in range(1, 26)]
    rows.append(["Xã Khánh Thiện", "99", "not a date", "", "", ""])
    path = write_csv(tmp_path / "a.csv", rows)
    sizes = []
    outcome = run(clerk, path, write=lambda chunk: sizes.append(len(chunk)) or len(chunk))
    assert sizes == [10, 10]  # the last chunk holds the bad row: nothing of it is written
    assert outcome.problem_count == 1 and not outcome.ok


def test_a_header_without_rows_is_a_problem(notes, clerk, tmp_path):
    outcome = run(clerk, write_csv(tmp_path / "a.csv", [HEADER]))
    assert outcome.problem_count == 1
    assert outcome.problems[0].message.startswith("The file has a header but no rows to import")


def test_the_record_type_is_told_from_the_headers(notes):
    assert pipeline.guess_record_type(HEADER) is NOTES
    assert pipeline.guess_record_type(["Ghi chú", "Khác"]) is None


def test_files_of_the_same_shape_share_a_signature():
    assert pipeline.shape_signature(["Ngày nhận", "Số"]) == pipeline.shape_signature(["SỐ", "ngay nhan"])
    assert pipeline.shape_signature(["Ngày nhận", "Số"]) != pipeline.shape_signature(["Ngày nhận"])
