"""danvan report FORM --unit CODE [--unit-valid-from DATE] --from DATE --to DATE
                 [--frame as-it-was|as-it-is] [--lang vi|en] --format json|xlsx|docx|pdf|csv [--output PATH]

FORM is 01-tcd, 02-tcd, 01-xld … 04-xld, kqgq01, kqgq03 or review. A period may also be given by
name (--period 2024-Q1, I2024, 2013..2022). Without --user the report is the operator's, over every
unit; with --user it is that account's, scoped like its pages. Exits non-zero with the reason when
the unit, period, form or version is wrong; nothing is written then.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from danvan.core.errors import DomainError
from danvan.reports import exports, selectors, serialize
from danvan.reports.forms import FORM_CODES
from danvan.reports.review import review_report
from danvan.units import access

REVIEW = "review"
FORMATS = ("json", *exports.FORMATS)


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date of the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Make a report (a form or the mass mobilization review) for a unit and a period."

    def add_arguments(self, parser):
        parser.add_argument("form", choices=[*FORM_CODES, REVIEW])
        parser.add_argument("--unit", required=True, help="official code of the unit")
        parser.add_argument("--unit-valid-from", default=None, help="YYYY-MM-DD, when the code was re-used")
        parser.add_argument("--from", dest="first", default=None, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", default=None, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--period", default="", help="or a period by name: 2024, 2024-Q1, I2024, 2013..2022"
        )
        parser.add_argument("--frame", default="as-it-was", choices=["as-it-was", "as-it-is"])
        parser.add_argument("--form-version", default="", help="a form version, such as tt01-2024")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("--output", default="", help="file to write (default: standard output)")
        parser.add_argument("--user", default="", help="make it as this account, within its scope")

    def handle(self, *args, **options):
        today = timezone.localdate()
        user = self._user(options["user"])
        with translation.override(options["lang"]):
            try:
                unit = selectors.unit_for_report(
                    user,
                    code=options["unit"],
                    valid_from=_day(options["unit_valid_from"], "--unit-valid-from"),
                    on=_day(options["last"], "--to") or today,
                )
                period = selectors.period_of(
                    period=options["period"],
                    first=_day(options["first"], "--from"),
                    last=_day(options["last"], "--to"),
                )
                frame = selectors.frame_parse(options["frame"])
                if options["form"] == REVIEW:
                    report = review_report(user, unit=unit, period=period, frame=frame, today=today)
                else:
                    report = selectors.form_report(
                        user,
                        form=options["form"],
                        unit=unit,
                        period=period,
                        frame=frame,
                        today=today,
                        version=options["form_version"],
                    )
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self._write(report, options, unit, today)

    def _user(self, username: str):
        if not username:
            return access.operator_user()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account '{username}'.")
        return user

    def _write(self, report, options, unit, today) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "json":
            data = serialize.review_data(report) if options["form"] == REVIEW else serialize.form_data(report)
            payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            payload = exports.render_bytes(report, fmt, document=exports.document_for(unit, today))
        if not output:
            if fmt != "json" and sys.stdout.isatty():
                raise CommandError(f"--format {fmt} writes a file: give --output PATH.")
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
            return
        target = Path(output)
        # Write beside the target and move it into place: a failed run leaves no half-written file.
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=".report-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"{target} ({len(payload)} bytes)")
