"""The outreach router: resolutions, activities with their attendance lists and files, the
registry of documents issued, and the communes without a dialogue conference in a year.

Thin: each route parses, calls one service or selector, and renders with `presenters`. Edits take
the `version` the client read; a stale one answers 409. A refusal is {"code", "message", "fields"}
with the field (for a list: "attendees.<index>.<field>", or "file" with one message a problem,
each naming its row and column). "Today" is the server's local date.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from danvan.core.presenters import file_view
from danvan.units.models import Unit

from . import presenters as present
from . import selectors, services
from .schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityPageOut,
    ActivityQuery,
    ActivityUpdateIn,
    AttendanceIn,
    AttendeeOut,
    DialogueMissingOut,
    DialogueQuery,
    DocumentDetailOut,
    DocumentIn,
    DocumentOut,
    DocumentPageOut,
    DocumentQuery,
    DocumentUpdateIn,
    FileOut,
    FileRoleIn,
    ResolutionOut,
    VersionIn,
)

router = Router(tags=["outreach"])
DIALOGUE_LIMIT = 5000


def _today() -> date:
    return timezone.localdate()


def _page(rows, page: int, page_size: int) -> tuple[list, int]:
    start = (page - 1) * page_size
    return list(rows[start : start + page_size]), rows.count()


def _unit(user, unit_id: int | None) -> Unit | None:
    """The unit of a filter: one whose records the user sees, else none at all (NotFound)."""
    if unit_id is None:
        return None
    from danvan.units import selectors as unit_selectors

    return unit_selectors.unit_get_for(user, unit_id, "record.view")


def _activity(request, activity_id: int) -> dict:
    return present.activity_detail(selectors.activity_get_for(request.auth, activity_id))


def _activity_data(payload: ActivityIn) -> services.ActivityInput:
    return services.ActivityInput(
        unit_id=payload.unit_id,
        kind=payload.kind,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        venue=payload.venue,
        summary=payload.summary,
        co_organiser_ids=list(payload.co_organiser_ids),
        resolution_ids=list(payload.resolution_ids),
        document_ids=list(payload.document_ids),
        counts=dict(payload.counts),
        participants_total=payload.participants_total,
    )


# ---- resolutions ----------------------------------------------------------------------------


@router.get("/resolutions", response=list[ResolutionOut], url_name="outreach_resolution_list")
def resolution_list(request):
    """The framework documents activities disseminate and documents carry out (reference data)."""
    return [present.resolution_view(r) for r in selectors.resolution_list_for(request.auth)]


# ---- activities -----------------------------------------------------------------------------


@router.get("/activities", response=ActivityPageOut, url_name="outreach_activity_list")
def activity_list(request, filters: Query[ActivityQuery]):
    """Activities the latest first, by unit (and below), kind, period (`from`, `to`), words of
    the title, resolution or document disseminated."""
    rows = selectors.activity_list_for(
        request.auth,
        unit=_unit(request.auth, filters.unit),
        kind=filters.kind,
        first=filters.first,
        last=filters.last,
        q=filters.q,
        resolution_id=filters.resolution,
        document_id=filters.document,
    )
    items, count = _page(selectors.with_details(rows), filters.page, filters.page_size)
    return {
        "items": [present.activity_summary(a) for a in items],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/activities", response={201: ActivityDetailOut}, url_name="outreach_activity_record")
def activity_record(request, payload: ActivityIn):
    """Record an activity led by a unit where the user records outreach work."""
    activity = services.activity_record(actor=request.auth, data=_activity_data(payload), today=_today())
    return Status(201, _activity(request, activity.pk))


@router.get("/activities/{activity_id}", response=ActivityDetailOut, url_name="outreach_activity_detail")
def activity_detail(request, activity_id: int):
    return _activity(request, activity_id)


@router.put("/activities/{activity_id}", response=ActivityDetailOut, url_name="outreach_activity_update")
def activity_update(request, activity_id: int, payload: ActivityUpdateIn):
    """Change an activity at the version the client read (409 if another edit came first)."""
    services.activity_update(
        actor=request.auth,
        activity_id=activity_id,
        version=payload.version,
        data=_activity_data(payload),
        today=_today(),
    )
    return _activity(request, activity_id)


@router.get(
    "/activities/{activity_id}/attendance", response=list[AttendeeOut], url_name="outreach_attendance_list"
)
def attendance_list(request, activity_id: int):
    """The activity's attendance list, in its order (empty while the counts are typed)."""
    activity = selectors.activity_get_for(request.auth, activity_id)
    return [present.attendee_view(a) for a in selectors.attendees_of(activity)]


@router.put(
    "/activities/{activity_id}/attendance", response=ActivityDetailOut, url_name="outreach_attendance_save"
)
def attendance_save(request, activity_id: int, payload: AttendanceIn):
    """Keep the attendance list given as rows; the participants are counted from it."""
    services.attendance_save(
        actor=request.auth,
        activity_id=activity_id,
        version=payload.version,
        rows=[services.AttendeeInput(**row.dict()) for row in payload.rows],
        today=_today(),
    )
    return _activity(request, activity_id)


