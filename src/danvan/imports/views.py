"""Pages of spreadsheet import and export: the batches a user sees (with the templates to fill in
and the export of records), the upload, a batch's preview (columns found, problems by row and
column, the column mapping, the commit) and its roll-back, the original file.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands
on the form (`form_domain_error`) or becomes the 403/404 page (`page`). No file, however broken,
makes a 500: what the readers cannot make sense of is reported on the upload form.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.core.errors import DomainError, PermissionDenied, StaleEdit
from danvan.core.models import ImportBatch, ImportBatchStatus
from danvan.core.records import RecordType, registry
from danvan.core.views import form_domain_error, page, raise_for_http
from danvan.units import access
from danvan.units.forms import MAX_UNIT_OPTIONS
from danvan.units.models import Unit

from . import presenters, selectors, services, workbooks
from .forms import ExportForm, MappingForm, UploadForm, VersionForm

log = logging.getLogger(__name__)

VIEW = "record.view"
PAGE_SIZE = 50
SAMPLE_ROWS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
TEMPLATE_LANGUAGES = ("vi", "en")


def importable_types(user) -> list[RecordType]:
    """The record types the user may import: those whose action they hold in some unit."""
    actions = access.allowed_actions(user)
    return [rt for rt in registry().values() if rt.action in actions]


def _units(user) -> list[Unit]:
    """Units whose records the user sees, in tree order (the first ones, for a select)."""
    return list(access.visible(user, Unit, VIEW).order_by("path")[:MAX_UNIT_OPTIONS])


def _error_items(form) -> list[dict]:
    """Every problem of a bound form for the error summary, each linked to its field."""
    items = [{"text": error, "href": ""} for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            items.append({"text": error, "href": "" if field.is_hidden else f"#{field.id_for_label}"})
    return items


# ---- the list of batches, templates and export ------------------------------------------------


def _export_form(user, units: list[Unit], bound: ExportForm | None = None) -> ExportForm:
    if bound is not None:
        return bound
    return ExportForm(initial={"format": "xlsx"}, record_types=list(registry().values()), units=units)


def _render_index(request, *, export_form: ExportForm | None = None, status: int = 200):
    user = request.user
    batches = Paginator(selectors.batch_list_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    units = _units(user)
    context = {
        "page_obj": batches,
        "rows": [presenters.batch_summary(b) for b in batches.object_list],
        "can_import": bool(importable_types(user)),
        "types": list(registry().values()),
        "export_form": _export_form(user, units, export_form),
        "error_items": _error_items(export_form) if export_form is not None else [],
    }
    return render(request, "imports/index.html", context, status=status)


@page(VIEW)
@require_GET
def index(request):
    """The batches the user sees, newest first; the templates; the export of records."""
    return _render_index(request)


@page(VIEW)
@require_GET
def template(request):
    """A record type's template to fill in, as XLSX (`?type=petitions&lang=vi`)."""
    record_type = registry().get(request.GET.get("type", ""))
    if record_type is None:
        raise Http404(_("Unknown record type."))
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    language = language if language in TEMPLATE_LANGUAGES else "vi"
    data = workbooks.template_workbook(record_type, language=language)
    response = HttpResponse(data, content_type=XLSX)
    name = f"{record_type.code}-{language}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page(VIEW)
@require_GET
def export(request):
    """The records of a unit and the units below it, dated in a period, as an XLSX or CSV file."""
    user = request.user
    units = _units(user)
    form = ExportForm(
        request.GET,
        record_types=list(registry().values()),
        units=units,
    )
    if not form.is_valid():
        return _render_index(request, export_form=form, status=400)
    data = form.cleaned_data
    record_type = registry()[data["type"]]
    unit = next(u for u in units if u.pk == data["unit"])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        workbooks.export_records(
            user,
            record_type,
            unit=unit,
            first=data["first"],
            last=data["last"],
            fmt=data["format"],
            out=handle,
        )
    except DomainError as exc:
        handle.close()
        form_domain_error(form, exc, field_map={"first": "first", "last": "last"})
        return _render_index(request, export_form=form, status=400)
    handle.seek(0)
    name = workbooks.export_filename(
        record_type, unit=unit, first=data["first"], last=data["last"], fmt=data["format"]
    )
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=XLSX if data["format"] == "xlsx" else CSV
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- upload -----------------------------------------------------------------------------------


