"""The permission matrix of emulation: service x role x where the role is held relative to the
record's unit.

Relations (role held in ... -> record in ...):
  own         commune N (scope unit)          -> N
  child       commune N (scope unit)          -> the People's Committee agency below N
  sibling     commune N (scope unit)          -> commune N2
  parent      province P (scope unit)         -> N, a unit below P
  successor   commune N (scope unit)          -> commune C1, merged into N on 01/07/2025 (N holds its archive)
  supervisor  province P (scope subtree)      -> N

Proposing, editing a proposal, launching a movement and keeping the decision's scan take
"emulation.manage" (leader, committee member); deciding, declining and revoking take
"emulation.decide" (the leader only). A record out of reach is "not found"; an action the role lacks
on a record in reach, or a unit out of reach, is "permission denied". Nothing is written on a refusal.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import NotFound, PermissionDenied
from danvan.core.models import AuditEvent, RecordFile
from danvan.emulation import selectors, services
from danvan.emulation.models import Commendation, CommendationEvent, Movement
from danvan.units.access import ROLE_ACTIONS
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from .conftest import TODAY, decision, proposal

Y, N = True, False
SERVICES = ("movement", "propose", "update", "file", "decide", "decline", "revoke")
ROLES = (Role.CLERK, Role.HANDLER, Role.LEADER, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR, Role.AUDITOR)
ALLOWED_IN_REACH = {
    #                                 movement propose update file decide decline revoke
    Role.CLERK: dict(zip(SERVICES, (N, N, N, N, N, N, N), strict=True)),
    Role.HANDLER: dict(zip(SERVICES, (N, N, N, N, N, N, N), strict=True)),
    Role.LEADER: dict(zip(SERVICES, (Y, Y, Y, Y, Y, Y, Y), strict=True)),
    Role.COMMITTEE_MEMBER: dict(zip(SERVICES, (Y, Y, Y, Y, N, N, N), strict=True)),
    Role.ADMINISTRATOR: dict(zip(SERVICES, (N, N, N, N, N, N, N), strict=True)),
    Role.AUDITOR: dict(zip(SERVICES, (N, N, N, N, N, N, N), strict=True)),
}
REACHES = {"own": Y, "child": N, "sibling": N, "parent": N, "successor": Y, "supervisor": Y}
# The day of the records: C1 existed until 30/06/2025, the others exist on TODAY.
DAY_OF = {"successor": date(2025, 3, 3)}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_table_is_what_the_roles_say():
    for role, allowed in ALLOWED_IN_REACH.items():
        actions = ROLE_ACTIONS[role]
        for name in ("movement", "propose", "update", "file"):
            assert allowed[name] is ("emulation.manage" in actions)
        for name in ("decide", "decline", "revoke"):
            assert allowed[name] is ("emulation.decide" in actions)


@pytest.fixture
def national(make_user, tree):
    """A leader of the whole country: makes the records the matrix works on."""
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")


def _where(tree, relation: str, child):
    return {
        "own": (tree.n, RoleScope.UNIT, tree.n),
        "child": (tree.n, RoleScope.UNIT, child),
        "sibling": (tree.n, RoleScope.UNIT, tree.n2),
        "parent": (tree.province, RoleScope.UNIT, tree.n),
        "successor": (tree.n, RoleScope.UNIT, tree.c1),
        "supervisor": (tree.province, RoleScope.SUBTREE, tree.n),
    }[relation]


def _counts() -> tuple:
    return (
        Movement.objects.count(),
        Commendation.objects.count(),
        CommendationEvent.objects.count(),
        AuditEvent.objects.count(),
        RecordFile.objects.count(),
        tuple(Commendation.objects.order_by("pk").values_list("status", "version")),
    )


def _attempt(name: str, user, unit, day: date, records: dict) -> None:
    work = {"work_from": date(2021, 1, 1), "work_to": day}
    if name == "movement":
        services.movement_create(
            actor=user,
            data=services.MovementInput(unit_id=unit.pk, name="Phong trào thử", starts_on=day),
            today=TODAY,
        )
    elif name == "propose":
        services.commendation_propose(actor=user, data=proposal(unit, **work), today=TODAY)
    elif name == "update":
        c = records["proposed"]
        services.commendation_update(
            actor=user,
            commendation_id=c.pk,
            version=c.version,
            data=proposal(unit, reason="Sửa", **work),
            today=TODAY,
        )
    elif name == "file":
        services.commendation_file_add(
            actor=user, commendation_id=records["decided"].pk, name="qd.pdf", data=PDF
        )
    elif name == "decide":
        c = records["proposed"]
        services.commendation_decide(
            actor=user, commendation_id=c.pk, version=c.version, decision=decision(day), today=TODAY
        )
    elif name == "decline":
        c = records["proposed"]
        services.commendation_decline(
            actor=user, commendation_id=c.pk, version=c.version, note="Không", today=TODAY
        )
    else:
        c = records["decided"]
        services.commendation_revoke(
            actor=user, commendation_id=c.pk, version=c.version, reason="Sai", today=TODAY
        )


@pytest.mark.parametrize("relation", REACHES)
@pytest.mark.parametrize("role", ROLES)
def test_emulation_permission_matrix(tree, make_user, national, role, relation):
    child = make_unit("14801-UBND", "UBND xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, tree.n)
    held_in, scope, unit = _where(tree, relation, child)
    user = make_user(role, held_in, scope)
    day = DAY_OF.get(relation, TODAY)
    reached = REACHES[relation]
    work = {"work_from": date(2021, 1, 1), "work_to": day}

    def records() -> dict:
        proposed = services.commendation_propose(actor=national, data=proposal(unit, **work), today=TODAY)
        decided = services.commendation_propose(actor=national, data=proposal(unit, **work), today=TODAY)
        decided = services.commendation_decide(
            actor=national, commendation_id=decided.pk, version=None, decision=decision(day), today=TODAY
        )
        return {"proposed": proposed, "decided": decided}

    made = records()
    # Reads: in reach found, out of reach "not found".
    if reached:
        assert selectors.commendation_get_for(user, made["proposed"].pk) == made["proposed"]
        assert {c.pk for c in selectors.commendation_list_for(user)} == {c.pk for c in made.values()}
    else:
        with pytest.raises(NotFound):
            selectors.commendation_get_for(user, made["proposed"].pk)
        assert not selectors.commendation_list_for(user).exists()

    for name, allowed in ALLOWED_IN_REACH[role].items():
        made = records()
        if reached and allowed:
            before = _counts()
            _attempt(name, user, unit, day, made)
            assert _counts() != before, name
        else:
            before = _counts()
            expected = (NotFound, PermissionDenied)
            with pytest.raises(expected):
                _attempt(name, user, unit, day, made)
            assert _counts() == before, name


def test_a_committee_member_proposes_but_never_decides(tree, staff):
    commendation = services.commendation_propose(
        actor=staff.commune_board, data=proposal(tree.n), today=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.commendation_decide(
            actor=staff.commune_board,
            commendation_id=commendation.pk,
            version=commendation.version,
            decision=decision(date(2026, 1, 5)),
            today=TODAY,
        )
    done = services.commendation_decide(
        actor=staff.commune_chairman,
        commendation_id=commendation.pk,
        version=commendation.version,
        decision=decision(date(2026, 1, 5)),
        today=TODAY,
    )
    assert done.status == "decided"


def test_out_of_reach_is_not_found_like_a_missing_record(tree, staff):
    commendation = services.commendation_propose(actor=staff.board, data=proposal(tree.c1), today=TODAY)
    for pk in (commendation.pk, 999_999):
        with pytest.raises(NotFound):
            selectors.commendation_get_for(staff.outsider, pk)
        with pytest.raises(NotFound):
            services.commendation_decide(
                actor=staff.outsider,
                commendation_id=pk,
                version=0,
                decision=decision(date(2024, 3, 5)),
                today=TODAY,
            )
