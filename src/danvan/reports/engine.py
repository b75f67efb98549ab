"""The report engine: figures of registered indicators for a unit, a period and a frame of the
unit tree, in one grouped query per record source, added up through the tree.

Two frames (legal-rules.md §7): *as it was* counts the records of the unit and of every unit that
was below it on the record's date (a unit's path never changes: a change of parent is a new unit);
*as it is* counts, for a unit of today's tree, the records of every unit, past or present, that
rolls up into it through the successions (`units.frames`). Each record is counted once: the
query groups the records by the unit that owned them and every group lands in exactly one row.
The engine knows no app's tables: it reads only the indicators' declarations.

Period totals (`reports.models.PeriodTotal`, "2015: 45 conferences") stand for records a unit never
itemised. A counted total T of indicator I, breakdown F (its `filters_key`), unit U and period
[first, last] is read like a record:

- it adds its `value` and one record to cell (I, F), and to no other cell (a total by kind does not
  enter the undimensioned figure, nor the undimensioned total a cell by kind), in every report whose
  period holds [first, last] entirely, for every unit whose subtree holds U in the frame (as it was:
  U's path under the unit's; as it is: through the successions, as the records of U would be);
- a total only partly inside the report's period is not counted (a quarter of a yearly total is
  not known), and the records it replaces are not counted either: that quarter shows neither;
- by year, it lands in its year when first and last lie in the same year; a total spanning years
  counts in the period's figure only, in none of the years;
- while T is counted, the itemised records of I at exactly U's path, dated in [first, last] and
  meeting cell (I, F)'s condition are not counted in cell (I, F): T replaces them, so nothing is
  summed twice (a conflict the user resolves by keeping or withdrawing T). The condition is added
  only for the cells whose (I, F) has a counted total overlapping the report, so without totals the
  SQL of a report is unchanged; finding that out is one query, and only when some cell can take a
  total;
- derived figures (rates) follow from their parts; indicators with a period of their own (no plain
  date) take no totals (`totals_allowed`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError, NotFound
from danvan.core.indicators import COUNT, NOT_AVAILABLE, PEOPLE, Figure, Indicator, registry
from danvan.units import access
from danvan.units.frames import frame_ensure
from danvan.units.models import PATH_STEP, FrameVia, Succession, Unit, UnitFrame, subtree_q

from .models import PeriodTotal, TotalStatus
from .periods import Period

AS_IT_WAS, AS_IT_IS = "as_it_was", "as_it_is"
FRAMES = (AS_IT_WAS, AS_IT_IS)


@dataclass(frozen=True)
class Cell:
    """One figure to compute: an indicator narrowed by dimension values."""

    code: str
    filters: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, filters: Mapping[str, str] | None = None) -> Cell:
        return cls(code, tuple(sorted((filters or {}).items())))

    @property
    def key(self) -> str:
        if not self.filters:
            return self.code
        return self.code + "[" + ",".join(f"{k}={v}" for k, v in self.filters) + "]"

    @classmethod
    def parse(cls, key: str) -> Cell:
        """The inverse of `key`: "petitions.received[kind=complaint]"."""
        code, _sep, rest = key.partition("[")
        filters = {}
        for part in rest.rstrip("]").split(",") if rest else ():
            name, _eq, value = part.partition("=")
            filters[name] = value
        return cls.of(code, filters)


def filters_key(filters: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> str:
    """The canonical text of a breakdown, as `PeriodTotal.filters_key` stores it: "kind=complaint",
    several joined by "," in the order of their names; "" for the whole figure."""
    pairs = filters.items() if isinstance(filters, Mapping) else (filters or ())
    return ",".join(f"{name}={value}" for name, value in sorted(pairs))


def totals_allowed(indicator: Indicator | str) -> bool:
    """May figures of `indicator` be entered as period totals? Only plain figures placed in time by
    a date (a total must know which records it replaces): not rates, not figures with a period of
    their own ("carried over"), not unknown codes."""
    known = registry().get(indicator) if isinstance(indicator, str) else indicator
    return (
        known is not None
        and known.derive is None
        and known.records is not None
        and known.period is None
        and bool(known.date_field)
    )


def _counted_totals() -> QuerySet:
    return PeriodTotal.objects.filter(status=TotalStatus.COUNTED)


def visible_totals(user) -> QuerySet:
    """The counted period totals the user may report on."""
    return access.visible(user, PeriodTotal, "report.view").filter(status=TotalStatus.COUNTED)


def replaced_q(indicator: Indicator, key: str) -> Q:
    """The records of `indicator` that no counted total of breakdown `key` replaces: none of the
    same unit path whose period holds the record's date."""
    replacing = _counted_totals().filter(
        indicator=indicator.code,
        filters_key=key,
        unit_path=OuterRef(indicator.path_field),
        first__lte=OuterRef(indicator.date_field),
        last__gte=OuterRef(indicator.date_field),
    )
    return ~Q(Exists(replacing))


