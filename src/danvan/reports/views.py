"""Report pages: the chooser, a form on screen with every number opening to its records, the records
behind a figure, the units below side by side, the unit's dashboard, and the review.

Thin like every page: parse the query (`forms_ui`), call the engine or one selector, render. The
engine's refusals (a period that ends before it starts, a unit that did not exist in the period, a
form version that does not cover it) land on the chooser's fields with the error summary; a unit
outside the user's reach is "not found". "Today" is `timezone.localdate()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core.context_processors import current_unit, role_units
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.indicators import Figure, registry
from danvan.core.views import form_domain_error, page
from danvan.units import access
from danvan.units.forms import MAX_UNIT_OPTIONS
from danvan.units.models import Unit

from . import charts, dashboard, engine, presenters, selectors, services
from .engine import AS_IT_IS, Cell
from .forms_ui import REVIEW, ChooserForm, CompareForm, ReportForm
from .models import PeriodTotal
from .periods import Period, period_between, previous
from .totals_forms import TotalForm, TotalsFilterForm

ACTION = "report.view"
QUERY_KEYS = ("unit", "unit_code", "period", "first", "last", "frame", "form", "indicator")
CHART_BARS = 25  # the compare chart draws the largest; the table lists every unit
EXPORT_FORMATS = (("xlsx", "XLSX"), ("docx", "DOCX"), ("pdf", "PDF"), ("csv", "CSV"))


def _today() -> date:
    return timezone.localdate()


def _default_unit(request) -> Unit | None:
    """The unit the user works in now if they may report on it, else the first such unit."""
    scope = access.scope_for(request.user, ACTION)
    here = current_unit(request)
    if here is not None and scope.covers(here):
        return here
    return next((unit for unit in role_units(request.user) if scope.covers(unit)), None)


def _unit_options(user, chosen: Unit | None) -> list[Unit]:
    """The units the user may report on, in tree order, for the select (the first ones when there
    are very many: any other is typed as its code)."""
    units = list(access.visible(user, Unit, ACTION).order_by("path")[:MAX_UNIT_OPTIONS])
    if chosen is not None and all(unit.pk != chosen.pk for unit in units):
        units.append(chosen)
    return units


def period_params(period: Period) -> dict[str, str]:
    if period.name:
        return {"period": period.name}
    return {"first": f"{period.first:%d/%m/%Y}", "last": f"{period.last:%d/%m/%Y}"}


def query_params(unit: Unit, period: Period, frame: str, **extra: Any) -> dict[str, Any]:
    return {"unit": unit.pk, **period_params(period), "frame": frame, **extra}


def records_href(cell: Cell, unit: Unit, period: Period, frame: str, row: Unit | None = None) -> str:
    params = query_params(unit, period, frame, cell=cell.key)
    if row is not None:
        params["row"] = row.pk
    return reverse("reports:records") + "?" + urlencode(params)


@dataclass
class Query:
    form: ReportForm
    unit: Unit | None = None
    period: Period | None = None
    frame: str = ""

    @property
    def ok(self) -> bool:
        return self.unit is not None and self.period is not None and not self.form.errors

    @property
    def params(self) -> dict[str, Any]:
        return query_params(self.unit, self.period, self.frame) if self.ok else {}

    @property
    def querystring(self) -> str:
        return urlencode(self.params)


def _query(request, form_class=ReportForm, *, data=None, options: bool = True, **kwargs) -> Query:
    """The unit, period and frame asked for. Unbound (nothing asked yet): the current unit and
    this year. A unit out of reach is "not found"; the engine's other refusals land on the form.
    Without `options` the unit select is left empty (a page that shows no form)."""
    user = request.user
    today = _today()
    default = _default_unit(request)
    if data is None and any(key in request.GET for key in QUERY_KEYS):
        data = request.GET
    units: list[Unit] = []
    if options:
        chosen = None
        if data is not None and (data.get("unit") or "").isdigit():
            chosen = Unit.objects.filter(pk=int(data["unit"])).first()
        units = _unit_options(user, chosen or default)
    initial = {"unit": default.pk if default else None, "period": str(today.year), "frame": engine.AS_IT_WAS}
    form = form_class(data, units=units, initial=initial, **kwargs)
    if data is None or not form.is_valid():
        return Query(form)
    cleaned = form.cleaned_data
    period: Period = cleaned["period_value"]
    code = (cleaned.get("unit_code") or "").strip()
    if code:
        try:
            unit = selectors.unit_for_report(user, code=code, on=period.last)
        except NotFound:
            form.add_error("unit_code", _("None of your units has the code %(code)s.") % {"code": code})
            return Query(form)
    else:
        unit = selectors.unit_for_report(user, unit_id=cleaned["unit"], on=period.last)
    try:
        engine.scope_check(user, unit=unit, period=period, frame=cleaned["frame"], today=today)
    except DomainError as exc:
        form_domain_error(form, exc, field_map={"last": "period" if cleaned.get("period") else "last"})
        return Query(form)
    return Query(form, unit, period, cleaned["frame"])


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _chooser_response(request, form, *, status: int | None = None):
    return render(
        request,
        "reports/chooser.html",
        {"form": form, "section": "chooser"},
        status=status if status is not None else _status(form),
    )


# ---- the chooser -------------------------------------------------------------------------------


@page(ACTION)
@require_GET
def chooser(request):
    """Choose a unit, a period, a frame and a form (or the review); then open it."""
    query = _query(request, ChooserForm)
    if query.ok and not request.GET.get("change"):
        code = query.form.cleaned_data["form"]
        if code == REVIEW:
            return redirect(reverse("reports:review") + "?" + query.querystring)
        try:
            from .forms import form_for

            form_for(code, query.period.first, query.period.last)
        except DomainError as exc:
            form_domain_error(query.form, exc, field_map={"version": "form"})
        else:
            return redirect(reverse("reports:form", args=[code]) + "?" + query.querystring)
    return _chooser_response(request, query.form)


# ---- a form on screen --------------------------------------------------------------------------


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    group: bool = False


def header_rows(columns) -> list[list[HeaderCell]]:
    """The form's column headers as rows of cells with colspan and rowspan: each column's groups
    (outermost first) merged across neighbouring columns that share them, then its label."""
    depth = max((len(c.groups) for c in columns), default=0) + 1
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    for level in range(depth):
        previous_key = None
        for column in columns:
            groups = [str(g) for g in column.groups]
            if level < len(groups):
                key = tuple(groups[: level + 1])
                if previous_key == key:
                    rows[level][-1].colspan += 1
                else:
                    rows[level].append(HeaderCell(groups[level], group=True))
                previous_key = key
            elif level == len(groups):
                rows[level].append(HeaderCell(str(column.label), rowspan=depth - level))
                previous_key = None
            else:
                previous_key = None
    return rows


def _export_url() -> str:
    try:
        return reverse("reports:export_start")
    except NoReverseMatch:
        return ""


@page(ACTION)
@require_GET
def form_page(request, code: str):
    """Form `code` for the unit and period: a row per unit below, the unit's own records and the
    total; every number a link to its records; the form's arithmetic checked."""
    data = request.GET.copy()
    data["form"] = code
    query = _query(request, ChooserForm, data=data)
    if not query.ok:
        return _chooser_response(request, query.form)
    unit, period, frame = query.unit, query.period, query.frame
    try:
        report = selectors.form_report(
            request.user,
            form=code,
            unit=unit,
            period=period,
            frame=frame,
            today=_today(),
            version=request.GET.get("version", ""),
        )
    except DomainError as exc:
        form_domain_error(query.form, exc, field_map={"version": "form"})
        return _chooser_response(request, query.form, status=400)
    known = registry()
    measures = {c.number: (known[c.code].measure if c.code in known else "count") for c in report.columns}

    def cells_of(row, row_unit) -> list[dict]:
        out = []
        for column in report.columns:
            figure = row.figures.get(column.number)
            if column.cell is None or figure is None:
                out.append({"number": column.number, "figure": None})
                continue
            out.append(
                {
                    "number": column.number,
                    "figure": figure,
                    "measure": measures[column.number],
                    "href": records_href(column.cell, unit, period, frame, row_unit),
                }
            )
        return out

    rows = [
        {"label": row.label, "formerly": row.formerly, "unit": row.unit, "cells": cells_of(row, row.unit)}
        for row in report.rows
    ]
    context = {
        "section": "chooser",
        "report": report,
        "declaration": report.declaration,
        "unit": unit,
        "period": period,
        "frame": frame,
        "frame_label": presenters.FRAME_LABELS[frame],
        "header_rows": header_rows(report.columns),
        "rows": rows,
        "total": {"label": report.total.label, "cells": cells_of(report.total, None)},
        "failed_checks": [c for c in report.checks if not c.holds],
        "formerly": report.result.formerly,
        "export_url": _export_url(),
        "export_formats": EXPORT_FORMATS,
        "export_fields": {"kind": "form", "form": code, **query.params},
        "query": query,
        "compare_href": reverse("reports:compare") + "?" + query.querystring,
        "review_href": reverse("reports:review") + "?" + query.querystring,
    }
    return render(request, "reports/form.html", context)


