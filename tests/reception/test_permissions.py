"""The permission matrix of reception: service x role x where the role is held relative to the
record's unit.

Relations (role held in ... -> record in ...):
  own         commune N (scope unit)          -> N
  child       commune N (scope unit)          -> the People's Committee agency below N
  sibling     commune N (scope unit)          -> commune N2
  parent      province P (scope unit)         -> N, a unit below P
  successor   commune N (scope unit)          -> commune C1, merged into N on 01/07/2025 (N holds its archive)
  supervisor  province P (scope subtree)      -> N

A record out of reach is "not found" (a session out of reach is, for a visit, no session at all);
a unit out of reach is "permission denied" (units are reference data everyone with a role reads);
an action the role lacks on a record in reach is "permission denied". Nothing is written on a refusal.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.reception import selectors, services
from danvan.reception.models import Conclusion, Duty, Place, Position, Presider, Session, SessionKind, Visit
from danvan.units.access import ROLE_ACTIONS
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from .conftest import TODAY, visit_input

Y, N = True, False
SERVICES = ("session_create", "visit_record", "place_save", "duty_save", "conclusion_issue")
ROLES = (Role.CLERK, Role.HANDLER, Role.LEADER, Role.COMMITTEE_MEMBER, Role.AUDITOR)

# What each role may do where it reaches.
ALLOWED_IN_REACH = {
    #                      session visit  place  duty   conclusion
    Role.CLERK: dict(zip(SERVICES, (Y, Y, N, N, N), strict=True)),
    Role.HANDLER: dict(zip(SERVICES, (Y, Y, N, N, N), strict=True)),
    Role.LEADER: dict(zip(SERVICES, (Y, Y, Y, Y, Y), strict=True)),
    Role.COMMITTEE_MEMBER: dict(zip(SERVICES, (N, N, N, N, N), strict=True)),
    Role.AUDITOR: dict(zip(SERVICES, (N, N, N, N, N), strict=True)),
}
REACHES = {"own": Y, "child": N, "sibling": N, "parent": N, "successor": Y, "supervisor": Y}
# The day of the records: C1 existed until 30/06/2025, the others exist on TODAY.
DAY_OF = {"successor": date(2025, 3, 3)}


def test_the_table_is_what_the_roles_say():
    for role, allowed in ALLOWED_IN_REACH.items():
        actions = ROLE_ACTIONS[role]
        assert allowed["session_create"] is allowed["visit_record"] is ("reception.record" in actions)
        for name in ("place_save", "duty_save", "conclusion_issue"):
            assert allowed[name] is ("reception.manage" in actions)


@pytest.fixture
def national(make_user, tree):
    """A leader of the whole country: makes the records the matrix works on."""
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")


def _where(tree, relation: str, child):
    """(unit the role is held in, its scope, unit of the record)."""
    return {
        "own": (tree.n, RoleScope.UNIT, tree.n),
        "child": (tree.n, RoleScope.UNIT, child),
        "sibling": (tree.n, RoleScope.UNIT, tree.n2),
        "parent": (tree.province, RoleScope.UNIT, tree.n),
        "successor": (tree.n, RoleScope.UNIT, tree.c1),
        "supervisor": (tree.province, RoleScope.SUBTREE, tree.n),
    }[relation]


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Session, Visit, Place, Duty, Conclusion))


@pytest.mark.parametrize("relation", REACHES)
@pytest.mark.parametrize("role", ROLES)
def test_reception_permission_matrix(tree, make_user, national, role, relation):
    child = make_unit("14801-UBND", "UBND xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, tree.n)
    held_in, scope, unit = _where(tree, relation, child)
    user = make_user(role, held_in, scope)
    day = DAY_OF.get(relation, TODAY)
    reached = REACHES[relation]
    expected = {name: reached and allowed for name, allowed in ALLOWED_IN_REACH[role].items()}

    # The records a national leader made in the unit.
    duty = services.duty_save(
        actor=national, unit_id=unit.pk, position=Position.PC_CHAIRMAN, holder_name="Chủ tịch", valid_from=day
    )
    regular = services.session_create(
        actor=national,
        data=services.SessionInput(unit_id=unit.pk, kind=SessionKind.REGULAR, day=day, held=True),
        today=TODAY,
    ).session
    periodic = services.session_create(
        actor=national,
        data=services.SessionInput(
            unit_id=unit.pk,
            kind=SessionKind.PERIODIC,
            day=day,
            duty_id=duty.pk,
            held=True,
            presider=Presider.HEAD,
        ),
        today=TODAY,
    ).session
    visit = services.visit_record(actor=national, data=visit_input(regular), today=TODAY).visit

    # Reads: in reach found, out of reach "not found".
    if reached:
        assert selectors.session_get_for(user, regular.pk) == regular
        assert selectors.visit_get_for(user, visit.pk) == visit
        assert [v for v in selectors.visit_list_for(user)] == [visit]
    else:
        with pytest.raises(NotFound):
            selectors.session_get_for(user, regular.pk)
        with pytest.raises(NotFound):
            selectors.visit_get_for(user, visit.pk)
        with pytest.raises(NotFound):
            services.visitor_identities(actor=user, visit_id=visit.pk)
        assert not selectors.visit_list_for(user).exists()

    calls = {
        "session_create": lambda: (
            services.session_create(
                actor=user,
                data=services.SessionInput(unit_id=unit.pk, kind=SessionKind.REGULAR, day=day),
                today=TODAY,
            ).session
        ),
        "visit_record": lambda: (
            services.visit_record(actor=user, data=visit_input(regular), today=TODAY).visit
        ),
        "place_save": lambda: services.place_save(
            actor=user, unit_id=unit.pk, name="Phòng tiếp công dân", address="Trụ sở"
        ),
        "duty_save": lambda: services.duty_save(
            actor=user,
            unit_id=unit.pk,
            position=Position.AGENCY_HEAD,
            holder_name="Thủ trưởng",
            valid_from=day,
        ),
        "conclusion_issue": lambda: services.conclusion_issue(
            actor=user,
            session_id=periodic.pk,
            number="1/TB",
            issued_on=day,
            signer="Chủ tịch",
            summary="Giao kiểm tra.",
            directives=[services.DirectiveInput(task="Kiểm tra", due_date=day, responsible_name="Địa chính")],
            today=TODAY,
        ),
    }
    # What a refusal looks like: units are reference data (permission denied); a record out of reach
    # is not found (for a visit: no session); in reach, a missing action is permission denied.
    refusal_out_of_reach = {
        "session_create": PermissionDenied,
        "place_save": PermissionDenied,
        "duty_save": PermissionDenied,
        "visit_record": DomainError,
        "conclusion_issue": NotFound,
    }
    for name, call in calls.items():
        before = _counts()
        if expected[name]:
            made = call()
            assert made.unit == unit, name
        else:
            refusal = refusal_out_of_reach[name] if not reached else PermissionDenied
            with pytest.raises(refusal) as err:
                call()
            if name == "visit_record" and not reached:
                assert err.value.code == "visit_outside_session"
            if not reached and refusal is DomainError:
                assert not isinstance(err.value, PermissionDenied)
            assert _counts() == before, name


@pytest.mark.parametrize("role", [Role.CLERK, Role.LEADER, Role.AUDITOR])
def test_the_successor_s_archive_is_read_but_another_successor_s_is_not(tree, make_user, national, role):
    # C1 and C2 merged into N; C3 into N2.
    mine = services.session_create(
        actor=national,
        data=services.SessionInput(
            unit_id=tree.c2.pk, kind=SessionKind.REGULAR, day=date(2025, 5, 5), held=True
        ),
        today=TODAY,
    ).session
    theirs = services.session_create(
        actor=national,
        data=services.SessionInput(
            unit_id=tree.c3.pk, kind=SessionKind.REGULAR, day=date(2025, 5, 5), held=True
        ),
        today=TODAY,
    ).session
    user = make_user(role, tree.n)
    assert list(selectors.session_list_for(user)) == [mine]
    with pytest.raises(NotFound):
        selectors.session_get_for(user, theirs.pk)
    # The old commune's holder does not reach its successor.
    old = make_user(role, tree.c1, RoleScope.SUBTREE)
    assert not selectors.session_list_for(old).exists()


def test_no_role_nothing(tree, make_user, national):
    session = services.session_open_regular(
        actor=national, unit_id=tree.n.pk, day=TODAY, place_id=None, today=TODAY
    )
    nobody = make_user()
    with pytest.raises(NotFound):
        selectors.session_get_for(nobody, session.pk)
    with pytest.raises(DomainError) as err:
        services.visit_record(actor=nobody, data=visit_input(session), today=TODAY)
    assert err.value.code == "visit_outside_session"
    with pytest.raises(NotFound):
        services.session_create(
            actor=nobody,
            data=services.SessionInput(unit_id=tree.n.pk, kind=SessionKind.REGULAR, day=TODAY),
            today=TODAY,
        )
    assert Visit.objects.count() == 0 and Session.objects.count() == 1
