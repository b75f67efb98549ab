"""The handler's worklist: ordered by legal deadline, filtered, counted, in a constant number of
queries. Today is Friday 27/11/2026: "due soon" runs to Tuesday 1/12 (three working days, today the
first), "very late" means due on or before 27/10/2026 (more than 30 days ago).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from danvan.petitions import deadlines, selectors, services, timing
from danvan.petitions.models import Kind
from danvan.petitions.selectors import WorklistFilter

from .conftest import TODAY


@pytest.fixture
def worklist(office, make_petition):
    """Five petitions; the comments give each one's due date, counted by hand."""
    # Complaint of 2/11: acceptance in 7 working days -> 11/11: overdue.
    complaint = make_petition(received_on=date(2026, 11, 2))
    # Denunciation of Tuesday 1/9 (a holiday, 2/9 too): 7 working days 3, 4, 7, 8, 9, 10, 11/9: very late.
    denunciation = make_petition(
        kind=Kind.DENUNCIATION,
        field="corruption",
        content="Tố cáo cán bộ thu tiền sai quy định",
        received_on=date(2026, 9, 1),
    )
    # Recommendation of 20/11: 10 days -> Monday 30/11: due soon.
    recommendation = make_petition(
        kind=Kind.RECOMMENDATION,
        field="policy",
        content="Kiến nghị làm đường",
        received_on=date(2026, 11, 20),
    )
    # Complaint of 26/11: 27, 30/11, 1, 2, 3, 4, 7/12 -> 7/12: on time.
    recent = make_petition(
        received_on=date(2026, 11, 26), content="Khiếu nại việc cấp phép xây dựng nhà xưởng"
    )
    recent = services.petition_assign(
        actor=office.leader,
        petition_id=recent.pk,
        version=recent.version,
        handler_id=office.handler.pk,
        today=TODAY,
    )
    filed = make_petition(received_on=date(2026, 11, 3), content="Đơn không rõ nội dung")
    filed = services.petition_file(
        actor=office.leader,
        petition_id=filed.pk,
        version=filed.version,
        on=date(2026, 11, 4),
        today=TODAY,
        ineligible_reason="unclear",
    )
    return {
        "complaint": complaint,
        "denunciation": denunciation,
        "recommendation": recommendation,
        "recent": recent,
        "filed": filed,
    }


def names(worklist, qs) -> list[str]:
    by_pk = {p.pk: name for name, p in worklist.items()}
    return [by_pk[p.pk] for p in qs]


def test_the_worklist_is_ordered_by_due_date(office, worklist):
    listed = selectors.petition_list_for(office.handler, WorklistFilter(), today=TODAY)
    assert names(worklist, listed) == ["denunciation", "complaint", "recommendation", "recent"]
    assert [p.due_date for p in listed] == [
        date(2026, 9, 11),
        date(2026, 11, 11),
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]
    everything = selectors.petition_list_for(office.handler, WorklistFilter(status="all"), today=TODAY)
    assert names(worklist, everything)[-1] == "filed"  # no due date: last


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": Kind.COMPLAINT}, ["complaint", "recent"]),
        ({"kind": Kind.DENUNCIATION}, ["denunciation"]),
        ({"status": "filed"}, ["filed"]),
        ({"status": "received"}, ["denunciation", "complaint", "recommendation", "recent"]),
        ({"status": "accepted"}, []),
        ({"urgency": "overdue"}, ["denunciation", "complaint"]),
        ({"urgency": "very_late"}, ["denunciation"]),
        ({"urgency": "due_soon"}, ["recommendation"]),
        ({"field": "policy"}, ["recommendation"]),
        ({"query": "cap phep xay dung"}, ["recent"]),
        ({"query": "KHIẾU   nại"}, ["recent"]),
    ],
)
def test_worklist_filters(office, worklist, filters, expected):
    listed = selectors.petition_list_for(office.handler, WorklistFilter(**filters), today=TODAY)
    assert names(worklist, listed) == expected