def total_value(indicator: Indicator, value) -> Any:
    """A total's value as the figure's records would give it: whole for counts and people."""
    if value is None:
        return 0
    return int(value) if indicator.measure in (COUNT, PEOPLE) else value


@dataclass
class Row:
    """The figures of one unit directly below the report's unit (or of the unit's own records)."""

    unit_id: int | None
    figures: dict[Cell, Figure] = field(default_factory=dict)
    formerly: set[int] = field(default_factory=set)  # past units placed here by the ancestor rule
    unit: Unit | None = None


@dataclass
class Result:
    unit: Unit
    period: Period
    frame: str
    cells: list[Cell]
    total: dict[Cell, Figure]
    rows: list[Row] = field(default_factory=list)
    years: dict[int, dict[Cell, Figure]] = field(default_factory=dict)
    formerly: list[Unit] = field(default_factory=list)

    def value(self, code: str, **filters: str) -> Any:
        return self.total[Cell.of(code, filters)].value


def _suggest(units: Iterable[Unit]) -> str:
    return ", ".join(f"{u.name} ({u.code}, {u.validity_label})" for u in units)


def scope_check(user, *, unit: Unit, period: Period, frame: str, today: date) -> None:
    """Refuse a unit the user cannot report on, or that does not exist in the period or frame,
    saying which units do (its successors or predecessors)."""
    if frame not in FRAMES:
        raise DomainError(
            "reports.frame_unknown",
            _("Choose the frame “as it was” or “as it is now”."),
            fields={"frame": _("Unknown frame.")},
        )
    if not access.scope_for(user, "report.view").covers(unit):
        raise NotFound()
    if frame == AS_IT_IS:
        if unit.valid_to is not None and unit.valid_to < today:
            frame_ensure(today)
            now = UnitFrame.objects.filter(unit=unit).select_related("now_unit").first()
            raise DomainError(
                "reports.unit_not_current",
                _(
                    "%(unit)s no longer exists (until %(until)s); the frame “as it is now” needs a unit "
                    "of today's tree: %(suggestion)s."
                ),
                fields={"unit": _("Not a unit of today's tree.")},
                unit=unit.name,
                until=f"{unit.valid_to:%d/%m/%Y}",
                suggestion=_suggest([now.now_unit]) if now else "—",
            )
        return
    if unit.valid_from > period.last:
        before = Unit.objects.filter(
            pk__in=Succession.objects.filter(successor=unit).values("predecessor_id")
        ).order_by("name")
        raise DomainError(
            "reports.unit_not_in_period",
            _(
                "%(unit)s did not exist in the period (it exists from %(since)s). For the period use its "
                "predecessors: %(suggestion)s, or the frame “as it is now”."
            ),
            fields={"unit": _("The unit did not exist in the period.")},
            unit=unit.name,
            since=f"{unit.valid_from:%d/%m/%Y}",
            suggestion=_suggest(before) or "—",
        )
    if unit.valid_to is not None and unit.valid_to < period.first:
        after = Unit.objects.filter(
            pk__in=Succession.objects.filter(predecessor=unit).values("successor_id")
        ).order_by("name")
        raise DomainError(
            "reports.unit_not_in_period",
            _(
                "%(unit)s no longer existed in the period (it existed until %(until)s). For the period use "
                "its successors: %(suggestion)s."
            ),
            fields={"unit": _("The unit did not exist in the period.")},
            unit=unit.name,
            until=f"{unit.valid_to:%d/%m/%Y}",
            suggestion=_suggest(after) or "—",
        )


