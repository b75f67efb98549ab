"""danvan export TYPE --unit CODE --from DATE --to DATE --format xlsx|csv [--output PATH] [--lang vi|en]
                 [--user USERNAME]

Writes the records of a unit and every unit below it, dated in the period, as XLSX or CSV with the
template's columns (the file imports back as it is). Default output: a file named after the type,
unit and period in the current directory. Without --user the export is the operator's, over every
unit. Bad input exits non-zero and writes no file.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.core.records import registry
from danvan.imports import workbooks
from danvan.units import access
from danvan.units.models import Unit


def command_user(username: str):
    """The account named, or the operator when none is."""
    if not username:
        return access.operator_user()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active account '{username}'.")
    return user


def unit_by_code(user, code: str, on) -> Unit:
    """The unit of official `code` whose records the user sees: the one valid on `on`, else the
    latest one to bear the code."""
    units = access.visible(user, Unit, "record.view").filter(code=code.strip())
    valid = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    found = units.filter(valid).first() or units.order_by("-valid_from").first()
    if found is None:
        raise CommandError(f"--unit: no unit with the code '{code}' in your scope.")
    return found


def parse_day(text: str, option: str) -> date:
    """YYYY-MM-DD or dd/mm/yyyy."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
    raise CommandError(f"{option}: '{text}' is not a date (YYYY-MM-DD or dd/mm/yyyy).")


class Command(BaseCommand):
    help = "Export the records of a unit and the units below it, dated in a period, as XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("record_type", metavar="TYPE", help="a record type's code")
        parser.add_argument("--unit", required=True, help="official code of the unit")
        parser.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", default="xlsx", choices=list(workbooks.FORMATS))
        parser.add_argument("--output", default="", help="file to write (default: named after the export)")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        parser.add_argument("--user", default="", help="export as this account, within its scope")

    def handle(self, *args, **options):
        record_type = registry().get(options["record_type"])
        if record_type is None:
            raise CommandError(
                f"Unknown record type '{options['record_type']}'. Choose one of: {', '.join(registry())}."
            )
        first = parse_day(options["first"], "--from")
        last = parse_day(options["last"], "--to")
        if last < first:
            raise CommandError("--to is before --from.")
        user = command_user(options["user"])
        fmt = options["format"]
        with translation.override(options["lang"]):
            unit = unit_by_code(user, options["unit"], last)
            target = Path(options["output"] or workbooks.export_filename(record_type, unit, first, last, fmt))
            count = self._write(user, record_type, unit, first, last, fmt, target)
        self.stdout.write(f"{target} ({count} records)")

    def _write(self, user, record_type, unit, first, last, fmt, target: Path) -> int:
        """Write beside the target and move it into place: a failed run leaves no file behind."""
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise CommandError(f"--output: {directory} is not a directory.")
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-")
        try:
            with os.fdopen(handle, "wb") as out:
                count = workbooks.export_records(
                    user, record_type, unit=unit, first=first, last=last, fmt=fmt, out=out
                )
            os.replace(temporary, target)
        except DomainError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(exc.message) from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count