# ---- the records behind a figure ---------------------------------------------------------------


@page(ACTION)
@require_GET
def records(request):
    """The records behind one figure, 50 a page, with the figure and the query that made it."""
    cell = presenters.parse_cell(request.GET.get("cell", ""))
    query = _query(request, options=False)
    if not query.ok:
        return render(request, "reports/records.html", {"form": query.form, "drill": None}, status=400)
    row = request.GET.get("row") or None
    if row is not None and not row.isdigit():
        raise NotFound()
    drill = presenters.drilldown(
        request.user,
        cell,
        unit=query.unit,
        period=query.period,
        frame=query.frame,
        row_unit_id=int(row) if row else None,
        today=_today(),
        page=request.GET.get("page") or 1,
    )
    totals = list(
        engine.totals_for(
            request.user,
            cell,
            unit=query.unit,
            period=query.period,
            frame=query.frame,
            row_unit_id=int(row) if row else None,
            today=_today(),
        )
    )
    if totals or registry()[cell.code].derive is not None:
        drill.figure = _figure_with_totals(request.user, cell, query, int(row) if row else None, drill.figure)
    context = {
        "form": query.form,
        "drill": drill,
        "totals": totals,
        "back_href": reverse("reports:compare") + "?" + urlencode({**query.params, "indicator": cell.key}),
    }
    return render(request, "reports/records.html", context)