def frame_paths(unit: Unit) -> tuple[list[str], list[str]]:
    """Where the records that roll up into `unit`'s subtree today lie: whole subtrees (path
    prefixes: every unit below rolls up into `unit`) and single unit paths (the units of a subtree
    part of which goes elsewhere). A few index ranges instead of one look-up per unit of the frame."""
    inside = set(
        UnitFrame.objects.filter(subtree_q(unit.path, "now_path")).values_list("unit_path", flat=True)
    )
    step = PATH_STEP + 1
    tops = sorted(p for p in inside if not any(p[:i] in inside for i in range(step, len(p), step)))
    if not tops:
        return [], []
    below = Q()
    for prefix in tops:
        below |= subtree_q(prefix, "unit_path")
    strays = list(
        UnitFrame.objects.filter(below)
        .exclude(subtree_q(unit.path, "now_path"))
        .values_list("unit_path", flat=True)
    )
    prefixes = [p for p in tops if not any(s.startswith(p) for s in strays)]
    singles = sorted(p for p in inside if not any(p.startswith(prefix) for prefix in prefixes))
    return prefixes, singles


def _unit_q(indicator: Indicator | str, unit: Unit, frame: str, paths=None) -> Q:
    """The rows under `unit` in the frame, by the indicator's path field (or the field named)."""
    path_field = indicator if isinstance(indicator, str) else indicator.path_field
    if frame == AS_IT_WAS:
        return subtree_q(unit.path, path_field)
    if unit.depth <= 1:  # the root of today's tree holds everything
        return Q()
    prefixes, singles = paths if paths is not None else frame_paths(unit)
    condition = Q(**{f"{path_field}__in": singles}) if singles else Q(pk__in=[])
    for prefix in prefixes:
        condition |= subtree_q(prefix, path_field)
    return condition


def _own_q(path_field: str, unit: Unit, frame: str) -> Q:
    """The unit's own rows, not those of the units below it (as it is: of every unit placed on it)."""
    if frame == AS_IT_IS:
        own = UnitFrame.objects.filter(now_unit=unit).values("unit_path")
        return Q(**{f"{path_field}__in": Subquery(own)})
    return Q(**{path_field: unit.path})


def _listed_code(cell: Cell) -> str:
    """The indicator whose rows stand behind the cell: a rate's denominator, else its own."""
    indicator = registry().get(cell.code)
    if indicator is None:
        raise LookupError(cell.code)
    return indicator.derive[0][-1] if indicator.derive is not None else cell.code


def _drill_target(unit: Unit, row_unit_id: int | None) -> Unit:
    if row_unit_id is None:
        return unit
    target = Unit.objects.get(pk=row_unit_id)
    if not target.path.startswith(unit.path):
        raise NotFound()
    return target


def records_for(
    user,
    cell: Cell,
    *,
    unit: Unit,
    period: Period,
    frame: str = AS_IT_WAS,
    row_unit_id: int | None = None,
    today: date,
    counted_only: bool = True,
) -> QuerySet:
    """The records behind one figure (drill-down), scoped to the user; for a derived figure, the
    records of its denominator. `row_unit_id` narrows to one row of the breakdown. With
    `counted_only=False`, every row the figure's aggregates read (to compute the figure again)."""
    indicator = registry().get(cell.code)
    if indicator is None:
        raise LookupError(cell.code)
    if indicator.derive is not None:
        return records_for(
            user,
            Cell(indicator.derive[0][-1], cell.filters),
            unit=unit,
            period=period,
            frame=frame,
            row_unit_id=row_unit_id,
            today=today,
            counted_only=counted_only,
        )
    if indicator.records is None:
        raise LookupError(cell.code)
    if frame == AS_IT_IS:
        frame_ensure(today)
    target = _drill_target(unit, row_unit_id)
    rows = indicator.records(user).filter(indicator.period_q(period.first, period.last))
    if row_unit_id is not None and target.pk == unit.pk:
        rows = rows.filter(_own_q(indicator.path_field, unit, frame))
    else:
        rows = rows.filter(_unit_q(indicator, target, frame))
    condition = indicator.condition(dict(cell.filters))
    key = filters_key(cell.filters)
    if totals_allowed(indicator) and _counted_totals().filter(indicator=cell.code, filters_key=key).exists():
        condition &= replaced_q(indicator, key)  # the records a counted total stands for are not behind it
    return rows.filter(condition & indicator.counted if counted_only else condition)


