"""The records behind a figure (drill-down), shown without anyone's identity.

Each record source has its columns: petitions show the receipt number, date, kind, field, unit and
status and link to the petition's page, never a petitioner's name or address; visits show the book
number, date, session, outcome and number of people, never a visitor's name; sessions show the
date, kind and presider. Outreach activities, their participants by category, documents issued,
models and their recognitions, commendations and movements show their own public particulars
(a commendation names whom it rewards: it is announced at a ceremony).

A figure and its list come from the same scoped queryset (`engine.records_for`): one aggregate
gives the figure's value and the number of records behind it, and that number is the paginator's
count, so the records are counted once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danvan.core.errors import DomainError, NotFound
from danvan.core.indicators import NOT_AVAILABLE, Figure, Indicator, registry
from danvan.units.models import Unit

from . import engine
from .engine import AS_IT_IS, AS_IT_WAS, Cell
from .periods import Period

PAGE_SIZE = 50

FRAME_LABELS: dict[str, Promise] = {
    AS_IT_WAS: gettext_lazy("As it was"),
    AS_IT_IS: gettext_lazy("As it is now"),
}


@dataclass(frozen=True)
class SourceColumn:
    key: str
    label: str | Promise
    numeric: bool = False


@dataclass(frozen=True)
class Source:
    """How the records of one model are listed: columns, order (indexed), related rows to join."""

    columns: tuple[SourceColumn, ...]
    order: tuple[str, ...]
    related: tuple[str, ...]
    row: Callable[[Any], dict[str, Any]]


def _petition_row(petition) -> dict[str, Any]:
    return {
        "href": reverse("petitions:detail", args=[petition.pk]),
        "number": petition.receipt_number,
        "date": petition.received_on,
        "kind": petition.get_kind_display(),
        "field": petition.get_field_display(),
        "unit": petition.unit.name,
        "status": petition.get_status_display(),
    }


def _visit_row(visit) -> dict[str, Any]:
    return {
        "href": reverse("reception:visit", args=[visit.pk]),
        "number": visit.book_number,
        "date": visit.day,
        "session": visit.get_session_kind_display(),
        "outcome": visit.get_outcome_display(),
        "people": visit.people_count,
        "unit": visit.unit.name,
    }


def _session_row(session) -> dict[str, Any]:
    presider = session.get_presider_display() if session.presider else ""
    if session.presider_name:
        presider = f"{presider} ({session.presider_name})" if presider else session.presider_name
    return {
        "href": reverse("reception:session", args=[session.pk]),
        "number": str(session.pk),
        "date": session.day,
        "kind": session.get_kind_display(),
        "presider": presider,
        "unit": session.unit.name,
    }


def _activity_row(activity) -> dict[str, Any]:
    return {
        "href": reverse("outreach:activity", args=[activity.pk]),
        "number": str(activity.pk),
        "date": activity.starts_on,
        "kind": activity.get_kind_display(),
        "title": activity.title,
        "people": activity.participants_total,
        "unit": activity.unit.name,
    }


def _participation_row(row) -> dict[str, Any]:
    activity = row.activity
    return {
        "href": reverse("outreach:activity", args=[activity.pk]),
        "number": str(activity.pk),
        "date": row.held_on,
        "title": activity.title,
        "category": row.get_category_display(),
        "people": row.count,
        "unit": activity.unit.name,
    }


def _document_row(document) -> dict[str, Any]:
    return {
        "href": reverse("outreach:document", args=[document.pk]),
        "number": document.number,
        "date": document.issued_on,
        "kind": document.get_doc_type_display(),
        "title": document.title,
        "unit": document.unit.name,
    }


def _practice_row(model) -> dict[str, Any]:
    return {
        "href": reverse("practices:detail", args=[model.pk]),
        "number": str(model.pk),
        "date": model.registered_on,
        "title": model.name,
        "kind": model.get_kind_display(),
        "field": model.get_field_display(),
        "status": model.get_status_display(),
        "unit": model.unit.name,
    }


def _recognition_row(recognition) -> dict[str, Any]:
    model = recognition.model
    return {
        "href": reverse("practices:detail", args=[model.pk]),
        "number": recognition.decision_number,
        "date": recognition.decided_on,
        "title": model.name,
        "level": recognition.get_level_display(),
        "field": recognition.get_field_display(),
        "unit": model.unit.name,
    }


def _commendation_row(commendation) -> dict[str, Any]:
    return {
        "href": reverse("emulation:commendation", args=[commendation.pk]),
        "number": commendation.decision_number,
        "date": commendation.decided_on,
        "title": commendation.recipient_name,
        "kind": commendation.get_form_display(),
        "level": commendation.get_level_display(),
        "unit": commendation.unit.name,
    }


def _movement_row(movement) -> dict[str, Any]:
    return {
        "href": reverse("emulation:movement", args=[movement.pk]),
        "number": str(movement.pk),
        "date": movement.starts_on,
        "title": movement.name,
        "unit": movement.unit.name,
    }


NUMBER = SourceColumn("number", gettext_lazy("Number"))
UNIT = SourceColumn("unit", gettext_lazy("Unit"))
KIND = SourceColumn("kind", gettext_lazy("Kind"))

SOURCES: dict[str, Source] = {
    "petitions.petition": Source(
        columns=(
            SourceColumn("number", gettext_lazy("Receipt number")),
            SourceColumn("date", gettext_lazy("Received on")),
            SourceColumn("kind", gettext_lazy("Kind")),
            SourceColumn("field", gettext_lazy("Field")),
            SourceColumn("unit", gettext_lazy("Unit")),
            SourceColumn("status", gettext_lazy("Status")),
        ),
        order=("received_on", "pk"),
        related=("unit",),
        row=_petition_row,
    ),
    "reception.visit": Source(
        columns=(
            SourceColumn("number", gettext_lazy("Book number")),
            SourceColumn("date", gettext_lazy("Day")),
            SourceColumn("session", gettext_lazy("Session")),
            SourceColumn("outcome", gettext_lazy("Outcome")),
            SourceColumn("people", gettext_lazy("People"), numeric=True),
            SourceColumn("unit", gettext_lazy("Unit")),
        ),
        order=("day", "number"),  # index reception_visit_order
        related=("unit",),
        row=_visit_row,
    ),
    "reception.session": Source(
        columns=(
            SourceColumn("number", gettext_lazy("Session")),
            SourceColumn("date", gettext_lazy("Day")),
            SourceColumn("kind", gettext_lazy("Kind")),
            SourceColumn("presider", gettext_lazy("Presided by")),
            SourceColumn("unit", gettext_lazy("Unit")),
        ),
        order=("day", "pk"),
        related=("unit",),
        row=_session_row,
    ),
    "outreach.activity": Source(
        columns=(
            NUMBER,
            SourceColumn("date", gettext_lazy("From")),
            KIND,
            SourceColumn("title", gettext_lazy("Title")),
            SourceColumn("people", gettext_lazy("Participants"), numeric=True),
            UNIT,
        ),
        order=("starts_on", "pk"),
        related=("unit",),
        row=_activity_row,
    ),
    "outreach.participation": Source(
        columns=(
            NUMBER,
            SourceColumn("date", gettext_lazy("From")),
            SourceColumn("title", gettext_lazy("Activity")),
            SourceColumn("category", gettext_lazy("Category")),
            SourceColumn("people", gettext_lazy("People"), numeric=True),
            UNIT,
        ),
        order=("held_on", "activity_id", "category"),
        related=("activity__unit",),
        row=_participation_row,
    ),
    "outreach.issueddocument": Source(
        columns=(
            NUMBER,
            SourceColumn("date", gettext_lazy("Issued on")),
            SourceColumn("kind", gettext_lazy("Type")),
            SourceColumn("title", gettext_lazy("Title")),
            UNIT,
        ),
        order=("issued_on", "pk"),
        related=("unit",),
        row=_document_row,
    ),
    "practices.practicemodel": Source(
        columns=(
            NUMBER,
            SourceColumn("date", gettext_lazy("Registered on")),
            SourceColumn("title", gettext_lazy("Name")),
            KIND,
            SourceColumn("field", gettext_lazy("Field")),
            SourceColumn("status", gettext_lazy("Status")),
            UNIT,
        ),
        order=("registered_on", "pk"),
        related=("unit",),
        row=_practice_row,
    ),
    "practices.recognition": Source(
        columns=(
            SourceColumn("number", gettext_lazy("Decision")),
            SourceColumn("date", gettext_lazy("Decided on")),
            SourceColumn("title", gettext_lazy("Model")),
            SourceColumn("level", gettext_lazy("Level")),
            SourceColumn("field", gettext_lazy("Field")),
            UNIT,
        ),
        order=("decided_on", "pk"),
        related=("model__unit",),
        row=_recognition_row,
    ),
    "emulation.commendation": Source(
        columns=(
            SourceColumn("number", gettext_lazy("Decision")),
            SourceColumn("date", gettext_lazy("Decided on")),
            SourceColumn("title", pgettext_lazy("recipient", "Commended")),
            SourceColumn("kind", gettext_lazy("Form of commendation")),
            SourceColumn("level", gettext_lazy("Level")),
            UNIT,
        ),
        order=("decided_on", "pk"),
        related=("unit",),
        row=_commendation_row,
    ),
    "emulation.movement": Source(
        columns=(
            NUMBER,
            SourceColumn("date", gettext_lazy("From")),
            SourceColumn("title", gettext_lazy("Name")),
            UNIT,
        ),
        order=("starts_on", "pk"),
        related=("unit",),
        row=_movement_row,
    ),
}


def _plain_row(obj: Model) -> dict[str, Any]:
    return {"href": "", "number": str(obj.pk)}


PLAIN = Source(
    columns=(SourceColumn("number", gettext_lazy("Record")),), order=("pk",), related=(), row=_plain_row
)


def source_of(model: type[Model]) -> Source:
    return SOURCES.get(model._meta.label_lower, PLAIN)


def cell_label(cell: Cell) -> str:
    """The indicator's label with its dimension values: "Visits received — Regular reception"."""
    indicator = registry().get(cell.code)
    if indicator is None:
        return cell.code
    parts = [str(indicator.label)]
    for dimension, value in cell.filters:
        known = indicator.dimensions.get(dimension, {}).get(value)
        parts.append(str(known.label) if known else f"{dimension}={value}")
    return " — ".join(parts)