def _figure_with_totals(user, cell: Cell, query: Query, row_unit_id: int | None, figure: Figure) -> Figure:
    """The figure as reports show it, totals included: from the engine (one row of it when the
    drill-down is of a row), so the count of the page is the figure's records and totals."""
    known = registry()[cell.code]
    codes = known.derive[0] if known.derive is not None else (cell.code,)
    if known.derive is not None and not engine.visible_totals(user).filter(indicator__in=codes).exists():
        return figure
    result = engine.compute(
        user,
        [cell],
        unit=query.unit,
        period=query.period,
        frame=query.frame,
        today=_today(),
        breakdown=row_unit_id is not None,
    )
    if row_unit_id is None:
        return result.total[cell]
    wanted = None if row_unit_id == query.unit.pk else row_unit_id
    return next((r.figures[cell] for r in result.rows if r.unit_id == wanted), figure)


# ---- compare -----------------------------------------------------------------------------------


def indicator_choices() -> list[tuple[str, str]]:
    """Every registered figure, and each of its dimension values."""
    out = []
    for code, indicator in sorted(registry().items()):
        out.append((code, f"{indicator.label} ({code})"))
        for dimension, values in indicator.dimensions.items():
            for value, known in values.items():
                cell = Cell.of(code, {dimension: value})
                out.append((cell.key, f"{indicator.label} — {known.label}"))
    return out


def _change(this: Figure, before: Figure | None):
    if before is None or this.value is None or before.value is None:
        return None
    return this.value - before.value


