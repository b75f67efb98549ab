"""The permission matrix of petitions: role x position of the petition's unit x operation.

Each role is held in commune N. Positions: N itself; the commune's People's Committee below N
(reached only with scope "subtree"); the sibling commune N2; an agency of another province; the
province above N. A petition out of reach is "not found"; an action the role lacks on a petition
in reach is "permission denied".
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import NotFound, PermissionDenied
from danvan.petitions import selectors, services
from danvan.petitions.models import Outcome, Petition, Status
from danvan.petitions.selectors import WorklistFilter
from danvan.units.models import Role, RoleScope

from .conftest import TODAY, intake_input

Y, N = True, False
OPERATIONS = ("intake", "accept", "decide", "view", "list")

# What each role may do on a petition of a unit it reaches.
ALLOWED_IN_REACH = {
    #                       intake accept decide view list
    Role.CLERK: dict(zip(OPERATIONS, (Y, N, N, Y, Y), strict=True)),
    Role.HANDLER: dict(zip(OPERATIONS, (Y, Y, N, Y, Y), strict=True)),
    Role.LEADER: dict(zip(OPERATIONS, (Y, Y, Y, Y, Y), strict=True)),
    Role.COMMITTEE_MEMBER: dict(zip(OPERATIONS, (N, N, N, Y, Y), strict=True)),
    Role.AUDITOR: dict(zip(OPERATIONS, (N, N, N, Y, Y), strict=True)),
    Role.ADMINISTRATOR: dict(zip(OPERATIONS, (N, N, N, Y, Y), strict=True)),
}
# Which positions a role reaches: (with scope "unit", with scope "subtree").
REACHES = {
    "own": (Y, Y),
    "child": (N, Y),
    "sibling": (N, N),
    "other_province": (N, N),
    "parent": (N, N),
}


def _unit_at(tree, office, position):
    return {
        "own": tree.n,
        "child": office.commune_agency,
        "sibling": tree.n2,
        "other_province": office.foreign_agency,
        "parent": tree.province,
    }[position]


@pytest.fixture
def national(make_user, tree):
    """A leader of the whole country: makes and accepts the petitions the matrix works on."""
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")


def _receive(actor, unit, received_on=date(2026, 11, 2)) -> Petition:
    data = intake_input(unit, received_on=received_on)
    return services.petition_intake(actor=actor, data=data, today=TODAY).petitions[0]


def _accept(actor, petition: Petition) -> Petition:
    return services.petition_accept(
        actor=actor, petition_id=petition.pk, version=petition.version, on=date(2026, 11, 9), today=TODAY
    )


def _decide(actor, petition: Petition) -> Petition:
    return services.petition_decide(
        actor=actor,
        petition_id=petition.pk,
        version=petition.version,
        today=TODAY,
        number="7/QĐ-UBND",
        decided_on=date(2026, 11, 20),
        signer="Chủ tịch",
        outcome=Outcome.COMPLAINT_PARTLY,
    )


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("scope", RoleScope.values)
@pytest.mark.parametrize("position", REACHES)
def test_petition_permission_matrix(tree, office, make_user, national, role, scope, position):
    user = make_user(role, tree.n, scope)
    unit = _unit_at(tree, office, position)
    reached = REACHES[position][1 if scope == RoleScope.SUBTREE else 0]
    expected = {op: reached and allowed for op, allowed in ALLOWED_IN_REACH[role].items()}

    # intake into the unit: units are reference data, so a refusal is "permission denied".
    if expected["intake"]:
        assert _receive(user, unit).unit == unit
    else:
        with pytest.raises(PermissionDenied):
            _receive(user, unit)

    petition = _receive(national, unit)
    # view
    if expected["view"]:
        assert selectors.petition_get_for(user, petition.pk) == petition
    else:
        with pytest.raises(NotFound):
            selectors.petition_get_for(user, petition.pk)
    # list
    listed = set(selectors.petition_list_for(user, WorklistFilter(status="all"), today=TODAY))
    assert (petition in listed) is expected["list"]
    refusal = PermissionDenied if reached else NotFound

    # classify (accept)
    if expected["accept"]:
        assert _accept(user, petition).status == Status.ACCEPTED
        petition = Petition.objects.get(pk=petition.pk)
    else:
        with pytest.raises(refusal):
            _accept(user, petition)
        assert Petition.objects.get(pk=petition.pk).status == Status.RECEIVED
        petition = _accept(national, petition)

    # decide
    if expected["decide"]:
        assert _decide(user, petition).status == Status.RESOLVED
    else:
        with pytest.raises(refusal):
            _decide(user, petition)
        assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_the_table_is_what_the_roles_say():
    # The matrix is written out above; it must agree with the roles of the access layer.
    from danvan.units.access import ROLE_ACTIONS

    for role, ops in ALLOWED_IN_REACH.items():
        actions = ROLE_ACTIONS[role]
        assert ops["intake"] is ("petition.intake" in actions)
        assert ops["accept"] is ("petition.handle" in actions)
        assert ops["decide"] is ("petition.decide" in actions)
        assert ops["view"] is ("record.view" in actions)


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, Role.LEADER, Role.AUDITOR])
def test_the_successor_holds_the_archive_of_its_predecessors(tree, make_user, national, role):
    # C1 was merged into N on 01/07/2025: N's people see and work on C1's petitions.
    old = _receive(national, tree.c1, received_on=date(2025, 3, 3))
    elsewhere = _receive(national, tree.c3, received_on=date(2025, 3, 3))  # merged into N2, not N
    user = make_user(role, tree.n)
    assert selectors.petition_get_for(user, old.pk) == old
    listed = list(selectors.petition_list_for(user, WorklistFilter(status="all"), today=TODAY))
    assert listed == [old]
    with pytest.raises(NotFound):
        selectors.petition_get_for(user, elsewhere.pk)
    if role in (Role.HANDLER, Role.LEADER):
        accepted = services.petition_accept(
            actor=user, petition_id=old.pk, version=old.version, on=date(2025, 3, 10), today=TODAY
        )
        assert accepted.status == Status.ACCEPTED


def test_a_predecessor_s_holder_does_not_reach_the_successor(tree, make_user, national):
    new = _receive(national, tree.n)
    user = make_user(Role.LEADER, tree.c1, RoleScope.SUBTREE)
    with pytest.raises(NotFound):
        selectors.petition_get_for(user, new.pk)
    with pytest.raises(PermissionDenied):
        _receive(user, tree.n)


def test_no_role_no_petition(tree, make_user, national):
    petition = _receive(national, tree.n)
    nobody = make_user()
    with pytest.raises(NotFound):
        selectors.petition_get_for(nobody, petition.pk)
    assert not selectors.petition_list_for(nobody, WorklistFilter(status="all"), today=TODAY).exists()
    with pytest.raises(PermissionDenied):
        _receive(nobody, tree.n)
    with pytest.raises(NotFound):
        _accept(nobody, petition)