def _upload_form(request, data=None, files=None) -> UploadForm:
    user = request.user
    record_types = importable_types(user)
    codes = {rt.code for rt in record_types}
    mappings = [m for m in selectors.mapping_list_for() if m.record_type in codes]
    return UploadForm(data, files, record_types=record_types, units=_units(user), mappings=mappings)


def _render_new(request, form: UploadForm, status: int = 200):
    context = {"form": form, "error_items": _error_items(form) if form.is_bound else []}
    return render(request, "imports/new.html", context, status=status)


def _put_refusal(form: UploadForm, exc: DomainError) -> None:
    """A refusal of the upload on the form. A role the user lacks for the type found is theirs to
    fix by choosing another type, so it goes on that field rather than to the 403 page."""
    if isinstance(exc, PermissionDenied) and not exc.fields:
        form.add_error("record_type", exc.message)
        return
    form_domain_error(form, exc, field_map={"record_type": "record_type", "save_as": "mapping"})


@page(VIEW)
@require_http_methods(["GET", "POST"])
def new(request):
    """Upload a file to preview: nothing is written to any record until the preview's commit."""
    if not importable_types(request.user):
        raise PermissionDenied()
    if request.method == "GET":
        return _render_new(request, _upload_form(request))
    form = _upload_form(request, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            batch = services.import_upload(
                request.user,
                name=upload.name or "",
                upload=upload,
                record_type=data["record_type"] or None,
                sheet=data["sheet"] or None,
                unit_id=data["unit"],
                mapping_name=data["mapping"] or "",
                language=request.LANGUAGE_CODE,
            )
        except DomainError as exc:
            _put_refusal(form, exc)
        except Exception:  # a file no reader foresaw: said on the form, kept in the log
            log.exception("import of %r failed", upload.name)
            form.add_error(
                "file",
                _("%(name)s could not be read as a spreadsheet. Save it again as XLSX or CSV and upload it.")
                % {"name": upload.name},
            )
        else:
            return redirect("imports:batch", batch.pk)
    return _render_new(request, form, status=400)


# ---- a batch: preview, mapping, commit, roll-back -------------------------------------------------


def mapping_headers(batch: ImportBatch) -> list[tuple[str, str, str]]:
    """The file's headers as (column letter, header, field key now) in the file's order: those
    matched or ignored, then those that name no field."""
    report = batch.report or {}
    out = [(c.get("letter", ""), c.get("header", ""), c.get("field", "")) for c in report.get("columns", [])]
    letters = {
        p.get("header"): p.get("column", "")
        for p in report.get("problems", [])
        if p.get("header") and p.get("column")
    }
    out += [(letters.get(header, ""), header, "") for header in report.get("unknown", [])]
    return sorted(out, key=lambda item: (len(item[0]), item[0]))


def _mapping_form(batch: ImportBatch, data=None) -> MappingForm | None:
    record_type = registry().get(batch.record_type)
    if record_type is None or batch.status != ImportBatchStatus.PREVIEWED:
        return None
    return MappingForm(
        data,
        headers=mapping_headers(batch),
        columns=record_type.columns,
        initial={"version": batch.version, "save_as": batch.mapping_name},
    )


def _render_batch(
    request,
    batch: ImportBatch,
    *,
    mapping_form: MappingForm | None = None,
    problem: str = "",
    status: int = 200,
):
    detail = presenters.batch_detail(batch)
    record_type = registry().get(batch.record_type)
    mapping_form = mapping_form or _mapping_form(batch)
    needs_mapping = bool(detail["unknown"] or detail["missing"])
    items = [{"text": problem, "href": ""}] if problem else []
    if mapping_form is not None and mapping_form.is_bound:
        items += _error_items(mapping_form)
    context = {
        "batch": batch,
        "detail": detail,
        "record_type": record_type,
        "samples_new": detail["samples_new"][:SAMPLE_ROWS],
        "samples_matched": detail["samples_matched"][:SAMPLE_ROWS],
        "mapping_form": mapping_form,
        "needs_mapping": needs_mapping,
        "version_form": VersionForm(initial={"version": batch.version}),
        "can_commit": batch.status == ImportBatchStatus.PREVIEWED
        and batch.error_count == 0
        and batch.to_create > 0,
        "can_roll_back": batch.status == ImportBatchStatus.COMMITTED,
        "error_items": items,
    }
    return render(request, "imports/batch.html", context, status=status)


def _refusal_status(exc: DomainError) -> int:
    return 409 if isinstance(exc, StaleEdit) or exc.status == 409 else 400


def _remap(request, batch: ImportBatch):
    form = _mapping_form(batch, request.POST)
    if form is None:
        return _render_batch(
            request, batch, problem=_("Only a previewed batch can be mapped again."), status=400
        )
    if not form.is_valid():
        return _render_batch(request, batch, mapping_form=form, status=400)
    try:
        services.import_remap(
            request.user,
            batch.pk,
            mapping=form.mapping(),
            version=form.cleaned_data["version"],
            save_as=form.cleaned_data["save_as"].strip(),
        )
    except DomainError as exc:
        raise_for_http(exc)
        fresh = selectors.batch_get_for(request.user, batch.pk)
        return _render_batch(request, fresh, problem=exc.message, status=_refusal_status(exc))
    messages.success(request, _("The file is previewed again with the columns mapped as you chose."))
    return redirect("imports:batch", batch.pk)


def _commit(request, batch: ImportBatch):
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _render_batch(request, batch, problem=_("Reload the page and try again."), status=400)
    try:
        done = services.import_commit(request.user, batch.pk, version=form.cleaned_data["version"])
    except DomainError as exc:
        raise_for_http(exc)
        # A refused commit keeps what it found on the batch: show the batch as it is now.
        fresh = selectors.batch_get_for(request.user, batch.pk)
        return _render_batch(request, fresh, problem=exc.message, status=_refusal_status(exc))
    messages.success(
        request,
        _("Imported: %(created)s records created, %(matched)s already there.")
        % {"created": done.created, "matched": done.matched},
    )
    return redirect("imports:batch", batch.pk)


@page(VIEW)
@require_http_methods(["GET", "POST"])
def batch_detail(request, batch_id: int):
    """A batch's preview; POST `step=remap` maps its columns again, `step=commit` imports it."""
    batch = selectors.batch_get_for(request.user, batch_id)
    if request.method == "GET":
        return _render_batch(request, batch)
    step = request.POST.get("step", "")
    if step == "remap":
        return _remap(request, batch)
    if step == "commit":
        return _commit(request, batch)
    return _render_batch(request, batch, problem=_("Choose what to do with the batch."), status=400)


@page(VIEW)
@require_http_methods(["GET", "POST"])
def rollback(request, batch_id: int):
    """Ask, then remove every record the batch created (nothing when one of them changed since)."""
    batch = selectors.batch_get_for(request.user, batch_id)
    context: dict[str, Any] = {
        "batch": batch,
        "detail": presenters.batch_summary(batch),
        "form": VersionForm(initial={"version": batch.version}),
        "error_items": [],
    }
    if request.method == "GET":
        return render(request, "imports/rollback.html", context)
    form = VersionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.import_rollback(request.user, batch.pk, version=form.cleaned_data["version"])
        except DomainError as exc:
            raise_for_http(exc)
            context["error_items"] = [{"text": exc.message, "href": ""}]
            status = _refusal_status(exc)
        else:
            messages.success(request, _("The import is rolled back: the records it created are removed."))
            return redirect("imports:batch", batch.pk)
    else:
        context["error_items"] = [{"text": _("Reload the page and try again."), "href": ""}]
    fresh = selectors.batch_get_for(request.user, batch.pk)
    context.update(batch=fresh, detail=presenters.batch_summary(fresh))
    context["form"] = VersionForm(initial={"version": fresh.version})
    return render(request, "imports/rollback.html", context, status=status)


@page(VIEW)
@require_GET
def batch_file(request, batch_id: int):
    """The file as it was uploaded, for the officer who uploaded it."""
    batch, path = services.batch_file_for(request.user, batch_id)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    response = FileResponse(handle, as_attachment=True, filename=batch.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
