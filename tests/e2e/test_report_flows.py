"""Reports in a real browser: the chooser used by keyboard alone (a form, a period, open), form
01/TCD on screen, a number clicked open to the records behind it, the form downloaded as XLSX and
DOCX and opened; and the review page with its charts. The data is that of the report page tests
(five visits today, 1,507 people)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone

from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.web.test_report_pages import build_data

pytestmark = pytest.mark.e2e


def no_problems_but_the_refusal(page) -> None:
    """The refused period answers 400, which the browser logs; nothing else may go wrong."""
    assert all("status of 400" in problem for problem in page.problems), page.problems
    page.problems.clear()


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_choose_a_form_by_keyboard_and_open_a_number(live_server, e2e_tree, browser_page):
    data = build_data(e2e_tree)
    page = browser_page
    year = str(timezone.localdate().year)
    sign_in(page, live_server, "supervisor", "/reports/")

    # The form select has the focus; the first form in the list is 01/TCD.
    assert active_id(page) == "id_form"
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_form") == "01-tcd"
    # The unit is the supervisor's province already; on to the period, written as a short name.
    page.keyboard.press("Tab")
    assert active_id(page) == "id_unit"
    assert page.input_value("#id_unit") == str(data.tree.province.pk)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert active_id(page) == "id_period"
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{year}..{int(year) - 1}")  # backwards: the error summary, nothing else
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert "/reports/form/" not in page.url
    assert page.input_value("#id_form") == "01-tcd"  # what was chosen stays
    no_problems_but_the_refusal(page)
    page.focus("#id_period")
    page.keyboard.press("Control+A")
    page.keyboard.type(year)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reports/form/01-tcd/\?"))

    # The form downloads as a spreadsheet and as a Word document holding the same figures.
    form_url = page.url
    check_downloads(page, data)
    assert page.url == form_url

    # The form: the total of column 1 is the five visits; it opens to the five records.
    total = page.locator("[data-total] td[data-col='1'] a")
    assert total.inner_text() == "5"
    assert page.locator("[data-total] td[data-col='2'] a").inner_text() == "1.507"
    total.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reports/records/\?"))
    assert page.get_attribute("[data-drill-count]", "data-drill-count") == "5"
    assert page.locator("[data-record]").count() == 5
    assert "reception.visits" in page.inner_text("[data-drill-label]")
    no_problems(page)


def check_downloads(page, data) -> None:
    from docx import Document
    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.click("[data-exports] [data-export=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if cell is not None]
    assert 1507 in values and 5 in values
    assert any(data.tree.province.name in str(v) for v in values)

    with page.expect_download() as download:
        page.click("[data-exports] [data-export=docx]")
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    cells = [cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells]
    assert "1.507" in cells and "5" in cells


def test_the_review_page_with_its_charts(live_server, e2e_tree, browser_page):
    data = build_data(e2e_tree)
    page = browser_page
    year = str(timezone.localdate().year)
    sign_in(page, live_server, "supervisor", "/reports/")
    page.select_option("#id_form", "review")
    page.fill("#id_period", year)
    page.click("[data-open]")
    page.wait_for_url(re.compile(r"/reports/review/\?"))
    assert data.tree.province.name in page.inner_text("[data-review-title]")
    visits = page.locator("[data-review-item='reception.visits'] a")
    assert visits.inner_text() == "5"
    assert page.locator("svg[data-chart='reception-visits']").is_visible()
    assert page.locator("[data-chart-table='reception-visits'] tbody tr").count() == 1
    assert "1.507" in page.inner_text("[data-narrative]")
    visits.click()
    page.wait_for_url(re.compile(r"/reports/records/\?"))
    assert page.get_attribute("[data-drill-count]", "data-drill-count") == "5"
    no_problems(page)
