"""The reads of a unit's dashboard: today's overdue and due-soon petitions, this year's key figures
against the same days of last year, figures by year, and the heads' reception days.

Everything is scoped to the user: the petitions through the worklist's own counts
(`petitions.selectors.petition_counts_for`), the figures through `engine.compute`, the reception
days through `reception.selectors.compliance_for`. A figure that no capability records is "not
available", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError
from danvan.core.indicators import COUNT, PEOPLE, PERCENT, Figure, registry
from danvan.petitions.selectors import WorklistFilter, petition_counts_for
from danvan.reception.selectors import ComplianceRow, compliance_for
from danvan.units.models import Unit

from . import engine
from .engine import AS_IT_IS, AS_IT_WAS, Cell
from .periods import Period, period_between

# The key figures, in the order shown, with a label and measure for when no capability registers
# them yet (then they are "not available").
KEY_FIGURES: tuple[tuple[str, object, str], ...] = (
    ("petitions.received", _("Petitions received"), COUNT),
    ("petitions.within_authority", _("Petitions within its authority"), COUNT),
    ("petitions.within_authority_resolved", _("Petitions within its authority resolved"), COUNT),
    ("petitions.resolution_rate", _("Resolution rate"), PERCENT),
    ("petitions.on_time_rate", _("Resolved within the time limit"), PERCENT),
    ("reception.visits", _("Visits received"), COUNT),
    ("reception.people", _("People received"), PEOPLE),
)
TREND_CODES = ("petitions.received", "reception.visits", "reception.people")
TREND_YEARS = 5
COMPLIANCE_ROWS = 20


@dataclass
class KeyFigure:
    cell: Cell
    label: str
    measure: str
    this: Figure
    last: Figure

    @property
    def change(self):
        """This year less last year; None when either is not available."""
        if self.this.value is None or self.last.value is None:
            return None
        return self.this.value - self.last.value


@dataclass
class Dashboard:
    unit: Unit
    today: date
    frame: str
    period: Period
    last_period: Period
    figures: list[KeyFigure]
    petitions: dict[str, int]
    years: list[int] = field(default_factory=list)
    trend: dict[str, dict[int, Figure]] = field(default_factory=dict)
    compliance: list[ComplianceRow] = field(default_factory=list)
    compliance_more: int = 0
    last_year_note: str = ""


def label_of(code: str) -> str:
    indicator = registry().get(code)
    if indicator is not None:
        return str(indicator.label)
    return str(next((label for c, label, _m in KEY_FIGURES if c == code), code))


def measure_of(code: str) -> str:
    indicator = registry().get(code)
    if indicator is not None:
        return indicator.measure
    return next((m for c, _l, m in KEY_FIGURES if c == code), COUNT)


def same_days_last_year(period: Period) -> Period:
    first = period.first.replace(year=period.first.year - 1)
    try:
        last = period.last.replace(year=period.last.year - 1)
    except ValueError:  # 29 February
        last = period.last.replace(year=period.last.year - 1, day=28)
    return period_between(first, last)


def frame_for(unit: Unit, today: date) -> str:
    """Today's units are shown with the records of the units merged into them; a unit that ended
    is shown as it was."""
    return AS_IT_IS if unit.valid_to is None or unit.valid_to >= today else AS_IT_WAS


def dashboard_for(user, *, unit: Unit, today: date) -> Dashboard:
    frame = frame_for(unit, today)
    period = period_between(date(today.year, 1, 1), today)
    last_period = same_days_last_year(period)
    cells = [Cell(code) for code, _label, _measure in KEY_FIGURES]
    trend_cells = [Cell(code) for code in TREND_CODES]
    trend_period = period_between(date(today.year - TREND_YEARS + 1, 1, 1), today)
    this = engine.compute(user, cells, unit=unit, period=period, frame=frame, today=today).total
    note = ""
    try:
        last = engine.compute(user, cells, unit=unit, period=last_period, frame=frame, today=today).total
    except DomainError as exc:  # the unit did not exist last year (as it was)
        last = {}
        note = exc.message
    figures = [
        KeyFigure(
            cell=cell,
            label=label_of(cell.code),
            measure=measure_of(cell.code),
            this=this[cell],
            last=last.get(cell, Figure(None, 0)),
        )
        for cell in cells
    ]
    result = engine.compute(
        user, trend_cells, unit=unit, period=trend_period, frame=frame, today=today, by_year=True
    )
    years = sorted(result.years)
    trend = {cell.code: {year: result.years[year][cell] for year in years} for cell in trend_cells}
    compliance = compliance_for(
        user, unit_id=unit.pk, first=period.first, last=today, below=True, today=today
    )
    compliance.sort(key=lambda row: (-row.missed, row.duty.unit_path, row.duty.position))
    return Dashboard(
        unit=unit,
        today=today,
        frame=frame,
        period=period,
        last_period=last_period,
        figures=figures,
        petitions=petition_counts_for(user, WorklistFilter(), today=today),
        years=years,
        trend=trend,
        compliance=compliance[:COMPLIANCE_ROWS],
        compliance_more=max(0, len(compliance) - COMPLIANCE_ROWS),
        last_year_note=note,
    )
