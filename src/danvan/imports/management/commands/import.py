"""danvan import PATH [--type TYPE] [--mapping NAME] [--dry-run] [--lang vi|en] [--unit CODE] [--sheet S]
                 [--user USERNAME]

Checks a spreadsheet (XLSX, XLS, ODS, CSV) and imports it in one pass, however large: the preview's
report (counts, columns, every problem as "Row 7, column C (Ngày nhận): …"), then the batch number.
A file with any problem imports nothing and the command exits non-zero. `--dry-run` checks the
file and keeps nothing. Without --user the import is the operator's, like `danvan report`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.models import ImportBatch
from danvan.imports import services
from danvan.imports.presenters import type_label

from .export import command_user, unit_by_code


def report_lines(batch: ImportBatch) -> list[str]:
    """The preview's report as lines: file, type, columns, counts, then every problem."""
    report = batch.report or {}
    lines = [
        _("File: %(name)s (sheet “%(sheet)s”)") % {"name": batch.original_name, "sheet": batch.sheet or "-"},
        _("Type of records: %(type)s") % {"type": type_label(batch.record_type)},
        _("Columns:"),
    ]
    for column in report.get("columns", []):
        target = column.get("label") or _("(ignored)")
        lines.append(f"  {column.get('letter', '')}  {column.get('header', '')} → {target}")
    for header in report.get("unknown", []):
        lines.append(f"  ?  {header} → " + _("(no field)"))
    lines.append(
        _(
            "Rows: %(rows)s; to create: %(new)s; matching existing records: %(matched)s; "
            "problems: %(problems)s"
        )
        % {
            "rows": batch.rows,
            "new": batch.to_create,
            "matched": batch.matched,
            "problems": batch.error_count,
        }
    )
    lines += services.problems_text(batch)
    return lines


class Command(BaseCommand):
    help = "Check a spreadsheet of records and import it (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file: XLSX, XLS, ODS or CSV")
        parser.add_argument("--type", dest="record_type", default="", help="record type (default: detected)")
        parser.add_argument("--mapping", default="", help="a saved column mapping's name")
        parser.add_argument("--dry-run", action="store_true", help="check the file, keep nothing")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        parser.add_argument("--unit", default="", help="official code of the unit the names belong to")
        parser.add_argument("--sheet", default="", help="the sheet to read (default: the first with data)")
        parser.add_argument("--user", default="", help="import as this account, within its scope")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = command_user(options["user"])
        language = options["lang"]
        with translation.override(language):
            unit_id = (
                unit_by_code(user, options["unit"], timezone.localdate()).pk if options["unit"] else None
            )
            arguments = {
                "name": path.name,
                "record_type": options["record_type"] or None,
                "sheet": options["sheet"] or None,
                "unit_id": unit_id,
                "mapping_name": options["mapping"],
                "language": language,
                "check_size": False,
            }
            try:
                if options["dry_run"]:
                    batch = services.import_file(user, path, save=False, **arguments)
                else:
                    batch = services.import_file(user, path, commit=True, **arguments)
            except DomainError as exc:
                self._refused(exc, user, options)
            self._write(report_lines(batch))
            if batch.error_count:
                raise CommandError(_("The file has %(count)s problem(s).") % {"count": batch.error_count})
            if options["dry_run"]:
                self._write([_("Dry run: nothing was imported.")])
            else:
                self._write(
                    [
                        _(
                            "Imported as batch #%(batch)s: %(created)s records created, "
                            "%(matched)s already there."
                        )
                        % {"batch": batch.pk, "created": batch.created, "matched": batch.matched}
                    ]
                )

    def _refused(self, exc: DomainError, user, options) -> None:
        """A refusal: the report of the batch it kept, if any, then the reason (exit 1)."""
        kept = exc.params.get("batch")
        batch = ImportBatch.objects.filter(pk=kept).first() if kept else None
        if batch is not None:
            self._write(report_lines(batch))
        message = exc.message
        for name, texts in exc.field_messages().items():
            message += "".join(f"\n  {name}: {text}" for text in texts if text != exc.message)
        if isinstance(exc, PermissionDenied) and not options["user"]:
            message += "\n" + _(
                "Give --user USERNAME: an account that may record these records imports them."
            )
        raise CommandError(message)

    def _write(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(line)
