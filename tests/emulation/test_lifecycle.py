"""The lifecycle of a commendation swept from its table: every action from every status. An allowed
transition reaches its target and writes one event and one audit entry; a forbidden one raises and
changes nothing (status, version, events, audit trail)."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError
from danvan.core.models import AuditEvent
from danvan.emulation import lifecycle, services
from danvan.emulation.models import Commendation, CommendationEvent, CommendationStatus

from .conftest import TODAY, decide, decision, propose

S = CommendationStatus
DECIDED_ON = date(2024, 3, 5)


def in_status(staff, tree, status: str) -> Commendation:
    """A commendation of commune C2's collective, brought to `status` through the services."""
    commendation = propose(staff.board, tree.c2)
    if status in (S.DECIDED, S.REVOKED):
        commendation = decide(staff.chairman, commendation, DECIDED_ON)
    if status == S.DECLINED:
        commendation = services.commendation_decline(
            actor=staff.chairman,
            commendation_id=commendation.pk,
            version=None,
            note="Chưa đủ tiêu chuẩn",
            today=TODAY,
        )
    if status == S.REVOKED:
        commendation = services.commendation_revoke(
            actor=staff.chairman,
            commendation_id=commendation.pk,
            version=None,
            reason="Thành tích không đúng",
            today=TODAY,
        )
    commendation.refresh_from_db()
    assert commendation.status == status
    return commendation


def run(action: str, actor, commendation: Commendation) -> Commendation:
    return services.commendation_transition(
        actor=actor,
        commendation_id=commendation.pk,
        action=action,
        version=commendation.version,
        today=TODAY,
        decision=decision(DECIDED_ON),
        note="Không đủ tiêu chuẩn khen thưởng",
        reason="Thành tích được báo cáo không đúng sự thật",
    )


def test_the_table_covers_every_status():
    reachable = {t.target for t in lifecycle.TRANSITIONS.values()} | {lifecycle.PROPOSE.target}
    assert reachable == set(S.values)
    assert {t.permission for t in lifecycle.TRANSITIONS.values()} == {"emulation.decide"}
    assert lifecycle.PROPOSE.permission == "emulation.manage"


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", list(lifecycle.TRANSITIONS))
def test_every_action_from_every_status(tree, staff, status, action):
    commendation = in_status(staff, tree, status)
    transition = lifecycle.TRANSITIONS[action]
    events = CommendationEvent.objects.filter(commendation=commendation).count()
    audits = AuditEvent.objects.count()
    if status in transition.sources:
        done = run(action, staff.chairman, commendation)
        done.refresh_from_db()
        assert done.status == transition.target
        assert done.version == commendation.version + 1
        last = CommendationEvent.objects.filter(commendation=commendation).order_by("pk").last()
        assert (last.action, last.from_status, last.to_status) == (action, status, transition.target)
        assert CommendationEvent.objects.filter(commendation=commendation).count() == events + 1
        assert AuditEvent.objects.filter(action=f"emulation.commendation_{action}").count() >= 1
        assert AuditEvent.objects.count() == audits + 1
    else:
        with pytest.raises(DomainError) as raised:
            run(action, staff.chairman, commendation)
        assert raised.value.code == "emulation_transition_not_allowed"
        after = Commendation.objects.get(pk=commendation.pk)
        assert (after.status, after.version) == (status, commendation.version)
        assert CommendationEvent.objects.filter(commendation=commendation).count() == events
        assert AuditEvent.objects.count() == audits


def test_the_history_is_the_events_in_order(tree, staff):
    commendation = in_status(staff, tree, S.REVOKED)
    steps = list(
        CommendationEvent.objects.filter(commendation=commendation)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "on")
    )
    assert steps == [
        ("propose", "", S.PROPOSED, TODAY),
        ("decide", S.PROPOSED, S.DECIDED, DECIDED_ON),
        ("revoke", S.DECIDED, S.REVOKED, TODAY),
    ]
    revoked = CommendationEvent.objects.get(commendation=commendation, action="revoke")
    assert revoked.note == "Thành tích không đúng"
    assert revoked.actor == staff.chairman
    # The decision's particulars stay on a revoked commendation.
    commendation.refresh_from_db()
    assert (commendation.decision_number, commendation.decided_on) == ("123/QĐ-UBND", DECIDED_ON)


@pytest.mark.parametrize(("action", "field"), [("decline", "note"), ("revoke", "reason")])
def test_declining_and_revoking_need_a_reason(tree, staff, action, field):
    commendation = in_status(staff, tree, S.PROPOSED if action == "decline" else S.DECIDED)
    audits = AuditEvent.objects.count()
    with pytest.raises(DomainError) as raised:
        services.commendation_transition(
            actor=staff.chairman,
            commendation_id=commendation.pk,
            action=action,
            version=commendation.version,
            today=TODAY,
            **{field: "   "},
        )
    assert field in raised.value.fields
    after = Commendation.objects.get(pk=commendation.pk)
    assert (after.status, after.version) == (commendation.status, commendation.version)
    assert AuditEvent.objects.count() == audits
