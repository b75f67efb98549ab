"""The petitions API: intake, the worklist, one petition, each lifecycle step at its verb URL, and
the denouncer's identity, which no response body may carry except the logged reveal."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import struct
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core.models import AuditEvent
from danvan.core.services import api_token_create
from danvan.core.text import fold
from danvan.petitions import services
from danvan.petitions.models import Event, Petition, Status
from danvan.units.models import Role
from tests.petitions import conftest as petition_fixtures
from tests.petitions.conftest import PLANTED_ID, PLANTED_NAME, TODAY, intake_input

# The fixtures of the petition tests, used here as they are.
office = petition_fixtures.office
make_petition = petition_fixtures.make_petition

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DENUNCIATION_TEXT = (
    "Tố cáo cán bộ địa chính xã nhận tiền để hợp thức hóa đất lấn chiếm ven sông, "
    "đề nghị kiểm tra và xử lý nghiêm."
)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def today():
    """The server's clock on TODAY: the API passes timezone.localdate() to the services."""
    with time_machine.travel(at(TODAY), tick=False):
        yield TODAY


class Caller:
    """One user calling the API with a personal token."""

    def __init__(self, client: Client, user):
        self.client, self.user = client, user
        _token, self.secret = api_token_create(actor=user, name="test")

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", **extra}

    def get(self, path: str, **extra):
        return self.client.get(f"/api/v1{path}", **self.headers(**extra))

    def post(self, path: str, body: dict | None = None, **extra):
        return self.client.post(
            f"/api/v1{path}",
            data=json.dumps(body or {}, cls=DjangoJSONEncoder),
            content_type="application/json",
            **self.headers(**extra),
        )

    def form(self, path: str, data: dict, **extra):
        return self.client.post(f"/api/v1{path}", data=data, **self.headers(**extra))


@pytest.fixture
def api(client):
    callers: dict[int, Caller] = {}

    def as_(user) -> Caller:
        if user.pk not in callers:
            callers[user.pk] = Caller(client, user)
        return callers[user.pk]

    return as_


def body_of(data: services.IntakeInput) -> dict:
    body = dataclasses.asdict(data)
    body.pop("files")
    return body


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def state(petition_id: int) -> tuple:
    p = Petition.objects.get(pk=petition_id)
    return p.status, p.version, p.due_date, p.decision_number, Event.objects.filter(petition_id=p.pk).count()


# ---- intake ---------------------------------------------------------------------------------


def test_openapi_lists_the_petition_routes(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/petitions" in paths
    assert "/api/v1/petitions/{petition_id}/record-reply" in paths
    assert "/api/v1/petitions/{petition_id}/identity-grants" in paths


def test_intake_answers_201_with_tracking_code_and_secret(office, api):
    data = intake_input(
        office.agency,
        parts=[
            services.PartInput(kind="complaint", field="land", content="Khiếu nại quyết định thu hồi đất."),
            services.PartInput(
                kind="recommendation", field="policy", content="Kiến nghị sửa đường liên thôn."
            ),
        ],
        decision_known_on=date(2026, 6, 1),
    )
    response = api(office.clerk).post("/petitions", body_of(data))
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["petitions"]) == 2
    assert body["warnings"]  # the 90-day limit to complain ended before the petition came
    for item in body["petitions"]:
        assert item["tracking_code"].startswith("DV") and len(item["tracking_code"]) == 10
        assert len(item["secret"]) == 10
        petition = Petition.objects.get(pk=item["id"])
        assert petition.tracking_code == item["tracking_code"]
        assert petition.secret_digest == services.secret_digest(item["secret"])
        assert item["status"]["code"] == "received" and item["version"] == 0
        assert item["unit"] == {"id": office.agency.pk, "name": office.agency.name}
    assert {item["kind"]["code"] for item in body["petitions"]} == {"complaint", "recommendation"}
    # the secret is shown once: the detail never carries it
    detail = api(office.clerk).get(f"/petitions/{body['petitions'][0]['id']}").json()
    assert "secret" not in detail and body["petitions"][0]["secret"] not in json.dumps(detail)


