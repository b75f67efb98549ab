"""The real unit data: one load (a few seconds) checked against what the law and the issue say."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from danvan.core.models import AuditEvent
from danvan.units.loader import units_load
from danvan.units.models import Succession, Unit, UnitLevel, valid_on_q
from danvan.units.selectors import communes_without_default_successor, unit_counts_on, unit_descendants


def _show(code: str, on: str) -> dict:
    out = StringIO()
    call_command("units_show", code, "--on", on, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_units_load_gives_the_tree_before_and_after_1_july_2025():
    result = units_load(actor=None)
    assert result.units_created == Unit.objects.count() > 14000
    assert AuditEvent.objects.filter(action="units.load").count() == 1

    before = unit_counts_on(date(2024, 6, 1))
    assert before[UnitLevel.PROVINCE] == 63
    assert before[UnitLevel.DISTRICT] == 696
    assert before[UnitLevel.COMMUNE] == 10035
    after = unit_counts_on(date(2025, 7, 1))
    assert after[UnitLevel.PROVINCE] == 34
    assert after[UnitLevel.COMMUNE] == 3321
    assert UnitLevel.DISTRICT not in after

    # Ninh Bình on 1 June 2024: its districts, Yên Khánh among them with its 18 communes.
    old = _show("37", "2024-06-01")
    assert old["unit"]["name"] == "Tỉnh Ninh Bình" and old["unit"]["valid_to"] == "2025-06-30"
    districts = {c["name"]: c for c in old["children"]}
    assert "Huyện Yên Khánh" in districts and all(c["level"] == "district" for c in old["children"])
    yen_khanh = _show(districts["Huyện Yên Khánh"]["code"], "2024-06-01")
    assert len(yen_khanh["children"]) == 18
    assert all(c["level"] == "commune" for c in yen_khanh["children"])
    assert [a["name"] for a in yen_khanh["ancestors"]] == ["Việt Nam", "Tỉnh Ninh Bình"]
    assert old["successors"][0]["unit"]["valid_from"] == "2025-07-01"

    # Ninh Bình on 1 July 2025: no district level, 129 communes, three provinces merged into it.
    new = _show("37", "2025-07-01")
    assert new["unit"]["valid_from"] == "2025-07-01"
    assert len(new["children"]) == 129 and {c["level"] for c in new["children"]} == {"commune"}
    assert {p["unit"]["name"] for p in new["predecessors"]} == {
        "Tỉnh Ninh Bình",
        "Tỉnh Hà Nam",
        "Tỉnh Nam Định",
    }

    # Every pre-2025 commune has at least one successor, exactly one of them the default.
    old_communes = Unit.objects.filter(level=UnitLevel.COMMUNE, valid_to=date(2025, 6, 30))
    assert old_communes.count() == 10035
    assert not communes_without_default_successor().exists()
    assert not old_communes.filter(successions_out__isnull=True).exists()
    splits = Succession.objects.filter(kind="split")
    assert splits.exists() and splits.filter(is_default=False).exists()

    # Provinces that came through unchanged stay one unit; districts vanish; island districts
    # became special zones.
    hanoi = Unit.objects.get(code="01", level=UnitLevel.PROVINCE)
    assert (
        hanoi.valid_to is None and unit_descendants(hanoi, date(2025, 7, 1), UnitLevel.COMMUNE).count() == 126
    )
    con_dao = Unit.objects.get(name="Huyện Côn Đảo")
    assert con_dao.successions_out.get().successor.kind == "special_zone"

    # A subtree is one query on the materialised path.
    assert (
        unit_descendants(hanoi, date(2024, 6, 1), UnitLevel.COMMUNE).count()
        == Unit.objects.filter(level=UnitLevel.COMMUNE, parent__parent=hanoi)
        .filter(valid_on_q(date(2024, 6, 1)))
        .count()
    )

    # Loading again changes nothing.
    again = units_load(actor=None)
    assert (again.units_created, again.successions_created) == (0, 0)
    assert AuditEvent.objects.filter(action="units.load").count() == 1
