"""Imports as user intentions: upload a file (and preview it), map its columns, commit it, roll a
batch back, keep a column mapping. Pages, the API and the command line all call these.

Nothing is written to any record until a commit, and a commit writes the whole file or nothing: it
runs the same pass as the preview inside one transaction and undoes it on the first problem found.
Importing a file again creates nothing new: its rows match the records the first import made.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from danvan.core import audit, crypto
from danvan.core.errors import DomainError, NotFound, check_version
from danvan.core.models import ImportBatch, ImportBatchStatus
from danvan.core.records import RecordType, registry
from danvan.units import access
from danvan.units.models import Unit

from . import pipeline
from .models import ColumnMapping
from .readers import open_sheet
from .selectors import batch_get_for, mapping_for_shape

LANGUAGES = ("vi", "en")


def _record_type(code: str | None) -> RecordType | None:
    if not code:
        return None
    try:
        return registry()[code]
    except KeyError:
        message = gettext_lazy("Unknown record type “%(type)s”. Choose one of: %(types)s.")
        raise DomainError(
            "import.unknown_type",
            message,
            fields={"record_type": message},
            type=code,
            types=", ".join(registry()),
        ) from None


def _check_size(name: str, size: int) -> None:
    limit = settings.DANVAN_IMPORT_MAX_MB
    if size > limit * 1024 * 1024:
        message = gettext_lazy(
            "%(name)s is %(size)s MB; files for import may be at most %(limit)s MB. Split it into several "
            "files, or import it on the server with the command line."
        )
        raise DomainError(
            "import.too_large",
            message,
            fields={"file": message},
            name=name,
            size=round(size / 1024 / 1024, 1),
            limit=limit,
        )
    if size == 0:
        message = gettext_lazy("%(name)s is empty: there is nothing to import.")
        raise DomainError("import.empty_file", message, fields={"file": message}, name=name)


def _scope_unit(user, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not access.scope_for(user, "record.view").covers(unit):
        raise NotFound()
    return unit


def _store(batch: ImportBatch, source: Path) -> None:
    """Keep the file encrypted: a register names petitioners and denouncers."""
    batch.stored_name = f"{secrets.token_hex(16)}.sealed"
    with source.open("rb") as plain, tempfile.TemporaryFile() as sealed:
        crypto.seal_file(plain, sealed)
        sealed.seek(0)
        batch.file.save(batch.stored_name, File(sealed), save=False)


@contextmanager
def plain_copy(batch: ImportBatch) -> Iterator[Path]:
    """The batch's file decrypted into a temporary file, for as long as the block runs."""
    suffix = PurePath(batch.original_name).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as plain:
        with batch.file.open("rb") as sealed:
            crypto.unseal_file(sealed, plain)
        plain.flush()
        yield Path(plain.name)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _language(language: str | None, user) -> str:
    chosen = language or getattr(user, "language", "") or "vi"
    return chosen if chosen in LANGUAGES else "vi"


def _apply(batch: ImportBatch, outcome: pipeline.Outcome) -> None:
    batch.sheet = outcome.sheet
    batch.rows = outcome.rows
    batch.to_create = outcome.to_create
    batch.matched = outcome.matched
    batch.error_count = outcome.problem_count
    report = outcome.as_report()
    earlier = (
        ImportBatch.objects.filter(
            sha256=batch.sha256, record_type=batch.record_type, status=ImportBatchStatus.COMMITTED
        )
        .exclude(pk=batch.pk)
        .order_by("committed_at")
        .first()
    )
    if earlier is not None:
        report["earlier_batch"] = {"id": earlier.pk, "at": earlier.committed_at, "created": earlier.created}
    batch.report = report


