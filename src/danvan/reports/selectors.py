"""Reads of the reports app: a form for a unit and period, the review, the catalogue. Every figure
comes from `engine.compute`, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError, NotFound
from danvan.core.indicators import Figure, Indicator, registry
from danvan.units import access
from danvan.units.models import Unit, subtree_q, valid_on_q

from . import engine
from .declarations import Column, FormDeclaration
from .engine import AS_IT_WAS, Cell, Result
from .forms import form_for
from .models import PeriodTotal
from .periods import Period, period_between, period_parse


@dataclass(frozen=True)
class CheckResult:
    text: str
    row: str  # the unit's name, or "" for the total
    expected: Any
    got: Any

    @property
    def holds(self) -> bool:
        return self.expected == self.got


@dataclass
class FormRow:
    unit: Unit | None  # None: the total row
    label: str
    figures: dict[str, Figure]  # column number -> figure
    formerly: list[str] = field(default_factory=list)


@dataclass
class FormReport:
    declaration: FormDeclaration
    result: Result
    total: FormRow
    rows: list[FormRow]
    checks: list[CheckResult]

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.declaration.columns

    @property
    def checks_hold(self) -> bool:
        return all(c.holds for c in self.checks)


def unit_for_report(
    user, *, code: str = "", unit_id: int | None = None, valid_from: date | None = None, on: date
) -> Unit:
    """The unit a report is asked for: by id, or by official code (with its valid_from when the code
    was used by several units over time; otherwise the unit of that code valid on `on`, or the
    latest one). Outside the user's scope it is "not found"."""
    units = access.visible(user, Unit, "unit.view")
    if unit_id is not None:
        found = units.filter(pk=unit_id).first()
    else:
        rows = units.filter(code=code)
        if valid_from is not None:
            rows = rows.filter(valid_from=valid_from)
        found = rows.filter(valid_on_q(on)).first() or rows.order_by("-valid_from").first()
    if found is None or not access.scope_for(user, "report.view").covers(found):
        raise NotFound()
    return found


def frame_parse(text: str) -> str:
    """ "as-it-was" / "as_it_was" (default) or "as-it-is"; anything else is refused."""
    frame = (text or AS_IT_WAS).strip().lower().replace("-", "_")
    if frame not in engine.FRAMES:
        raise DomainError(
            "reports.frame_unknown",
            _("Choose the frame “as it was” or “as it is now”."),
            fields={"frame": _("Unknown frame.")},
        )
    return frame


def period_of(*, period: str = "", first: date | None = None, last: date | None = None) -> Period:
    """The period named (2024-Q1, I2024, 2013..2022) or the dates given, checked."""
    if period:
        return period_parse(period)
    if first is None or last is None:
        raise DomainError(
            "reports.period_missing",
            _("Give a period (such as 2024 or 2024-Q1) or both dates, from and to."),
            fields={"period": _("Give a period or both dates.")},
        )
    return period_between(first, last)


def _figures(columns, figures: dict[Cell, Figure]) -> dict[str, Figure]:
    return {c.number: figures[c.cell] for c in columns if c.cell is not None}


def _check(declaration: FormDeclaration, row: FormRow) -> list[CheckResult]:
    out = []
    for check in declaration.checks:
        if any(number not in row.figures for number in (check.column, *check.parts)):
            continue  # a column left to be written by hand has no figure to check
        parts = [row.figures[p].value for p in check.parts]
        expected = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        out.append(CheckResult(check.text, row.label, expected, row.figures[check.column].value))
    return out


