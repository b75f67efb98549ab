"""Reception sessions: the lifecycle as a table with its sweep (every allowed step works, every
forbidden one raises and changes nothing), the checks of `session_create` (each with its field and
nothing saved), the warnings (late publication, delegation after 1 July 2026), stale versions,
the desk's regular session, the audit trail, and the head's compliance over a month boundary.

Dates are counted by hand on the 2026 calendar (Vietnamese Culture Day: Tuesday 24 November).
TODAY is Friday 27 November 2026.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.reception import presenters, selectors, services
from danvan.reception.models import (
    Duty,
    Mode,
    Place,
    Position,
    Presider,
    Session,
    SessionKind,
    SessionStatus,
    Trigger,
)

from .conftest import TODAY

S = SessionStatus
RECORD = "reception.record"
# The lifecycle of a session, written out: action -> (allowed sources, target, who).
STEPS: dict[str, tuple[frozenset[str], str, str]] = {
    "publish": (frozenset({S.SCHEDULED}), S.SCHEDULED, RECORD),
    "hold": (frozenset({S.SCHEDULED}), S.HELD, RECORD),
    "cancel": (frozenset({S.SCHEDULED}), S.CANCELLED, RECORD),
}
AUDIT_ACTION = {
    "publish": "reception.session_publish",
    "hold": "reception.session_hold",
    "cancel": "reception.session_cancel",
}


def make(desk, today: date = TODAY, actor=None, **values) -> services.SessionResult:
    """`session_create` with a periodic session of the chairman by default; override any field."""
    values.setdefault("unit_id", desk.unit.pk)
    values.setdefault("kind", SessionKind.PERIODIC)
    values.setdefault("day", TODAY)
    if values["kind"] != SessionKind.REGULAR:
        values.setdefault("duty_id", desk.duty.pk)
    if values["kind"] == SessionKind.AD_HOC:
        values.setdefault("trigger", Trigger.MANY_PEOPLE)
    return services.session_create(
        actor=actor or desk.clerk, data=services.SessionInput(**values), today=today
    )


def step(desk, action: str, session: Session, *, version: int | None = None, actor=None, today: date = TODAY):
    """The service of `action` with valid arguments."""
    kwargs = {
        "actor": actor or desk.clerk,
        "session_id": session.pk,
        "version": session.version if version is None else version,
        "today": today,
    }
    match action:
        case "publish":
            return services.session_publish(on=today, **kwargs).session
        case "hold":
            return services.session_hold(presider=Presider.HEAD, **kwargs).session
        case "cancel":
            return services.session_cancel(reason="Chủ tịch đi công tác đột xuất", **kwargs)
    raise AssertionError(action)


def bring_to(desk, status: str) -> Session:
    session = make(desk).session
    if status == S.HELD:
        session = step(desk, "hold", session)
    elif status == S.CANCELLED:
        session = step(desk, "cancel", session)
    assert session.status == status
    return Session.objects.get(pk=session.pk)


def row(session: Session) -> dict:
    return {
        k: v for k, v in Session.objects.filter(pk=session.pk).values().get().items() if k != "created_at"
    }


# ---- the lifecycle ----------------------------------------------------------------------------


def test_the_pages_draw_the_same_table():
    assert set(presenters.SESSION_STEPS) == set(STEPS)
    for action, (sources, _target, permission) in STEPS.items():
        assert presenters.SESSION_STEPS[action].sources == sources
        assert presenters.SESSION_STEPS[action].permission == permission


def test_every_status_is_reachable():
    targets = {S.SCHEDULED} | {target for _s, target, _p in STEPS.values()}
    assert targets == set(S.values)


@pytest.mark.parametrize("action", STEPS)
@pytest.mark.parametrize("status", S.values)
def test_session_lifecycle_sweep(desk, action, status):
    sources, target, _permission = STEPS[action]
    session = bring_to(desk, status)
    before = row(session)
    events = AuditEvent.objects.count()
    if status in sources:
        done = step(desk, action, session)
        assert done.status == target
        assert Session.objects.get(pk=session.pk).version == session.version + 1
        event = AuditEvent.objects.latest("pk")
        assert event.action == AUDIT_ACTION[action]
        assert (event.record_type, event.record_id) == ("reception.session", str(session.pk))
        assert event.unit_path == desk.unit.path
        if status != target:
            assert (event.before["status"], event.after["status"]) == (status, target)
    else:
        with pytest.raises(DomainError) as err:
            step(desk, action, session)
        assert err.value.code == "session_not_scheduled"
        assert "status" in err.value.fields
        assert row(session) == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", STEPS)
def test_a_stale_version_changes_nothing(desk, action):
    session = make(desk).session
    session = step(desk, "publish", session)  # version 1
    before, events = row(session), AuditEvent.objects.count()
    with pytest.raises(StaleEdit):
        step(desk, action, session, version=session.version - 1)
    assert row(session) == before
    assert AuditEvent.objects.count() == events


def test_steps_are_the_record_s_unit_s_and_out_of_scope_is_not_found(desk, make_user):
    session = make(desk).session
    with pytest.raises(NotFound):
        step(desk, "publish", session, actor=desk.outsider)
    with pytest.raises(PermissionDenied):
        step(desk, "hold", session, actor=desk.committee)
    assert row(session)["status"] == S.SCHEDULED


def test_hold_checks_its_fields(desk):
    session = make(desk, day=date(2026, 11, 30)).session  # a Monday after TODAY
    with pytest.raises(DomainError) as err:
        step(desk, "hold", session)
    assert err.value.code == "date_in_future"
    session = make(desk).session
    with pytest.raises(DomainError) as err:
        services.session_hold(
            actor=desk.clerk,
            session_id=session.pk,
            version=session.version,
            presider=Presider.AUTHORISED,
            today=TODAY,
        )
    assert set(err.value.fields) == {"presider_name"}
    with pytest.raises(DomainError) as err:
        services.session_hold(
            actor=desk.clerk, session_id=session.pk, version=session.version, presider="", today=TODAY
        )
    assert set(err.value.fields) == {"presider"}
    with pytest.raises(DomainError) as err:
        services.session_cancel(
            actor=desk.clerk, session_id=session.pk, version=session.version, reason="  ", today=TODAY
        )
    assert set(err.value.fields) == {"reason"}
    with pytest.raises(DomainError) as err:
        services.session_publish(
            actor=desk.clerk,
            session_id=session.pk,
            version=session.version,
            on=date(2026, 11, 28),
            today=TODAY,
        )
    assert set(err.value.fields) == {"on"}
    assert row(session)["status"] == S.SCHEDULED and row(session)["version"] == 0


def test_an_online_session_is_held_with_its_recording(desk):
    session = make(desk, mode=Mode.ONLINE).session
    with pytest.raises(DomainError) as err:
        step(desk, "hold", session)
    assert set(err.value.fields) == {"recording"}
    held = services.session_hold(
        actor=desk.clerk,
        session_id=session.pk,
        version=session.version,
        presider=Presider.HEAD,
        recording="Máy chủ lưu trữ của Thanh tra tỉnh, tệp 2026-11-27.mp4",
        today=TODAY,
    ).session
    assert held.status == S.HELD and held.recording.startswith("Máy chủ")


# ---- what session_create refuses --------------------------------------------------------------


def _refused(desk, field: str, *, actor=None, today: date = TODAY, **values) -> DomainError:
    sessions, events = Session.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        make(desk, today=today, actor=actor, **values)
    assert field in err.value.fields, err.value.fields
    assert Session.objects.count() == sessions
    assert AuditEvent.objects.count() == events
    return err.value


def test_a_session_on_a_unit_that_did_not_exist_that_day(desk, tree):
    # C1 ended on 30/06/2025; N holds its archive (and the clerk of N reaches it) but C1 no longer
    # receives anyone.
    _refused(desk, "day", unit_id=tree.c1.pk, kind=SessionKind.REGULAR, day=date(2025, 7, 1))
    # N began on 01/07/2025.
    _refused(desk, "day", kind=SessionKind.REGULAR, day=date(2025, 6, 30))
    # The first day of N and the last of C1 are fine.
    assert make(desk, kind=SessionKind.REGULAR, day=date(2025, 7, 1)).session.unit == desk.unit
    old = make(desk, unit_id=tree.c1.pk, kind=SessionKind.REGULAR, day=date(2025, 6, 30), held=True)
    assert old.session.unit == tree.c1 and old.session.unit_path == tree.c1.path


def test_an_online_session_before_1_july_2026(desk):
    err = _refused(desk, "mode", mode=Mode.ONLINE, day=date(2026, 6, 30), held=True, presider=Presider.HEAD)
    assert "2026" in str(err.fields["mode"])
    assert make(desk, mode=Mode.ONLINE, day=date(2026, 7, 1)).session.mode == Mode.ONLINE
    _refused(desk, "mode", mode="video")


def test_an_ad_hoc_session_states_its_trigger(desk):
    _refused(desk, "trigger", kind=SessionKind.AD_HOC, trigger="")
    _refused(desk, "trigger", kind=SessionKind.AD_HOC, trigger="boredom")
    session = make(desk, kind=SessionKind.AD_HOC, trigger=Trigger.SERIOUS).session
    assert session.trigger == Trigger.SERIOUS
    # A periodic session keeps no trigger.
    assert make(desk, trigger=Trigger.SERIOUS).session.trigger == ""


def test_a_head_s_session_names_a_duty_held_that_day(desk, tree):
    _refused(desk, "duty", duty_id=None)
    _refused(desk, "duty", kind=SessionKind.AD_HOC, duty_id=None)
    # The previous council chairman's duty ended on 31/10/2026; the secretary's begins on 01/12/2026.
    previous = services.duty_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        position=Position.COUNCIL_CHAIR,
        holder_name="Lê Văn Trước",
        valid_from=date(2025, 7, 1),
        valid_to=date(2026, 10, 31),
    )
    upcoming = services.duty_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        position=Position.PARTY_SECRETARY,
        holder_name="Phạm Thị Sau",
        valid_from=date(2026, 12, 1),
    )
    _refused(desk, "duty", duty_id=previous.pk)
    _refused(desk, "duty", duty_id=upcoming.pk)
    assert make(desk, duty_id=previous.pk, day=date(2026, 10, 30)).session.duty == previous
    # Another unit's duty is not one of this unit's, even for a supervisor who sees both.
    national = services.duty_save(
        actor=desk.supervisor,
        unit_id=tree.n2.pk,
        position=Position.PC_CHAIRMAN,
        holder_name="Chủ tịch xã Yên Mô",
        valid_from=date(2025, 7, 1),
    )
    _refused(desk, "duty", actor=desk.supervisor, duty_id=national.pk)
    # A regular session is not a head's day.
    _refused(desk, "duty", kind=SessionKind.REGULAR, duty_id=desk.duty.pk)


def test_an_authorised_presider_is_named(desk):
    _refused(desk, "presider_name", held=True, presider=Presider.AUTHORISED, presider_name=" ")
    _refused(desk, "presider", held=True, presider="")
    _refused(desk, "presider", held=True, presider=Presider.STAFF)
    _refused(desk, "presider", kind=SessionKind.REGULAR, held=True, presider=Presider.HEAD)
    session = make(
        desk,
        held=True,
        presider=Presider.AUTHORISED,
        presider_name="Phó Chủ tịch  Đỗ Văn Phó",
        authorisation="Giấy ủy quyền 05/GUQ",
        day=date(2026, 6, 30),
    ).session
    assert (session.status, session.presider, session.presider_name) == (
        S.HELD,
        Presider.AUTHORISED,
        "Phó Chủ tịch Đỗ Văn Phó",
    )


def test_a_session_in_the_future_cannot_have_been_held(desk):
    _refused(desk, "day", held=True, presider=Presider.HEAD, day=date(2026, 11, 28))
    _refused(desk, "day", kind=SessionKind.REGULAR, held=True, day=date(2026, 11, 30))
    # Scheduling it is what the future is for.
    assert make(desk, day=date(2026, 12, 14)).session.status == S.SCHEDULED


def test_an_online_session_recorded_as_held_says_where_the_recording_is(desk):
    _refused(desk, "recording", mode=Mode.ONLINE, held=True, presider=Presider.HEAD)
    session = make(
        desk, mode=Mode.ONLINE, held=True, presider=Presider.HEAD, recording="Ổ lưu trữ số 2"
    ).session
    assert session.recording == "Ổ lưu trữ số 2"


def test_other_fields_of_a_session(desk, tree):
    _refused(desk, "kind", kind="monthly")
    _refused(desk, "ends_at", starts_at=time(14, 0), ends_at=time(13, 30))
    elsewhere = services.place_save(
        actor=desk.supervisor, unit_id=tree.n2.pk, name="Trụ sở UBND xã Yên Mô", address="Thôn Trung"
    )
    _refused(desk, "place", actor=desk.supervisor, place_id=elsewhere.pk)
    _refused(desk, "place", place_id=elsewhere.pk)  # the clerk does not even see it
    # Every problem at once.
    err = _refused(
        desk,
        "trigger",
        kind=SessionKind.AD_HOC,
        trigger="",
        duty_id=None,
        mode=Mode.ONLINE,
        day=date(2026, 6, 1),
    )
    assert {"trigger", "duty", "mode"} <= set(err.fields)


def test_a_unit_out_of_reach(desk, tree):
    with pytest.raises(PermissionDenied):
        make(desk, unit_id=tree.n2.pk, kind=SessionKind.REGULAR)
    with pytest.raises(DomainError) as err:
        make(desk, unit_id=999_999, kind=SessionKind.REGULAR)
    assert err.value.code == "unit_not_found"
    assert not Session.objects.exists()


def test_a_created_session_is_audited(desk):
    result = make(desk, day=date(2026, 12, 14), expected_content="Đất đai  thôn Đông", attendees="Địa chính")
    event = AuditEvent.objects.get(action="reception.session_create", record_id=str(result.session.pk))
    assert event.before is None
    assert event.after["kind"] == SessionKind.PERIODIC
    assert event.after["day"] == "2026-12-14"
    assert event.after["duty_id"] == desk.duty.pk
    assert event.unit_path == desk.unit.path
    assert result.session.expected_content == "Đất đai thôn Đông"


# ---- warnings -----------------------------------------------------------------------------------


def test_a_schedule_not_yet_published_when_its_last_day_passed(desk):
    # Wed 02/12/2026: Tue 1 (1), Mon 30 (2), Fri 27 (3), Thu 26 (4), Wed 25 (5): published by 25/11.
    result = make(desk, day=date(2026, 12, 2))
    assert len(result.warnings) == 1 and "25/11/2026" in result.warnings[0]
    # Mon 07/12/2026: Fri 4 .. Tue 1 (1–4), Mon 30 (5): there is still time today (27/11).
    assert make(desk, day=date(2026, 12, 7)).warnings == []
    # The desk's regular reception and a cancelled session never warn.
    assert make(desk, kind=SessionKind.REGULAR, day=date(2026, 12, 2)).warnings == []
    late = Session.objects.get(pk=result.session.pk)
    assert selectors.schedule_warnings(late, TODAY)
    cancelled = step(desk, "cancel", late)
    assert selectors.schedule_warnings(cancelled, TODAY) == []


def test_a_schedule_published_less_than_five_working_days_ahead(desk):
    # Thu 03/12/2026: Wed 2 (1), Tue 1 (2), Mon 30 (3), Fri 27 (4), Thu 26 (5): published by 26/11.
    session = make(desk, day=date(2026, 12, 3)).session
    on_time = services.session_publish(
        actor=desk.clerk, session_id=session.pk, version=session.version, on=date(2026, 11, 26), today=TODAY
    )
    assert on_time.warnings == []
    assert on_time.session.published_on == date(2026, 11, 26)
    other = make(desk, day=date(2026, 12, 3)).session
    late = services.session_publish(
        actor=desk.clerk, session_id=other.pk, version=other.version, on=TODAY, today=TODAY
    )
    assert len(late.warnings) == 1 and "26/11/2026" in late.warnings[0] and "5" in late.warnings[0]
    event = AuditEvent.objects.filter(action="reception.session_publish").latest("pk")
    assert event.after == {"published_on": "2026-11-27"}


def test_delegation_is_warned_from_1_july_2026(desk):
    # Luật 136/2025 (as the press reports it): heads no longer authorise someone else.
    before = make(
        desk, held=True, presider=Presider.AUTHORISED, presider_name="Đỗ Văn Phó", day=date(2026, 6, 30)
    )
    assert before.warnings == []
    after = make(
        desk, held=True, presider=Presider.AUTHORISED, presider_name="Đỗ Văn Phó", day=date(2026, 7, 1)
    )
    assert len(after.warnings) == 1 and "01/07/2026" in after.warnings[0] and "136/2025" in after.warnings[0]
    in_person = make(desk, held=True, presider=Presider.HEAD, day=date(2026, 7, 1))
    assert in_person.warnings == []
    # The same when a scheduled session is recorded as held.
    session = make(desk, day=date(2026, 11, 20)).session
    held = services.session_hold(
        actor=desk.clerk,
        session_id=session.pk,
        version=session.version,
        presider=Presider.AUTHORISED,
        presider_name="Đỗ Văn Phó",
        today=TODAY,
    )
    assert len(held.warnings) == 1


# ---- the desk's regular session -----------------------------------------------------------------


def test_the_regular_session_is_opened_once(desk):
    first = services.session_open_regular(
        actor=desk.clerk, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
    )
    again = services.session_open_regular(
        actor=desk.handler, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
    )
    assert again == first
    assert (first.kind, first.status, first.presider) == (SessionKind.REGULAR, S.HELD, Presider.STAFF)
    assert AuditEvent.objects.filter(action="reception.session_create").count() == 1
    # Another place, or another day, is another session.
    place = services.place_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        name="Điểm tiếp dân thôn Đông",
        address="Nhà văn hóa thôn Đông",
    )
    at_place = services.session_open_regular(
        actor=desk.clerk, unit_id=desk.unit.pk, day=TODAY, place_id=place.pk, today=TODAY
    )
    assert at_place != first and at_place.place == place
    assert (
        services.session_open_regular(
            actor=desk.clerk, unit_id=desk.unit.pk, day=TODAY, place_id=place.pk, today=TODAY
        )
        == at_place
    )
    yesterday = services.session_open_regular(
        actor=desk.clerk, unit_id=desk.unit.pk, day=date(2026, 11, 26), place_id=None, today=TODAY
    )
    assert yesterday != first
    assert Session.objects.count() == 3


def test_the_regular_session_is_not_opened_ahead_or_out_of_reach(desk, tree):
    with pytest.raises(DomainError) as err:
        services.session_open_regular(
            actor=desk.clerk, unit_id=desk.unit.pk, day=date(2026, 11, 28), place_id=None, today=TODAY
        )
    assert err.value.code == "date_in_future"
    with pytest.raises(PermissionDenied):
        services.session_open_regular(
            actor=desk.outsider, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.session_open_regular(
            actor=desk.committee, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
        )
    assert not Session.objects.exists()


# ---- places and duties --------------------------------------------------------------------------


def test_place_and_duty_saves_check_their_fields_and_versions(desk, tree):
    with pytest.raises(DomainError) as err:
        services.place_save(actor=desk.leader, unit_id=desk.unit.pk, name=" ", address="")
    assert set(err.value.fields) == {"name", "address"}
    place = services.place_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        name="Trụ sở UBND xã",
        address="Thôn Trung",
        regular_hours="T2–T6",
    )
    assert place.version == 0
    changed = services.place_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        place_id=place.pk,
        version=0,
        name="Trụ sở UBND xã Khánh Thiện",
        address="Thôn Trung",
        regular_hours="T2–T6",
        active=False,
    )
    assert (changed.version, changed.active) == (1, False)
    with pytest.raises(StaleEdit):
        services.place_save(
            actor=desk.leader, unit_id=desk.unit.pk, place_id=place.pk, version=0, name="X", address="Y"
        )
    assert Place.objects.get(pk=place.pk).name == "Trụ sở UBND xã Khánh Thiện"
    update = AuditEvent.objects.get(action="reception.place_update")
    assert update.before == {"name": "Trụ sở UBND xã", "active": True, "version": 0}
    assert update.after == {"name": "Trụ sở UBND xã Khánh Thiện", "active": False, "version": 1}

    duties = Duty.objects.count()
    for values, field in (
        ({"position": "mayor"}, "position"),
        ({"holder_name": " "}, "holder_name"),
        ({"valid_to": date(2025, 6, 30)}, "valid_to"),
        ({"valid_from": date(2025, 6, 30)}, "valid_from"),  # N began on 01/07/2025
        ({"holder_id": 999_999}, "holder"),
    ):
        kwargs = {
            "actor": desk.leader,
            "unit_id": desk.unit.pk,
            "position": Position.PARTY_SECRETARY,
            "holder_name": "Bí thư Đảng ủy xã",
            "valid_from": date(2025, 7, 1),
        }
        kwargs.update(values)
        with pytest.raises(DomainError) as err:
            services.duty_save(**kwargs)
        assert field in err.value.fields, (values, err.value.fields)
    assert Duty.objects.count() == duties
    ended = services.duty_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        duty_id=desk.duty.pk,
        version=desk.duty.version,
        position=Position.PC_CHAIRMAN,
        holder_name="Trần Văn Chủ",
        holder_id=desk.leader.pk,
        valid_from=date(2025, 7, 1),
        valid_to=date(2026, 12, 31),
    )
    assert (ended.version, ended.valid_to) == (1, date(2026, 12, 31))
    with pytest.raises(StaleEdit):
        services.duty_save(
            actor=desk.leader,
            unit_id=desk.unit.pk,
            duty_id=desk.duty.pk,
            version=0,
            position=Position.PC_CHAIRMAN,
            holder_name="Trần Văn Chủ",
            valid_from=date(2025, 7, 1),
        )


# ---- the head's compliance, through the sessions ------------------------------------------------


def test_compliance_counts_a_session_in_a_week_that_ends_in_the_next_month(desk):
    """The week of Mon 28/09/2026 is September's (it opens on the 28th): a session held on Thu 1
    October counts for September, and October does not count that week again."""

    def held(day: date, presider: str = Presider.HEAD, **values):
        return make(desk, day=day, held=True, presider=presider, presider_name="Đỗ Văn Phó", **values).session

    held(date(2026, 9, 3))  # week of 31/08 (31/08, 1–2/09 are holidays)
    held(date(2026, 9, 8), Presider.AUTHORISED)  # week of 07/09
    held(date(2026, 9, 15))  # week of 14/09 ...
    held(date(2026, 9, 16))  # ... twice: the week of 21/09 stays missed
    held(date(2026, 10, 1))  # week of 28/09
    held(date(2026, 10, 6), kind=SessionKind.AD_HOC, trigger=Trigger.COMPLEX)  # ad hoc: not a periodic day
    cancelled = make(desk, day=date(2026, 10, 13)).session
    step(desk, "cancel", cancelled)  # cancelled: missed
    rows = selectors.compliance_for(
        desk.leader, unit_id=desk.unit.pk, first=date(2026, 9, 1), last=date(2026, 9, 30)
    )
    assert len(rows) == 1 and rows[0].duty == desk.duty
    september = rows[0]
    assert (september.required, september.in_person, september.delegated, september.missed) == (5, 3, 1, 1)
    assert september.rate == pytest.approx(0.6) and not september.uncertain
    # October: the weeks of 05, 12, 19, 26 October; nothing held in them but the ad hoc session.
    (october,) = selectors.compliance_for(
        desk.leader, unit_id=desk.unit.pk, first=date(2026, 10, 1), last=date(2026, 10, 31)
    )
    assert (october.required, october.in_person, october.delegated, october.missed) == (4, 0, 0, 4)


def test_compliance_of_a_party_secretary_is_marked_uncertain_and_scoped(desk, tree):
    secretary = services.duty_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        position=Position.PARTY_SECRETARY,
        holder_name="Bí thư Đảng ủy xã",
        valid_from=date(2026, 11, 1),
    )
    make(desk, duty_id=secretary.pk, day=date(2026, 11, 10), held=True, presider=Presider.HEAD)
    rows = {
        r.duty.pk: r
        for r in selectors.compliance_for(
            desk.leader, unit_id=desk.unit.pk, first=date(2026, 11, 1), last=date(2026, 11, 30)
        )
    }
    assert (rows[secretary.pk].required, rows[secretary.pk].in_person, rows[secretary.pk].uncertain) == (
        2,
        1,
        True,
    )
    assert rows[desk.duty.pk].required == 5 and not rows[desk.duty.pk].uncertain
    # The province's supervisor sees the commune's duties from the province with `below`.
    below = selectors.compliance_for(
        desk.supervisor,
        unit_id=tree.province.pk,
        first=date(2026, 11, 1),
        last=date(2026, 11, 30),
        below=True,
    )
    assert {r.duty.pk for r in below} == {secretary.pk, desk.duty.pk}
    with pytest.raises(NotFound):
        selectors.compliance_for(desk.outsider, unit_id=desk.unit.pk, first=date(2026, 11, 1), last=TODAY)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_opening_the_desk_at_once_get_one_session(desk):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    import threading

    barrier = threading.Barrier(2)
    opened: list[int] = []
    errors: list[BaseException] = []

    def open_desk(actor):
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            session = services.session_open_regular(
                actor=actor, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
            )
            opened.append(session.pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=open_desk, args=(user,)) for user in (desk.clerk, desk.handler)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(opened) == 2 and opened[0] == opened[1]
    assert Session.objects.filter(kind=SessionKind.REGULAR, day=TODAY).count() == 1
