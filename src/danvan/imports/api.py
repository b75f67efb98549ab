"""The imports router: record types with their columns, batches (upload and preview, mapping,
commit, roll-back), templates to fill in and the export of records.

Thin: each route parses, calls one service or selector, and renders with `presenters`. Changes are
POSTs that take the `version` the client read; a stale one answers 409. A refusal is {"code",
"message", "fields"}; a file no reader can make sense of is a 400 on "file", never a 500.
"""

from __future__ import annotations

import logging
import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from danvan.core.errors import DomainError
from danvan.core.records import RecordType, registry
from danvan.units import selectors as unit_selectors

from . import presenters as present
from . import selectors, services, workbooks
from .schemas import (
    BatchDetailOut,
    BatchPageOut,
    BatchQuery,
    ExportQuery,
    MappingIn,
    RecordTypeOut,
    TemplateQuery,
    UploadIn,
    VersionIn,
)

log = logging.getLogger(__name__)
router = Router(tags=["imports"])


def _record_type(code: str, field: str = "type") -> RecordType:
    found = registry().get(code)
    if found is None:
        message = gettext_lazy("Unknown record type “%(type)s”. Choose one of: %(types)s.")
        raise DomainError(
            "import.unknown_type", message, fields={field: message}, type=code, types=", ".join(registry())
        )
    return found


def _detail(request, batch_id: int) -> dict:
    return present.batch_detail(selectors.batch_get_for(request.auth, batch_id))


@router.get("/types", response=list[RecordTypeOut], url_name="imports_type_list")
def type_list(request):
    """Every record type that can be imported and exported, with its columns."""
    return [present.record_type_view(rt) for rt in registry().values()]


@router.get("/batches", response=BatchPageOut, url_name="imports_batch_list")
def batch_list(request, filters: Query[BatchQuery]):
    """The user's batches and those made for units in their scope, the latest first."""
    rows = selectors.batch_list_for(request.auth, record_type=filters.type, status=filters.status)
    start = (filters.page - 1) * filters.page_size
    return {
        "items": [present.batch_summary(b) for b in rows[start : start + filters.page_size]],
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/batches", response={201: BatchDetailOut}, url_name="imports_batch_upload")
def batch_upload(request, payload: Form[UploadIn], file: File[UploadedFile]):
    """Upload a file (multipart: `file` and the fields below) and preview it: nothing is written to
    any record until the commit. Row problems are in the batch's `problem_list`; file problems
    (empty, not a spreadsheet, no header, a type that cannot be told) are a 400 on `file`."""
    try:
        batch = services.import_upload(
            request.auth,
            name=file.name or "",
            upload=file,
            record_type=payload.record_type or None,
            sheet=payload.sheet or None,
            unit_id=payload.unit_id,
            mapping_name=payload.mapping_name,
            language=payload.language or getattr(request, "LANGUAGE_CODE", None),
        )
    except DomainError:
        raise
    except Exception:  # a file no reader foresaw: a refusal on "file", kept in the log
        log.exception("import of %r failed", file.name)
        message = gettext_lazy("%(name)s could not be read as a spreadsheet. Save it again as XLSX or CSV.")
        raise DomainError("import.unreadable", message, fields={"file": message}, name=file.name) from None
    return Status(201, present.batch_detail(batch))


@router.get("/batches/{batch_id}", response=BatchDetailOut, url_name="imports_batch_detail")
def batch_detail(request, batch_id: int):
    return _detail(request, batch_id)


@router.post("/batches/{batch_id}/mapping", response=BatchDetailOut, url_name="imports_batch_mapping")
def batch_mapping(request, batch_id: int, payload: MappingIn):
    """Preview the file again with its columns mapped (header -> column key, "" to ignore), and
    keep the mapping under `save_as` for the next file of the same shape."""
    services.import_remap(
        request.auth,
        batch_id,
        mapping=payload.mapping,
        version=payload.version,
        sheet=payload.sheet or None,
        save_as=payload.save_as.strip(),
    )
    return _detail(request, batch_id)


@router.post("/batches/{batch_id}/commit", response=BatchDetailOut, url_name="imports_batch_commit")
def batch_commit(request, batch_id: int, payload: VersionIn):
    """Write the batch's new rows, all or nothing (400 "import.has_problems" when the file has any)."""
    services.import_commit(request.auth, batch_id, version=payload.version)
    return _detail(request, batch_id)


@router.post("/batches/{batch_id}/rollback", response=BatchDetailOut, url_name="imports_batch_rollback")
def batch_rollback(request, batch_id: int, payload: VersionIn):
    """Remove every record the batch created (nothing when one of them changed since the import)."""
    services.import_rollback(request.auth, batch_id, version=payload.version)
    return _detail(request, batch_id)


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/template", url_name="imports_template")
def template(request, query: Query[TemplateQuery]):
    """A record type's template to fill in, as XLSX, headed in `lang`."""
    record_type = _record_type(query.type)
    language = query.lang if query.lang in ("vi", "en") else "vi"
    data = workbooks.template_workbook(record_type, language=language)
    response = HttpResponse(data, content_type=workbooks.CONTENT_TYPES["xlsx"])
    return _attachment(response, f"{record_type.code}-{language}.xlsx")


@router.get("/export", url_name="imports_export")
def export(request, query: Query[ExportQuery]):
    """The records of a unit and every unit below it, dated in [`from`, `to`], that the user may
    see, as XLSX or CSV with the template's columns (it imports back as it is)."""
    record_type = _record_type(query.type)
    if query.format not in workbooks.FORMATS:
        message = gettext_lazy("Choose the format xlsx or csv.")
        raise DomainError("import.export_format", message, fields={"format": message})
    if query.last < query.first:
        message = gettext_lazy("The last day is before the first day.")
        raise DomainError("import.export_period", message, fields={"to": message})
    unit = unit_selectors.unit_get_for(request.auth, query.unit, "record.view")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        workbooks.export_records(
            request.auth,
            record_type,
            unit=unit,
            first=query.first,
            last=query.last,
            fmt=query.format,
            out=handle,
        )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    name = workbooks.export_filename(record_type, unit, query.first, query.last, query.format)
    response = FileResponse(handle, content_type=workbooks.CONTENT_TYPES[query.format])
    return _attachment(response, name)