def cell_measure(cell: Cell) -> str:
    indicator = registry().get(cell.code)
    return indicator.measure if indicator else "count"


@dataclass
class DrillDown:
    cell: Cell
    label: str
    measure: str
    unit: Unit
    row_unit: Unit | None
    period: Period
    frame: str
    figure: Figure
    filters: list[tuple[str, str]]
    source: Source
    page: Page | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    denominator: str = ""  # for a rate: the label of the figure whose records are listed

    @property
    def count(self) -> int:
        return self.figure.records

    @property
    def frame_label(self) -> str:
        return str(FRAME_LABELS.get(self.frame, self.frame))


def _figure_over(indicator: Indicator, rows: QuerySet, filters: Mapping[str, str]) -> Figure:
    value, records = indicator.combine(rows.aggregate(**indicator.aggregates(indicator.condition(filters))))
    return Figure(value if value is not None else 0, records)


def drilldown(
    user,
    cell: Cell,
    *,
    unit: Unit,
    period: Period,
    frame: str,
    row_unit_id: int | None,
    today: date,
    page: int | str | None = 1,
) -> DrillDown:
    """The records behind one figure of a report, a page at a time, with the figure itself."""
    known = registry()
    indicator = known.get(cell.code)
    if indicator is None:
        raise NotFound()
    filters = dict(cell.filters)
    try:
        indicator.condition(filters)
    except LookupError:
        raise NotFound() from None
    engine.scope_check(user, unit=unit, period=period, frame=frame, today=today)
    row_unit = None
    if row_unit_id is not None:
        row_unit = Unit.objects.filter(pk=row_unit_id).first()
        if row_unit is None or not row_unit.path.startswith(unit.path):
            raise NotFound()
    listed = indicator
    denominator = ""
    if indicator.derive is not None:
        listed = known.get(indicator.derive[0][-1])
        denominator = cell_label(Cell(indicator.derive[0][-1], cell.filters))
    out = DrillDown(
        cell=cell,
        label=cell_label(cell),
        measure=indicator.measure,
        unit=unit,
        row_unit=row_unit,
        period=period,
        frame=frame,
        figure=NOT_AVAILABLE,
        filters=[(k, v) for k, v in cell.filters],
        source=PLAIN,
        denominator=denominator,
    )
    if listed is None or listed.records is None:
        return out

    def rows_of(code: str) -> QuerySet:
        return engine.records_for(
            user,
            Cell(code, cell.filters),
            unit=unit,
            period=period,
            frame=frame,
            row_unit_id=row_unit_id,
            today=today,
            counted_only=False,
        )

    rows = rows_of(listed.code)
    if indicator.derive is not None:
        codes, derive = indicator.derive
        parts = []
        for code in codes:
            part = known.get(code)
            parts.append(
                NOT_AVAILABLE
                if part is None or part.records is None
                else _figure_over(part, rows_of(code), filters)
            )
        out.figure = derive(*parts)
    else:
        out.figure = _figure_over(indicator, rows, filters)
    rows = rows.filter(listed.counted)  # of the rows read, those behind the figure
    out.source = source_of(rows.model)
    paginator = Paginator(rows.select_related(*out.source.related).order_by(*out.source.order), PAGE_SIZE)
    paginator.count = out.figure.records  # counted by the aggregate above: no second COUNT
    out.page = paginator.get_page(page)
    out.rows = [_cells(out.source, obj) for obj in out.page.object_list]
    return out


def _cells(source: Source, obj) -> dict[str, Any]:
    values = source.row(obj)
    return {
        "href": values.get("href", ""),
        "cells": [
            {"value": values.get(column.key, ""), "numeric": column.numeric, "date": column.key == "date"}
            for column in source.columns
        ],
    }


def parse_cell(key: str) -> Cell:
    """A cell from its key; an unknown indicator or dimension value is "not found"."""
    try:
        cell = Cell.parse(key or "")
    except ValueError:
        raise NotFound() from None
    indicator = registry().get(cell.code)
    if indicator is None:
        raise NotFound()
    try:
        indicator.condition(dict(cell.filters))
    except LookupError:
        raise NotFound() from None
    return cell


def unknown_cell() -> DomainError:
    return DomainError(
        "reports.indicator_unknown",
        _("Choose an indicator from the list."),
        fields={"indicator": _("Unknown indicator.")},
    )