def import_file(
    user,
    path: Path,
    *,
    name: str | None = None,
    record_type: str | None = None,
    sheet: str | None = None,
    unit_id: int | None = None,
    mapping_name: str = "",
    language: str | None = None,
    check_size: bool = True,
    save: bool = True,
    commit: bool = False,
) -> ImportBatch:
    """Keep the file as a new batch and preview it. File-level problems (empty, not a spreadsheet,
    no header, a type that cannot be told) raise DomainError and keep nothing; row problems are in
    the batch's report. With no `record_type`, the type whose columns the headers name best.
    `save=False` previews without keeping anything (a dry run); `commit=True` previews and commits
    in one pass (the command line's import of a large file), raising "import.has_problems" with
    the batch kept as previewed when the file has any problem."""
    access.require_anywhere(user, "record.view")
    name = PurePath(name or path.name).name[:255]
    size = path.stat().st_size
    if check_size:
        _check_size(name, size)
    language = _language(language, user)
    with override(language):
        if size == 0:
            _check_size(name, 0)
        chosen = _record_type(record_type)
        sheet_read = open_sheet(path, name, sheet=sheet or None)
        if chosen is None:
            chosen = pipeline.guess_record_type(sheet_read.headers)
            if chosen is None:
                message = gettext_lazy(
                    "The columns of %(name)s do not name every required field of any record type: choose "
                    "the type of records the file holds."
                )
                raise DomainError("import.type_unknown", message, fields={"record_type": message}, name=name)
        access.require_anywhere(user, chosen.action)
        within = _scope_unit(user, unit_id)
        mapping, used_name = _saved_mapping(chosen, sheet_read.headers, mapping_name)
        batch = ImportBatch(
            record_type=chosen.code,
            original_name=name,
            size=size,
            sha256=_digest(path),
            unit_ref=within.pk if within else None,
            unit_path=within.path if within else "",
            mapping=mapping,
            mapping_name=used_name,
            language=language,
            created_by=user,
        )
        if commit:
            _store(batch, path)
            batch.save()
            return _commit_pass(user, batch, chosen, path=path)
        outcome = pipeline.run(
            user, chosen, path, name, sheet=sheet or None, mapping=mapping, within=within, opened=sheet_read
        )
        _apply(batch, outcome)
        if save:
            _store(batch, path)
            batch.save()
    return batch


def import_upload(user, *, name: str, upload, **options: Any) -> ImportBatch:
    """An uploaded file (a Django UploadedFile or any file object with `.size` and `chunks()`/`read()`):
    refused by size before it is read, then as `import_file`."""
    size = getattr(upload, "size", None)
    if size is not None:
        _check_size(PurePath(name).name, size)
    with tempfile.NamedTemporaryFile(suffix=PurePath(name).suffix[:10], delete=True) as handle:
        if hasattr(upload, "chunks"):
            for block in upload.chunks():
                handle.write(block)
        else:
            shutil.copyfileobj(upload, handle)
        handle.flush()
        return import_file(user, Path(handle.name), name=name, **options)


def _saved_mapping(record_type: RecordType, headers, name: str) -> tuple[dict[str, str], str]:
    if name:
        found = ColumnMapping.objects.filter(record_type=record_type.code, name=name).first()
        if found is None:
            message = gettext_lazy("There is no saved column mapping named “%(name)s” for %(type)s.")
            raise DomainError(
                "import.mapping_unknown",
                message,
                fields={"mapping": message},
                name=name,
                type=str(record_type.label).lower(),
            )
        return dict(found.mapping), found.name
    found = mapping_for_shape(record_type.code, pipeline.shape_signature(headers))
    return (dict(found.mapping), found.name) if found else ({}, "")


def _batch_for_change(user, batch_id: int, version: int | None) -> tuple[ImportBatch, RecordType]:
    batch = batch_get_for(user, batch_id)
    check_version(batch, version)
    record_type = _record_type(batch.record_type) or registry()[batch.record_type]
    return batch, record_type


def _within(batch: ImportBatch) -> Unit | None:
    return Unit.objects.filter(pk=batch.unit_ref).first() if batch.unit_ref else None


