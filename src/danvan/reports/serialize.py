"""Reports as plain data (JSON for the API and `danvan report --format json`): every figure with its
stable indicator code, label, value, the number of records behind it and the query that made it,
so any total can be asked for again or opened to its records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from danvan.core.indicators import Figure, Indicator
from danvan.units.models import Unit

from .engine import Cell
from .periods import Period
from .review import Review
from .selectors import FormReport, FormRow


def number(value: int | Decimal | None) -> int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def unit_data(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "valid_from": unit.valid_from.isoformat(),
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


def query_data(cell: Cell, unit: Unit, period: Period, frame: str, row: Unit | None = None) -> dict[str, Any]:
    """What to ask the API (GET /api/v1/reports/figure, /records) for this figure again."""
    out = {
        "indicator": cell.code,
        "filters": dict(cell.filters),
        "cell": cell.key,
        "unit": unit.pk,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "frame": frame,
    }
    if row is not None:  # a row of the breakdown; the report's own unit there means its own records
        out["row"] = row.pk
    return out


def figure_data(
    cell: Cell, label: str, measure: str, figure: Figure, query: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "code": cell.code,
        "filters": dict(cell.filters),
        "label": label,
        "measure": measure,
        "value": number(figure.value),
        "available": figure.value is not None,
        "records": figure.records,
        **extra,
        "query": query,
    }


def _row_figures(report: FormReport, row: FormRow) -> list[dict[str, Any]]:
    result = report.result
    out = []
    for column in report.columns:
        cell = column.cell
        if cell is None:
            continue
        out.append(
            figure_data(
                cell,
                str(column.label),
                _measure(cell.code),
                row.figures[column.number],
                query_data(cell, result.unit, result.period, result.frame, row.unit),
                column=column.number,
                groups=[str(g) for g in column.groups],
            )
        )
    return out


def _measure(code: str) -> str:
    from danvan.core.indicators import registry

    indicator = registry().get(code)
    return indicator.measure if indicator else "count"


def form_data(report: FormReport) -> dict[str, Any]:
    declaration, result = report.declaration, report.result
    return {
        "kind": "form",
        "form": declaration.code,
        "form_number": str(declaration.form_number),
        "version": declaration.version,
        "circular": str(declaration.circular),
        "title": str(declaration.title),
        "unit": unit_data(result.unit),
        "from": result.period.first.isoformat(),
        "to": result.period.last.isoformat(),
        "frame": result.frame,
        "columns": [
            {"number": c.number, "label": str(c.label), "groups": [str(g) for g in c.groups], "code": c.code}
            for c in declaration.columns
        ],
        "figures": _row_figures(report, report.total),
        "rows": [
            {
                "unit": unit_data(row.unit),
                "label": row.label,
                "formerly": row.formerly,
                "figures": _row_figures(report, row),
            }
            for row in report.rows
        ],
        "checks": [
            {
                "check": c.text,
                "row": c.row,
                "expected": number(c.expected),
                "got": number(c.got),
                "holds": c.holds,
            }
            for c in report.checks
        ],
        "notes": [str(n) for n in declaration.notes],
    }


def review_data(review: Review) -> dict[str, Any]:
    return {
        "kind": "review",
        "title": review.title,
        "unit": unit_data(review.unit),
        "from": review.period.first.isoformat(),
        "to": review.period.last.isoformat(),
        "frame": review.frame,
        "figures": [
            figure_data(
                Cell(item.code),
                item.label,
                item.measure,
                item.figure,
                query_data(Cell(item.code), review.unit, review.period, review.frame),
                section=section.key,
                years={str(year): number(f.value) for year, f in sorted(item.years.items())},
            )
            for section in review.sections
            for item in section.items
        ],
        "sections": [{"key": s.key, "title": s.title, "paragraph": s.paragraph} for s in review.sections],
        "paragraphs": review.paragraphs,
        "not_available": review.not_available,
    }


def indicator_data(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "label": str(indicator.label),
        "measure": indicator.measure,
        "derived": indicator.derived,
        "dimensions": {
            name: [{"value": value, "label": str(d.label)} for value, d in values.items()]
            for name, values in indicator.dimensions.items()
        },
        "form_columns": {form: list(columns) for form, columns in indicator.form_columns.items()},
        "description": str(indicator.description),
    }
