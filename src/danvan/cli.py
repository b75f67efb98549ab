"""The `danvan` command: every Django management command, plus `serve` and `demo`.

danvan serve [--host H] [--port P] [--workers N]
danvan demo [--host H] [--port P] [--no-serve]
danvan units load | danvan units show CODE --on YYYY-MM-DD --format json
danvan petitions refresh-deadlines   (after the deadline rules or the calendar changed)
danvan import PATH [--type TYPE] [--mapping NAME] [--dry-run] [--lang vi|en] [--unit CODE] [--sheet S]
              [--user USERNAME]   (check a spreadsheet of records and import it, all or nothing)
danvan export TYPE --unit CODE --from DATE --to DATE --format xlsx|csv [--output PATH] [--lang vi|en]
              [--user USERNAME]   (records of a unit and the units below it, as XLSX or CSV)
danvan createuser ...   danvan migrate ...   (any management command)
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable


def _demo_environment() -> None:
    """The demo runs on SQLite with a secret and field keys it generates once and keeps in var/."""
    import base64

    from danvan import settings_paths

    var_dir = settings_paths.var_dir()
    var_dir.mkdir(parents=True, exist_ok=True)

    def keep(variable: str, filename: str, generate: Callable[[], str]) -> None:
        path = var_dir / filename
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(generate())
        os.environ.setdefault(variable, path.read_text().strip())

    def fernet_key() -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

    keep("SECRET_KEY", "demo-secret-key", lambda: secrets.token_urlsafe(50))
    keep("DANVAN_FIELD_KEYS", "demo-field-keys", fernet_key)
    keep("DANVAN_INDEX_KEY", "demo-index-key", fernet_key)
    os.environ["DANVAN_DEMO"] = "1"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    if argv[:1] == ["demo"]:
        _demo_environment()
    if argv[:1] in (["units"], ["petitions"]) and len(argv) > 1:
        argv = [f"{argv[0]}_{argv[1].replace('-', '_')}", *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["danvan", *argv] if argv else ["danvan", "help"])


if __name__ == "__main__":
    main()
