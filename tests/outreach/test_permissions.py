"""The permission matrix of outreach: role x where the role is held relative to the record's unit,
for recording (activities, documents, attendance lists, files) and for viewing.

Relations (role held in ... -> record in ...):
  own         commune N (scope unit)          -> N
  child       commune N (scope unit)          -> the People's Committee agency below N
  sibling     commune N (scope unit)          -> commune N2
  parent      province P (scope unit)         -> N, a unit below P
  successor   commune N (scope unit)          -> commune C1, merged into N on 01/07/2025 (N holds its archive)
  supervisor  province P (scope subtree)      -> N

"outreach.record" belongs to leaders and committee members; every role views what it reaches.
A record out of reach is "not found"; a unit out of reach is "permission denied" (units are
reference data everyone with a role reads); an action the role lacks on a record in reach is
"permission denied". Nothing is written on a refusal.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import NotFound, PermissionDenied
from danvan.outreach import selectors, services
from danvan.units.access import ROLE_ACTIONS
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from .conftest import TODAY, activity_input, document_input, record_activity, record_document, state

ROLES = (Role.CLERK, Role.HANDLER, Role.LEADER, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR, Role.AUDITOR)
RECORDS = {Role.LEADER, Role.COMMITTEE_MEMBER}
REACHES = {
    "own": True,
    "child": False,
    "sibling": False,
    "parent": False,
    "successor": True,
    "supervisor": True,
}
DAY_OF = {"successor": date(2025, 3, 3)}  # C1 existed until 30/06/2025
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_table_is_what_the_roles_say():
    assert {role for role in ROLES if "outreach.record" in ROLE_ACTIONS[role]} == RECORDS
    assert all("record.view" in ROLE_ACTIONS[role] for role in ROLES)


def _where(tree, relation: str, child):
    return {
        "own": (tree.n, RoleScope.UNIT, tree.n),
        "child": (tree.n, RoleScope.UNIT, child),
        "sibling": (tree.n, RoleScope.UNIT, tree.n2),
        "parent": (tree.province, RoleScope.UNIT, tree.n),
        "successor": (tree.n, RoleScope.UNIT, tree.c1),
        "supervisor": (tree.province, RoleScope.SUBTREE, tree.n),
    }[relation]


@pytest.mark.parametrize("relation", REACHES)
@pytest.mark.parametrize("role", ROLES)
def test_outreach_permission_matrix(tree, make_user, role, relation):
    national = make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")
    child = make_unit(
        "14801-UBND", "UBND xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, tree.n, valid_from=date(2025, 7, 1)
    )
    held_in, scope, unit = _where(tree, relation, child)
    user = make_user(role, held_in, scope)
    day = DAY_OF.get(relation, date(2026, 10, 15))
    reached = REACHES[relation]
    may_record = reached and role in RECORDS

    # The records a national leader made in the unit.
    activity = record_activity(national, unit, starts_on=day)
    document = record_document(national, unit, issued_on=day)

    # Reads: in reach found, out of reach "not found" and absent from lists.
    if reached:
        assert selectors.activity_get_for(user, activity.pk) == activity
        assert selectors.document_get_for(user, document.pk) == document
        assert list(selectors.activity_list_for(user)) == [activity]
        assert list(selectors.document_list_for(user)) == [document]
    else:
        with pytest.raises(NotFound):
            selectors.activity_get_for(user, activity.pk)
        with pytest.raises(NotFound):
            selectors.document_get_for(user, document.pk)
        assert not selectors.activity_list_for(user).exists()
        assert not selectors.document_list_for(user).exists()

    # Writes on the unit: allowed, or "permission denied" with nothing written.
    writes = {
        "activity_record": lambda: services.activity_record(
            actor=user, data=activity_input(unit, starts_on=day), today=TODAY
        ),
        "document_record": lambda: services.document_record(
            actor=user, data=document_input(unit, number="99-KH", issued_on=day), today=TODAY
        ),
    }
    for name, write in writes.items():
        if may_record:
            write()
        else:
            before = state()
            with pytest.raises(PermissionDenied):
                write()
            assert state() == before, name

    # Writes on the records: allowed; "permission denied" in reach; "not found" out of reach.
    on_records = {
        "activity_update": lambda: services.activity_update(
            actor=user,
            activity_id=activity.pk,
            version=activity.version,
            data=activity_input(unit, starts_on=day, title="Đổi tên"),
            today=TODAY,
        ),
        "attendance_save": lambda: services.attendance_save(
            actor=user,
            activity_id=activity.pk,
            version=activity.version + (1 if may_record else 0),
            rows=[services.AttendeeInput("Nguyễn Văn An", "cadres")],
            today=TODAY,
        ),
        "activity_file_add": lambda: services.activity_file_add(
            actor=user, activity_id=activity.pk, role="photo", name="a.png", data=PNG, today=TODAY
        ),
        "document_update": lambda: services.document_update(
            actor=user,
            document_id=document.pk,
            version=document.version,
            data=document_input(unit, issued_on=day, title="Kế hoạch đã sửa"),
            today=TODAY,
        ),
        "document_file_add": lambda: services.document_file_add(
            actor=user, document_id=document.pk, name="vb.png", data=PNG, today=TODAY
        ),
    }
    for name, write in on_records.items():
        if may_record:
            write()
        else:
            before = state()
            with pytest.raises(PermissionDenied if reached else NotFound):
                write()
            assert state() == before, name


def test_a_past_units_records_stay_with_its_successor(tree, make_user):
    national = make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")
    old = record_activity(national, tree.c1, starts_on=date(2024, 5, 1))
    n_leader = make_user(Role.LEADER, tree.n, username="n-leader")
    n2_leader = make_user(Role.LEADER, tree.n2, username="n2-leader")
    assert selectors.activity_get_for(n_leader, old.pk) == old
    with pytest.raises(NotFound):
        selectors.activity_get_for(n2_leader, old.pk)
