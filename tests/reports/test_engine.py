"""The report engine (reports.engine) on the small tree of tests/conftest.py, with visits counted by
hand: indicators not available, unknown dimensions, a derived rate, figures by year, the units a
frame refuses (with the units to use instead, in Vietnamese and English), scoping, drill-down,
and a number of SQL queries that does not grow with the number of units.

History (province P = Tỉnh Ninh Bình; communes C1, C2, C3 ended 30/06/2025, C1 and C2 merged into N
and C3 into N2 on 01/07/2025; agency A of the province):

  C1  02/05/2024 regular 1 person · 20/12/2024 regular 1
  C2  03/03/2025 head 3
  C3  30/06/2025 regular 1
  A   01/08/2025 authorised 2
  N2  09/09/2025 regular 1
  ward of another province  05/11/2026 regular 1

November 2026 at N (case letters; "again" is a repeated visit of the case; crowds have 5+ people):
  regular     A 1, A again 1, crowd B 6, crowd B again 5
  head        C 2, C again 1, crowd D 7, crowd D again 8, G 1
  authorised  E 1, E again 1, crowd F 5, crowd F again 5
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core import indicators
from danvan.core.errors import DomainError, NotFound
from danvan.core.indicators import NOT_AVAILABLE, PERCENT, Figure, Indicator, rate
from danvan.reports import engine
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Cell
from danvan.reports.forms import form_for
from danvan.reports.periods import period_between, period_parse
from danvan.units.frames import frame_ensure, frame_mark_stale
from danvan.units.models import Role, RoleScope, Succession, UnitKind

from ..conftest import REFORM, make_unit
from .bulk import VisitRow, visits_bulk

TODAY = date(2026, 11, 27)
D = date
VISITS = Cell.of("reception.visits")
PEOPLE = Cell.of("reception.people")
SESSIONS = Cell.of("reception.sessions")
NOVEMBER = period_parse("2026-11")
YEARS = period_parse("2024..2026")
BY = (None, "regular", "head", "authorised")


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="boss")


@pytest.fixture
def history(tree, boss):
    rows = [
        VisitRow(tree.c1, D(2024, 5, 2)),
        VisitRow(tree.c1, D(2024, 12, 20)),
        VisitRow(tree.c2, D(2025, 3, 3), "head", 3),
        VisitRow(tree.c3, D(2025, 6, 30)),
        VisitRow(tree.agency, D(2025, 8, 1), "authorised", 2),
        VisitRow(tree.n2, D(2025, 9, 9)),
        VisitRow(tree.other_commune, D(2026, 11, 5)),
    ]
    return visits_bulk(rows, by=boss)


@pytest.fixture
def november(tree, boss, history):
    n = tree.n
    rows = [
        VisitRow(n, D(2026, 11, 2), "regular", 1, case="A"),
        VisitRow(n, D(2026, 11, 9), "regular", 1, case="A", repeat=True),
        VisitRow(n, D(2026, 11, 2), "regular", 6, crowd=True, case="B"),
        VisitRow(n, D(2026, 11, 16), "regular", 5, crowd=True, case="B", repeat=True),
        VisitRow(n, D(2026, 11, 10), "head", 2, case="C"),
        VisitRow(n, D(2026, 11, 20), "head", 1, case="C", repeat=True),
        VisitRow(n, D(2026, 11, 10), "head", 7, crowd=True, case="D"),
        VisitRow(n, D(2026, 11, 20), "head", 8, crowd=True, case="D", repeat=True),
        VisitRow(n, D(2026, 11, 20), "head", 1, case="G"),
        VisitRow(n, D(2026, 11, 17), "authorised", 1, case="E"),
        VisitRow(n, D(2026, 11, 24), "authorised", 1, case="E", repeat=True),
        VisitRow(n, D(2026, 11, 17), "authorised", 5, crowd=True, case="F"),
        VisitRow(n, D(2026, 11, 24), "authorised", 5, crowd=True, case="F", repeat=True),
    ]
    return visits_bulk(rows, by=boss, first_number=100)


def compute(user, cells, unit, period=YEARS, frame=AS_IT_WAS, **kwargs):
    return engine.compute(user, cells, unit=unit, period=period, frame=frame, today=TODAY, **kwargs)


# ---- what the engine knows ------------------------------------------------------------------


def test_an_unknown_indicator_is_not_available_never_zero(tree, boss, history):
    unknown = Cell.of("nothing.here")
    result = compute(boss, [unknown, VISITS], tree.province, breakdown=True)
    assert result.total[unknown] is NOT_AVAILABLE
    assert result.value("nothing.here") is None
    assert result.total[VISITS] == Figure(6, 6)  # C1 twice, C2, C3, A, N2; not the other province
    assert result.rows
    assert all(row.figures[unknown] == Figure(None, 0) for row in result.rows)
    with pytest.raises(LookupError):
        engine.records_for(boss, unknown, unit=tree.province, period=YEARS, today=TODAY)


@pytest.mark.parametrize("filters", [{"kind": "regular"}, {"by": "deputy"}, {"by": "Regular"}, {"by": ""}])
def test_an_unknown_dimension_or_value_is_a_lookup_error(tree, boss, filters):
    with pytest.raises(LookupError):
        compute(boss, [Cell.of("reception.visits", filters)], tree.province)
    with pytest.raises(LookupError):
        engine.records_for(
            boss, Cell.of("reception.visits", filters), unit=tree.province, period=YEARS, today=TODAY
        )


def test_cell_keys_read_back():
    cell = Cell.of("reception.visits", {"by": "head", "a": "b"})
    assert cell.key == "reception.visits[a=b,by=head]"
    assert Cell.parse(cell.key) == cell
    assert Cell.parse("reception.visits") == VISITS == Cell("reception.visits")


def test_an_unknown_frame_is_refused(tree, boss):
    with pytest.raises(DomainError) as caught:
        compute(boss, [VISITS], tree.province, frame="as_it_will_be")
    assert caught.value.code == "reports.frame_unknown"
    assert set(caught.value.fields) == {"frame"}


@pytest.fixture
def crowd_share():
    """A rate: the share of visits that were crowds, registered for these tests only."""
    indicators.registry()
    indicator = Indicator(
        code="tests.crowd_share",
        label="Crowd share",
        measure=PERCENT,
        derive=rate("reception.crowds", "reception.visits"),
    )
    indicators.register(indicator)
    yield Cell.of(indicator.code)
    indicators._registry.pop(indicator.code, None)


def test_a_derived_rate(tree, boss, november, crowd_share):
    head = Cell.of(crowd_share.code, {"by": "head"})
    result = compute(boss, [crowd_share, head, VISITS], tree.province, NOVEMBER, breakdown=True)
    # 6 crowds of 13 visits at N; at the head's sessions 2 of 5
    assert result.total[crowd_share] == Figure(_pct(6, 13), 13)
    assert str(result.total[crowd_share].value) == "46.2"
    assert result.total[head] == Figure(_pct(2, 5), 5)
    assert str(result.total[head].value) == "40.0"
    (row,) = result.rows  # only N has records in November in the province
    assert row.unit == tree.n
    assert row.figures[crowd_share] == Figure(_pct(6, 13), 13)
    # the records behind a rate are those of its denominator
    drilled = engine.records_for(boss, head, unit=tree.province, period=NOVEMBER, today=TODAY)
    assert drilled.count() == 5
    # nothing to divide by: not available
    empty = compute(boss, [crowd_share], tree.province, period_parse("2023"))
    assert empty.total[crowd_share] == Figure(None, 0)


def _pct(top: int, bottom: int):
    from decimal import Decimal

    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"))


# ---- years ----------------------------------------------------------------------------------


def test_by_year_adds_up_to_the_total(tree, boss, november):
    result = compute(boss, [VISITS, PEOPLE, SESSIONS], tree.province, by_year=True)
    assert {year: figures[VISITS].value for year, figures in result.years.items()} == {
        2024: 2,
        2025: 4,
        2026: 13,
    }
    assert result.years[2025][PEOPLE] == Figure(3 + 1 + 2 + 1, 4)
    assert result.total[VISITS] == Figure(19, 19)
    for cell in (VISITS, PEOPLE, SESSIONS):
        added = Figure(0, 0)
        for figures in result.years.values():
            added = added + figures[cell]
        assert added == result.total[cell]


def test_a_case_seen_in_two_units_counts_once_in_each_with_or_without_the_breakdown(tree, boss):
    """Distinct cases are counted per unit and added up, so the total does not depend on whether
    the rows below are asked for: case X at C1 in 2024 and again at N in 2026 counts in both."""
    visits_bulk(
        [VisitRow(tree.c1, D(2024, 5, 2), case="X"), VisitRow(tree.n, D(2026, 11, 2), case="X", repeat=True)],
        by=boss,
    )
    cases = Cell.of("reception.cases")
    for frame in (AS_IT_WAS, AS_IT_IS):
        plain = compute(boss, [cases], tree.province, frame=frame).total[cases]
        broken_down = compute(boss, [cases], tree.province, frame=frame, breakdown=True)
        assert plain == broken_down.total[cases] == Figure(2, 2), frame
        assert sum(row.figures[cases].value for row in broken_down.rows) == 2


def test_a_figure_with_a_period_of_its_own_has_no_yearly_split(tree, boss, history):
    carried = Cell.of("petitions.carried_over")
    result = compute(boss, [carried, VISITS], tree.province, by_year=True)
    assert all(figures[carried] is NOT_AVAILABLE for figures in result.years.values())
    assert result.total[carried] == Figure(0, 0)
    assert result.years[2025][VISITS] == Figure(4, 4)


def test_by_year_of_an_inspection_year(tree, boss, history):
    """I2025 is 15/12/2024–14/12/2025: C1's visit of 20/12/2024 is in it, that of 02/05/2024 not."""
    result = compute(boss, [VISITS], tree.province, period_parse("I2025"), by_year=True)
    assert {year: f[VISITS] for year, f in result.years.items()} == {2024: Figure(1, 1), 2025: Figure(4, 4)}
    assert result.total[VISITS] == Figure(5, 5)


