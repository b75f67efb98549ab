"""Attachments are checked by their content, not their name: PDF, images (JPEG, PNG) and DOCX only,
up to the configured size. A file whose bytes disagree with its name is refused."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Extension -> the type its content must have.
ALLOWED = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": DOCX,
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str


def _sniff(data: bytes) -> str | None:
    kind = filetype.guess(data)
    if kind is None:
        return None
    if kind.mime == "application/zip" or kind.mime == DOCX:
        # filetype reports most Office files as zip; a DOCX has its main part inside.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return DOCX if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    return kind.mime


def check_upload(name: str, data: bytes, *, field: str = "attachments") -> CheckedFile:
    """The file, with its content type, or a DomainError naming the file and the rule."""
    limit_mb = settings.DANVAN_ATTACHMENT_MAX_MB
    if len(data) > limit_mb * 1024 * 1024:
        message = _("%(name)s is larger than %(limit)s MB.")
        raise DomainError("attachment_too_large", message, fields={field: message}, name=name, limit=limit_mb)
    if not data:
        message = _("%(name)s is empty.")
        raise DomainError("attachment_empty", message, fields={field: message}, name=name)
    expected = ALLOWED.get(PurePath(name).suffix.lower())
    if expected is None:
        message = _("%(name)s: only PDF, JPEG, PNG and DOCX files are accepted.")
        raise DomainError("attachment_type", message, fields={field: message}, name=name)
    actual = _sniff(data)
    if actual != expected:
        message = _("%(name)s is not what its name says: its content is not a %(type)s file.")
        raise DomainError(
            "attachment_mismatch",
            message,
            fields={field: message},
            name=name,
            type=PurePath(name).suffix.lstrip(".").upper(),
        )
    return CheckedFile(name=PurePath(name).name[:255], data=data, content_type=expected)
