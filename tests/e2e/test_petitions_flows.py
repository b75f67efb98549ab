"""Petition flows in a real browser: intake by keyboard with a duplicate found and linked to its
case; a transfer between two agencies inside danvan; a resolution with a dialogue and its
minutes, then the decision, seen on the timeline."""

from __future__ import annotations

import re

import pytest

from danvan.petitions.models import Petition, Status
from tests.web.conftest import PASSWORD
from tests.web.test_petitions_pages import PDF, build_desk, make

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, username: str, next_path: str = "/petitions/") -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def type_into(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.type(text)


def no_problems(page) -> None:
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
    assert not page.problems, page.problems


def test_intake_by_keyboard_finds_the_earlier_petition_and_links_it(live_server, e2e_tree, browser_page):
    desk = build_desk(e2e_tree)
    earlier = make(desk.clerk, desk.agency)  # the same citizen ID as typed below
    page = browser_page
    sign_in(page, live_server, "clerk", "/petitions/new/")

    # Selects by arrow keys: the channel "in person" is the first choice, the kind "complaint"
    # too; for a complaint the field "land" is the second one offered.
    page.focus("#id_channel")
    page.keyboard.press("ArrowDown")
    page.focus("#id_parts-0-kind")
    page.keyboard.press("ArrowDown")
    page.focus("#id_parts-0-field")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_channel") == "in_person"
    assert page.input_value("#id_parts-0-kind") == "complaint"
    assert page.input_value("#id_parts-0-field") == "land"
    # The field list follows the kind: corruption is not a field of complaints.
    assert page.locator("#id_parts-0-field option[value=corruption]").is_disabled()

    type_into(page, "#id_parts-0-content", "Đề nghị xem xét lại mức bồi thường khi thu hồi đất nông nghiệp.")
    type_into(page, "#id_people-0-name", "Nguyễn Văn An")
    type_into(page, "#id_people-0-id_number", "037090001234")
    page.keyboard.press("Tab")  # leaving the field asks htmx for earlier petitions
    page.locator(f"[data-dup-preview] [data-candidate='{earlier.pk}']").wait_for()

    # A second petitioner row, added by the keyboard, stays empty and does no harm.
    page.focus("[data-add-row=people]")
    page.keyboard.press("Enter")
    page.locator("#id_people-1-name").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_people-1-name"

    page.focus("[data-check]")
    page.keyboard.press("Enter")
    page.locator("[data-check-result]").wait_for()
    row = page.locator(f"[data-candidates='1'] [data-candidate='{earlier.pk}']")
    assert row.locator("[data-reason=same_id]").count() == 1
    page.focus(f"#parts-0-link-case-{earlier.pk}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#parts-0-link-case-{earlier.pk}")
    page.focus("[data-save]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/petitions/\d+/receipt/$"))
    new = Petition.objects.exclude(pk=earlier.pk).get()
    assert page.inner_text("[data-tracking-code]").strip() == new.tracking_code
    assert re.fullmatch(r"[A-Z0-9]{10}", page.inner_text("[data-secret]").strip())
    assert new.case_id == earlier.case_id and new.is_repeat
    no_problems(page)


def test_transfer_between_two_agencies(live_server, e2e_tree, browser_page):
    desk = build_desk(e2e_tree)
    petition = make(desk.clerk, desk.agency)
    page = browser_page
    sign_in(page, live_server, "handler", f"/petitions/{petition.pk}/")

    page.click("[data-action=transfer]")
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/transfer/$"))
    page.select_option("#id_target_unit", str(desk.board.pk))
    page.fill("#id_document_number", "15/PC-UBND")
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/$"))
    assert page.get_attribute("[data-status]", "data-status") == Status.TRANSFERRED
    copy = Petition.objects.get(transferred_from=petition)
    assert page.locator(f"[data-related-petition='{copy.pk}']").count() == 0  # another unit's record

    sign_in(page, live_server, "board-handler")
    row = page.locator(f"tr[data-petition='{copy.pk}']")
    assert copy.tracking_code in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/petitions/{copy.pk}/$"))
    assert petition.receipt_number in page.inner_text("[data-related]")
    page.click("[data-action=accept]")
    page.wait_for_url(re.compile(rf"/petitions/{copy.pk}/accept/$"))
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/petitions/{copy.pk}/$"))
    assert page.get_attribute("[data-status]", "data-status") == Status.ACCEPTED
    no_problems(page)


def test_resolution_with_a_dialogue_and_its_minutes(live_server, e2e_tree, browser_page):
    desk = build_desk(e2e_tree)
    petition = make(desk.clerk, desk.agency)
    page = browser_page
    sign_in(page, live_server, "leader", f"/petitions/{petition.pk}/")

    page.click("[data-action=accept]")
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/$"))

    page.click("[data-action=dialogue]")
    page.fill("#id_participants", "Ông Nguyễn Văn An; đại diện UBND xã Khánh Thiện")
    page.fill("#id_summary", "Hai bên thống nhất đo đạc lại diện tích.")
    page.set_input_files(
        "#id_minutes", files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/$"))

    page.click("[data-action=decide]")
    page.fill("#id_number", "45/QĐ-UBND")
    page.fill("#id_signer", "Phạm Hùng")
    page.select_option("#id_outcome", "complaint_partly")
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/$"))

    assert page.get_attribute("[data-status]", "data-status") == Status.RESOLVED
    steps = page.eval_on_selector_all("[data-timeline] [data-event]", "els => els.map(e => e.dataset.event)")
    assert steps == ["receive", "accept", "dialogue", "decide"]
    minutes = page.locator("[data-timeline] [data-event=dialogue] a")
    assert minutes.inner_text().strip() == "bien-ban.pdf"
    with page.expect_download() as download:
        minutes.click()
    assert download.value.suggested_filename == "bien-ban.pdf"
    assert page.get_attribute("[data-outcome]", "data-outcome") == "complaint_partly"
    no_problems(page)
