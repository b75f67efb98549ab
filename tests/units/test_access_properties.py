"""Property: on random trees with random successions, the access layer's scope equals the
definition computed naively (a role reaches its unit, or its subtree, plus predecessors)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.units import access
from danvan.units.models import Role, RoleAssignment, RoleScope, Succession, Unit, UnitKind
from tests.conftest import make_unit

KINDS = [UnitKind.COUNTRY, UnitKind.PROVINCE, UnitKind.RURAL_DISTRICT, UnitKind.COMMUNE]


@st.composite
def worlds(draw):
    size = draw(st.integers(min_value=2, max_value=14))
    # parent index < own index; depth of at most 3 below the root keeps kinds meaningful
    parents = [None]
    depth = [0]
    for i in range(1, size):
        candidates = [j for j in range(i) if depth[j] < 3]
        parent = draw(st.sampled_from(candidates))
        parents.append(parent)
        depth.append(depth[parent] + 1)
    pairs = st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(lambda p: p[0] < p[1])
    successions = draw(st.lists(pairs, max_size=8, unique=True))
    role_unit = draw(st.integers(0, size - 1))
    scope = draw(st.sampled_from(RoleScope.values))
    return parents, depth, successions, role_unit, scope


def naive_scope(parents, successions, role_unit, scope) -> set[int]:
    children = {i: [j for j, p in enumerate(parents) if p == i] for i in range(len(parents))}

    def below(i):
        out = {i}
        for c in children[i]:
            out |= below(c)
        return out

    subtree: set[int] = below(role_unit) if scope == RoleScope.SUBTREE else set()
    single: set[int] = {role_unit} if scope == RoleScope.UNIT else set()
    changed = True
    while changed:
        changed = False
        for pred, succ in successions:
            if succ in subtree and pred not in subtree:
                subtree |= below(pred)
                changed = True
            elif succ in single and pred not in single and pred not in subtree:
                single.add(pred)
                changed = True
    return subtree | single


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_scope_matches_the_naive_definition(make_user, world):
    parents, depth, successions, role_unit, scope = world
    with transaction.atomic():
        units: list[Unit] = []
        for i, parent in enumerate(parents):
            kind = KINDS[depth[i]]
            units.append(
                make_unit(f"U{i}", f"Đơn vị {i}", kind, units[parent] if parent is not None else None)
            )
        for n, (pred, succ) in enumerate(successions):
            Succession.objects.create(
                predecessor=units[pred],
                successor=units[succ],
                kind="merge",
                effective_on=date(2025, 7, 1),
                is_default=n == 0,
            )
        user = make_user()
        RoleAssignment.objects.create(user=user, unit=units[role_unit], role=Role.LEADER, scope=scope)
        expected = {units[i].pk for i in naive_scope(parents, successions, role_unit, scope)}
        seen = set(access.visible(user, Unit, "record.view").values_list("pk", flat=True))
        assert seen == expected
        assert {u.pk for u in units if access.can(user, "record.view", u)} == expected
        transaction.set_rollback(True)