def test_intake_error_names_the_field_in_the_users_language(office, api):
    body = body_of(intake_input(office.agency, received_on=TODAY + timedelta(days=3)))
    vi = api(office.clerk).post("/petitions", body)
    assert vi.status_code == 400
    assert vi.json()["code"] == "petition_invalid" and "received_on" in vi.json()["fields"]
    with translation.override("vi"):
        assert vi.json()["message"] == translation.gettext("Check the fields marked below.")
        assert vi.json()["fields"]["received_on"] == [
            translation.gettext("The date received cannot be in the future.")
        ]
    en = api(office.clerk).post("/petitions", body, HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["message"] == "Check the fields marked below."
    assert en.json()["fields"]["received_on"] == ["The date received cannot be in the future."]
    assert not Petition.objects.exists()
    # a malformed body is refused before any service runs, naming the field too
    shapeless = api(office.clerk).post("/petitions", {**body, "received_on": "31/02/2026"})
    assert shapeless.status_code == 422 and "received_on" in shapeless.json()["fields"]


def test_intake_needs_the_intake_role_in_that_unit(office, api):
    response = api(office.committee).post("/petitions", body_of(intake_input(office.agency)))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Petition.objects.exists()


def test_browser_session_needs_csrf_for_writes(office):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(office.clerk)
    body = json.dumps(body_of(intake_input(office.agency)), cls=DjangoJSONEncoder)
    refused = browser.post("/api/v1/petitions", data=body, content_type="application/json")
    assert refused.status_code == 403 and not Petition.objects.exists()
    token = "a1" * 16  # a CSRF secret in the cookie, and the same value in the header
    browser.cookies["csrftoken"] = token
    accepted = browser.post(
        "/api/v1/petitions", data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content


def test_duplicates_by_same_id_and_by_content_without_diacritics(office, make_petition, api):
    earlier = make_petition()
    clerk = api(office.clerk)
    by_id = clerk.post(
        "/petitions/duplicates",
        {"people": [{"name": "NGUYEN VAN AN", "id_number": "037 090 001 234"}], "content": "Việc khác hẳn."},
    )
    assert by_id.status_code == 200, by_id.content
    candidates = by_id.json()["candidates"]
    assert [c["petition"]["id"] for c in candidates] == [earlier.pk]
    assert "same_id" in candidates[0]["reasons"]
    by_content = clerk.post(
        "/petitions/duplicates",
        {
            "people": [],
            "content": "de nghi xem xet lai quyet dinh thu hoi dat nong nghiep cua gia dinh toi "
            "tai thon Dong, muc boi thuong thap hon gia thi truong",
        },
    )
    candidates = by_content.json()["candidates"]
    assert [c["petition"]["id"] for c in candidates] == [earlier.pk]
    assert candidates[0]["reasons"] == ["similar_content"] and candidates[0]["score"] > 0
    nothing = clerk.post("/petitions/duplicates", {"people": [], "content": "Xin cấp giấy phép xây nhà."})
    assert nothing.json()["candidates"] == []


def test_intake_can_answer_the_duplicate_candidates_in_the_same_call(office, make_petition, api):
    earlier = make_petition()
    body = {**body_of(intake_input(office.agency)), "check_duplicates": True}
    response = api(office.clerk).post("/petitions", body)
    assert response.status_code == 201, response.content
    [candidates] = response.json()["duplicates"]
    # The earlier petition of the same person and content; never the new petition itself.
    assert [c["petition"]["id"] for c in candidates] == [earlier.pk]
    assert {"same_id", "similar_content"} <= set(candidates[0]["reasons"])
    plain = api(office.clerk).post("/petitions", body_of(intake_input(office.agency)))
    assert plain.json()["duplicates"] == []


def test_a_document_is_added_and_opened_through_the_api(office, make_petition, api):
    petition = make_petition()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client = Client()
    client.force_login(office.clerk)
    upload = SimpleUploadedFile("bo-sung.pdf", pdf, content_type="application/pdf")
    added = client.post(
        f"/api/v1/petitions/{petition.pk}/attach", {"version": petition.version, "file": upload}
    )
    assert added.status_code == 200, added.content
    [attachment] = added.json()["attachments"]
    opened = client.get(f"/api/v1/petitions/attachments/{attachment['id']}")
    assert opened.status_code == 200 and opened.content == pdf
    assert opened["X-Content-Type-Options"] == "nosniff"
    # A file that is not what its name says changes nothing.
    fake = SimpleUploadedFile("gia.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40, content_type="application/pdf")
    refused = client.post(
        f"/api/v1/petitions/{petition.pk}/attach", {"version": petition.version + 1, "file": fake}
    )
    assert refused.status_code == 400 and refused.json()["code"] == "attachment_mismatch"
    assert petition.attachments.count() == 1
    # Outside the scope: not found.
    outsider = Client()
    outsider.force_login(office.outsider)
    assert outsider.get(f"/api/v1/petitions/attachments/{attachment['id']}").status_code == 404


def test_duplicates_are_for_those_who_receive_petitions(office, make_petition, api):
    make_petition()
    response = api(office.committee).post(
        "/petitions/duplicates", {"people": [{"id_number": "037090001234"}]}
    )
    assert response.status_code == 403


# ---- one petition ---------------------------------------------------------------------------


def test_detail_shows_the_deadline_its_explanation_and_the_users_steps(office, make_petition, api):
    petition = make_petition()
    body = api(office.handler).get(f"/petitions/{petition.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["content"] == petition.content and body["subject"] == "UBND xã Khánh Thiện"
    assert body["petitioners"][0]["name"] == "Nguyễn Văn An" and not body["petitioners"][0]["masked"]
    assert body["deadline"]["due"] == petition.due_date.isoformat() and body["deadline"]["step"] == "accept"
    assert body["deadline"]["lines"][-1] == f"Due date: {petition.due_date:%d/%m/%Y}"
    assert body["urgency"] == "overdue"
    assert body["case"] == {"id": petition.case_id, "petitions": 1}
    handler_steps = {a["action"] for a in body["actions"]}
    assert handler_steps == {"assign", "attach", "accept", "guide", "transfer", "urge", "file", "withdraw"}
    assert {a["url"] for a in body["actions"]} >= {"accept", "transfer"}
    clerk_steps = {a["action"] for a in api(office.clerk).get(f"/petitions/{petition.pk}").json()["actions"]}
    assert clerk_steps == {"attach"}  # a clerk receives documents and records replies
    assert api(office.committee).get(f"/petitions/{petition.pk}").json()["actions"] == []


def test_another_provinces_user_gets_404(office, make_petition, api):
    petition = make_petition()
    outsider = api(office.outsider)
    assert outsider.get(f"/petitions/{petition.pk}").status_code == 404
    assert outsider.get(f"/petitions/{petition.pk}/timeline").status_code == 404
    response = outsider.post(f"/petitions/{petition.pk}/accept", {"version": 0})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert outsider.get("/petitions?status=all").json()["count"] == 0
    assert state(petition.pk)[0] == Status.RECEIVED


# ---- the lifecycle, one verb URL each -------------------------------------------------------


def test_denunciation_from_acceptance_to_decision(office, make_petition, api):
    p = make_petition(kind="denunciation", field="land", content=DENUNCIATION_TEXT)
    handler, leader = api(office.handler), api(office.leader)
    url = f"/petitions/{p.pk}"

    accepted = handler.post(f"{url}/accept", {"version": 0})
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"]["code"] == "accepted" and body["handler"]["username"] == "handler"
    assert body["deadline"]["step"] == "resolve"
    steps = {a["action"] for a in body["actions"]}
    assert {"verify", "dialogue", "withdraw"} <= steps and not {"extend", "suspend", "decide"} & steps
    first_due = date.fromisoformat(body["due_date"])

    body = leader.post(f"{url}/extend", {"version": body["version"], "ground": "Vụ việc phức tạp"}).json()
    assert date.fromisoformat(body["due_date"]) > first_due
    assert any("30" in line for line in body["deadline"]["lines"][3:4])

    body = leader.post(
        f"{url}/suspend", {"version": body["version"], "ground": "Chờ kết quả giám định"}
    ).json()
    assert body["status"]["code"] == "suspended" and body["due_date"] is None
    assert body["deadline"]["stopped_since"] == TODAY.isoformat() and body["urgency"] == "none"

    body = leader.post(f"{url}/resume", {"version": body["version"]}).json()
    assert body["status"]["code"] == "accepted" and body["due_date"] is not None

    verified = handler.form(
        f"{url}/verify",
        {
            "version": body["version"],
            "summary": "Đã xác minh tại thực địa",
            "file": SimpleUploadedFile("anh.png", png()),
        },
    )
    assert verified.status_code == 200, verified.content
    body = verified.json()
    # A denunciation keeps no file names (a scan is often named after its author).
    assert [a["name"] for a in body["attachments"]] == ["01.png"]
    assert body["attachments"][0]["content_type"] == "image/png"

    body = handler.form(
        f"{url}/dialogue", {"version": body["version"], "participants": "Người tố cáo, cán bộ địa chính"}
    ).json()
    assert body["status"]["code"] == "accepted"

    decided = leader.post(
        f"{url}/decide",
        {
            "version": body["version"],
            "number": "15/KL-UBND",
            "signer": "Chủ tịch UBND tỉnh",
            "outcome": "denunciation_partly",
            "results": {"money_recovered": "12.5", "people_sanctioned": 1},
        },
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert body["status"]["code"] == "resolved" and body["actions"] == []
    assert body["decision"]["number"] == "15/KL-UBND" and body["decision"]["on_time"] is True
    assert body["decision"]["outcome"]["code"] == "denunciation_partly"
    assert Decimal(body["decision"]["results"]["money_recovered"]) == Decimal("12.5")
    assert body["decision"]["results"]["people_sanctioned"] == 1

    timeline = handler.get(f"{url}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "receive",
        "accept",
        "extend",
        "suspend",
        "resume",
        "verify",
        "dialogue",
        "decide",
    ]
    assert timeline[1]["from_status"] == "received" and timeline[1]["to_status"] == "accepted"
    assert timeline[2]["actor"] == "leader" and timeline[2]["data"]["days"] == 30
    assert timeline[5]["attachment_id"] == body["attachments"][0]["id"]
    assert timeline[0]["on"] == p.received_on.isoformat()
    assert all(e["on"] == TODAY.isoformat() and e["label"] for e in timeline[1:])


def test_a_file_of_the_wrong_type_is_refused_and_nothing_changes(office, make_petition, api):
    p = make_petition()
    handler = api(office.handler)
    handler.post(f"/petitions/{p.pk}/accept", {"version": 0})
    before = state(p.pk)
    response = handler.form(
        f"/petitions/{p.pk}/verify",
        {"version": 1, "summary": "Biên bản", "file": SimpleUploadedFile("bien-ban.pdf", b"not a pdf")},
    )
    assert response.status_code == 400 and "file" in response.json()["fields"]
    assert state(p.pk) == before


def test_assign_then_guide(office, make_petition, api):
    p = make_petition()
    body = api(office.leader).post(
        f"/petitions/{p.pk}/assign", {"version": 0, "handler_id": office.handler.pk}
    )
    assert body.status_code == 200, body.content
    assert body.json()["handler"]["id"] == office.handler.pk
    guided = api(office.handler).post(
        f"/petitions/{p.pk}/guide", {"version": 1, "guided_to": "Tòa án nhân dân tỉnh Ninh Bình"}
    )
    assert guided.status_code == 200, guided.content
    body = guided.json()
    assert body["status"]["code"] == "guided" and body["closed_on"] == TODAY.isoformat()
    assert body["links"]["target"]["name"] == "Tòa án nhân dân tỉnh Ninh Bình"
    assert body["classification"]["own_authority"] is False


def test_transfer_inside_danvan_reaches_the_receiving_units_worklist_then_the_reply(
    office, make_petition, make_user, api
):
    p = make_petition()
    commune_handler = make_user(Role.HANDLER, office.commune_agency, username="commune-handler")
    assert api(commune_handler).get("/petitions").json()["count"] == 0
    transferred = api(office.handler).post(
        f"/petitions/{p.pk}/transfer",
        {"version": 0, "target_unit_id": office.commune_agency.pk, "document_number": "12/PC-UBND"},
    )
    assert transferred.status_code == 200, transferred.content
    body = transferred.json()
    assert body["status"]["code"] == "transferred"
    assert body["links"]["target"]["unit"]["id"] == office.commune_agency.pk
    assert body["links"]["target"]["document_number"] == "12/PC-UBND"

    inbox = api(commune_handler).get("/petitions").json()
    assert inbox["count"] == 1
    received = inbox["items"][0]
    assert received["unit"]["id"] == office.commune_agency.pk and received["status"]["code"] == "received"
    assert received["channel"]["code"] == "agency" and received["id"] != p.pk
    copy = api(commune_handler).get(f"/petitions/{received['id']}").json()
    assert copy["links"]["transferred_from"]["id"] == p.pk and copy["sender_document_number"] == "12/PC-UBND"
    assert api(commune_handler).get(f"/petitions/{p.pk}").status_code == 404  # the sender's record

    replied = api(office.clerk).post(
        f"/petitions/{p.pk}/record-reply", {"version": body["version"], "summary": "Xã đã giải quyết xong."}
    )
    assert replied.status_code == 200, replied.content
    body = replied.json()
    assert body["status"]["code"] == "answered"
    assert body["links"]["target"]["reply_summary"] == "Xã đã giải quyết xong."
    assert body["links"]["target"]["reply_on"] == TODAY.isoformat()


def test_urge_the_lower_level(office, make_petition, api):
    p = make_petition()
    response = api(office.handler).post(
        f"/petitions/{p.pk}/urge",
        {"version": 0, "target_unit_id": office.commune_agency.pk, "document_number": "7/ĐĐ-UBND"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"]["code"] == "urged"
    higher = make_petition()
    refused = api(office.handler).post(
        f"/petitions/{higher.pk}/urge",
        {"version": 0, "target_unit_id": office.foreign_agency.pk, "document_number": "8/ĐĐ-UBND"},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "urge_not_lower"
    assert "target_unit" in refused.json()["fields"]


def test_file_then_dispose_after_the_keeping_period(office, make_petition, api):
    p = make_petition()
    leader = api(office.leader)
    filed = leader.post(f"/petitions/{p.pk}/file", {"version": 0, "ineligible_reason": "unclear"})
    assert filed.status_code == 200, filed.content
    body = filed.json()
    assert body["status"]["code"] == "filed"
    assert body["classification"]["ineligible_reason"]["code"] == "unclear"
    keep_until = date.fromisoformat(body["disposal_due"])
    assert keep_until >= date(2027, 11, 27)

    early = leader.post(f"/petitions/{p.pk}/dispose", {"version": body["version"]})
    assert early.status_code == 400 and early.json()["code"] == "keep_period"
    assert api(office.leader).get("/petitions?disposal=true").json()["count"] == 0

    with time_machine.travel(at(keep_until), tick=False):
        listed = leader.get("/petitions?disposal=true").json()
        assert [item["id"] for item in listed["items"]] == [p.pk]
        disposed = leader.post(f"/petitions/{p.pk}/dispose", {"version": body["version"]})
        assert disposed.status_code == 200, disposed.content
        assert disposed.json()["status"]["code"] == "disposed"


def test_withdraw_one_petitioner_then_all(office, make_petition, api):
    p = make_petition(
        petitioners=[
            services.PersonInput(name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông"),
            services.PersonInput(name="Trần Thị Bình", address="Thôn Đông"),
        ],
        signer_count=2,
    )
    handler = api(office.handler)
    first = handler.get(f"/petitions/{p.pk}").json()["petitioners"][0]
    body = handler.post(f"/petitions/{p.pk}/withdraw", {"version": 0, "petitioner_ids": [first["id"]]}).json()
    assert body["status"]["code"] == "received"
    assert [person["withdrawn"] for person in body["petitioners"]] == [True, False]
    body = handler.post(f"/petitions/{p.pk}/withdraw", {"version": body["version"], "note": "Đơn rút"}).json()
    assert body["status"]["code"] == "withdrawn"


def test_a_stale_version_is_409_and_changes_nothing(office, make_petition, api):
    p = make_petition()
    handler = api(office.handler)
    handler.post(f"/petitions/{p.pk}/accept", {"version": 0})
    before = state(p.pk)
    stale = handler.post(f"/petitions/{p.pk}/suspend", {"version": 0, "ground": "Chờ giám định"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_edit"
    with translation.override("vi"):
        assert stale.json()["message"] == str(services.StaleEdit().message)
    assert state(p.pk) == before


def test_a_clerk_cannot_decide_and_nothing_changes(office, make_petition, api):
    p = make_petition()
    api(office.handler).post(f"/petitions/{p.pk}/accept", {"version": 0})
    before = state(p.pk)
    decide = {"version": 1, "number": "1/QĐ", "signer": "Chủ tịch", "outcome": "complaint_correct"}
    refused = api(office.clerk).post(f"/petitions/{p.pk}/decide", decide)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert refused.json()["message"] == "Bạn không có quyền thực hiện thao tác này."
    english = api(office.clerk).post(f"/petitions/{p.pk}/decide", decide, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "You do not have permission to do this."
    assert state(p.pk) == before
    # a step the table does not allow from the status is refused, whoever asks
    again = api(office.leader).post(f"/petitions/{p.pk}/accept", {"version": 1})
    assert again.status_code == 400 and again.json()["code"] == "transition_not_allowed"
    assert state(p.pk) == before


# ---- the worklist ---------------------------------------------------------------------------


def test_worklist_counts_and_urgency(office, make_petition, api):
    # Complaints wait for acceptance 7 working days from receipt; TODAY is Friday 27/11/2026.
    very_late = make_petition(received_on=date(2026, 9, 1))
    overdue = make_petition(received_on=date(2026, 11, 2))  # due 11/11
    soon_a = make_petition(received_on=date(2026, 11, 18))  # due 30/11 (24/11 is a day off)
    soon_b = make_petition(received_on=date(2026, 11, 19))  # due 01/12
    on_time = make_petition(received_on=date(2026, 11, 26))  # due 07/12
    closed = make_petition(received_on=date(2026, 11, 2))
    services.petition_file(
        actor=office.leader,
        petition_id=closed.pk,
        version=0,
        on=TODAY,
        today=TODAY,
        ineligible_reason="unclear",
    )
    handler = api(office.handler)
    body = handler.get("/petitions").json()
    assert body["count"] == 5 and body["page"] == 1 and body["page_size"] == 25
    assert body["counts"] == {"total": 5, "overdue": 2, "very_late": 1, "due_soon": 2}
    assert [item["id"] for item in body["items"]] == [
        very_late.pk,
        overdue.pk,
        soon_a.pk,
        soon_b.pk,
        on_time.pk,
    ]
    assert [item["urgency"] for item in body["items"]] == [
        "very_late",
        "overdue",
        "due_soon",
        "due_soon",
        "on_time",
    ]
    item = body["items"][0]
    assert item["receipt_number"] == very_late.receipt_number and item["excerpt"]
    assert item["kind"] == {"code": "complaint", "label": item["kind"]["label"]} and item["handler"] is None

    def ids(query: str) -> list[int]:
        return [item["id"] for item in handler.get(f"/petitions?{query}").json()["items"]]

    assert ids("urgency=due_soon") == [soon_a.pk, soon_b.pk]
    assert ids("urgency=very_late") == [very_late.pk]
    assert ids("status=filed") == [closed.pk]
    assert len(ids("status=all")) == 6
    assert ids("q=THON%20DONG&status=all")  # content search ignores case and accents
    assert ids(f"q={on_time.tracking_code}") == [on_time.pk]
    page = handler.get("/petitions?page=3&page_size=2").json()
    assert page["count"] == 5 and [item["id"] for item in page["items"]] == [on_time.pk]
    too_big = handler.get("/petitions?page_size=101")
    assert too_big.status_code == 422 and "page_size" in too_big.json()["fields"]
    assert handler.get("/petitions?urgency=someday").status_code == 422


def test_worklist_counts_agree_with_the_urgency_of_each_item(office, make_petition, api):
    make_petition(received_on=date(2026, 11, 20))  # due Wednesday 02/12: the 3rd working day after TODAY
    body = api(office.handler).get("/petitions").json()
    shown = sum(1 for item in body["items"] if item["urgency"] == "due_soon")
    assert body["counts"]["due_soon"] == shown


def test_worklist_query_count_does_not_grow_with_the_page(office, make_petition, api):
    def add(n: int) -> None:
        for _ in range(n):
            p = make_petition()
            services.petition_accept(actor=office.handler, petition_id=p.pk, version=0, on=TODAY, today=TODAY)

    handler = api(office.handler)
    add(5)
    handler.get("/petitions")  # warm up
    with CaptureQueriesContext(connection) as five:
        assert len(handler.get("/petitions").json()["items"]) == 5
    add(20)
    with CaptureQueriesContext(connection) as twenty_five:
        body = handler.get("/petitions").json()
    assert len(body["items"]) == 25 and body["items"][0]["handler"]["username"] == "handler"
    assert len(twenty_five) == len(five)


def test_worklist_stays_within_a_fixed_number_of_queries(
    office, make_petition, api, django_assert_max_num_queries
):
    for _ in range(25):
        make_petition()
    handler = api(office.handler)
    handler.get("/petitions")
    with django_assert_max_num_queries(7):
        assert len(handler.get("/petitions").json()["items"]) == 25


# ---- the denouncer's identity ---------------------------------------------------------------


def _leaks(response) -> list[str]:
    """Whatever of the planted identity the response shows, in any spelling."""
    text = response.content.decode("utf-8")
    with contextlib.suppress(ValueError):
        text += json.dumps(response.json(), ensure_ascii=False)
    found = []
    for secret in (PLANTED_NAME, PLANTED_ID, "Thôn Bí Mật", "0912345678"):
        if secret in text or fold(secret) in fold(text):
            found.append(secret)
    return found


def test_no_response_shows_a_denouncers_identity_but_the_logged_reveal(office, api):
    data = intake_input(
        office.agency,
        kind="denunciation",
        field="land",
        content=DENUNCIATION_TEXT,
        petitioners=[
            services.PersonInput(
                name=PLANTED_NAME,
                id_number=PLANTED_ID,
                address="Thôn Bí Mật, xã Khánh Thiện",
                phone="0912345678",
            )
        ],
    )
    created = api(office.clerk).post("/petitions", body_of(data))
    assert created.status_code == 201 and not _leaks(created)
    pid = created.json()["petitions"][0]["id"]
    assigned = api(office.leader).post(
        f"/petitions/{pid}/assign", {"version": 0, "handler_id": office.handler.pk}
    )
    assert assigned.status_code == 200 and not _leaks(assigned)

    probe = {"people": [{"name": PLANTED_NAME, "id_number": PLANTED_ID}], "content": DENUNCIATION_TEXT}
    for user in (office.clerk, office.committee, office.auditor, office.supervisor):
        caller = api(user)
        responses = [
            caller.get("/petitions?status=all"),
            caller.get(f"/petitions?q={created.json()['petitions'][0]['tracking_code']}"),
            caller.get(f"/petitions/{pid}"),
            caller.get(f"/petitions/{pid}/timeline"),
            caller.post("/petitions/duplicates", probe),
            caller.post(f"/petitions/{pid}/identity", {"reason": "Tò mò"}),
        ]
        for response in responses[:4]:
            assert response.status_code == 200, (user.username, response.content)
        assert responses[0].json()["count"] == 1
        detail = responses[2].json()
        assert detail["protected"] and not detail["identity_entitled"]
        assert detail["petitioners"][0]["masked"] and detail["petitioners"][0]["name"] == ""
        assert responses[5].status_code == 403
        for response in responses:
            assert not _leaks(response), (user.username, response.request["PATH_INFO"], _leaks(response))
    assert not AuditEvent.objects.filter(action="petition.identity_view").exists()

    for user in (office.handler, office.leader):
        caller = api(user)
        detail = caller.get(f"/petitions/{pid}").json()
        assert detail["identity_entitled"] and detail["petitioners"][0]["name"] == ""  # revealed only on ask
        no_reason = caller.post(f"/petitions/{pid}/identity", {})
        assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
        revealed = caller.post(f"/petitions/{pid}/identity", {"reason": "Liên hệ người tố cáo để xác minh"})
        assert revealed.status_code == 200, revealed.content
        person = revealed.json()[0]
        assert (person["name"], person["id_number"], person["phone"]) == (
            PLANTED_NAME,
            PLANTED_ID,
            "0912345678",
        )
    views = AuditEvent.objects.filter(action="petition.identity_view", record_id=str(pid))
    assert sorted(views.values_list("actor_label", flat=True)) == ["handler", "leader"]
    assert views.first().after["reason"]
    assert not any(
        PLANTED_NAME in json.dumps([e.before, e.after], ensure_ascii=False) for e in AuditEvent.objects.all()
    )

    # The head of the unit lets a committee member see it; the grant itself shows no identity.
    refused = api(office.handler).post(
        f"/petitions/{pid}/identity-grants", {"user_id": office.committee.pk, "reason": "Giám sát"}
    )
    assert refused.status_code == 403
    granted = api(office.leader).post(
        f"/petitions/{pid}/identity-grants", {"user_id": office.committee.pk, "reason": "Giám sát vụ việc"}
    )
    assert granted.status_code == 201, granted.content
    assert granted.json()["username"] == "committee" and not _leaks(granted)
    revealed = api(office.committee).post(f"/petitions/{pid}/identity", {"reason": "Giám sát vụ việc"})
    assert revealed.status_code == 200 and revealed.json()[0]["name"] == PLANTED_NAME