def test_a_year_without_records_is_zero(tree, boss, history):
    result = compute(boss, [VISITS], tree.province, period_parse("2020..2021"), by_year=True)
    assert result.years == {2020: {VISITS: Figure(0, 0)}, 2021: {VISITS: Figure(0, 0)}}


# ---- frames ---------------------------------------------------------------------------------


def test_as_it_was_and_as_it_is(tree, boss, november):
    was = compute(boss, [VISITS], tree.province, YEARS, AS_IT_WAS, breakdown=True)
    assert all(row.unit_id is not None for row in was.rows)  # nothing recorded at the province itself
    assert _rows(was) == {
        ("Huyện Yên Khánh", ()): 3,  # C1 twice, C2
        ("Huyện Yên Mô", ()): 1,  # C3
        ("Ủy ban nhân dân tỉnh Ninh Bình", ()): 1,
        ("Xã Khánh Thiện", ()): 13,  # N
        ("Xã Yên Mô", ()): 1,  # N2
    }
    now = compute(boss, [VISITS], tree.province, YEARS, AS_IT_IS, breakdown=True)
    assert now.total == was.total == {VISITS: Figure(19, 19)}
    assert _rows(now) == {
        ("Xã Khánh Thiện", ()): 16,  # N with C1 and C2
        ("Xã Yên Mô", ()): 2,  # N2 with C3
        ("Ủy ban nhân dân tỉnh Ninh Bình", ()): 1,
    }


