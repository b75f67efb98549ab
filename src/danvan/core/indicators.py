"""The indicator registry: the figures each app contributes to reports.

An app declares its indicators in its `indicators.py` (found at start-up, as Django's admin finds
`admin.py`), so the reports engine counts records without knowing any app's tables. An indicator
names the records it counts (a scoped queryset), the date and unit-path fields that place each
record in a period and a unit, the condition a record must meet (`where`), and the SQL aggregates
that make its value. Values are additive over units (counts, sums, distinct cases per unit), so
the engine computes every figure of a report in one grouped query per record source and adds the
rows up through either frame of the unit tree. A figure always carries the number of records
behind it, so every total opens to its records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

COUNT, PEOPLE, MONEY, AREA, PERCENT = "count", "people", "money", "area", "percent"
Value = int | Decimal | None


@dataclass(frozen=True)
class Figure:
    value: Value  # None: not available (no capability records it, or a rate of nothing)
    records: int

    def __add__(self, other: Figure) -> Figure:
        if self.value is None or other.value is None:
            return Figure(None, self.records + other.records)
        return Figure(self.value + other.value, self.records + other.records)


NOT_AVAILABLE = Figure(None, 0)


@dataclass(frozen=True)
class DimensionValue:
    label: str | Promise
    where: Q


def _count(where: Q) -> dict[str, Aggregate]:
    return {"value": Count("pk", filter=where), "records": Count("pk", filter=where)}


def _as_figure(row: Mapping[str, Any]) -> tuple[Value, int]:
    return row["value"] or 0, row["records"] or 0


@dataclass(frozen=True)
class Indicator:
    """One figure of reports.

    `records(user)` is the scoped queryset of the source; `date_field` places a record in a period
    (or `period(first, last)` gives the condition, for figures such as "carried over" whose period
    is not a plain date range); `where` is the condition every counted record meets, and `counted`
    narrows it to the records shown behind the figure when the value is made of fewer rows (the
    first visit of each first-time case);
    `aggregates(condition)` gives the named SQL aggregates over the records meeting `condition`,
    and `combine(row)` turns one group's results into (value, records). `dimensions` maps each
    dimension to its values, each a label and a further condition. A derived figure (a rate) has
    `derive` instead: the codes it needs and a function of their figures.
    """

    code: str
    label: str | Promise
    measure: str
    records: Callable[[Any], QuerySet] | None = None
    date_field: str = ""
    path_field: str = "unit_path"
    where: Q = field(default_factory=Q)
    counted: Q = field(default_factory=Q)  # of the rows meeting `where`, those behind the figure
    aggregates: Callable[[Q], Mapping[str, Aggregate]] = _count
    combine: Callable[[Mapping[str, Any]], tuple[Value, int]] = _as_figure
    period: Callable[[date, date], Q] | None = None
    period_name: str = ""  # tells apart custom periods over the same source
    dimensions: Mapping[str, Mapping[str, DimensionValue]] = field(default_factory=dict)
    derive: tuple[tuple[str, ...], Callable[..., Figure]] | None = None
    form_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # form -> column numbers
    description: str | Promise = ""
    # A distinct count whose values each belong to one unit (a model is one unit's) adds up over
    # units as it is: the engine need not group it by unit to keep it additive.
    distinct_within_unit: bool = False

    @property
    def derived(self) -> bool:
        return self.derive is not None

    def period_q(self, first: date, last: date) -> Q:
        if self.period is not None:
            return self.period(first, last)
        return Q(**{f"{self.date_field}__gte": first, f"{self.date_field}__lte": last})

    @property
    def query_key(self) -> tuple:
        """Indicators with the same key are computed by the same grouped query."""
        return (self.records, self.path_field, self.date_field, self.period_name)

    def condition(self, filters: Mapping[str, str] | None = None) -> Q:
        """`where` narrowed by dimension values; an unknown dimension or value is a LookupError."""
        condition = self.where
        for dimension, wanted in (filters or {}).items():
            try:
                condition &= self.dimensions[dimension][wanted].where
            except KeyError:
                raise LookupError(f"{self.code}: {dimension}={wanted}") from None
        return condition


def total(field_name: str) -> Callable[[Q], Mapping[str, Aggregate]]:
    """Aggregates summing `field_name` (people, money, area) over the counted records."""

    def aggregates(where: Q) -> dict[str, Aggregate]:
        return {"value": Sum(field_name, filter=where), "records": Count("pk", filter=where)}

    return aggregates


def distinct(field_name: str) -> Callable[[Q], Mapping[str, Aggregate]]:
    """Aggregates counting distinct `field_name` (cases) over the counted records."""

    def aggregates(where: Q) -> dict[str, Aggregate]:
        return {"value": Count(field_name, filter=where, distinct=True), "records": Count("pk", filter=where)}

    return aggregates


def rate(numerator: str, denominator: str) -> tuple[tuple[str, ...], Callable[..., Figure]]:
    """A percentage of two figures, with one decimal; not available when the denominator is 0."""

    def derive(top: Figure, bottom: Figure) -> Figure:
        if not bottom.value or top.value is None:
            return Figure(None, bottom.records)
        value = (Decimal(top.value) * 100 / Decimal(bottom.value)).quantize(Decimal("0.1"))
        return Figure(value, bottom.records)

    return (numerator, denominator), derive


_registry: dict[str, Indicator] = {}
_discovered = False


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in _registry and _registry[indicator.code] is not indicator:
            raise ValueError(f"indicator {indicator.code} registered twice")
        _registry[indicator.code] = indicator


def registry() -> dict[str, Indicator]:
    global _discovered
    if not _discovered:
        autodiscover_modules("indicators")
        _discovered = True
    return dict(_registry)


def get(code: str) -> Indicator:
    try:
        return registry()[code]
    except KeyError:
        raise LookupError(code) from None


def figure(
    code: str,
    *,
    user,
    unit_path: str,
    first: date,
    last: date,
    filters: Mapping[str, str] | None = None,
) -> Figure:
    """The indicator over the records of the unit at `unit_path` and every unit below it (the tree
    as it was), dated in [first, last], narrowed by dimension values; scoped to `user`."""
    from danvan.units.models import subtree_q

    indicator = get(code)
    if indicator.derive is not None:
        codes, derive = indicator.derive
        parts = [
            figure(c, user=user, unit_path=unit_path, first=first, last=last, filters=filters) for c in codes
        ]
        return derive(*parts)
    if indicator.records is None:
        raise LookupError(code)
    condition = indicator.condition(filters)
    rows = indicator.records(user).filter(subtree_q(unit_path, indicator.path_field))
    rows = rows.filter(indicator.period_q(first, last))
    value, records = indicator.combine(rows.aggregate(**indicator.aggregates(condition)))
    return Figure(value, records)
