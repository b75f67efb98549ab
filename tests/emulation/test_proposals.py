"""Proposals: what a proposal must say (recipient, level and form of that level, reason, what it
rewards, each visible to the officer), every bad input named on its field with nothing written,
NFC on the way in, search by name without diacritics, and edits at a version while proposed."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.emulation import selectors, services
from danvan.emulation.models import Commendation, CommendationEvent, Recipient
from danvan.units.models import UnitLevel

from .conftest import TODAY, F, decide, make_activity, make_practice, proposal, propose


def _counts() -> tuple[int, int, int]:
    return Commendation.objects.count(), CommendationEvent.objects.count(), AuditEvent.objects.count()


def refused(actor, data) -> DomainError:
    """The proposal is refused and nothing is written."""
    before = _counts()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        services.commendation_propose(actor=actor, data=data, today=TODAY)
    assert _counts() == before
    return raised.value


def test_a_proposal_is_recorded_with_its_event_and_audit(tree, staff):
    commendation = propose(
        staff.board,
        tree.c1,
        recipient=Recipient.INDIVIDUAL,
        person_name="Nguyễn Văn Ân",
        person_position="Bí thư Chi bộ thôn Đông",
        movement_id=staff.movement.pk,
    )
    assert commendation.status == "proposed"
    assert commendation.unit_path == tree.c1.path
    assert commendation.recipient_folded == "nguyen van an"
    event = commendation.events.get()
    assert (event.action, event.to_status, event.on, event.actor) == (
        "propose",
        "proposed",
        TODAY,
        staff.board,
    )
    entry = AuditEvent.objects.get(action="emulation.commendation_propose")
    assert entry.record_id == str(commendation.pk)
    assert entry.unit_path == tree.c1.path
    assert entry.after["person_name"] == "Nguyễn Văn Ân"


def test_the_form_must_be_of_the_level_and_the_message_names_both(tree, staff):
    error = refused(staff.board, proposal(tree.c1, level=UnitLevel.COMMUNE, form=F.PROVINCE_PC_CERTIFICATE))
    with translation.override("en"):
        message = " ".join(error.field_messages()["form"])
    assert "Certificate of merit of the chairman of the provincial People's Committee" in message
    assert "Province level" in message
    assert "Commune level" in message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": "family"}, "recipient"),
        ({"level": "agency", "form": F.COMMUNE_PC_CERTIFICATE}, "level"),
        ({"form": "medal"}, "form"),
        ({"reason": "  \n "}, "reason"),
        ({"recipient": Recipient.INDIVIDUAL, "person_name": " "}, "person_name"),
        ({"work_to": date(2020, 12, 31)}, "work_to"),
        ({"work_to": None}, "work_to"),
        ({"work_from": None}, "work_from"),
        ({"group_name": "Đ" * 301}, "group_name"),
        ({"work_from": None, "work_to": None}, "rewards"),
    ],
)
def test_bad_input_is_named_on_its_field(tree, staff, overrides, field):
    error = refused(staff.board, proposal(tree.c1, **overrides))
    assert field in error.fields, error.fields


def test_what_it_rewards_must_be_visible_to_the_officer(tree, staff, make_user):
    elsewhere = make_user("leader", tree.other_province, "subtree", username="elsewhere")
    movement = services.movement_create(
        actor=elsewhere,
        data=services.MovementInput(
            unit_id=tree.other_province.pk, name="Phong trào khác", starts_on=date(2022, 1, 1)
        ),
        today=TODAY,
    )
    practice = make_practice(tree.other_commune, elsewhere, registered_on=date(2025, 8, 1))
    activity = make_activity(
        tree.other_commune, elsewhere, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 2)
    )
    error = refused(
        staff.board,
        proposal(tree.c1, movement_id=movement.pk, practice_id=practice.pk, activity_id=activity.pk),
    )
    assert set(error.fields) >= {"movement", "practice", "activity"}
    # The same records seen from their own province are fine.
    commendation = services.commendation_propose(
        actor=elsewhere,
        data=proposal(
            tree.other_commune, movement_id=movement.pk, practice_id=practice.pk, activity_id=activity.pk
        ),
        today=TODAY,
    )
    assert (commendation.movement, commendation.practice, commendation.activity) == (
        movement,
        practice,
        activity,
    )


def test_any_one_reward_is_enough(tree, staff):
    activity = make_activity(tree.c1, staff.board, starts_on=date(2024, 5, 1), ends_on=date(2024, 5, 3))
    practice = make_practice(tree.c1, staff.board, registered_on=date(2022, 2, 1))
    for reward in (
        {"movement_id": staff.movement.pk},
        {"practice_id": practice.pk},
        {"activity_id": activity.pk},
    ):
        commendation = propose(staff.board, tree.c1, work_from=None, work_to=None, **reward)
        assert commendation.work_from is None


def test_names_are_stored_in_nfc_and_found_without_diacritics(tree, staff):
    nfd = unicodedata.normalize("NFD", "  Trần   Thị  Hương ")
    person = propose(
        staff.board, tree.c1, recipient=Recipient.INDIVIDUAL, person_name=nfd, person_position="Hội viên"
    )
    group = propose(staff.board, tree.c2, group_name=unicodedata.normalize("NFD", "Tổ tự quản Đồng Tâm"))
    unit_itself = propose(staff.board, tree.c3)
    assert person.person_name == "Trần Thị Hương"
    assert unicodedata.is_normalized("NFC", person.person_name)
    assert group.group_name == "Tổ tự quản Đồng Tâm"

    def found(query: str) -> list[int]:
        rows = selectors.commendation_list_for(staff.chairman, selectors.CommendationFilter(q=query))
        return sorted(rows.values_list("pk", flat=True))

    assert found("tran thi huong") == [person.pk]
    assert found("TRẦN HƯƠNG") == [person.pk]
    assert found("dong tam") == [group.pk]
    assert found("yen phong") == [unit_itself.pk]  # a unit commended by its own name
    assert found("khong co ai") == []


def test_a_collective_keeps_no_personal_fields(tree, staff):
    commendation = propose(staff.board, tree.c1, person_name="Ai đó", person_position="Chức vụ")
    assert (commendation.person_name, commendation.person_position) == ("", "")
    assert commendation.recipient_name == tree.c1.name


def test_a_proposal_is_edited_at_its_version_while_proposed(tree, staff):
    commendation = propose(staff.board, tree.c1)
    changed = services.commendation_update(
        actor=staff.board,
        commendation_id=commendation.pk,
        version=commendation.version,
        data=proposal(
            tree.c2, reason="Thành tích mới", level=UnitLevel.COMMUNE, form=F.COMMUNE_PC_CERTIFICATE
        ),
        today=TODAY,
    )
    assert (changed.unit, changed.unit_path, changed.reason, changed.version) == (
        tree.c2,
        tree.c2.path,
        "Thành tích mới",
        commendation.version + 1,
    )
    assert changed.events.filter(action="edit").count() == 1
    entry = AuditEvent.objects.get(action="emulation.commendation_update")
    assert entry.before["reason"] != entry.after["reason"]

    # A stale version changes nothing.
    with pytest.raises(StaleEdit):
        services.commendation_update(
            actor=staff.board,
            commendation_id=commendation.pk,
            version=commendation.version,
            data=proposal(tree.c3),
            today=TODAY,
        )
    assert Commendation.objects.get(pk=commendation.pk).unit == tree.c2

    # Once decided it is no longer a proposal.
    decided = decide(staff.chairman, changed, date(2024, 3, 5), issuer="Chủ tịch UBND xã")
    with pytest.raises(DomainError) as raised:
        services.commendation_update(
            actor=staff.board,
            commendation_id=decided.pk,
            version=decided.version,
            data=proposal(tree.c2),
            today=TODAY,
        )
    assert raised.value.code == "emulation_not_editable"


def test_moving_a_proposal_needs_the_right_in_the_new_unit(tree, staff):
    commendation = propose(staff.commune_board, tree.n)
    with pytest.raises(PermissionDenied):
        services.commendation_update(
            actor=staff.commune_board,
            commendation_id=commendation.pk,
            version=commendation.version,
            data=proposal(tree.n2),
            today=TODAY,
        )
    assert Commendation.objects.get(pk=commendation.pk).unit == tree.n


def test_the_list_shows_proposals_first_then_the_latest_decisions(tree, staff):
    older = decide(
        staff.chairman, propose(staff.board, tree.c1, work_to=date(2022, 12, 31)), date(2023, 1, 10)
    )
    newer = decide(staff.chairman, propose(staff.board, tree.c2), date(2024, 5, 10))
    proposed = propose(staff.board, tree.c3)
    rows = selectors.commendation_list_for(staff.clerk)
    assert list(rows.values_list("pk", flat=True)) == [proposed.pk, newer.pk, older.pk]
