"""Writes of the reports app: a report asked for as a file, and the life of an export job.

`export_request` checks the request (report, format, unit within the user's reach, period, frame,
form version) and estimates its size in figures (rows × columns of a form, figures × years of the
review). Over `DANVAN_EXPORT_MAX_CELLS` it is refused, naming the limit. Up to
`DANVAN_EXPORT_BACKGROUND_CELLS` the file is made at once and handed back; above, an `ExportJob` is
written and its task queued in the same transaction (the database task backend keeps the task as a
row, so a job never lacks its task nor a task its job), and a worker makes it: queued → running
(progress 0–100) → done, or failed with its error. The file is written to a temporary name beside
its final one and moved into place only when whole, so nothing half-written is ever offered.
Finished jobs expire after `DANVAN_EXPORT_RETENTION_HOURS`: their files (and any temporary file a
stopped worker left) are deleted on the next export request or when a worker finishes a job. Every
change of a job's status is audited.

A job belongs to the user who asked for it: for anyone else it is "not found".
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import audit
from danvan.core.errors import DomainError, FieldErrors, NotFound, StaleEdit, check_version
from danvan.core.indicators import COUNT, PEOPLE, registry
from danvan.core.numbers import number
from danvan.core.text import normalize
from danvan.units import access
from danvan.units.models import Unit

from . import engine, exports, selectors
from .declarations import FormDeclaration
from .engine import AS_IT_WAS, FRAMES
from .forms import form_for
from .models import OPEN_STATUSES, ExportJob, ExportReport, ExportStatus, PeriodTotal, TotalStatus
from .periods import Period, period_between, period_parse
from .review import REVIEW_CODES, Review, review_report

logger = logging.getLogger(__name__)

JOB_AUDIT = [
    "report",
    "form",
    "version",
    "unit",
    "period_first",
    "period_last",
    "frame",
    "format",
    "language",
    "cells",
    "status",
    "error_code",
    "file_name",
    "size",
]
COMPUTED = 40  # progress once the figures are computed; the rest is the writing of the file
WRITTEN = 95


class ExportTooLarge(DomainError):
    status = 413


def background_cells() -> int:
    return int(settings.DANVAN_EXPORT_BACKGROUND_CELLS)


def max_cells() -> int:
    return int(settings.DANVAN_EXPORT_MAX_CELLS)


def retention() -> timedelta:
    return timedelta(hours=float(settings.DANVAN_EXPORT_RETENTION_HOURS))


def exports_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


@dataclass(frozen=True)
class ExportInput:
    """What the user asked for. `period` is a short name ("2024", "I2024-Q1", "2013..2022"); without
    it, `first` and `last` make a plain range. `options` are the document's particulars (number,
    place, signer_position, signer_name, recipients)."""

    kind: str
    fmt: str
    unit_id: int | None
    period: str = ""
    first: date | None = None
    last: date | None = None
    frame: str = AS_IT_WAS
    form: str = ""
    version: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportFile:
    name: str
    content_type: str
    data: bytes


@dataclass
class ExportOutcome:
    """Either the file, made at once, or the job that will make it."""

    file: ExportFile | None = None
    job: ExportJob | None = None


@dataclass(frozen=True)
class _Request:
    kind: str
    fmt: str
    unit: Unit
    period: Period
    frame: str
    declaration: FormDeclaration | None
    version: str
    cells: int
    file_name: str
    options: dict[str, Any]


def _period(data: ExportInput) -> Period:
    if data.period:
        return period_parse(data.period)
    if data.first is not None and data.last is not None:
        return period_between(data.first, data.last)
    raise DomainError(
        "reports.period_missing",
        gettext_lazy("Choose a period."),
        fields={"period": gettext_lazy("Choose a period.")},
    )


def export_estimate(
    *, kind: str, unit: Unit, period: Period, frame: str, today: date, declaration: FormDeclaration | None
) -> int:
    """The number of figures an export holds: a form's rows (the units below, the unit's own records
    and the total) times its columns; the review's figures for the period and for each year."""
    if kind == ExportReport.REVIEW or declaration is None:
        return len(REVIEW_CODES) * (len(period.years) + 1)
    rows = len(engine.children_for_compare(unit, period, frame, today)) + 2
    return rows * len(declaration.columns)


