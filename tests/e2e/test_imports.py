"""Import in a real browser, by keyboard from the main navigation: a file with a bad row is
previewed with the problem named by row and column and cannot be imported; the fixed file is
uploaded and imported (the records exist), then the import is rolled back after confirming."""

from __future__ import annotations

import re

import pytest

from danvan.core.models import ImportBatch, ImportBatchStatus
from danvan.outreach.models import IssuedDocument
from danvan.units.models import Role, RoleScope
from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.imports.test_views import BAD, GOOD
from tests.web.conftest import create_user

pytestmark = pytest.mark.e2e


def only_the_refusal(page) -> None:
    """A refused form answers 400, which the browser logs; nothing else may go wrong."""
    assert all("status of 400" in problem for problem in page.problems), page.problems
    page.problems.clear()


def upload(page, name: str, text: str) -> None:
    page.set_input_files("#id_file", {"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.select_option("#id_record_type", "documents_issued")
    page.focus("[data-upload]")
    page.keyboard.press("Enter")


def test_upload_fix_commit_and_roll_back(live_server, e2e_tree, browser_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    create_user("canbo", Role.COMMITTEE_MEMBER, e2e_tree.province, RoleScope.SUBTREE)
    page = browser_page
    sign_in(page, live_server, "canbo", "/")

    page.click("a[data-nav=imports]")
    page.wait_for_url(re.compile(r"/imports/$"))
    no_problems(page)
    page.focus("[data-import-new]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/imports/new/$"))

    # A bad date on the file's third row: the preview names row 3, column C; no import button.
    upload(page, "van-ban.csv", BAD)
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    problem = page.locator('[data-problem-row="3"][data-problem-column="C"]')
    assert problem.count() == 1
    assert [problem.locator("td").nth(n).inner_text() for n in (0, 1)] == ["3", "C"]
    assert page.locator("[data-count=problems]").inner_text() == "1"
    assert page.locator("[data-commit]").count() == 0
    no_problems(page)

    # The fixed file: no problem, two records to create; imported by the button.
    page.goto(f"{live_server.url}/imports/new/")
    upload(page, "van-ban.csv", GOOD)
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    assert page.locator("[data-count=to_create]").inner_text() == "2"
    assert page.locator("[data-problem-row]").count() == 0
    page.focus("[data-commit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rollback]")
    batch = ImportBatch.objects.get(status=ImportBatchStatus.COMMITTED)
    assert set(IssuedDocument.objects.values_list("number", flat=True)) == {"15-KH/TU", "16-KH/TU"}
    assert page.locator("[data-count=created]").inner_text() == "2"

    # Roll back: asked first, then the records are gone.
    page.focus("[data-rollback]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/imports/{batch.pk}/roll-back/$"))
    page.focus("[data-rollback-confirm]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/imports/{batch.pk}/$"))
    assert page.get_attribute("[data-batch-facts] [data-status]", "data-status") == "rolled_back"
    assert not IssuedDocument.objects.exists()
    no_problems(page)
