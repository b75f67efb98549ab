"""Visits (lines of the reception book) and the petitions that come of them (Luật Tiếp công dân Art
25–32): what `visit_record` refuses, each with its field and nothing at all written; the sweep of
outcomes by kind; multi-content visits split into petitions; repeated visits on one case; the answer
owed within 10 working days; atomicity with the petitions made in the same transaction; book
numbers per unit and year without gaps.

TODAY is Friday 27 November 2026; 10 working days after it is Friday 11 December 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.petitions import services as petition_services
from danvan.petitions.models import Case, Channel, Event, Kind, Petition, Petitioner
from danvan.petitions.models import Counter as PetitionCounter
from danvan.reception import selectors, services
from danvan.reception.models import (
    ANSWER_OWED,
    OUTCOMES_OF_KIND,
    AnswerKind,
    Counter,
    Outcome,
    Presider,
    RefusalGround,
    Session,
    SessionKind,
    SessionStatus,
    Visit,
    Visitor,
)

from .conftest import TODAY, visit_input

DUE = date(2026, 12, 11)
TARGETED = {Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.URGED}


def person(name: str, id_number: str = "", representative: bool = False, **values) -> services.VisitorInput:
    return services.VisitorInput(name=name, id_number=id_number, representative=representative, **values)


CROWD = [
    person("Nguyễn Văn Một", "037090000011", True),
    person("Trần Thị Hai", "037190000022", True),
    person("Lê Văn Ba"),
]


def state() -> dict[str, int]:
    """Everything a visit may write, counted; counters by their last numbers."""
    return {
        "visits": Visit.objects.count(),
        "visitors": Visitor.objects.count(),
        "cases": Case.objects.count(),
        "petitions": Petition.objects.count(),
        "petitioners": Petitioner.objects.count(),
        "events": Event.objects.count(),
        "audit": AuditEvent.objects.count(),
        "counters": sum(Counter.objects.values_list("last", flat=True)),
        "counter_rows": Counter.objects.count(),
        "petition_counters": sum(PetitionCounter.objects.values_list("last", flat=True)),
        "links": Visit.petitions.through.objects.count(),
    }


def refused(desk, session, where: str, *, actor=None, code: str | None = None, **overrides) -> DomainError:
    """`visit_record` (and `visit_check`) refuse the input on `field`, and nothing is written."""
    data = visit_input(session or Session(), **overrides)
    before = state()
    with pytest.raises(DomainError) as checked:
        services.visit_check(actor=actor or desk.clerk, data=data, today=TODAY)
    with pytest.raises(DomainError) as err:
        services.visit_record(actor=actor or desk.clerk, data=data, today=TODAY)
    assert where in err.value.fields, err.value.fields
    assert checked.value.fields.keys() == err.value.fields.keys()
    if code is not None:
        assert err.value.code == code
    assert state() == before
    return err.value


def held_session(
    desk, *, actor=None, unit=None, day: date = TODAY, kind=SessionKind.REGULAR, **values
) -> Session:
    values.setdefault("held", True)
    if kind != SessionKind.REGULAR:
        values.setdefault("duty_id", desk.duty.pk)
        values.setdefault("presider", Presider.HEAD)
    return services.session_create(
        actor=actor or desk.clerk,
        data=services.SessionInput(unit_id=(unit or desk.unit).pk, kind=kind, day=day, **values),
        today=TODAY,
    ).session


# ---- outside a session --------------------------------------------------------------------------


def test_a_visit_is_recorded_in_a_held_session_the_user_sees(desk, tree, regular):
    none = refused(desk, None, "session", code="visit_outside_session", session_id=None)
    refused(desk, None, "session", code="visit_outside_session", session_id=987_654)
    # Another commune's session: the clerk of N does not see it; the error is the same as for none.
    elsewhere = held_session(desk, actor=desk.supervisor, unit=tree.n2)
    err = refused(desk, elsewhere, "session", code="visit_outside_session")
    assert str(err.fields["session"]) == str(none.fields["session"])
    # A scheduled and a cancelled session of the unit itself.
    scheduled = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk, kind=SessionKind.PERIODIC, day=TODAY, duty_id=desk.duty.pk
        ),
        today=TODAY,
    ).session
    refused(desk, scheduled, "session", code="visit_outside_session")
    cancelled = services.session_cancel(
        actor=desk.clerk, session_id=scheduled.pk, version=scheduled.version, reason="Mưa bão", today=TODAY
    )
    assert cancelled.status == SessionStatus.CANCELLED
    refused(desk, cancelled, "session", code="visit_outside_session")


def test_a_member_who_only_reads_cannot_record(desk, regular):
    before = state()
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=desk.committee, data=visit_input(regular), today=TODAY)
    assert state() == before


# ---- the crowd ----------------------------------------------------------------------------------


def test_a_crowd_is_five_people_or_more(desk, regular):
    refused(desk, regular, "crowd", crowd=True, people_count=4, visitors=CROWD[:2])
    refused(desk, regular, "people_count", people_count=0)
    refused(desk, regular, "people_count", people_count=2, visitors=CROWD)  # three listed


@pytest.mark.parametrize(
    ("people", "representatives", "allowed"),
    [
        (5, 0, False),
        (5, 1, True),
        (5, 2, True),
        (5, 3, False),
        (10, 2, True),
        (10, 3, False),
        (11, 3, True),
        (11, 5, True),
        (11, 6, False),
        (40, 0, False),
    ],
)
def test_a_crowd_chooses_its_representatives(desk, regular, people, representatives, allowed):
    # Art 29: 5–10 people choose 1–2 representatives; more than 10, up to 5.
    visitors = [
        person(f"Người đại diện {i}", f"0370900001{i:02d}", representative=i < representatives)
        for i in range(min(people, 6))
    ]
    values = {"crowd": True, "people_count": people, "visitors": visitors}
    if allowed:
        visit = services.visit_record(
            actor=desk.clerk, data=visit_input(regular, **values), today=TODAY
        ).visit
        assert visit.crowd and visit.people_count == people
        assert [v.representative for v in visit.visitors.all()] == [
            i < representatives for i in range(min(people, 6))
        ]
    else:
        refused(desk, regular, "visitors", **values)


def test_representatives_are_marked_only_in_a_crowd(desk, regular, record_visit):
    visit = record_visit(regular, visitors=[person("Nguyễn Văn An", "037090001234", True)]).visit
    assert [v.representative for v in visit.visitors.all()] == [False]


# ---- outcomes -----------------------------------------------------------------------------------


def outcome_values(outcome: str) -> dict:
    values: dict = {"outcome": outcome}
    if outcome in TARGETED:
        values["target_name"] = "Tòa án nhân dân khu vực 3 Ninh Bình"
        values["target_document"] = "15/HD-TCD"
    if outcome == Outcome.REFUSED:
        values["refusal_ground"] = RefusalGround.THREATENING
    return values


@pytest.mark.parametrize("outcome", Outcome.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_outcome_sweep(desk, regular, kind, outcome):
    values = {**outcome_values(outcome), "kind": kind, "content": f"Nội dung {kind}: đất đai thôn Đông."}
    if outcome in OUTCOMES_OF_KIND[kind]:
        visit = services.visit_record(
            actor=desk.clerk, data=visit_input(regular, **values), today=TODAY
        ).visit
        assert (visit.outcome, visit.kinds) == (outcome, kind)
        assert (visit.answer_due == DUE) is (outcome in ANSWER_OWED)
        assert visit.protected is (kind == Kind.DENUNCIATION)
    else:
        refused(desk, regular, "outcome", **values)


def test_the_outcome_table_reads_the_law():
    # A denunciation is never answered on the spot nor guided (Luật Tố cáo Art 24: transferred).
    assert Outcome.ANSWERED not in OUTCOMES_OF_KIND[Kind.DENUNCIATION]
    assert Outcome.GUIDED not in OUTCOMES_OF_KIND[Kind.DENUNCIATION]
    # A complaint outside the authority is guided, not transferred.
    assert Outcome.TRANSFERRED not in OUTCOMES_OF_KIND[Kind.COMPLAINT]
    assert all(Outcome.REFUSED in allowed for allowed in OUTCOMES_OF_KIND.values())
    assert set(OUTCOMES_OF_KIND) == set(Kind.values)


def test_every_kind_of_a_matter_allows_the_outcome(desk, regular):
    parts = [
        services.VisitPart(kind=Kind.COMPLAINT, field="land", content="Khiếu nại quyết định thu hồi đất."),
        services.VisitPart(kind=Kind.DENUNCIATION, field="corruption", content="Tố cáo cán bộ nhận tiền."),
    ]
    refused(desk, regular, "outcome", parts=parts, outcome=Outcome.ANSWERED)
    refused(desk, regular, "outcome", parts=parts, outcome="postponed")


def test_a_refusal_states_its_ground(desk, regular):
    refused(desk, regular, "refusal_ground", outcome=Outcome.REFUSED)
    refused(desk, regular, "refusal_ground", outcome=Outcome.REFUSED, refusal_ground="rude")
    # The third ground (a matter resolved and answered) uses the refusal notice, form 01.
    refused(desk, regular, "refusal_notice", outcome=Outcome.REFUSED, refusal_ground=RefusalGround.RESOLVED)
    # Only a refusal has a ground.
    refused(
        desk, regular, "refusal_ground", outcome=Outcome.ACCEPTED, refusal_ground=RefusalGround.THREATENING
    )
    visit = services.visit_record(
        actor=desk.clerk,
        data=visit_input(
            regular,
            outcome=Outcome.REFUSED,
            refusal_ground=RefusalGround.RESOLVED,
            refusal_notice=" 03/TB-TCD ",
            visitors=[],
        ),
        today=TODAY,
    ).visit
    assert (visit.refusal_ground, visit.refusal_notice, visit.answer_due) == (
        RefusalGround.RESOLVED,
        "03/TB-TCD",
        None,
    )
    assert not visit.visitors.exists()


def test_a_guidance_or_transfer_names_its_target(desk, regular):
    refused(desk, regular, "target_name", outcome=Outcome.GUIDED)
    refused(desk, regular, "target_name", outcome=Outcome.URGED, target_name="  ")
    refused(
        desk, regular, "target_name", kind=Kind.RECOMMENDATION, field="policy", outcome=Outcome.TRANSFERRED
    )


@pytest.mark.parametrize("outcome", [Outcome.ANSWERED, Outcome.REFUSED])
def test_a_matter_answered_or_refused_makes_no_petition(desk, regular, outcome):
    refused(desk, regular, "make_petitions", make_petitions=True, **outcome_values(outcome))


def test_the_parts_and_the_people(desk, regular):
    refused(desk, regular, "parts", parts=[])
    two = [
        services.VisitPart(kind=Kind.COMPLAINT, field="land", content="Một."),
        services.VisitPart(kind=Kind.COMPLAINT, field="policy", content="Hai."),
    ]
    refused(desk, regular, "parts", parts=two)
    refused(desk, regular, "parts.0.kind", kind="petition")
    refused(desk, regular, "parts.0.field", kind=Kind.RECOMMENDATION, field="corruption")
    refused(desk, regular, "parts.0.content", content="   ")
    refused(desk, regular, "visitors", visitors=[])
    refused(desk, regular, "visitors", visitors=[person("  ")])
    refused(desk, regular, "visitors.0.id_number", visitors=[person("Nguyễn Văn An", "12345")])
    refused(desk, regular, "visitors.0.id_number", visitors=[person("Nguyễn Văn An", "999090001234")])
    refused(desk, regular, "visitors.0.name", visitors=[person("", "037090001234")])


def test_an_earlier_visit_or_petition_must_be_in_reach(desk, tree, regular, record_visit):
    elsewhere = held_session(desk, actor=desk.supervisor, unit=tree.n2)
    theirs = record_visit(elsewhere, actor=desk.supervisor).visit
    refused(desk, regular, "repeat_of_visit", code="visit_not_found", repeat_of_visit_id=theirs.pk)
    refused(desk, regular, "repeat_of_petition", code="petition_not_found", repeat_of_petition_id=424_242)


def test_visit_check_writes_nothing_and_names_the_session(desk, regular):
    before = state()
    assert (
        services.visit_check(actor=desk.clerk, data=visit_input(regular, make_petitions=True), today=TODAY)
        == regular
    )
    assert state() == before


# ---- what a visit carries -----------------------------------------------------------------------


def test_a_multi_content_visit_makes_one_petition_per_kind(desk, head_session, record_visit):
    result = record_visit(
        head_session,
        parts=[
            services.VisitPart(
                kind=Kind.COMPLAINT, field="land", content="Khiếu nại mức bồi thường đất ở thôn Đông."
            ),
            services.VisitPart(
                kind=Kind.RECOMMENDATION,
                field="policy",
                content="Kiến nghị làm lại đường liên thôn.",
                subject="UBND xã",
            ),
        ],
        visitors=CROWD,
        crowd=True,
        people_count=7,
        make_petitions=True,
        has_original_documents=True,
        earlier_handling="UBND xã đã trả lời 15/10/2026",
    )
    visit = result.visit
    assert (visit.session_kind, visit.presider) == (SessionKind.PERIODIC, Presider.HEAD)
    assert (visit.unit, visit.unit_path, visit.day, visit.year) == (desk.unit, desk.unit.path, TODAY, 2026)
    assert visit.kind_list == [Kind.COMPLAINT, Kind.RECOMMENDATION]
    assert visit.content == "Khiếu nại mức bồi thường đất ở thôn Đông. / Kiến nghị làm lại đường liên thôn."
    assert visit.content_folded.startswith("khieu nai muc boi thuong dat o thon dong")
    assert not visit.is_repeat and visit.repeat_of is None
    complaint, recommendation = result.petitions
    assert [p.kind for p in result.petitions] == [Kind.COMPLAINT, Kind.RECOMMENDATION]
    for petition in result.petitions:
        assert (petition.unit, petition.received_on, petition.channel) == (
            desk.unit,
            TODAY,
            Channel.IN_PERSON,
        )
        assert petition.signer_count == 7
        assert petition.has_original_documents
        assert not petition.protected
        assert [(p.name, p.id_number, p.representative) for p in petition.petitioners.all()] == [
            ("Nguyễn Văn Một", "037090000011", True),
            ("Trần Thị Hai", "037190000022", True),
            ("Lê Văn Ba", "", False),
        ]
        assert list(petition.visits.all()) == [visit]
    assert recommendation.subject == "UBND xã"
    # The visit's matter is the first content's case; the second content is a matter of its own.
    assert complaint.case_id == visit.case_id
    assert recommendation.case_id != visit.case_id
    assert not complaint.is_repeat and not recommendation.is_repeat
    assert set(result.secrets) == {complaint.pk, recommendation.pk}
    assert set(visit.petitions.all()) == {complaint, recommendation}
    event = AuditEvent.objects.get(action="reception.visit_record")
    assert event.after["petitions"] == [complaint.pk, recommendation.pk]
    assert event.after["people_count"] == 7 and event.after["crowd"] is True
    assert AuditEvent.objects.filter(action="petition.receive").count() == 2


def test_a_very_long_name_or_address_is_cut_to_the_columns(desk, regular, record_visit):
    # PostgreSQL refuses a value longer than its column: the visitor and the petitioner alike.
    long_name, long_address = "Nguyễn " * 40, "Thôn Đông " * 40
    result = record_visit(regular, visitors=[person(long_name, address=long_address)], make_petitions=True)
    (visitor,) = result.visit.visitors.all()
    (petitioner,) = result.petitions[0].petitioners.all()
    for row in (visitor, petitioner):
        assert len(row.name) <= 200 and row.name.startswith("Nguyễn Nguyễn")
        assert len(row.address) <= 300 and row.address.startswith("Thôn Đông")
    assert len(visitor.name_folded) <= 200


def test_a_visit_without_petitions_opens_its_own_case(desk, regular, record_visit):
    visit = record_visit(regular).visit
    assert not visit.petitions.exists()
    case = Case.objects.get(pk=visit.case_id)
    assert (case.unit, case.opened_on) == (desk.unit, TODAY)
    assert [(v.name, v.name_folded, v.id_number) for v in visit.visitors.all()] == [
        ("Nguyễn Văn An", "nguyen van an", "037090001234")
    ]


def test_a_repeated_visit_shares_the_case(desk, regular, head_session, record_visit):
    first = record_visit(regular, make_petitions=True)
    second = record_visit(head_session, repeat_of_visit_id=first.visit.pk, make_petitions=True)
    assert second.visit.case_id == first.visit.case_id
    assert (second.visit.is_repeat, second.visit.repeat_of) == (True, first.visit)
    (petition,) = second.petitions
    assert petition.case_id == first.visit.case_id and petition.is_repeat
    # A third time, naming the earlier petition rather than the visit.
    third = record_visit(regular, repeat_of_petition_id=first.petitions[0].pk).visit
    assert third.case_id == first.visit.case_id
    assert (third.is_repeat, third.repeat_of) == (True, None)
    found = selectors.person_lookup(desk.clerk, id_number="037090001234")
    assert [m.visit for m in found.visits] == [third, second.visit, first.visit]
    assert [m.case_visits for m in found.visits] == [3, 3, 3]  # the third visit on the same matter
    assert Case.objects.filter(pk=first.visit.case_id).count() == 1


def test_a_repeat_across_the_merger(desk, tree, record_visit):
    # C1's visit of 2025 is in N's archive: N's clerk records the same matter again as a repeat.
    old_session = held_session(desk, unit=tree.c1, day=date(2025, 3, 3))
    old = record_visit(old_session).visit
    assert (old.unit, old.book_number) == (tree.c1, "1/2025")
    again = record_visit(held_session(desk), repeat_of_visit_id=old.pk, make_petitions=True)
    assert again.visit.case_id == old.case_id and again.visit.unit == desk.unit
    assert again.petitions[0].case_id == old.case_id


# ---- the answer owed ----------------------------------------------------------------------------


def test_an_answer_is_owed_only_after_acceptance_transfer_or_urging(desk, regular):
    kind_of = {Outcome.TRANSFERRED: Kind.RECOMMENDATION}
    visits = {}
    for outcome in Outcome.values:
        kind = kind_of.get(outcome, Kind.COMPLAINT)
        data = visit_input(regular, kind=kind, field="land", **outcome_values(outcome))
        visits[outcome] = services.visit_record(actor=desk.clerk, data=data, today=TODAY).visit
    assert {o: v.answer_due for o, v in visits.items()} == {
        Outcome.ANSWERED: None,
        Outcome.ACCEPTED: DUE,
        Outcome.GUIDED: None,
        Outcome.TRANSFERRED: DUE,
        Outcome.URGED: DUE,
        Outcome.REFUSED: None,
    }
    owed = list(selectors.answers_due_for(desk.clerk, today=TODAY))
    assert owed == [visits[Outcome.ACCEPTED], visits[Outcome.TRANSFERRED], visits[Outcome.URGED]]
    assert not selectors.answers_due_for(desk.outsider, today=TODAY).exists()


def test_the_answer_is_counted_across_national_day(desk, record_visit):
    # Thu 27/08/2026: Fri 28 (1), [Sat 29 – Wed 2 Sep], Thu 3 (2), Fri 4 (3), 7–11 (4–8),
    # Mon 14 (9), Tue 15 (10).
    session = held_session(desk, day=date(2026, 8, 27))
    assert record_visit(session).visit.answer_due == date(2026, 9, 15)


def test_visit_answer(desk, regular, record_visit):
    visit = record_visit(regular).visit
    other_day = held_session(desk, day=date(2026, 11, 20))
    earlier = record_visit(other_day).visit

    def answer(**values):
        kwargs = {
            "actor": desk.clerk,
            "visit_id": visit.pk,
            "version": visit.version,
            "answered_on": TODAY,
            "answer_kind": AnswerKind.ACCEPTED,
            "today": TODAY,
        }
        kwargs.update(values)
        return services.visit_answer(**kwargs)

    events = AuditEvent.objects.count()
    for values, field in (
        ({"answered_on": date(2026, 11, 28)}, "answered_on"),
        ({"answered_on": date(2026, 11, 26)}, "answered_on"),
        ({"answer_kind": "maybe"}, "answer_kind"),
    ):
        with pytest.raises(DomainError) as err:
            answer(**values)
        assert field in err.value.fields
    with pytest.raises(StaleEdit):
        answer(version=visit.version + 1)
    with pytest.raises(NotFound):
        answer(actor=desk.outsider)
    with pytest.raises(PermissionDenied):
        answer(actor=desk.committee)
    assert AuditEvent.objects.count() == events
    assert Visit.objects.get(pk=visit.pk).answered_on is None
    done = answer(follow_up="Đã thụ lý, giao địa chính xác minh", answer_kind=AnswerKind.MORE_TIME)
    assert (done.answered_on, done.answer_kind, done.version) == (TODAY, AnswerKind.MORE_TIME, 1)
    assert done.follow_up == "Đã thụ lý, giao địa chính xác minh"
    event = AuditEvent.objects.get(action="reception.visit_answer")
    assert event.after == {"answered_on": "2026-11-27", "answer_kind": AnswerKind.MORE_TIME}
    assert list(selectors.answers_due_for(desk.clerk, today=TODAY)) == [earlier]
    # An answer given on the visit day itself is fine.
    same_day = services.visit_answer(
        actor=desk.clerk,
        visit_id=earlier.pk,
        version=earlier.version,
        answered_on=date(2026, 11, 20),
        answer_kind=AnswerKind.NOT_ACCEPTED,
        today=TODAY,
    )
    assert same_day.answered_on == date(2026, 11, 20)


# ---- atomicity ----------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_failure_inside_the_petitions_leaves_nothing(desk, regular, record_visit, monkeypatch):
    record_visit(regular, make_petitions=True)  # numbers and counters exist already
    real = petition_services.petition_intake

    def intake_then_fail(**kwargs):
        result = real(**kwargs)
        assert Petition.objects.filter(pk__in=[p.pk for p in result.petitions]).count() == 2
        raise Boom()

    monkeypatch.setattr(petition_services, "petition_intake", intake_then_fail)
    two_parts = [
        services.VisitPart(kind=Kind.COMPLAINT, field="land", content="Khiếu nại thu hồi đất."),
        services.VisitPart(kind=Kind.DENUNCIATION, field="corruption", content="Tố cáo cán bộ địa chính."),
    ]
    before = state()
    with pytest.raises(Boom):
        record_visit(
            regular, parts=two_parts, make_petitions=True, visitors=CROWD, crowd=True, people_count=5
        )
    assert state() == before
    monkeypatch.undo()
    # The next visit takes the next number: no gap.
    assert record_visit(regular).visit.book_number == "2/2026"


def test_a_domain_error_in_the_second_petition_leaves_nothing(desk, regular, monkeypatch):
    real_index = petition_services._index_content
    calls = {"n": 0}

    def index_once_then_refuse(petition):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DomainError("index_failed", "Không lập được chỉ mục.")
        return real_index(petition)

    monkeypatch.setattr(petition_services, "_index_content", index_once_then_refuse)
    parts = [
        services.VisitPart(kind=Kind.COMPLAINT, field="land", content="Khiếu nại thu hồi đất."),
        services.VisitPart(kind=Kind.FEEDBACK, field="policy", content="Phản ánh đèn đường hỏng."),
    ]
    before = state()
    with pytest.raises(DomainError) as err:
        services.visit_record(
            actor=desk.clerk, data=visit_input(regular, parts=parts, make_petitions=True), today=TODAY
        )
    assert err.value.code == "index_failed" and calls["n"] == 2
    assert state() == before


# ---- numbers ------------------------------------------------------------------------------------


def test_book_numbers_per_unit_and_year_without_gaps(desk, tree, regular, record_visit):
    assert [record_visit(regular).visit.book_number for _ in range(3)] == ["1/2026", "2/2026", "3/2026"]
    with pytest.raises(DomainError):
        record_visit(regular, crowd=True, people_count=3)
    assert record_visit(regular).visit.book_number == "4/2026"
    # Another unit counts on its own.
    elsewhere = held_session(desk, actor=desk.supervisor, unit=tree.n2)
    assert record_visit(elsewhere, actor=desk.supervisor).visit.book_number == "1/2026"
    # Another year of the same unit counts on its own, whatever the day it is recorded.
    last_year = held_session(desk, day=date(2025, 12, 15))
    assert record_visit(last_year).visit.book_number == "1/2025"
    assert record_visit(regular).visit.book_number == "5/2026"
    numbers = sorted(Visit.objects.filter(unit=desk.unit, year=2026).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert Counter.objects.get(unit=desk.unit, year=2026).last == 5
    assert Counter.objects.get(unit=desk.unit, year=2025).last == 1
    assert Counter.objects.get(unit=tree.n2, year=2026).last == 1