@page(ACTION)
@require_GET
def compare(request):
    """One figure for the units directly below, side by side (table and bar chart), and this period
    against the one before."""
    query = _query(request, CompareForm, indicators=indicator_choices())
    context: dict[str, Any] = {"form": query.form, "section": "compare", "query": query}
    if not query.ok:
        return render(request, "reports/compare.html", context, status=_status(query.form))
    cell = presenters.parse_cell(query.form.cleaned_data["indicator"])
    unit, period, frame, today = query.unit, query.period, query.frame, _today()
    result = engine.compute(
        request.user, [cell], unit=unit, period=period, frame=frame, today=today, breakdown=True
    )
    before_period = previous(period)
    before_rows: dict[int | None, Figure] = {}
    before_total: Figure | None = None
    before_note = ""
    try:
        before = engine.compute(
            request.user, [cell], unit=unit, period=before_period, frame=frame, today=today, breakdown=True
        )
        before_total = before.total[cell]
        before_rows = {row.unit_id: row.figures[cell] for row in before.rows}
    except DomainError as exc:
        before_note = exc.message
    measure = presenters.cell_measure(cell)
    found = {row.unit_id: row for row in result.rows}
    zero = Figure(0, 0) if registry()[cell.code].derive is None else Figure(None, 0)
    lines = []
    children = engine.children_for_compare(unit, period, frame, today)
    for child in children:
        row = found.pop(child.pk, None)
        figure = row.figures[cell] if row else zero
        lines.append(
            {
                "label": child.name,
                "unit": child,
                "figure": figure,
                "href": records_href(cell, unit, period, frame, child),
                "before": before_rows.get(child.pk, zero if before_total is not None else None),
                "formerly": [],
            }
        )
    for unit_id, row in found.items():  # the unit's own records, and units below no longer listed
        target = unit if unit_id is None else row.unit
        label = _("%(unit)s (own records)") % {"unit": unit.name} if unit_id is None else row.unit.name
        lines.append(
            {
                "label": label,
                "unit": target,
                "figure": row.figures[cell],
                "href": records_href(cell, unit, period, frame, target),
                "before": before_rows.get(unit_id),
                "formerly": [],
            }
        )
    for line in lines:
        line["change"] = _change(line["figure"], line["before"])
    lines.sort(key=lambda line: (line["figure"].value is None, -(line["figure"].value or 0), line["label"]))
    drawn = lines[:CHART_BARS]
    total = result.total[cell]
    label = presenters.cell_label(cell)
    context.update(
        {
            "cell": cell,
            "label": label,
            "measure": measure,
            "unit": unit,
            "period": period,
            "frame_label": presenters.FRAME_LABELS[frame],
            "lines": lines,
            "total": total,
            "total_href": records_href(cell, unit, period, frame),
            "before_period": before_period,
            "before_total": before_total,
            "before_note": before_note,
            "total_change": _change(total, before_total),
            "chart_cut": len(lines) > len(drawn),
            "chart_bars": len(drawn),
            "chart": charts.bar_chart(
                "units",
                _("%(figure)s by unit, %(period)s") % {"figure": label, "period": period.label},
                [charts.Bar(line["label"], line["figure"].value, line["href"]) for line in drawn],
                measure=measure,
                value_header=label,
                first_header=_("Unit"),
            ),
            "period_chart": charts.bar_chart(
                "periods",
                _("%(figure)s, this period and the one before") % {"figure": label},
                [
                    charts.Bar(period.label, total.value, records_href(cell, unit, period, frame)),
                    charts.Bar(before_period.label, before_total.value if before_total else None),
                ],
                measure=measure,
                value_header=label,
                first_header=_("Period"),
            ),
        }
    )
    return render(request, "reports/compare.html", context)


# ---- the dashboard -----------------------------------------------------------------------------


