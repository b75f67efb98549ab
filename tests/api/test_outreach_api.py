"""The outreach API: resolutions, activities (create, list with filters, get, update with the
version, a stale one answered with 409), attendance lists (rows, a file upload with the same
validation, clearing), files, the documents issued, and the communes without a dialogue
conference; refusals come back as {"code", "message", "fields"} naming the field (the row), in the
user's language, with nothing written."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from danvan.core.models import RecordFile
from danvan.core.services import api_token_create
from danvan.outreach.models import Activity, Attendee, IssuedDocument, Resolution
from danvan.units.models import Role, RoleScope
from tests.outreach.conftest import TODAY, csv_bytes, record_document, state, xlsx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HEADER = ["Họ và tên", "Đối tượng", "Đơn vị", "Chức vụ"]


@pytest.fixture(autouse=True)
def clock():
    moment = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


class Caller:
    """One user calling the API with a personal token."""

    def __init__(self, client: Client, user):
        self.client, self.user = client, user
        _token, self.secret = api_token_create(actor=user, name="test")

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", **extra}

    def get(self, path: str, params=None, **extra):
        return self.client.get(f"/api/v1/outreach{path}", params or {}, **self.headers(**extra))

    def send(self, method: str, path: str, body: dict, **extra):
        return getattr(self.client, method)(
            f"/api/v1/outreach{path}",
            data=json.dumps(body, cls=DjangoJSONEncoder),
            content_type="application/json",
            **self.headers(**extra),
        )

    def upload(self, path: str, fields: dict, **extra):
        return self.client.post(f"/api/v1/outreach{path}", data=fields, **self.headers(**extra))


@pytest.fixture
def recorder(client, tree, make_user) -> Caller:
    return Caller(client, make_user(Role.COMMITTEE_MEMBER, tree.n, username="recorder"))


@pytest.fixture
def outsider(tree, make_user) -> Caller:
    return Caller(Client(), make_user(Role.COMMITTEE_MEMBER, tree.other_commune, username="outsider"))


def conference(tree, **overrides) -> dict:
    body = {
        "unit_id": tree.n.pk,
        "kind": "conference",
        "title": "Hội nghị quán triệt Kết luận 43-KL/TW",
        "starts_on": "2026-10-15",
        "co_organiser_ids": [tree.agency.pk],
        "resolution_ids": [Resolution.objects.get(number="43-KL/TW").pk],
        "counts": {"cadres": 30, "party_members": 70},
        "participants_total": 100,
    }
    body.update(overrides)
    return body


def test_an_activity_is_created_read_listed_and_updated(recorder, tree):
    created = recorder.send("post", "/activities", conference(tree))
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["unit"] == {"id": tree.n.pk, "name": tree.n.name}
    assert data["co_organisers"] == [{"id": tree.agency.pk, "name": tree.agency.name}]
    assert [(p["category"]["code"], p["count"]) for p in data["participants"]] == [
        ("cadres", 30),
        ("party_members", 70),
    ]
    assert data["version"] == 0 and data["kind"]["code"] == "conference"
    activity_id = data["id"]
    assert recorder.get(f"/activities/{activity_id}").json()["participants_total"] == 100

    page = recorder.get("/activities", {"kind": "conference", "from": "2026-10-01", "q": "ket luan"}).json()
    assert page["count"] == 1 and page["items"][0]["id"] == activity_id
    assert recorder.get("/activities", {"kind": "training"}).json()["count"] == 0
    assert recorder.get("/activities", {"unit": tree.n.pk}).json()["count"] == 1

    updated = recorder.send(
        "put", f"/activities/{activity_id}", {**conference(tree, title="Đã đổi"), "version": 0}
    )
    assert updated.status_code == 200 and updated.json()["version"] == 1
    before = state()
    stale = recorder.send(
        "put", f"/activities/{activity_id}", {**conference(tree, title="Lần nữa"), "version": 0}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert state() == before


@pytest.mark.parametrize(("language", "added"), [("vi", "1.234"), ("en", "1,234")])
def test_errors_name_their_fields_in_the_users_language(recorder, tree, language, added):
    before = state()
    response = recorder.send(
        "post",
        "/activities",
        conference(
            tree,
            counts={"cadres": 1000, "citizens": 234},
            participants_total=1250,
            ends_on="2026-10-01",
            co_organiser_ids=[tree.n.pk],
        ),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "outreach_activity_invalid"
    assert set(body["fields"]) == {"participants_total", "ends_on", "co_organisers"}
    assert added in body["fields"]["participants_total"][0]
    assert state() == before


def test_a_unit_out_of_reach_and_a_record_out_of_reach(recorder, outsider, tree):
    refused = outsider.send("post", "/activities", conference(tree))
    assert refused.status_code == 403 and "unit" in refused.json()["fields"]
    activity_id = recorder.send("post", "/activities", conference(tree)).json()["id"]
    assert outsider.get(f"/activities/{activity_id}").status_code == 404
    assert outsider.get("/activities").json()["count"] == 0
    assert outsider.get("/activities", {"unit": tree.n.pk}).status_code == 404


def test_attendance_rows_then_a_file_then_clearing(recorder, tree):
    activity = recorder.send("post", "/activities", conference(tree)).json()
    path = f"/activities/{activity['id']}/attendance"
    before = state()
    bad = recorder.send(
        "put",
        path,
        {
            "version": 0,
            "rows": [
                {"full_name": "Nguyễn Văn An", "category": "cadres", "organisation": "UBND xã"},
                {"full_name": "Trần Thị Bình", "category": "tourists"},
                {"full_name": "nguyen van an", "category": "Cán bộ", "organisation": "ubnd xa"},
            ],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and state() == before
    assert set(bad.json()["fields"]) == {"attendees.1.category", "attendees.2.full_name"}
    assert bad.json()["fields"]["attendees.2.full_name"] == ["Row 3 repeats row 1: nguyen van an (ubnd xa)."]

    rows = [
        {"full_name": "Nguyễn Văn An", "category": "cadres"},
        {"full_name": "Lê Thị Cúc", "category": "Nhân dân"},
    ]
    saved = recorder.send("put", path, {"version": 0, "rows": rows})
    assert saved.status_code == 200 and saved.json()["from_attendance"] and saved.json()["attendees"] == 2
    listed = recorder.get(path).json()
    assert [(a["position"], a["category"]["code"]) for a in listed] == [(1, "cadres"), (2, "citizens")]

    # The same validation for a file; all or nothing.
    before = state()
    broken = csv_bytes([HEADER, ["Nguyễn Văn An", "Cán bộ", "", ""], ["", "Cán bộ", "", ""]])
    refused = recorder.upload(
        path, {"version": "1", "file": SimpleUploadedFile("ds.csv", broken)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and state() == before
    assert refused.json()["fields"]["file"] == ["Row 3, column “Họ và tên”: the full name is empty."]
    good = xlsx(
        [
            HEADER,
            ["Nguyễn Văn An", "Cán bộ", "", ""],
            ["Trần Văn Bảo", "Đảng viên", "", ""],
            ["Lê Thị Cúc", "Hội viên", "", ""],
        ]
    )
    imported = recorder.upload(path, {"version": "1", "file": SimpleUploadedFile("ds.xlsx", good)})
    assert imported.status_code == 200, imported.json()
    assert imported.json()["participants_total"] == 3 and imported.json()["version"] == 2
    stale = recorder.upload(path, {"version": "1", "file": SimpleUploadedFile("ds.xlsx", good)})
    assert stale.status_code == 409

    # Typed counts are refused while the list is kept; clearing returns to them.
    refused = recorder.send("put", f"/activities/{activity['id']}", {**conference(tree), "version": 2})
    assert refused.status_code == 400 and "participants_total" in refused.json()["fields"]
    cleared = recorder.send("post", f"{path}/clear", {"version": 2})
    assert cleared.status_code == 200 and not cleared.json()["from_attendance"]
    assert cleared.json()["participants_total"] == 3 and Attendee.objects.count() == 0


def test_files_are_uploaded_to_an_activity(recorder, tree):
    activity_id = recorder.send("post", "/activities", conference(tree)).json()["id"]
    path = f"/activities/{activity_id}/files"
    created = recorder.upload(path, {"role": "minutes", "file": SimpleUploadedFile("bien-ban.png", PNG)})
    assert created.status_code == 201 and created.json()["role"] == "minutes"
    refused = recorder.upload(path, {"role": "minutes", "file": SimpleUploadedFile("bien-ban.pdf", PNG)})
    assert refused.status_code == 400 and "files" in refused.json()["fields"]
    refused = recorder.upload(path, {"role": "other", "file": SimpleUploadedFile("a.png", PNG)})
    assert refused.status_code == 400 and "role" in refused.json()["fields"]
    assert RecordFile.objects.count() == 1


def test_documents_are_created_searched_updated_and_unique(recorder, tree):
    body = {
        "unit_id": tree.n.pk,
        "number": "15-KH/ĐU",
        "issued_on": "2026-03-02",
        "doc_type": "plan",
        "title": "Kế hoạch thực hiện Kết luận 43-KL/TW",
        "implements_id": Resolution.objects.get(number="43-KL/TW").pk,
    }
    created = recorder.send("post", "/documents", body)
    assert created.status_code == 201 and created.json()["issuer"] == tree.n.name
    document_id = created.json()["id"]
    duplicate = recorder.send("post", "/documents", body)
    assert duplicate.status_code == 400 and list(duplicate.json()["fields"]) == ["number"]
    assert IssuedDocument.objects.count() == 1
    assert recorder.get("/documents", {"q": "ke hoach 43"}).json()["count"] == 1
    assert recorder.get("/documents", {"year": 2025}).json()["count"] == 0
    assert (
        recorder.get("/documents", {"type": "plan", "unit": tree.province.pk}).status_code == 404
    )  # out of scope

    activity = recorder.send("post", "/activities", conference(tree, document_ids=[document_id])).json()
    detail = recorder.get(f"/documents/{document_id}").json()
    assert [a["id"] for a in detail["activities"]] == [activity["id"]]
    too_late = recorder.send(
        "put", f"/documents/{document_id}", {**body, "issued_on": "2026-10-20", "version": 0}
    )
    assert too_late.status_code == 400 and "issued_on" in too_late.json()["fields"]
    updated = recorder.send(
        "put", f"/documents/{document_id}", {**body, "title": "Kế hoạch (sửa)", "version": 0}
    )
    assert updated.status_code == 200 and updated.json()["version"] == 1
    assert recorder.send("put", f"/documents/{document_id}", {**body, "version": 0}).status_code == 409
    uploaded = recorder.upload(f"/documents/{document_id}/files", {"file": SimpleUploadedFile("vb.png", PNG)})
    assert uploaded.status_code == 201


def test_a_document_issued_after_the_activity_is_refused(recorder, tree):
    document = record_document(recorder.user, tree.n, issued_on=date(2026, 10, 20))
    response = recorder.send("post", "/activities", conference(tree, document_ids=[document.pk]))
    assert response.status_code == 400 and list(response.json()["fields"]) == ["documents"]
    assert Activity.objects.count() == 0


def test_resolutions_and_dialogue_missing(recorder, tree, make_user):
    resolutions = recorder.get("/resolutions").json()
    assert "25-NQ/TW" in {r["number"] for r in resolutions}
    supervisor = Caller(Client(), make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="sup"))
    missing = supervisor.get("/dialogue-missing").json()
    assert (missing["year"], missing["on"], missing["count"]) == (2026, TODAY.isoformat(), 2)
    recorder.send("post", "/activities", conference(tree, kind="dialogue", title="Đối thoại"))
    missing = supervisor.get("/dialogue-missing", {"year": 2026}).json()
    assert [c["id"] for c in missing["communes"]] == [tree.n2.pk]
    past = supervisor.get("/dialogue-missing", {"year": 2024}).json()
    assert past["on"] == "2024-12-31" and {c["id"] for c in past["communes"]} == {
        tree.c1.pk,
        tree.c2.pk,
        tree.c3.pk,
    }
    assert supervisor.get("/dialogue-missing", {"year": 0}).status_code == 422


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/outreach/activities").status_code == 401