def _rows(result) -> dict:
    return {
        (row.unit.name, tuple(sorted(row.formerly))): row.figures[VISITS].value
        for row in result.rows
        if row.unit_id is not None
    }


def test_a_record_of_a_unit_split_without_default_is_shown_formerly(tree, boss, history):
    """C4 of district D1 was split between N and N2 with no default: as it is now, its records
    are the province's own, "formerly C4"."""
    c4 = make_unit("14802", "Xã Khánh Hội", UnitKind.COMMUNE, tree.d1, valid_to=D(2025, 6, 30))
    for successor in (tree.n, tree.n2):
        Succession.objects.create(predecessor=c4, successor=successor, kind="split", effective_on=REFORM)
    frame_mark_stale()
    visits_bulk([VisitRow(c4, D(2025, 1, 6), people=4)], by=boss, first_number=50)
    result = compute(boss, [VISITS, PEOPLE], tree.province, YEARS, AS_IT_IS, breakdown=True)
    own = next(row for row in result.rows if row.unit_id is None)
    assert own.unit == tree.province
    assert own.formerly == {c4.pk}
    assert own.figures[PEOPLE] == Figure(4, 1)
    assert [u.name for u in result.formerly] == ["Xã Khánh Hội"]
    drilled = engine.records_for(
        boss,
        VISITS,
        unit=tree.province,
        period=YEARS,
        frame=AS_IT_IS,
        row_unit_id=tree.province.pk,
        today=TODAY,
    )
    assert [v.unit_id for v in drilled] == [c4.pk]


