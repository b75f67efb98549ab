"""Outreach in a real browser: a dissemination conference recorded by keyboard from the main
navigation (a co-organiser picked through the unit search as you type; a wrong total caught by the
error summary, which links to the field; corrected and saved), its attendance list imported from an
XLSX file (a person listed twice is refused with the row numbers and nothing is kept; then a good
list drives the counts); a document registered and found again without diacritics; and the
communes still owing this year's dialogue conference."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from danvan.outreach.models import Activity, Attendee, IssuedDocument
from danvan.units.models import Role
from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.web.conftest import create_user

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ("Họ và tên", "Đối tượng", "Đơn vị", "Chức vụ")


def only_the_refusal(page) -> None:
    """A refused form answers 400, which the browser logs; nothing else may go wrong."""
    assert page.problems and all("status of 400" in problem for problem in page.problems), page.problems
    page.problems.clear()


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def spreadsheet(rows) -> bytes:
    """An attendance list as an officer would fill it in: a title row, the Vietnamese headers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách đại biểu dự Hội nghị"])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def vi(message: str, **params) -> str:
    with translation.override("vi"):
        return translation.gettext(message) % params


def test_record_a_conference_by_keyboard_then_its_attendance_list(
    live_server, e2e_tree, reference_data, browser_page
):
    commune, agency = e2e_tree.commune, e2e_tree.agency
    create_user("canbo", Role.COMMITTEE_MEMBER, commune, first_name="Lan", last_name="Trần")
    page = browser_page
    sign_in(page, live_server, "canbo", "/")

    # Outreach from the main navigation: the activities, with this year's dialogue warning.
    page.click("a[data-nav=outreach]")
    page.wait_for_url(re.compile(r"/outreach/$"))
    assert page.get_attribute("[data-dialogue-missing]", "data-dialogue-missing") == "1"
    no_problems(page)
    page.focus("[data-activity-new]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/outreach/activities/new/$"))

    # The kind has the focus: the first kind is the dissemination conference. The first day is
    # today already; the lead organiser is the officer's commune.
    assert active_id(page) == "id_kind"
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_kind") == "conference"
    page.keyboard.press("Tab")
    assert active_id(page) == "id_starts_on"
    assert page.input_value("#id_starts_on") == f"{timezone.localdate():%d/%m/%Y}"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert active_id(page) == "id_title"
    page.keyboard.type("Hội nghị quán triệt Kết luận 43-KL/TW")
    page.keyboard.press("Tab")
    assert active_id(page) == "id_unit" and page.input_value("#id_unit") == str(commune.pk)
    page.keyboard.press("Tab")
    page.keyboard.type("Hội trường UBND xã")

    # The co-organiser, found as you type (without diacritics) and ticked with the space bar.
    page.keyboard.press("Tab")
    assert active_id(page) == "id_co_q"
    page.keyboard.type("uy ban nhan dan")
    match = page.locator(f"#co-results [data-co-match='{agency.pk}']")
    match.wait_for()
    # Enter in the box searches there (htmx) and submits nothing.
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    with page.expect_response(lambda response: "picker=co" in response.url):
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert not posts and active_id(page) == "id_co_q"
    match.wait_for()
    page.keyboard.press("Tab")  # the "Find" button
    page.keyboard.press("Tab")
    assert active_id(page) == f"co-add-{agency.pk}"
    page.keyboard.press("Space")
    assert match.is_checked()

    # Participants by category, with a total that does not add up.
    for name, count in (("cadres", "30"), ("party_members", "45"), ("citizens", "20")):
        page.focus(f"#id_count_{name}")
        page.keyboard.type(count)
    page.focus("#id_participants_total")
    page.keyboard.type("100")
    # Enter in a field saves, though the co-organiser's box still holds the words that found it.
    page.keyboard.press("Enter")

    # The error summary takes the focus and names the total; its link leads to the field.
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    expected = vi(
        "The participants by category add up to %(sum)s, not the %(total)s stated.", sum=95, total=100
    )
    link = summary.locator("a[href='#id_participants_total']")
    assert link.inner_text().strip() == expected
    assert Activity.objects.count() == 0
    only_the_refusal(page)
    # What was typed stays, the co-organiser too.
    assert page.input_value("#id_count_party_members") == "45"
    assert page.is_checked(f"[data-co-chosen='{agency.pk}']")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_participants_total"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#id_participants_total'")
    assert active_id(page) == "id_participants_total"
    page.keyboard.press("Control+A")
    page.keyboard.type("95")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/outreach/activities/\d+/$"))
    activity = Activity.objects.get()
    assert (activity.kind, activity.participants_total, activity.unit_id) == ("conference", 95, commune.pk)
    assert [u.pk for u in activity.co_organisers.all()] == [agency.pk]
    assert counts_shown(page) == {"cadres": "30", "party_members": "45", "citizens": "20"}
    assert page.inner_text("[data-participation] [data-total]").strip() == "95"
    assert page.locator(f"[data-co-organisers] [data-co='{agency.pk}']").count() == 1
    no_problems(page)

    # The attendance list: Nguyễn Văn An is listed twice (rows 3 and 5 of the sheet).
    page.click("[data-attendance-link]")
    page.wait_for_url(re.compile(rf"/outreach/activities/{activity.pk}/attendance/$"))
    twice = spreadsheet(
        [
            ("Nguyễn Văn An", "Cán bộ", "UBND xã Khánh Thiện", "Phó Chủ tịch"),
            ("Trần Thị Bình", "Đảng viên", "Chi bộ thôn Đông", ""),
            ("Nguyễn Văn An", "Cán bộ", "UBND xã Khánh Thiện", ""),
        ]
    )
    page.set_input_files("#id_file", files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": twice}])
    page.click("button[name=step][value=import]")
    page.locator("[data-error-summary]").wait_for()
    repeated = vi(
        "Row %(row)s repeats row %(first)s: %(name)s (%(organisation)s).",
        row=5,
        first=3,
        name="Nguyễn Văn An",
        organisation="UBND xã Khánh Thiện",
    )
    assert repeated in page.inner_text("[data-error-summary]")
    assert page.get_attribute("[data-list-state]", "data-list-state") == "typed"
    assert Attendee.objects.count() == 0
    activity.refresh_from_db()
    assert not activity.from_attendance and activity.participants_total == 95
    only_the_refusal(page)

    good = spreadsheet(
        [
            ("Nguyễn Văn An", "Cán bộ", "UBND xã Khánh Thiện", "Phó Chủ tịch"),
            ("Trần Thị Bình", "Đảng viên", "Chi bộ thôn Đông", ""),
            ("Lê Văn Cường", "Nhân dân", "Thôn Đông", ""),
            ("Phạm Thị Dung", "Nhân dân", "Thôn Bắc", ""),
        ]
    )
    page.set_input_files("#id_file", files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": good}])
    page.click("button[name=step][value=import]")
    page.wait_for_url(re.compile(rf"/outreach/activities/{activity.pk}/$"))
    assert counts_shown(page) == {"cadres": "1", "party_members": "1", "citizens": "2"}
    assert page.inner_text("[data-participation] [data-total]").strip() == "4"
    assert Attendee.objects.filter(activity=activity).count() == 4
    no_problems(page)


def counts_shown(page) -> dict[str, str]:
    rows = page.eval_on_selector_all(
        "table[data-participation] tbody tr",
        "rows => rows.map(r => [r.dataset.category, r.querySelector('td.text-end').textContent.trim()])",
    )
    return dict(rows)


def test_register_a_document_find_it_and_see_the_communes_owing_a_dialogue(
    live_server, e2e_tree, reference_data, browser_page
):
    commune = e2e_tree.commune
    create_user("canbo", Role.COMMITTEE_MEMBER, commune)
    page = browser_page
    sign_in(page, live_server, "canbo", "/outreach/")
    page.click("[data-subnav=documents]")
    page.wait_for_url(re.compile(r"/outreach/documents/$"))
    no_problems(page)
    page.click("[data-document-new]")
    page.wait_for_url(re.compile(r"/outreach/documents/new/$"))
    assert page.input_value("#id_unit") == str(commune.pk)
    page.fill("#id_number", "20-KH/ĐU")
    page.fill("#id_issued_on", f"{timezone.localdate():%d/%m/%Y}")
    page.select_option("#id_doc_type", "plan")
    page.fill("#id_title", "Kế hoạch tổ chức Hội nghị đối thoại với Nhân dân")
    page.press("#id_title", "Enter")
    page.wait_for_url(re.compile(r"/outreach/documents/\d+/$"))
    document = IssuedDocument.objects.get()
    assert (document.number, document.unit_id) == ("20-KH/ĐU", commune.pk)

    # Found again by words typed without diacritics, and by its number.
    page.click("[data-subnav=documents]")
    page.wait_for_url(re.compile(r"/outreach/documents/$"))
    page.fill("#id_q", "KE HOACH doi thoai")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"/outreach/documents/\?"))
    rows = page.locator("[data-documents] tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-document") == str(document.pk)
    assert "Kế hoạch tổ chức Hội nghị đối thoại với Nhân dân" in rows.first.inner_text()
    page.fill("#id_q", "20-kh/du")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q=20-kh"))
    assert page.locator(f"[data-documents] tr[data-document='{document.pk}']").count() == 1

    # The commune has held no dialogue conference this year.
    page.click("[data-subnav=dialogue]")
    page.wait_for_url(re.compile(r"/outreach/dialogue-missing/$"))
    assert page.get_attribute("[data-missing-total]", "data-missing-total") == "1"
    row = page.locator(f"[data-communes] tr[data-commune='{commune.pk}']")
    assert commune.name in row.inner_text() and commune.code in row.inner_text()
    assert page.input_value("#id_year") == str(timezone.localdate().year)
    no_problems(page)
