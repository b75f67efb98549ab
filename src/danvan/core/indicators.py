"""The indicator registry: the figures each app contributes to reports.

An app declares its indicators in its `indicators.py` (found at start-up, as Django's admin finds
`admin.py`), so the reports engine counts records without knowing any app's tables. An indicator
names the records it counts (a scoped queryset), the date and unit-path fields that place each
record in a period and a unit, the dimensions it can be split by, and how the value is aggregated.
A figure always carries the number of records behind it, so every total opens to its records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

COUNT, PEOPLE = "count", "people"


@dataclass(frozen=True)
class Figure:
    value: int | None  # None: not available (no capability records it)
    records: int


@dataclass(frozen=True)
class Indicator:
    """`records(user)` is the scoped queryset; `value(queryset)` aggregates it to a Figure;
    `dimensions` maps each dimension to {value: filter function on the queryset}."""

    code: str
    label: str | Promise
    measure: str
    records: Callable[[Any], QuerySet]
    date_field: str
    path_field: str
    value: Callable[[QuerySet], Figure]
    dimensions: Mapping[str, Mapping[str, Callable[[QuerySet], QuerySet]]] = field(default_factory=dict)
    form_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # form -> column numbers


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
    """The indicator over the records of the unit at `unit_path` and every unit below it, dated in
    [first, last], narrowed by dimension values; scoped to `user` like every read."""
    from danvan.units.models import subtree_q

    indicator = get(code)
    rows = indicator.records(user).filter(subtree_q(unit_path, indicator.path_field))
    rows = rows.filter(**{f"{indicator.date_field}__gte": first, f"{indicator.date_field}__lte": last})
    for dimension, wanted in (filters or {}).items():
        try:
            rows = indicator.dimensions[dimension][wanted](rows)
        except KeyError:
            raise LookupError(f"{code}: {dimension}={wanted}") from None
    return indicator.value(rows)
