"""The petition lifecycle: a sweep of `lifecycle.TRANSITIONS` (every allowed step works, every
forbidden one changes nothing), then the rules of each step: deadlines, extensions, decisions,
withdrawals, guiding and transferring once, internal transfers, urging, filing and disposal.

Expected dates are counted by hand on the 2026–2027 calendar; the comments show the count.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core import audit
from danvan.core.errors import DomainError, NotFound, StaleEdit
from danvan.core.models import AuditEvent
from danvan.petitions import identity, lifecycle, selectors, services
from danvan.petitions.models import (
    Case,
    Channel,
    ContentKey,
    Counter,
    Event,
    Kind,
    Outcome,
    Petition,
    Petitioner,
    Status,
)
from danvan.units.models import Role, UnitKind

from ..conftest import make_unit
from .conftest import TODAY

ON = date(2026, 11, 9)  # a Monday: the day of every step that brings a petition to its status
DENUNCIATION_TEXT = "Tố cáo cán bộ địa chính xã nhận tiền của người dân khi làm thủ tục cấp giấy chứng nhận."
TWO_PEOPLE = [
    services.PersonInput(name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông, xã Khánh Thiện"),
    services.PersonInput(name="Phạm Thị Lan", id_number="037185004321", address="Thôn Tây, xã Khánh Thiện"),
]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def denunciation(make_petition, **overrides) -> Petition:
    values = {"kind": Kind.DENUNCIATION, "field": "corruption", "content": DENUNCIATION_TEXT}
    values.update(overrides)
    return make_petition(**values)


class Driver:
    """Moves a petition through the services as the office's leader, keeping the latest version."""

    def __init__(self, office, petition: Petition):
        self.office, self.petition = office, petition

    def __call__(self, service, *, actor=None, today: date = TODAY, **kwargs) -> Petition:
        self.petition = service(
            actor=actor or self.office.leader,
            petition_id=self.petition.pk,
            version=self.petition.version,
            today=today,
            **kwargs,
        )
        return self.petition

    def accept(self, on: date = ON, **kwargs):
        return self(services.petition_accept, on=on, **kwargs)

    def suspend(self, on: date = ON):
        return self(services.petition_suspend, on=on, ground="Chờ kết quả giám định (Điều 11a)")

    def resume(self, on: date = ON):
        return self(services.petition_resume, on=on)

    def extend(self, on: date = ON, **kwargs):
        return self(
            services.petition_extend, on=on, ground="Vụ việc phức tạp (Nghị định 31/2019 Điều 3)", **kwargs
        )

    def decide(self, decided_on: date = ON, today: date = TODAY, outcome: str = Outcome.DENUNCIATION_TRUE):
        return self(
            services.petition_decide,
            today=max(today, decided_on),
            number="15/KL-UBND",
            decided_on=decided_on,
            signer="Chủ tịch UBND tỉnh",
            outcome=outcome,
        )

    def guide(self, on: date = ON):
        return self(services.petition_guide, on=on, guided_to="Tòa án nhân dân tỉnh Ninh Bình")

    def transfer(self, on: date = ON, **kwargs):
        kwargs.setdefault("target_name", "Thanh tra tỉnh Ninh Bình")
        return self(services.petition_transfer, on=on, document_number="21/PC-UBND", **kwargs)

    def urge(self, on: date = ON, target=None):
        target = target or self.office.commune_agency
        return self(services.petition_urge, on=on, target_unit_id=target.pk, document_number="33/CV-UBND")

    def reply(self, on: date = ON):
        return self(services.petition_record_reply, on=on, summary="Đã giải quyết, trả lời công dân")

    def file(self, on: date = ON):
        return self(services.petition_file, on=on, ineligible_reason="unclear", note="Đơn không rõ nội dung")

    def dispose(self, on: date):
        return self(services.petition_dispose, on=on, today=max(TODAY, on))

    def withdraw(self, on: date = ON, **kwargs):
        return self(services.petition_withdraw, on=on, **kwargs)


