"""The emulation API: movements and commendations with their lifecycle, one decision for several
proposals (all or nothing), the certificate as a PDF; rules come back as field errors that change
nothing, in the user's language; a stale version answers 409; records out of reach are 404."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from pypdf import PdfReader

from danvan.core.models import AuditEvent
from danvan.core.services import api_token_create
from danvan.emulation.models import Commendation, CommendationEvent, Movement
from danvan.outreach.models import Resolution
from tests.emulation import conftest as emulation_fixtures
from tests.emulation.conftest import TODAY

staff = emulation_fixtures.staff  # the fixture of the emulation tests, used as it is
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def today():
    """The server's clock on TODAY: the API passes timezone.localdate() to the services."""
    with time_machine.travel(datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=ZONE), tick=False):
        yield TODAY


class Caller:
    def __init__(self, client: Client, user):
        self.client = client
        _token, self.secret = api_token_create(actor=user, name="test")

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", **extra}

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(f"/api/v1/emulation{path}", params or {}, **self.headers(**extra))

    def _send(self, method, path: str, body: dict | None, extra: dict):
        return method(
            f"/api/v1/emulation{path}",
            data=json.dumps(body or {}, cls=DjangoJSONEncoder),
            content_type="application/json",
            **self.headers(**extra),
        )

    def post(self, path: str, body: dict | None = None, **extra):
        return self._send(self.client.post, path, body, extra)

    def put(self, path: str, body: dict | None = None, **extra):
        return self._send(self.client.put, path, body, extra)


@pytest.fixture
def api(client):
    callers: dict[int, Caller] = {}

    def as_(user) -> Caller:
        if user.pk not in callers:
            callers[user.pk] = Caller(client, user)
        return callers[user.pk]

    return as_


def body(unit, **overrides) -> dict:
    data = {
        "recipient": "individual",
        "unit_id": unit.pk,
        "person_name": "Phan Văn Khải",
        "person_position": "Bí thư Đoàn xã",
        "level": "province",
        "form": "province_pc_certificate",
        "reason": "Đã có thành tích xuất sắc trong công tác dân vận",
        "work_from": "2022-01-01",
        "work_to": "2023-12-31",
    }
    data.update(overrides)
    return data


DECISION = {
    "decision_number": "88/QĐ-UBND",
    "decided_on": "2024-03-05",
    "issuer": "Chủ tịch UBND tỉnh Ninh Bình",
}


def written() -> tuple:
    return (
        Movement.objects.count(),
        Commendation.objects.count(),
        CommendationEvent.objects.count(),
        AuditEvent.objects.count(),
        tuple(Commendation.objects.order_by("pk").values_list("status", "version")),
    )


