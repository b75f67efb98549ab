"""The desk flow through the services, end to end: session, visit with two petitions, the answer,
conclusions, the book, compliance and the indicators."""

from __future__ import annotations

from datetime import date

from danvan.core import indicators
from danvan.petitions.models import Petition
from danvan.reception import selectors, services
from danvan.reception.models import Visit

from .conftest import TODAY, visit_input


def test_visit_with_two_petitions_and_everything_after(desk, regular, head_session, record_visit):
    result = record_visit(
        regular,
        parts=[
            services.VisitPart(kind="complaint", field="land", content="Khiếu nại thu hồi đất thôn Đông."),
            services.VisitPart(
                kind="recommendation", field="policy", content="Kiến nghị sửa đường liên thôn."
            ),
        ],
        make_petitions=True,
    )
    visit = result.visit
    assert [p.kind for p in result.petitions] == ["complaint", "recommendation"]
    assert result.petitions[0].case_id == visit.case_id
    assert set(visit.petitions.all()) == set(result.petitions)
    assert visit.answer_due == date(2026, 12, 11)
    assert visit.book_number == "1/2026"
    again = record_visit(head_session, repeat_of_visit_id=visit.pk)
    assert again.visit.is_repeat and again.visit.case_id == visit.case_id
    found = selectors.person_lookup(desk.clerk, name="nguyen van a")
    assert [m.case_visits for m in found.visits] == [2, 2]
    assert len(found.petitions) == 2
    by_id = selectors.person_lookup(desk.clerk, id_number="037 090 001 234")
    assert len(by_id.visits) == 2
    unit, rows = selectors.book_rows(desk.leader, unit_id=desk.unit.pk, first=TODAY, last=TODAY)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].accepted and rows[0].people == 1
    fig = indicators.figure(
        "reception.cases_first", user=desk.leader, unit_path=desk.unit.path, first=TODAY, last=TODAY
    )
    assert (fig.value, fig.records) == (1, 1)  # the case, behind it its first visit
    head = indicators.figure(
        "reception.visits",
        user=desk.leader,
        unit_path=desk.unit.path,
        first=TODAY,
        last=TODAY,
        filters={"by": "head"},
    )
    assert head.value == 1
    rows = selectors.compliance_for(
        desk.leader, unit_id=desk.unit.pk, first=date(2026, 11, 1), last=date(2026, 11, 30)
    )
    assert (rows[0].required, rows[0].in_person, rows[0].missed) == (
        5,
        1,
        4,
    )  # weeks from 2, 9, 16, 23, 30 Nov
    conclusion = services.conclusion_issue(
        actor=desk.leader,
        session_id=head_session.pk,
        number="12/TB-UBND",
        issued_on=TODAY,
        signer="Trần Văn Chủ",
        summary="Giao địa chính xã kiểm tra hồ sơ.",
        directives=[
            services.DirectiveInput(
                task="Kiểm tra hồ sơ đất", due_date=date(2026, 12, 10), responsible_name="Công chức địa chính"
            )
        ],
        today=TODAY,
    )
    assert conclusion.directives.count() == 1
    services.visit_answer(
        actor=desk.clerk,
        visit_id=visit.pk,
        version=visit.version,
        answered_on=TODAY,
        answer_kind="accepted",
        today=TODAY,
    )
    assert not selectors.answers_due_for(desk.clerk, today=TODAY).filter(pk=visit.pk).exists()
    assert Petition.objects.count() == 2 and Visit.objects.count() == 2


def test_bad_visit_changes_nothing(desk, regular, record_visit):
    import pytest

    from danvan.core.errors import DomainError

    with pytest.raises(DomainError) as err:
        record_visit(regular, crowd=True, people_count=3)
    assert "crowd" in err.value.fields
    with pytest.raises(DomainError) as err:
        services.visit_record(actor=desk.clerk, data=visit_input(regular, session_id=None), today=TODAY)
    assert err.value.code == "visit_outside_session"
    assert Visit.objects.count() == 0
