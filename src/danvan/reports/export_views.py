"""Pages of report exports: ask for a file (`export_start`), follow a background job
(`export_status`: a page, an htmx fragment that polls itself, or JSON), download its file
(`export_download`).

Thin like every page: parse the request, call one service, answer. A small export answers with the
file at once; a large one with the job (303 to its page, 202 with the fragment for htmx, 202 with
JSON for a client that asks for JSON). A job is its owner's alone: for anyone else it is "not
found". "Today" is `timezone.localdate()`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from danvan.core.errors import DomainError, FieldErrors
from danvan.core.views import error_page, page, raise_for_http

from . import exports, services
from .models import ExportJob

ACTION = "report.view"
OPTION_FIELDS = ("number", "place", "signer_position", "signer_name")


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.GET.get("format") == "json" or ("application/json" in accept and "text/html" not in accept)


def _date(text: str, name: str, errors: FieldErrors) -> date | None:
    """A date written dd/mm/yyyy (as the pages write it) or yyyy-mm-dd."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        errors.add(name, gettext_lazy("Write the date as dd/mm/yyyy."))
        return None


def _input(post) -> services.ExportInput:
    errors = FieldErrors("reports.export_invalid")
    unit = (post.get("unit") or "").strip()
    first = _date(post.get("first", ""), "first", errors)
    last = _date(post.get("last", ""), "last", errors)
    errors.raise_if_any()
    options: dict[str, Any] = {name: post.get(name, "") for name in OPTION_FIELDS if post.get(name)}
    recipients = [line.strip() for line in (post.get("recipients") or "").splitlines() if line.strip()]
    if recipients:
        options["recipients"] = recipients
    return services.ExportInput(
        kind=(post.get("kind") or "").strip(),
        fmt=(post.get("format") or "").strip().lower(),
        unit_id=int(unit) if unit.isdigit() else None,
        period=(post.get("period") or "").strip(),
        first=first,
        last=last,
        frame=(post.get("frame") or services.AS_IT_WAS).strip(),
        form=(post.get("form") or "").strip(),
        version=(post.get("version") or "").strip(),
        options=options,
    )


def _job_json(job: ExportJob) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "file_name": job.file_name,
        "error": job.error,
        "error_code": job.error_code,
        "status_url": reverse("reports:export_status", args=[job.pk]),
        "download_url": reverse("reports:export_download", args=[job.pk]) if job.ready else None,
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }


def _refusal(request, exc: DomainError) -> HttpResponse:
    if _wants_json(request):
        status = exc.status if 400 <= exc.status < 500 else 400
        body = {"code": exc.code, "message": exc.message, "fields": exc.field_messages()}
        return JsonResponse(body, status=status)
    if request.htmx:
        raise_for_http(exc)
        status = exc.status if 400 <= exc.status < 500 else 400
        return render(request, "reports/exports/_refused.html", {"message": exc.message}, status=status)
    return error_page(request, exc)


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page(ACTION)
@require_POST
def export_start(request):
    """A form or the review as XLSX, DOCX, PDF or CSV: the file at once when small, else a job."""
    try:
        outcome = services.export_request(
            actor=request.user,
            data=_input(request.POST),
            today=timezone.localdate(),
            language=translation.get_language(),
        )
    except DomainError as exc:
        return _refusal(request, exc)
    if outcome.file is not None:
        return _attachment(outcome.file.data, outcome.file.name, outcome.file.content_type)
    job = outcome.job
    if job is None:  # an outcome is a file or a job
        raise RuntimeError("export_request returned neither a file nor a job")
    status_url = reverse("reports:export_status", args=[job.pk])
    if _wants_json(request):
        response = JsonResponse(_job_json(job), status=202)
        response["Location"] = status_url
        return response
    if request.htmx:
        return render(request, "reports/exports/_status.html", {"job": job}, status=202)
    return HttpResponseRedirect(status_url, status=303)


@page(ACTION)
@require_GET
@never_cache
def export_status(request, job_id: str):
    """Where the job is: its progress while it waits or runs, the download link when done, the error
    when it failed. For htmx the fragment, which asks again every two seconds until the end."""
    job = services.export_job_get_for(request.user, job_id)
    if _wants_json(request):
        return JsonResponse(_job_json(job))
    if request.htmx:
        return render(request, "reports/exports/_status.html", {"job": job})
    return render(request, "reports/exports/status.html", {"job": job})


@page(ACTION)
@require_GET
def export_download(request, job_id: str):
    """The finished file of the user's own job."""
    try:
        job, path = services.export_job_file(request.user, job_id)
    except DomainError as exc:
        if exc.code == "reports.export_expired" and not _wants_json(request):
            raise_for_http(exc)
            return render(request, "core/error.html", {"message": exc.message, "code": exc.code}, status=410)
        return _refusal(request, exc)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=exports.CONTENT_TYPES[job.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