def test_filter_by_handler_unit_and_tracking_code(office, worklist):
    by_handler = selectors.petition_list_for(
        office.handler, WorklistFilter(handler_id=office.handler.pk), today=TODAY
    )
    assert names(worklist, by_handler) == ["recent"]
    code = worklist["complaint"].tracking_code
    assert names(
        worklist, selectors.petition_list_for(office.handler, WorklistFilter(query=code.lower()), today=TODAY)
    ) == ["complaint"]
    other = selectors.petition_list_for(
        office.handler, WorklistFilter(unit_id=office.commune_agency.pk), today=TODAY
    )
    assert names(worklist, other) == []


def test_filed_petitions_are_listed_for_disposal_after_a_year(office, worklist):
    assert (
        names(
            worklist, selectors.petition_list_for(office.leader, WorklistFilter(disposal=True), today=TODAY)
        )
        == []
    )
    # Filed on 4/11/2026, kept 12 months: Thursday 4/11/2027.
    later = selectors.petition_list_for(office.leader, WorklistFilter(disposal=True), today=date(2027, 11, 4))
    assert names(worklist, later) == ["filed"]


def test_counts(office, worklist):
    counts = selectors.petition_counts_for(office.handler, WorklistFilter(), today=TODAY)
    assert counts == {"total": 4, "overdue": 2, "very_late": 1, "due_soon": 1}
    complaints = selectors.petition_counts_for(
        office.handler, WorklistFilter(kind=Kind.COMPLAINT), today=TODAY
    )
    assert complaints == {"total": 2, "overdue": 1, "very_late": 0, "due_soon": 0}
    assert selectors.petition_counts_for(office.outsider, WorklistFilter(), today=TODAY)["total"] == 0


def _read_worklist(user_id: int) -> list[tuple]:
    user = get_user_model().objects.get(pk=user_id)  # a fresh object: its scope is not cached yet
    counts = selectors.petition_counts_for(user, WorklistFilter(), today=TODAY)
    rows = [
        (p.receipt_number, p.unit.name, p.handler.get_username() if p.handler else "", p.due_date)
        for p in selectors.petition_list_for(user, WorklistFilter(status="all"), today=TODAY)
    ]
    return [counts, *rows]


def test_the_worklist_takes_the_same_number_of_queries_for_3_and_10_petitions(
    office, make_petition, django_assert_num_queries
):
    for _ in range(3):
        make_petition()
    with django_assert_num_queries(6):
        # the user, its roles, the successions of its units, the calendar, the counts, the list
        assert len(_read_worklist(office.handler.pk)) == 4
    for _ in range(7):
        petition = make_petition()
        services.petition_assign(
            actor=office.leader,
            petition_id=petition.pk,
            version=petition.version,
            handler_id=office.handler.pk,
            today=TODAY,
        )
    with django_assert_num_queries(6):
        assert len(_read_worklist(office.handler.pk)) == 11


def test_the_filters_agree_with_the_urgency_tags(office, worklist, make_petition):
    # Complaints of Friday 20/11 (24/11 is a holiday): due Wednesday 2/12, just after "due soon";
    # of Thursday 19/11: due Tuesday 1/12, the last day of "due soon".
    make_petition(received_on=date(2026, 11, 20))
    make_petition(received_on=date(2026, 11, 19))
    calendar = timing.calendar_around(TODAY)
    everything = list(selectors.petition_list_for(office.handler, WorklistFilter(), today=TODAY))
    assert [p.due_date for p in everything][-3:] == [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 7)]
    tags = {p.pk: deadlines.urgency(p.due_date, TODAY, calendar) for p in everything}
    for urgency in ("due_soon", "very_late"):
        listed = {
            p.pk
            for p in selectors.petition_list_for(office.handler, WorklistFilter(urgency=urgency), today=TODAY)
        }
        assert listed == {pk for pk, tag in tags.items() if tag == urgency}, urgency
    overdue = {
        p.pk
        for p in selectors.petition_list_for(office.handler, WorklistFilter(urgency="overdue"), today=TODAY)
    }
    assert overdue == {pk for pk, tag in tags.items() if tag in ("overdue", "very_late")}
    counts = selectors.petition_counts_for(office.handler, WorklistFilter(), today=TODAY)
    assert counts["due_soon"] == list(tags.values()).count("due_soon") == 2
