"""Reception in a real browser: the desk flow from the look-up to the printed receipt, all by
keyboard (a person who came before is found by ID number and the visit is linked to the same
matter); then the reception book with the visit and its spreadsheet download."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from danvan.petitions.models import Petition
from danvan.reception import services
from danvan.reception.models import SessionKind, Visit
from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.web.test_reception_pages import CITIZEN_ID, build_reception, record, visit_input

pytestmark = pytest.mark.e2e


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def earlier_visit(rec):
    """A visit of the same citizen a week ago, with the petition it made."""
    day = timezone.localdate() - timedelta(days=7)
    session = services.session_create(
        actor=rec.clerk,
        data=services.SessionInput(unit_id=rec.unit.pk, kind=SessionKind.REGULAR, day=day, held=True),
        today=timezone.localdate(),
    ).session
    return services.visit_record(
        actor=rec.clerk, data=visit_input(session, make_petitions=True), today=timezone.localdate()
    ).visit


def test_desk_from_lookup_to_printed_receipt_by_keyboard(live_server, e2e_tree, browser_page):
    rec = build_reception(e2e_tree)
    earlier = earlier_visit(rec)
    page = browser_page
    sign_in(page, live_server, "clerk", "/reception/")
    started = time.monotonic()

    # Open today's regular reception: the visit form comes with the look-up box focused.
    page.focus("[data-open-regular]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reception/sessions/\d+/visit/$"))
    assert active_id(page) == "id_q"

    # The citizen hands over the ID card: the earlier visit appears, one visit on the matter so far.
    page.keyboard.type(CITIZEN_ID)
    found = page.locator(f"[data-lookup-results] [data-earlier-visit='{earlier.pk}']")
    found.wait_for()
    assert found.locator("[data-case-visits]").get_attribute("data-case-visits") == "1"
    petition = earlier.petitions.get()
    assert page.locator(f"[data-lookup-results] [data-earlier-petition='{petition.pk}']").count() == 1

    # "Same matter": the link is set, the ID carried into the first person, focus on the name.
    found.locator("[data-same-matter]").focus()
    page.keyboard.press("Enter")
    assert page.input_value("#id_repeat_of_visit") == str(earlier.pk)
    assert page.is_visible("[data-repeat-status]")
    assert earlier.book_number in page.inner_text("[data-repeat-text]")
    assert active_id(page) == "id_visitors-0-name"
    assert page.input_value("#id_visitors-0-id_number") == CITIZEN_ID

    page.keyboard.type("Nguyễn Văn An")
    page.keyboard.press("Tab")  # the ID number, already there
    page.keyboard.press("Tab")
    page.keyboard.type("0912345678")
    page.keyboard.press("Tab")
    page.keyboard.type("Thôn Đông, xã Khánh Thiện")
    assert active_id(page) == "id_visitors-0-address"

    # The first content: a complaint about land.
    page.focus("#id_parts-0-kind")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Khiếu nại mức bồi thường khi thu hồi đất nông nghiệp tại thôn Đông.")
    assert page.input_value("#id_parts-0-kind") == "complaint"
    assert page.input_value("#id_parts-0-field") == "land"
    # The second content, already on the form: a recommendation on policy.
    page.keyboard.press("Tab")  # the subject
    page.keyboard.press("Tab")
    assert active_id(page) == "id_parts-1-kind"
    for _n in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Kiến nghị hỗ trợ chuyển đổi nghề cho các hộ bị thu hồi đất.")
    assert page.input_value("#id_parts-1-kind") == "recommendation"
    assert page.input_value("#id_parts-1-field") == "policy"

    # The outcome by arrow keys: accepted for resolution; no target or refusal fields in the way.
    page.focus("#id_outcome_0")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#id_outcome_1") and page.input_value("#id_outcome_1") == "accepted"
    assert not page.is_visible("#id_target_name") and not page.is_visible("#id_refusal_ground")
    page.keyboard.press("Tab")
    assert active_id(page) == "id_outcome_note"
    page.keyboard.press("Tab")
    assert active_id(page) == "id_make_petitions" and page.is_checked("#id_make_petitions")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # original documents handed over
    page.keyboard.press("Tab")
    page.keyboard.type("Công dân đến lần hai.")
    page.keyboard.press("Enter")  # Enter in a field saves

    page.wait_for_url(re.compile(r"/reception/visits/\d+/receipt/$"))
    assert time.monotonic() - started < 60
    visit = Visit.objects.exclude(pk=earlier.pk).get()
    assert visit.is_repeat and visit.repeat_of_id == earlier.pk and visit.case_id == earlier.case_id
    made = list(Petition.objects.filter(visits=visit).order_by("pk"))
    assert [p.kind for p in made] == ["complaint", "recommendation"]
    assert made[0].case_id == earlier.case_id and all(p.has_original_documents for p in made)
    assert page.inner_text("[data-book-number]").strip() == visit.book_number
    codes = page.eval_on_selector_all("[data-tracking-code]", "els => els.map(e => e.textContent.trim())")
    assert codes == [p.tracking_code for p in made]
    secrets = page.eval_on_selector_all("[data-secret]", "els => els.map(e => e.textContent.trim())")
    assert len(secrets) == 2 and all(re.fullmatch(r"[A-Z0-9]{10}", s) for s in secrets)

    # Printing: the button is there; on paper the navigation and the buttons are gone.
    assert page.locator("button[data-print]").count() == 1
    assert page.is_visible("header nav") and page.is_visible("[data-print]")
    page.emulate_media(media="print")
    assert not page.is_visible("header nav") and not page.is_visible("[data-print]")
    assert page.is_visible("[data-receipt-unit]") and page.is_visible("[data-secret]")
    page.emulate_media(media="screen")
    no_problems(page)


def test_book_shows_the_visit_and_downloads_the_spreadsheet(live_server, e2e_tree, browser_page):
    rec = build_reception(e2e_tree)
    session = services.session_open_regular(
        actor=rec.clerk,
        unit_id=rec.unit.pk,
        day=timezone.localdate(),
        place_id=None,
        today=timezone.localdate(),
    )
    visit = record(rec, session).visit
    page = browser_page
    sign_in(page, live_server, "clerk", "/reception/book/")
    row = page.locator(f"[data-book-row='{visit.pk}']")
    assert "Nguyễn Văn An" in row.inner_text() and CITIZEN_ID in row.inner_text()
    assert page.locator("[data-column-numbers] th").count() == 12
    with page.expect_download() as download:
        page.click("[data-export=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
    no_problems(page)
