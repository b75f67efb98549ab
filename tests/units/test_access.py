"""The permission matrix: role x position of the record's unit relative to the role's unit."""

from __future__ import annotations

import pytest

from danvan.core.errors import NotFound, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.units import access
from danvan.units.access import ROLE_ACTIONS, Scope
from danvan.units.models import Role, RoleAssignment, RoleScope, Unit

# The role is held in D1 (a district with communes C1, C2 that were merged into N).
# Expected visibility of a record in each position, for scope "unit" and scope "subtree".
POSITIONS = {
    # position: (unit scope sees it, subtree scope sees it)
    "own": (True, True),
    "child": (False, True),
    "sibling": (False, False),
    "parent": (False, False),
    "unrelated": (False, False),
}


def _unit_at(tree, position):
    return {
        "own": tree.d1,
        "child": tree.c1,
        "sibling": tree.d2,
        "parent": tree.province,
        "unrelated": tree.other_commune,
    }[position]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("scope", RoleScope.values)
@pytest.mark.parametrize("position", POSITIONS)
def test_record_visibility_matrix(tree, make_user, role, scope, position):
    user = make_user(role, tree.d1, scope)
    target = _unit_at(tree, position)
    expected = POSITIONS[position][1 if scope == RoleScope.SUBTREE else 0]
    assert access.can(user, "record.view", target) is expected
    visible_ids = set(access.visible(user, Unit, "record.view").values_list("pk", flat=True))
    assert (target.pk in visible_ids) is expected
    for action in ("unit.manage", "user.manage", "audit.view", "calendar.manage"):
        assert access.can(user, action, target) is (expected and action in ROLE_ACTIONS[role])


@pytest.mark.parametrize("scope", RoleScope.values)
def test_successor_holds_the_archive_of_its_predecessors(tree, make_user, scope):
    # A clerk of today's commune N sees the records of C1 and C2, merged into it.
    user = make_user(Role.CLERK, tree.n, scope)
    assert access.can(user, "record.view", tree.c1)
    assert access.can(user, "record.view", tree.c2)
    assert not access.can(user, "record.view", tree.c3)  # merged into N2, not N
    assert not access.can(user, "record.view", tree.d1)  # the old district is not a predecessor


def test_predecessor_role_does_not_reach_the_successor(tree, make_user):
    user = make_user(Role.LEADER, tree.c1, RoleScope.SUBTREE)
    assert access.can(user, "record.view", tree.c1)
    assert not access.can(user, "record.view", tree.n)


def test_provincial_supervisor_reaches_old_and_new_communes(tree, make_user):
    user = make_user(Role.LEADER, tree.province, RoleScope.SUBTREE)
    for unit in (tree.province, tree.d1, tree.c1, tree.c3, tree.n, tree.n2, tree.agency):
        assert access.can(user, "record.view", unit), unit
    assert not access.can(user, "record.view", tree.other_commune)
    assert not access.can(user, "record.view", tree.country)


def test_no_role_sees_nothing_not_even_units(tree, make_user):
    user = make_user()
    assert not access.visible(user, Unit, "unit.view").exists()
    assert not access.visible(user, Unit, "record.view").exists()
    assert not access.visible(user, AuditEvent, "audit.view").exists()
    assert access.scope_for(user, "record.view").empty


def test_unknown_action_yields_nothing(tree, make_user):
    user = make_user(Role.ADMINISTRATOR, tree.country, RoleScope.SUBTREE)
    assert access.scope_for(user, "no.such.action") == Scope()
    assert not access.can(user, "no.such.action", tree.province)


def test_inactive_user_sees_nothing(tree, make_user):
    user = make_user(Role.ADMINISTRATOR, tree.country, RoleScope.SUBTREE, is_active=False)
    assert not access.can(user, "record.view", tree.province)


def test_units_are_reference_data_for_anyone_with_a_role(tree, make_user):
    user = make_user(Role.CLERK, tree.c1)
    assert access.visible(user, Unit, "unit.view").count() == Unit.objects.count()


def test_require_tells_not_found_from_forbidden(tree, make_user):
    clerk = make_user(Role.CLERK, tree.d1, RoleScope.SUBTREE)
    with pytest.raises(PermissionDenied):
        access.require(clerk, "unit.manage", tree.c1)  # visible, but clerks do not manage units
    with pytest.raises(PermissionDenied):
        access.require(clerk, "unit.manage", tree.other_commune)  # units are reference data: no secret


def test_require_hides_records_out_of_scope(tree, make_user):
    class Record:
        SCOPE_UNIT_FIELD = "unit"

        def __init__(self, unit):
            self.unit = unit

    clerk = make_user(Role.CLERK, tree.d1)
    with pytest.raises(NotFound):
        access.require(clerk, "record.view", Record(tree.other_commune))
    access.require(clerk, "record.view", Record(tree.d1))


def test_scope_is_computed_once_per_user_object(tree, make_user, django_assert_max_num_queries):
    user = make_user(Role.LEADER, tree.province, RoleScope.SUBTREE)
    access.can(user, "record.view", tree.c1)
    with django_assert_max_num_queries(0):
        for unit in (tree.c1, tree.c2, tree.n, tree.other_commune):
            access.can(user, "record.view", unit)


def test_audit_events_are_scoped_by_unit_path(tree, make_user):
    from danvan.core import audit

    audit.record(actor=None, action="x.in", record_type="t", record_id=1, unit=tree.c1)
    audit.record(actor=None, action="x.out", record_type="t", record_id=2, unit=tree.other_commune)
    audit.record(actor=None, action="x.none", record_type="t", record_id=3)
    auditor = make_user(Role.AUDITOR, tree.province, RoleScope.SUBTREE)
    national = make_user(Role.AUDITOR, tree.country, RoleScope.SUBTREE)
    clerk = make_user(Role.CLERK, tree.province, RoleScope.SUBTREE)
    seen = set(access.visible(auditor, AuditEvent, "audit.view").values_list("action", flat=True))
    assert seen == {"x.in"}
    assert set(access.visible(national, AuditEvent, "audit.view").values_list("action", flat=True)) == {
        "x.in",
        "x.out",
        "x.none",
    }
    assert not access.visible(clerk, AuditEvent, "audit.view").exists()
    assert RoleAssignment.objects.count() == 3


@pytest.mark.django_db
def test_tree_paths_compare_bytewise_on_postgresql():
    """The tree's path and every copy of it (`unit_path` of any table) compare byte by byte, so a
    subtree is an index range whatever the database's collation."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # SQLite compares bytes (BINARY) by default
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, coalesce(collation_name, '') FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND ((table_name, column_name) = ('units_unit', 'path') "
            "OR column_name = 'unit_path')"
        )
        rows = cursor.fetchall()
    tables = {table for table, _column, _collation in rows}
    assert {
        "units_unit",
        "core_auditevent",
        "petitions_petition",
        "reception_visit",
        "outreach_activity",
        "outreach_participation",
        "practices_recognition",
        "emulation_commendation",
    } <= tables
    assert [row for row in rows if row[2] != "C"] == []
