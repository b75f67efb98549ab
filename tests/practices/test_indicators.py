"""The practices.* indicators over records written out by hand, computed by the report engine
(`reports.engine.compute`) for the province, with its breakdown by the units below it in both
frames (as it was: communes under their districts; as it is: C1 and C2 in N, C3 in N2).

  m1  C1 (district D1)  2024-03-01  model, economy      recognised commune 2024-10-01, district 2025-03-20
  m2  C2 (district D1)  2025-02-01  exemplar (indiv.), culture-society   withdrawn 2025-05-01
  m3  C3 (district D2)  2025-03-01  exemplar (coll.), defence-security
  m4  N                 2026-01-15  model, economy      recognised commune 2026-09-15, province 2026-10-20
  m5  N                 2026-02-01  model, political system
  m6  N2                2026-10-25  model, economy      replica of m4
  m7  N2                2026-10-26  model, economy      replica of m1, withdrawn 2026-10-27
  m9  agency A of P     2026-04-01  model, culture-society
  m8  commune of the other province  2026-03-01  recognised commune 2026-05-10 (never in P's figures)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.core import indicators
from danvan.practices import services
from danvan.reports import engine
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Cell
from danvan.reports.periods import period_parse
from danvan.units.models import Role, RoleScope

from .conftest import TODAY, details, evaluate, recognise, register, report, submit, withdraw

CODES = ("practices.models", "practices.models_recognised", "practices.models_replicated")
MODELS, RECOGNISED, REPLICATED = (Cell.of(code) for code in CODES)


@dataclass
class Book:
    models: dict


def _recognised(model, submitter, board, level, submitted, reviewed, decided):
    submit(model, submitter, level=level, on=submitted)
    evaluate(model, board, on=reviewed)
    recognise(model, board, on=decided)


@pytest.fixture
def book(org) -> Book:
    t = org.tree
    m = {}
    m["m1"] = register(org.c1_leader, t.c1, registered_on=date(2024, 3, 1))
    _recognised(
        m["m1"],
        org.c1_leader,
        org.c1_leader,
        "commune",
        date(2024, 9, 1),
        date(2024, 9, 10),
        date(2024, 10, 1),
    )
    _recognised(
        m["m1"],
        org.c1_leader,
        org.d1_board,
        "district",
        date(2025, 3, 1),
        date(2025, 3, 10),
        date(2025, 3, 20),
    )
    m["m2"] = register(
        org.c2_leader,
        t.c2,
        registered_on=date(2025, 2, 1),
        kind="exemplar_individual",
        field="culture_society",
    )
    withdraw(m["m2"], org.c2_leader, on=date(2025, 5, 1))
    m["m3"] = register(
        org.province_board,
        t.c3,
        registered_on=date(2025, 3, 1),
        kind="exemplar_collective",
        field="defence_security",
    )
    m["m4"] = register(org.n_leader, t.n)
    _recognised(
        m["m4"], org.n_leader, org.n_leader, "commune", date(2026, 9, 1), date(2026, 9, 10), date(2026, 9, 15)
    )
    _recognised(
        m["m4"],
        org.n_leader,
        org.province_board,
        "province",
        date(2026, 10, 1),
        date(2026, 10, 5),
        date(2026, 10, 20),
    )
    m["m5"] = register(org.n_leader, t.n, registered_on=date(2026, 2, 1), field="political_system")
    report(m["m5"], org.n_leader, on=date(2026, 3, 1))
    m["m6"] = services.practice_replicate(
        actor=org.province_board,
        source_id=m["m4"].pk,
        data=details(t.n2, registered_on=date(2026, 10, 25)),
        today=TODAY,
    )
    m["m7"] = services.practice_replicate(
        actor=org.province_board,
        source_id=m["m1"].pk,
        data=details(t.n2, registered_on=date(2026, 10, 26)),
        today=TODAY,
    )
    withdraw(m["m7"], org.province_board, on=date(2026, 10, 27))
    m["m9"] = register(org.province_board, t.agency, registered_on=date(2026, 4, 1), field="culture_society")
    m["m8"] = register(org.outsider, t.other_commune, registered_on=date(2026, 3, 1))
    _recognised(
        m["m8"], org.outsider, org.outsider, "commune", date(2026, 5, 1), date(2026, 5, 5), date(2026, 5, 10)
    )
    return Book(m)


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="boss")


def compute(user, cells, unit, period, frame=AS_IT_WAS, **kwargs):
    return engine.compute(
        user, cells, unit=unit, period=period_parse(period), frame=frame, today=TODAY, **kwargs
    )


def test_the_indicators_are_registered():
    known = indicators.registry()
    assert set(CODES) <= set(known)
    assert set(known["practices.models"].dimensions) == {"field", "kind"}
    assert set(known["practices.models_recognised"].dimensions) == {"field", "level", "kind"}


def test_figures_of_the_province_in_2026(book, boss, tree):
    result = compute(boss, [MODELS, RECOGNISED, REPLICATED], tree.province, "2026")
    # m4, m5, m6, m9 (m7 withdrawn); m4 recognised twice in the year counts once; m6 (m7 withdrawn)
    assert result.value("practices.models") == 4
    assert result.value("practices.models_recognised") == 1
    assert result.value("practices.models_replicated") == 1
    assert result.total[RECOGNISED].records == 2  # the two recognitions behind the one model


@pytest.mark.parametrize(
    ("code", "filters", "expected"),
    [
        ("practices.models", {"field": "economy"}, 2),  # m4, m6
        ("practices.models", {"field": "political_system"}, 1),  # m5
        ("practices.models", {"field": "culture_society"}, 1),  # m9
        ("practices.models", {"field": "defence_security"}, 0),
        ("practices.models", {"kind": "model"}, 4),
        ("practices.models_recognised", {"level": "commune"}, 1),
        ("practices.models_recognised", {"level": "province"}, 1),
        ("practices.models_recognised", {"level": "district"}, 0),
        ("practices.models_recognised", {"field": "economy", "kind": "model"}, 1),
        ("practices.models_replicated", {"field": "economy"}, 1),
    ],
)
def test_dimensions_in_2026(book, boss, tree, code, filters, expected):
    assert compute(boss, [Cell.of(code, filters)], tree.province, "2026").value(code, **filters) == expected


def test_ten_years_with_the_rollup_from_communes_to_the_province(book, boss, tree):
    cells = [
        MODELS,
        RECOGNISED,
        REPLICATED,
        Cell.of("practices.models", {"kind": "exemplar_collective"}),
        Cell.of("practices.models_recognised", {"level": "commune"}),
        Cell.of("practices.models_recognised", {"level": "district"}),
    ]
    result = compute(boss, cells, tree.province, "2017..2026", breakdown=True)
    assert result.value("practices.models") == 6  # m1, m3, m4, m5, m6, m9
    assert result.value("practices.models_recognised") == 2  # m1, m4
    assert result.value("practices.models_replicated") == 1
    assert result.value("practices.models", kind="exemplar_collective") == 1  # m3
    assert result.value("practices.models_recognised", level="commune") == 2
    assert result.value("practices.models_recognised", level="district") == 1
    rows = {row.unit.pk: (row.figures[MODELS].value, row.figures[RECOGNISED].value) for row in result.rows}
    assert rows == {
        tree.d1.pk: (1, 1),  # m1 in C1 (m2 withdrawn)
        tree.d2.pk: (1, 0),  # m3 in C3
        tree.n.pk: (2, 1),  # m4, m5
        tree.n2.pk: (1, 0),  # m6
        tree.agency.pk: (1, 0),  # m9
    }
    # The district's figure is its communes' figures added up.
    district = compute(boss, cells, tree.d1, "2017..2026", breakdown=True)
    assert district.value("practices.models") == 1
    assert {row.unit.pk: row.figures[MODELS].value for row in district.rows} == {tree.c1.pk: 1, tree.c2.pk: 0}


def test_as_it_is_now_the_merged_communes_roll_into_their_successors(book, boss, tree):
    result = compute(
        boss, [MODELS, RECOGNISED, REPLICATED], tree.province, "2017..2026", AS_IT_IS, breakdown=True
    )
    assert result.value("practices.models") == 6
    rows = {row.unit.pk: (row.figures[MODELS].value, row.figures[RECOGNISED].value) for row in result.rows}
    assert rows == {
        tree.n.pk: (3, 2),  # m1 (from C1), m4, m5; m1 and m4 recognised
        tree.n2.pk: (2, 0),  # m3 (from C3), m6
        tree.agency.pk: (1, 0),
    }


def test_a_model_recognised_at_two_levels_in_two_years(book, boss, tree):
    # m1: commune in 2024, district in 2025; one model in the two years together.
    assert compute(boss, [RECOGNISED], tree.province, "2024").value("practices.models_recognised") == 1
    assert compute(boss, [RECOGNISED], tree.province, "2025").value("practices.models_recognised") == 1
    assert compute(boss, [RECOGNISED], tree.province, "2024..2025").value("practices.models_recognised") == 1
    # With the years (the review's trend), the period still counts it once, and each year once.
    for frame in (AS_IT_WAS, AS_IT_IS):
        trend = compute(boss, [RECOGNISED], tree.province, "2024..2025", frame=frame, by_year=True)
        assert trend.total[RECOGNISED].value == 1
        assert {year: figures[RECOGNISED].value for year, figures in trend.years.items()} == {
            2024: 1,
            2025: 1,
        }


def test_figures_are_scoped_to_the_user(book, org, tree):
    first, last = date(2017, 1, 1), date(2026, 12, 31)

    def figure(code, user, unit):
        return indicators.figure(code, user=user, unit_path=unit.path, first=first, last=last).value

    # Commune N's leader reaches N and the communes merged into it (C1, C2), nothing else.
    assert figure("practices.models", org.n_leader, tree.province) == 3  # m1, m4, m5
    assert figure("practices.models", org.n2_leader, tree.province) == 2  # m3, m6
    assert figure("practices.models_recognised", org.outsider, tree.country) == 1  # m8 only