# ---- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_unit_that_did_not_yet_exist_names_its_predecessors(tree, boss, language):
    with translation.override(language), pytest.raises(DomainError) as caught:
        compute(boss, [VISITS], tree.n, period_parse("2024"))
    error = caught.value
    assert error.code == "reports.unit_not_in_period"
    assert set(error.fields) == {"unit"}
    with translation.override(language):
        message = error.message
    assert "Xã Khánh Thiện (14800, 01/01/2000 – 30/06/2025)" in message  # C1
    assert "Xã Khánh Cường (14801, 01/01/2000 – 30/06/2025)" in message  # C2
    assert "01/07/2025" in message
    if language == "en":
        assert message.startswith("Xã Khánh Thiện did not exist in the period (it exists from 01/07/2025).")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_unit_that_no_longer_existed_names_its_successors(tree, boss, language):
    with translation.override(language), pytest.raises(DomainError) as caught:
        compute(boss, [VISITS], tree.c3, period_parse("2026"))
    error = caught.value
    assert error.code == "reports.unit_not_in_period"
    with translation.override(language):
        message = error.message
    assert "Xã Yên Mô (14950, 01/07/2025 – …)" in message  # N2
    assert "30/06/2025" in message
    if language == "en":
        assert message.startswith(
            "Xã Yên Phong no longer existed in the period (it existed until 30/06/2025)."
        )


