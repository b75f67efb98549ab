"""The record type of "Dân vận khéo" models (`practices.records`), called directly: keys and
matching, checks, a chunk written with its recognitions (counted like recognitions made here),
rollback, and exported rows that import again into the same records."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core import records as registry
from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery
from danvan.practices import records, services
from danvan.practices.models import Evaluation, PracticeEvent, PracticeModel, PracticeStatus, Recognition

from .conftest import TODAY, details

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2000, 1, 1), date(2030, 12, 31)
NAME = "Mô hình “Dân vận khéo” hiến đất làm đường"


def make_batch(user) -> ImportBatch:
    return ImportBatch.objects.create(
        record_type="practice_models", created_by=user, stored_name="t.xlsx", sha256="0" * 64
    )


def row(unit, **overrides) -> dict:
    values = {
        "unit": unit,
        "kind": "model",
        "name": NAME,
        "field": "economy",
        "registered_on": date(2016, 3, 5),
        "address": "Thôn Đông",
        "carried_out_by": "Chi hội Nông dân thôn Đông",
        "aims": "Vận động nhân dân hiến đất làm đường.",
        "expected_results": "2 km đường bê tông",
        "level": None,
        "decision_number": "",
        "decided_on": None,
    }
    values.update(overrides)
    return values


def commune_and_district(unit) -> list[dict]:
    return [
        row(unit, level="commune", decision_number="12/QĐ-BCĐ", decided_on=date(2016, 11, 20)),
        row(unit, level="district", decision_number="45/QĐ-BCĐ", decided_on=date(2017, 12, 1)),
    ]


def test_registered():
    assert registry.get("practice_models") is records.PRACTICE_MODELS
    keys = [c.key for c in records.PRACTICE_MODELS.columns]
    assert len(keys) == len(set(keys)) and set(records.PRACTICE_MODELS.natural_key) <= set(keys)


def test_a_model_recognised_at_two_levels_is_two_rows(org):
    c1 = org.tree.c1
    rows = commune_and_district(c1)
    assert [records.PRACTICE_MODELS.check(r) for r in rows] == [{}, {}]
    keys = [records.PRACTICE_MODELS.key(r) for r in rows]
    assert keys[0][:3] == keys[1][:3] and keys[0] != keys[1]  # not a repeat of each other
    batch = make_batch(org.c1_leader)
    # Two chunks: the second row adds its recognition to the model the first one made.
    assert records.PRACTICE_MODELS.write(org.c1_leader, rows[:1], batch) == 1
    assert records.PRACTICE_MODELS.write(org.c1_leader, rows[1:], batch) == 0
    model = PracticeModel.objects.get(import_batch=batch)
    assert (model.status, model.level, model.recognised_on, model.year) == (
        PracticeStatus.RECOGNISED,
        "district",
        date(2017, 12, 1),
        2016,
    )
    assert (model.name, model.name_folded, model.unit_path, model.aims) == (
        NAME,
        "mo hinh “dan van kheo” hien dat lam duong",
        c1.path,
        "Vận động nhân dân hiến đất làm đường.",
    )
    recognitions = Recognition.objects.filter(model=model).order_by("decided_on")
    assert [
        (r.level, r.board_unit, r.decision_number, r.unit_path, r.field, r.kind) for r in recognitions
    ] == [
        ("commune", c1, "12/QĐ-BCĐ", c1.path, "economy", "model"),
        ("district", org.tree.d1, "45/QĐ-BCĐ", c1.path, "economy", "model"),
    ]
    assert all(r.evaluation is None for r in recognitions)  # no review was held here
    history = list(PracticeEvent.objects.filter(model=model).values_list("action", "to_status", "level"))
    assert history == [
        ("register", "registered", ""),
        ("recognise", "recognised", "commune"),
        ("recognise", "recognised", "district"),
    ]
    # Every row of a model already here matches it, whatever its level.
    extra = records.PRACTICE_MODELS.key(row(c1, level="province"))
    other = records.PRACTICE_MODELS.key(row(c1, name="Mô hình khác"))
    assert records.PRACTICE_MODELS.existing(org.c1_leader, [*keys, extra, other]) == {*keys, extra}


def test_imported_recognitions_are_counted_by_the_indicator(org):
    from danvan.practices.indicators import INDICATORS

    batch = make_batch(org.c1_leader)
    records.PRACTICE_MODELS.write(org.c1_leader, commune_and_district(org.tree.c1), batch)
    recognised = next(i for i in INDICATORS if i.code == "practices.models_recognised")
    rows = recognised.records(org.province_board).filter(decided_on__year=2016)
    assert rows.count() == 1 and rows.get().model.import_batch == batch


def test_check(org):
    c1, n = org.tree.c1, org.tree.n
    with translation.override("en"):
        late = records.PRACTICE_MODELS.check(
            row(
                n,
                registered_on=date(2026, 1, 5),
                level="district",
                decision_number="1/QĐ",
                decided_on=date(2026, 2, 1),
            )
        )
        assert "the district level ended on 30/06/2025" in late["level"]
        early = records.PRACTICE_MODELS.check(
            row(c1, level="commune", decision_number="1", decided_on=date(2015, 1, 1))
        )
        assert early == {
            "decided_on": "The model was recognised on 01/01/2015, before it was registered (05/03/2016)."
        }
        half = records.PRACTICE_MODELS.check(row(c1, level="commune"))
        assert set(half) == {"decision_number", "decided_on"}
        gone = records.PRACTICE_MODELS.check(row(c1, registered_on=date(2026, 1, 5)))
        assert gone == {"registered_on": "Xã Khánh Thiện did not exist on 05/01/2026."}
        future = records.PRACTICE_MODELS.check(row(n, registered_on=date(2999, 1, 5)))
        assert future == {"registered_on": "The date of registration cannot be after today."}


def test_export_round_trip_and_scope(org):
    c1 = org.tree.c1
    rows = [
        *commune_and_district(c1),
        row(
            c1,
            name="Điển hình “Dân vận khéo” Nguyễn Văn An",
            kind="exemplar_individual",
            field="political_system",
        ),
    ]
    batch = make_batch(org.c1_leader)
    assert records.PRACTICE_MODELS.write(org.c1_leader, rows, batch) == 2
    exported = list(
        records.PRACTICE_MODELS.export(ExportQuery(org.province_board, org.tree.province, FIRST, LAST))
    )
    assert sorted(exported, key=_name_and_level) == sorted(rows, key=_name_and_level)
    assert (
        list(records.PRACTICE_MODELS.export(ExportQuery(org.outsider, org.tree.province, FIRST, LAST))) == []
    )


def test_rollback_removes_the_models_with_their_history_or_refuses(org):
    c1 = org.tree.c1
    batch = make_batch(org.c1_leader)
    records.PRACTICE_MODELS.write(org.c1_leader, commune_and_district(c1), batch)
    model = PracticeModel.objects.get(import_batch=batch)
    assert records.PRACTICE_MODELS.rollback(org.c1_leader, batch) == 1
    assert not PracticeModel.objects.filter(pk=model.pk).exists()
    assert not Recognition.objects.filter(model_id=model.pk).exists()
    assert not Evaluation.objects.filter(model_id=model.pk).exists()

    batch = make_batch(org.n_leader)
    records.PRACTICE_MODELS.write(org.n_leader, [row(org.tree.n, registered_on=date(2026, 1, 15))], batch)
    model = PracticeModel.objects.get(import_batch=batch)
    services.practice_update(
        actor=org.n_leader, practice_id=model.pk, version=0, data=details(name="Tên đã sửa"), today=TODAY
    )
    with pytest.raises(DomainError) as refused:
        records.PRACTICE_MODELS.rollback(org.n_leader, batch)
    assert refused.value.code == "import.rollback_changed"
    assert PracticeModel.objects.filter(pk=model.pk).exists()


def _name_and_level(row) -> tuple[str, str]:
    return row["name"], row["level"] or ""
