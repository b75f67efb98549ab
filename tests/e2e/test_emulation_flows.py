"""Commendations in a real browser: the province's emulation board proposes an individual and a
collective for a movement on the proposal form; the province's leader ticks both on the list and
records one decision for them; the ceremony list of that decision lists both, collectives first;
the certificate of merit of the individual downloads as a PDF that carries the name with its
diacritics."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from danvan.emulation import services
from danvan.emulation.models import Commendation, CommendationStatus, Recipient
from danvan.outreach.models import Resolution
from danvan.units.models import Role, RoleScope
from tests.e2e.test_petitions_flows import no_problems, sign_in
from tests.web.conftest import create_user

pytestmark = pytest.mark.e2e
PERSON = "Nguyễn Thị Hương Giang"
GROUP = "Chi hội Phụ nữ thôn Đông"


def propose(page, movement, commune, *, individual: bool) -> Commendation:
    page.click("[data-commendation-new]")
    page.wait_for_url(re.compile(r"/emulation/new/$"))
    page.check(f"input[name=recipient][value={Recipient.INDIVIDUAL if individual else Recipient.COLLECTIVE}]")
    page.select_option("#id_unit", str(commune.pk))
    if individual:
        page.fill("#id_person_name", PERSON)
        page.fill("#id_person_position", "Chi hội trưởng Chi hội Phụ nữ thôn Đông")
    else:
        page.fill("#id_group_name", GROUP)
    page.select_option("#id_level", "province")
    page.select_option("#id_form", "province_pc_certificate")
    page.fill("#id_reason", "Có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.")
    page.select_option("#id_movement", str(movement.pk))
    page.click("[data-submit]")
    page.wait_for_url(re.compile(r"/emulation/\d+/$"))
    commendation = Commendation.objects.latest("pk")
    assert page.get_attribute("h1 + [data-status]", "data-status") == CommendationStatus.PROPOSED
    page.click("a[data-nav=emulation]")
    page.wait_for_url(re.compile(r"/emulation/$"))
    return commendation


def test_propose_decide_together_list_for_the_ceremony_and_print_a_certificate(
    live_server, e2e_tree, reference_data, browser_page
):
    province, commune = e2e_tree.province, e2e_tree.commune
    board = create_user("thiduatinh", Role.COMMITTEE_MEMBER, province, RoleScope.SUBTREE)
    create_user("chutich", Role.LEADER, province, RoleScope.SUBTREE, first_name="Minh", last_name="Phạm")
    movement = services.movement_create(
        actor=board,
        data=services.MovementInput(
            unit_id=province.pk,
            name="Phong trào thi đua “Dân vận khéo” giai đoạn 2021–2025",
            starts_on=date(2021, 3, 1),
            resolution_id=Resolution.objects.get(number="25-NQ/TW").pk,
        ),
        today=timezone.localdate(),
    )
    page = browser_page
    sign_in(page, live_server, "thiduatinh", "/")
    page.click("a[data-nav=emulation]")
    page.wait_for_url(re.compile(r"/emulation/$"))
    assert page.locator("[data-batch-form]").count() == 0  # the board proposes, never decides
    no_problems(page)

    # The individual first, then the collective: the ceremony list still puts collectives first.
    person = propose(page, movement, commune, individual=True)
    group = propose(page, movement, commune, individual=False)
    assert (person.person_name, person.movement_id) == (PERSON, movement.pk)
    assert (group.group_name, group.movement_id) == (GROUP, movement.pk)

    # The leader ticks both proposals and records one decision for them.
    sign_in(page, live_server, "chutich", "/emulation/")
    no_problems(page)
    for commendation in (person, group):
        page.check(f"#pick-{commendation.pk}")
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert page.input_value("#id_batch-decided_on") == today
    page.fill("#id_batch-decision_number", "45/QĐ-UBND")
    page.fill("#id_batch-issuer", "Chủ tịch UBND tỉnh Ninh Bình")
    page.click("[data-batch-submit]")

    # The ceremony list of that decision: the collective, then the individual.
    page.wait_for_url(re.compile(r"/emulation/ceremony/\?"))
    assert set(Commendation.objects.values_list("status", flat=True)) == {CommendationStatus.DECIDED}
    assert "45/QĐ-UBND" in page.inner_text("[data-ceremony-decision]") and today in page.inner_text(
        "[data-ceremony-decision]"
    )
    groups = page.eval_on_selector_all("[data-ceremony] [data-group]", "els => els.map(e => e.dataset.group)")
    assert groups == ["collective", "individual"]
    rows = page.eval_on_selector_all("[data-ceremony-row]", "els => els.map(e => e.dataset.ceremonyRow)")
    assert rows == [str(group.pk), str(person.pk)]
    assert GROUP in page.inner_text(f"[data-ceremony-row='{group.pk}']")
    assert PERSON in page.inner_text(f"[data-ceremony-row='{person.pk}']")
    no_problems(page)

    # The certificate of merit of the individual, downloaded from the commendation's page.
    page.click("a[data-nav=emulation]")
    page.click(f"tr[data-commendation='{person.pk}'] a")
    page.wait_for_url(re.compile(rf"/emulation/{person.pk}/$"))
    assert page.get_attribute("h1 + [data-status]", "data-status") == CommendationStatus.DECIDED
    # The link opens the PDF in the browser's viewer; its bytes are fetched with the same session.
    href = page.get_attribute("[data-certificate]", "href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert f"certificate-{person.pk}.pdf" in response.headers["content-disposition"]
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert PERSON in text and "45/QĐ-UBND" in text
    no_problems(page)