def test_a_unit_in_the_period_even_for_a_day_is_reported(tree, boss, history):
    """C3 existed on the period's first day only: it is reported."""
    result = compute(boss, [VISITS], tree.c3, period_between(D(2025, 6, 30), D(2025, 12, 31)))
    assert result.total[VISITS] == Figure(1, 1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_past_unit_as_it_is_now_names_the_current_unit(tree, boss, language):
    with translation.override(language), pytest.raises(DomainError) as caught:
        compute(boss, [VISITS], tree.c1, period_parse("2024"), AS_IT_IS)
    error = caught.value
    assert error.code == "reports.unit_not_current"
    assert set(error.fields) == {"unit"}
    with translation.override(language):
        message = error.message
    assert "Xã Khánh Thiện (14801, 01/07/2025 – …)" in message  # N, not C1 (14800)
    assert "30/06/2025" in message
    if language == "en":
        assert message.startswith("Xã Khánh Thiện no longer exists (until 30/06/2025)")
    with pytest.raises(DomainError) as caught:
        compute(boss, [VISITS], tree.d1, period_parse("2024"), AS_IT_IS)
    assert "Tỉnh Ninh Bình (37, 01/01/2000 – …)" in caught.value.message


# ---- scoping --------------------------------------------------------------------------------


def test_a_user_outside_the_unit_gets_not_found(tree, make_user, history):
    outsider = make_user(Role.CLERK, tree.other_commune)
    commune_leader = make_user(Role.LEADER, tree.n)
    nobody = make_user()
    for user in (outsider, commune_leader, nobody):
        for frame in (AS_IT_WAS, AS_IT_IS):
            with pytest.raises(NotFound):
                compute(user, [VISITS], tree.province, frame=frame)
    # The commune's leader holds the archive of the communes merged into N.
    assert compute(commune_leader, [VISITS], tree.c1, period_parse("2024")).total[VISITS] == Figure(2, 2)
    assert compute(commune_leader, [VISITS], tree.n, frame=AS_IT_IS).total[VISITS] == Figure(3, 3)
    # The outsider's own ward, and nothing of the province in it.
    assert compute(outsider, [VISITS], tree.other_commune).total[VISITS] == Figure(1, 1)


def test_a_drill_down_row_outside_the_unit_is_not_found(tree, boss, history):
    with pytest.raises(NotFound):
        engine.records_for(
            boss, VISITS, unit=tree.province, period=YEARS, row_unit_id=tree.other_province.pk, today=TODAY
        )


# ---- drill-down -----------------------------------------------------------------------------

RECEPTION = sorted(code for code in indicators.registry() if code.startswith("reception."))
# Figures whose records are fewer than the rows they read: cases count their first or repeat visits.
CASE_INDICATORS = {
    "reception.cases_first",
    "reception.cases_repeated",
    "reception.crowd_cases_first",
    "reception.crowd_cases_repeated",
}


@pytest.mark.parametrize(
    "code",
    list(RECEPTION),
)
@pytest.mark.parametrize("frame", [AS_IT_WAS, AS_IT_IS])
def test_the_drill_down_holds_the_records_behind_every_figure(tree, boss, november, code, frame):
    cells = [Cell.of(code, {"by": by} if by else None) for by in BY]
    result = compute(boss, cells, tree.province, NOVEMBER, frame, breakdown=True)
    assert result.total[cells[0]].records > 0
    for cell in cells:
        drilled = engine.records_for(
            boss, cell, unit=tree.province, period=NOVEMBER, frame=frame, today=TODAY
        )
        assert drilled.count() == result.total[cell].records, cell.key
        for row in result.rows:
            one = engine.records_for(
                boss,
                cell,
                unit=tree.province,
                period=NOVEMBER,
                frame=frame,
                row_unit_id=row.unit_id or tree.province.pk,
                today=TODAY,
            )
            assert one.count() == row.figures[cell].records, (cell.key, row.unit)


def test_the_reception_indicators_are_those_of_form_01_tcd():
    assert len(RECEPTION) == 10
    assert set(RECEPTION) > CASE_INDICATORS


# ---- queries --------------------------------------------------------------------------------


def _grow(tree, boss, communes: int) -> None:
    """More communes under the province, each with two visits, half of them ended and merged."""
    rows = []
    for i in range(communes):
        ended = i % 2 == 0
        unit = make_unit(
            f"G{i}",
            f"Xã Thêm {i}",
            UnitKind.COMMUNE,
            tree.d2 if ended else tree.province,
            valid_from=D(2000, 1, 1) if ended else REFORM,
            valid_to=D(2025, 6, 30) if ended else None,
        )
        if ended:
            Succession.objects.create(
                predecessor=unit, successor=tree.n2, kind="merge", effective_on=REFORM, is_default=True
            )
        day = D(2025, 3, 1) if ended else D(2026, 3, 1)
        rows += [VisitRow(unit, day), VisitRow(unit, day, "head", 2)]
    visits_bulk(rows, by=boss, first_number=1000)
    frame_mark_stale()


def _queries(tree, cells, frame: str) -> list[str]:
    frame_ensure(TODAY)
    user = get_user_model().objects.get(username="boss")  # nothing cached on the user
    with CaptureQueriesContext(connection) as captured:
        engine.compute(
            user, cells, unit=tree.province, period=YEARS, frame=frame, today=TODAY, breakdown=True
        )
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("frame", [AS_IT_WAS, AS_IT_IS])
def test_the_queries_of_form_01_tcd_do_not_grow_with_the_units(tree, boss, november, frame):
    """All 29 columns: the user's roles, the history their scope inherits, one grouped query per
    record source (visits, sessions), the units of the rows; as it is now also the frame's state
    and the placements of the rows' units (and, when there are any, the units shown as formerly)."""
    cells = form_for("01-tcd", YEARS.first, YEARS.last).cells
    assert len(cells) == 29
    small = _queries(tree, cells, frame)
    _grow(tree, boss, 12)
    large = _queries(tree, cells, frame)
    assert len(large) == len(small)
    # as it is: the frame read as path ranges; both: the period totals overlapping the report
    assert len(small) == (6 if frame == AS_IT_WAS else 10)
    for queries in (small, large):
        assert sum('FROM "reception_visit"' in sql for sql in queries) == 1
        assert sum('FROM "reception_session"' in sql for sql in queries) == 1
    result = compute(boss, cells, tree.province, frame=frame)
    assert result.total[Cell.of("reception.visits")] == Figure(19 + 24, 19 + 24)


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """Reports' short aggregates over many rows lose time to JIT compilation (bench/reports_bench.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
