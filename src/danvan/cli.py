"""The `danvan` command: every Django management command, plus `serve` and `demo`.

danvan serve [--host H] [--port P] [--workers N]
danvan demo [--host H] [--port P] [--no-serve]
danvan units load | danvan units show CODE --on YYYY-MM-DD --format json
danvan createuser ...   danvan migrate ...   (any management command)
"""

from __future__ import annotations

import os
import secrets
import sys


def _demo_environment() -> None:
    """The demo runs on SQLite with a secret it generates once and keeps in var/."""
    from danvan import settings_paths

    var_dir = settings_paths.var_dir()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret_file = var_dir / "demo-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    os.environ.setdefault("SECRET_KEY", secret_file.read_text().strip())
    os.environ["DANVAN_DEMO"] = "1"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    if argv[:1] == ["demo"]:
        _demo_environment()
    if argv[:1] == ["units"] and len(argv) > 1:
        argv = [f"units_{argv[1]}", *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["danvan", *argv] if argv else ["danvan", "help"])


if __name__ == "__main__":
    main()
