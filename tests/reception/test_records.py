"""The `reception_sessions` and `visits` record types: keys, checks, bulk writes, rollback, export."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.audit import AuditEvent
from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery, get
from danvan.petitions.models import Case
from danvan.reception import services
from danvan.reception.models import Counter, Session, SessionStatus, Visit, Visitor

from .conftest import PLANTED_ID, PLANTED_NAME, TODAY

SESSIONS, VISITS = get("reception_sessions"), get("visits")
YEAR = (date(2025, 7, 1), date(2025, 12, 31))


@pytest.fixture
def batch(desk):
    return ImportBatch.objects.create(
        record_type="visits", original_name="so-tiep-cong-dan.xlsx", sha256="0" * 64, created_by=desk.clerk
    )


def session_row(unit, **overrides) -> dict:
    row = {
        "unit": unit,
        "day": date(2025, 9, 15),
        "kind": "periodic",
        "mode": "in_person",
        "status": "held",
        "starts_at": "07:30",
        "ends_at": "11:00",
        "presider": "head",
        "presider_name": "Trần Văn Chủ",
        "authorisation": None,
        "trigger": None,
        "attendees": "Công chức địa chính",
        "expected_content": None,
        "recording": None,
        "published_on": date(2025, 9, 5),
        "cancel_reason": None,
    }
    row.update(overrides)
    return row


def visit_row(unit, **overrides) -> dict:
    row = {
        "unit": unit,
        "day": date(2025, 9, 15),
        "book_number": "12/2025",
        "session_kind": "regular",
        "presider": "staff",
        "visitor_name": "Trần Thị Bình",
        "visitor_address": "Thôn Tây",
        "visitor_id_number": "037185004321",
        "visitor_phone": None,
        "people_count": 1,
        "crowd": False,
        "kinds": ["complaint"],
        "content": "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Tây.",
        "requests": "Bồi thường theo giá thị trường",
        "earlier_handling": None,
        "repeat": False,
        "outcome": "guided",
        "outcome_note": None,
        "target_name": "Tòa án nhân dân tỉnh",
        "target_document": "03/HD",
        "refusal_ground": None,
        "refusal_notice": None,
        "answered_on": None,
        "answer_kind": None,
        "follow_up": None,
        "note": None,
    }
    row.update(overrides)
    return row


def denouncer_row(unit, **overrides) -> dict:
    values = {
        "book_number": "13/2025",
        "visitor_name": PLANTED_NAME,
        "visitor_id_number": PLANTED_ID,
        "kinds": ["denunciation"],
        "content": "Tố cáo cán bộ địa chính nhận tiền.",
        "outcome": "accepted",
        "target_name": None,
        "target_document": None,
        "answered_on": date(2025, 9, 22),
        "answer_kind": "accepted",
    }
    values.update(overrides)
    return visit_row(unit, **values)


# ---- sessions -------------------------------------------------------------------------------


def test_session_write_key_existing_and_rollback(desk, batch):
    row = session_row(desk.unit)
    assert SESSIONS.check(row) == {}
    assert SESSIONS.write(desk.clerk, [row], batch) == 1
    session = Session.objects.get(import_batch=batch)
    assert (session.status, session.presider, f"{session.starts_at:%H:%M}") == ("held", "head", "07:30")
    key = SESSIONS.key(row)
    assert key == (desk.unit.pk, date(2025, 9, 15), "periodic")
    assert SESSIONS.existing(desk.clerk, [key, (desk.unit.pk, date(2025, 9, 16), "periodic")]) == {key}
    assert SESSIONS.rollback(desk.clerk, batch) == 1
    assert not Session.objects.filter(import_batch=batch).exists()


def test_session_export_round_trip_and_scope(desk, batch, tree):
    rows = [
        session_row(desk.unit),
        session_row(
            desk.unit,
            kind="regular",
            presider="staff",
            presider_name=None,
            day=date(2025, 9, 16),
            published_on=None,
        ),
    ]
    SESSIONS.write(desk.clerk, rows, batch)
    exported = list(SESSIONS.export(ExportQuery(desk.supervisor, tree.province, *YEAR)))
    assert [r["day"] for r in exported] == [date(2025, 9, 15), date(2025, 9, 16)]
    for written, back in zip(rows, exported, strict=True):
        assert set(back) == {c.key for c in SESSIONS.columns}
        assert back == written
    assert list(SESSIONS.export(ExportQuery(desk.outsider, tree.province, *YEAR))) == []


def test_session_checks(desk):
    with translation.override("en"):
        errors = SESSIONS.check(session_row(desk.unit, kind="ad_hoc", presider=None, starts_at="25:00"))
    assert errors["trigger"] == "Say why the ad hoc reception was held (Art 18(3))."
    assert errors["presider"] == "Say whether the head presided in person or authorised someone."
    assert errors["starts_at"] == "Write the hour as 7:30."
    assert "cancel_reason" in SESSIONS.check(session_row(desk.unit, status="cancelled"))
    assert (
        services.imported_session_status(session_row(desk.unit, status=None, cancel_reason="Mưa bão"), TODAY)
        == "cancelled"
    )


def test_session_rollback_refuses_when_a_visit_came(desk, batch, record_visit):
    SESSIONS.write(desk.clerk, [session_row(desk.unit, day=TODAY, kind="regular", presider="staff")], batch)
    session = Session.objects.get(import_batch=batch)
    record_visit(session)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        SESSIONS.rollback(desk.clerk, batch)
    assert refused.value.code == "import.rollback_changed"
    assert Session.objects.filter(import_batch=batch).exists()


# ---- visits ---------------------------------------------------------------------------------


def test_visit_write_makes_the_session_case_and_visitor(desk, batch):
    rows = [
        visit_row(desk.unit),
        visit_row(desk.unit, book_number=None, visitor_name="Lê Văn Cường", visitor_id_number=None),
    ]
    assert all(VISITS.check(row) == {} for row in rows)
    assert VISITS.write(desk.clerk, rows, batch) == 2
    visits = list(Visit.objects.filter(import_batch=batch).order_by("number"))
    assert [v.number for v in visits] == [12, 13]
    assert Counter.objects.get(unit=desk.unit, year=2025).last == 13
    session = Session.objects.get(import_batch=batch)
    assert session.status == SessionStatus.HELD and all(v.session_id == session.pk for v in visits)
    assert visits[0].case_id != visits[1].case_id and visits[0].received_by == desk.clerk
    person = Visitor.objects.get(visit=visits[0])
    assert (person.name, person.id_number, person.name_folded) == (
        "Trần Thị Bình",
        "037185004321",
        "tran thi binh",
    )


def test_visit_joins_the_existing_session(desk, batch, regular):
    VISITS.write(desk.clerk, [visit_row(desk.unit, day=TODAY, book_number=None)], batch)
    assert Visit.objects.get(import_batch=batch).session == regular
    assert not Session.objects.filter(import_batch=batch).exists()


def test_visit_key_and_existing_match_sealed_people(desk, batch):
    VISITS.write(desk.clerk, [visit_row(desk.unit), denouncer_row(desk.unit)], batch)
    plain = VISITS.key(visit_row(desk.unit, visitor_name="TRẦN THI BINH"))
    sealed = VISITS.key(denouncer_row(desk.unit))
    other = VISITS.key(visit_row(desk.unit, visitor_name="Trần Thị Bình", visitor_id_number=None))
    assert plain == (desk.unit.pk, date(2025, 9, 15), "tran thi binh", "037185004321")
    assert VISITS.existing(desk.clerk, [plain, sealed, other]) == {plain, sealed}


def test_a_book_number_already_used_stops_the_write(desk, batch):
    VISITS.write(desk.clerk, [visit_row(desk.unit)], batch)
    with pytest.raises(DomainError) as taken:
        VISITS.write(
            desk.clerk, [visit_row(desk.unit, visitor_name="Người khác", visitor_id_number=None)], batch
        )
    assert taken.value.code == "import.number_taken"


def test_visit_checks(desk):
    with translation.override("en"):
        errors = VISITS.check(
            visit_row(
                desk.unit, kinds=["denunciation"], outcome="guided", crowd=True, answered_on=date(2025, 9, 1)
            )
        )
    assert (
        errors["outcome"]
        == "“Guided to the competent body” is not an outcome the law allows for a denunciation (Art 26)."
    )
    assert errors["crowd"] == "A crowd is five or more people with the same content (Art 29)."
    assert errors["answered_on"] == "The answer is dated before the visit (15/09/2025)."
    assert errors["answer_kind"] == "Choose what the citizen was told."
    assert "refusal_ground" in VISITS.check(visit_row(desk.unit, outcome="refused", target_name=None))


def test_visit_export_round_trip_masks_the_denouncer(desk, batch, tree):
    rows = [visit_row(desk.unit), denouncer_row(desk.unit)]
    VISITS.write(desk.clerk, rows, batch)
    protected = Visit.objects.get(import_batch=batch, number=13)
    sealed = Visitor.objects.get(visit=protected)
    assert protected.protected and sealed.sealed and not sealed.name
    exported = list(VISITS.export(ExportQuery(desk.leader, tree.province, *YEAR)))
    for written, back in zip(rows, exported, strict=True):
        assert set(back) == {c.key for c in VISITS.columns}
        assert back == written
    assert AuditEvent.objects.filter(action="reception.identity_view", actor=desk.leader).count() == 1
    masked = list(VISITS.export(ExportQuery(desk.handler, desk.unit, *YEAR)))
    assert masked[1]["visitor_name"] is None and masked[1]["visitor_id_number"] is None
    assert masked[0]["visitor_name"] == "Trần Thị Bình"
    assert list(VISITS.export(ExportQuery(desk.outsider, tree.province, *YEAR))) == []


def test_visit_rollback_and_refusal(desk, batch):
    VISITS.write(desk.clerk, [visit_row(desk.unit), denouncer_row(desk.unit)], batch)
    visit = Visit.objects.get(import_batch=batch, number=13)
    cases = list(Visit.objects.filter(import_batch=batch).values_list("case_id", flat=True))
    services.visit_answer(
        actor=desk.clerk,
        visit_id=visit.pk,
        version=0,
        answered_on=date(2025, 9, 23),
        answer_kind="accepted",
        today=TODAY,
    )
    with pytest.raises(DomainError) as refused:
        VISITS.rollback(desk.clerk, batch)
    assert "13/2025" in refused.value.message
    Visit.objects.filter(pk=visit.pk).update(version=0)
    assert VISITS.rollback(desk.clerk, batch) == 2
    assert not Visit.objects.exists() and not Visitor.objects.exists()
    assert not Case.objects.filter(pk__in=cases).exists()
    assert not Session.objects.filter(import_batch=batch).exists()
