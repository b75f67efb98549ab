"""Export jobs: a report (a form or the review) asked for as a file, made in the background when it
is large. A job belongs to the user who asked for it and to nobody else; its file lives under the
exports folder of the var directory until the job expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.units.models import Unit


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


class ExportReport(models.TextChoices):
    FORM = "form", pgettext_lazy("report kind", "Form")
    REVIEW = "review", pgettext_lazy("report kind", "Review")


OPEN_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportJob(models.Model):
    """One export asked for in the background: what to make (report, unit, period, frame, format,
    language, the day it was asked), how far it is (status, progress), and what came of it (the
    file, or the error). The id is random so that a job's address says nothing about others."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    report = models.CharField(_("report"), max_length=10, choices=ExportReport)
    form = models.CharField(_("form"), max_length=20, blank=True)
    version = models.CharField(_("form version"), max_length=20, blank=True)
    period_name = models.CharField(max_length=20, blank=True)
    period_first = models.DateField()
    period_last = models.DateField()
    period_kind = models.CharField(max_length=10)
    period_inspection = models.BooleanField(default=False)
    frame = models.CharField(_("frame"), max_length=20)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat)
    language = models.CharField(max_length=10)
    today = models.DateField()
    options = models.JSONField(default=dict, blank=True)  # the document's number, signer, recipients
    cells = models.PositiveIntegerField(_("figures"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    file_path = models.CharField(max_length=200, blank=True)  # relative to the exports folder
    size = models.PositiveBigIntegerField(_("size"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked at"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="reports_export_user_idx"),
            models.Index(fields=["status", "expires_at"], name="reports_export_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reports_export_progress_max"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def ready(self) -> bool:
        return self.status == ExportStatus.DONE and bool(self.file_path)


class TotalStatus(models.TextChoices):
    COUNTED = "counted", _("Counted")
    WITHDRAWN = "withdrawn", pgettext_lazy("period total", "Withdrawn")


class PeriodTotal(models.Model):
    """A figure entered as a total where no itemised records exist ("2015: 45 conferences").

    Reports count it like the records it stands for: under its unit, rolled up through the tree and
    its history, in the year its period lies in. While counted, it replaces the itemised records of
    the same unit, indicator (and breakdown) dated in its period, so nothing is summed twice; when
    such records exist the two are in conflict until the user keeps the total or withdraws it.
    `filters` is the breakdown by dimension ({"kind": "complaint"}), `filters_key` its canonical
    text ("kind=complaint"; "" for the whole figure).
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    indicator = models.CharField(_("indicator"), max_length=80)
    filters = models.JSONField(default=dict, blank=True)
    filters_key = models.CharField(max_length=200, blank=True, default="")
    first = models.DateField(_("from"))
    last = models.DateField(_("to"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TotalStatus, default=TotalStatus.COUNTED)
    # The user kept the total over itemised records of its period (the conflict is resolved).
    kept_over_records = models.BooleanField(default=False)
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    class Meta:
        verbose_name = _("period total")
        verbose_name_plural = _("period totals")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "filters_key", "first", "last"],
                condition=models.Q(status="counted"),
                name="period_total_unique_counted",
            ),
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")), name="period_total_order"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "unit_path", "first"], name="period_total_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.first:%d/%m/%Y}–{self.last:%d/%m/%Y}"