@router.post(
    "/activities/{activity_id}/attendance", response=ActivityDetailOut, url_name="outreach_attendance_import"
)
def attendance_import(request, activity_id: int, payload: Form[VersionIn], file: File[UploadedFile]):
    """Keep the attendance list read from an XLSX or CSV file (multipart: `version`, `file`),
    all or nothing."""
    services.attendance_import(
        actor=request.auth,
        activity_id=activity_id,
        version=payload.version,
        name=file.name or "",
        data=file.read(),
        today=_today(),
    )
    return _activity(request, activity_id)


@router.post(
    "/activities/{activity_id}/attendance/clear",
    response=ActivityDetailOut,
    url_name="outreach_attendance_clear",
)
def attendance_clear(request, activity_id: int, payload: VersionIn):
    """Drop the attendance list; the counts it made stay, typed from now on."""
    services.attendance_clear(
        actor=request.auth, activity_id=activity_id, version=payload.version, today=_today()
    )
    return _activity(request, activity_id)


@router.post("/activities/{activity_id}/files", response={201: FileOut}, url_name="outreach_activity_file")
def activity_file(request, activity_id: int, payload: Form[FileRoleIn], file: File[UploadedFile]):
    """Keep the plan, the minutes or a photo with the activity (multipart: `role`, `file`)."""
    item = services.activity_file_add(
        actor=request.auth,
        activity_id=activity_id,
        role=payload.role,
        name=file.name or "",
        data=file.read(),
        today=_today(),
    )
    return Status(201, file_view(item))


# ---- documents issued -----------------------------------------------------------------------


def _document(request, document_id: int) -> dict:
    user = request.auth
    document = selectors.document_get_for(user, document_id)
    activities = selectors.activities_of_document(user, document)[:100]
    return {
        **present.document_view(document),
        "activities": [present.activity_summary(a) for a in activities],
        "files": [file_view(f) for f in selectors.files_of(document)],
    }


def _document_data(payload: DocumentIn) -> services.DocumentInput:
    return services.DocumentInput(
        unit_id=payload.unit_id,
        number=payload.number,
        issued_on=payload.issued_on,
        doc_type=payload.doc_type,
        title=payload.title,
        issuer=payload.issuer,
        implements_id=payload.implements_id,
    )


@router.get("/documents", response=DocumentPageOut, url_name="outreach_document_list")
def document_list(request, filters: Query[DocumentQuery]):
    """Documents issued the latest first, by unit (and below), year, type, resolution, and words
    of the number or title (case and accents ignored)."""
    rows = selectors.document_list_for(
        request.auth,
        unit=_unit(request.auth, filters.unit),
        year=filters.year,
        doc_type=filters.type,
        resolution_id=filters.resolution,
        q=filters.q,
    )
    items, count = _page(rows, filters.page, filters.page_size)
    return {
        "items": [present.document_view(d) for d in items],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/documents", response={201: DocumentOut}, url_name="outreach_document_record")
def document_record(request, payload: DocumentIn):
    """Add a document the unit issued to carry a resolution out; (unit, number, date) is unique."""
    document = services.document_record(actor=request.auth, data=_document_data(payload), today=_today())
    return Status(201, present.document_view(selectors.document_get_for(request.auth, document.pk)))


@router.get("/documents/{document_id}", response=DocumentDetailOut, url_name="outreach_document_detail")
def document_detail(request, document_id: int):
    """The document, the activities that disseminated it and its files."""
    return _document(request, document_id)


@router.put("/documents/{document_id}", response=DocumentOut, url_name="outreach_document_update")
def document_update(request, document_id: int, payload: DocumentUpdateIn):
    services.document_update(
        actor=request.auth,
        document_id=document_id,
        version=payload.version,
        data=_document_data(payload),
        today=_today(),
    )
    return present.document_view(selectors.document_get_for(request.auth, document_id))


@router.post("/documents/{document_id}/files", response={201: FileOut}, url_name="outreach_document_file")
def document_file(request, document_id: int, file: File[UploadedFile]):
    """Keep the text of the document with its entry (multipart: `file`)."""
    item = services.document_file_add(
        actor=request.auth, document_id=document_id, name=file.name or "", data=file.read(), today=_today()
    )
    return Status(201, file_view(item))


# ---- dialogue conferences missing -----------------------------------------------------------


@router.get("/dialogue-missing", response=DialogueMissingOut, url_name="outreach_dialogue_missing")
def dialogue_missing(request, filters: Query[DialogueQuery]):
    """Communes in the user's scope without a dialogue conference in the year (Luật 10/2022/QH15
    Art 32), taken on the year's last day (today while it runs)."""
    today = _today()
    year = filters.year or today.year
    communes = selectors.communes_without_dialogue(request.auth, year=year, today=today)
    return {
        "year": year,
        "on": selectors.dialogue_year_day(year, today),
        "count": communes.count(),
        "communes": [
            {"id": u.pk, "code": u.code, "name": u.name, "parent": present.unit_ref(u.parent)}
            for u in communes[:DIALOGUE_LIMIT]
        ],
    }