@page(ACTION)
@require_GET
def dashboard_page(request):
    """The unit's day: petitions overdue and due soon, this year's key figures against last year's,
    figures by year, and the heads' reception days."""
    unit = _default_unit(request)
    if unit is None:
        raise PermissionDenied()
    today = _today()
    context: dict[str, Any] = {"section": "dashboard", "unit": unit, "today": today}
    try:
        board = dashboard.dashboard_for(request.user, unit=unit, today=today)
    except DomainError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        context["problem"] = exc.message
        return render(request, "reports/dashboard.html", context)
    period_query = query_params(unit, board.period, board.frame)
    figures = [
        {
            "figure": item,
            "href": records_href(item.cell, unit, board.period, board.frame),
            "available": registry().get(item.cell.code) is not None,
        }
        for item in board.figures
    ]
    count_figures = [item for item in board.figures if item.measure != "percent"]
    context.update(
        {
            "board": board,
            "figures": figures,
            "frame_label": presenters.FRAME_LABELS[board.frame],
            "worklist": reverse("petitions:worklist"),
            "review_href": reverse("reports:review") + "?" + urlencode(period_query),
            "year_chart": charts.year_chart(
                "years",
                _("By year, %(first)s–%(last)s") % {"first": board.years[0], "last": board.years[-1]}
                if board.years
                else "",
                [
                    (dashboard.label_of(code), {year: fig.value for year, fig in by_year.items()})
                    for code, by_year in board.trend.items()
                    if registry().get(code) is not None
                ],
                board.years,
            ),
            "compare_chart": charts.grouped_chart(
                "this-last",
                _("This year against the same days of last year"),
                [
                    (_("Last year"), {i: item.last.value for i, item in enumerate(count_figures)}),
                    (_("This year"), {i: item.this.value for i, item in enumerate(count_figures)}),
                ],
                [(i, item.label) for i, item in enumerate(count_figures)],
                first_header=_("Figure"),
            ),
            "count_figures": count_figures,
        }
    )
    return render(request, "reports/dashboard.html", context)


# ---- the review --------------------------------------------------------------------------------


@page(ACTION)
@require_GET
def review(request):
    """The review of mass mobilization work for the unit and period: each figure (opening to its
    records), its bars by year, the narrative, and what is not available yet."""
    from .review import review_report

    query = _query(request)
    context: dict[str, Any] = {"form": query.form, "section": "review", "query": query}
    if not query.ok:
        return render(request, "reports/review.html", context, status=_status(query.form))
    unit, period, frame = query.unit, query.period, query.frame
    report = review_report(request.user, unit=unit, period=period, frame=frame, today=_today())
    sections = []
    for section in report.sections:
        items = []
        for item in section.items:
            cell = Cell(item.code)
            chart = None
            if item.chart and item.available:
                chart = charts.year_chart(
                    item.code.replace(".", "-"),
                    item.label,
                    [(item.label, {year: fig.value for year, fig in item.years.items()})],
                    period.years,
                    measure=item.measure,
                )
            items.append(
                {
                    "item": item,
                    "href": records_href(cell, unit, period, frame) if item.available else "",
                    "chart": chart,
                }
            )
        sections.append({"section": section, "items": items})
    context.update(
        {
            "report": report,
            "sections": sections,
            "unit": unit,
            "period": period,
            "frame_label": presenters.FRAME_LABELS[frame],
            "export_url": _export_url(),
            "export_formats": EXPORT_FORMATS,
            "export_fields": {"kind": "review", **query.params},
            "as_it_is": frame == AS_IT_IS,
        }
    )
    return render(request, "reports/review.html", context)


# ---- period totals -----------------------------------------------------------------------------

TOTALS_PAGE = 50


def _totals_unit(request) -> Unit:
    """The unit whose totals are listed: ?unit= among the user's, else the one they work in."""
    wanted = request.GET.get("unit") or request.POST.get("unit") or ""
    if wanted.isdigit():
        found = access.visible(request.user, Unit, ACTION).filter(pk=int(wanted)).first()
        if found is None:
            raise NotFound()
        return found
    unit = _default_unit(request)
    if unit is None:
        raise PermissionDenied()
    return unit


def _total_choices() -> list[tuple[str, str]]:
    from .records import total_choices

    return [(code, f"{label} ({code})") for code, label in total_choices().items()]


def _conflict_href(total: PeriodTotal) -> str:
    return reverse("reports:total_records", args=[total.pk])


def _total_from(form: TotalForm) -> dict[str, Any]:
    from .records import breakdown_parse

    data = form.cleaned_data
    year, first, last = data.get("year"), data.get("first"), data.get("last")
    if year and not first and not last:
        first, last = date(year, 1, 1), date(year, 12, 31)
    filters, problem = breakdown_parse(data["indicator"], data.get("breakdown"))
    if problem:
        raise DomainError("reports.total_invalid", problem, fields={"breakdown": problem})
    return {"indicator": data["indicator"], "filters": filters, "first": first, "last": last}