def totals_for(
    user,
    cell: Cell,
    *,
    unit: Unit,
    period: Period,
    frame: str = AS_IT_WAS,
    row_unit_id: int | None = None,
    today: date,
) -> QuerySet:
    """The counted period totals behind one figure (drill-down, "entered as totals"), scoped to the
    user, like `records_for`: those of the cell's indicator (a rate's denominator) and breakdown,
    of the unit's subtree in the frame (or of one row), whose period lies inside the report's."""
    code = _listed_code(cell)
    if frame == AS_IT_IS:
        frame_ensure(today)
    target = _drill_target(unit, row_unit_id)
    rows = visible_totals(user).filter(
        indicator=code, filters_key=filters_key(cell.filters), first__gte=period.first, last__lte=period.last
    )
    if row_unit_id is not None and target.pk == unit.pk:
        rows = rows.filter(_own_q("unit_path", unit, frame))
    else:
        rows = rows.filter(_unit_q("unit_path", target, frame))
    return rows.select_related("unit", "import_batch").order_by("first", "unit_path", "pk")


def records_replaced_by(user, total: PeriodTotal) -> QuerySet:
    """The itemised records a counted total stands for (its conflict): those of its indicator at
    exactly its unit's path, dated in its period, meeting its breakdown's condition; scoped."""
    indicator = registry().get(total.indicator)
    if indicator is None or indicator.records is None or not totals_allowed(indicator):
        raise LookupError(total.indicator)
    condition = indicator.condition(dict(total.filters or {}))
    return (
        indicator.records(user)
        .filter(**{indicator.path_field: total.unit_path})
        .filter(indicator.period_q(total.first, total.last))
        .filter(condition & indicator.counted)
    )


def _child_id(path: str, parent_path: str) -> int | None:
    """The id of the unit directly below `parent_path` on the way to `path`; None for the unit itself."""
    segment = path[len(parent_path) : len(parent_path) + PATH_STEP]
    return int(segment, 16) if len(segment) == PATH_STEP else None


def compute(
    user,
    cells: Sequence[Cell],
    *,
    unit: Unit,
    period: Period,
    frame: str = AS_IT_WAS,
    today: date,
    breakdown: bool = False,
    by_year: bool = False,
) -> Result:
    """Every cell's figure for the unit (and, with `breakdown`, for each unit directly below it,
    and with `by_year`, for each calendar year of the period). Indicators that no capability
    registers are "not available", never zero."""
    scope_check(user, unit=unit, period=period, frame=frame, today=today)
    if frame == AS_IT_IS:
        frame_ensure(today)
    known = registry()
    base: list[Cell] = []
    for cell in cells:
        indicator = known.get(cell.code)
        if indicator is None:
            continue
        if indicator.derive is not None:
            base.extend(Cell(code, cell.filters) for code in indicator.derive[0])
        else:
            indicator.condition(dict(cell.filters))  # an unknown dimension value fails here
            base.append(cell)
    base = list(dict.fromkeys(base))

    groups: dict[tuple, list[Cell]] = defaultdict(list)
    for cell in base:
        groups[known[cell.code].query_key].append(cell)

    total: dict[Cell, Figure] = {cell: Figure(0, 0) for cell in base}
    per_path: dict[str, dict[Cell, Figure]] = defaultdict(dict)
    years: dict[int, dict[Cell, Figure]] = defaultdict(dict)
    paths = frame_paths(unit) if frame == AS_IT_IS and unit.depth > 1 and groups else None
    replaced = _add_totals(
        user, base, known, unit, period, frame, paths, breakdown, by_year, total, per_path, years
    )
    for group_cells in groups.values():
        _run_group(
            user,
            group_cells,
            known,
            unit,
            period,
            frame,
            breakdown,
            by_year,
            total,
            per_path,
            years,
            paths,
            replaced,
        )

    result = Result(unit=unit, period=period, frame=frame, cells=list(cells), total={})
    result.total = _finish(cells, total, known)
    if by_year:
        # A figure with a period of its own ("carried over") has no yearly split: not available.
        no_split = {cell: NOT_AVAILABLE for cell in base if known[cell.code].period is not None}
        result.years = {
            slice_.first.year: _finish(cells, {**years.get(slice_.first.year, {}), **no_split}, known)
            for slice_ in period.year_slices()
        }
    if breakdown:
        result.rows = _rows(per_path, unit, frame, cells, known)
        formerly_ids = set().union(*(row.formerly for row in result.rows)) if result.rows else set()
        result.formerly = list(Unit.objects.filter(pk__in=formerly_ids).order_by("name"))
    return result


