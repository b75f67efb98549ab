"""Movements (launch, edit at a version, the rules of their dates), the scan of a decision kept with
a commendation, and atomicity: every service that writes more than one row leaves nothing when its
last write fails."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core import audit
from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.files import record_files_of
from danvan.core.models import AuditEvent, RecordFile
from danvan.emulation import selectors, services
from danvan.emulation.models import Commendation, CommendationEvent, Movement

from .conftest import TODAY, decide, decision, proposal, propose

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def movement_input(unit, **overrides) -> services.MovementInput:
    values = {"unit_id": unit.pk, "name": "Phong trào “Xã hội học tập”", "starts_on": date(2022, 1, 1)}
    values.update(overrides)
    return services.MovementInput(**values)


def test_a_movement_is_launched_and_audited(tree, staff):
    movement = staff.movement
    assert movement.unit == tree.province
    assert movement.name_folded == "phong trao thi dua “dan van kheo” giai doan 2021–2025"
    entry = AuditEvent.objects.get(action="emulation.movement_create")
    assert entry.record_id == str(movement.pk)
    assert entry.after["name"] == movement.name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": date(2021, 12, 31)}, "ends_on"),
        ({"resolution_id": 999_999}, "resolution"),
    ],
)
def test_bad_movements_are_refused(tree, staff, overrides, field):
    count = Movement.objects.count()
    with pytest.raises(DomainError) as raised:
        services.movement_create(
            actor=staff.board, data=movement_input(tree.province, **overrides), today=TODAY
        )
    assert field in raised.value.fields
    assert Movement.objects.count() == count


def test_a_movement_starts_while_its_unit_exists(tree, staff):
    with pytest.raises(DomainError) as raised:
        services.movement_create(
            actor=staff.board, data=movement_input(tree.d1, starts_on=date(2025, 8, 1)), today=TODAY
        )
    assert tree.d1.name in raised.value.field_messages()["starts_on"][0]


def test_a_movement_is_edited_at_its_version(tree, staff):
    movement = staff.movement
    changed = services.movement_update(
        actor=staff.board,
        movement_id=movement.pk,
        version=movement.version,
        data=movement_input(tree.other_province, name="Tên mới", starts_on=date(2021, 3, 1)),
        today=TODAY,
    )
    assert (changed.name, changed.version, changed.unit) == ("Tên mới", movement.version + 1, tree.province)
    with pytest.raises(StaleEdit):
        services.movement_update(
            actor=staff.board,
            movement_id=movement.pk,
            version=movement.version,
            data=movement_input(tree.province, name="Cũ"),
            today=TODAY,
        )
    assert Movement.objects.get(pk=movement.pk).name == "Tên mới"


def test_a_movement_cannot_start_after_a_decision_for_it(tree, staff):
    decide(staff.chairman, propose(staff.board, tree.c1, movement_id=staff.movement.pk), date(2024, 3, 5))
    with pytest.raises(DomainError) as raised:
        services.movement_update(
            actor=staff.board,
            movement_id=staff.movement.pk,
            version=staff.movement.version,
            data=movement_input(tree.province, starts_on=date(2024, 6, 1)),
            today=TODAY,
        )
    assert "05/03/2024" in raised.value.field_messages()["starts_on"][0]


def test_movements_are_scoped(tree, staff):
    assert list(selectors.movement_list_for(staff.outsider)) == []
    with pytest.raises(NotFound):
        selectors.movement_get_for(staff.outsider, staff.movement.pk)
    with pytest.raises(NotFound):
        services.movement_update(
            actor=staff.outsider,
            movement_id=staff.movement.pk,
            version=0,
            data=movement_input(tree.province),
            today=TODAY,
        )
    # A commune's board sees the records of its own unit only, not the province's movement.
    assert list(selectors.movement_list_for(staff.commune_board)) == []
    assert list(selectors.movement_list_for(staff.clerk, q="dan van kheo")) == [staff.movement]


# ---- the scan of the decision -------------------------------------------------------------------


def test_the_scan_is_kept_with_a_decided_commendation(tree, staff):
    commendation = propose(staff.board, tree.c1)
    with pytest.raises(DomainError) as raised:
        services.commendation_file_add(
            actor=staff.board, commendation_id=commendation.pk, name="qd.pdf", data=PDF
        )
    assert "file" in raised.value.fields
    decide(staff.chairman, commendation)
    stored = services.commendation_file_add(
        actor=staff.board, commendation_id=commendation.pk, name="quyết-định.pdf", data=PDF
    )
    assert list(record_files_of(commendation)) == [stored]
    assert (stored.role, stored.unit_path) == ("decision", tree.c1.path)
    with pytest.raises(DomainError) as raised:
        services.commendation_file_add(
            actor=staff.board, commendation_id=commendation.pk, name="qd.png", data=PDF
        )
    assert "files" in raised.value.fields
    with pytest.raises(PermissionDenied):
        services.commendation_file_add(
            actor=staff.clerk, commendation_id=commendation.pk, name="qd.pdf", data=PDF
        )
    assert RecordFile.objects.count() == 1


# ---- atomicity ----------------------------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.fixture
def failing_audit(monkeypatch):
    """The audit trail fails on the write named: whatever the service wrote before is rolled back."""

    def arm(action: str):
        real = audit.record

        def record(**kwargs):
            if kwargs.get("action") == action:
                raise Boom()
            return real(**kwargs)

        monkeypatch.setattr(services.audit, "record", record)

    return arm


def _counts():
    return (
        Movement.objects.count(),
        Commendation.objects.count(),
        CommendationEvent.objects.count(),
        AuditEvent.objects.count(),
        RecordFile.objects.count(),
        tuple(Commendation.objects.order_by("pk").values_list("status", "version")),
    )


def test_a_failed_proposal_leaves_nothing(tree, staff, failing_audit):
    failing_audit("emulation.commendation_propose")
    before = _counts()
    with pytest.raises(Boom):
        propose(staff.board, tree.c1)
    assert _counts() == before


def test_a_failed_movement_leaves_nothing(tree, staff, failing_audit):
    failing_audit("emulation.movement_create")
    before = _counts()
    with pytest.raises(Boom):
        services.movement_create(actor=staff.board, data=movement_input(tree.province), today=TODAY)
    assert _counts() == before


@pytest.mark.parametrize("action", ["decide", "decline", "revoke", "update"])
def test_a_failed_step_leaves_nothing(tree, staff, failing_audit, action):
    commendation = propose(staff.board, tree.c1)
    if action == "revoke":
        commendation = decide(staff.chairman, commendation)
    failing_audit(f"emulation.commendation_{action}")
    before = _counts()
    with pytest.raises(Boom):
        if action == "update":
            services.commendation_update(
                actor=staff.board,
                commendation_id=commendation.pk,
                version=commendation.version,
                data=proposal(tree.c2),
                today=TODAY,
            )
        else:
            services.commendation_transition(
                actor=staff.chairman,
                commendation_id=commendation.pk,
                action=action,
                version=commendation.version,
                today=TODAY,
                decision=decision(date(2024, 3, 5)),
                note="Lý do",
                reason="Lý do",
            )
    assert _counts() == before


def test_a_batch_failing_on_its_last_row_decides_none(tree, staff, monkeypatch):
    rows = [propose(staff.board, unit) for unit in (tree.c1, tree.c2, tree.c3)]
    real = audit.record
    calls = {"n": 0}

    def record(**kwargs):
        if kwargs.get("action") == "emulation.commendation_decide":
            calls["n"] += 1
            if calls["n"] == 3:
                raise Boom()
        return real(**kwargs)

    monkeypatch.setattr(services.audit, "record", record)
    before = _counts()
    with pytest.raises(Boom):
        services.commendations_decide(
            actor=staff.chairman,
            commendation_ids=[r.pk for r in rows],
            decision=decision(date(2024, 3, 5)),
            today=TODAY,
        )
    assert calls["n"] == 3
    assert _counts() == before


def test_a_failed_file_leaves_nothing(tree, staff, monkeypatch):
    commendation = decide(staff.chairman, propose(staff.board, tree.c1))
    from danvan.core import files

    real = files.audit.record

    def record(**kwargs):
        if kwargs.get("action") == "file.add":
            raise Boom()
        return real(**kwargs)

    monkeypatch.setattr(files.audit, "record", record)
    before = _counts()
    with pytest.raises(Boom):
        services.commendation_file_add(
            actor=staff.board, commendation_id=commendation.pk, name="qd.pdf", data=PDF
        )
    assert _counts() == before