def test_movements(tree, staff, api):
    board = api(staff.board)
    listed = board.get("/movements")
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == [staff.movement.pk]
    assert listed.json()["items"][0]["resolution"]["number"] == "25-NQ/TW"
    created = board.post(
        "/movements",
        {
            "unit_id": tree.province.pk,
            "name": "Phong trào “Chung sức xây dựng nông thôn mới”",
            "starts_on": "2024-02-01",
            "resolution_id": Resolution.objects.get(number="25-NQ/TW").pk,
        },
    )
    assert created.status_code == 201, created.content
    movement = created.json()
    assert (movement["unit"]["id"], movement["version"]) == (tree.province.pk, 0)
    assert board.get(f"/movements/{movement['id']}").json()["name"] == movement["name"]
    assert [m["id"] for m in board.get("/movements", {"q": "nong thon moi"}).json()["items"]] == [
        movement["id"]
    ]

    update = {"version": 0, "name": "Tên mới", "starts_on": "2024-02-01"}
    changed = board.put(f"/movements/{movement['id']}", update)
    assert changed.status_code == 200 and changed.json()["version"] == 1
    stale = board.put(f"/movements/{movement['id']}", {**update, "name": "Tên cũ"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    bad = board.post("/movements", {"unit_id": tree.province.pk, "name": "", "starts_on": "2024-02-01"})
    assert bad.status_code == 400 and "name" in bad.json()["fields"]
    assert api(staff.outsider).get(f"/movements/{movement['id']}").status_code == 404


def test_the_lifecycle_through_the_api(tree, staff, api):
    board, chairman = api(staff.board), api(staff.chairman)
    proposed = board.post("/commendations", body(tree.c1, movement_id=staff.movement.pk))
    assert proposed.status_code == 201, proposed.content
    commendation = proposed.json()
    assert commendation["status"]["code"] == "proposed"
    assert [e["action"] for e in commendation["events"]] == ["propose"]

    edited = board.put(
        f"/commendations/{commendation['id']}", {**body(tree.c1, reason="Lý do mới"), "version": 0}
    )
    assert edited.status_code == 200 and edited.json()["reason"] == "Lý do mới"
    stale = board.put(f"/commendations/{commendation['id']}", {**body(tree.c1), "version": 0})
    assert stale.status_code == 409

    refused = board.post(f"/commendations/{commendation['id']}/decide", {**DECISION, "version": 1})
    assert refused.status_code == 403
    stale = chairman.post(f"/commendations/{commendation['id']}/decide", {**DECISION, "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    decided = chairman.post(f"/commendations/{commendation['id']}/decide", {**DECISION, "version": 1})
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"]["code"], decided.json()["decided_on"]) == ("decided", "2024-03-05")

    pdf = board.get(f"/commendations/{commendation['id']}/certificate")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Phan Văn Khải" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    not_again = chairman.post(f"/commendations/{commendation['id']}/decline", {"version": 2, "note": "Không"})
    assert not_again.status_code == 400 and not_again.json()["code"] == "emulation_transition_not_allowed"
    revoked = chairman.post(
        f"/commendations/{commendation['id']}/revoke", {"version": 2, "reason": "Sai sự thật"}
    )
    assert revoked.status_code == 200 and revoked.json()["status"]["code"] == "revoked"
    assert [e["action"] for e in revoked.json()["events"]] == ["propose", "edit", "decide", "revoke"]
    assert board.get(f"/commendations/{commendation['id']}/certificate").status_code == 404

    other = board.post("/commendations", body(tree.c2)).json()
    declined = chairman.post(
        f"/commendations/{other['id']}/decline", {"version": 0, "note": "Chưa đủ tiêu chuẩn"}
    )
    assert declined.status_code == 200 and declined.json()["status"]["code"] == "declined"


def test_bad_input_is_named_in_the_users_language_and_writes_nothing(tree, staff, api):
    board = api(staff.board)
    before = written()
    response = board.post(
        "/commendations",
        body(tree.c1, level="commune", work_from=None, work_to=None),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "Commune level" in fields["form"][0] and "Province level" in fields["form"][0]
    assert "rewards" in fields
    assert written() == before

    proposed = board.post(
        "/commendations", body(tree.c1, level="district", form="district_pc_certificate")
    ).json()
    late = api(staff.chairman).post(
        f"/commendations/{proposed['id']}/decide",
        {**DECISION, "decided_on": "2025-08-01", "version": 0},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert late.status_code == 400
    assert "District level" in late.json()["fields"]["decided_on"][0]
    assert Commendation.objects.get(pk=proposed["id"]).status == "proposed"


def test_one_decision_for_several_all_or_nothing(tree, staff, api):
    board, chairman = api(staff.board), api(staff.chairman)
    first = board.post("/commendations", body(tree.c1)).json()
    second = board.post("/commendations", body(tree.c2, work_to="2024-12-31")).json()
    before = written()
    refused = chairman.post(
        "/commendations/decide",
        {**DECISION, "commendation_ids": [first["id"], second["id"]]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"commendations.1"}
    assert "31/12/2024" in refused.json()["fields"]["commendations.1"][0]
    assert written() == before

    board.put(f"/commendations/{second['id']}", {**body(tree.c2), "version": 0})
    done = chairman.post(
        "/commendations/decide", {**DECISION, "commendation_ids": [first["id"], second["id"]]}
    )
    assert done.status_code == 200, done.content
    assert [c["status"]["code"] for c in done.json()] == ["decided", "decided"]
    listed = board.get("/commendations", {"decision_number": "88/QĐ-UBND", "decided_on": "2024-03-05"}).json()
    assert {c["id"] for c in listed["items"]} == {first["id"], second["id"]}
    assert listed["count"] == 2


def test_lists_filters_and_scope(tree, staff, api):
    board = api(staff.board)
    person = board.post("/commendations", body(tree.c1, person_name="Lý Thị Ngọc")).json()
    unit = board.post("/commendations", body(tree.n, recipient="collective", person_name="")).json()
    assert {c["id"] for c in board.get("/commendations", {"q": "ly thi ngoc"}).json()["items"]} == {
        person["id"]
    }
    assert {c["id"] for c in board.get("/commendations", {"recipient": "collective"}).json()["items"]} == {
        unit["id"]
    }
    assert {c["id"] for c in board.get("/commendations", {"unit": tree.d1.pk}).json()["items"]} == {
        person["id"]
    }
    paged = board.get("/commendations", {"page_size": 1}).json()
    assert (len(paged["items"]), paged["count"]) == (1, 2)
    outsider = api(staff.outsider)
    assert outsider.get("/commendations").json()["count"] == 0
    assert outsider.get(f"/commendations/{person['id']}").status_code == 404
    assert (
        outsider.post(f"/commendations/{person['id']}/decide", {**DECISION, "version": 0}).status_code == 404
    )


def test_the_decision_scan_is_kept_with_the_commendation(tree, staff, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danvan.core.models import RecordFile
    from tests.petitions.test_uploads import PNG

    board = api(staff.board)
    created = board.post("/commendations", body(tree.c1, movement_id=staff.movement.pk))
    assert created.status_code == 201, created.json()
    commendation_id = created.json()["id"]
    url = f"/api/v1/emulation/commendations/{commendation_id}/files"
    early = board.client.post(url, {"file": SimpleUploadedFile("quyet-dinh.png", PNG)}, **board.headers())
    assert early.status_code == 400 and list(early.json()["fields"]) == ["file"]  # not decided yet
    decided = api(staff.chairman).post(
        f"/commendations/{commendation_id}/decide", {**DECISION, "version": created.json()["version"]}
    )
    assert decided.status_code == 200, decided.json()
    sent = board.client.post(url, {"file": SimpleUploadedFile("quyet-dinh.png", PNG)}, **board.headers())
    assert sent.status_code == 201, sent.json()
    assert sent.json()["name"] == "quyet-dinh.png"
    assert board.client.get(sent.json()["url"], **board.headers()).status_code in (200, 302)
    outsider = api(staff.outsider)
    refused = outsider.client.post(url, {"file": SimpleUploadedFile("x.png", PNG)}, **outsider.headers())
    assert refused.status_code == 404 and RecordFile.objects.count() == 1
