"""The reception API: places, duties, sessions and their steps, visits with the petitions made of
them, the look-up, answers owed, conclusions, the book, compliance and the figures; the rules the
services enforce come back as field errors that change nothing, in the user's language; and a
protected visitor's identity is in no answer but the logged identity POST."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from danvan.core import indicators
from danvan.core.errors import StaleEdit
from danvan.core.models import AuditEvent
from danvan.core.services import api_token_create
from danvan.core.text import fold
from danvan.petitions import services as petition_services
from danvan.petitions.models import Case, Petition, Petitioner
from danvan.reception import services
from danvan.reception.models import (
    Conclusion,
    Counter,
    Directive,
    Duty,
    Place,
    Session,
    SessionKind,
    SessionStatus,
    Visit,
    Visitor,
)
from danvan.units.models import Role
from tests.reception import conftest as reception_fixtures
from tests.reception.conftest import PLANTED_ID, PLANTED_NAME, TODAY

# The fixtures of the reception tests, used here as they are.
desk = reception_fixtures.desk
regular = reception_fixtures.regular
head_session = reception_fixtures.head_session
record_visit = reception_fixtures.record_visit

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PLANTED_ADDRESS = "Xóm Kín Đáo, xã Khánh Thiện"
PLANTED_PHONE = "0987654321"
DENUNCIATION = "Tố cáo cán bộ địa chính xã nhận tiền để hợp thức hóa đất lấn chiếm ven sông."


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def today():
    """The server's clock on TODAY (a Friday): the API passes timezone.localdate() to the services."""
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
        return self.client.get(f"/api/v1/reception{path}", **self.headers(**extra))

    def _send(self, method, path: str, body: dict | None, extra: dict):
        return method(
            f"/api/v1/reception{path}",
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


def visit_body(session: Session | None, **overrides) -> dict:
    """A valid visit of one person with one complaint, as JSON; override any field."""
    body = {
        "session_id": session.pk if session is not None else None,
        "parts": [
            {
                "kind": "complaint",
                "field": "land",
                "content": "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
            }
        ],
        "visitors": [{"name": "Nguyễn Văn An", "id_number": "037090001234", "address": "Thôn Đông"}],
        "outcome": "accepted",
    }
    body.update(overrides)
    return body


def written() -> tuple:
    """Every table a visit, a session or a conclusion writes to."""
    return (
        Session.objects.count(),
        Visit.objects.count(),
        Visitor.objects.count(),
        Petition.objects.count(),
        Case.objects.count(),
        Conclusion.objects.count(),
        Directive.objects.count(),
        list(Counter.objects.values_list("unit_id", "year", "last")),
        AuditEvent.objects.count(),
    )


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


# ---- the schema -----------------------------------------------------------------------------


def test_openapi_lists_the_reception_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/reception/places",
        "/api/v1/reception/places/{place_id}",
        "/api/v1/reception/duties/{duty_id}",
        "/api/v1/reception/sessions",
        "/api/v1/reception/sessions/open-regular",
        "/api/v1/reception/sessions/{session_id}/publish",
        "/api/v1/reception/sessions/{session_id}/hold",
        "/api/v1/reception/sessions/{session_id}/cancel",
        "/api/v1/reception/sessions/{session_id}/conclusions",
        "/api/v1/reception/directives/{directive_id}/done",
        "/api/v1/reception/people",
        "/api/v1/reception/visits",
        "/api/v1/reception/visits/{visit_id}",
        "/api/v1/reception/visits/{visit_id}/answer",
        "/api/v1/reception/visits/{visit_id}/identity",
        "/api/v1/reception/answers-due",
        "/api/v1/reception/book",
        "/api/v1/reception/book.xlsx",
        "/api/v1/reception/book.pdf",
        "/api/v1/reception/compliance",
        "/api/v1/reception/indicators",
    ):
        assert path in paths, path
    names = [p["name"] for p in paths["/api/v1/reception/sessions"]["get"]["parameters"]]
    assert {"unit", "from", "to", "kind", "status", "page", "page_size"} <= set(names)


# ---- places and duties ----------------------------------------------------------------------


