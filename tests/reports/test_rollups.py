"""Property: on random unit trees with random history (merges into a new unit, splits with and
without a default successor, renames, ends without successor, the 2025 reform, agencies outliving
their unit) and random records dated on units valid on their date, the report engine adds up
through both frames without counting a record twice or losing one:

(a) the grand total at the root is the number of records;
(b) for every unit, its rows (the units directly below and its own records) add up to its total,
    each row is the unit's own total, and the totals are those of a plain reading of the rules;
(c) the drill-down querysets of the rows are disjoint and together are the unit's records;
(d) as it is now, every record lands under a unit of today's tree, and the past units placed by
    the ancestor rule are shown as "formerly <unit>" on the row that holds their records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from danvan.core.errors import DomainError
from danvan.core.indicators import Figure
from danvan.reports import engine
from danvan.reports.engine import AS_IT_IS, AS_IT_WAS, Cell
from danvan.reports.periods import period_between
from danvan.units.models import Role, RoleScope, Succession, Unit, UnitKind

from ..conftest import EPOCH, LAST_OLD, REFORM, make_unit
from .bulk import VisitRow, visits_bulk

TODAY = date(2026, 11, 27)
PERIOD = period_between(EPOCH, TODAY)
VISITS = Cell.of("reception.visits")
HEAD_VISITS = Cell.of("reception.visits", {"by": "head"})
CELLS = [
    VISITS,
    HEAD_VISITS,
    Cell.of("reception.people"),
    Cell.of("reception.sessions"),
    Cell.of("reception.sessions", {"by": "regular"}),
]
DRILLED = (VISITS, HEAD_VISITS)
COMMUNE_OPS = ("merge", "split_default", "split_none", "rename", "end")
AGENCY_KINDS = (UnitKind.PEOPLES_COMMITTEE, UnitKind.FATHERLAND_FRONT, UnitKind.WOMENS_UNION)


# ---- the world, as plain data ---------------------------------------------------------------


@dataclass
class U:
    idx: int
    parent: int | None
    kind: str
    valid_from: date
    valid_to: date | None = None

    def alive(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class World:
    units: list[U] = field(default_factory=list)
    successions: list[tuple[int, int, bool, str, date]] = field(default_factory=list)
    records: list[tuple[int, date, str, int]] = field(default_factory=list)  # unit, day, way, people

    def add(self, parent: int | None, kind: str, start: date, end: date | None = None) -> int:
        self.units.append(U(len(self.units), parent, kind, start, end))
        return len(self.units) - 1

    def alive(self, kinds, day: date) -> list[int]:
        return [u.idx for u in self.units if u.kind in kinds and u.alive(day)]

    def end(self, idx: int, last: date) -> None:
        """End the unit on `last`, and every unit below it still alive then."""
        unit = self.units[idx]
        if unit.valid_to is None or unit.valid_to > last:
            unit.valid_to = last
        for child in self.units:
            if child.parent == idx and child.alive(last):
                self.end(child.idx, last)

    def children(self, idx: int) -> list[int]:
        return [u.idx for u in self.units if u.parent == idx]


COUNTRY, PROVINCE, DISTRICT, COMMUNE = (
    UnitKind.COUNTRY,
    UnitKind.PROVINCE,
    UnitKind.RURAL_DISTRICT,
    UnitKind.COMMUNE,
)


def _commune_step(draw, world: World, day: date, parent_kinds, ops: int) -> None:
    """`ops` random changes of communes alive the day before `day`: the predecessors end the day
    before, the new communes start on `day` under units of `parent_kinds` alive then."""
    last = day - timedelta(days=1)
    planned: list[tuple[str, list[int], int]] = []
    taken: set[int] = set()
    for _ in range(ops):
        pool = [i for i in world.alive((COMMUNE,), last) if i not in taken]
        if not pool:
            break
        op = draw(st.sampled_from(COMMUNE_OPS))
        size = 2 if op == "merge" else 1
        if len(pool) < size:
            op, size = "rename", 1
        most = size + 1 if op == "merge" else size
        chosen = draw(st.lists(st.sampled_from(pool), min_size=size, max_size=most, unique=True))
        taken.update(chosen)
        planned.append((op, chosen, draw(st.integers(2, 3))))
    for _op, chosen, _n in planned:
        for i in chosen:
            world.end(i, last)
    parents = world.alive(parent_kinds, day) or world.alive((PROVINCE,), day)
    for op, chosen, n in planned:
        if op == "end":
            continue
        count = 1 if op in ("merge", "rename") else n
        new = [world.add(draw(st.sampled_from(parents)), COMMUNE, day) for _ in range(count)]
        kind = {"merge": "merge", "rename": "rename"}.get(op, "split")
        for pred in chosen:
            for k, succ in enumerate(new):
                default = op in ("merge", "rename") or (op == "split_default" and k == 0)
                world.successions.append((pred, succ, default, kind, day))


@st.composite
def worlds(draw) -> World:
    world = World()
    root = world.add(None, COUNTRY, EPOCH)
    for _ in range(draw(st.integers(1, 2))):
        province = world.add(root, PROVINCE, EPOCH)
        for _ in range(draw(st.integers(1, 2))):
            district = world.add(province, DISTRICT, EPOCH)
            for _ in range(draw(st.integers(1, 2))):
                world.add(district, COMMUNE, EPOCH)
    # Before the reform: districts merge or end, communes change, twice.
    for day in (date(2010, 1, 1), date(2018, 1, 1)):
        last = day - timedelta(days=1)
        districts = world.alive((DISTRICT,), last)
        change = draw(st.sampled_from(("none", "merge", "end")))
        if change == "merge" and len(districts) >= 2:
            merged = draw(st.lists(st.sampled_from(districts), min_size=2, max_size=2, unique=True))
            for i in merged:
                world.end(i, last)
            new = world.add(world.units[merged[0]].parent, DISTRICT, day)
            for i in merged:
                world.successions.append((i, new, True, "merge", day))
        elif change == "end" and len(districts) >= 2:
            world.end(draw(st.sampled_from(districts)), last)
        _commune_step(draw, world, day, (DISTRICT,), draw(st.integers(0, 2)))
    # The reform of 1 July 2025: provinces may merge into a new one, every district ends, the
    # communes are regrouped straight under the provinces.
    provinces = world.alive((PROVINCE,), LAST_OLD)
    communes_before = world.alive((COMMUNE,), LAST_OLD)
    for i in world.alive((DISTRICT,), LAST_OLD) + communes_before:
        world.end(i, LAST_OLD)
    if len(provinces) >= 2 and draw(st.booleans()):
        new = world.add(root, PROVINCE, REFORM)
        for i in provinces:
            world.end(i, LAST_OLD)
            world.successions.append((i, new, True, "merge", REFORM))
    _reform_communes(draw, world, communes_before, REFORM)
    # After the reform: one more change of communes, on a past day or tomorrow (whose
    # predecessors end today and are still current).
    later = draw(st.sampled_from((date(2026, 3, 1), TODAY + timedelta(days=1))))
    _commune_step(draw, world, later, (PROVINCE,), draw(st.integers(0, 2)))
    # Agencies: inside a unit for its whole life, or still current under a unit that has ended.
    areas = [u.idx for u in world.units if u.kind != COUNTRY]
    for _ in range(draw(st.integers(0, 3))):
        parent = world.units[draw(st.sampled_from(areas))]
        outlives = parent.valid_to is not None and draw(st.booleans())
        world.add(
            parent.idx,
            draw(st.sampled_from(AGENCY_KINDS)),
            parent.valid_from,
            None if outlives else parent.valid_to,
        )
    # Records on units valid on their day (up to today).
    existing = [u for u in world.units if u.valid_from <= TODAY]
    for _ in range(draw(st.integers(4, 40))):
        unit = draw(st.sampled_from(existing))
        end = min(unit.valid_to or TODAY, TODAY)
        day = unit.valid_from + timedelta(days=draw(st.integers(0, (end - unit.valid_from).days)))
        way = draw(st.sampled_from(("regular", "head", "authorised")))
        world.records.append((unit.idx, day, way, draw(st.integers(1, 3))))
    return world


def _reform_communes(draw, world: World, communes: list[int], day: date) -> None:
    """Regroup the communes that ended on 30 June 2025 into new communes under the provinces."""
    provinces = world.alive((PROVINCE,), day)
    pool = list(communes)
    while pool:
        op = draw(st.sampled_from(COMMUNE_OPS))
        size = min(len(pool), draw(st.integers(1, 3)) if op == "merge" else 1)
        chosen, pool = pool[:size], pool[size:]
        if op == "end":
            continue
        count = draw(st.integers(2, 3)) if op.startswith("split") else 1
        new = [world.add(draw(st.sampled_from(provinces)), COMMUNE, day) for _ in range(count)]
        for pred in chosen:
            for k, succ in enumerate(new):
                default = not op.startswith("split") or (op == "split_default" and k == 0)
                kind = "split" if op.startswith("split") else ("rename" if op == "rename" else "merge")
                world.successions.append((pred, succ, default, kind, day))


# ---- the rules, read plainly ----------------------------------------------------------------


def placements(world: World) -> dict[int, tuple[int, bool]]:
    """unit -> (the unit of today's tree its records roll up to, placed by the ancestor rule?)."""
    units = world.units

    def in_tree(i: int) -> bool:
        u = units[i]
        return u.alive(TODAY) and (u.parent is None or in_tree(u.parent))

    def successor(i: int) -> int | None:
        mine = [(s, default) for p, s, default, _k, _d in world.successions if p == i]
        defaults = [s for s, default in mine if default]
        return defaults[0] if defaults else (mine[0][0] if len(mine) == 1 else None)

    out: dict[int, tuple[int, bool]] = {}

    def place(i: int) -> tuple[int, bool]:
        if i not in out:
            u = units[i]
            after = successor(i)
            if in_tree(i):
                out[i] = (i, False)
            elif after is not None and not u.alive(TODAY):
                out[i] = place(after)
            else:
                out[i] = (place(u.parent)[0], True)
        return out[i]

    for u in units:
        place(u.idx)
    return out


# ---- building it ----------------------------------------------------------------------------


def build(world: World, make_user):
    units: list[Unit] = []
    for u in world.units:
        parent = units[u.parent] if u.parent is not None else None
        units.append(make_unit(f"U{u.idx}", f"Đơn vị {u.idx}", u.kind, parent, u.valid_from, u.valid_to))
    Succession.objects.bulk_create(
        Succession(predecessor=units[p], successor=units[s], kind=kind, effective_on=day, is_default=default)
        for p, s, default, kind, day in world.successions
    )
    boss = make_user(Role.LEADER, units[0], RoleScope.SUBTREE)
    rows = [VisitRow(units[i], day, way, people) for i, day, way, people in world.records]
    visits = visits_bulk(rows, by=boss)
    return units, boss, visits


def expected_figures(indices: list[int], world: World) -> dict[Cell, Figure]:
    """The figures of CELLS over the given records, counted in Python."""
    recs = [world.records[k] for k in indices]
    visits = len(recs)
    head = sum(1 for r in recs if r[2] == "head")
    people = sum(r[3] for r in recs)
    regular = sum(1 for r in recs if r[2] == "regular")
    return {
        CELLS[0]: Figure(visits, visits),
        CELLS[1]: Figure(head, head),
        CELLS[2]: Figure(people, visits),
        CELLS[3]: Figure(visits, visits),
        CELLS[4]: Figure(regular, regular),
    }


def add_up(figures: list[dict[Cell, Figure]]) -> dict[Cell, Figure]:
    out = {cell: Figure(0, 0) for cell in CELLS}
    for one in figures:
        for cell in CELLS:
            out[cell] = out[cell] + one[cell]
    return out


def check_frame(frame: str, world: World, units: list[Unit], boss, visits) -> None:
    placed = placements(world)
    record_unit = [r[0] for r in world.records]
    pk_of_record = [v.pk for v in visits]

    def where(k: int) -> int:
        """The unit whose subtree holds record k in this frame."""
        return record_unit[k] if frame == AS_IT_WAS else placed[record_unit[k]][0]

    def under(k: int, unit: Unit) -> bool:
        return units[where(k)].path.startswith(unit.path)

    if frame == AS_IT_WAS:
        reported = [u for u in world.units if u.valid_from <= PERIOD.last]
    else:
        reported = [u for u in world.units if placed[u.idx] == (u.idx, False)]
    totals: dict[int, dict[Cell, Figure]] = {}
    results = {}
    for u in reported:
        unit = units[u.idx]
        result = engine.compute(
            boss, CELLS, unit=unit, period=PERIOD, frame=frame, today=TODAY, breakdown=True
        )
        results[u.idx] = result
        mine = [k for k in range(len(world.records)) if under(k, unit)]
        # (b) the total is the plain count
        assert result.total == expected_figures(mine, world), (frame, u)
        totals[unit.pk] = result.total
        # (b) the rows add up to the total
        assert add_up([row.figures for row in result.rows]) == result.total, (frame, u)
        own = [k for k in mine if where(k) == u.idx]
        drilled_union: dict[Cell, set[int]] = {cell: set() for cell in DRILLED}
        for row in result.rows:
            if row.unit_id is None:
                assert row.unit == unit
                assert row.figures == expected_figures(own, world), (frame, u)
                held = own
            else:
                # a row is a unit directly below, of the tree of the period or of today
                assert row.unit.parent_id == unit.pk
                if frame == AS_IT_IS:
                    assert placed[world_index(units, row.unit)] == (world_index(units, row.unit), False)
                held = [k for k in mine if under(k, row.unit)]
                assert row.figures == expected_figures(held, world), (frame, u, row.unit)
            # (d) the units placed here by the ancestor rule, with records, are named
            formerly = {units[record_unit[k]].pk for k in held if placed[record_unit[k]][1]}
            assert row.formerly == (formerly if frame == AS_IT_IS else set()), (frame, u, row.unit_id)
            # (c) the drill-down of the row is exactly its records, and no other row has them
            for cell in DRILLED:
                got = set(
                    engine.records_for(
                        boss,
                        cell,
                        unit=unit,
                        period=PERIOD,
                        frame=frame,
                        row_unit_id=row.unit_id or unit.pk,
                        today=TODAY,
                    ).values_list("pk", flat=True)
                )
                assert len(got) == row.figures[cell].records
                assert not got & drilled_union[cell], (frame, u, row.unit_id)
                drilled_union[cell] |= got
                if cell == VISITS:
                    assert got == {pk_of_record[k] for k in held}
        for cell in DRILLED:
            whole = engine.records_for(boss, cell, unit=unit, period=PERIOD, frame=frame, today=TODAY)
            assert set(whole.values_list("pk", flat=True)) == drilled_union[cell], (frame, u)
        assert {f.pk for f in result.formerly} == set().union(*(row.formerly for row in result.rows))
        if result.formerly and u.idx != 0:
            event(f"{frame}: a unit below the root shows units formerly")
    # (b) each row is the total of its unit, computed on its own
    for result in results.values():
        for row in result.rows:
            if row.unit_id is not None:
                assert row.figures == totals[row.unit_id], (frame, row.unit)
    # (a) the grand total at the root is the number of records, and the years add up to it
    root = engine.compute(boss, CELLS, unit=units[0], period=PERIOD, frame=frame, today=TODAY, by_year=True)
    assert root.total[VISITS] == Figure(len(world.records), len(world.records))
    assert add_up(list(root.years.values())) == root.total
    assert set(root.years) == set(range(EPOCH.year, TODAY.year + 1))


def world_index(units: list[Unit], unit: Unit) -> int:
    return next(i for i, u in enumerate(units) if u.pk == unit.pk)


def check_refusals(world: World, units: list[Unit], boss) -> None:
    """As it is now, a past unit is refused, naming the unit of today's tree it went to; as it
    was, a unit that starts after the period is refused, naming its predecessors."""
    placed = placements(world)
    for u in world.units:
        if u.valid_to is not None and u.valid_to < TODAY:
            with pytest.raises(DomainError) as caught:
                engine.compute(boss, CELLS, unit=units[u.idx], period=PERIOD, frame=AS_IT_IS, today=TODAY)
            assert caught.value.code == "reports.unit_not_current"
            assert f"({units[placed[u.idx][0]].code}," in caught.value.message
            break
    for u in world.units:
        if u.valid_from > TODAY:
            with pytest.raises(DomainError) as caught:
                engine.compute(boss, CELLS, unit=units[u.idx], period=PERIOD, frame=AS_IT_WAS, today=TODAY)
            assert caught.value.code == "reports.unit_not_in_period"
            for p, s, *_rest in world.successions:
                if s == u.idx:
                    assert f"({units[p].code}," in caught.value.message
            break


@pytest.mark.django_db
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_rollups_add_up_in_both_frames(make_user, world):
    event(f"units: {len(world.units) // 10 * 10}+")
    event(f"records: {len(world.records) // 10 * 10}+")
    placed = placements(world)
    if any(placed[r[0]][1] for r in world.records):
        event("a record placed by the ancestor rule")
    if any(not d and k == "split" for _p, _s, d, k, _day in world.successions):
        event("a split without default")
    with transaction.atomic():
        units, boss, visits = build(world, make_user)
        check_frame(AS_IT_WAS, world, units, boss, visits)
        check_frame(AS_IT_IS, world, units, boss, visits)
        check_refusals(world, units, boss)
        transaction.set_rollback(True)


def test_the_plain_reading_places_every_unit_in_todays_tree():
    """The oracle itself, on a hand-made world: C1 and C2 merged into N; C3 split between N and
    N2 with no default; an agency still current under C1; district D ended without successor."""
    world = World()
    root = world.add(None, COUNTRY, EPOCH)
    p = world.add(root, PROVINCE, EPOCH)
    d = world.add(p, DISTRICT, EPOCH, LAST_OLD)
    c1, c2, c3 = (world.add(d, COMMUNE, EPOCH, LAST_OLD) for _ in range(3))
    n, n2 = world.add(p, COMMUNE, REFORM), world.add(p, COMMUNE, REFORM)
    agency = world.add(c1, UnitKind.PEOPLES_COMMITTEE, EPOCH)
    world.successions += [
        (c1, n, True, "merge", REFORM),
        (c2, n, True, "merge", REFORM),
        (c3, n, False, "split", REFORM),
        (c3, n2, False, "split", REFORM),
    ]
    placed = placements(world)
    assert placed == {
        root: (root, False),
        p: (p, False),
        d: (p, True),
        c1: (n, False),
        c2: (n, False),
        c3: (p, True),  # where D went
        n: (n, False),
        n2: (n2, False),
        agency: (n, True),
    }
    assert Counter(v[0] for v in placed.values()) == Counter({n: 4, p: 3, root: 1, n2: 1})