def import_remap(
    user,
    batch_id: int,
    *,
    mapping: dict[str, str],
    version: int | None = None,
    sheet: str | None = None,
    save_as: str = "",
) -> ImportBatch:
    """Preview the batch's file again with its columns mapped to fields (header -> column key, ""
    to ignore the column), optionally on another sheet, and keep the mapping under `save_as` for
    the next file of the same shape."""
    batch, record_type = _batch_for_change(user, batch_id, version)
    if batch.status != ImportBatchStatus.PREVIEWED:
        raise _not_previewed(batch)
    with override(batch.language):
        known = {c.key for c in record_type.columns}
        for key in mapping.values():
            if key and key not in known:
                message = gettext_lazy("“%(field)s” is not a field of this record type.")
                raise DomainError("import.mapping_field", message, fields={"mapping": message}, field=key)
        clean = {pipeline.header_key(h): k for h, k in mapping.items() if pipeline.header_key(h)}
        with plain_copy(batch) as path, transaction.atomic():
            source = open_sheet(path, batch.original_name, sheet=sheet or batch.sheet or None)
            if save_as:
                mapping_save(
                    user, record_type=record_type.code, name=save_as, headers=source.headers, mapping=clean
                )
                batch.mapping_name = save_as
            batch.mapping = clean
            outcome = pipeline.run(
                user,
                record_type,
                path,
                batch.original_name,
                mapping=clean,
                within=_within(batch),
                opened=source,
            )
            _apply(batch, outcome)
            batch.version += 1
            batch.save()
    return batch


def mapping_save(user, *, record_type: str, name: str, headers, mapping: dict[str, str]) -> ColumnMapping:
    """Keep (or replace) the named mapping for files of this shape."""
    from danvan.core.text import normalize

    name = normalize(name)[:100]
    if not name:
        message = gettext_lazy("Give the mapping a name.")
        raise DomainError("import.mapping_name", message, fields={"save_as": message})
    found, created = ColumnMapping.objects.get_or_create(
        record_type=record_type,
        name=name,
        defaults={"created_by": user, "signature": "", "mapping": {}},
    )
    before = None if created else {"mapping": found.mapping}
    found.signature = pipeline.shape_signature(headers)
    found.headers = list(headers)
    found.mapping = mapping
    if not created:
        found.version += 1
    found.save()
    audit.record(
        actor=user,
        action="import.mapping_save",
        obj=found,
        before=before,
        after={"mapping": mapping, "record_type": record_type},
    )
    return found


def _not_previewed(batch: ImportBatch) -> DomainError:
    message = gettext_lazy("Batch #%(batch)s is %(status)s: only a previewed batch can be imported.")
    return DomainError(
        "import.not_previewed", message, batch=batch.pk, status=str(batch.get_status_display()).lower()
    )


def import_commit(user, batch_id: int, *, version: int | None = None) -> ImportBatch:
    """Write the batch's new rows in one transaction, or nothing: a file with any problem is refused
    (DomainError "import.has_problems"; the batch keeps the problems found)."""
    batch, record_type = _batch_for_change(user, batch_id, version)
    if batch.status != ImportBatchStatus.PREVIEWED:
        raise _not_previewed(batch)
    access.require_anywhere(user, record_type.action)
    with override(batch.language):
        return _commit_pass(user, batch, record_type)