def bring_to(office, make_petition, status: str) -> tuple[Petition, date]:
    """A fresh denunciation in `status`, made through the services; and the first day a next step may take.
    The denouncer came in person, so that every classification (guidance included) is open to it."""
    drive = Driver(office, denunciation(make_petition, channel="in_person"))
    day = ON
    match status:
        case Status.RECEIVED:
            pass
        case Status.ACCEPTED:
            drive.accept()
        case Status.SUSPENDED:
            drive.accept()
            drive.suspend()
        case Status.GUIDED:
            drive.guide()
        case Status.TRANSFERRED:
            drive.transfer()
        case Status.URGED:
            drive.urge()
        case Status.ANSWERED:
            drive.transfer()
            drive.reply()
        case Status.FILED:
            drive.file()
        case Status.DISPOSED:
            drive.file()
            day = drive.petition.disposal_due
            drive.dispose(day)
        case Status.WITHDRAWN:
            drive.withdraw()
        case Status.RESOLVED:
            drive.accept()
            drive.decide()
        case _:
            raise AssertionError(f"no way to bring a petition to {status}")
    assert drive.petition.status == status
    return Petition.objects.get(pk=drive.petition.pk), day


def call(office, action: str, petition: Petition, day: date) -> Petition:
    """The action's service with valid arguments for a petition whose last step was on `day`."""
    drive = Driver(office, petition)
    today = max(TODAY, day)
    match action:
        case "assign":
            return drive(services.petition_assign, today=today, handler_id=office.handler.pk)
        case "accept":
            return drive.accept(day)
        case "guide":
            return drive.guide(day)
        case "transfer":
            return drive.transfer(day)
        case "urge":
            return drive.urge(day)
        case "file":
            return drive.file(day)
        case "record_reply":
            return drive.reply(day)
        case "attach":
            document = services.FileInput(name="bo-sung.pdf", data=PDF)
            return drive(services.petition_attach, on=day, today=today, file=document)
        case "verify":
            return drive(services.petition_verify, on=day, today=today, summary="Xác minh tại thôn Đông")
        case "dialogue":
            return drive(
                services.petition_dialogue, on=day, today=today, participants="Các bên", summary="Đối thoại"
            )
        case "extend":
            return drive.extend(day)
        case "suspend":
            return drive.suspend(day)
        case "resume":
            return drive.resume(day)
        case "withdraw":
            return drive.withdraw(day)
        case "decide":
            return drive.decide(day)
        case "dispose":
            return drive.dispose(petition.disposal_due or day)
    raise AssertionError(f"no call for {action}")


S = Status
OPEN = {S.RECEIVED, S.ACCEPTED, S.SUSPENDED, S.TRANSFERRED, S.URGED}
# The table as the law reads (TT 05/2021 Art 6–16; Luật Khiếu nại Art 10, 27–31; Luật Tố cáo Art 24,
# 29–35; TT 07/2014 Art 28), written out here so that a change to `lifecycle.TRANSITIONS` is a decision.
EXPECTED_TABLE = {
    # action: (sources, target, permission)
    "assign": (OPEN, None, "petition.handle"),
    "accept": ({S.RECEIVED}, S.ACCEPTED, "petition.handle"),
    "guide": ({S.RECEIVED}, S.GUIDED, "petition.handle"),
    "transfer": ({S.RECEIVED}, S.TRANSFERRED, "petition.handle"),
    "urge": ({S.RECEIVED}, S.URGED, "petition.handle"),
    "file": ({S.RECEIVED}, S.FILED, "petition.handle"),
    "record_reply": ({S.TRANSFERRED, S.URGED}, S.ANSWERED, "petition.intake"),
    "attach": (OPEN, None, "petition.intake"),
    "verify": ({S.ACCEPTED}, None, "petition.handle"),
    "dialogue": ({S.ACCEPTED}, None, "petition.handle"),
    "extend": ({S.ACCEPTED}, None, "petition.decide"),
    "suspend": ({S.ACCEPTED}, S.SUSPENDED, "petition.decide"),
    "resume": ({S.SUSPENDED}, S.ACCEPTED, "petition.decide"),
    "withdraw": ({S.RECEIVED, S.ACCEPTED, S.SUSPENDED}, S.WITHDRAWN, "petition.handle"),
    "decide": ({S.ACCEPTED}, S.RESOLVED, "petition.decide"),
    "dispose": ({S.FILED}, S.DISPOSED, "petition.decide"),
}