def _file_name(kind: str, form: str, unit: Unit, period: Period, fmt: str) -> str:
    span = period.name.replace("..", "-") if period.name else f"{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    stem = form if kind == ExportReport.FORM else "review"
    return f"{slugify(f'{stem}-{unit.code}-{span}')}.{fmt}"


def _clean_options(options: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("number", "place", "signer_position", "signer_name"):
        value = str(options.get(key) or "").strip()[:200]
        if value:
            out[key] = value
    recipients = [str(r).strip()[:200] for r in options.get("recipients") or [] if str(r).strip()]
    if recipients:
        out["recipients"] = recipients[:20]
    return out


def _prepare(actor, data: ExportInput, today: date) -> _Request:
    errors = FieldErrors("reports.export_invalid")
    if data.kind not in ExportReport.values:
        errors.add("kind", gettext_lazy("Choose a form or the review."))
    if data.fmt not in exports.FORMATS:
        errors.add("format", gettext_lazy("Choose XLSX, DOCX, PDF or CSV."))
    if data.kind == ExportReport.FORM and not data.form:
        errors.add("form", gettext_lazy("Choose a form."))
    if data.frame not in FRAMES:
        errors.add("frame", gettext_lazy("Unknown frame."))
    if data.unit_id is None:
        errors.add("unit", gettext_lazy("Choose a unit."))
    errors.raise_if_any()
    period = _period(data)
    unit = selectors.unit_for_report(actor, unit_id=data.unit_id, on=period.last)
    declaration = (
        form_for(data.form, period.first, period.last, data.version) if data.kind == "form" else None
    )
    engine.scope_check(actor, unit=unit, period=period, frame=data.frame, today=today)
    cells = export_estimate(
        kind=data.kind, unit=unit, period=period, frame=data.frame, today=today, declaration=declaration
    )
    limit = max_cells()
    if cells > limit:
        raise ExportTooLarge(
            "reports.export_too_large",
            gettext_lazy(
                "This export would hold %(cells)s figures, more than the limit of %(limit)s figures for one "
                "export. Choose a shorter period or a unit lower in the tree."
            ),
            fields={"period": gettext_lazy("Too many figures for one export.")},
            cells=number(cells),
            limit=number(limit),
        )
    return _Request(
        kind=data.kind,
        fmt=data.fmt,
        unit=unit,
        period=period,
        frame=data.frame,
        declaration=declaration,
        version=declaration.version if declaration is not None else "",
        cells=cells,
        file_name=_file_name(data.kind, data.form, unit, period, data.fmt),
        options=_clean_options(data.options),
    )


def _report(
    actor, *, kind: str, form: str, version: str, unit: Unit, period: Period, frame: str, today: date
) -> selectors.FormReport | Review:
    if kind == ExportReport.REVIEW:
        return review_report(actor, unit=unit, period=period, frame=frame, today=today)
    return selectors.form_report(
        actor, form=form, unit=unit, period=period, frame=frame, today=today, version=version
    )


def export_request(
    *,
    actor,
    data: ExportInput,
    today: date,
    language: str | None = None,
    now: datetime | None = None,
) -> ExportOutcome:
    """A report as a file: made at once when small, else queued as a job of `actor`. Refused (a
    DomainError naming the field) when the request is not valid, the unit is out of reach or did
    not exist in the period, or the export is over the size limit."""
    now = now or timezone.now()
    export_purge(now=now)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    request = _prepare(actor, data, today)
    summary = {
        "report": request.kind,
        "form": data.form,
        "version": request.version,
        "unit": request.unit.pk,
        "period": f"{request.period.first.isoformat()}..{request.period.last.isoformat()}",
        "frame": request.frame,
        "format": request.fmt,
        "cells": request.cells,
    }
    if request.cells <= background_cells():
        with translation.override(language):
            report = _report(
                actor,
                kind=request.kind,
                form=data.form,
                version=request.version,
                unit=request.unit,
                period=request.period,
                frame=request.frame,
                today=today,
            )
            out = io.BytesIO()
            document = exports.document_for(request.unit, today, request.options)
            exports.render(report, request.fmt, out, document=document)
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="reports.export",
                record_type="reports.export",
                label=request.file_name,
                unit=request.unit,
                after=summary,
            )
        return ExportOutcome(
            file=ExportFile(request.file_name, exports.CONTENT_TYPES[request.fmt], out.getvalue())
        )

    from . import tasks

    with transaction.atomic():
        job = ExportJob.objects.create(
            user=actor,
            unit=request.unit,
            report=request.kind,
            form=data.form if request.kind == ExportReport.FORM else "",
            version=request.version,
            period_name=request.period.name,
            period_first=request.period.first,
            period_last=request.period.last,
            period_kind=request.period.kind,
            period_inspection=request.period.inspection,
            frame=request.frame,
            format=request.fmt,
            language=language,
            today=today,
            options=request.options,
            cells=request.cells,
            file_name=request.file_name,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action="reports.export_queued",
            obj=job,
            unit=request.unit,
            after=audit.snapshot(job, JOB_AUDIT),
        )
        result = tasks.export_run.enqueue(str(job.pk))
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return ExportOutcome(job=job)