def _commit_pass(
    user, batch: ImportBatch, record_type: RecordType, *, path: Path | None = None
) -> ImportBatch:
    if path is None:
        with plain_copy(batch) as plain:
            return _commit_pass(user, batch, record_type, path=plain)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.version != batch.version or locked.status != ImportBatchStatus.PREVIEWED:
                raise _not_previewed(locked)

            def write(rows: list[dict]) -> int:
                return record_type.write(user, rows, batch)

            outcome = pipeline.run(
                user,
                record_type,
                path,
                batch.original_name,
                sheet=batch.sheet or None,
                mapping=batch.mapping,
                within=_within(batch),
                write=write,
            )
            if not outcome.ok:
                raise pipeline.ImportRefused(outcome)
            if record_type.committed is not None:
                record_type.committed(batch)
            _apply(batch, outcome)
            batch.created = outcome.created
            batch.status = ImportBatchStatus.COMMITTED
            batch.committed_at = timezone.now()
            batch.version += 1
            batch.save()
            audit.record(
                actor=user,
                action="import.commit",
                obj=batch,
                unit=_within(batch),
                after={
                    "record_type": batch.record_type,
                    "file": batch.original_name,
                    "sha256": batch.sha256,
                    "rows": batch.rows,
                    "created": batch.created,
                    "matched": batch.matched,
                },
            )
    except pipeline.ImportRefused as refused:
        _apply(batch, refused.outcome)
        batch.version += 1
        batch.save()
        message = gettext_lazy(
            "Nothing was imported: the file has %(count)s problem(s). Fix them (see the list) and upload "
            "it again."
        )
        raise DomainError(
            "import.has_problems", message, count=refused.outcome.problem_count, batch=batch.pk
        ) from None
    return batch


def import_rollback(user, batch_id: int, *, version: int | None = None) -> ImportBatch:
    """Remove every record the batch created, in one transaction; refused (nothing removed) when one
    of them changed since the import."""
    batch, record_type = _batch_for_change(user, batch_id, version)
    if batch.status != ImportBatchStatus.COMMITTED:
        message = gettext_lazy("Batch #%(batch)s was not imported, so there is nothing to roll back.")
        raise DomainError("import.not_committed", message, batch=batch.pk)
    if batch.created_by_id != user.pk:
        access.require_anywhere(user, record_type.action)
    with transaction.atomic():
        removed = record_type.rollback(user, batch)
        batch.status = ImportBatchStatus.ROLLED_BACK
        batch.rolled_back_at = timezone.now()
        batch.rolled_back_by = user
        batch.version += 1
        batch.save()
        audit.record(
            actor=user,
            action="import.rollback",
            obj=batch,
            unit=_within(batch),
            before={"status": ImportBatchStatus.COMMITTED, "created": batch.created},
            after={"status": ImportBatchStatus.ROLLED_BACK, "removed": removed},
        )
    return batch


def batch_file_for(user, batch_id: int) -> tuple[ImportBatch, Path]:
    """The uploaded file, decrypted into a temporary file the caller removes, for the officer who
    uploaded it alone (it may name denouncers); the download is recorded in the audit trail."""
    batch = batch_get_for(user, batch_id)
    if batch.created_by_id != user.pk or not batch.file:
        raise NotFound()
    suffix = PurePath(batch.original_name).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as plain, batch.file.open("rb") as sealed:
        crypto.unseal_file(sealed, plain)
    audit.record(actor=user, action="import.file_download", obj=batch, unit=_within(batch))
    return batch, Path(plain.name)


def problems_text(batch: ImportBatch) -> list[str]:
    """The batch's problems as lines ("Row 7, column C (Ngày nhận): …"), for the command line."""
    lines = []
    for problem in batch.report.get("problems", []):
        lines.append(problem_line(problem))
    if batch.error_count > len(lines):
        lines.append(_("… and %(count)s more.") % {"count": batch.error_count - len(lines)})
    return lines


def problem_line(problem: dict[str, Any]) -> str:
    where = []
    if problem.get("row"):
        where.append(_("Row %(row)s") % {"row": problem["row"]})
    if problem.get("column"):
        header = f" ({problem['header']})" if problem.get("header") else ""
        where.append(_("column %(column)s") % {"column": problem["column"]} + header)
    prefix = ", ".join(where)
    return f"{prefix}: {problem['message']}" if prefix else problem["message"]