def _add_totals(
    user, cells, known, unit, period, frame, paths, breakdown, by_year, total, per_path, years
) -> set[Cell]:
    """Add the counted totals of the report's units to their cells, and return the cells whose
    records some total replaces. One grouped query over the totals that overlap the period (none
    when no cell can take a total): those inside it are added up per cell (and per unit path for
    the breakdown, per year when the total lies in one), all of them mark their cell."""
    wanted = {
        (cell.code, filters_key(cell.filters)): cell for cell in cells if totals_allowed(known[cell.code])
    }
    if not wanted:
        return set()
    codes = sorted({code for code, _key in wanted})
    inside = Q(first__gte=period.first, last__lte=period.last)
    by = ["indicator", "filters_key", "inside", "first_year", "last_year"]
    if breakdown:
        by.append("unit_path")
    rows = (
        visible_totals(user)
        .filter(indicator__in=codes, first__lte=period.last, last__gte=period.first)
        .filter(_unit_q("unit_path", unit, frame, paths))
        .annotate(
            inside=Case(When(inside, then=Value(True)), default=Value(False)),
            first_year=ExtractYear("first"),
            last_year=ExtractYear("last"),
        )
        .order_by()
        .values(*by)
        .annotate(amount=Sum("value"), records=Count("pk"))
    )
    replaced: set[Cell] = set()
    for row in rows:
        cell = wanted.get((row["indicator"], row["filters_key"]))
        if cell is None:
            continue
        replaced.add(cell)
        if not row["inside"]:
            continue
        figure = Figure(total_value(known[cell.code], row["amount"]), row["records"])
        total[cell] = total[cell] + figure
        if breakdown:
            here = per_path[row["unit_path"]]
            here[cell] = here.get(cell, Figure(0, 0)) + figure
        if by_year and row["first_year"] == row["last_year"]:
            years[row["first_year"]][cell] = years[row["first_year"]].get(cell, Figure(0, 0)) + figure
    return replaced