# ---- the job's life ---------------------------------------------------------------------------


def _change(job: ExportJob, action: str, now: datetime, **values: Any) -> ExportJob:
    """Set `values` on the job and audit the change, in one transaction; the job is read again
    under lock so that two workers never both move it."""
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().select_related("unit").get(pk=job.pk)
        before = audit.snapshot(locked, JOB_AUDIT)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        audit.record(
            actor=None,
            action=action,
            obj=locked,
            unit=locked.unit,
            before=before,
            after=audit.snapshot(locked, JOB_AUDIT),
        )
    return locked


def _claim(job_id: str, now: datetime) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.QUEUED:
            return None
        return _change(
            job, "reports.export_running", now, status=ExportStatus.RUNNING, started_at=now, progress=5
        )


def _progress_writer(job: ExportJob) -> Callable[[int], None]:
    """Stores the progress when it moved by 5 points or more (a row each time would be a write per
    row)."""
    last = {"value": job.progress}

    def write(value: int) -> None:
        value = max(0, min(100, value))
        if value - last["value"] >= 5 or (value == WRITTEN and value != last["value"]):
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(progress=value)
            last["value"] = value

    return write


def export_job_run(*, job_id: str, now: datetime | None = None) -> ExportJob | None:
    """Make the file of a queued job, as its user (whose reach is checked again now). None when the
    job is gone or not waiting (another worker took it)."""
    job = _claim(job_id, now or timezone.now())
    if job is None:
        return None
    user = job.user
    folder = exports_dir()
    temporary: Path | None = None
    progress = _progress_writer(job)
    with translation.override(job.language):
        try:
            period = Period(
                job.period_first, job.period_last, job.period_kind, job.period_name, job.period_inspection
            )
            report = _report(
                user,
                kind=job.report,
                form=job.form,
                version=job.version,
                unit=job.unit,
                period=period,
                frame=job.frame,
                today=job.today,
            )
            progress(COMPUTED)
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=folder, prefix=f".{job.pk}-", suffix=".part")
            temporary = Path(name)
            with os.fdopen(handle, "wb") as out:
                exports.render(
                    report,
                    job.format,
                    out,
                    document=exports.document_for(job.unit, job.today, job.options),
                    progress=lambda done, total: progress(
                        COMPUTED + (WRITTEN - COMPUTED) * done // max(total, 1)
                    ),
                )
            final = folder / f"{job.pk}.{job.format}"
            os.replace(temporary, final)
            temporary = None
        except Exception as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            return _fail(job, exc)
    finished = timezone.now()
    job = _change(
        job,
        "reports.export_done",
        finished,
        status=ExportStatus.DONE,
        progress=100,
        file_path=final.name,
        size=final.stat().st_size,
        finished_at=finished,
        expires_at=finished + retention(),
    )
    export_purge(now=finished)
    return job


def _fail(job: ExportJob, exc: Exception) -> ExportJob:
    if isinstance(exc, DomainError):
        message, code = exc.message, exc.code
    else:
        logger.exception("export job %s failed", job.pk)
        message = _("An unexpected error: %(error)s") % {"error": str(exc) or type(exc).__name__}
        code = "reports.export_failed"
    finished = timezone.now()
    return _change(
        job,
        "reports.export_failed",
        finished,
        status=ExportStatus.FAILED,
        error=message[:2000],
        error_code=code[:80],
        finished_at=finished,
        expires_at=finished + retention(),
    )


