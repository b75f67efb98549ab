"""The reports API and `danvan report`: the catalogue, one figure with its records and query, a
form and the review as JSON, the records behind a figure, exports, and the errors of each (which
field, why, in the caller's language), over three visits written out by hand:

  27/11/2026 at commune N — a regular visit of one person (case A, first), the chairman's periodic
  session with a repeat visit on case A, and a regular visit of a crowd of 6 (case B, first).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from danvan.core.services import api_token_create
from danvan.units.models import Role

from ..reception.conftest import TODAY

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=ZONE), tick=False):
        yield


@pytest.fixture
def three_visits(desk, regular, head_session, record_visit):
    from danvan.reception import services

    first = record_visit(regular).visit
    record_visit(head_session, repeat_of_visit_id=first.pk)
    record_visit(
        regular,
        crowd=True,
        people_count=6,
        visitors=[services.VisitorInput(name="Lê Văn Cường", id_number="037090001235", representative=True)],
        content="Nhiều hộ dân khiếu nại mức bồi thường dự án đường tránh.",
    )
    return desk


class Api:
    def __init__(self, user, language: str = "en"):
        self.client = Client()
        _token, secret = api_token_create(actor=user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": language}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1/reports{path}", params, **self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(
            f"/api/v1/reports{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )


def test_the_catalogue_lists_every_indicator_with_its_dimensions(three_visits):
    body = Api(three_visits.leader).get("/indicators").json()
    codes = {i["code"]: i for i in body["indicators"]}
    assert "reception.visits" in codes and "petitions.received" in codes
    assert [d["value"] for d in codes["reception.visits"]["dimensions"]["by"]] == [
        "regular",
        "head",
        "authorised",
    ]
    assert codes["reception.visits"]["form_columns"]["01-tcd"] == ["1", "4", "13", "22"]
    forms = Api(three_visits.leader).get("/forms").json()["forms"]
    versions = {(f["form"], f["version"]): f for f in forms}
    assert versions["01-tcd", "tt01-2024"]["valid_from"] == "2024-03-05"
    assert versions["01-tcd", "tt01-2024"]["valid_to"] == "2025-09-29"


def test_a_figure_carries_its_records_and_the_query_that_made_it(three_visits):
    desk = three_visits
    api = Api(desk.leader)
    body = api.get("/figure", indicator="reception.people", unit=desk.unit.pk, **PERIOD).json()
    assert (body["value"], body["records"]) == (8, 3)
    assert body["query"] == {
        "indicator": "reception.people",
        "filters": {},
        "cell": "reception.people",
        "unit": desk.unit.pk,
        "from": "2026-11-01",
        "to": "2026-11-30",
        "frame": "as_it_was",
    }
    head = api.get(
        "/figure", indicator="reception.visits", filter="by:head", unit=desk.unit.pk, **PERIOD
    ).json()
    assert (head["value"], head["records"]) == (1, 1)
    # The records behind the figure: the same count, no visitor's name anywhere.
    records = api.get("/records", cell="reception.people", unit=desk.unit.pk, **PERIOD)
    assert records.status_code == 200
    listed = records.json()
    assert listed["records"] == 3 and len(listed["rows"]) == 3
    assert "Nguyễn Văn An" not in records.content.decode() and "Lê Văn Cường" not in records.content.decode()


def test_a_form_as_json_with_its_rows_and_checks(three_visits, tree):
    desk = three_visits
    body = Api(desk.supervisor).get("/forms/01-tcd", unit=tree.province.pk, **PERIOD).json()
    assert body["version"] == "tt06-2025" and body["form_number"] == "01/TCD"
    total = {f["column"]: (f["value"], f["records"]) for f in body["figures"]}
    assert total["1"] == (3, 3) and total["2"] == (8, 3) and total["4"] == (2, 2) and total["13"] == (1, 1)
    assert total["8"] == (1, 1) and total["9"] == (6, 1) and total["12"] == (1, 1)
    assert total["6"] == (2, 2)  # cases A and B, first visits
    assert all(check["holds"] for check in body["checks"])
    rows = {row["unit"]["id"]: row for row in body["rows"]}
    assert list(rows) == [desk.unit.pk]
    assert rows[desk.unit.pk]["figures"][0]["query"]["row"] == desk.unit.pk


def test_the_review_reports_what_nothing_records_as_not_available(three_visits, unrecorded_in_review):
    desk = three_visits
    body = Api(desk.leader).get("/review", unit=desk.unit.pk, period="2026").json()
    figures = {f["code"]: f for f in body["figures"]}
    assert figures["reception.visits"]["value"] == 3 and figures["reception.visits"]["years"] == {"2026": 3}
    assert figures[unrecorded_in_review] == {
        **figures[unrecorded_in_review],
        "value": None,
        "available": False,
    }
    assert "Unrecorded things" in body["not_available"]
    assert not any("unrecorded things" in p for p in body["paragraphs"])
    assert any("received 8 citizens in 3 visits" in p for p in body["paragraphs"])


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"from": "2026-11-30", "to": "2026-11-01"}, "reports.period_backwards", "last"),
        ({"period": "2026-Q5"}, "reports.period_unknown", "period"),
        ({}, "reports.period_missing", "period"),
        ({"period": "2026", "frame": "sideways"}, "reports.frame_unknown", "frame"),
        ({"period": "2024"}, "reports.unit_not_in_period", "unit"),
        ({"period": "2019"}, "reports.form_version_not_covering", "period"),
    ],
)
def test_bad_input_is_named_and_explained(three_visits, params, code, field):
    response = Api(three_visits.leader).get("/forms/01-tcd", unit=three_visits.unit.pk, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and field in body["fields"]


def test_errors_speak_the_callers_language(three_visits):
    unit = three_visits.unit.pk
    en = Api(three_visits.leader, "en").get(
        "/review", unit=unit, **{"from": "2026-11-30", "to": "2026-11-01"}
    )
    vi = Api(three_visits.leader, "vi").get(
        "/review", unit=unit, **{"from": "2026-11-30", "to": "2026-11-01"}
    )
    assert en.json()["message"] == "The period ends (01/11/2026) before it starts (30/11/2026)."
    assert vi.json()["message"] != en.json()["message"] and "01/11/2026" in vi.json()["message"]


def test_a_unit_out_of_reach_is_not_found(three_visits):
    response = Api(three_visits.outsider).get("/forms/01-tcd", unit=three_visits.unit.pk, **PERIOD)
    assert response.status_code == 404


def test_a_small_export_answers_with_the_file(three_visits):
    desk = three_visits
    response = Api(desk.leader).post(
        "/exports", {"report": "01-tcd", "format": "xlsx", "unit": desk.unit.pk, **PERIOD}
    )
    assert response.status_code == 200, response.content
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert 3 in [cell.value for row in sheet.iter_rows() for cell in row]


# ---- danvan report -------------------------------------------------------------------------


def test_the_command_prints_the_form_as_json(three_visits, tree, capsysbinary):
    call_command(
        "report", "01-tcd", "--unit", tree.province.code, "--from", "2026-11-01", "--to", "2026-11-30"
    )
    body = json.loads(capsysbinary.readouterr().out)
    total = {f["column"]: f["value"] for f in body["figures"]}
    assert (total["1"], total["2"], total["3"]) == (3, 8, 3)
    assert body["unit"]["code"] == tree.province.code


def test_the_command_writes_a_file_and_refuses_bad_input(three_visits, tree, tmp_path):
    target = tmp_path / "review.docx"
    call_command(
        "report", "review", "--unit", tree.province.code, "--period", "2026", "--lang", "en",
        "--format", "docx", "--output", str(target),
    )  # fmt: skip
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="before it starts"):
        call_command(
            "report", "01-tcd", "--unit", tree.province.code, "--from", "2026-12-31", "--to", "2026-01-01",
            "--lang", "en", "--output", str(tmp_path / "no.json"),
        )  # fmt: skip
    assert not (tmp_path / "no.json").exists()
    with pytest.raises(CommandError, match="did not exist in the period"):
        call_command("report", "01-tcd", "--unit", tree.n.code, "--unit-valid-from", "2025-07-01",
                     "--period", "2024", "--lang", "en")  # fmt: skip


def test_the_command_as_a_user_sees_only_that_users_units(three_visits, tree, make_user):
    make_user(Role.CLERK, tree.other_commune, username="far")
    with pytest.raises(CommandError):
        call_command("report", "01-tcd", "--unit", tree.province.code, "--period", "2026", "--user", "far")
