"""Petition pages: worklist, intake with the duplicate check, receipt, detail and timeline, every
lifecycle step through its form, the denouncer's identity, attachments, the public tracking page.

Data is made through the services; assertions hold on status codes, ids, data values and
attributes, not on translated labels (except in the explicit language test)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from danvan.core.errors import StaleEdit
from danvan.core.models import AuditEvent
from danvan.petitions import services
from danvan.petitions.models import Attachment, Event, Kind, Petition, Status
from danvan.units import services as unit_services
from danvan.units.models import Role, Unit
from tests.petitions.conftest import PLANTED_ID, PLANTED_NAME, intake_input
from tests.web.conftest import START, WebTree, create_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> date:
    return timezone.localdate()


@dataclass
class Desk:
    """The province's People's Committee (agency) with one user per role, a second agency of the
    province (to transfer to), and an agency of another province with its own handler."""

    tree: WebTree
    agency: Unit
    board: Unit
    commune_agency: Unit
    foreign_agency: Unit
    clerk: object
    handler: object
    leader: object
    committee: object
    board_handler: object
    outsider: object


def build_desk(tree: WebTree) -> Desk:
    admin = tree.admin
    other_province = unit_services.unit_create(
        actor=admin,
        code="01",
        name="Thành phố Hà Nội",
        kind="central_city",
        parent_id=tree.country.pk,
        valid_from=START,
    )
    foreign_agency = unit_services.unit_create(
        actor=admin,
        code="01-UBND",
        name="Ủy ban nhân dân thành phố Hà Nội",
        kind="peoples_committee",
        parent_id=other_province.pk,
        valid_from=START,
    )
    board = unit_services.unit_create(
        actor=admin,
        code="37-BTCD",
        name="Ban Tiếp công dân tỉnh Ninh Bình",
        kind="citizen_reception_board",
        parent_id=tree.province.pk,
        valid_from=START,
    )
    commune_agency = unit_services.unit_create(
        actor=admin,
        code="14801-UBND",
        name="Ủy ban nhân dân xã Khánh Thiện",
        kind="peoples_committee",
        parent_id=tree.commune.pk,
        valid_from=tree.commune.valid_from,
    )
    return Desk(
        tree=tree,
        agency=tree.agency,
        board=board,
        commune_agency=commune_agency,
        foreign_agency=foreign_agency,
        clerk=create_user("clerk", Role.CLERK, tree.agency, first_name="Lan", last_name="Trần"),
        handler=create_user("handler", Role.HANDLER, tree.agency, first_name="Minh", last_name="Lê"),
        leader=create_user("leader", Role.LEADER, tree.agency, first_name="Hùng", last_name="Phạm"),
        committee=create_user("committee", Role.COMMITTEE_MEMBER, tree.agency),
        board_handler=create_user("board-handler", Role.HANDLER, board, first_name="Hoa", last_name="Đỗ"),
        outsider=create_user("outsider", Role.HANDLER, foreign_agency),
    )


def receive(actor, unit: Unit, **overrides) -> services.IntakeResult:
    """A petition received through the service, ten days ago unless told otherwise."""
    overrides.setdefault("received_on", today() - timedelta(days=10))
    return services.petition_intake(actor=actor, data=intake_input(unit, **overrides), today=today())


def make(actor, unit: Unit, **overrides) -> Petition:
    return receive(actor, unit, **overrides).petitions[0]


def accepted(desk: Desk, **overrides) -> Petition:
    petition = make(desk.clerk, desk.agency, **overrides)
    return services.petition_accept(
        actor=desk.handler,
        petition_id=petition.pk,
        version=petition.version,
        on=petition.received_on,
        today=today(),
    )


def denunciation(desk: Desk, **overrides) -> Petition:
    return make(
        desk.clerk,
        desk.agency,
        kind=Kind.DENUNCIATION,
        field="corruption",
        content="Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
        petitioners=[
            services.PersonInput(name=PLANTED_NAME, id_number=PLANTED_ID, address="Thôn Bắc, xã Khánh Thiện")
        ],
        **overrides,
    )


@pytest.fixture
def desk(web_tree) -> Desk:
    return build_desk(web_tree)


def body_of(response) -> str:
    return response.content.decode()


def in_page(message: str, response, language: str = "vi") -> bool:
    """Is `message` (an English source string) on the page, in `language`?"""
    with translation.override(language):
        return escape(translation.gettext(str(message))) in body_of(response)


def intake_post(desk: Desk, **fields) -> dict:
    """The intake form as the browser posts it: one content, one petitioner."""
    data = {
        "unit": str(desk.agency.pk),
        "received_on": today().strftime("%d/%m/%Y"),
        "channel": "in_person",
        "signer_count": "1",
        "parts-TOTAL_FORMS": "1",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "1",
        "parts-MAX_NUM_FORMS": "4",
        "parts-0-kind": "complaint",
        "parts-0-field": "land",
        "parts-0-content": (
            "Đề nghị xem xét lại quyết định thu hồi đất nông nghiệp của gia đình tôi tại thôn Đông, "
            "mức bồi thường thấp hơn giá thị trường."
        ),
        "parts-0-subject": "UBND xã Khánh Thiện",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "30",
        "people-0-name": "Nguyễn Văn An",
        "people-0-id_number": "037090001234",
        "people-0-address": "Thôn Đông, xã Khánh Thiện",
        "step": "check",
    }
    data.update(fields)
    return data


def hidden_value(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', body_of(response))
    assert match, f"no hidden {name}"
    return match[1]


# ---- the worklist ---------------------------------------------------------------------------------


def test_worklist_orders_by_deadline_and_counts(client, desk):
    later = make(desk.clerk, desk.agency, received_on=today() - timedelta(days=1))
    sooner = make(
        desk.clerk,
        desk.agency,
        received_on=today() - timedelta(days=40),
        kind=Kind.RECOMMENDATION,
        field="policy",
        content="Kiến nghị sửa đường liên thôn bị hỏng sau mùa mưa lũ năm nay.",
    )
    client.force_login(desk.handler)
    response = client.get(reverse("petitions:worklist"))
    assert response.status_code == 200
    body = body_of(response)
    assert body.index(f'data-petition="{sooner.pk}"') < body.index(f'data-petition="{later.pk}"')
    assert later.tracking_code in body and sooner.tracking_code in body
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["overdue"] >= 1
    assert 'data-urgency="' in body

    filtered = client.get(reverse("petitions:worklist"), {"kind": "recommendation"})
    assert [p.pk for p, _u in filtered.context["rows"]] == [sooner.pk]
    by_code = client.get(reverse("petitions:worklist"), {"q": later.tracking_code})
    assert [p.pk for p, _u in by_code.context["rows"]] == [later.pk]
    overdue = client.get(reverse("petitions:worklist"), {"urgency": "overdue"})
    assert [p.pk for p, _u in overdue.context["rows"]] == [sooner.pk]


def test_worklist_mine_and_disposal_filters(client, desk):
    mine = accepted(desk)
    make(desk.clerk, desk.agency)
    filed = make(desk.clerk, desk.agency, received_on=date(2025, 1, 2))
    services.petition_file(
        actor=desk.handler,
        petition_id=filed.pk,
        version=filed.version,
        on=date(2025, 1, 10),
        today=today(),
        ineligible_reason="unclear",
    )
    client.force_login(desk.handler)
    response = client.get(reverse("petitions:worklist"), {"handler": "mine"})
    assert [p.pk for p, _u in response.context["rows"]] == [mine.pk]
    response = client.get(reverse("petitions:worklist"), {"status": "disposal"})
    assert [p.pk for p, _u in response.context["rows"]] == [filed.pk]


def test_worklist_runs_a_constant_number_of_queries(client, desk):
    client.force_login(desk.handler)
    make(desk.clerk, desk.agency)
    client.get(reverse("petitions:worklist"))  # warm the caches of the first request
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("petitions:worklist"))
    for n in range(6):
        make(
            desk.clerk, desk.agency, content=f"Kiến nghị số {n} về việc sửa chữa đường giao thông nông thôn."
        )
    accepted(desk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("petitions:worklist"))
    assert len(response.context["rows"]) == 8
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_worklist_hides_other_provinces(client, desk):
    foreign = make(desk.outsider, desk.foreign_agency)
    client.force_login(desk.handler)
    body = body_of(client.get(reverse("petitions:worklist"), {"status": "all"}))
    assert foreign.tracking_code not in body


# ---- access: each page for an allowed user, 404/403 for others -------------------------------------


def test_every_page_opens_for_the_office_and_not_for_another_province(client, desk):
    petition = make(desk.clerk, desk.agency, files=[services.FileInput(name="don.pdf", data=PDF)])
    protected = denunciation(desk)
    attachment = Attachment.objects.get(petition=petition)
    pages = [
        ("petitions:detail", [petition.pk]),
        ("petitions:receipt", [petition.pk]),
        ("petitions:action", [petition.pk, "accept"]),
        ("petitions:attachment", [attachment.pk]),
        ("petitions:identity", [protected.pk]),
        ("petitions:identity_grant", [protected.pk]),
    ]
    client.force_login(desk.leader)
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for name in ("petitions:worklist", "petitions:intake"):
        assert client.get(reverse(name)).status_code == 200, name

    client.force_login(desk.outsider)
    for name, args in pages:
        if name == "petitions:identity_grant":
            continue  # a handler may not grant at all: 403 before any lookup
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.get(reverse("petitions:identity_grant", args=[protected.pk])).status_code == 403

    client.force_login(desk.committee)
    assert client.get(reverse("petitions:intake")).status_code == 403
    assert client.get(reverse("petitions:receipt", args=[petition.pk])).status_code == 403
    assert client.get(reverse("petitions:action", args=[petition.pk, "accept"])).status_code == 403
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200


def test_unknown_step_is_not_found(client, desk):
    petition = make(desk.clerk, desk.agency)
    client.force_login(desk.leader)
    assert client.get(reverse("petitions:action", args=[petition.pk, "explode"])).status_code == 404


def test_a_step_not_possible_in_the_status_is_refused(client, desk):
    petition = make(desk.clerk, desk.agency)
    client.force_login(desk.leader)
    response = client.get(reverse("petitions:action", args=[petition.pk, "decide"]))
    assert response.status_code == 400


def test_nav_links_to_the_worklist(client, desk):
    client.force_login(desk.clerk)
    assert 'data-nav="petitions"' in body_of(client.get(reverse("core:home")))


# ---- intake ---------------------------------------------------------------------------------------


def test_intake_form_defaults_to_the_current_unit_and_today(client, desk):
    client.force_login(desk.clerk)
    response = client.get(reverse("petitions:intake"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["unit"].value() == desk.agency.pk
    assert form["received_on"].value() == today()
    body = body_of(response)
    assert 'data-kinds="' in body and 'id="people-empty"' in body and 'data-add-row="people"' in body


def test_intake_checks_for_duplicates_then_saves_and_shows_the_secret_once(client, desk):
    earlier = make(desk.clerk, desk.agency)
    client.force_login(desk.clerk)
    count = Petition.objects.count()

    response = client.post(reverse("petitions:intake"), intake_post(desk))
    assert response.status_code == 200
    assert Petition.objects.count() == count  # the check saves nothing
    body = body_of(response)
    assert f'data-candidate="{earlier.pk}"' in body
    assert 'data-reason="same_id"' in body
    assert f'value="case-{earlier.pk}"' in body and f'value="duplicate-{earlier.pk}"' in body
    checked = hidden_value(response, "checked")
    assert checked

    response = client.post(
        reverse("petitions:intake"),
        intake_post(desk, step="save", checked=checked, **{"parts-0-link": f"case-{earlier.pk}"}),
    )
    assert response.status_code == 302
    new = Petition.objects.exclude(pk=earlier.pk).get()
    assert response["Location"] == reverse("petitions:receipt", args=[new.pk])
    assert new.case_id == earlier.case_id and new.is_repeat and new.duplicate_of is None

    first = client.get(response["Location"])
    assert first.status_code == 200
    assert new.tracking_code in body_of(first)
    secret = re.search(r"data-secret>([A-Z0-9]+)<", body_of(first))[1]
    assert services.secret_digest(secret) == new.secret_digest
    assert "no-store" in first["Cache-Control"]
    again = client.get(response["Location"])
    assert secret not in body_of(again) and "data-secret-gone" in body_of(again)


def test_intake_save_links_as_duplicate(client, desk):
    earlier = make(desk.clerk, desk.agency)
    client.force_login(desk.clerk)
    checked = hidden_value(client.post(reverse("petitions:intake"), intake_post(desk)), "checked")
    response = client.post(
        reverse("petitions:intake"),
        intake_post(desk, step="save", checked=checked, **{"parts-0-link": f"duplicate-{earlier.pk}"}),
    )
    assert response.status_code == 302
    assert Petition.objects.exclude(pk=earlier.pk).get().duplicate_of_id == earlier.pk


def test_intake_save_without_a_current_check_checks_again(client, desk):
    client.force_login(desk.clerk)
    response = client.post(reverse("petitions:intake"), intake_post(desk, step="save", checked="stale"))
    assert response.status_code == 200
    assert not Petition.objects.exists()
    assert hidden_value(response, "checked") not in ("", "stale")


def test_intake_splits_contents_of_several_kinds_and_prints_one_receipt(client, desk):
    client.force_login(desk.clerk)
    fields = {
        "parts-TOTAL_FORMS": "2",
        "parts-1-kind": "recommendation",
        "parts-1-field": "policy",
        "parts-1-content": "Kiến nghị hỗ trợ chuyển đổi nghề cho các hộ bị thu hồi đất.",
    }
    checked = hidden_value(client.post(reverse("petitions:intake"), intake_post(desk, **fields)), "checked")
    response = client.post(
        reverse("petitions:intake"), intake_post(desk, step="save", checked=checked, **fields)
    )
    assert response.status_code == 302
    petitions = list(Petition.objects.order_by("pk"))
    assert [p.kind for p in petitions] == ["complaint", "recommendation"]
    body = body_of(client.get(response["Location"]))
    for petition in petitions:
        assert f'data-receipt="{petition.pk}"' in body and petition.tracking_code in body
    assert body.count("data-secret>") == 2


def test_intake_with_attachments_keeps_the_files_between_check_and_save(client, desk):
    client.force_login(desk.clerk)
    upload = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("petitions:intake"), {**intake_post(desk), "files": [upload]})
    assert response.status_code == 200
    assert "data-kept-files" in body_of(response) and "don.pdf" in body_of(response)
    kept, checked = hidden_value(response, "kept"), hidden_value(response, "checked")
    response = client.post(
        reverse("petitions:intake"), intake_post(desk, step="save", checked=checked, kept=kept)
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "don.pdf" and attachment.size == len(PDF)


def test_intake_refuses_a_file_whose_content_is_not_its_type(client, desk):
    client.force_login(desk.clerk)
    upload = SimpleUploadedFile("don.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(reverse("petitions:intake"), {**intake_post(desk), "files": [upload]})
    assert response.status_code == 400
    assert "data-error-summary" in body_of(response)
    assert not Petition.objects.exists()


def test_intake_adds_a_petitioner_row_without_javascript(client, desk):
    client.force_login(desk.clerk)
    response = client.post(reverse("petitions:intake"), intake_post(desk, step="add_person"))
    assert response.status_code == 200
    body = body_of(response)
    assert 'name="people-1-name"' in body
    assert 'value="Nguyễn Văn An"' in body  # what was typed stays
    assert 'name="people-TOTAL_FORMS" value="2"' in body
    assert "data-error-summary" not in body
    assert not Petition.objects.exists()
    # The added row may stay empty.
    checked = client.post(reverse("petitions:intake"), intake_post(desk, **{"people-TOTAL_FORMS": "2"}))
    assert checked.status_code == 200 and "data-error-summary" not in body_of(checked)


def test_intake_shows_the_time_limit_warning_before_saving(client, desk):
    client.force_login(desk.clerk)
    known = (today() - timedelta(days=200)).strftime("%d/%m/%Y")
    response = client.post(reverse("petitions:intake"), intake_post(desk, decision_known_on=known))
    assert response.status_code == 200
    assert "data-warnings" in body_of(response)


def test_intake_previous_petition_by_receipt_number(client, desk):
    earlier = make(desk.clerk, desk.agency)
    client.force_login(desk.clerk)
    fields = {"previous": earlier.receipt_number}
    checked = hidden_value(client.post(reverse("petitions:intake"), intake_post(desk, **fields)), "checked")
    response = client.post(
        reverse("petitions:intake"), intake_post(desk, step="save", checked=checked, **fields)
    )
    assert response.status_code == 302
    new = Petition.objects.exclude(pk=earlier.pk).get()
    assert new.previous_id == earlier.pk and new.round == 2
    unknown = client.post(reverse("petitions:intake"), intake_post(desk, previous="DVZZZZZZZZ"))
    assert unknown.status_code == 400 and "id_previous" in body_of(unknown)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_intake_errors_are_summarised_and_beside_the_fields(client, desk, language):
    desk.clerk.language = language
    desk.clerk.save(update_fields=["language"])
    client.force_login(desk.clerk)
    response = client.post(
        reverse("petitions:intake"),
        intake_post(desk, **{"parts-0-content": "", "people-0-id_number": "12345"}),
    )
    assert response.status_code == 400
    assert not Petition.objects.exists()
    body = body_of(response)
    assert "data-error-summary" in body
    assert 'href="#id_parts-0-content"' in body and 'href="#id_people-0-id_number"' in body
    assert 'id="id_parts-0-content_error"' in body and 'aria-invalid="true"' in body
    assert in_page("Enter the content.", response, language)
    assert in_page("There is a problem", response, language)
    if language == "en":
        assert "Enter the content." in body
        assert "The ID number must be a 12-digit citizen ID" in body
        assert 'lang="en"' in body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_intake_refusal_of_the_service_lands_on_the_form(client, desk, language):
    desk.clerk.language = language
    desk.clerk.save(update_fields=["language"])
    client.force_login(desk.clerk)
    fields = {"anonymous": "on", "people-0-name": "", "people-0-id_number": "", "people-0-address": ""}
    # The service's rules are checked before the duplicate check, so the first submit stops here.
    response = client.post(reverse("petitions:intake"), intake_post(desk, **fields))
    assert response.status_code == 400
    assert 'name="checked" id="id_checked">' in body_of(response)  # not checked: no save yet
    assert not Petition.objects.exists() and not Event.objects.exists()
    assert 'href="#id_anonymous"' in body_of(response)
    assert in_page("A complaint must name the complainant (Law on Complaints, Art 8).", response, language)
    if language == "en":
        assert "A complaint must name the complainant" in body_of(response)


def test_duplicate_preview_for_htmx(client, desk):
    earlier = make(desk.clerk, desk.agency)
    client.force_login(desk.clerk)
    data = {"people-0-id_number": "037 090 001 234", "parts-0-content": ""}
    response = client.post(reverse("petitions:duplicates"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = body_of(response)
    assert "<html" not in body
    assert f'data-candidate="{earlier.pk}"' in body and 'type="radio"' not in body
    assert client.post(reverse("petitions:duplicates"), data).status_code == 302


# ---- the petition and its steps ---------------------------------------------------------------------


def test_detail_shows_deadline_explanation_timeline_and_buttons(client, desk):
    petition = accepted(desk, files=[services.FileInput(name="don.pdf", data=PDF)])
    client.force_login(desk.leader)
    response = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert response.status_code == 200
    body = body_of(response)
    assert "data-explanation" in body and petition.due_date.strftime("%d/%m/%Y") in body
    assert 'data-event="receive"' in body and 'data-event="accept"' in body
    assert body.index('data-event="receive"') < body.index('data-event="accept"')
    for action in ("decide", "dialogue", "extend", "suspend", "verify", "withdraw", "assign"):
        assert reverse("petitions:action", args=[petition.pk, action]) in body
    assert reverse("petitions:action", args=[petition.pk, "accept"]) not in body
    attachment = Attachment.objects.get(petition=petition)
    assert reverse("petitions:attachment", args=[attachment.pk]) in body


def test_buttons_follow_the_role(client, desk):
    petition = accepted(desk)
    client.force_login(desk.handler)
    body = body_of(client.get(reverse("petitions:detail", args=[petition.pk])))
    assert reverse("petitions:action", args=[petition.pk, "dialogue"]) in body
    assert reverse("petitions:action", args=[petition.pk, "decide"]) not in body  # leaders decide
    assert client.get(reverse("petitions:action", args=[petition.pk, "decide"])).status_code == 403


def _step_data(desk: Desk, action: str, petition: Petition) -> dict:
    day = today().strftime("%d/%m/%Y")
    data = {"version": str(petition.version), "on": day}
    if action == "guide":
        data.update(guided_to="Tòa án nhân dân tỉnh Ninh Bình", eligible="on")
    elif action == "transfer":
        data.update(target_unit=str(desk.board.pk), document_number="12/PC-BTCD", eligible="on")
    elif action == "urge":
        data.update(target_unit=str(desk.commune_agency.pk), document_number="3/CV-UBND")
    elif action == "decide":
        data.update(
            number="45/QĐ-UBND",
            decided_on=day,
            signer="Phạm Hùng",
            outcome="complaint_partly",
            money_returned="12,5",
            people_restored="1",
        )
    elif action == "extend":
        data.update(ground="Vụ việc phức tạp, cần xác minh tại nhiều nơi.", days="")
    elif action == "suspend":
        data.update(ground="Chờ kết quả giám định.")
    elif action == "file":
        data.update(ineligible_reason="unclear")
    elif action == "record_reply":
        data.update(summary="Sở Tài nguyên và Môi trường đã trả lời bằng văn bản.")
    elif action == "verify":
        data.update(summary="Đã xác minh hiện trạng thửa đất.", file=SimpleUploadedFile("xac-minh.pdf", PDF))
    elif action == "dialogue":
        data.update(participants="Ông Nguyễn Văn An; đại diện UBND xã", summary="Hai bên trao đổi.")
    elif action == "assign":
        data.update(handler=str(desk.handler.pk))
    elif action == "attach":
        data.update(file=SimpleUploadedFile("bo-sung.pdf", PDF))
    return data


def _in_status(desk: Desk, start: str) -> Petition:
    """A petition of the office that has reached `start`, through the services."""
    if start == "received":
        return make(desk.clerk, desk.agency)
    if start == "accepted":
        return accepted(desk)
    if start == "accepted_denunciation":
        return accepted(desk, kind=Kind.DENUNCIATION, field="corruption")
    if start == "transferred":
        petition = make(desk.clerk, desk.agency)
        return services.petition_transfer(
            actor=desk.handler,
            petition_id=petition.pk,
            version=petition.version,
            on=today(),
            today=today(),
            target_name="Sở Tài nguyên và Môi trường",
            document_number="7/PC",
        )
    if start == "suspended":
        petition = accepted(desk)
        return services.petition_suspend(
            actor=desk.leader,
            petition_id=petition.pk,
            version=petition.version,
            on=today(),
            today=today(),
            ground="x",
        )
    if start == "filed_long_ago":
        petition = make(desk.clerk, desk.agency, received_on=date(2025, 1, 2))
        return services.petition_file(
            actor=desk.handler,
            petition_id=petition.pk,
            version=petition.version,
            on=date(2025, 1, 10),
            today=today(),
            ineligible_reason="unclear",
        )
    raise AssertionError(start)


@pytest.mark.parametrize(
    ("action", "start", "expected"),
    [
        ("accept", "received", Status.ACCEPTED),
        ("guide", "received", Status.GUIDED),
        ("transfer", "received", Status.TRANSFERRED),
        ("urge", "received", Status.URGED),
        ("file", "received", Status.FILED),
        ("assign", "received", Status.RECEIVED),
        ("attach", "received", Status.RECEIVED),
        ("record_reply", "transferred", Status.ANSWERED),
        ("verify", "accepted", Status.ACCEPTED),
        ("dialogue", "accepted", Status.ACCEPTED),
        ("extend", "accepted_denunciation", Status.ACCEPTED),
        ("suspend", "accepted", Status.SUSPENDED),
        ("resume", "suspended", Status.ACCEPTED),
        ("decide", "accepted", Status.RESOLVED),
        ("dispose", "filed_long_ago", Status.DISPOSED),
    ],
)
def test_each_step_form_posts_through_to_its_service(client, desk, action, start, expected):
    petition = _in_status(desk, start)
    client.force_login(desk.leader)
    form_page = client.get(reverse("petitions:action", args=[petition.pk, action]))
    assert form_page.status_code == 200
    assert f'name="version" value="{petition.version}"' in body_of(form_page)
    response = client.post(
        reverse("petitions:action", args=[petition.pk, action]), _step_data(desk, action, petition)
    )
    assert response.status_code == 302, body_of(response)
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == expected
    event = Event.objects.filter(petition=petition, action=action).get()
    if action == "transfer":
        copy = Petition.objects.get(transferred_from=petition)
        assert copy.unit_id == desk.board.pk and copy.status == Status.RECEIVED
    if action == "urge":
        assert petition.target_unit_id == desk.commune_agency.pk
    if action == "decide":
        assert str(petition.money_returned) == "12.500" and petition.people_restored == 1
    if action == "verify":
        assert event.attachment is not None and event.attachment.original_name == "xac-minh.pdf"
    if action == "assign":
        assert petition.handler_id == desk.handler.pk
    if action == "attach":
        assert event.attachment is not None and event.attachment.original_name == "bo-sung.pdf"


def test_stale_version_shows_the_conflict_on_the_form(client, desk):
    petition = make(desk.clerk, desk.agency)
    stale = _step_data(desk, "accept", petition)
    services.petition_assign(
        actor=desk.leader,
        petition_id=petition.pk,
        version=petition.version,
        handler_id=desk.handler.pk,
        today=today(),
    )
    client.force_login(desk.leader)
    response = client.post(reverse("petitions:action", args=[petition.pk, "accept"]), stale)
    assert response.status_code == 409
    assert "data-error-summary" in body_of(response)
    assert escape(StaleEdit().message) in body_of(response)
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED


def test_step_refusal_lands_beside_the_field(client, desk):
    petition = make(desk.clerk, desk.agency)
    client.force_login(desk.leader)
    data = _step_data(desk, "transfer", petition)
    data.update(target_unit="", target_name="")
    response = client.post(reverse("petitions:action", args=[petition.pk, "transfer"]), data)
    assert response.status_code == 400
    assert 'href="#id_target_name"' in body_of(response)
    future = _step_data(desk, "accept", petition)
    future["on"] = (today() + timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(reverse("petitions:action", args=[petition.pk, "accept"]), future)
    assert response.status_code == 400 and 'href="#id_on"' in body_of(response)


def test_transfer_by_unit_code_and_the_receiver_sees_it(client, desk):
    petition = make(desk.clerk, desk.agency)
    client.force_login(desk.handler)
    data = _step_data(desk, "transfer", petition)
    data.update(target_unit="", target_unit_code="37-BTCD")
    response = client.post(reverse("petitions:action", args=[petition.pk, "transfer"]), data)
    assert response.status_code == 302
    copy = Petition.objects.get(transferred_from=petition)
    client.force_login(desk.board_handler)
    worklist = client.get(reverse("petitions:worklist"))
    assert [p.pk for p, _u in worklist.context["rows"]] == [copy.pk]
    body = body_of(client.get(reverse("petitions:detail", args=[copy.pk])))
    assert reverse("petitions:action", args=[copy.pk, "accept"]) in body


def test_withdraw_lists_protected_petitioners_by_number_only(client, desk):
    petition = denunciation(desk)
    client.force_login(desk.handler)
    response = client.get(reverse("petitions:action", args=[petition.pk, "withdraw"]))
    assert response.status_code == 200
    assert PLANTED_NAME not in body_of(response)
    person = petition.petitioners.get()
    data = {
        "version": str(petition.version),
        "on": today().strftime("%d/%m/%Y"),
        "petitioners": [str(person.pk)],
    }
    response = client.post(reverse("petitions:action", args=[petition.pk, "withdraw"]), data)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.WITHDRAWN


# ---- the denouncer's identity ------------------------------------------------------------------------


def test_denouncer_name_appears_only_when_revealed_with_a_reason(client, desk):
    petition = denunciation(desk)
    client.force_login(desk.clerk)
    receipt = client.get(reverse("petitions:receipt", args=[petition.pk]))
    assert PLANTED_NAME not in body_of(receipt) and PLANTED_ID not in body_of(receipt)

    client.force_login(desk.leader)
    detail = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert PLANTED_NAME not in body_of(detail) and PLANTED_ID not in body_of(detail)
    assert "data-reveal-form" in body_of(detail)
    worklist = client.get(reverse("petitions:worklist"))
    assert PLANTED_NAME not in body_of(worklist)

    before = AuditEvent.objects.filter(action="petition.identity_view").count()
    empty = client.post(reverse("petitions:identity", args=[petition.pk]), {"reason": ""})
    assert empty.status_code == 400 and PLANTED_NAME not in body_of(empty)
    shown = client.post(
        reverse("petitions:identity", args=[petition.pk]), {"reason": "Xác minh nội dung tố cáo"}
    )
    assert shown.status_code == 200
    assert PLANTED_NAME in body_of(shown) and PLANTED_ID in body_of(shown)
    assert "no-store" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(action="petition.identity_view").count() == before + 1


def test_identity_is_refused_to_users_not_entitled(client, desk):
    petition = denunciation(desk)
    client.force_login(desk.handler)  # not the assigned handler, not a leader
    assert "data-reveal-form" not in body_of(client.get(reverse("petitions:detail", args=[petition.pk])))
    assert client.post(reverse("petitions:identity", args=[petition.pk]), {"reason": "x"}).status_code == 403


def test_leader_grants_access_to_the_identity(client, desk):
    petition = denunciation(desk)
    client.force_login(desk.leader)
    form = client.get(reverse("petitions:identity_grant", args=[petition.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("petitions:identity_grant", args=[petition.pk]),
        {"user": str(desk.handler.pk), "reason": "Phân công xác minh"},
    )
    assert response.status_code == 302
    client.force_login(desk.handler)
    shown = client.post(reverse("petitions:identity", args=[petition.pk]), {"reason": "Xác minh"})
    assert shown.status_code == 200 and PLANTED_NAME in body_of(shown)
    # The leader sees who has access, and takes it back: the handler no longer sees the identity.
    client.force_login(desk.leader)
    listed = client.get(reverse("petitions:identity_grant", args=[petition.pk]))
    [grant_id] = re.findall(r'data-grant="(\d+)"', body_of(listed))
    taken = client.post(reverse("petitions:identity_revoke", args=[grant_id]), {"petition": petition.pk})
    assert taken.status_code == 302
    assert AuditEvent.objects.filter(action="petition.identity_revoke").count() == 1
    client.force_login(desk.handler)
    refused = client.post(reverse("petitions:identity", args=[petition.pk]), {"reason": "Xác minh"})
    assert refused.status_code == 403 and PLANTED_NAME not in body_of(refused)
    # Nobody else may take access back.
    assert client.post(reverse("petitions:identity_revoke", args=[grant_id])).status_code in (403, 404)


def test_identifying_attachment_only_for_entitled_users(client, desk):
    petition = denunciation(desk, files=[services.FileInput(name="chu-viet.pdf", data=PDF, identifying=True)])
    attachment = Attachment.objects.get(petition=petition)
    assert attachment.encrypted and attachment.identifying
    url = reverse("petitions:attachment", args=[attachment.pk])
    client.force_login(desk.handler)
    assert url not in body_of(client.get(reverse("petitions:detail", args=[petition.pk])))
    assert client.get(url).status_code == 403
    client.force_login(desk.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    # Each opening of an identifying document is in the audit trail.
    assert AuditEvent.objects.filter(action="petition.attachment_view", actor=desk.leader).count() == 1


def test_plain_attachment_streams_as_a_download(client, desk):
    petition = make(desk.clerk, desk.agency, files=[services.FileInput(name="đơn khiếu nại.pdf", data=PDF)])
    attachment = Attachment.objects.get(petition=petition)
    client.force_login(desk.committee)
    response = client.get(reverse("petitions:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# ---- user input stays inert ----------------------------------------------------------------------------


def test_script_in_content_is_escaped(client, desk):
    petition = make(
        desk.clerk, desk.agency, content="<script>alert(1)</script> đề nghị giải quyết sớm việc cấp đất."
    )
    client.force_login(desk.handler)
    for response in (
        client.get(reverse("petitions:detail", args=[petition.pk])),
        client.get(reverse("petitions:worklist")),
    ):
        body = body_of(response)
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ---- the citizen's tracking page -----------------------------------------------------------------------


def test_track_shows_the_status_with_the_right_secret_only(client, desk):
    result = receive(desk.clerk, desk.agency)
    petition = result.petitions[0]
    secret = result.secrets[petition.pk]

    start = client.get(reverse("petitions:track"))
    assert start.status_code == 200 and 'data-track-step="code"' in body_of(start)
    second = client.get(reverse("petitions:track"), {"code": petition.tracking_code.lower()})
    assert second.status_code == 200 and 'data-track-step="secret"' in body_of(second)

    shown = client.post(
        reverse("petitions:track"), {"code": petition.tracking_code, "secret": secret.lower()}
    )
    assert shown.status_code == 200
    body = body_of(shown)
    assert f'data-status="{petition.status}"' in body and desk.agency.name in body
    assert petition.content[:30] not in body and "Nguyễn Văn An" not in body

    def answer(code, typed):
        response = client.post(reverse("petitions:track"), {"code": code, "secret": typed})
        return response.status_code, re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]*"', "", body_of(response)
        )

    wrong_secret = answer(petition.tracking_code, "AAAAAAAAAA")
    wrong_code = answer("DVAAAAAAAA", secret)
    assert wrong_secret == wrong_code
    assert wrong_secret[0] == 404 and "data-track-not-found" in wrong_secret[1]
    assert petition.tracking_code not in wrong_secret[1]


def test_track_follows_a_transfer_inside_danvan(client, desk):
    result = receive(desk.clerk, desk.agency)
    petition, secret = result.petitions[0], result.secrets[result.petitions[0].pk]
    services.petition_transfer(
        actor=desk.handler,
        petition_id=petition.pk,
        version=petition.version,
        on=petition.received_on,
        today=today(),
        target_unit_id=desk.board.pk,
        document_number="12/PC",
    )
    shown = client.post(reverse("petitions:track"), {"code": petition.tracking_code, "secret": secret})
    body = body_of(shown)
    assert 'data-status="transferred"' in body
    # The citizen sees where it is now and how far the receiving unit got.
    assert 'data-onward="received"' in body and desk.board.name in body


def test_track_needs_both_answers(client):
    response = client.post(reverse("petitions:track"), {"code": "DVAAAAAAAA", "secret": ""})
    assert response.status_code == 400 and 'data-track-step="secret"' in body_of(response)
    response = client.get(reverse("petitions:track"), {"code": ""})
    assert response.status_code == 400 and "data-error-summary" in body_of(response)
