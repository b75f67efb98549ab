"""Browser tests: the live server and headless system Chromium driven by Playwright (sync API).

Never downloads a browser: it uses /usr/bin/chromium (CI installs it) and fails when it is
missing. Static files (htmx, Bootstrap, the font) come from node_modules through the staticfiles
finders, which pytest-django's live server serves.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

from tests.web.conftest import WebTree, build_tree

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def e2e_tree(transactional_db) -> WebTree:
    """The same small tree as the page tests, committed so the live server sees it."""
    return build_tree()


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the system package (CI does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.problems = problems  # console errors and CSP refusals seen during the test
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """The resolutions and the default criteria sets, as their data migrations load them: a browser
    test's database is emptied after each test, so they are loaded again (both loads are
    idempotent)."""
    for module in (
        "danvan.outreach.migrations.0002_resolutions",
        "danvan.practices.migrations.0002_default_criteria",
    ):
        importlib.import_module(module).load(apps, None)
