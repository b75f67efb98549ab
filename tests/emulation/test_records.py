"""The record types of emulation work (`emulation.records`), called directly: movements and
decided commendations — keys and matching, checks, writing a chunk (counted like commendations
decided here), rollback, and exported rows that import again into the same records."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core import records as registry
from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery
from danvan.emulation import records, services
from danvan.emulation.indicators import INDICATORS
from danvan.emulation.models import Commendation, CommendationEvent, Movement

from .conftest import TODAY

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2000, 1, 1), date(2030, 12, 31)
MOVEMENT = "Phong trào thi đua “Dân vận khéo” giai đoạn 2016–2020"


def make_batch(user, code: str) -> ImportBatch:
    return ImportBatch.objects.create(record_type=code, created_by=user, stored_name="t.csv", sha256="0" * 64)


def movement_row(unit, **overrides) -> dict:
    values = {
        "unit": unit,
        "name": MOVEMENT,
        "starts_on": date(2016, 3, 5),
        "ends_on": date(2020, 12, 31),
        "resolution": "25-NQ/TW",
        "description": "Thi đua thực hiện Nghị quyết 25-NQ/TW.\nTrong cả hệ thống chính trị.",
    }
    values.update(overrides)
    return values


def commendation_row(unit, **overrides) -> dict:
    values = {
        "decision_number": "1234/QĐ-UBND",
        "decided_on": date(2019, 3, 5),
        "issuer": "Chủ tịch UBND tỉnh Ninh Bình",
        "issuer_unit": None,
        "level": "province",
        "form": "province_pc_certificate",
        "recipient": "collective",
        "unit": unit,
        "group_name": "",
        "person_name": "",
        "person_position": "",
        "reason": "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
        "movement": "",
        "work_from": date(2016, 1, 1),
        "work_to": date(2018, 12, 31),
    }
    values.update(overrides)
    return values


def individual(unit, **overrides) -> dict:
    values = {
        "recipient": "individual",
        "person_name": "Nguyễn Văn An",
        "person_position": "Trưởng thôn Đông",
    }
    return commendation_row(unit, **{**values, **overrides})


def test_registered():
    for code, record_type in (("movements", records.MOVEMENTS), ("commendations", records.COMMENDATIONS)):
        assert registry.get(code) is record_type
        keys = [c.key for c in record_type.columns]
        assert len(keys) == len(set(keys)) and set(record_type.natural_key) <= set(keys)


# ---- movements ----------------------------------------------------------------------------------


def test_movements_write_existing_export_rollback(staff, tree):
    rows = [
        movement_row(tree.province),
        movement_row(tree.d1, name="Phong trào “Dân vận khéo” huyện", resolution=""),
    ]
    assert [records.MOVEMENTS.check(r) for r in rows] == [{}, {}]
    batch = make_batch(staff.board, "movements")
    assert records.MOVEMENTS.write(staff.board, rows, batch) == 2
    movement = Movement.objects.get(import_batch=batch, unit=tree.province)
    assert (movement.name_folded, movement.resolution.number, movement.unit_path) == (
        "phong trao thi dua “dan van kheo” giai doan 2016–2020",
        "25-NQ/TW",
        tree.province.path,
    )
    keys = [records.MOVEMENTS.key(r) for r in rows]
    typed_otherwise = records.MOVEMENTS.key(movement_row(tree.province, name=MOVEMENT.upper()))
    assert typed_otherwise == keys[0]
    assert records.MOVEMENTS.existing(staff.board, [*keys, (tree.n.pk, "x", date(2020, 1, 1))]) == set(keys)
    exported = list(
        records.MOVEMENTS.export(ExportQuery(staff.board, tree.province, FIRST, date(2020, 12, 31)))
    )
    assert sorted(exported, key=lambda r: r["unit"].pk) == sorted(rows, key=lambda r: r["unit"].pk)
    assert list(records.MOVEMENTS.export(ExportQuery(staff.outsider, tree.province, FIRST, LAST))) == []
    assert records.MOVEMENTS.rollback(staff.board, batch) == 2
    assert not Movement.objects.filter(import_batch=batch).exists()


def test_movement_check_rules(tree):
    with translation.override("en"):
        gone = records.MOVEMENTS.check(movement_row(tree.c1, starts_on=date(2026, 1, 1), ends_on=None))
        assert gone == {"starts_on": "Xã Khánh Thiện did not exist on 01/01/2026."}
        backwards = records.MOVEMENTS.check(movement_row(tree.province, ends_on=date(2015, 1, 1)))
        assert backwards == {"ends_on": "The end date is before the start date."}
        unknown = records.MOVEMENTS.check(movement_row(tree.province, resolution="99-NQ/TW"))
        assert unknown == {"resolution": "No resolution is numbered “99-NQ/TW”."}


def test_a_movement_commended_for_is_not_rolled_back(staff, tree):
    batch = make_batch(staff.board, "movements")
    records.MOVEMENTS.write(staff.board, [movement_row(tree.province)], batch)
    commendations = make_batch(staff.chairman, "commendations")
    row = commendation_row(tree.c1, movement=MOVEMENT.lower())
    assert records.COMMENDATIONS.check(row) == {}
    records.COMMENDATIONS.write(staff.chairman, [row], commendations)
    assert Commendation.objects.get(import_batch=commendations).movement.import_batch == batch
    with pytest.raises(DomainError) as refused:
        records.MOVEMENTS.rollback(staff.board, batch)
    assert refused.value.code == "import.rollback_changed"
    assert Movement.objects.filter(import_batch=batch).exists()


# ---- commendations ------------------------------------------------------------------------------


def test_commendations_are_written_decided_and_counted(staff, tree):
    rows = [
        commendation_row(tree.c1),
        individual(tree.c1),
        commendation_row(tree.c2, group_name="Chi hội Phụ nữ thôn Đông"),
    ]
    assert [records.COMMENDATIONS.check(r) for r in rows] == [{}, {}, {}]
    batch = make_batch(staff.chairman, "commendations")
    assert records.COMMENDATIONS.write(staff.chairman, rows, batch) == 3
    person = Commendation.objects.get(import_batch=batch, recipient="individual")
    assert (person.status, person.person_name, person.person_position, person.recipient_folded) == (
        "decided",
        "Nguyễn Văn An",
        "Trưởng thôn Đông",
        "nguyen van an",
    )
    assert (person.decision_number, person.decided_on, person.issuer, person.unit_path) == (
        "1234/QĐ-UBND",
        date(2019, 3, 5),
        "Chủ tịch UBND tỉnh Ninh Bình",
        tree.c1.path,
    )
    assert list(
        CommendationEvent.objects.filter(commendation=person).values_list("action", "to_status", "on")
    ) == [("decide", "decided", date(2019, 3, 5))]
    group = Commendation.objects.get(import_batch=batch, unit=tree.c2)
    assert group.recipient_folded == "chi hoi phu nu thon dong"
    counted = {i.code: i for i in INDICATORS}
    for code, recipient, count in (
        ("emulation.commendations_collective", "collective", 2),
        ("emulation.commendations_individual", "individual", 1),
    ):
        indicator = counted[code]
        rows_counted = indicator.records(staff.chairman).filter(indicator.where, import_batch=batch)
        assert rows_counted.count() == count
        assert set(rows_counted.values_list("recipient", flat=True)) == {recipient}


def test_commendation_key_and_existing(staff, tree):
    rows = [commendation_row(tree.c1), individual(tree.c1)]
    keys = [records.COMMENDATIONS.key(r) for r in rows]
    assert keys == [
        ("1234/qd-ubnd", date(2019, 3, 5), "xa khanh thien"),
        ("1234/qd-ubnd", date(2019, 3, 5), "nguyen van an"),
    ]
    assert records.COMMENDATIONS.existing(staff.chairman, keys) == set()
    records.COMMENDATIONS.write(staff.chairman, rows[:1], make_batch(staff.chairman, "commendations"))
    typed_otherwise = records.COMMENDATIONS.key(commendation_row(tree.c1, decision_number="1234/qđ-ubnd"))
    assert records.COMMENDATIONS.existing(staff.chairman, [*keys, typed_otherwise]) == {
        keys[0],
        typed_otherwise,
    }


def test_commendation_check(staff, tree):
    with translation.override("en"):
        mismatch = records.COMMENDATIONS.check(commendation_row(tree.c1, level="district"))
        assert "is given at the level" in mismatch["form"]
        nameless = records.COMMENDATIONS.check(individual(tree.c1, person_name=""))
        assert nameless == {"person_name": "Enter the full name of the person commended."}
        person_in_collective = records.COMMENDATIONS.check(commendation_row(tree.c1, person_name="Lê Văn B"))
        assert set(person_in_collective) == {"person_name"}
        future = records.COMMENDATIONS.check(commendation_row(tree.n, decided_on=date(2999, 1, 1)))
        assert "in the future" in future["decided_on"]
        no_district = records.COMMENDATIONS.check(
            commendation_row(
                tree.n,
                level="district",
                form="district_pc_certificate",
                decided_on=date(2026, 1, 5),
                work_to=date(2025, 12, 31),
                work_from=date(2025, 7, 1),
            )
        )
        assert "No unit of the level" in no_district["decided_on"]
        early = records.COMMENDATIONS.check(commendation_row(tree.c1, decided_on=date(2018, 6, 1)))
        assert "before the end of the period of work" in early["decided_on"]
        half = records.COMMENDATIONS.check(commendation_row(tree.c1, work_from=None))
        assert half == {"work_from": "Give both the first and the last day of the period of work."}
        nobody = records.COMMENDATIONS.check(commendation_row(tree.c1, issuer=""))
        assert set(nobody) == {"issuer"}
        no_movement = records.COMMENDATIONS.check(commendation_row(tree.c1, movement="Phong trào không có"))
        assert set(no_movement) == {"movement"}


def test_commendation_export_round_trip_scope_and_rollback(staff, tree):
    rows = [
        commendation_row(tree.c1, issuer_unit=tree.agency, issuer=""),
        individual(tree.c2, work_from=None, work_to=None),
    ]
    batch = make_batch(staff.chairman, "commendations")
    records.COMMENDATIONS.write(staff.chairman, rows, batch)
    exported = list(records.COMMENDATIONS.export(ExportQuery(staff.chairman, tree.province, FIRST, LAST)))
    expected = [{**rows[0], "issuer": tree.agency.name}, rows[1]]
    assert sorted(exported, key=lambda r: r["recipient"]) == expected
    assert list(records.COMMENDATIONS.export(ExportQuery(staff.outsider, tree.province, FIRST, LAST))) == []

    first = Commendation.objects.filter(import_batch=batch).order_by("pk").first()
    services.commendation_revoke(
        actor=staff.chairman, commendation_id=first.pk, version=0, reason="Thành tích không đúng", today=TODAY
    )
    with pytest.raises(DomainError) as refused:
        records.COMMENDATIONS.rollback(staff.chairman, batch)
    assert refused.value.code == "import.rollback_changed"
    assert Commendation.objects.filter(import_batch=batch).count() == 2

    again = make_batch(staff.chairman, "commendations")
    records.COMMENDATIONS.write(staff.chairman, [commendation_row(tree.c3)], again)
    assert records.COMMENDATIONS.rollback(staff.chairman, again) == 1
    assert not Commendation.objects.filter(import_batch=again).exists()
    assert not CommendationEvent.objects.filter(commendation__import_batch=again).exists()
