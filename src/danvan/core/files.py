"""Files kept with records of any app: add (checked by content), list, and read, each scoped by the
record's unit like the record itself. The record's own service decides who may add a file and
calls `record_file_add` inside its transaction."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import QuerySet

from . import audit
from .errors import NotFound
from .models import RecordFile
from .uploads import check_upload


def record_file_add(*, actor, record: models.Model, unit, role: str, name: str, data: bytes) -> RecordFile:
    """Keep `data` with `record` (whose unit is `unit`); a DomainError names the file when its
    content is not an accepted type or it is too large. Call inside the record's transaction."""
    checked = check_upload(name, data, field="files")
    suffix = PurePath(checked.name).suffix.lower()
    stored = RecordFile(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        unit_ref=unit.pk,
        unit_path=unit.path,
        role=role,
        stored_name=f"{secrets.token_hex(16)}{suffix}",
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    stored.file.save(stored.stored_name, ContentFile(data), save=False)
    stored.save()
    audit.record(
        actor=actor,
        action="file.add",
        obj=record,
        unit=unit,
        after={"file": checked.name, "role": role, "sha256": stored.sha256},
    )
    return stored


def record_files_of(record: models.Model) -> QuerySet[RecordFile]:
    """The files of `record`, oldest first. The caller has already found the record in scope."""
    return RecordFile.objects.filter(record_type=record._meta.label_lower, record_id=record.pk).order_by("pk")


def record_file_get_for(user, file_id: int) -> RecordFile:
    """A file the user may see (its record's unit is in their scope), or NotFound."""
    from danvan.units import access

    found = access.visible(user, RecordFile).filter(pk=file_id).first()
    if found is None:
        raise NotFound()
    return found
