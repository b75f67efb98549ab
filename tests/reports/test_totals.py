"""Period totals in reports: counted once, rolled up through the tree and history (both frames), in
their year, replacing the itemised records of their unit and period (a conflict until kept or
withdrawn), shown in drill-down, scoped. Figures counted by hand on the tree of tests/conftest.py.

Visits (reception.visits, by way; reception.people sums the people):
  C1  02/05/2024 regular 1 · 20/12/2024 head 3
  C3  10/03/2024 regular 1
  N2  09/09/2025 regular 1
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danvan.core import indicators
from danvan.core.errors import NotFound, StaleEdit
from danvan.core.indicators import PERCENT, Figure, Indicator, rate
from danvan.reports import engine, selectors, services
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Cell
from danvan.reports.models import PeriodTotal, TotalStatus
from danvan.reports.periods import period_between, period_parse
from danvan.units.models import Role, RoleScope

from .bulk import VisitRow, visits_bulk

TODAY = date(2026, 11, 27)
D = date
VISITS = Cell.of("reception.visits")
HEAD = Cell.of("reception.visits", {"by": "head"})
PEOPLE = Cell.of("reception.people")
Y2024 = period_parse("2024")
YEARS = period_parse("2024..2026")


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="boss")


@pytest.fixture
def stranger(tree, make_user):
    return make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE, username="stranger")


@pytest.fixture
def visits(tree, boss):
    rows = [
        VisitRow(tree.c1, D(2024, 5, 2)),
        VisitRow(tree.c1, D(2024, 12, 20), "head", 3),
        VisitRow(tree.c3, D(2024, 3, 10)),
        VisitRow(tree.n2, D(2025, 9, 9)),
    ]
    return visits_bulk(rows, by=boss)


def total(unit, code, value, first=None, last=None, filters=None, by=None, **extra):
    filters = filters or {}
    first, last = first or D(2024, 1, 1), last or D(2024, 12, 31)
    return PeriodTotal.objects.create(
        unit=unit,
        unit_path=unit.path,
        indicator=code,
        filters=filters,
        filters_key=engine.filters_key(filters),
        first=first,
        last=last,
        value=Decimal(value),
        created_by=by,
        **extra,
    )


def compute(user, cells, unit, period=YEARS, frame=AS_IT_WAS, **kwargs):
    return engine.compute(user, cells, unit=unit, period=period, frame=frame, today=TODAY, **kwargs)


# ---- counting -----------------------------------------------------------------------------------


def test_a_total_alone_counts_its_value_and_one_record(tree, boss):
    total(tree.c2, "reception.visits", 45, by=boss)
    result = compute(boss, [VISITS, PEOPLE], tree.province)
    assert result.total[VISITS] == Figure(45, 1)
    assert isinstance(result.total[VISITS].value, int)
    assert result.total[PEOPLE] == Figure(0, 0)  # another figure: the total is not in it


def test_records_only_are_unchanged(tree, boss, visits):
    result = compute(boss, [VISITS, PEOPLE], tree.province)
    assert result.total[VISITS] == Figure(4, 4)
    assert result.total[PEOPLE] == Figure(6, 4)


def test_a_total_and_records_of_its_period_count_once_as_the_total_until_withdrawn(tree, boss, visits):
    t = total(tree.c1, "reception.visits", 10, by=boss)
    result = compute(boss, [VISITS], tree.province, breakdown=True)
    # C1's two visits of 2024 are replaced by its total; C3 and N2 count
    assert result.total[VISITS] == Figure(10 + 1 + 1, 3)
    rows = {row.unit: row.figures[VISITS] for row in result.rows}
    assert rows[tree.d1] == Figure(10, 1)
    assert rows[tree.d2] == Figure(1, 1)
    (conflict,) = selectors.period_total_conflicts_for(boss, unit=tree.province)
    assert conflict.total == t and conflict.records == 2
    services.period_total_withdraw(boss, t.pk, 0)
    assert compute(boss, [VISITS], tree.province).total[VISITS] == Figure(4, 4)
    assert selectors.period_total_conflicts_for(boss) == []


def test_a_total_replaces_only_its_unit_and_period(tree, boss, visits):
    total(tree.c1, "reception.visits", 10, first=D(2024, 6, 1), last=D(2024, 12, 31), by=boss)
    # C1's visit of 02/05/2024 is outside the total's period and still counts
    assert compute(boss, [VISITS], tree.province).total[VISITS] == Figure(10 + 1 + 1 + 1, 4)
    # a report of May only: the total is not inside it, the May visit is
    may = period_between(D(2024, 5, 1), D(2024, 5, 31))
    assert compute(boss, [VISITS], tree.province, may).total[VISITS] == Figure(1, 1)
    # a report of December only: the total is partly outside (not counted) and replaces December's visit
    december = period_between(D(2024, 12, 1), D(2024, 12, 31))
    assert compute(boss, [VISITS], tree.province, december).total[VISITS] == Figure(0, 0)


def test_keeping_a_total_resolves_the_conflict_and_it_goes_on_counting(tree, boss, visits):
    t = total(tree.c1, "reception.visits", 10, by=boss)
    kept = services.period_total_keep(boss, t.pk, 0)
    assert kept.kept_over_records and kept.version == 1
    assert selectors.period_total_conflicts_for(boss) == []
    assert compute(boss, [VISITS], tree.province).total[VISITS] == Figure(12, 3)
    with pytest.raises(StaleEdit):
        services.period_total_withdraw(boss, t.pk, 0)
    with pytest.raises(StaleEdit):
        services.period_total_keep(boss, t.pk, 0)
    services.period_total_withdraw(boss, t.pk, 1)
    t.refresh_from_db()
    assert t.status == TotalStatus.WITHDRAWN and t.version == 2


def test_keep_and_withdraw_are_audited(tree, boss):
    from danvan.core.models import AuditEvent

    t = total(tree.c2, "reception.visits", 5, by=boss)
    services.period_total_keep(boss, t.pk, 0)
    services.period_total_withdraw(boss, t.pk, 1)
    actions = list(
        AuditEvent.objects.filter(record_id=str(t.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["reports.period_total_keep", "reports.period_total_withdraw"]


def test_a_total_rolls_up_to_the_parent_and_the_country(tree, boss):
    total(tree.c3, "reception.visits", 7, by=boss)
    assert compute(boss, [VISITS], tree.d2).total[VISITS] == Figure(7, 1)
    assert compute(boss, [VISITS], tree.country).total[VISITS] == Figure(7, 1)
    assert compute(boss, [VISITS], tree.d1).total[VISITS] == Figure(0, 0)


def test_as_it_is_a_total_of_a_merged_commune_lands_on_its_successor(tree, boss):
    total(tree.c1, "reception.visits", 8, by=boss)
    total(tree.c3, "reception.visits", 2, by=boss)
    result = compute(boss, [VISITS], tree.province, frame=AS_IT_IS, breakdown=True)
    assert result.total[VISITS] == Figure(10, 2)
    rows = {row.unit: row.figures[VISITS] for row in result.rows}
    assert rows[tree.n] == Figure(8, 1)
    assert rows[tree.n2] == Figure(2, 1)
    assert compute(boss, [VISITS], tree.n, frame=AS_IT_IS).total[VISITS] == Figure(8, 1)


def test_by_year_a_total_lands_in_its_year_and_a_multi_year_total_in_the_period_only(tree, boss, visits):
    total(tree.c2, "reception.visits", 5, by=boss)  # 2024
    total(tree.agency, "reception.visits", 30, first=D(2025, 1, 1), last=D(2026, 12, 31), by=boss)
    result = compute(boss, [VISITS], tree.province, by_year=True)
    assert {year: figures[VISITS] for year, figures in result.years.items()} == {
        2024: Figure(3 + 5, 4),
        2025: Figure(1, 1),
        2026: Figure(0, 0),
    }
    assert result.total[VISITS] == Figure(4 + 5 + 30, 6)
    # a report of 2025 alone does not hold the two-year total
    assert compute(boss, [VISITS], tree.province, period_parse("2025")).total[VISITS] == Figure(1, 1)


def test_a_breakdown_total_fills_its_cell_not_the_whole_figure(tree, boss, visits):
    total(tree.c1, "reception.visits", 9, filters={"by": "head"}, by=boss)
    result = compute(boss, [VISITS, HEAD], tree.province)
    assert result.total[HEAD] == Figure(9, 1)  # C1's head visit is replaced by the total
    assert result.total[VISITS] == Figure(4, 4)  # the whole figure: records only, none replaced
    (conflict,) = selectors.period_total_conflicts_for(boss)
    assert conflict.records == 1  # only the head visit meets the breakdown


@pytest.fixture
def head_share():
    indicators.registry()
    indicator = Indicator(
        code="tests.head_share",
        label="Head share",
        measure=PERCENT,
        derive=rate("reception.visits_head_total", "reception.visits"),
    )
    top = Indicator(
        code="reception.visits_head_total",
        label="Head visits",
        measure="count",
        records=indicators.get("reception.visits").records,
        date_field="day",
        where=indicators.get("reception.visits").where & HEAD_WHERE(),
    )
    indicators.register(indicator, top)
    yield Cell.of(indicator.code)
    indicators._registry.pop(indicator.code, None)
    indicators._registry.pop(top.code, None)


def HEAD_WHERE():  # noqa: N802
    return indicators.get("reception.visits").dimensions["by"]["head"].where


def test_a_rate_follows_from_its_parts(tree, boss, visits, head_share):
    assert not engine.totals_allowed(head_share.code)
    before = compute(boss, [head_share], tree.province, Y2024)
    assert before.total[head_share].value == Decimal("33.3")  # 1 head visit of 3
    total(tree.c2, "reception.visits", 7, by=boss)
    after = compute(boss, [head_share], tree.province, Y2024)
    assert after.total[head_share] == Figure(Decimal("10.0"), 4)  # 1 of 10, over 3 visits and a total


def test_totals_are_allowed_only_for_plain_dated_figures():
    assert engine.totals_allowed("reception.visits")
    assert engine.totals_allowed(indicators.get("outreach.conferences"))
    assert not engine.totals_allowed("petitions.carried_over")  # a period of its own
    assert not engine.totals_allowed("petitions.resolution_rate")
    assert not engine.totals_allowed("nothing.here")


# ---- drill-down --------------------------------------------------------------------------------


def test_drill_down_lists_the_total_and_the_records_left(tree, boss, visits):
    t = total(tree.c1, "reception.visits", 10, by=boss)
    kwargs = {"unit": tree.province, "period": YEARS, "today": TODAY}
    records = engine.records_for(boss, VISITS, **kwargs)
    totals = engine.totals_for(boss, VISITS, **kwargs)
    assert list(totals) == [t]
    assert sorted(v.unit_id for v in records) == [tree.c3.pk, tree.n2.pk]
    figure = compute(boss, [VISITS], tree.province).total[VISITS]
    assert figure.records == records.count() + totals.count()
    # one row: the district holding C1
    assert list(engine.totals_for(boss, VISITS, row_unit_id=tree.d1.pk, **kwargs)) == [t]
    assert list(engine.totals_for(boss, VISITS, row_unit_id=tree.d2.pk, **kwargs)) == []
    assert list(engine.totals_for(boss, HEAD, **kwargs)) == []
    assert list(engine.records_replaced_by(boss, t).values_list("pk", flat=True)) == sorted(
        v.pk for v in visits if v.unit_id == tree.c1.pk
    )


# ---- scoping -----------------------------------------------------------------------------------


def test_a_user_of_another_province_sees_neither_the_total_nor_the_conflict(tree, boss, stranger, visits):
    t = total(tree.c1, "reception.visits", 10, by=boss)
    assert selectors.period_total_conflicts_for(stranger) == []
    assert (
        list(engine.totals_for(stranger, VISITS, unit=tree.other_province, period=YEARS, today=TODAY)) == []
    )
    assert compute(stranger, [VISITS], tree.other_province).total[VISITS] == Figure(0, 0)
    assert not selectors.period_totals_for(stranger, unit=tree.other_province).exists()
    with pytest.raises(NotFound):
        services.period_total_keep(stranger, t.pk, 0)
    with pytest.raises(NotFound):
        services.period_total_withdraw(stranger, t.pk, 0)
    assert list(selectors.period_totals_for(boss, unit=tree.province, year=2024)) == [t]
    assert not selectors.period_totals_for(boss, unit=tree.province, year=2025).exists()


def test_without_totals_the_report_sql_is_unchanged(tree, boss, visits, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        compute(boss, [VISITS], tree.province)
    assert not any("EXISTS" in q["sql"].upper() for q in captured.captured_queries)
    total(tree.other_commune, "reception.visits", 3, first=D(2025, 7, 1), last=D(2025, 12, 31), by=boss)
    with CaptureQueriesContext(connection) as captured:
        compute(boss, [VISITS], tree.province)  # a total elsewhere does not touch this report
    assert not any("EXISTS" in q["sql"].upper() for q in captured.captured_queries)