def test_places_the_head_declares_and_a_clerk_cannot(desk, api):
    body = {"unit_id": desk.unit.pk, "name": "Phòng tiếp công dân xã", "address": "UBND xã Khánh Thiện"}
    refused = api(desk.clerk).post("/places", body)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert refused.json()["message"] == "Bạn không có quyền thực hiện thao tác này."
    assert not Place.objects.exists()

    created = api(desk.leader).post("/places", {**body, "regular_hours": "Thứ Hai đến thứ Sáu"})
    assert created.status_code == 201, created.content
    place = created.json()
    assert place["unit"] == {"id": desk.unit.pk, "name": desk.unit.name} and place["version"] == 0
    assert place["regular_hours"] == "Thứ Hai đến thứ Sáu" and place["active"]

    listed = api(desk.clerk).get(f"/places?unit={desk.unit.pk}").json()
    assert [p["id"] for p in listed] == [place["id"]]
    assert api(desk.outsider).get("/places").json() == []

    update = {"version": 0, "name": "Trụ sở tiếp công dân", "address": "Số 1 đường Trần Hưng Đạo"}
    updated = api(desk.leader).put(f"/places/{place['id']}", {**update, "active": False})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["name"], updated.json()["version"], updated.json()["active"]) == (
        "Trụ sở tiếp công dân",
        1,
        False,
    )
    stale = api(desk.leader).put(f"/places/{place['id']}", {**update, "name": "Tên khác"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert Place.objects.get().name == "Trụ sở tiếp công dân"
    empty = api(desk.leader).put(f"/places/{place['id']}", {"version": 1, "name": " ", "address": ""})
    assert empty.status_code == 400 and {"name", "address"} <= set(empty.json()["fields"])
    assert api(desk.outsider).put(f"/places/{place['id']}", {**update, "version": 1}).status_code == 404
    assert Place.objects.get().version == 1


def test_duties_list_create_update(desk, api):
    leader = api(desk.leader)
    listed = leader.get(f"/duties?unit={desk.unit.pk}").json()
    assert [d["id"] for d in listed] == [desk.duty.pk]
    assert listed[0]["position"]["code"] == "pc_chairman" and listed[0]["holder_name"] == "Trần Văn Chủ"
    body = {
        "unit_id": desk.unit.pk,
        "position": "party_secretary",
        "holder_name": "Lê Thị Bí Thư",
        "valid_from": "2025-07-01",
    }
    created = leader.post("/duties", body)
    assert created.status_code == 201, created.content
    duty = created.json()
    assert duty["position"]["code"] == "party_secretary" and duty["valid_to"] is None
    assert {d["id"] for d in leader.get("/duties?on=2026-11-27").json()} == {desk.duty.pk, duty["id"]}
    assert api(desk.clerk).post("/duties", body).status_code == 403

    ended = leader.put(f"/duties/{duty['id']}", {**body, "version": 0, "valid_to": "2026-06-30"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["valid_to"] == "2026-06-30" and ended.json()["version"] == 1
    assert [d["id"] for d in leader.get("/duties?on=2026-11-27").json()] == [desk.duty.pk]
    stale = leader.put(f"/duties/{duty['id']}", {**body, "version": 0})
    assert stale.status_code == 409
    bad = leader.put(f"/duties/{duty['id']}", {**body, "version": 1, "position": "king"})
    assert bad.status_code == 400 and bad.json()["fields"]["position"] == [
        vi("Choose a position from the list.")
    ]
    before_unit = leader.post("/duties", {**body, "valid_from": "2025-01-01"})
    assert before_unit.status_code == 400 and "valid_from" in before_unit.json()["fields"]
    assert Duty.objects.count() == 2 and Duty.objects.get(pk=duty["id"]).version == 1


# ---- sessions -------------------------------------------------------------------------------


def test_a_head_session_scheduled_published_and_held(desk, api):
    clerk = api(desk.clerk)
    day = TODAY + timedelta(days=14)  # Friday 11/12/2026
    created = clerk.post(
        "/sessions",
        {
            "unit_id": desk.unit.pk,
            "kind": "periodic",
            "day": day.isoformat(),
            "duty_id": desk.duty.pk,
            "starts_at": "07:30",
            "ends_at": "11:00",
            "expected_content": "Tiếp công dân định kỳ tháng 12",
        },
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["status"]["code"] == "scheduled" and session["kind"]["code"] == "periodic"
    assert session["duty"]["id"] == desk.duty.pk and session["starts_at"] == "07:30:00"
    assert session["warnings"] == [] and session["conclusions"] == [] and session["version"] == 0

    published = clerk.post(f"/sessions/{session['id']}/publish", {"version": 0})
    assert published.status_code == 200, published.content
    assert published.json()["published_on"] == TODAY.isoformat() and published.json()["warnings"] == []
    stale = clerk.post(f"/sessions/{session['id']}/publish", {"version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert stale.json()["message"] == vi(str(StaleEdit.default_message))
    future = clerk.post(f"/sessions/{session['id']}/hold", {"version": 1, "presider": "head"})
    assert future.status_code == 400 and future.json()["code"] == "date_in_future"
    assert Session.objects.get(pk=session["id"]).status == SessionStatus.SCHEDULED

    with time_machine.travel(at(day), tick=False):
        held = clerk.post(
            f"/sessions/{session['id']}/hold",
            {
                "version": 1,
                "presider": "authorised",
                "presider_name": "Phạm Văn Phó",
                "authorisation": "12/GUQ",
            },
        )
        assert held.status_code == 200, held.content
        body = held.json()
        assert body["status"]["code"] == "held" and body["presider"]["code"] == "authorised"
        assert body["presider_name"] == "Phạm Văn Phó" and body["version"] == 2
        [warning] = body["warnings"]  # from 1 July 2026 the head may no longer authorise a deputy
        assert "01/07/2026" in warning

    detail = api(desk.committee).get(f"/sessions/{session['id']}")
    assert detail.status_code == 200 and detail.json()["status"]["code"] == "held"
    assert api(desk.outsider).get(f"/sessions/{session['id']}").status_code == 404


def test_a_late_schedule_is_warned_and_a_cancel_needs_a_reason(desk, api):
    clerk = api(desk.clerk)
    body = {"unit_id": desk.unit.pk, "kind": "periodic", "day": "2026-12-01", "duty_id": desk.duty.pk}
    created = clerk.post("/sessions", body, HTTP_ACCEPT_LANGUAGE="en")
    assert created.status_code == 201, created.content
    session = created.json()
    # Tuesday 1/12 had to be posted five working days before, so before today (Friday 27/11).
    [warning] = session["warnings"]
    assert "5 working days" in warning
    assert clerk.get(f"/sessions/{session['id']}", HTTP_ACCEPT_LANGUAGE="en").json()["warnings"] == [warning]
    no_reason = clerk.post(f"/sessions/{session['id']}/cancel", {"version": 0, "reason": " "})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    cancelled = clerk.post(
        f"/sessions/{session['id']}/cancel", {"version": 0, "reason": "Lãnh đạo đi công tác"}
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"]["code"] == "cancelled" and cancelled.json()["warnings"] == []
    again = clerk.post(f"/sessions/{session['id']}/cancel", {"version": 1, "reason": "Lần nữa"})
    assert again.status_code == 400 and again.json()["code"] == "session_not_scheduled"
    assert api(desk.outsider).post(f"/sessions/{session['id']}/cancel", {"version": 1}).status_code == 404


def test_session_list_filters_and_pages(desk, regular, head_session, api):
    clerk = api(desk.clerk)
    scheduled = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk, kind=SessionKind.PERIODIC, day=date(2026, 12, 14), duty_id=desk.duty.pk
        ),
        today=TODAY,
    ).session
    everything = clerk.get("/sessions").json()
    assert everything["count"] == 3 and everything["page"] == 1 and everything["page_size"] == 25
    assert [s["id"] for s in everything["items"]] == [scheduled.pk, head_session.pk, regular.pk]
    assert everything["items"][2]["visit_count"] == 0

    def ids(query: str) -> list[int]:
        response = clerk.get(f"/sessions?{query}")
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["items"]]

    assert ids("kind=regular") == [regular.pk]
    assert ids("status=scheduled") == [scheduled.pk]
    assert ids(f"unit={desk.unit.pk}&from=2026-11-27&to=2026-11-27") == [head_session.pk, regular.pk]
    assert ids("from=2026-12-01") == [scheduled.pk]
    assert ids("page=2&page_size=2") == [regular.pk]
    assert clerk.get("/sessions?page_size=101").status_code == 422
    bad_day = clerk.get("/sessions?from=31-02-2026")
    assert bad_day.status_code == 422 and "from" in bad_day.json()["fields"]
    assert api(desk.outsider).get("/sessions").json()["count"] == 0


def test_session_list_query_count_does_not_grow_with_the_page(desk, api, django_assert_max_num_queries):
    clerk = api(desk.clerk)
    for n in range(12):
        services.session_create(
            actor=desk.clerk,
            data=services.SessionInput(
                unit_id=desk.unit.pk, kind=SessionKind.REGULAR, day=TODAY - timedelta(n)
            ),
            today=TODAY,
        )
    clerk.get("/sessions")
    with CaptureQueriesContext(connection) as two:
        assert len(clerk.get("/sessions?page_size=2").json()["items"]) == 2
    with CaptureQueriesContext(connection) as twelve:
        assert len(clerk.get("/sessions?page_size=12").json()["items"]) == 12
    assert len(twelve) == len(two)


def test_open_regular_finds_todays_session_again(desk, api):
    clerk = api(desk.clerk)
    opened = clerk.post("/sessions/open-regular", {"unit_id": desk.unit.pk})
    assert opened.status_code == 200, opened.content
    body = opened.json()
    assert (
        body["kind"]["code"] == "regular" and body["status"]["code"] == "held" and body["day"] == "2026-11-27"
    )
    assert body["presider"]["code"] == "staff"
    again = clerk.post("/sessions/open-regular", {"unit_id": desk.unit.pk})
    assert again.json()["id"] == body["id"] and Session.objects.count() == 1
    future = clerk.post("/sessions/open-regular", {"unit_id": desk.unit.pk, "day": "2026-11-30"})
    assert future.status_code == 400 and "day" in future.json()["fields"]
    assert api(desk.outsider).post("/sessions/open-regular", {"unit_id": desk.unit.pk}).status_code == 403
    assert api(desk.committee).post("/sessions/open-regular", {"unit_id": desk.unit.pk}).status_code == 403
    assert Session.objects.count() == 1


def test_a_session_on_a_day_the_unit_did_not_exist_writes_nothing(desk, api):
    api(desk.clerk)  # the token first: it is audited too
    before = written()
    # The commune was formed by the merger of 1 July 2025.
    body = {"unit_id": desk.unit.pk, "kind": "regular", "day": "2025-06-30", "held": True}
    response = api(desk.clerk).post("/sessions", body)
    assert response.status_code == 400
    assert response.json()["code"] == "reception_invalid"
    assert response.json()["fields"]["day"] == [vi("The unit did not exist on this day.")]
    assert response.json()["message"] == vi("Check the fields marked below.")
    english = api(desk.clerk).post("/sessions", body, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["fields"]["day"] == ["The unit did not exist on this day."]
    assert english.json()["message"] == "Check the fields marked below."
    bad_kind = api(desk.clerk).post("/sessions", {**body, "day": "2026-11-27", "kind": "weekly"})
    assert bad_kind.status_code == 400 and bad_kind.json()["fields"]["kind"] == [
        vi("Choose a kind of reception from the list.")
    ]
    no_duty = api(desk.clerk).post("/sessions", {**body, "day": "2026-11-27", "kind": "ad_hoc"})
    assert {"duty", "trigger", "presider"} <= set(no_duty.json()["fields"])
    assert written() == before


# ---- visits ---------------------------------------------------------------------------------


def test_a_visit_with_two_petitions_answers_the_receipts_once(desk, regular, api):
    body = visit_body(
        regular,
        parts=[
            {"kind": "complaint", "field": "land", "content": "Khiếu nại quyết định thu hồi đất thôn Đông."},
            {"kind": "recommendation", "field": "policy", "content": "Kiến nghị sửa đường liên thôn."},
        ],
        make_petitions=True,
        requests="Đề nghị xem xét lại mức bồi thường",
    )
    response = api(desk.clerk).post("/visits", body)
    assert response.status_code == 201, response.content
    created = response.json()
    visit = created["visit"]
    assert visit["book_number"] == "1/2026" and visit["outcome"]["code"] == "accepted"
    assert [k["code"] for k in visit["kinds"]] == ["complaint", "recommendation"]
    assert visit["answer_due"] == "2026-12-11" and not visit["overdue"] and visit["version"] == 0
    assert visit["session"] == {"id": regular.pk, "kind": visit["session"]["kind"], "day": "2026-11-27"}
    assert visit["visitors"][0]["name"] == "Nguyễn Văn An" and not visit["visitors"][0]["masked"]
    assert visit["received_by"]["username"] == "clerk" and visit["requests"].startswith("Đề nghị")
    assert isinstance(created["warnings"], list)
    petitions = created["petitions"]
    assert [p["kind"]["code"] for p in petitions] == ["complaint", "recommendation"]
    for item in petitions:
        petition = Petition.objects.get(pk=item["id"])
        assert item["receipt_number"] == petition.receipt_number and item["receipt_number"]
        assert item["tracking_code"] == petition.tracking_code and item["tracking_code"].startswith("DV")
        assert petition.secret_digest == petition_services.secret_digest(item["secret"])
        assert petition.channel == "in_person" and item["received_on"] == "2026-11-27"
        assert item["status"]["code"] == "received" and item["due_date"] == petition.due_date.isoformat()
    assert {p["id"] for p in visit["petitions"]} == {p["id"] for p in petitions}

    detail = api(desk.handler).get(f"/visits/{visit['id']}")
    assert detail.status_code == 200, detail.content
    assert not any(p["secret"] in detail.content.decode() for p in petitions)  # shown once
    assert detail.json()["content"] == visit["content"] and detail.json()["case_id"] == visit["case_id"]
    listed = api(desk.handler).get("/visits").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == visit["id"]
    assert "visitors" not in listed["items"][0]
    assert api(desk.handler).get("/visits?q=THON%20DONG").json()["count"] == 1
    assert api(desk.handler).get("/visits?q=cau%20cong").json()["count"] == 0
    assert (
        api(desk.handler).get(f"/visits?session={regular.pk}&from=2026-11-27&to=2026-11-27").json()["count"]
        == 1
    )
    assert api(desk.outsider).get(f"/visits/{visit['id']}").status_code == 404
    assert api(desk.outsider).get("/visits").json()["count"] == 0


def test_a_repeated_visit_joins_the_case(desk, regular, head_session, record_visit, api):
    first = record_visit(regular).visit
    again = api(desk.clerk).post("/visits", visit_body(head_session, repeat_of_visit_id=first.pk))
    assert again.status_code == 201, again.content
    visit = again.json()["visit"]
    assert visit["is_repeat"] and visit["case_id"] == first.case_id
    assert visit["repeat_of"] == {"id": first.pk, "book_number": first.book_number}
    assert visit["presider"]["code"] == "head"


def test_visit_list_query_count_does_not_grow_with_the_page(desk, regular, record_visit, api):
    for n in range(12):
        record_visit(regular, make_petitions=n % 2 == 0)
    handler = api(desk.handler)
    handler.get("/visits")
    with CaptureQueriesContext(connection) as two:
        assert len(handler.get("/visits?page_size=2").json()["items"]) == 2
    with CaptureQueriesContext(connection) as twelve:
        assert len(handler.get("/visits?page_size=12").json()["items"]) == 12
    assert len(twelve) == len(two)
    with CaptureQueriesContext(connection) as due:
        assert handler.get("/answers-due").json()["count"] == 12
    assert len(due) == len(two)


BAD_VISITS = {
    "no session": ({"session_id": None}, "visit_outside_session", "session"),
    "a crowd of three": ({"crowd": True, "people_count": 3}, "reception_invalid", "crowd"),
    "a denunciation answered on the spot": (
        {
            "parts": [{"kind": "denunciation", "field": "civil_service", "content": DENUNCIATION}],
            "outcome": "answered",
        },
        "reception_invalid",
        "outcome",
    ),
    "a refusal without its ground": ({"outcome": "refused"}, "reception_invalid", "refusal_ground"),
    "an outcome not in the list": ({"outcome": "ignored"}, "reception_invalid", "outcome"),
    "a kind not in the list": (
        {"parts": [{"kind": "gossip", "field": "land", "content": "Chuyện làng xóm."}]},
        "reception_invalid",
        "parts.0.kind",
    ),
    "a bad ID number": (
        {"visitors": [{"name": "Nguyễn Văn An", "id_number": "12345"}]},
        "reception_invalid",
        "visitors.0.id_number",
    ),
}


@pytest.mark.parametrize("case", list(BAD_VISITS))
def test_a_bad_visit_names_the_field_and_writes_nothing(case, desk, regular, api):
    overrides, code, field = BAD_VISITS[case]
    api(desk.clerk)
    before = written()
    response = api(desk.clerk).post("/visits", visit_body(regular, make_petitions=True, **overrides))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert field in response.json()["fields"], response.json()
    assert written() == before


def test_a_visit_in_a_session_not_held_is_refused(desk, api):
    scheduled = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk, kind=SessionKind.PERIODIC, day=TODAY, duty_id=desk.duty.pk
        ),
        today=TODAY,
    ).session
    api(desk.clerk), api(desk.outsider)
    before = written()
    response = api(desk.clerk).post("/visits", visit_body(scheduled))
    assert response.status_code == 400 and response.json()["code"] == "visit_outside_session"
    assert response.json()["fields"]["session"] == [
        vi("This session has not been opened or was cancelled: a visit cannot be recorded in it.")
    ]
    assert written() == before
    # Another province's clerk cannot see the session at all.
    outsider = api(desk.outsider).post("/visits", visit_body(scheduled))
    assert outsider.status_code == 400 and outsider.json()["code"] == "visit_outside_session"
    assert written() == before


def test_the_law_on_crowds_and_outcomes_speaks_vietnamese_then_english(desk, regular, make_user, api):
    crowd = visit_body(regular, crowd=True, people_count=3)
    response = api(desk.clerk).post("/visits", crowd)
    message = "A crowd is five or more people with the same content (Art 29)."
    assert response.json()["fields"]["crowd"] == [vi(message)] != [message]
    assert api(desk.clerk).post("/visits", crowd, HTTP_ACCEPT_LANGUAGE="en").json()["fields"]["crowd"] == [
        message
    ]

    denunciation = visit_body(
        regular,
        parts=[{"kind": "denunciation", "field": "civil_service", "content": DENUNCIATION}],
        outcome="answered",
    )
    vi_outcome = api(desk.clerk).post("/visits", denunciation).json()["fields"]["outcome"][0]
    en_outcome = (
        api(desk.clerk)
        .post("/visits", denunciation, HTTP_ACCEPT_LANGUAGE="en")
        .json()["fields"]["outcome"][0]
    )
    assert (
        en_outcome == "“Answered on the spot” is not an outcome the law allows for a denunciation (Art 26)."
    )
    assert vi_outcome != en_outcome and "26" in vi_outcome

    # A user who chose English gets English in the browser session, whatever the browser asks.
    english_user = make_user(Role.CLERK, desk.unit, username="english-clerk", language="en")
    browser = Client()
    browser.force_login(english_user)
    refused = browser.post(
        "/api/v1/reception/visits",
        data=json.dumps(visit_body(regular, outcome="refused")),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["refusal_ground"] == ["A refusal states its legal ground (Art 9)."]
    assert refused.json()["message"] == "Check the fields marked below."
    assert not Visit.objects.exists()


def test_the_answer_owed_to_the_citizen(desk, regular, record_visit, api):
    owed = record_visit(regular).visit
    record_visit(regular, outcome="answered", outcome_note="Đã giải thích chính sách")
    clerk = api(desk.clerk)
    due = clerk.get("/answers-due").json()
    assert [v["id"] for v in due["items"]] == [owed.pk] and due["count"] == 1
    assert due["items"][0]["answer_due"] == "2026-12-11"
    with time_machine.travel(at(date(2026, 12, 14)), tick=False):
        assert clerk.get(f"/answers-due?unit={desk.unit.pk}").json()["items"][0]["overdue"]

    bad = clerk.post(f"/visits/{owed.pk}/answer", {"version": 0, "answer_kind": "maybe"})
    assert bad.status_code == 400 and "answer_kind" in bad.json()["fields"]
    answered = clerk.post(
        f"/visits/{owed.pk}/answer", {"version": 0, "answer_kind": "accepted", "follow_up": "Đã thụ lý"}
    )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["answered_on"] == "2026-11-27" and body["answer_kind"]["code"] == "accepted"
    assert body["follow_up"] == "Đã thụ lý" and body["version"] == 1
    assert clerk.get("/answers-due").json()["count"] == 0
    stale = clerk.post(f"/visits/{owed.pk}/answer", {"version": 0, "answer_kind": "transferred"})
    assert stale.status_code == 409
    assert Visit.objects.get(pk=owed.pk).answer_kind == "accepted"
    assert api(desk.outsider).post(f"/visits/{owed.pk}/answer", {"version": 1}).status_code == 404


def test_every_error_speaks_vietnamese_by_default_and_english_when_asked(desk, regular, record_visit, api):
    visit = record_visit(regular).visit
    clerk, outsider = api(desk.clerk), api(desk.outsider)
    place = {"unit_id": desk.unit.pk, "name": "Phòng tiếp dân", "address": "UBND xã"}
    calls = {
        400: lambda **h: clerk.post("/visits", visit_body(regular, crowd=True, people_count=2), **h),
        403: lambda **h: clerk.post("/places", place, **h),
        404: lambda **h: outsider.get(f"/visits/{visit.pk}", **h),
        409: lambda **h: clerk.post(
            f"/visits/{visit.pk}/answer", {"version": 7, "answer_kind": "accepted"}, **h
        ),
        422: lambda **h: clerk.get("/visits?from=hôm-qua", **h),
    }
    for status, call in calls.items():
        default, english = call(), call(HTTP_ACCEPT_LANGUAGE="en")
        assert default.status_code == english.status_code == status, (status, default.content)
        assert set(default.json()) == {"code", "message", "fields"}
        assert default.json()["code"] == english.json()["code"]
        assert default.json()["message"] == vi(english.json()["message"]) != english.json()["message"], status
    assert not Place.objects.exists() and Visit.objects.get().answered_on is None


# ---- conclusions ----------------------------------------------------------------------------


def test_conclusions_with_directives_then_a_task_done(desk, regular, head_session, record_visit, api):
    visit = record_visit(head_session).visit
    body = {
        "number": "12/TB-UBND",
        "signer": "Trần Văn Chủ",
        "summary": "Giao công chức địa chính kiểm tra hồ sơ.",
        "directives": [
            {
                "task": "Kiểm tra hồ sơ đất",
                "due_date": "2026-12-10",
                "responsible_name": "Công chức địa chính",
                "visit_id": visit.pk,
            }
        ],
    }
    refused = api(desk.clerk).post(f"/sessions/{head_session.pk}/conclusions", body)
    assert refused.status_code == 403
    regular_session = api(desk.leader).post(f"/sessions/{regular.pk}/conclusions", body)
    assert regular_session.status_code == 400 and "session" in regular_session.json()["fields"]
    bad = api(desk.leader).post(
        f"/sessions/{head_session.pk}/conclusions",
        {**body, "directives": [{"task": " ", "due_date": "2026-11-01"}]},
    )
    assert bad.status_code == 400
    assert {"directives.0.task", "directives.0.due_date", "directives.0.responsible"} <= set(
        bad.json()["fields"]
    )
    assert not Conclusion.objects.exists()

    issued = api(desk.leader).post(f"/sessions/{head_session.pk}/conclusions", body)
    assert issued.status_code == 201, issued.content
    conclusion = issued.json()
    assert conclusion["number"] == "12/TB-UBND" and conclusion["issued_on"] == "2026-11-27"
    [directive] = conclusion["directives"]
    assert directive["visit_id"] == visit.pk and directive["done_on"] is None and not directive["overdue"]
    session = api(desk.clerk).get(f"/sessions/{head_session.pk}").json()
    assert [c["id"] for c in session["conclusions"]] == [conclusion["id"]]
    assert [d["id"] for d in api(desk.clerk).get("/directives").json()] == [directive["id"]]

    future = api(desk.clerk).post(
        f"/directives/{directive['id']}/done", {"version": 0, "done_on": "2026-12-01", "result": "Xong"}
    )
    assert future.status_code == 400 and "done_on" in future.json()["fields"]
    done = api(desk.clerk).post(
        f"/directives/{directive['id']}/done", {"version": 0, "result": "Đã kiểm tra"}
    )
    assert done.status_code == 200, done.content
    assert done.json()["done_on"] == "2026-11-27" and done.json()["version"] == 1
    stale = api(desk.clerk).post(f"/directives/{directive['id']}/done", {"version": 0, "result": "Lại"})
    assert stale.status_code == 409
    assert api(desk.clerk).get("/directives").json() == []
    assert api(desk.outsider).post(f"/directives/{directive['id']}/done", {"version": 1}).status_code == 404


# ---- look-up, book, compliance, figures -----------------------------------------------------


def test_person_lookup_by_id_and_by_name(desk, regular, head_session, record_visit, api):
    first = record_visit(regular, make_petitions=True).visit
    second = record_visit(head_session, repeat_of_visit_id=first.pk).visit
    clerk = api(desk.clerk)
    by_id = clerk.get("/people?id_number=037%20090%20001%20234")
    assert by_id.status_code == 200, by_id.content
    body = by_id.json()
    assert [m["visit"]["id"] for m in body["visits"]] == [second.pk, first.pk]
    assert [m["case_visits"] for m in body["visits"]] == [2, 2]
    assert len(body["petitions"]) == 1 and body["petitions"][0]["tracking_code"].startswith("DV")
    assert body["hidden"] == 0
    by_name = clerk.get("/people?name=nguyen%20van%20a").json()
    assert len(by_name["visits"]) == 2 and len(by_name["petitions"]) == 1
    assert clerk.get("/people?name=n").json() == {"visits": [], "petitions": [], "hidden": 0}
    assert api(desk.outsider).get("/people?id_number=037090001234").json()["visits"] == []


def test_the_reception_book_in_json(desk, regular, record_visit, api):
    record_visit(regular)
    record_visit(
        regular,
        outcome="guided",
        target_name="Tòa án nhân dân tỉnh Ninh Bình",
        target_document="5/HD",
        visitors=[services.VisitorInput(name="Trần Thị Bình", address="Thôn Tây")],
    )
    book = api(desk.committee).get(f"/book?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30")
    assert book.status_code == 200, book.content
    body = book.json()
    assert body["unit"]["id"] == desk.unit.pk and (body["first"], body["last"]) == (
        "2026-11-01",
        "2026-11-30",
    )
    first, second = body["rows"]
    assert (first["number"], first["day"], first["book_number"]) == (1, "2026-11-27", "1/2026")
    assert first["name_address"] == "Nguyễn Văn An, Thôn Đông" and first["id_number"] == "037090001234"
    assert first["accepted"] and first["people"] == 1 and not first["masked"]
    assert second["guided"] == "Tòa án nhân dân tỉnh Ninh Bình, 5/HD" and not second["accepted"]
    assert set(first) >= {
        "number", "day", "name_address", "id_number", "content", "kinds", "people",
        "earlier_handling", "accepted", "guided", "transferred", "follow_up", "note",
    }  # fmt: skip
    backwards = api(desk.committee).get(f"/book?unit={desk.unit.pk}&from=2026-11-30&to=2026-11-01")
    assert backwards.status_code == 400 and "to" in backwards.json()["fields"]
    assert (
        api(desk.outsider).get(f"/book?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30").status_code == 404
    )
    assert api(desk.committee).get(f"/book?unit={desk.unit.pk}").status_code == 422


def test_compliance_of_the_chairman(desk, head_session, api):
    response = api(desk.committee).get(f"/compliance?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200, response.content
    [row] = response.json()["rows"]
    assert row["duty"]["id"] == desk.duty.pk and row["duty"]["position"]["code"] == "pc_chairman"
    # One day a week: the weeks of 2, 9 and 16 November are over and were missed; the week of 23
    # November is running on Friday 27th and was held in person that day; the week of 30 November
    # has not begun, so nothing of it is due yet.
    assert (row["required"], row["in_person"], row["delegated"], row["missed"]) == (4, 1, 0, 3)
    assert row["rate"] == pytest.approx(0.25)
    province = desk.supervisor
    below = (
        api(province)
        .get(f"/compliance?unit={desk.unit.parent_id}&from=2026-11-01&to=2026-11-30&below=true")
        .json()
    )
    assert [r["duty"]["id"] for r in below["rows"]] == [desk.duty.pk]
    assert (
        api(desk.outsider).get(f"/compliance?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30").status_code
        == 404
    )


def test_every_reception_figure_by_who_received(desk, regular, head_session, record_visit, api):
    first = record_visit(regular).visit
    record_visit(head_session, repeat_of_visit_id=first.pk)
    record_visit(
        regular,
        crowd=True,
        people_count=6,
        visitors=[
            services.VisitorInput(name="Lê Văn Cường", id_number="037090001235", representative=True),
        ],
        content="Nhiều hộ dân khiếu nại mức bồi thường dự án đường tránh.",
    )
    response = api(desk.committee).get(f"/indicators?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200, response.content
    figures = {i["code"]: i for i in response.json()["indicators"]}
    # Every registered reception figure, in the registry's order, and only those.
    assert list(figures) == [code for code in indicators.registry() if code.startswith("reception.")]
    assert set(figures) >= {
        "reception.sessions", "reception.visits", "reception.people", "reception.cases_first",
        "reception.cases_repeated", "reception.crowds", "reception.crowd_people",
        "reception.crowd_cases_first", "reception.crowd_cases_repeated",
    }  # fmt: skip
    for item in figures.values():
        assert set(item["by"]) == {"regular", "head", "authorised"} and item["label"]
        assert item["form_columns"]["01-tcd"]
    visits = figures["reception.visits"]
    assert visits["total"] == {"value": 3, "records": 3}
    assert {k: v["value"] for k, v in visits["by"].items()} == {"regular": 2, "head": 1, "authorised": 0}
    assert figures["reception.people"]["total"] == {"value": 8, "records": 3}
    assert figures["reception.cases_first"]["total"] == {"value": 2, "records": 2}  # their first visits
    assert figures["reception.crowd_people"]["total"]["value"] == 6
    assert figures["reception.sessions"]["by"]["head"]["value"] == 1
    backwards = api(desk.committee).get(f"/indicators?unit={desk.unit.pk}&from=2026-11-30&to=2026-11-01")
    assert backwards.status_code == 400
    outsider = api(desk.outsider).get(f"/indicators?unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30")
    assert outsider.status_code == 404


# ---- a protected visitor's identity ---------------------------------------------------------


def _leaks(response) -> list[str]:
    """Whatever of the planted identity the response shows, in any spelling."""
    text = response.content.decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):
        text += json.dumps(response.json(), ensure_ascii=False)
    return [
        secret
        for secret in (PLANTED_NAME, PLANTED_ID, PLANTED_ADDRESS, PLANTED_PHONE)
        if secret in text or fold(secret) in fold(text)
    ]


def test_no_answer_shows_a_denouncers_identity_but_the_logged_reveal(desk, regular, api):
    body = visit_body(
        regular,
        parts=[{"kind": "denunciation", "field": "civil_service", "content": DENUNCIATION}],
        visitors=[
            {
                "name": PLANTED_NAME,
                "id_number": PLANTED_ID,
                "address": PLANTED_ADDRESS,
                "phone": PLANTED_PHONE,
            }
        ],
        make_petitions=True,
    )
    created = api(desk.clerk).post("/visits", body)
    assert created.status_code == 201, created.content
    assert not _leaks(created)
    visit = created.json()["visit"]
    assert visit["protected"] and visit["identity_entitled"]  # the clerk received them
    assert visit["visitors"][0]["masked"] and visit["visitors"][0]["name"] == ""
    vid = visit["id"]
    unit = desk.unit.pk
    period = "from=2026-11-01&to=2026-11-30"
    for user in (desk.handler, desk.committee, desk.supervisor):
        caller = api(user)
        responses = [
            caller.get("/visits"),
            caller.get(f"/visits/{vid}"),
            caller.get(f"/visits?q={fold(PLANTED_NAME)}"),
            caller.get(f"/book?unit={unit}&{period}"),
            caller.get(f"/people?id_number={PLANTED_ID}"),
            caller.get(f"/people?name={PLANTED_NAME}"),
            caller.get(f"/indicators?unit={unit}&{period}"),
            caller.get("/answers-due"),
            caller.get(f"/sessions/{regular.pk}"),
            caller.post(f"/visits/{vid}/identity", {"reason": "Tò mò"}),
        ]
        for response in responses[:-1]:
            assert response.status_code == 200, (
                user.username,
                response.request["PATH_INFO"],
                response.content,
            )
        for response in responses:
            assert not _leaks(response), (user.username, response.request["PATH_INFO"], _leaks(response))
        detail = responses[1].json()
        assert detail["protected"] and not detail["identity_entitled"]
        assert detail["visitors"][0] == {
            "id": detail["visitors"][0]["id"], "position": 0, "representative": False, "masked": True,
            "name": "", "id_number": "", "address": "", "phone": "",
        }  # fmt: skip
        assert responses[3].json()["rows"][0]["masked"]
        assert responses[4].json() == {
            "visits": [],
            "petitions": [],
            "hidden": 2,
        }  # the visit and its petition
        assert responses[5].json()["hidden"] == 0  # a sealed name is not searchable at all
        assert responses[9].status_code == 403 and responses[9].json()["code"] == "permission_denied"
    assert not AuditEvent.objects.filter(action="reception.identity_view").exists()
    assert api(desk.outsider).get(f"/visits/{vid}").status_code == 404
    assert api(desk.outsider).post(f"/visits/{vid}/identity", {"reason": "x"}).status_code == 404

    for user in (desk.clerk, desk.leader):
        caller = api(user)
        detail = caller.get(f"/visits/{vid}")
        assert detail.json()["identity_entitled"] and not _leaks(detail)  # revealed only on purpose
        revealed = caller.post(f"/visits/{vid}/identity", {"reason": "Liên hệ người tố cáo để xác minh"})
        assert revealed.status_code == 200, revealed.content
        [person] = revealed.json()
        assert (person["name"], person["id_number"], person["address"], person["phone"]) == (
            PLANTED_NAME,
            PLANTED_ID,
            PLANTED_ADDRESS,
            PLANTED_PHONE,
        )
    views = AuditEvent.objects.filter(action="reception.identity_view", record_id=str(vid))
    assert sorted(views.values_list("actor_label", flat=True)) == ["chairman", "clerk"]
    assert all(v.after["reason"] == "Liên hệ người tố cáo để xác minh" for v in views)
    assert not any(
        PLANTED_NAME in json.dumps([e.before, e.after, e.record_label], ensure_ascii=False)
        for e in AuditEvent.objects.all()
    )
    # The head sees the name in the book, and that showing is logged too.
    book = api(desk.leader).get(f"/book?unit={unit}&{period}").json()
    assert PLANTED_NAME in book["rows"][0]["name_address"] and not book["rows"][0]["masked"]
    assert views.all().count() == 3  # a fresh query: `views` was read above
    # Nothing of the identity is stored in clear, in the visit's people or the petition's.
    assert not Visitor.objects.filter(name__contains="Bí Mật").exists()
    assert not Petitioner.objects.filter(name__contains="Bí Mật").exists()


# ---- the book as files ----------------------------------------------------------------------


def test_the_book_downloads_as_xlsx_and_pdf_masked(desk, regular, record_visit, api):
    record_visit(regular)
    record_visit(
        regular,
        parts=[services.VisitPart(kind="denunciation", field="civil_service", content=DENUNCIATION)],
        visitors=[services.VisitorInput(name=PLANTED_NAME, id_number=PLANTED_ID, address=PLANTED_ADDRESS)],
    )
    query = f"unit={desk.unit.pk}&from=2026-11-01&to=2026-11-30"
    committee = api(desk.committee)
    sheet = committee.get(f"/book.xlsx?{query}")
    assert sheet.status_code == 200, sheet.content[:500]
    assert sheet["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert sheet["Content-Disposition"].startswith("attachment") and ".xlsx" in sheet["Content-Disposition"]
    cells = [
        str(value)
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    text = " ".join(cells)
    assert "Nguyễn Văn An" in text and "037090001234" in text
    assert PLANTED_NAME not in text and PLANTED_ID not in text and fold(PLANTED_ADDRESS) not in fold(text)

    pdf = committee.get(f"/book.pdf?{query}")
    assert pdf.status_code == 200, pdf.content[:500]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment") and ".pdf" in pdf["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "037090001234" in text and PLANTED_ID not in text and "Zyx" not in text

    assert api(desk.outsider).get(f"/book.pdf?{query}").status_code == 404
    backwards = committee.get(f"/book.xlsx?unit={desk.unit.pk}&from=2026-11-30&to=2026-11-01")
    assert backwards.status_code == 400 and "to" in backwards.json()["fields"]
    assert not AuditEvent.objects.filter(action="reception.identity_view").exists()
