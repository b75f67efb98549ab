"""The shared kernel's tables: users, API tokens, the audit trail, calendar overrides."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their roles in units."""

    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    full_name_folded = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """Who did what to which record, when, from where, with the values before and after.

    Written by services in the transaction of the change. The application only inserts:
    `save()` refuses updates and PostgreSQL refuses UPDATE and DELETE by trigger.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=64)
    record_label = models.CharField(max_length=300, blank=True)
    # The unit by id and tree path, not by foreign key: core depends on no app, and the trail
    # must outlive any reorganisation of the tree.
    unit_ref = models.BigIntegerField(null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "unit_ref"
    SCOPE_UNITLESS_TO_ROOT = True

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="audit_record_idx")]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}#{self.record_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are never deleted.")


class CalendarOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING_DAY = "working_day", _("Working day (swapped)")


class CalendarOverride(models.Model):
    """A day the government declared off, or a weekend day it made a working day."""

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarOverrideKind)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarOverrideKind.values), name="calendar_override_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


def record_file_path(instance: RecordFile, filename: str) -> str:
    return f"records/{instance.record_type.replace('.', '-')}/{instance.record_id}/{instance.stored_name}"


class RecordFile(models.Model):
    """A file kept with a record of any app (an activity's plan, minutes and photos, a model's
    evidence, a commendation decision). It carries its record's unit path, so the one access layer
    scopes it like the record; the record's own service checks who may add one."""

    record_type = models.CharField(max_length=100)  # the record's model label, "outreach.activity"
    record_id = models.PositiveBigIntegerField()
    unit_ref = models.PositiveBigIntegerField()
    unit_path = models.CharField(max_length=255)
    role = models.CharField(_("kind of file"), max_length=30)  # "plan", "minutes", "photo", ...
    file = models.FileField(upload_to=record_file_path, max_length=255)
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "unit_ref"

    class Meta:
        indexes = [models.Index(fields=["record_type", "record_id"], name="core_recordfile_record")]

    def __str__(self) -> str:
        return self.original_name


class ImportBatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    COMMITTED = "committed", _("Imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")


def import_file_path(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.stored_name}"


class ImportBatch(models.Model):
    """One spreadsheet brought in: its file, who and when, what the preview found and what the
    commit wrote. Every record an import creates carries its batch, so the batch can be rolled back
    as a whole. Lives in the kernel because every record app's tables point to it."""

    record_type = models.CharField(_("record type"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportBatchStatus, default=ImportBatchStatus.PREVIEWED
    )
    file = models.FileField(upload_to=import_file_path, max_length=255)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    # The unit the import was made for (names resolve within it first; scoping reads the path).
    unit_ref = models.PositiveBigIntegerField(null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # file header -> column key ("" = ignored)
    mapping_name = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, default="vi")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(_("matching existing records"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    created = models.PositiveIntegerField(_("records created"), default=0)
    report = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)  # the preview's findings
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="core_importbatch_owner")]

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "unit_ref"

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"
