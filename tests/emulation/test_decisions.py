"""Decisions: the number, date and issuer; the level must have existed above the recipient on the
date (the district level ended on 30/06/2025); a decision is never dated before the work it rewards
(the movement's start, the model's registration, the activity's last day, the end of the period of
work) and both dates are named; one decision for several proposals is all-or-nothing and names
every bad row."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, StaleEdit
from danvan.core.models import AuditEvent
from danvan.emulation import services
from danvan.emulation.models import Commendation, CommendationEvent, Recipient
from danvan.units.models import UnitLevel

from .conftest import TODAY, F, decide, decision, make_activity, make_practice, propose

DISTRICT = {"level": UnitLevel.DISTRICT, "form": F.DISTRICT_PC_CERTIFICATE}
COMMUNE = {"level": UnitLevel.COMMUNE, "form": F.COMMUNE_PC_CERTIFICATE}
COUNTRY = {"level": UnitLevel.COUNTRY, "form": F.PRIME_MINISTER_CERTIFICATE}


def _state(commendation: Commendation) -> tuple:
    c = Commendation.objects.get(pk=commendation.pk)
    return c.status, c.version, c.decision_number, c.decided_on, c.events.count(), AuditEvent.objects.count()


def refused(actor, commendation: Commendation, day: date, **extra) -> dict[str, list[str]]:
    """The decision is refused, nothing changes; the messages by field, in English."""
    before = _state(commendation)
    with translation.override("en"):
        with pytest.raises(DomainError) as raised:
            decide(actor, commendation, day, **extra)
        messages = raised.value.field_messages()
    assert _state(commendation) == before
    return messages


def test_a_decision_is_recorded(tree, staff):
    commendation = decide(staff.chairman, propose(staff.board, tree.c1), date(2024, 3, 5))
    commendation.refresh_from_db()
    assert (
        commendation.status,
        commendation.decision_number,
        commendation.decided_on,
        commendation.issuer,
    ) == (
        "decided",
        "123/QĐ-UBND",
        date(2024, 3, 5),
        "Chủ tịch UBND tỉnh Ninh Bình",
    )
    event = commendation.events.get(action="decide")
    assert event.on == date(2024, 3, 5)
    assert "123/QĐ-UBND" in event.note
    entry = AuditEvent.objects.get(action="emulation.commendation_decide")
    assert entry.after["status"] == "decided"
    assert entry.before["status"] == "proposed"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"number": " "}, "decision_number"),
        ({"issuer": ""}, "issuer"),
        ({"number": "1" * 61}, "decision_number"),
    ],
)
def test_the_decision_must_say_its_number_and_issuer(tree, staff, extra, field):
    messages = refused(staff.chairman, propose(staff.board, tree.c1), date(2024, 3, 5), **extra)
    assert field in messages


def test_a_decision_cannot_be_dated_in_the_future(tree, staff):
    messages = refused(staff.chairman, propose(staff.board, tree.n), date(2026, 11, 28))
    assert "28/11/2026" in messages["decided_on"][0]


def test_no_decision_date_is_a_field_error(tree, staff):
    commendation = propose(staff.board, tree.c1)
    with pytest.raises(DomainError) as raised:
        services.commendation_decide(
            actor=staff.chairman,
            commendation_id=commendation.pk,
            version=commendation.version,
            decision=services.Decision(number="1/QĐ", decided_on=None, issuer="Chủ tịch"),
            today=TODAY,
        )
    assert "decided_on" in raised.value.fields


# ---- the level on the date ----------------------------------------------------------------------


def test_a_district_commendation_needs_a_district_on_the_date(tree, staff):
    """C1 lay under district D1 until 30/06/2025; from 01/07/2025 its successor N lies straight
    under the province: no district exists above it any more."""
    ok = decide(staff.chairman, propose(staff.board, tree.c1, **DISTRICT), date(2025, 6, 30))
    assert ok.status == "decided"

    late = propose(staff.board, tree.c1, **DISTRICT)
    messages = refused(staff.chairman, late, date(2025, 7, 1))
    text = " ".join(messages["decided_on"])
    assert "District level" in text
    assert tree.c1.name in text
    assert "01/07/2025" in text

    # N never had a district above it.
    after = propose(staff.board, tree.n, **DISTRICT)
    assert "decided_on" in refused(staff.chairman, after, date(2026, 1, 15))


def test_a_past_commune_is_decided_at_its_successors_level(tree, staff):
    """A proposal for C1 decided after the merger: the commune level exists through N."""
    commendation = decide(staff.chairman, propose(staff.board, tree.c1, **COMMUNE), date(2025, 9, 2))
    assert commendation.status == "decided"


def test_the_country_level_is_the_root(tree, staff):
    commendation = decide(
        staff.chairman,
        propose(staff.board, tree.n, **COUNTRY),
        date(2026, 5, 19),
        issuer="Thủ tướng Chính phủ",
    )
    assert commendation.status == "decided"


def test_the_issuing_unit_must_be_of_the_level_above_the_recipient(tree, staff):
    commendation = propose(staff.board, tree.c1)
    messages = refused(staff.chairman, commendation, date(2024, 3, 5), issuer_unit_id=tree.other_province.pk)
    assert tree.other_province.name in messages["issuer_unit"][0]
    # The province's People's Committee (an agency of the province) is.
    done = decide(staff.chairman, commendation, date(2024, 3, 5), issuer_unit_id=tree.agency.pk)
    assert done.issuer_unit == tree.agency


def test_the_issuing_unit_must_exist_on_the_date(tree, staff):
    commendation = propose(staff.board, tree.c1, **COMMUNE)
    messages = refused(staff.chairman, commendation, date(2024, 3, 5), issuer_unit_id=tree.n.pk)
    assert "05/03/2024" in messages["issuer_unit"][0]


# ---- never before the work it rewards -----------------------------------------------------------


def test_not_before_the_movement_starts(tree, staff):
    messages = refused(
        staff.chairman, propose(staff.board, tree.c1, movement_id=staff.movement.pk), date(2021, 2, 1)
    )
    text = " ".join(messages["decided_on"])
    assert "01/02/2021" in text and "01/03/2021" in text
    assert staff.movement.name in text


def test_not_before_the_model_is_registered(tree, staff):
    practice = make_practice(tree.c1, staff.board, registered_on=date(2023, 4, 10))
    commendation = propose(staff.board, tree.c1, work_from=None, work_to=None, practice_id=practice.pk)
    messages = refused(staff.chairman, commendation, date(2023, 4, 9))
    text = " ".join(messages["decided_on"])
    assert "09/04/2023" in text and "10/04/2023" in text
    assert decide(staff.chairman, commendation, date(2023, 4, 10)).status == "decided"


def test_not_before_the_activity_ends(tree, staff):
    activity = make_activity(tree.c1, staff.board, starts_on=date(2024, 5, 1), ends_on=date(2024, 5, 3))
    commendation = propose(staff.board, tree.c1, work_from=None, work_to=None, activity_id=activity.pk)
    messages = refused(staff.chairman, commendation, date(2024, 5, 2))
    text = " ".join(messages["decided_on"])
    assert "02/05/2024" in text and "03/05/2024" in text


def test_not_before_the_period_of_work_ends(tree, staff):
    commendation = propose(staff.board, tree.c1, work_from=date(2022, 1, 1), work_to=date(2023, 12, 31))
    messages = refused(staff.chairman, commendation, date(2023, 12, 30))
    text = " ".join(messages["decided_on"])
    assert "30/12/2023" in text and "31/12/2023" in text


def test_every_early_reason_is_named_at_once(tree, staff):
    activity = make_activity(tree.c1, staff.board, starts_on=date(2021, 5, 1), ends_on=date(2021, 5, 3))
    commendation = propose(
        staff.board,
        tree.c1,
        movement_id=staff.movement.pk,
        activity_id=activity.pk,
        work_from=date(2020, 1, 1),
        work_to=date(2021, 6, 30),
    )
    messages = refused(staff.chairman, commendation, date(2021, 2, 1))
    assert len(messages["decided_on"]) == 3


def test_a_stale_decision_changes_nothing(tree, staff):
    commendation = propose(staff.board, tree.c1)
    services.commendation_update(
        actor=staff.board,
        commendation_id=commendation.pk,
        version=commendation.version,
        data=services.CommendationInput(
            recipient=Recipient.COLLECTIVE,
            unit_id=tree.c1.pk,
            level=UnitLevel.PROVINCE,
            form=F.PROVINCE_PC_CERTIFICATE,
            reason="Lý do đã sửa",
            work_from=date(2021, 1, 1),
            work_to=date(2023, 12, 31),
        ),
        today=TODAY,
    )
    before = _state(commendation)
    with pytest.raises(StaleEdit):
        decide(staff.chairman, commendation, date(2024, 3, 5))  # still the version read before the edit
    assert _state(commendation) == before


# ---- one decision for several proposals ---------------------------------------------------------


def _batch(actor, ids, day=date(2024, 3, 5), **extra):
    return services.commendations_decide(
        actor=actor, commendation_ids=ids, decision=decision(day, number="45/QĐ-UBND", **extra), today=TODAY
    )


def test_one_decision_for_several_proposals(tree, staff):
    rows = [
        propose(staff.board, tree.c1),
        propose(staff.board, tree.c2, recipient=Recipient.INDIVIDUAL, person_name="Lê Văn Bình"),
        propose(staff.board, tree.c3, group_name="Chi hội Phụ nữ thôn Nam"),
    ]
    decided = _batch(staff.chairman, [r.pk for r in rows])
    assert [c.pk for c in decided] == [r.pk for r in rows]
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.decision_number, row.decided_on) == (
            "decided",
            "45/QĐ-UBND",
            date(2024, 3, 5),
        )
        assert row.events.filter(action="decide").count() == 1
    assert AuditEvent.objects.filter(action="emulation.commendation_decide").count() == 3


def test_one_bad_row_and_nothing_is_decided(tree, staff, make_user):
    elsewhere = make_user("leader", tree.other_province, "subtree", username="elsewhere")
    good = propose(staff.board, tree.c1)
    early = propose(
        staff.board,
        tree.c2,
        recipient=Recipient.INDIVIDUAL,
        person_name="Phạm Thị Cúc",
        work_to=date(2024, 6, 30),
    )
    decided = decide(staff.chairman, propose(staff.board, tree.c3), date(2024, 1, 10))
    hidden = services.commendation_propose(
        actor=elsewhere,
        data=services.CommendationInput(
            recipient=Recipient.COLLECTIVE,
            unit_id=tree.other_commune.pk,
            level=UnitLevel.PROVINCE,
            form=F.PROVINCE_PC_CERTIFICATE,
            reason="Thành tích",
            work_from=date(2025, 8, 1),
            work_to=date(2025, 12, 31),
        ),
        today=TODAY,
    )
    district = propose(staff.board, tree.n, **DISTRICT)
    ids = [good.pk, early.pk, decided.pk, hidden.pk, district.pk]
    before = [_state(c) for c in (good, early, decided, district)]
    with translation.override("en"), pytest.raises(DomainError) as raised:
        _batch(staff.chairman, ids, day=date(2024, 3, 5))
    with translation.override("en"):
        fields = raised.value.field_messages()
    assert [_state(c) for c in (good, early, decided, district)] == before
    assert "commendations.0" not in fields
    assert "Row 2" in fields["commendations.1"][0] and "Phạm Thị Cúc" in fields["commendations.1"][0]
    assert "30/06/2024" in fields["commendations.1"][0]
    assert "Row 3" in fields["commendations.2"][0]
    assert fields["commendations.3"] == ["Row 4: not found."]
    assert "District level" in fields["commendations.4"][0]
    assert "Nothing was decided" in raised.value.message


def test_a_batch_needs_rows_and_the_decision(tree, staff):
    with pytest.raises(DomainError) as raised:
        services.commendations_decide(
            actor=staff.chairman,
            commendation_ids=[],
            decision=services.Decision(number="", decided_on=None, issuer=""),
            today=TODAY,
        )
    assert {"commendations", "decision_number", "decided_on", "issuer"} <= set(raised.value.fields)


def test_a_committee_member_cannot_decide_a_batch(tree, staff):
    rows = [propose(staff.board, tree.c1), propose(staff.board, tree.c2)]
    with pytest.raises(DomainError) as raised:
        _batch(staff.board, [r.pk for r in rows])
    assert set(raised.value.fields) == {"commendations.0", "commendations.1"}
    assert not Commendation.objects.filter(status="decided").exists()
    assert CommendationEvent.objects.filter(action="decide").count() == 0
