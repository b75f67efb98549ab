"""Every read of outreach work, scoped to the user through `units.access.visible`.

Activities and documents are filtered by the unit path of their lead (or issuing) unit, so a unit
filter includes the units below it. Resolutions are reference data every role holder reads. The
communes without a dialogue conference in a year (Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15
Art 32: at least one a year) are those in the user's scope with no activity of that kind at or
below them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Exists, OuterRef, Prefetch, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr

from danvan.core.errors import NotFound
from danvan.core.files import record_files_of
from danvan.core.models import RecordFile
from danvan.core.text import filter_folded
from danvan.units import access
from danvan.units.models import Unit, UnitLevel, subtree_q, valid_on_q

from .models import (
    Activity,
    ActivityKind,
    Attendee,
    IssuedDocument,
    ParticipantCategory,
    Participation,
    Resolution,
)

# ---- resolutions ------------------------------------------------------------------------------


def resolution_list_for(user, *, active_only: bool = False) -> QuerySet[Resolution]:
    """The framework documents: reference data for everyone holding a role."""
    if not access.has_any_role(user):
        return Resolution.objects.none()
    rows = Resolution.objects.all()
    if active_only:
        rows = rows.filter(active=True)
    return rows.order_by("issued_on", "number")


# ---- activities -------------------------------------------------------------------------------


def activity_list_for(
    user,
    *,
    unit: Unit | None = None,
    kind: str = "",
    first: date | None = None,
    last: date | None = None,
    q: str = "",
    resolution_id: int | None = None,
    document_id: int | None = None,
) -> QuerySet[Activity]:
    """Activities the user sees, the latest first: of `unit` and the units below it, of a kind,
    begun within [first, last], whose title has every word of `q` (case and accents ignored),
    disseminating a resolution or a document."""
    rows = access.visible(user, Activity)
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if kind:
        rows = rows.filter(kind=kind)
    if first is not None:
        rows = rows.filter(starts_on__gte=first)
    if last is not None:
        rows = rows.filter(starts_on__lte=last)
    if resolution_id is not None:
        rows = rows.filter(resolutions=resolution_id)
    if document_id is not None:
        rows = rows.filter(documents=document_id)
    rows = filter_folded(rows, "title_folded", q)
    return rows.order_by("-starts_on", "-pk")


def with_details(rows) -> QuerySet[Activity]:
    """The lead unit and the co-organisers in a fixed number of queries (lists show them)."""
    return rows.select_related("unit").prefetch_related(
        Prefetch("co_organisers", queryset=Unit.objects.order_by("name"))
    )


def activity_get_for(user, activity_id: int) -> Activity:
    activity = (
        access.visible(user, Activity)
        .select_related("unit", "created_by")
        .prefetch_related(
            Prefetch("co_organisers", queryset=Unit.objects.order_by("name")),
            Prefetch("resolutions", queryset=Resolution.objects.order_by("issued_on")),
            Prefetch(
                "documents", queryset=IssuedDocument.objects.select_related("unit").order_by("issued_on")
            ),
            Prefetch("participations", queryset=Participation.objects.order_by("category")),
        )
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise NotFound()
    return activity


@dataclass
class CategoryCount:
    code: str
    label: str
    count: int


def participation_of(activity: Activity) -> list[CategoryCount]:
    """The activity's participants by category, in the order of the categories."""
    counts = {p.category: p.count for p in activity.participations.all()}
    return [
        CategoryCount(category.value, str(category.label), counts[category.value])
        for category in ParticipantCategory
        if category.value in counts
    ]


def attendees_of(activity: Activity) -> QuerySet[Attendee]:
    """The attendance list of an activity the caller has already found in scope."""
    return Attendee.objects.filter(activity=activity).order_by("position")


def files_of(record) -> list[RecordFile]:
    """The files of a record the caller has already found in scope."""
    return list(record_files_of(record).select_related("uploaded_by"))


# ---- documents issued -------------------------------------------------------------------------


def document_list_for(
    user,
    *,
    unit: Unit | None = None,
    year: int | None = None,
    doc_type: str = "",
    resolution_id: int | None = None,
    q: str = "",
    issued_by: date | None = None,
) -> QuerySet[IssuedDocument]:
    """The documents issued that the user sees, the latest first: of `unit` and below, of a year,
    of a type, carrying a resolution out, issued on or before `issued_by`, whose number or title
    has every word of `q` (case and accents ignored)."""
    rows = access.visible(user, IssuedDocument)
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if year is not None:
        rows = rows.filter(issued_on__gte=date(year, 1, 1), issued_on__lte=date(year, 12, 31))
    if doc_type:
        rows = rows.filter(doc_type=doc_type)
    if resolution_id is not None:
        rows = rows.filter(implements_id=resolution_id)
    if issued_by is not None:
        rows = rows.filter(issued_on__lte=issued_by)
    rows = filter_folded(rows, "title_folded", q)
    return rows.select_related("unit", "implements").order_by("-issued_on", "-pk")


