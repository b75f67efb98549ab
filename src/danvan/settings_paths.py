"""Paths the command line needs before Django's settings are loaded."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def var_dir() -> Path:
    return Path(os.environ.get("DANVAN_VAR_DIR", PROJECT_DIR / "var"))