def export_purge(*, now: datetime | None = None) -> int:
    """Expire finished jobs past their retention (their files deleted), and fail jobs that have waited
    or run longer than the retention (their worker is gone). Returns the number of jobs changed."""
    now = now or timezone.now()
    changed = 0
    for job in ExportJob.objects.filter(
        status__in=(ExportStatus.DONE, ExportStatus.FAILED), expires_at__lt=now
    ).select_related("unit"):
        if job.file_path:
            (exports_dir() / Path(job.file_path).name).unlink(missing_ok=True)
        _change(job, "reports.export_expired", now, status=ExportStatus.EXPIRED, file_path="")
        changed += 1
    for job in ExportJob.objects.filter(status__in=OPEN_STATUSES, created_at__lt=now - retention()):
        with translation.override(job.language):
            message = _("The export did not finish in time. Ask for it again.")
        _change(
            job,
            "reports.export_failed",
            now,
            status=ExportStatus.FAILED,
            error=message,
            error_code="reports.export_interrupted",
            finished_at=now,
            expires_at=now + retention(),
        )
        changed += 1
    _remove_leftovers(now)
    return changed


def _remove_leftovers(now: datetime) -> None:
    """Temporary files of a worker that stopped in the middle of writing (older than the retention)."""
    folder = exports_dir()
    if not folder.is_dir():
        return
    oldest = (now - retention()).timestamp()
    for path in folder.glob(".*.part"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < oldest:
                path.unlink()


# ---- the owner's jobs (reads used by the export pages) ---------------------------------------


def export_job_get_for(user, job_id: str) -> ExportJob:
    """The job if `user` asked for it; "not found" for anyone else, as for a job that never was."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound() from None
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    job = ExportJob.objects.filter(user=user, pk=key).select_related("unit").first()
    if job is None:
        raise NotFound()
    return job


def export_job_file(user, job_id: str) -> tuple[ExportJob, Path]:
    """The finished file of the user's job; refused while it is being made, after it failed, and once
    it expired."""
    job = export_job_get_for(user, job_id)
    if job.status in OPEN_STATUSES:
        raise DomainError(
            "reports.export_not_ready",
            gettext_lazy("The file is not ready yet: %(progress)s%% done."),
            progress=job.progress,
        )
    if job.status == ExportStatus.FAILED:
        raise DomainError(
            "reports.export_failed", gettext_lazy("The export failed: %(error)s"), error=job.error
        )
    path = exports_dir() / Path(job.file_path).name if job.file_path else None
    if job.status != ExportStatus.DONE or path is None or not path.is_file():
        raise DomainError(
            "reports.export_expired",
            gettext_lazy("This file is no longer kept. Ask for the export again."),
        )
    return job, path


# ---- period totals -----------------------------------------------------------------------------

TOTALS_ACTION = "report.totals"
TOTAL_AUDIT = [
    "unit",
    "indicator",
    "filters",
    "first",
    "last",
    "value",
    "note",
    "status",
    "kept_over_records",
]


def total_problems(
    *, unit: Unit | None, indicator: str, filters: Mapping[str, str], first, last, value
) -> dict[str, str]:
    """What is wrong with one period total, by field ({field: message}; empty when it holds): the
    indicator is known and takes totals, the breakdown's dimensions and values are the indicator's,
    the period runs forwards and the unit existed during all of it, the value is not negative and
    is whole for counts of records and of people. Shared by `period_total_create` and the import
    of totals (the "period_totals" record type), so both refuse the same rows with the same words."""
    problems: dict[str, str] = {}
    known = registry().get(indicator)
    if known is None or not engine.totals_allowed(known):
        problems["indicator"] = _("“%(code)s” is not a figure that can be entered as a total.") % {
            "code": indicator
        }
    else:
        for dimension, wanted in filters.items():
            values = known.dimensions.get(dimension)
            if values is None:
                problems["breakdown"] = _(
                    "%(figure)s has no breakdown “%(dimension)s”; it can be broken down by: %(allowed)s."
                ) % {
                    "figure": known.label,
                    "dimension": dimension,
                    "allowed": ", ".join(known.dimensions) or "—",
                }
                break
            if wanted not in values:
                problems["breakdown"] = _(
                    "“%(value)s” is not a value of “%(dimension)s”; use one of: %(allowed)s."
                ) % {
                    "value": wanted,
                    "dimension": dimension,
                    "allowed": ", ".join(
                        f"{code} ({label})" for code, label in ((c, v.label) for c, v in values.items())
                    ),
                }
                break
    if first is None or last is None:
        problems["first"] = _("Give the period: a year, or both the first and the last day.")
    elif last < first:
        problems["last"] = _("The last day (%(last)s) is before the first day (%(first)s).") % {
            "last": f"{last:%d/%m/%Y}",
            "first": f"{first:%d/%m/%Y}",
        }
    elif unit is not None and (
        unit.valid_from > first or (unit.valid_to is not None and unit.valid_to < last)
    ):
        problems["unit"] = _(
            "%(unit)s did not exist during the whole period %(first)s–%(last)s (it existed %(validity)s)."
        ) % {
            "unit": unit.name,
            "first": f"{first:%d/%m/%Y}",
            "last": f"{last:%d/%m/%Y}",
            "validity": unit.validity_label,
        }
    if value is None:
        problems["value"] = _("Enter the value.")
    elif value < 0:
        problems["value"] = _("The value cannot be negative.")
    elif known is not None and known.measure in (COUNT, PEOPLE) and value != int(value):
        problems["value"] = _("%(figure)s counts whole numbers: %(value)s is not one.") % {
            "figure": known.label,
            "value": value,
        }
    return problems


def _total_get(actor, total_id: int) -> PeriodTotal:
    total = (
        access.visible(actor, PeriodTotal, "report.view").filter(pk=total_id).select_related("unit").first()
    )
    if total is None:
        raise NotFound()
    access.require(actor, TOTALS_ACTION, total)
    return total


def period_total_create(
    actor,
    *,
    unit: Unit,
    indicator: str,
    filters: Mapping[str, str] | None = None,
    first,
    last,
    value,
    note: str = "",
) -> PeriodTotal:
    """Enter one period total for a unit (the user needs "report.totals" on it), checked as an
    imported one is (`total_problems`) and refused when a counted total of the same unit,
    indicator, breakdown and period exists. Audited."""
    access.require(actor, TOTALS_ACTION, unit)
    filters = {str(k): str(v) for k, v in (filters or {}).items()}
    problems = total_problems(
        unit=unit, indicator=indicator, filters=filters, first=first, last=last, value=value
    )
    key = engine.filters_key(filters)
    if (
        not problems
        and PeriodTotal.objects.filter(
            status=TotalStatus.COUNTED,
            unit=unit,
            indicator=indicator,
            filters_key=key,
            first=first,
            last=last,
        ).exists()
    ):
        problems["first"] = _("This figure already has a counted total for this unit and period.")
    if problems:
        first_problem = next(iter(problems.values()))
        raise DomainError("reports.total_invalid", first_problem, fields=problems)
    with transaction.atomic():
        total = PeriodTotal.objects.create(
            unit=unit,
            unit_path=unit.path,
            indicator=indicator,
            filters=filters,
            filters_key=key,
            first=first,
            last=last,
            value=value,
            note=normalize(note or "").strip(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="reports.period_total_create",
            obj=total,
            unit=unit,
            after=audit.snapshot(total, TOTAL_AUDIT),
        )
    return total


def _total_change(actor, total_id: int, version: int, action: str, **values: Any) -> PeriodTotal:
    with transaction.atomic():
        total = _total_get(actor, total_id)
        check_version(total, version, required=True)
        if total.status != TotalStatus.COUNTED:
            raise DomainError(
                "reports.total_not_counted",
                _("This total has been withdrawn already: it is no longer counted."),
            )
        before = audit.snapshot(total, TOTAL_AUDIT)
        if not PeriodTotal.objects.filter(pk=total.pk, version=version).update(
            version=F("version") + 1, **values
        ):
            raise StaleEdit()
        total.refresh_from_db()
        audit.record(
            actor=actor,
            action=action,
            obj=total,
            unit=total.unit,
            before=before,
            after=audit.snapshot(total, TOTAL_AUDIT),
        )
    return total


def period_total_keep(actor, total_id: int, version: int) -> PeriodTotal:
    """Keep a counted total over the itemised records of its period (the conflict is resolved: the
    total goes on replacing them). Audited; StaleEdit when the total changed since `version`."""
    return _total_change(actor, total_id, version, "reports.period_total_keep", kept_over_records=True)


def period_total_withdraw(actor, total_id: int, version: int) -> PeriodTotal:
    """Withdraw a counted total: it is no longer counted and the itemised records of its period count
    again. Audited; StaleEdit when the total changed since `version`."""
    return _total_change(
        actor, total_id, version, "reports.period_total_withdraw", status=TotalStatus.WITHDRAWN
    )
