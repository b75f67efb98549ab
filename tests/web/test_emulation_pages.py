"""Emulation pages: the list of commendations (filters, search, one decision for several proposals),
proposing and editing, a commendation with its steps drawn from the lifecycle, the decision's scan,
the certificate (PDF), the printable ceremony list in both languages, and movements.

Data is made through the services; assertions hold on status codes, ids, data attributes and values,
not on translated labels (except where the language is the point)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from danvan.core.models import RecordFile
from danvan.emulation import services
from danvan.emulation.models import Commendation, Movement, Recipient
from danvan.units.models import UnitLevel
from tests.emulation import conftest as emulation_fixtures
from tests.emulation.conftest import TODAY, F, decide, propose

staff = emulation_fixtures.staff  # the fixture of the emulation tests, used as it is
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def as_user(client):
    def sign_in(user, language: str = ""):
        if language:
            user.language = language
            user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return sign_in


def ids(response, attribute: str) -> list[int]:
    return [int(v) for v in re.findall(rf'{attribute}="(\d+)"', response.content.decode())]


def proposal_post(unit, **overrides) -> dict:
    data = {
        "recipient": Recipient.INDIVIDUAL,
        "unit": unit.pk,
        "person_name": "Hoàng Văn Thái",
        "person_position": "Trưởng thôn Bắc",
        "level": UnitLevel.PROVINCE,
        "form": F.PROVINCE_PC_CERTIFICATE,
        "reason": "Có nhiều đóng góp cho phong trào “Dân vận khéo”",
        "work_from": "01/01/2022",
        "work_to": "31/12/2023",
    }
    data.update(overrides)
    return data


# ---- the list -----------------------------------------------------------------------------------


def test_the_list_is_the_apps_first_page_and_filters(tree, staff, as_user):
    decided = decide(staff.chairman, propose(staff.board, tree.c1), date(2024, 3, 5))
    person = propose(staff.board, tree.c3, recipient=Recipient.INDIVIDUAL, person_name="Trịnh Thị Lụa")
    client = as_user(staff.clerk)
    assert reverse("emulation:commendations") == "/emulation/"
    response = client.get(reverse("emulation:commendations"))
    assert response.status_code == 200
    assert set(ids(response, "data-commendation")) == {decided.pk, person.pk}
    assert "data-batch-form" not in response.content.decode()  # a clerk decides nothing
    assert "data-commendation-new" not in response.content.decode()

    def listed(**query) -> set[int]:
        got = client.get(reverse("emulation:commendations"), query)
        assert got.status_code == 200
        return set(ids(got, "data-commendation"))

    assert listed(status="decided") == {decided.pk}
    assert listed(q="trinh thi lua") == {person.pk}
    assert listed(recipient="individual") == {person.pk}
    assert listed(year="2024") == {decided.pk}
    assert listed(level="province", decision_number="123/QĐ-UBND") == {decided.pk}
    assert listed(unit_code=tree.c3.code) == {person.pk}
    assert listed(unit=tree.d1.pk) == {decided.pk}
    assert listed(movement=staff.movement.pk) == set()


def test_the_list_makes_a_bounded_number_of_queries(tree, staff, as_user):
    client = as_user(staff.chairman)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("emulation:commendations")).status_code == 200
        return len(captured.captured_queries)

    for unit in (tree.c1, tree.c2):
        propose(staff.board, unit, movement_id=staff.movement.pk)
    few = count()
    for unit in (tree.c1, tree.c2, tree.c3, tree.n, tree.n2, tree.agency) * 3:
        decide(
            staff.chairman, propose(staff.board, unit, recipient=Recipient.INDIVIDUAL, person_name="Ai đó")
        )
    assert count() == few
    assert few <= 20


def test_the_movements_and_ceremony_pages_make_a_bounded_number_of_queries(tree, staff, as_user):
    client = as_user(staff.clerk)
    day = date(2024, 3, 5)
    ceremony_url = reverse("emulation:ceremony")
    query = {"decision_number": "123/QĐ-UBND", "decided_on": "05/03/2024"}

    def count(url, params=None) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params or {}).status_code == 200
        return len(captured.captured_queries)

    decide(staff.chairman, propose(staff.board, tree.c1), day)
    few = (count(reverse("emulation:movements")), count(ceremony_url, query))
    for n, unit in enumerate((tree.c1, tree.c2, tree.c3, tree.agency) * 3):
        services.movement_create(
            actor=staff.board,
            data=services.MovementInput(unit_id=unit.pk, name=f"Phong trào {n}", starts_on=date(2023, 1, 1)),
            today=TODAY,
        )
        decide(
            staff.chairman,
            propose(staff.board, unit, recipient=Recipient.INDIVIDUAL, person_name=f"Người {n}"),
            day,
        )
    assert (count(reverse("emulation:movements")), count(ceremony_url, query)) == few


def test_one_decision_for_the_proposals_ticked(tree, staff, as_user):
    rows = [propose(staff.board, tree.c1), propose(staff.board, tree.c2)]
    district = propose(staff.board, tree.n, level=UnitLevel.DISTRICT, form=F.DISTRICT_PC_CERTIFICATE)
    client = as_user(staff.chairman, "en")
    url = reverse("emulation:commendations")
    page = client.get(url)
    assert "data-batch-form" in page.content.decode()
    data = {
        "batch-ids": [rows[0].pk, district.pk, rows[1].pk],
        "batch-decision_number": "77/QĐ-UBND",
        "batch-decided_on": "05/03/2026",
        "batch-issuer": "Chủ tịch UBND tỉnh Ninh Bình",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert f'data-commendation="{district.pk}" class="row-error"' in body
    assert "Row 2" in body and "District level" in body
    assert not Commendation.objects.filter(status="decided").exists()

    data["batch-ids"] = [rows[0].pk, rows[1].pk]
    done = client.post(url, data)
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("emulation:ceremony"))
    assert set(Commendation.objects.filter(status="decided").values_list("pk", flat=True)) == {
        r.pk for r in rows
    }
    ceremony = client.get(done["Location"])
    assert set(ids(ceremony, "data-ceremony-row")) == {r.pk for r in rows}


# ---- proposing and editing ----------------------------------------------------------------------


def test_propose_on_the_page(tree, staff, as_user):
    client = as_user(staff.commune_board, "en")
    form = client.get(reverse("emulation:commendation_new"))
    assert form.status_code == 200
    response = client.post(reverse("emulation:commendation_new"), proposal_post(tree.n))
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    assert response["Location"] == reverse("emulation:commendation", args=[commendation.pk])
    assert (commendation.person_name, commendation.unit, commendation.created_by) == (
        "Hoàng Văn Thái",
        tree.n,
        staff.commune_board,
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"level": UnitLevel.COMMUNE}, "Commune level"),
        ({"work_from": "", "work_to": ""}, "a movement, a model, an activity or a period of work"),
        ({"work_to": "31/12/2021"}, "before its start"),
        ({"reason": ""}, "Enter the reason"),
    ],
)
def test_a_bad_proposal_is_shown_on_the_form(tree, staff, as_user, overrides, expected):
    client = as_user(staff.commune_board, "en")
    response = client.post(reverse("emulation:commendation_new"), proposal_post(tree.n, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-error-summary" in body
    assert expected in body
    assert not Commendation.objects.exists()


def test_a_proposal_for_a_unit_out_of_reach_is_refused(tree, staff, as_user):
    client = as_user(staff.commune_board)
    response = client.post(reverse("emulation:commendation_new"), proposal_post(tree.n2))
    assert response.status_code == 400  # the select does not offer it
    assert not Commendation.objects.exists()


def test_edit_a_proposal_at_its_version(tree, staff, as_user):
    commendation = propose(staff.board, tree.n)
    client = as_user(staff.commune_board)
    url = reverse("emulation:commendation", args=[commendation.pk])
    assert client.get(url, {"edit": "1"}).status_code == 200
    data = proposal_post(
        tree.n, recipient=Recipient.COLLECTIVE, group_name="Tổ dân vận thôn Bắc", version=commendation.version
    )
    assert client.post(url, data).status_code == 302
    commendation.refresh_from_db()
    assert (commendation.group_name, commendation.version) == ("Tổ dân vận thôn Bắc", 1)
    stale = client.post(url, {**data, "group_name": "Tên khác", "version": 0})
    assert stale.status_code == 409
    assert Commendation.objects.get(pk=commendation.pk).group_name == "Tổ dân vận thôn Bắc"
    assert as_user(staff.clerk).get(url, {"edit": "1"}).status_code == 403


# ---- a commendation and its steps ---------------------------------------------------------------


def test_the_steps_are_drawn_from_the_lifecycle_and_the_role(tree, staff, as_user):
    commendation = propose(staff.board, tree.c1)
    url = reverse("emulation:commendation", args=[commendation.pk])
    leader = as_user(staff.chairman).get(url).content.decode()
    assert 'data-step="decide"' in leader and 'data-step="decline"' in leader
    assert 'data-step="revoke"' not in leader
    board = as_user(staff.board).get(url).content.decode()
    assert "data-step=" not in board
    assert "data-edit" in board
    assert as_user(staff.outsider).get(url).status_code == 404


def test_decide_decline_and_revoke_on_the_page(tree, staff, as_user):
    client = as_user(staff.chairman, "en")
    commendation = propose(staff.board, tree.c1, level=UnitLevel.DISTRICT, form=F.DISTRICT_PC_CERTIFICATE)
    url = reverse("emulation:commendation_action", args=[commendation.pk])
    decide_data = {
        "action": "decide",
        "decide-version": commendation.version,
        "decide-decision_number": "9/QĐ-UBND",
        "decide-decided_on": "01/08/2025",
        "decide-issuer": "Chủ tịch UBND huyện Yên Khánh",
    }
    refused = client.post(url, decide_data)
    assert refused.status_code == 400
    assert "District level" in refused.content.decode() and "01/08/2025" in refused.content.decode()
    assert Commendation.objects.get(pk=commendation.pk).status == "proposed"

    stale = client.post(url, {**decide_data, "decide-version": 5, "decide-decided_on": "30/06/2025"})
    assert stale.status_code == 409

    done = client.post(url, {**decide_data, "decide-decided_on": "30/06/2025"})
    assert done.status_code == 302
    commendation.refresh_from_db()
    assert (commendation.status, commendation.decided_on) == ("decided", date(2025, 6, 30))

    no_reason = client.post(
        url, {"action": "revoke", "revoke-version": commendation.version, "revoke-reason": ""}
    )
    assert no_reason.status_code == 400
    revoked = client.post(
        url,
        {
            "action": "revoke",
            "revoke-version": commendation.version,
            "revoke-reason": "Hồ sơ không trung thực",
        },
    )
    assert revoked.status_code == 302
    assert Commendation.objects.get(pk=commendation.pk).status == "revoked"

    other = propose(staff.board, tree.c2)
    declined = client.post(
        reverse("emulation:commendation_action", args=[other.pk]),
        {"action": "decline", "decline-version": other.version, "decline-note": "Chưa đủ tiêu chuẩn"},
    )
    assert declined.status_code == 302
    assert Commendation.objects.get(pk=other.pk).status == "declined"


def test_a_committee_member_cannot_decide_on_the_page(tree, staff, as_user):
    commendation = propose(staff.board, tree.c1)
    response = as_user(staff.board).post(
        reverse("emulation:commendation_action", args=[commendation.pk]),
        {
            "action": "decide",
            "decide-version": 0,
            "decide-decision_number": "1",
            "decide-decided_on": "05/03/2024",
            "decide-issuer": "X",
        },
    )
    assert response.status_code == 403
    assert Commendation.objects.get(pk=commendation.pk).status == "proposed"


def test_the_scan_of_the_decision(tree, staff, as_user):
    commendation = decide(staff.chairman, propose(staff.board, tree.c1))
    client = as_user(staff.board)
    url = reverse("emulation:commendation_file", args=[commendation.pk])
    wrong = client.post(url, {"file": _upload("qd.png", PDF)})
    assert wrong.status_code == 400
    assert client.post(url, {"file": _upload("quyet-dinh.pdf", PDF)}).status_code == 302
    stored = RecordFile.objects.get()
    page = client.get(reverse("emulation:commendation", args=[commendation.pk])).content.decode()
    assert reverse("core:record_file", args=[stored.pk]) in page
    assert as_user(staff.clerk).post(url, {"file": _upload("qd.pdf", PDF)}).status_code == 403


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_certificate_is_a_pdf_of_a_decided_commendation_only(tree, staff, as_user):
    proposed = propose(staff.board, tree.c1, recipient=Recipient.INDIVIDUAL, person_name="Lương Thị Mến")
    client = as_user(staff.clerk)
    url = reverse("emulation:certificate", args=[proposed.pk])
    assert client.get(url).status_code == 404
    decide(staff.chairman, proposed)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Lương Thị Mến" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert as_user(staff.outsider).get(url).status_code == 404


# ---- the ceremony list --------------------------------------------------------------------------


@pytest.fixture
def ceremony(tree, staff):
    rows = [
        propose(staff.board, tree.c1),
        propose(staff.board, tree.c2, recipient=Recipient.INDIVIDUAL, person_name="Đinh Văn Hùng"),
    ]
    services.commendations_decide(
        actor=staff.chairman,
        commendation_ids=[r.pk for r in rows],
        decision=services.Decision(
            number="45/QĐ-UBND", decided_on=date(2024, 3, 5), issuer="Chủ tịch UBND tỉnh"
        ),
        today=TODAY,
    )
    return rows


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("vi", ("Lý do", "45/QĐ-UBND", "Đinh Văn Hùng")),
        (
            "en",
            ("Reason", "List of collectives and individuals commended", "I. Collectives", "II. Individuals"),
        ),
    ],
)
def test_the_ceremony_list_in_both_languages(tree, staff, as_user, ceremony, language, words):
    client = as_user(staff.clerk, language)
    response = client.get(
        reverse("emulation:ceremony"), {"decision_number": "45/QĐ-UBND", "decided_on": "05/03/2024"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    for word in words:
        assert word in body
    assert ids(response, "data-ceremony-row") == [ceremony[0].pk, ceremony[1].pk]
    assert 'data-group="collective"' in body and 'data-group="individual"' in body
    assert "emulation/emulation.css" in body  # the print rules (A4, no navigation)
    assert "<style" not in body and "<script>" not in body


def test_the_ceremony_list_needs_the_date_with_a_number(tree, staff, as_user, ceremony):
    client = as_user(staff.clerk)
    response = client.get(reverse("emulation:ceremony"), {"decision_number": "45/QĐ-UBND"})
    assert response.status_code == 400
    assert "data-ceremony-row" not in response.content.decode()
    empty = client.get(reverse("emulation:ceremony"))
    assert empty.status_code == 200 and "data-choose" in empty.content.decode()
    by_level = client.get(reverse("emulation:ceremony"), {"level": "province", "unit": tree.d1.pk})
    assert ids(by_level, "data-ceremony-row") == [ceremony[0].pk, ceremony[1].pk]


# ---- movements ----------------------------------------------------------------------------------


def test_movements_list_create_edit(tree, staff, as_user):
    client = as_user(staff.board, "en")
    listing = client.get(reverse("emulation:movements"))
    assert ids(listing, "data-movement") == [staff.movement.pk]
    assert client.get(reverse("emulation:movements"), {"q": "dan van"}).status_code == 200
    created = client.post(
        reverse("emulation:movement_new"),
        {"unit": tree.province.pk, "name": "Phong trào “Toàn dân đoàn kết”", "starts_on": "01/02/2024"},
    )
    assert created.status_code == 302
    movement = Movement.objects.get(name="Phong trào “Toàn dân đoàn kết”")
    bad = client.post(
        reverse("emulation:movement_new"),
        {"unit": tree.province.pk, "name": "X", "starts_on": "01/02/2024", "ends_on": "01/01/2024"},
    )
    assert bad.status_code == 400 and "The end date is before the start date." in bad.content.decode()
    edit_url = reverse("emulation:movement_edit", args=[movement.pk])
    assert client.get(edit_url).status_code == 200
    saved = client.post(edit_url, {"name": "Tên mới", "starts_on": "01/02/2024", "version": movement.version})
    assert saved.status_code == 302
    stale = client.post(edit_url, {"name": "Tên cũ", "starts_on": "01/02/2024", "version": movement.version})
    assert stale.status_code == 409
    assert Movement.objects.get(pk=movement.pk).name == "Tên mới"

    propose(staff.board, tree.c1, movement_id=movement.pk)
    page = client.get(reverse("emulation:movement", args=[movement.pk]))
    assert len(ids(page, "data-commendation")) == 1
    assert as_user(staff.clerk).get(edit_url).status_code == 403
    assert as_user(staff.outsider).get(reverse("emulation:movement", args=[movement.pk])).status_code == 404
