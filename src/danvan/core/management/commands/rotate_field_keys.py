"""`danvan rotate_field_keys [--batch 500] [--dry-run]`: seal everything with the primary key.

After a new key is put first in DANVAN_FIELD_KEYS, this re-encrypts every sealed value still
sealed with an older key, so the older key can then be dropped (docs/operations.md). A model
takes part by declaring, as class attributes:

- `SEALED_FIELDS`: text fields holding `crypto.seal` tokens ("" or NULL: nothing sealed);
- `SEALED_FILE_FIELDS`: file fields whose stored bytes are `crypto.seal_bytes` tokens;
- optionally `SEALED_ROWS`: filter arguments selecting the rows that hold sealed values, when
  only some do (for example `{"encrypted": True}`); by default every row.

Rows are read in primary-key order, one batch per transaction, locked while they are rewritten.
Only values not sealed with the primary key are written, with `QuerySet.update` (no `save()`,
no signals), so the command can be run again at any time, also after an interruption. A file is
written under a new name, its row is pointed at it, and the old file is deleted once the batch
has committed. Values no key decrypts are counted, left alone, and make the command fail.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from typing import Any, cast

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils.translation import gettext

from danvan.core import crypto


@dataclass
class Counts:
    checked: int = 0
    rotated: int = 0
    unreadable: int = 0
    missing: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def sealed_fields(model: type[models.Model]) -> tuple[list[str], list[str]]:
    """The model's own sealed text and file fields (inherited ones belong to the parent's table)."""

    def own(names: tuple[str, ...]) -> list[str]:
        return [name for name in names if model._meta.get_field(name).model is model]

    if model._meta.proxy or model._meta.abstract:
        return [], []
    return own(getattr(model, "SEALED_FIELDS", ())), own(getattr(model, "SEALED_FILE_FIELDS", ()))


def sealed_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if any(sealed_fields(model))]


def rotate_token(token: str | bytes | None, counts: Counts) -> str | bytes | None:
    """`token` sealed again with the primary key, or None if it needs no change or cannot be read."""
    if not token:
        return None
    counts.checked += 1
    if crypto.is_current(token):
        return None
    try:
        rotated = crypto.rotate(token) if isinstance(token, str) else crypto.rotate_bytes(token)
    except crypto.SealError:
        counts.unreadable += 1
        return None
    counts.rotated += 1
    return rotated


def rotate_file(field: models.FileField, name: str | None, counts: Counts, dry_run: bool) -> str | None:
    """The name of a new file holding the stored file sealed with the primary key, or None."""
    if not name:
        return None
    try:
        with field.storage.open(name, "rb") as stored:
            token = stored.read()
    except FileNotFoundError:
        counts.missing += 1
        return None
    rotated = rotate_token(token, counts)
    if rotated is None or dry_run:
        return None
    return field.storage.save(name, ContentFile(rotated), max_length=field.max_length)


class _Batch:
    """One batch of a model's rows: what to write, and which files to delete afterwards."""

    def __init__(self, model: type[models.Model], dry_run: bool):
        text_fields, file_fields = sealed_fields(model)
        self.text_fields = text_fields
        self.file_fields = [cast(models.FileField, model._meta.get_field(name)) for name in file_fields]
        self.dry_run = dry_run
        self.written: list[tuple[Storage, str]] = []  # new files: deleted if the batch fails
        self.replaced: list[tuple[Storage, str]] = []  # old files: deleted once the batch commits

    def columns(self) -> list[str]:
        return ["pk", *self.text_fields, *(field.name for field in self.file_fields)]

    def changes(self, values: list[Any], counts: Counts) -> dict[str, Any]:
        texts, files = values[: len(self.text_fields)], values[len(self.text_fields) :]
        changes: dict[str, Any] = {}
        for name, value in zip(self.text_fields, texts, strict=True):
            rotated = rotate_token(value, counts)
            if rotated is not None and not self.dry_run:
                changes[name] = rotated
        for field, value in zip(self.file_fields, files, strict=True):
            new_name = rotate_file(field, value, counts, self.dry_run)
            if new_name is not None:
                self.written.append((field.storage, new_name))
                self.replaced.append((field.storage, value))
                changes[field.name] = new_name
        return changes


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def _rotate_page(model: type[models.Model], batch: _Batch, after: Any, size: int, counts: Counts) -> list:
    rows = model._base_manager.filter(**getattr(model, "SEALED_ROWS", {})).order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    if not batch.dry_run:
        rows = rows.select_for_update(of=("self",))
    page = list(rows.values_list(*batch.columns())[:size])
    for pk, *values in page:
        changes = batch.changes(values, counts)
        if changes:
            model._base_manager.filter(pk=pk).update(**changes)
    return page


def rotate_model(model: type[models.Model], size: int, dry_run: bool) -> Counts:
    """Re-encrypt the model's sealed values, `size` rows per transaction; what was counted."""
    counts = Counts()
    after: Any = None
    while True:
        batch = _Batch(model, dry_run)
        if dry_run:
            page = _rotate_page(model, batch, after, size, counts)
        else:
            try:
                with transaction.atomic():
                    page = _rotate_page(model, batch, after, size, counts)
                    transaction.on_commit(partial(_delete_files, batch.replaced), robust=True)
            except BaseException:
                _delete_files(batch.written)
                raise
        if len(page) < size:
            return counts
        after = page[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every sealed field and file with the first key of DANVAN_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")

    def handle(self, *args, batch: int, dry_run: bool, **options):
        if batch < 1:
            raise CommandError(gettext("--batch must be at least 1."))
        models_ = sealed_models()
        if not models_:
            self.stdout.write(gettext("No model declares sealed fields."))
        total = Counts()
        for model in models_:
            counts = rotate_model(model, batch, dry_run)
            total.add(counts)
            self.stdout.write(self._line(model._meta.label, counts, dry_run))
        self.stdout.write(self._line(gettext("Total"), total, dry_run))
        if total.unreadable:
            raise CommandError(
                gettext(
                    "%(count)s sealed values cannot be decrypted with any key in DANVAN_FIELD_KEYS. "
                    "Keep every old key until they are resolved."
                )
                % {"count": total.unreadable}
            )

    def _line(self, label: str, counts: Counts, dry_run: bool) -> str:
        if dry_run:
            text = gettext(
                "%(label)s: checked %(checked)s, to re-encrypt %(rotated)s, unreadable %(unreadable)s, "
                "missing files %(missing)s (dry run, nothing written)"
            )
        else:
            text = gettext(
                "%(label)s: checked %(checked)s, re-encrypted %(rotated)s, unreadable %(unreadable)s, "
                "missing files %(missing)s"
            )
        return text % {"label": label, **vars(counts)}