def _run_group(
    user,
    cells,
    known,
    unit,
    period,
    frame,
    breakdown,
    by_year,
    total,
    per_path,
    years,
    paths=None,
    replaced=frozenset(),
) -> None:
    first = known[cells[0].code]
    rows = (
        first.records(user)
        .filter(first.period_q(period.first, period.last))
        .filter(_unit_q(first, unit, frame, paths))
    )
    aggregates: dict[str, Any] = {}
    names: dict[Cell, dict[str, str]] = {}
    distinct = spans_units = False
    for i, cell in enumerate(cells):
        indicator = known[cell.code]
        names[cell] = {}
        condition = indicator.condition(dict(cell.filters))
        if cell in replaced:
            condition &= replaced_q(indicator, filters_key(cell.filters))
        for name, aggregate in indicator.aggregates(condition).items():
            alias = f"c{i}_{name}"
            aggregates[alias] = aggregate
            names[cell][name] = alias
            if getattr(aggregate, "distinct", False):
                distinct = True
                spans_units = spans_units or not indicator.distinct_within_unit
    # Values add up per unit (a distinct count is per unit): a group holding a distinct count of
    # values that span units (a case at two units) is grouped by the records' unit even without the
    # breakdown, so the total never depends on it. Counts and sums are the same either way, as is a
    # distinct count whose values each belong to one unit, and one plain aggregate is cheaper.
    per_unit = breakdown or spans_units
    group_by = [first.path_field] if per_unit else []
    yearly = by_year and bool(first.date_field) and first.period is None

    def add(results, *, to_total: bool, to_years: bool) -> None:
        for result in results:
            for cell in cells:
                indicator = known[cell.code]
                value, records = indicator.combine(
                    {name: result[alias] for name, alias in names[cell].items()}
                )
                figure = Figure(value if value is not None else 0, records)
                if to_total:
                    total[cell] = total[cell] + figure
                    if breakdown:
                        path = result[first.path_field]
                        per_path[path][cell] = per_path[path].get(cell, Figure(0, 0)) + figure
                if to_years:
                    year = result["report_year"]
                    years[year][cell] = years[year].get(cell, Figure(0, 0)) + figure

    def grouped(by: list[str]) -> list:
        if not by:
            return [rows.aggregate(**aggregates)]
        source = rows.annotate(report_year=ExtractYear(first.date_field)) if "report_year" in by else rows
        return list(source.order_by().values(*by).annotate(**aggregates))

    if yearly and distinct:
        # A distinct count over the period is not the sum of the years' (a case with petitions in
        # two years is one case of the period): the period and the years are counted apart.
        add(grouped(group_by), to_total=True, to_years=False)
        add(grouped([*group_by, "report_year"]), to_total=False, to_years=True)
    elif yearly:
        add(grouped([*group_by, "report_year"]), to_total=True, to_years=True)
    else:
        add(grouped(group_by), to_total=True, to_years=False)


def _finish(
    cells: Sequence[Cell], base: Mapping[Cell, Figure], known: Mapping[str, Indicator]
) -> dict[Cell, Figure]:
    out: dict[Cell, Figure] = {}
    for cell in cells:
        indicator = known.get(cell.code)
        if indicator is None:
            out[cell] = NOT_AVAILABLE
        elif indicator.derive is not None:
            codes, derive = indicator.derive
            out[cell] = derive(*(base.get(Cell(code, cell.filters), Figure(0, 0)) for code in codes))
        else:
            out[cell] = base.get(cell, Figure(0, 0))
    return out


def _rows(per_path, unit: Unit, frame: str, cells, known) -> list[Row]:
    buckets: dict[int | None, Row] = {}
    if frame == AS_IT_IS:
        placed = {
            path: (now_path, via, pk)
            for path, now_path, via, pk in UnitFrame.objects.filter(unit_path__in=list(per_path)).values_list(
                "unit_path", "now_path", "via", "unit_id"
            )
        }
    for path, figures in per_path.items():
        formerly = None
        if frame == AS_IT_IS:
            now_path, via, pk = placed.get(path, (unit.path, FrameVia.SELF, None))
            child = _child_id(now_path, unit.path)
            if via == FrameVia.ANCESTOR:
                formerly = pk
        else:
            child = _child_id(path, unit.path)
        row = buckets.setdefault(child, Row(unit_id=child))
        if formerly is not None:
            row.formerly.add(formerly)
        for cell, figure in figures.items():
            row.figures[cell] = row.figures.get(cell, Figure(0, 0)) + figure
    units = Unit.objects.in_bulk([pk for pk in buckets if pk is not None])
    out = []
    for pk, row in buckets.items():
        row.unit = units.get(pk) if pk is not None else unit
        row.figures = _finish(cells, row.figures, known)
        out.append(row)
    out.sort(key=lambda r: (r.unit_id is not None, r.unit.name if r.unit else ""))
    return out


def children_for_compare(unit: Unit, period: Period, frame: str, today: date) -> list[Unit]:
    """The units directly below, as they were during the period or as they are today."""
    if frame == AS_IT_IS:
        return list(unit.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("name"))
    return list(
        unit.children.filter(valid_from__lte=period.last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.first))
        .order_by("name")
    )