@page(ACTION)
@require_http_methods(["GET", "POST"])
def totals(request):
    """A unit's period totals: the conflicts first (each with its itemised records and the buttons
    to keep or withdraw the total), then every total (by figure and year, 50 a page), and a form to
    enter one total."""
    user = request.user
    unit = _totals_unit(request)
    choices = _total_choices()
    entry = TotalForm(
        request.POST if request.method == "POST" else None,
        units=_unit_options(user, unit),
        indicators=choices,
        initial={"unit": unit.pk},
    )
    status = 200
    if request.method == "POST":
        if entry.is_valid():
            target = access.visible(user, Unit, ACTION).filter(pk=entry.cleaned_data["unit"]).first()
            if target is None:
                raise NotFound()
            try:
                services.period_total_create(
                    user,
                    unit=target,
                    value=entry.cleaned_data["value"],
                    note=entry.cleaned_data.get("note") or "",
                    **_total_from(entry),
                )
            except DomainError as exc:
                form_domain_error(entry, exc, field_map={"first": "year"})
            else:
                return redirect(reverse("reports:totals") + "?" + urlencode({"unit": target.pk}))
        status = 400
    filters = TotalsFilterForm(request.GET or None, indicators=choices)
    indicator, year = "", None
    if filters.is_bound and filters.is_valid():
        indicator, year = filters.cleaned_data.get("indicator") or "", filters.cleaned_data.get("year")
    listed = selectors.period_totals_for(user, unit=unit, indicator=indicator, year=year)
    page_obj = Paginator(listed, TOTALS_PAGE).get_page(request.GET.get("page") or 1)
    labels = dict(choices)
    conflicts = [
        {
            "conflict": c,
            "href": _conflict_href(c.total),
            "label": labels.get(c.total.indicator, c.total.indicator),
        }
        for c in selectors.period_total_conflicts_for(user, unit=unit)
    ]
    context = {
        "section": "totals",
        "unit": unit,
        "form": entry,
        "filters": filters,
        "page_obj": page_obj,
        "rows": [{"total": t, "label": labels.get(t.indicator, t.indicator)} for t in page_obj.object_list],
        "conflicts": conflicts,
        "may_enter": access.scope_for(user, services.TOTALS_ACTION).covers(unit),
    }
    return render(request, "reports/totals.html", context, status=status)


def _total_action(request, pk: int, change) -> Any:
    version = request.POST.get("version", "")
    if not version.isdigit():
        raise DomainError("stale_edit", _("Reload the page and try again."))
    total = change(request.user, pk, int(version))
    return redirect(
        reverse("reports:totals") + "?" + urlencode({"unit": request.POST.get("unit") or total.unit_id})
    )


@page(services.TOTALS_ACTION)
@require_POST
def total_keep(request, pk: int):
    """Keep a total over the itemised records of its period."""
    return _total_action(request, pk, services.period_total_keep)


@page(services.TOTALS_ACTION)
@require_POST
def total_withdraw(request, pk: int):
    """Withdraw a total: the itemised records of its period count again."""
    return _total_action(request, pk, services.period_total_withdraw)


def _record_cells(source, obj) -> dict[str, Any]:
    values = source.row(obj)
    cells = [
        {"value": values.get(c.key, ""), "numeric": c.numeric, "date": c.key == "date"}
        for c in source.columns
    ]
    return {"href": values.get("href", ""), "cells": cells}


@page(ACTION)
@require_GET
def total_records(request, pk: int):
    """The itemised records a counted total stands for (its conflict), 50 a page."""
    total = engine.visible_totals(request.user).filter(pk=pk).select_related("unit").first()
    if total is None:
        raise NotFound()
    rows = engine.records_replaced_by(request.user, total)
    source = presenters.source_of(rows.model)
    page_obj = Paginator(rows.select_related(*source.related).order_by(*source.order), TOTALS_PAGE).get_page(
        request.GET.get("page") or 1
    )
    context = {
        "section": "totals",
        "total": total,
        "label": dict(_total_choices()).get(total.indicator, total.indicator),
        "source": source,
        "page_obj": page_obj,
        "rows": [_record_cells(source, obj) for obj in page_obj.object_list],
        "period": period_between(total.first, total.last),
        "back_href": reverse("reports:totals") + "?" + urlencode({"unit": total.unit_id}),
    }
    return render(request, "reports/total_records.html", context)
