"""danvan import_docs [--check] [--output PATH]

Writes `docs/import.md`, the description of the import formats and of every record type's columns,
from the declarations. With --check nothing is written: the command exits with status 1 when the
document on disk differs from what the declarations give (the test suite runs it, so the document
never drifts from what the import accepts).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import danvan
from danvan.imports.workbooks import import_formats_markdown

# src/danvan/__init__.py -> the repository's docs/ folder.
DEFAULT_OUTPUT = Path(danvan.__file__).resolve().parents[2] / "docs" / "import.md"


class Command(BaseCommand):
    help = "Write docs/import.md from the record types' declarations (--check: exit 1 when it differs)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare; exit 1 when it differs")
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="the document's path")

    def handle(self, *args, check: bool, output: str, **options):
        path = Path(output)
        text = import_formats_markdown()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            if current != text:
                raise CommandError(
                    f"{path} differs from the record types' declarations: run `danvan import_docs` and "
                    "commit the result.",
                    returncode=1,
                )
            self.stdout.write(f"{path} is up to date.")
            return
        if current == text:
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
