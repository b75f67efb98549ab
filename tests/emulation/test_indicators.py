"""The emulation.* indicators against counts made by hand, through the report engine with a rollup
over the units below the province, in both frames of the unit tree.

Province P, 2024–2025 (the period), made through the services:

  movements: P's own from 01/03/2021 (before the period) · D1 from 01/02/2024 · N from 01/09/2025 ·
             one of the other province from 01/05/2024 (outside P)
  decided commendations, by decision date:
    C1  collective, province certificate            05/03/2024
    C2  individual, province certificate            05/03/2024
    C2  individual, commune certificate             01/06/2024
    C3  group "Tổ hòa giải", district certificate   30/06/2025
    N   individual, commune certificate             10/09/2025
    C1  individual, province certificate            01/12/2023  (before the period)
  not counted: N collective, Prime Minister's certificate of 20/11/2025, revoked · N2 proposed ·
    the agency declined · a commune of the other province decided in 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core import indicators
from danvan.core.errors import NotFound
from danvan.emulation import services
from danvan.emulation.indicators import INDICATORS
from danvan.emulation.models import FORM_LEVELS, Recipient
from danvan.reports import engine
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Cell
from danvan.reports.periods import period_between
from danvan.units.models import Role, RoleScope, UnitLevel

from .conftest import TODAY, F, decide, propose

PERIOD = period_between(date(2024, 1, 1), date(2025, 12, 31))
COLLECTIVE = "emulation.commendations_collective"
INDIVIDUAL = "emulation.commendations_individual"
MOVEMENTS = "emulation.movements"
DISTRICT = {"level": UnitLevel.DISTRICT, "form": F.DISTRICT_PC_CERTIFICATE}
COMMUNE = {"level": UnitLevel.COMMUNE, "form": F.COMMUNE_PC_CERTIFICATE}
PERSON = {"recipient": Recipient.INDIVIDUAL, "person_name": "Người được khen"}


@pytest.fixture
def world(tree, staff, make_user):
    elsewhere = make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE, username="elsewhere")

    def movement(actor, unit, day):
        services.movement_create(
            actor=actor,
            data=services.MovementInput(unit_id=unit.pk, name=f"Phong trào {day}", starts_on=day),
            today=TODAY,
        )

    movement(staff.board, tree.d1, date(2024, 2, 1))
    movement(staff.board, tree.n, date(2025, 9, 1))
    movement(elsewhere, tree.other_province, date(2024, 5, 1))

    def decided(unit, day, actor=staff.chairman, **kwargs):
        return decide(actor, propose(actor, unit, work_to=min(day, date(2023, 12, 31)), **kwargs), day)

    decided(tree.c1, date(2024, 3, 5))
    decided(tree.c2, date(2024, 3, 5), **PERSON)
    decided(tree.c2, date(2024, 6, 1), **PERSON, **COMMUNE)
    decided(tree.c3, date(2025, 6, 30), group_name="Tổ hòa giải", **DISTRICT)
    decided(tree.n, date(2025, 9, 10), **PERSON, **COMMUNE)
    decided(tree.c1, date(2023, 12, 1), **PERSON)
    revoked = decided(
        tree.n,
        date(2025, 11, 20),
        level=UnitLevel.COUNTRY,
        form=F.PRIME_MINISTER_CERTIFICATE,
    )
    services.commendation_revoke(
        actor=staff.chairman, commendation_id=revoked.pk, version=revoked.version, reason="Sai", today=TODAY
    )
    propose(staff.board, tree.n2)
    declined = propose(staff.board, tree.agency)
    services.commendation_decline(
        actor=staff.chairman, commendation_id=declined.pk, version=None, note="Chưa đủ", today=TODAY
    )
    decided(tree.other_commune, date(2024, 9, 9), actor=elsewhere)
    return staff


def compute(user, cells, unit, frame=AS_IT_WAS):
    return engine.compute(user, cells, unit=unit, period=PERIOD, frame=frame, today=TODAY, breakdown=True)


def figures(result, cell: Cell) -> dict[str, tuple]:
    """{unit name: (value, records)} of each row of the rollup that has records, and the total."""
    out = {
        row.unit.name if row.unit_id else "(own)": (row.figures[cell].value, row.figures[cell].records)
        for row in result.rows
        if row.figures[cell].records
    }
    out["total"] = (result.total[cell].value, result.total[cell].records)
    return out


def test_the_three_indicators_are_registered():
    known = indicators.registry()
    for code in (COLLECTIVE, INDIVIDUAL, MOVEMENTS):
        assert known[code] in INDICATORS
    # Every form's level is a value of the "level" dimension; every form is a value of "form".
    assert set(FORM_LEVELS.values()) <= set(known[COLLECTIVE].dimensions["level"])
    assert set(FORM_LEVELS) == set(known[INDIVIDUAL].dimensions["form"])


def test_counts_roll_up_as_it_was(tree, world):
    collective, individual, movements = Cell.of(COLLECTIVE), Cell.of(INDIVIDUAL), Cell.of(MOVEMENTS)
    result = compute(world.chairman, [collective, individual, movements], tree.province)
    assert figures(result, collective) == {
        tree.d1.name: (1, 1),
        tree.d2.name: (1, 1),
        "total": (2, 2),
    }
    assert figures(result, individual) == {
        tree.d1.name: (2, 2),
        tree.n.name: (1, 1),
        "total": (3, 3),
    }
    assert figures(result, movements) == {
        tree.d1.name: (1, 1),
        tree.n.name: (1, 1),
        "total": (2, 2),
    }


def test_counts_roll_up_as_it_is_now(tree, world):
    collective, individual = Cell.of(COLLECTIVE), Cell.of(INDIVIDUAL)
    result = compute(world.chairman, [collective, individual], tree.province, frame=AS_IT_IS)
    assert figures(result, collective) == {tree.n.name: (1, 1), tree.n2.name: (1, 1), "total": (2, 2)}
    assert figures(result, individual) == {tree.n.name: (3, 3), "total": (3, 3)}


@pytest.mark.parametrize(
    ("code", "dimension", "value", "expected"),
    [
        (COLLECTIVE, "level", UnitLevel.PROVINCE, 1),
        (COLLECTIVE, "level", UnitLevel.DISTRICT, 1),
        (COLLECTIVE, "level", UnitLevel.COUNTRY, 0),  # revoked
        (COLLECTIVE, "form", F.DISTRICT_PC_CERTIFICATE, 1),
        (COLLECTIVE, "form", F.PRIME_MINISTER_CERTIFICATE, 0),
        (INDIVIDUAL, "level", UnitLevel.PROVINCE, 1),
        (INDIVIDUAL, "level", UnitLevel.COMMUNE, 2),
        (INDIVIDUAL, "form", F.COMMUNE_PC_CERTIFICATE, 2),
        (INDIVIDUAL, "form", F.PROVINCE_PC_CERTIFICATE, 1),
    ],
)
def test_dimensions(tree, world, code, dimension, value, expected):
    cell = Cell.of(code, {dimension: value})
    result = compute(world.chairman, [cell], tree.province)
    assert result.total[cell].value == expected


def test_a_commune_counts_its_own_and_the_figure_function_agrees(tree, world):
    value = indicators.figure(
        INDIVIDUAL, user=world.chairman, unit_path=tree.d1.path, first=PERIOD.first, last=PERIOD.last
    )
    assert (value.value, value.records) == (2, 2)
    whole = indicators.figure(
        COLLECTIVE, user=world.chairman, unit_path=tree.country.path, first=date(2000, 1, 1), last=TODAY
    )
    assert whole.value == 2  # the chairman sees only P: the other province's is not in reach


def test_a_unit_out_of_reach_cannot_be_reported(tree, world):
    with pytest.raises(NotFound):
        compute(world.commune_board, [Cell.of(COLLECTIVE)], tree.province)