def test_the_table_is_the_one_the_law_reads():
    actual = {t.action: (set(t.sources), t.target, t.permission) for t in lifecycle.TRANSITIONS.values()}
    assert actual == EXPECTED_TABLE


def test_every_status_is_known_and_reachable():
    for transition in lifecycle.TRANSITIONS.values():
        assert transition.sources <= set(Status.values)
        assert transition.target is None or transition.target in Status.values
    # Every status can be reached from "received".
    reached, frontier = {Status.RECEIVED}, [Status.RECEIVED]
    while frontier:
        status = frontier.pop()
        for transition in lifecycle.allowed_from(status):
            if transition.target and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(Status.values)
    assert {t.target for t in lifecycle.TRANSITIONS.values() if t.target} >= set(lifecycle.CLOSED)


def _row(petition_id: int) -> dict:
    return Petition.objects.filter(pk=petition_id).values().get()


def _totals() -> tuple[int, int, int, int]:
    return (
        Petition.objects.count(),
        Event.objects.count(),
        AuditEvent.objects.count(),
        Petitioner.objects.count(),
    )


@pytest.mark.parametrize("action", list(lifecycle.TRANSITIONS))
def test_lifecycle_sweep(office, make_petition, action):
    transition = lifecycle.TRANSITIONS[action]
    for status in Status.values:
        petition, day = bring_to(office, make_petition, status)
        before_row, before_totals = _row(petition.pk), _totals()
        audits = AuditEvent.objects.filter(action=f"petition.{action}", record_id=str(petition.pk))
        audits_before = audits.count()
        if status in transition.sources:
            result = call(office, action, petition, day)
            stored = Petition.objects.get(pk=petition.pk)
            expected = transition.target or status
            assert stored.status == result.status == expected, (action, status)
            assert stored.version == petition.version + 1, (action, status)
            event = stored.events.last()
            assert (event.action, event.from_status, event.to_status) == (action, status, expected), status
            assert event.actor == office.leader
            assert audits.count() == audits_before + 1, (action, status)
            entry = audits.latest("pk")
            assert entry.actor == office.leader and entry.unit_path == office.agency.path
        else:
            with pytest.raises(DomainError) as caught:
                call(office, action, petition, day)
            assert caught.value.code == "transition_not_allowed", (action, status)
            assert _row(petition.pk) == before_row, (action, status)
            assert _totals() == before_totals, (action, status)
            assert audits.count() == audits_before


# ---- the frame every step shares -------------------------------------------------------------


def test_the_timeline_is_in_order(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive(services.petition_assign, handler_id=office.handler.pk)
    drive.accept(date(2026, 11, 9))
    drive(services.petition_verify, on=date(2026, 11, 12), summary="Xác minh lần 1")
    drive.extend(date(2026, 11, 20))
    drive.suspend(date(2026, 11, 23))
    drive.resume(date(2026, 11, 24))
    drive.decide(date(2026, 11, 26))
    timeline = selectors.timeline_for(office.leader, drive.petition.pk)
    assert [(e.action, e.from_status, e.to_status) for e in timeline] == [
        ("receive", "", "received"),
        ("assign", "received", "received"),
        ("accept", "received", "accepted"),
        ("verify", "accepted", "accepted"),
        ("extend", "accepted", "accepted"),
        ("suspend", "accepted", "suspended"),
        ("resume", "suspended", "accepted"),
        ("decide", "accepted", "resolved"),
    ]
    assert [e.on for e in timeline][2:] == [
        date(2026, 11, 9),
        date(2026, 11, 12),
        date(2026, 11, 20),
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 26),
    ]
    assert drive.petition.version == 7
    with pytest.raises(NotFound):
        selectors.timeline_for(office.outsider, drive.petition.pk)


