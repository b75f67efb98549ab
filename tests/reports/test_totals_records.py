"""The "period_totals" record type and `services.period_total_create`: the same checks (English
messages), key and existing, write, rollback (refused after a change), export round trip, scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery, get
from danvan.reports import records, services
from danvan.reports.models import PeriodTotal
from danvan.units.models import Role, RoleScope

D = date
TYPE = records.PERIOD_TOTALS


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="boss")


@pytest.fixture
def batch(boss):
    fields = {f.name for f in ImportBatch._meta.get_fields()}
    values = {"created_by": boss} if "created_by" in fields else {}
    if "record_type" in fields:
        values["record_type"] = "period_totals"
    return ImportBatch.objects.create(**values)


def row(unit, **extra):
    base = {
        "unit": unit,
        "indicator": "reception.visits",
        "year": 2024,
        "first": None,
        "last": None,
        "value": Decimal(12),
        "breakdown": None,
        "note": "Theo báo cáo năm 2024",
    }
    return {**base, **extra}


def test_registered_with_its_columns():
    assert get("period_totals") is TYPE and TYPE.order == 90 and TYPE.action == "report.totals"
    assert "reception.visits" in TYPE.column("indicator").choices
    assert "petitions.carried_over" not in TYPE.column("indicator").choices


def test_check_messages(tree):
    with translation.override("en"):
        assert records.check(row(tree.c1)) == {}
        assert records.check(row(tree.c1, first=D(2024, 1, 1))) == {
            "year": "Give either a year or the first and last day, not both."
        }
        assert records.check(row(tree.c1, year=None, first=D(2024, 1, 1))) == {
            "last": "Give the period: a year, or both the first and the last day."
        }
        assert records.check(row(tree.c1, year=None, first=D(2024, 5, 1), last=D(2024, 4, 1))) == {
            "last": "The last day (01/04/2024) is before the first day (01/05/2024)."
        }
        assert records.check(row(tree.c1, year=2025))["unit"].startswith(
            "Xã Khánh Thiện did not exist during the whole period 01/01/2025–31/12/2025"
        )
        assert records.check(row(tree.c1, value=Decimal("2.5")))["value"].endswith(
            "counts whole numbers: 2.5 is not one."
        )
        assert records.check(row(tree.c1, value=Decimal(-1))) == {"value": "The value cannot be negative."}
        problem = records.check(row(tree.c1, breakdown="way=head"))["breakdown"]
        assert problem == "There is no breakdown “way” for this figure; use one of: by."
        problem = records.check(row(tree.c1, breakdown="by=deputy"))["breakdown"]
        assert problem.startswith("“deputy” is not a value of “by”; use one of: regular (")
        assert records.check(row(tree.c1, indicator="petitions.carried_over")) == {
            "indicator": "“petitions.carried_over” is not a figure that can be entered as a total."
        }
        assert records.check(row(tree.c1, breakdown="by=head")) == {}


def test_key_existing_write_rollback_and_export(tree, boss, batch):
    rows = [
        row(tree.c1),
        row(tree.c2, breakdown="by = head", value=Decimal(3)),
        row(tree.n, year=None, first=D(2025, 7, 1), last=D(2025, 12, 31), note=None),
    ]
    keys = [TYPE.key(r) for r in rows]
    assert keys[1] == (tree.c2.pk, "reception.visits", "by=head", D(2024, 1, 1), D(2024, 12, 31))
    assert TYPE.existing(boss, keys) == set()
    assert TYPE.write(boss, rows, batch) == 3
    assert TYPE.existing(boss, keys) == set(keys)
    made = PeriodTotal.objects.get(unit=tree.c2)
    assert (made.filters, made.value, made.import_batch, made.created_by, made.unit_path) == (
        {"by": "head"},
        Decimal(3),
        batch,
        boss,
        tree.c2.path,
    )
    exported = list(TYPE.export(ExportQuery(boss, tree.province, D(2024, 1, 1), D(2025, 12, 31))))
    assert exported == [
        {**row(tree.c1)},
        {**row(tree.c2, value=Decimal(3), breakdown="by=head")},
        row(tree.n, year=None, first=D(2025, 7, 1), last=D(2025, 12, 31), note=None),
    ]
    assert [TYPE.key(r) for r in exported] == keys
    # rollback: refused once a total was kept, then done
    services.period_total_keep(boss, made.pk, 0)
    with pytest.raises(DomainError) as caught:
        TYPE.rollback(boss, batch)
    assert caught.value.code == "import.rollback_changed"
    assert PeriodTotal.objects.count() == 3
    PeriodTotal.objects.filter(pk=made.pk).update(version=0)
    assert TYPE.rollback(boss, batch) == 3
    assert not PeriodTotal.objects.exists()


def test_export_is_scoped(tree, boss, batch, make_user):
    TYPE.write(boss, [row(tree.c1)], batch)
    stranger = make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE)
    assert list(TYPE.export(ExportQuery(stranger, tree.country, D(2024, 1, 1), D(2024, 12, 31)))) == []
    assert len(list(TYPE.export(ExportQuery(boss, tree.province, D(2024, 1, 1), D(2024, 12, 31))))) == 1


def test_create_checks_like_the_import(tree, boss, make_user):
    kwargs = {
        "unit": tree.c1,
        "indicator": "reception.visits",
        "first": D(2024, 1, 1),
        "last": D(2024, 12, 31),
    }
    made = services.period_total_create(boss, value=Decimal(4), note=" Tổng hợp ", **kwargs)
    assert (made.filters_key, made.note, made.version) == ("", "Tổng hợp", 0)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.period_total_create(boss, value=Decimal(5), **kwargs)
    assert caught.value.fields == {
        "first": "This figure already has a counted total for this unit and period."
    }
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.period_total_create(boss, value=Decimal(5), filters={"by": "nobody"}, **kwargs)
    assert set(caught.value.fields) == {"breakdown"}
    clerk = make_user(Role.CLERK, tree.c1)
    with pytest.raises(DomainError):
        services.period_total_create(clerk, value=Decimal(5), **{**kwargs, "unit": tree.c2})
    assert PeriodTotal.objects.count() == 1
