"""A "Dân vận khéo" model in a real browser, in English through the language switch: registered in a
field, its progress reported with evidence, put up at district level after the district level ended
(refused, the level named, nothing changed), then at commune level, scored on every criterion and
recognised with a decision number; its page then shows the whole history in order and the status
"Recognised"."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from danvan.practices.models import Evaluation, PracticeModel, PracticeStatus
from danvan.units.models import Role
from tests.e2e.test_outreach_flows import only_the_refusal
from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.web.conftest import create_user

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "Dân vận khéo trong chuyển đổi số ở thôn Đông"


def take_step(page, model_pk: int, action: str) -> None:
    page.click(f"[data-step={action}]")
    page.wait_for_url(re.compile(rf"/practices/{model_pk}/{action}/$"))


def saved(page, model_pk: int) -> None:
    page.click("[data-submit]")
    page.wait_for_url(re.compile(rf"/practices/{model_pk}/$"))


def test_a_model_from_registration_to_recognition_in_english(
    live_server, e2e_tree, reference_data, browser_page
):
    commune = e2e_tree.commune
    create_user("bithu", Role.LEADER, commune, first_name="Lan", last_name="Trần")
    today = f"{timezone.localdate():%d/%m/%Y}"
    page = browser_page
    sign_in(page, live_server, "bithu", "/")
    page.click("a[data-nav=practices]")
    page.wait_for_url(re.compile(r"/practices/$"))
    assert page.get_attribute("html", "lang") == "vi"

    # The language switch: the same page in English.
    page.click("button[name=language][value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/practices/")
    assert page.inner_text("a[data-nav=practices]").strip() == "Models"
    assert page.inner_text("main h1").strip() == "Skillful mass mobilization models"
    no_problems(page)

    # Register: the unit is the leader's commune, the date today; the field is a choice of four.
    page.click("[data-register]")
    page.wait_for_url(re.compile(r"/practices/new/$"))
    assert page.input_value("#id_unit") == str(commune.pk)
    assert page.input_value("#id_registered_on") == today
    assert page.inner_text("fieldset#id_field legend").strip() == "Field"
    page.check("#id_kind input[value=model]")
    page.fill("#id_name", NAME)
    page.check("#id_field input[value=culture_society]")
    page.fill("#id_carried_out_by", "Đoàn Thanh niên xã Khánh Thiện")
    page.fill("#id_aims", "Hướng dẫn người dân dùng dịch vụ công trực tuyến.")
    page.click("[data-submit]")
    page.wait_for_url(re.compile(r"/practices/\d+/$"))
    model = PracticeModel.objects.get()
    assert (model.field, model.unit_id, model.name) == ("culture_society", commune.pk, NAME)
    assert page.get_attribute("[data-field]", "data-field") == "culture_society"
    assert page.inner_text("[data-field]").strip() == "Culture and society"

    # Progress, with a file of evidence.
    take_step(page, model.pk, "report")
    page.fill("#id_note", "Đã mở 3 lớp hướng dẫn cho 120 người dân.")
    page.set_input_files(
        "#id_files", files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    saved(page, model.pk)
    assert page.get_attribute("[data-status]", "data-status") == PracticeStatus.CARRYING_OUT
    assert page.inner_text("[data-files]").strip().startswith("bien-ban.pdf")

    # Put up at district level today: there has been no district level since 01/07/2025.
    take_step(page, model.pk, "submit")
    assert page.input_value("#id_on") == today
    page.check("#id_level input[value=district]")
    page.click("[data-submit]")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    expected = (
        f"There was no district-level unit above {commune.name} on {today} "
        "(the district level ended on 30/06/2025)."
    )
    assert summary.locator("a[href='#id_level']").inner_text().strip() == expected
    model.refresh_from_db()
    assert (model.status, model.review_level) == (PracticeStatus.CARRYING_OUT, "")
    only_the_refusal(page)
    page.check("#id_level input[value=commune]")
    saved(page, model.pk)
    assert page.get_attribute("[data-status]", "data-status") == PracticeStatus.UNDER_REVIEW
    assert page.get_attribute("[data-under-review]", "data-under-review") == "commune"

    # The commune's board scores every criterion of the set in force.
    take_step(page, model.pk, "evaluate")
    criteria = page.locator("[data-evaluate-form] input[name^=criterion_]")
    assert criteria.count() == 5
    for n in range(criteria.count()):
        criteria.nth(n).fill("18")
    page.fill("#id_note", "Cách làm sáng tạo, được Nhân dân đồng tình.")
    saved(page, model.pk)
    evaluation = Evaluation.objects.get(model=model)
    assert (evaluation.total, evaluation.passed) == (90, True)
    assert page.locator(f"[data-evaluation='{evaluation.pk}'] [data-score]").count() == 5
    assert page.locator(f"[data-evaluation='{evaluation.pk}'] [data-passed]").count() == 1

    # Recognised with a decision number.
    take_step(page, model.pk, "recognise")
    page.fill("#id_decision_number", "12/QĐ-BCĐ")
    assert page.input_value("#id_decided_on") == today
    saved(page, model.pk)

    badge = page.locator("h1 + [data-status]")
    assert badge.get_attribute("data-status") == PracticeStatus.RECOGNISED
    assert badge.inner_text().strip() == "Recognised"
    events = page.eval_on_selector_all("[data-history] [data-event]", "els => els.map(e => e.dataset.event)")
    assert events == ["register", "report", "submit", "evaluate", "recognise"]
    assert "Đã mở 3 lớp hướng dẫn cho 120 người dân." in page.inner_text("[data-history] [data-event=report]")
    recognition = page.locator("[data-recognition=commune]")
    assert "12/QĐ-BCĐ" in recognition.inner_text() and today in recognition.inner_text()
    assert page.get_attribute("[data-level]", "data-level") == "commune"
    assert page.get_attribute("html", "lang") == "en"
    no_problems(page)