def test_a_stale_version_changes_nothing(office, make_petition):
    petition = denunciation(make_petition)
    Driver(office, Petition.objects.get(pk=petition.pk)).accept()  # another officer, first
    before_row, before_totals = _row(petition.pk), _totals()
    for version in (petition.version, petition.version + 5):
        with pytest.raises(StaleEdit):
            services.petition_verify(
                actor=office.handler,
                petition_id=petition.pk,
                version=version,
                on=ON,
                today=TODAY,
                summary="x",
            )
    with pytest.raises(StaleEdit):
        services.petition_assign(
            actor=office.leader, petition_id=petition.pk, version=0, handler_id=office.handler.pk, today=TODAY
        )
    assert _row(petition.pk) == before_row
    assert _totals() == before_totals


def test_dates_of_a_step(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    for on, code in ((date(2026, 11, 28), "date_in_future"), (date(2026, 11, 1), "date_before_received")):
        with pytest.raises(DomainError) as caught:
            drive.accept(on)
        assert caught.value.code == code
    assert drive.petition.status == Status.RECEIVED


# ---- deadlines along the way -----------------------------------------------------------------


def test_acceptance_starts_the_resolution_deadline(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    assert (drive.petition.deadline_step, drive.petition.due_date) == ("process", date(2026, 11, 11))
    drive.accept(date(2026, 11, 9))
    stored = Petition.objects.get(pk=drive.petition.pk)
    # Luật Tố cáo 2018 Art 30: 30 days from acceptance on Monday 9/11 -> Wednesday 9/12.
    assert (stored.deadline_step, stored.deadline_start, stored.due_date) == (
        "resolve",
        date(2026, 11, 9),
        date(2026, 12, 9),
    )
    assert (stored.accepted_on, stored.eligible, stored.own_authority) == (date(2026, 11, 9), True, True)
    # The leader who accepts also handles it when nobody was assigned.
    assert stored.handler == office.leader


def test_a_complex_complaint_runs_under_the_longer_period(office, make_petition):
    drive = Driver(office, make_petition())
    drive.accept(date(2026, 11, 9), complex=True)
    # Luật Khiếu nại Art 28: 45 days for a complex case -> Thursday 24/12/2026.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2026, 12, 24)


def test_suspension_stops_the_clock_and_resumption_shifts_it(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive.accept(date(2026, 11, 9))
    drive.suspend(date(2026, 11, 16))
    assert Petition.objects.get(pk=drive.petition.pk).due_date is None
    with pytest.raises(DomainError) as caught:
        drive.resume(date(2026, 11, 13))
    assert caught.value.code == "resume_before_suspend"
    drive.resume(date(2026, 11, 25))
    # Suspended 16/11 to 25/11: 9 days not counted; 9/12 + 9 days = Friday 18/12/2026.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2026, 12, 18)


def test_extensions_of_a_denunciation(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive.accept(date(2026, 11, 9))
    drive.extend(date(2026, 11, 20))
    # 30 days more: 9/12/2026 + 30 = Friday 8/1/2027.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2027, 1, 8)
    assert drive.petition.events.get(action="extend").data["days"] == 30
    # A second extension is only for an especially complex case.
    before = _row(drive.petition.pk)
    with pytest.raises(DomainError) as caught:
        drive.extend(date(2026, 11, 27))
    assert caught.value.code == "not_especially_complex"
    assert _row(drive.petition.pk) == before
    drive.extend(date(2026, 11, 27), especially_complex=True)
    # Especially complex: 30 more, 7/2/2027 falls in Tết (4–10/2): Thursday 11/2/2027.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2027, 2, 11)
    before = _row(drive.petition.pk)
    with pytest.raises(DomainError) as caught:
        drive.extend(date(2026, 11, 27), especially_complex=True)
    assert caught.value.code == "no_extension"
    assert _row(drive.petition.pk) == before


def test_an_extension_needs_a_ground_and_at_most_the_rule_s_days(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive.accept()
    with pytest.raises(DomainError) as caught:
        drive(services.petition_extend, on=ON, ground=" ")
    assert caught.value.code == "ground_required"
    with pytest.raises(DomainError) as caught:
        drive.extend(days=31)
    assert caught.value.code == "extension_days"
    drive.extend(days=10)
    # 9/12/2026 + 10 days = Saturday 19/12 -> Monday 21/12/2026.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2026, 12, 21)


def test_a_complaint_has_no_extension(office, make_petition):
    drive = Driver(office, make_petition())
    drive.accept()
    with pytest.raises(DomainError) as caught:
        drive.extend()
    assert caught.value.code == "no_extension"


# ---- decision --------------------------------------------------------------------------------


def test_a_decision_before_acceptance_is_refused(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive.accept(date(2026, 11, 9))
    with pytest.raises(DomainError) as caught:
        drive.decide(date(2026, 11, 6))
    assert caught.value.code == "petition_invalid"
    assert list(caught.value.fields) == ["decided_on"]
    assert Petition.objects.get(pk=drive.petition.pk).status == Status.ACCEPTED


def test_a_decision_on_the_last_day_is_on_time_and_the_day_after_is_late(office, make_petition):
    on_time = Driver(office, denunciation(make_petition))
    on_time.accept(date(2026, 11, 9))
    on_time.decide(date(2026, 12, 9))
    late = Driver(office, denunciation(make_petition))
    late.accept(date(2026, 11, 9))
    late.decide(date(2026, 12, 10))
    stored = Petition.objects.get(pk=on_time.petition.pk)
    assert (stored.status, stored.on_time, stored.decision_on, stored.closed_on) == (
        Status.RESOLVED,
        True,
        date(2026, 12, 9),
        date(2026, 12, 9),
    )
    assert (stored.decision_number, stored.outcome) == ("15/KL-UBND", Outcome.DENUNCIATION_TRUE)
    assert Petition.objects.get(pk=late.petition.pk).on_time is False


def test_a_decision_checks_its_fields(office, make_petition):
    drive = Driver(office, denunciation(make_petition))
    drive.accept()
    with pytest.raises(DomainError) as caught:
        drive(
            services.petition_decide, number="", decided_on=ON, signer="", outcome=Outcome.COMPLAINT_CORRECT
        )
    assert set(caught.value.fields) == {"number", "signer", "outcome"}
    with pytest.raises(DomainError) as caught:
        drive(
            services.petition_decide,
            number="1",
            decided_on=ON,
            signer="A",
            outcome=Outcome.DENUNCIATION_FALSE,
            results=services.Results(money_recovered="-1"),
        )
    assert caught.value.code == "number_negative"
    assert Petition.objects.get(pk=drive.petition.pk).status == Status.ACCEPTED


# ---- withdrawal ------------------------------------------------------------------------------


def test_withdrawal_by_one_of_two_keeps_the_case_and_by_the_last_ends_it(office, make_petition):
    drive = Driver(office, denunciation(make_petition, petitioners=TWO_PEOPLE, signer_count=2))
    drive.accept()
    first, second = drive.petition.petitioners.order_by("position")
    drive.withdraw(date(2026, 11, 16), petitioner_ids=[first.pk])
    stored = Petition.objects.get(pk=drive.petition.pk)
    assert (stored.status, stored.closed_on) == (Status.ACCEPTED, None)
    event = stored.events.last()
    assert (event.action, event.from_status, event.to_status) == ("withdraw", "accepted", "accepted")
    assert event.data["whole"] is False
    first.refresh_from_db()
    assert first.withdrawn_on == date(2026, 11, 16)
    with pytest.raises(DomainError) as caught:
        drive.withdraw(date(2026, 11, 17), petitioner_ids=[first.pk])  # already withdrawn
    assert caught.value.code == "petitioner_unknown"
    drive.withdraw(date(2026, 11, 18), petitioner_ids=[second.pk])
    stored = Petition.objects.get(pk=drive.petition.pk)
    assert (stored.status, stored.closed_on, stored.due_date) == (Status.WITHDRAWN, date(2026, 11, 18), None)


# ---- guiding and transferring once -----------------------------------------------------------


def test_a_second_guidance_on_the_same_case_is_refused(office, make_petition):
    first = Driver(office, make_petition())
    first.guide()
    again = Driver(office, make_petition(parts=_linked("case", first.petition)))
    assert again.petition.case_id == first.petition.case_id
    with pytest.raises(DomainError) as caught:
        again.guide()
    assert caught.value.code == "already_guided"
    assert Petition.objects.get(pk=again.petition.pk).status == Status.RECEIVED
    # Another matter of the same citizen may still be guided.
    Driver(office, make_petition()).guide()


def test_a_denunciation_goes_on_after_everyone_withdrew_when_the_violation_appears_real(
    office, make_petition
):
    drive = Driver(office, denunciation(make_petition))
    drive.accept()
    drive.withdraw(continue_anyway=True)
    petition = Petition.objects.get(pk=drive.petition.pk)
    assert petition.status == Status.ACCEPTED and not petition.petitioners.filter(withdrawn_on=None).exists()
    assert petition.events.get(action="withdraw").data["continue_anyway"] is True
    complaint = Driver(office, make_petition())
    with pytest.raises(DomainError) as caught:
        complaint.withdraw(continue_anyway=True)
    assert caught.value.code == "continue_not_denunciation"
    assert Petition.objects.get(pk=complaint.petition.pk).status == Status.RECEIVED


def test_a_complaint_of_many_people_is_accepted_with_representatives(office, make_petition):
    many = Driver(office, make_petition(signer_count=6))
    with pytest.raises(DomainError) as caught:
        many.accept()
    assert caught.value.code == "representatives_required"
    assert Petition.objects.get(pk=many.petition.pk).status == Status.RECEIVED
    represented = make_petition(
        signer_count=6,
        petitioners=[services.PersonInput(name="Nguyễn Văn An", address="Thôn Đông", representative=True)],
    )
    assert Driver(office, represented).accept().status == Status.ACCEPTED


def test_a_written_denunciation_is_transferred_not_guided(office, make_petition):
    written = Driver(office, denunciation(make_petition))
    with pytest.raises(DomainError) as caught:
        written.guide()
    assert caught.value.code == "denunciation_transferred"
    assert Petition.objects.get(pk=written.petition.pk).status == Status.RECEIVED
    # A denouncer who came in person is guided.
    Driver(office, denunciation(make_petition, channel="in_person")).guide()


def test_a_second_transfer_of_the_same_content_is_refused(office, make_petition):
    first = Driver(office, denunciation(make_petition))
    first.transfer()
    again = Driver(office, make_petition(parts=_linked("duplicate", first.petition, kind=Kind.DENUNCIATION)))
    with pytest.raises(DomainError) as caught:
        again.transfer()
    assert caught.value.code == "already_transferred"
    # Still refused once the first transfer was answered.
    first.reply()
    with pytest.raises(DomainError) as caught:
        again.transfer(target_unit_id=office.commune_agency.pk, target_name="")
    assert caught.value.code == "already_transferred"
    assert Petition.objects.get(pk=again.petition.pk).status == Status.RECEIVED


def _linked(link: str, earlier: Petition, kind: str = Kind.COMPLAINT) -> list[services.PartInput]:
    return [
        services.PartInput(
            kind=kind, field=earlier.field, content=earlier.content, link=link, link_petition_id=earlier.pk
        )
    ]


def test_an_internal_transfer_creates_the_petition_in_the_receiving_unit(office, make_petition, make_user):
    person = services.PersonInput(name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông")
    drive = Driver(office, denunciation(make_petition, petitioners=[person]))
    drive.transfer(date(2026, 11, 10), target_unit_id=office.commune_agency.pk, target_name="")
    source = Petition.objects.get(pk=drive.petition.pk)
    assert (source.status, source.target_unit, source.target_name) == (
        Status.TRANSFERRED,
        office.commune_agency,
        office.commune_agency.name,
    )
    copy = Petition.objects.get(transferred_from=source)
    assert (copy.unit, copy.unit_path, copy.status, copy.channel) == (
        office.commune_agency,
        office.commune_agency.path,
        Status.RECEIVED,
        Channel.AGENCY,
    )
    assert (copy.kind, copy.field, copy.content, copy.received_on) == (
        source.kind,
        source.field,
        source.content,
        date(2026, 11, 10),
    )
    assert (copy.year, copy.number, copy.sender_document_number) == (2026, 1, "21/PC-UBND")
    assert copy.case_id != source.case_id and copy.tracking_code != source.tracking_code
    # The receiving unit's own first deadline: processing, 7 working days from Tuesday 10/11 -> 19/11.
    assert (copy.deadline_step, copy.due_date) == ("process", date(2026, 11, 19))
    assert list(copy.events.values_list("action", "to_status")) == [("receive", "received")]
    assert ContentKey.objects.filter(petition=copy).exists()
    [petitioner] = copy.petitioners.all()
    assert (petitioner.name, petitioner.id_number, petitioner.address) == ("", "", "")
    assert petitioner.sealed and petitioner.sealed == source.petitioners.get().sealed
    assert identity.identity_of(petitioner).name == "Nguyễn Văn An"
    commune_handler = make_user(Role.HANDLER, office.commune_agency)
    assert selectors.petition_get_for(commune_handler, copy.pk) == copy
    with pytest.raises(NotFound):
        selectors.petition_get_for(commune_handler, source.pk)
    assert AuditEvent.objects.filter(action="petition.receive", record_id=str(copy.pk)).count() == 1


def test_an_internal_transfer_of_a_complaint_copies_the_petitioners_in_clear(office, make_petition):
    drive = Driver(office, make_petition(petitioners=TWO_PEOPLE, signer_count=2))
    drive.transfer(target_unit_id=office.commune_agency.pk, target_name="")
    copy = Petition.objects.get(transferred_from=drive.petition)
    assert list(copy.petitioners.values_list("name", "sealed")) == [
        ("Nguyễn Văn An", ""),
        ("Phạm Thị Lan", ""),
    ]
    assert drive.petition.petitioners.count() == 2  # the source keeps its own


def test_a_transfer_needs_a_target_and_a_slip(office, make_petition):
    drive = Driver(office, make_petition())
    cases = [
        ({"target_name": "", "document_number": "1"}, "target_required"),
        ({"target_name": "Thanh tra", "document_number": " "}, "slip_required"),
        ({"target_unit_id": office.agency.pk, "target_name": "", "document_number": "1"}, "target_self"),
        ({"target_unit_id": 10**9, "document_number": "1"}, "target_not_found"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as caught:
            drive(services.petition_transfer, on=ON, **kwargs)
        assert caught.value.code == code


def test_internal_transfer_failing_halfway_leaves_the_source_unchanged(office, make_petition, monkeypatch):
    petition = denunciation(make_petition)
    before_row = _row(petition.pk)
    before = (_totals(), Case.objects.count(), ContentKey.objects.count(), list(Counter.objects.values()))
    calls = {"n": 0}
    real = audit.record

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the source is saved; the copy is written but not yet audited
            raise RuntimeError("connection lost")
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        Driver(office, petition).transfer(target_unit_id=office.commune_agency.pk, target_name="")
    assert calls["n"] == 2
    assert _row(petition.pk) == before_row
    assert (
        _totals(),
        Case.objects.count(),
        ContentKey.objects.count(),
        list(Counter.objects.values()),
    ) == before
    assert not Petition.objects.filter(transferred_from=petition).exists()


# ---- urging, filing, disposal ----------------------------------------------------------------


def test_urging_only_a_lower_unit(office, make_petition, tree):
    # Another agency of the same province is the same level, not a lower one.
    inspectorate = make_unit("37-TTr", "Thanh tra tỉnh Ninh Bình", UnitKind.INSPECTORATE, tree.province)
    for target in (tree.province, inspectorate, office.foreign_agency, tree.country, tree.other_commune):
        drive = Driver(office, make_petition())
        with pytest.raises(DomainError) as caught:
            drive.urge(target=target)
        assert caught.value.code == "urge_not_lower", target
    for target in (office.commune_agency, tree.n, tree.n2):
        drive = Driver(office, make_petition())
        drive.urge(target=target)
        stored = Petition.objects.get(pk=drive.petition.pk)
        assert (stored.status, stored.target_unit, stored.own_authority) == (Status.URGED, target, False)
        assert stored.target_document_number == "33/CV-UBND"


def test_filing_keeps_the_petition_a_year_then_it_may_be_disposed_of(office, make_petition):
    drive = Driver(office, make_petition())
    drive.file(date(2026, 11, 9))
    stored = Petition.objects.get(pk=drive.petition.pk)
    # Kept 12 months: Tuesday 9/11/2027.
    assert (stored.status, stored.disposal_due, stored.eligible, stored.ineligible_reason) == (
        Status.FILED,
        date(2027, 11, 9),
        False,
        "unclear",
    )
    assert (stored.closed_on, stored.due_date) == (date(2026, 11, 9), None)
    with pytest.raises(DomainError) as caught:
        drive.dispose(date(2027, 11, 8))
    assert caught.value.code == "keep_period"
    assert "09/11/2027" in caught.value.message
    drive.dispose(date(2027, 11, 9))
    assert Petition.objects.get(pk=drive.petition.pk).status == Status.DISPOSED


def test_filing_needs_a_reason(office, make_petition):
    drive = Driver(office, make_petition())
    with pytest.raises(DomainError) as caught:
        drive(services.petition_file, on=ON, ineligible_reason="")
    assert caught.value.code == "reason_required"


def test_assigning_needs_a_handler_of_the_unit(office, make_petition):
    drive = Driver(office, make_petition())
    for user in (office.clerk, office.committee, office.outsider):
        with pytest.raises(DomainError) as caught:
            drive(services.petition_assign, handler_id=user.pk)
        assert caught.value.code == "handler_invalid"
    drive(services.petition_assign, handler_id=office.handler.pk)
    assert Petition.objects.get(pk=drive.petition.pk).handler == office.handler


def test_filing_a_petition_received_before_the_keeping_rule(office, make_petition):
    # TT 07/2014 (keeping filed petitions 12 months) took effect on 15/12/2014; a petition received
    # before it is kept 12 months too, not refused for want of a rule.
    drive = Driver(office, make_petition(received_on=date(2014, 12, 1)))
    drive.file(date(2014, 12, 16))
    # 12 months from Tuesday 16/12/2014: Wednesday 16/12/2015.
    assert Petition.objects.get(pk=drive.petition.pk).disposal_due == date(2015, 12, 16)


def test_a_second_complaint_runs_under_the_second_resolution_period(office, make_petition):
    first = Driver(office, make_petition())
    first.accept(date(2026, 11, 3))
    first.decide(date(2026, 11, 5), outcome=Outcome.COMPLAINT_INCORRECT)
    second = Driver(office, make_petition(previous_id=first.petition.pk, received_on=date(2026, 11, 6)))
    second.accept(date(2026, 11, 9))
    # Luật Khiếu nại Art 37: 45 days from Monday 9/11 -> Thursday 24/12/2026.
    stored = Petition.objects.get(pk=second.petition.pk)
    assert (stored.round, stored.deadline_step, stored.due_date) == (2, "resolve_second", date(2026, 12, 24))
    with pytest.raises(DomainError) as caught:
        second.decide(date(2026, 11, 20), outcome=Outcome.COMPLAINT_CORRECT)  # a first-round outcome
    assert list(caught.value.fields) == ["outcome"]
    second.decide(date(2026, 11, 20), outcome=Outcome.UPHELD)
    assert Petition.objects.get(pk=second.petition.pk).outcome == Outcome.UPHELD


def test_a_denunciation_under_the_2011_law(office, make_petition):
    drive = Driver(office, denunciation(make_petition, received_on=date(2016, 5, 4)))
    drive.accept(date(2016, 5, 10))
    # Luật Tố cáo 2011 Art 21: 60 days from Tuesday 10/5/2016 -> Saturday 9/7 -> Monday 11/7/2016.
    assert Petition.objects.get(pk=drive.petition.pk).due_date == date(2016, 7, 11)
    with pytest.raises(DomainError) as caught:
        drive.extend(date(2016, 6, 1))
    assert caught.value.code == "no_extension"