def form_report(
    user,
    *,
    form: str,
    unit: Unit,
    period: Period,
    frame: str = AS_IT_WAS,
    today: date,
    version: str = "",
    breakdown: bool = True,
) -> FormReport:
    """Form `form` for the unit and period: a row per unit directly below (and the unit's own
    records), the total, and the form's arithmetic checked on every row."""
    declaration = form_for(form, period.first, period.last, version)
    result = engine.compute(
        user, declaration.cells, unit=unit, period=period, frame=frame, today=today, breakdown=breakdown
    )
    total = FormRow(None, _("Total"), _figures(declaration.columns, result.total))
    rows = []
    formerly = {u.pk: u.name for u in result.formerly}
    for row in result.rows:
        shown = row.unit if row.unit_id is not None and row.unit is not None else unit
        label = _("%(unit)s (own records)") % {"unit": unit.name} if shown is unit else shown.name
        rows.append(
            FormRow(
                shown,
                label,
                _figures(declaration.columns, row.figures),
                sorted(formerly[pk] for pk in row.formerly if pk in formerly),
            )
        )
    checks = [c for r in [total, *rows] for c in _check(declaration, r)]
    return FormReport(declaration, result, total, rows, checks)


def indicator_catalogue() -> list[Indicator]:
    return sorted(registry().values(), key=lambda i: i.code)


def indicator_get(code: str) -> Indicator:
    try:
        return registry()[code]
    except KeyError:
        raise DomainError(
            "reports.indicator_unknown",
            _("There is no indicator “%(code)s”."),
            fields={"indicator": _("Unknown indicator.")},
            code=code,
        ) from None


# ---- period totals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalConflict:
    """A counted total and the itemised records of its unit, indicator, breakdown and period that
    it replaces: the user keeps the total or withdraws it."""

    total: PeriodTotal
    records: int


def period_totals_for(user, *, unit: Unit, indicator: str = "", year: int | None = None) -> QuerySet:
    """The period totals (counted and withdrawn) of the unit and every unit below it that the user
    may see, narrowed to one indicator and to those whose period touches one year; newest first."""
    rows = access.visible(user, PeriodTotal, "report.view").filter(subtree_q(unit.path, "unit_path"))
    if indicator:
        rows = rows.filter(indicator=indicator)
    if year is not None:
        rows = rows.filter(first__lte=date(year, 12, 31), last__gte=date(year, 1, 1))
    return rows.select_related("unit", "import_batch").order_by("-first", "unit_path", "indicator", "pk")


def period_total_conflicts_for(user, *, unit: Unit | None = None) -> list[TotalConflict]:
    """The counted totals the user may see (of `unit`'s subtree) not yet kept over records, whose
    unit has itemised records of the indicator in the total's period meeting its breakdown, with
    how many (the records the user may see). One query for the breakdowns at stake, then one per
    indicator and breakdown: each total counts its records in a subquery."""
    candidates = engine.visible_totals(user).filter(kept_over_records=False)
    if unit is not None:
        candidates = candidates.filter(subtree_q(unit.path, "unit_path"))
    out: list[TotalConflict] = []
    pairs = candidates.order_by().values_list("indicator", "filters_key").distinct()
    known = registry()
    for code, key in sorted(set(pairs)):
        indicator = known.get(code)
        if indicator is None or indicator.records is None or not engine.totals_allowed(indicator):
            continue
        sample = candidates.filter(indicator=code, filters_key=key).only("filters").first()
        if sample is None:
            continue  # removed since the breakdowns were listed: nothing of it can conflict
        try:
            condition = indicator.condition(dict(sample.filters or {})) & indicator.counted
        except LookupError:
            continue  # a breakdown the indicator no longer has: nothing of it can conflict
        date_field = indicator.date_field
        records = (
            indicator.records(user)
            .filter(condition)
            .filter(
                **{
                    indicator.path_field: OuterRef("unit_path"),
                    f"{date_field}__gte": OuterRef("first"),
                    f"{date_field}__lte": OuterRef("last"),
                }
            )
            .order_by()
            .values(indicator.path_field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = (
            candidates.filter(indicator=code, filters_key=key)
            .annotate(itemised=Subquery(records[:1]))
            .filter(itemised__gt=0)
            .select_related("unit", "import_batch")
            .order_by("first", "unit_path", "pk")
        )
        out.extend(TotalConflict(total, total.itemised) for total in rows)
    out.sort(key=lambda c: (c.total.first, c.total.unit_path, c.total.pk))
    return out
