"""The practices API: the list with its filters, a model with its history and the steps the caller
may take, registering, editing at a version (a stale one answers 409), every lifecycle step as a
POST to its verb, replicating, and the criteria sets; the rules come back as field errors in the
caller's language and change nothing."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.core.services import api_token_create
from danvan.practices.criteria import criteria_set_for
from danvan.practices.models import CriteriaSet, PracticeEvent, PracticeModel, Recognition
from tests.practices import conftest as practices_fixtures
from tests.practices.conftest import TODAY, bring_to, register

org = practices_fixtures.org


@pytest.fixture(autouse=True)
def today():
    """The server's clock on TODAY: the API passes timezone.localdate() to the services."""
    moment = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield TODAY


class Caller:
    """One user calling the API with a personal token."""

    def __init__(self, client: Client, user):
        self.client, self.user = client, user
        _token, self.secret = api_token_create(actor=user, name="test")

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", **extra}

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(f"/api/v1/practices{path}", params or {}, **self.headers(**extra))

    def _send(self, method, path: str, body: dict | None, extra: dict):
        return method(
            f"/api/v1/practices{path}",
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


def practice_body(unit, **overrides) -> dict:
    body = {
        "unit_id": unit.pk,
        "kind": "model",
        "name": "Dân vận khéo trong xây dựng nông thôn mới",
        "field": "economy",
        "registered_on": "2026-01-15",
        "address": "Thôn Đông",
        "carried_out_by": "Chi hội Phụ nữ thôn Đông",
        "aims": "Vận động hiến đất làm đường.",
        "expected_results": "2 km đường",
    }
    body.update(overrides)
    return body


def written() -> tuple:
    return (
        list(PracticeModel.objects.order_by("pk").values_list("status", "version", "name")),
        PracticeEvent.objects.count(),
        Recognition.objects.count(),
        CriteriaSet.objects.count(),
    )


def test_anonymous_callers_are_refused(client, org):
    assert client.get("/api/v1/practices/").status_code == 401
    assert client.post("/api/v1/practices/", {}, content_type="application/json").status_code == 401


def test_register_and_read(org, api):
    caller = api(org.n_leader)
    created = caller.post("/", practice_body(org.tree.n))
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"]["code"] == "registered" and data["field"]["code"] == "economy"
    assert data["unit"] == {"id": org.tree.n.pk, "code": org.tree.n.code, "name": org.tree.n.name}
    assert [e["action"] for e in data["events"]] == ["register"]
    assert set(data["actions"]) == {"report", "submit", "withdraw"}
    again = caller.get(f"/{data['id']}").json()
    assert again["id"] == data["id"] and again["version"] == 0
    assert api(org.n_clerk).get(f"/{data['id']}").json()["actions"] == []
    assert api(org.outsider).get(f"/{data['id']}").status_code == 404


def test_register_without_a_field_in_both_languages_writes_nothing(org, api):
    caller = api(org.n_leader)
    before = written()
    en = caller.post("/", practice_body(org.tree.n, field=""), HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    assert en.json()["code"] == "practice_invalid"
    assert en.json()["fields"]["field"] == ["A model must belong to one of the four fields of the movement."]
    vi = caller.post("/", practice_body(org.tree.n, field=""), HTTP_ACCEPT_LANGUAGE="vi")
    assert vi.status_code == 400 and vi.json()["fields"]["field"]
    assert written() == before


def test_register_in_a_unit_out_of_reach(org, api):
    response = api(org.n_leader).post("/", practice_body(org.tree.n2))
    assert response.status_code == 403 and "unit" in response.json()["fields"]


def test_the_list_filters_and_pages(org, api):
    a = register(org.n_leader, org.tree.n)
    b = register(org.n_leader, org.tree.n, name="Tổ tự quản an ninh", field="defence_security")
    c = register(org.n2_leader, org.tree.n2, registered_on=date(2025, 9, 1))
    caller = api(org.province_board)

    def ids(**q):
        return [item["id"] for item in caller.get("/", q).json()["items"]]

    assert ids() == [b.pk, a.pk, c.pk]  # newest registration first (b and a on the same day: newest id)
    assert ids(q="AN NINH") == [b.pk]
    assert ids(field="economy", year=2026) == [a.pk]
    assert ids(unit=org.tree.n2.pk) == [c.pk]
    assert ids(level="none") == [b.pk, a.pk, c.pk]
    page = caller.get("/", {"page": 2, "page_size": 2}).json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (3, [c.pk])
    assert caller.get("/", {"unit": 999999}).status_code == 404


def test_the_list_reads_a_bounded_number_of_queries(org, api):
    caller = api(org.province_board)
    register(org.n_leader, org.tree.n)
    caller.get("/")
    with CaptureQueriesContext(connection) as few:
        caller.get("/")
    for n in range(8):
        bring_to("under_review" if n % 2 else "registered", org)
    with CaptureQueriesContext(connection) as many:
        assert len(caller.get("/").json()["items"]) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_edit_with_version_and_a_stale_one_answers_409(org, api):
    model = register(org.n_leader, org.tree.n)
    caller = api(org.n_leader)
    body = {
        key: value for key, value in practice_body(org.tree.n, name="Tên đã sửa").items() if key != "unit_id"
    }
    ok = caller.put(f"/{model.pk}", {**body, "version": 0})
    assert ok.status_code == 200 and ok.json()["name"] == "Tên đã sửa" and ok.json()["version"] == 1
    before = written()
    stale = caller.put(f"/{model.pk}", {**body, "name": "Tên khác", "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert written() == before
    step = caller.post(f"/{model.pk}/withdraw", {"on": "2026-06-01", "note": "Thôi.", "version": 0})
    assert step.status_code == 409
    assert written() == before


def test_the_whole_lifecycle_through_the_verbs(org, api):
    leader, board = api(org.n_leader), api(org.province_board)
    model_id = leader.post("/", practice_body(org.tree.n)).json()["id"]
    model = PracticeModel.objects.get(pk=model_id)
    assert leader.post(f"/{model_id}/report", {"on": "2026-03-01", "note": "Đã làm 1 km."}).status_code == 200
    submitted = leader.post(f"/{model_id}/submit", {"level": "commune", "on": "2026-09-01"})
    assert submitted.status_code == 200 and submitted.json()["review_level"]["code"] == "commune"
    criteria = list(criteria_set_for(model, TODAY).criteria.all())
    scored = leader.post(
        f"/{model_id}/evaluate",
        {"reviewed_on": "2026-09-10", "scores": [{"criterion_id": c.pk, "points": 15} for c in criteria]},
    ).json()
    assert [(e["total"], e["passed"]) for e in scored["evaluations"]] == [(75, True)]
    assert len(scored["evaluations"][0]["scores"]) == 5
    recognised = leader.post(
        f"/{model_id}/recognise", {"decision_number": "12/QĐ", "decided_on": "2026-09-15"}
    )
    assert recognised.status_code == 200
    data = recognised.json()
    assert (data["status"]["code"], data["level"]["code"], data["recognised_on"]) == (
        "recognised",
        "commune",
        "2026-09-15",
    )
    assert data["recognitions"][0]["decision_number"] == "12/QĐ"
    assert set(data["actions"]) == {"report", "submit", "replicate"}
    replica = board.post(
        f"/{model_id}/replicate", practice_body(org.tree.n2, name="Nhân rộng", registered_on="2026-10-01")
    )
    assert replica.status_code == 201 and replica.json()["replicated_from"] == model_id
    source = board.get(f"/{model_id}").json()
    assert [r["id"] for r in source["replicas"]] == [replica.json()["id"]]
    assert source["events"][-1]["action"] == "replicate"
    # Put up for the province: only the province's board decides.
    leader.post(f"/{model_id}/submit", {"level": "province", "on": "2026-10-01"})
    assert (
        leader.post(f"/{model_id}/not-recognise", {"on": "2026-10-02", "note": "Chưa đạt."}).status_code
        == 403
    )
    refused = board.post(
        f"/{model_id}/not-recognise", {"on": "2026-10-02", "note": "Chưa lan tỏa toàn tỉnh."}
    )
    # Not recognised at province level, it keeps its recognition at commune level.
    assert refused.status_code == 200 and refused.json()["status"]["code"] == "recognised"
    assert refused.json()["level"]["code"] == "commune"
    # A recognised model is not withdrawn.
    withdrawn = leader.post(f"/{model_id}/withdraw", {"on": "2026-10-05", "note": "Dừng."})
    assert withdrawn.status_code == 400 and withdrawn.json()["code"] == "practice_step_not_allowed"


def test_rules_come_back_as_field_errors_and_change_nothing(org, api):
    leader = api(org.n_leader)
    model = register(org.n_leader, org.tree.n, registered_on=date(2025, 8, 1))
    before = written()
    level = leader.post(
        f"/{model.pk}/submit", {"level": "district", "on": "2025-09-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert level.status_code == 400
    assert level.json()["fields"]["level"] == [
        "There was no district-level unit above Xã Khánh Thiện on 01/09/2025 "
        "(the district level ended on 30/06/2025)."
    ]
    wrong_step = leader.post(f"/{model.pk}/recognise", {"decision_number": "1", "decided_on": "2026-01-01"})
    assert wrong_step.status_code == 400 and wrong_step.json()["code"] == "practice_step_not_allowed"
    assert written() == before
    leader.post(f"/{model.pk}/submit", {"level": "commune", "on": "2025-09-01"})
    criteria = list(criteria_set_for(model, TODAY).criteria.all())
    low = [{"criterion_id": c.pk, "points": p} for c, p in zip(criteria, [12, 12, 12, 13, 13], strict=True)]
    bad = leader.post(
        f"/{model.pk}/evaluate",
        {"reviewed_on": "2025-09-10", "scores": low[:4] + [{"criterion_id": criteria[4].pk, "points": 40}]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert bad.json()["fields"][f"scores.{criteria[4].pk}"] == [
        f"Criterion 5 “{criteria[4].text}”: give 0 to 20 points."
    ]
    assert (
        leader.post(f"/{model.pk}/evaluate", {"reviewed_on": "2025-09-10", "scores": low}).status_code == 200
    )
    before = written()
    failed = leader.post(
        f"/{model.pk}/recognise",
        {"decision_number": "1/QĐ", "decided_on": "2025-09-15"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert failed.status_code == 400
    assert (failed.json()["code"], failed.json()["message"]) == (
        "practice_not_passed",
        "It scored 62 points; 70 are needed.",
    )
    assert written() == before


def test_criteria_sets(org, api):
    listed = api(org.n_clerk).get("/criteria-sets").json()
    assert [(s["unit"], s["applies"]["code"]) for s in listed] == [(None, "collective"), (None, "individual")]
    body = {
        "unit_id": org.tree.province.pk,
        "name": "Tiêu chí tỉnh 2026–2030",
        "applies": "collective",
        "first_year": 2026,
        "last_year": 2030,
        "pass_mark": 80,
        "criteria": [{"text": "Sáng tạo", "max_points": 50}, {"text": "Hiệu quả", "max_points": 50}],
    }
    refused = api(org.n_leader).post("/criteria-sets", body)
    assert refused.status_code == 403 and "unit" in refused.json()["fields"]
    created = api(org.province_board).post("/criteria-sets", body)
    assert created.status_code == 201
    assert [c["max_points"] for c in created.json()["criteria"]] == [50, 50]
    overlap = api(org.province_board).post("/criteria-sets", {**body, "first_year": 2030, "last_year": None})
    assert overlap.status_code == 400 and "first_year" in overlap.json()["fields"]
    assert len(api(org.n_clerk).get("/criteria-sets").json()) == 3
    # The province's set is now the one a model of the province is scored against.
    model = bring_to("under_review", org)
    detail = api(org.n_leader).post(
        f"/{model.pk}/evaluate",
        {
            "reviewed_on": "2026-09-10",
            "criteria_set_id": created.json()["id"],
            "scores": [{"criterion_id": c["id"], "points": 45} for c in created.json()["criteria"]],
        },
    )
    assert detail.status_code == 200
    assert detail.json()["evaluations"][0]["criteria_set"] == {
        "id": created.json()["id"],
        "name": "Tiêu chí tỉnh 2026–2030",
        "pass_mark": 80,
    }


def test_evidence_is_uploaded_with_the_model(org, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.petitions.test_uploads import PNG

    leader = api(org.n_leader)
    model_id = leader.post("/", practice_body(org.tree.n)).json()["id"]
    response = leader.client.post(
        f"/api/v1/practices/{model_id}/files",
        {"file": SimpleUploadedFile("anh-hien-truong.png", PNG), "on": "2026-03-02"},
        **leader.headers(),
    )
    assert response.status_code == 200
    files = response.json()["files"]
    assert [(f["name"], f["content_type"]) for f in files] == [("anh-hien-truong.png", "image/png")]
    refused = leader.client.post(
        f"/api/v1/practices/{model_id}/files",
        {"file": SimpleUploadedFile("khong-phai.pdf", b"not a pdf")},
        **leader.headers(),
    )
    assert refused.status_code == 400 and refused.json()["fields"]
