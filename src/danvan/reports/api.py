"""The reports router: the indicator catalogue, one figure for (indicator, unit, period, frame,
filters), the records behind it, every form and the review as JSON, and exports (the file at once
when small, else a job to follow).

Thin: each route parses, calls one selector or service, and renders with `serialize`. A unit is
given by id (`unit`) or by official code (`unit_code`, with `unit_valid_from` when the code was
re-used); a period by name (`period=2024-Q1`, `I2024`, `2013..2022`) or by `from` and `to`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema, Status

from danvan.core.errors import DomainError
from danvan.units.access import require_anywhere

from . import presenters, selectors, serialize, services
from .engine import Cell, compute
from .forms import FORM_CODES, versions_of
from .models import ExportJob
from .review import review_report

router = Router(tags=["reports"])


class ReportQuery(Schema):
    unit: int | None = None
    unit_code: str = ""
    unit_valid_from: date | None = None
    period: str = ""
    first: date | None = Field(None, alias="from")
    last: date | None = Field(None, alias="to")
    frame: str = "as_it_was"


class FormQuery(ReportQuery):
    version: str = ""


class FigureQuery(ReportQuery):
    indicator: str
    filter: list[str] = Field(default_factory=list, description="dimension:value, repeated")
    row: int | None = None


class RecordsQuery(ReportQuery):
    cell: str
    row: int | None = None
    page: int = 1


class ExportIn(Schema):
    report: str = Field(description="a form code (01-tcd … kqgq03) or review")
    format: str
    unit: int | None = None
    period: str = ""
    first: date | None = Field(None, alias="from")
    last: date | None = Field(None, alias="to")
    frame: str = "as_it_was"
    version: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


def _today() -> date:
    return timezone.localdate()


def _scope(user, query: ReportQuery):
    if query.unit is None and not query.unit_code:
        raise DomainError(
            "reports.unit_missing",
            translation.gettext("Give the unit, by id or by its official code."),
            fields={"unit": translation.gettext("Give the unit.")},
        )
    period = selectors.period_of(period=query.period, first=query.first, last=query.last)
    unit = selectors.unit_for_report(
        user,
        unit_id=query.unit,
        code=query.unit_code,
        valid_from=query.unit_valid_from,
        on=period.last,
    )
    return unit, period, selectors.frame_parse(query.frame)


@router.get("/indicators", url_name="reports_indicators")
def indicators(request):
    """Every registered indicator: code, label, unit of measure, dimensions and the form columns it
    feeds. Figures of the review that no capability records yet are not listed (they are "not
    available" in reports)."""
    require_anywhere(request.auth, "report.view")
    return {"indicators": [serialize.indicator_data(i) for i in selectors.indicator_catalogue()]}


@router.get("/forms", url_name="reports_forms")
def forms(request):
    """The forms and their versions, with the dates each version covers."""
    require_anywhere(request.auth, "report.view")
    out = []
    for code in FORM_CODES:
        for declaration in versions_of(code):
            out.append(
                {
                    "form": code,
                    "form_number": str(declaration.form_number),
                    "version": declaration.version,
                    "circular": str(declaration.circular),
                    "title": str(declaration.title),
                    "valid_from": declaration.valid_from.isoformat(),
                    "valid_to": declaration.valid_to.isoformat() if declaration.valid_to else None,
                    "columns": len(declaration.columns),
                }
            )
    return {"forms": out}


@router.get("/figure", url_name="reports_figure")
def figure(request, query: Query[FigureQuery]):
    """One figure: its value, the number of records behind it and the query that made it."""
    user = request.auth
    unit, period, frame = _scope(user, query)
    indicator = selectors.indicator_get(query.indicator)
    filters: dict[str, str] = {}
    for text in query.filter:
        name, _sep, value = text.partition(":")
        if value not in indicator.dimensions.get(name, {}):
            raise DomainError(
                "reports.filter_invalid",
                translation.gettext("“%(filter)s” is not a dimension value of this indicator."),
                fields={"filter": translation.gettext("Not a dimension value of this indicator.")},
                filter=text,
            )
        filters[name] = value
    cell = Cell.of(indicator.code, filters)
    result = compute(user, [cell], unit=unit, period=period, frame=frame, today=_today(), breakdown=True)
    row = None
    if query.row is not None:
        own = query.row == unit.pk
        row = next((r for r in result.rows if r.unit_id == query.row or (own and r.unit_id is None)), None)
    value = row.figures[cell] if row is not None else result.total[cell]
    return serialize.figure_data(
        cell,
        str(indicator.label),
        indicator.measure,
        value,
        serialize.query_data(cell, unit, period, frame, row.unit if row else None),
        unit=serialize.unit_data(unit),
        **{"from": period.first.isoformat(), "to": period.last.isoformat(), "frame": frame},
    )


@router.get("/records", url_name="reports_records")
def records(request, query: Query[RecordsQuery]):
    """The records behind one figure, 50 a page, shown without anyone's identity."""
    user = request.auth
    unit, period, frame = _scope(user, query)
    cell = presenters.parse_cell(query.cell)
    drill = presenters.drilldown(
        user,
        cell,
        unit=unit,
        period=period,
        frame=frame,
        row_unit_id=query.row,
        today=_today(),
        page=query.page,
    )
    columns = [c.key for c in drill.source.columns]
    return {
        "cell": cell.key,
        "label": drill.label,
        "value": serialize.number(drill.figure.value),
        "records": drill.figure.records,
        "page": drill.page.number if drill.page else 1,
        "pages": drill.page.paginator.num_pages if drill.page else 1,
        "columns": [{"key": c.key, "label": str(c.label)} for c in drill.source.columns],
        "rows": [
            {
                "href": row["href"],
                **{key: str(c["value"]) for key, c in zip(columns, row["cells"], strict=True)},
            }
            for row in drill.rows
        ],
    }


@router.get("/forms/{code}", url_name="reports_form")
def form(request, code: str, query: Query[FormQuery]):
    """A form for the unit and period, every figure with its records count and query, a row per
    unit below, and the form's arithmetic checked."""
    user = request.auth
    unit, period, frame = _scope(user, query)
    report = selectors.form_report(
        user, form=code, unit=unit, period=period, frame=frame, today=_today(), version=query.version
    )
    return serialize.form_data(report)


@router.get("/review", url_name="reports_review")
def review(request, query: Query[ReportQuery]):
    """The mass mobilization review: figures, figures by year, narrative, what is not available."""
    user = request.auth
    unit, period, frame = _scope(user, query)
    return serialize.review_data(review_report(user, unit=unit, period=period, frame=frame, today=_today()))


def _job(job: ExportJob) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "status": job.status,
        "progress": job.progress,
        "file_name": job.file_name,
        "error": job.error,
        "error_code": job.error_code,
        "ready": job.ready,
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@router.post("/exports", url_name="reports_export")
def export(request, payload: ExportIn):
    """The report as XLSX, DOCX, PDF or CSV: the file at once when small (200), else a job (202)
    to follow at /exports/{id} and download from /exports/{id}/file when done."""
    kind = "review" if payload.report == "review" else "form"
    outcome = services.export_request(
        actor=request.auth,
        data=services.ExportInput(
            kind=kind,
            fmt=payload.format.lower(),
            unit_id=payload.unit,
            period=payload.period,
            first=payload.first,
            last=payload.last,
            frame=payload.frame,
            form=payload.report if kind == "form" else "",
            version=payload.version,
            options=payload.options,
        ),
        today=_today(),
        language=translation.get_language(),
    )
    if outcome.file is not None:
        return _attachment(outcome.file.data, outcome.file.name, outcome.file.content_type)
    return Status(202, _job(outcome.job))


@router.get("/exports/{job_id}", url_name="reports_export_job")
def export_job(request, job_id: str):
    return _job(services.export_job_get_for(request.auth, job_id))


@router.get("/exports/{job_id}/file", url_name="reports_export_file")
def export_file(request, job_id: str):
    job, path = services.export_job_file(request.auth, job_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
