"""The import API: record types with their columns; a batch uploaded (preview), listed, read,
mapped again, committed (409 on a stale version, 400 while it has problems) and rolled back; the
template and the export. A bad file is a 400 on "file", never a 500; a batch of another province
is not found."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from danvan.core.models import ImportBatch, ImportBatchStatus
from danvan.core.services import api_token_create
from danvan.outreach.models import IssuedDocument
from tests.imports import test_views
from tests.imports.test_views import BAD, GOOD, ODD_HEADER, Imports

pytestmark = pytest.mark.django_db
# The fixtures of the page tests: the tree, the users, the media directory.
imp = test_views.imp
media = test_views.media
BASE = "/api/v1/imports"


class Caller:
    """One user calling the API with a personal token, in English."""

    def __init__(self, user):
        self.client = Client()
        _token, self.secret = api_token_create(actor=user, name="test")

    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def get(self, path: str, params=None):
        return self.client.get(f"{BASE}{path}", params or {}, **self.headers())

    def post(self, path: str, body: dict):
        return self.client.post(
            f"{BASE}{path}", data=json.dumps(body), content_type="application/json", **self.headers()
        )

    def upload(self, text: str | bytes, name: str = "van-ban.csv", **fields):
        data = text.encode() if isinstance(text, str) else text
        payload = {"file": SimpleUploadedFile(name, data), "record_type": "documents_issued", **fields}
        return self.client.post(f"{BASE}/batches", data=payload, **self.headers())


@pytest.fixture
def recorder(imp: Imports) -> Caller:
    return Caller(imp.recorder)


def test_types_list_every_record_type_with_its_columns(recorder):
    response = recorder.get("/types")
    assert response.status_code == 200
    types = {t["code"]: t for t in response.json()}
    documents = types["documents_issued"]
    assert documents["action"] == "outreach.record"
    columns = {c["key"]: c for c in documents["columns"]}
    assert columns["number"]["required"] and columns["number"]["label"] == "Document number"
    assert {"code": "plan", "label": "Plan"} in columns["doc_type"]["choices"]


def test_upload_previews_and_a_bad_row_blocks_the_commit(recorder):
    response = recorder.upload(BAD)
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["status"]["code"] == "previewed"
    assert (batch["rows"], batch["to_create"], batch["problems"]) == (2, 1, 1)
    problem = batch["problem_list"][0]
    assert (problem["row"], problem["column"], problem["header"]) == (3, "C", "Date issued")
    response = recorder.post(f"/batches/{batch['id']}/commit", {"version": batch["version"]})
    assert response.status_code == 400
    assert response.json()["code"] == "import.has_problems"
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.csv", b""),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("broken.xls", b"\xd0\xcf\x11\xe0" + b"\x01" * 300),
        ("table.ods", b"PK\x03\x04 not really a zip"),
        ("title-only.csv", "Danh sách văn bản\n".encode()),
    ],
)
def test_a_bad_file_is_a_400_on_file(recorder, name, data):
    response = recorder.upload(data, name)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] and body["message"]
    assert "file" in body["fields"] or "record_type" in body["fields"], body
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(recorder, settings):
    settings.DANVAN_IMPORT_MAX_MB = 1  # stands for the 50 MB of a server: a 100 MB file the same way
    big = GOOD.encode() + b"x" * (1024 * 1024)
    with translation.override("en"):
        response = recorder.upload(big, "so-lon.csv")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import.too_large"
    assert body["fields"]["file"] == [
        "so-lon.csv is 1.0 MB; files for import may be at most 1 MB. Split it into several files, or "
        "import it on the server with the command line."
    ]
    assert not ImportBatch.objects.exists()


def test_unknown_type_is_a_400_on_record_type(recorder):
    response = recorder.upload(GOOD, record_type="nonsense")
    assert response.status_code == 400
    assert "record_type" in response.json()["fields"]


def test_list_read_commit_and_roll_back(recorder, imp):
    batch = recorder.upload(GOOD).json()
    listed = recorder.get("/batches").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == batch["id"]
    assert recorder.get("/batches", {"status": "committed"}).json()["count"] == 0
    detail = recorder.get(f"/batches/{batch['id']}").json()
    assert [c["field"] for c in detail["columns"]] == ["unit", "number", "issued_on", "doc_type", "title"]

    stale = recorder.post(f"/batches/{batch['id']}/commit", {"version": batch["version"] + 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_edit"
    done = recorder.post(f"/batches/{batch['id']}/commit", {"version": batch["version"]})
    assert done.status_code == 200, done.content
    done = done.json()
    assert done["status"]["code"] == "committed" and done["created"] == 2
    assert IssuedDocument.objects.filter(import_batch_id=batch["id"]).count() == 2

    stale = recorder.post(f"/batches/{batch['id']}/rollback", {"version": batch["version"]})
    assert stale.status_code == 409
    back = recorder.post(f"/batches/{batch['id']}/rollback", {"version": done["version"]})
    assert back.status_code == 200, back.content
    assert back.json()["status"]["code"] == "rolled_back"
    assert not IssuedDocument.objects.exists()
    again = recorder.post(f"/batches/{batch['id']}/rollback", {"version": back.json()["version"]})
    assert again.status_code == 400 and again.json()["code"] == "import.not_committed"


def test_mapping_maps_an_unknown_header(recorder):
    batch = recorder.upload(ODD_HEADER).json()
    assert batch["unknown"] == ["Cột thứ hai"] and batch["missing"] == ["Document number"]
    mapping = {"Cột thứ hai": "number"}
    bad = recorder.post(
        f"/batches/{batch['id']}/mapping", {"version": batch["version"], "mapping": {"x": "y"}}
    )
    assert bad.status_code == 400 and "mapping" in bad.json()["fields"]
    stale = recorder.post(f"/batches/{batch['id']}/mapping", {"version": 99, "mapping": mapping})
    assert stale.status_code == 409
    done = recorder.post(f"/batches/{batch['id']}/mapping", {"version": batch["version"], "mapping": mapping})
    assert done.status_code == 200, done.content
    assert (done.json()["problems"], done.json()["to_create"]) == (0, 1)


def test_a_batch_of_another_province_is_not_found(recorder, imp):
    batch = recorder.upload(GOOD).json()
    outsider = Caller(imp.outsider)
    assert outsider.get(f"/batches/{batch['id']}").status_code == 404
    assert outsider.post(f"/batches/{batch['id']}/commit", {"version": batch["version"]}).status_code == 404
    assert outsider.get("/batches").json()["count"] == 0
    assert ImportBatch.objects.get().status == ImportBatchStatus.PREVIEWED


def test_template_and_export(recorder, imp):
    response = recorder.get("/template", {"type": "documents_issued", "lang": "en"})
    assert response.status_code == 200
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert "Document number" in headers
    assert recorder.get("/template", {"type": "nonsense"}).status_code == 400

    batch = recorder.upload(GOOD).json()
    recorder.post(f"/batches/{batch['id']}/commit", {"version": batch["version"]})
    query = {
        "type": "documents_issued",
        "unit": imp.tree.province.pk,
        "from": "2014-01-01",
        "to": "2014-12-31",
        "format": "csv",
    }
    response = recorder.get("/export", query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "15-KH/TU" in text and "16-KH/TU" in text
    assert recorder.get("/export", {**query, "format": "pdf"}).status_code == 400
    assert recorder.get("/export", {**query, "from": "2015-01-01"}).status_code == 400
    assert recorder.get("/export", {**query, "unit": imp.other.pk}).status_code == 404


def test_anonymous_calls_are_refused(imp):
    assert Client().get(f"{BASE}/batches").status_code == 401