def document_get_for(user, document_id: int) -> IssuedDocument:
    document = (
        access.visible(user, IssuedDocument)
        .select_related("unit", "implements", "created_by")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound()
    return document


def activities_of_document(user, document: IssuedDocument) -> QuerySet[Activity]:
    """The activities the user sees that disseminated the document."""
    return with_details(activity_list_for(user, document_id=document.pk))


# ---- units to choose --------------------------------------------------------------------------


def units_to_lead(user, *, on: date | None = None) -> QuerySet[Unit]:
    """Units where the user records outreach work (valid on `on` if given), in tree order."""
    units = access.visible(user, Unit, "outreach.record")
    if on is not None:
        units = units.filter(valid_on_q(on))
    return units.order_by("path")


def units_to_view(user) -> QuerySet[Unit]:
    """Units whose records the user sees, in tree order (for the filters)."""
    return access.visible(user, Unit, "record.view").order_by("path")


def units_by_id(user, ids) -> dict[int, Unit]:
    """Units of the tree by id (reference data every role holder reads)."""
    return access.visible(user, Unit, "unit.view").in_bulk(list(ids))


def units_matching(user, text: str, *, on: date, limit: int = 20) -> list[Unit]:
    """Units of the whole tree valid on `on` whose name has every word of `text` (the unit tree
    is reference data: any unit may co-organise)."""
    if not text.strip():
        return []
    units = access.visible(user, Unit, "unit.view").filter(valid_on_q(on))
    return list(
        filter_folded(units, "name_folded", text).select_related("parent").order_by("level", "name")[:limit]
    )


# ---- dialogue conferences missing -------------------------------------------------------------


def dialogue_year_day(year: int, today: date) -> date:
    """The day the communes of a year are taken on: its last day, or today while it runs."""
    return today if year == today.year else date(year, 12, 31)


def communes_without_dialogue(user, *, year: int, today: date) -> QuerySet[Unit]:
    """Communes in the user's scope, existing on the year's last day (today while the year runs),
    with no dialogue conference dated in the year led by the commune or a unit below it
    (Luật 10/2022/QH15 Art 32 asks for at least one a year). In name order."""
    day = dialogue_year_day(year, today)
    communes = (
        access.visible(user, Unit, "record.view").filter(level=UnitLevel.COMMUNE).filter(valid_on_q(day))
    )
    # A dialogue counts for the unit that led it and every unit above it: a commune is covered
    # when a dialogue's unit path lies in its subtree, an index range on the activities' path.
    held = access.visible(user, Activity).filter(
        kind=ActivityKind.DIALOGUE,
        starts_on__gte=date(year, 1, 1),
        starts_on__lte=date(year, 12, 31),
        unit_path__gte=OuterRef("path"),
        unit_path__lt=Concat(
            Substr(OuterRef("path"), 1, Length(OuterRef("path")) - 1), Value("0"), output_field=CharField()
        ),
    )
    communes = communes.exclude(Exists(held))
    return communes.select_related("parent").order_by("name", "code")


# ---- exports ----------------------------------------------------------------------------------


def activities_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[Activity]:
    """The activities the user sees led by `unit` or a unit below it that began in [first, last],
    with what an export row names (units, links, participations) fetched in a few queries."""
    return (
        access.visible(user, Activity)
        .filter(subtree_q(unit.path, "unit_path"), starts_on__gte=first, starts_on__lte=last)
        .select_related("unit")
        .prefetch_related(
            "participations",
            Prefetch("co_organisers", queryset=Unit.objects.order_by("name", "pk")),
            Prefetch("resolutions", queryset=Resolution.objects.order_by("number")),
            Prefetch("documents", queryset=IssuedDocument.objects.order_by("issued_on", "number")),
        )
        .order_by("starts_on", "pk")
    )


def documents_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[IssuedDocument]:
    """The documents the user sees issued by `unit` or a unit below it in [first, last]."""
    return (
        access.visible(user, IssuedDocument)
        .filter(subtree_q(unit.path, "unit_path"), issued_on__gte=first, issued_on__lte=last)
        .select_related("unit", "implements")
        .order_by("issued_on", "pk")
    )
