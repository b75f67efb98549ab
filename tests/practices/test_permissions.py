"""The permission matrix of the practices services: service x role x where the role is held
relative to the model's unit.

Relations (role held in ... -> model in ...):
  own         commune N (scope unit)          -> N
  child       commune N (scope unit)          -> an agency below N
  sibling     commune N (scope unit)          -> commune N2
  parent      province P (scope unit)         -> N, a unit below P
  successor   commune N (scope unit)          -> commune C1, merged into N on 01/07/2025 (N holds its archive)
  supervisor  province P (scope subtree)      -> N

A model out of reach is "not found"; a unit out of reach is "permission denied" on the unit field
(units are reference data); an action the role lacks is "permission denied". Reviews are at
commune level: the reviewing unit is the model's commune (C1 itself in 2025, N after). Nothing is
written on a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.core.errors import NotFound, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.practices import selectors, services
from danvan.practices.models import Evaluation, PracticeEvent, PracticeModel, Recognition
from danvan.units.access import ROLE_ACTIONS
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from .conftest import TODAY, details, evaluate, recognise, register, report, submit, withdraw

Y, N = True, False
MANAGING = ("register", "report", "submit", "withdraw", "replicate")
REVIEWING = ("evaluate", "recognise")
SERVICES = MANAGING + REVIEWING
ROLES = (Role.CLERK, Role.HANDLER, Role.LEADER, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR, Role.AUDITOR)
REACHES = {"own": Y, "child": N, "sibling": N, "parent": N, "successor": Y, "supervisor": Y}


@dataclass(frozen=True)
class Days:
    register: date
    report: date
    submit: date
    withdraw: date
    evaluate: date
    recognise: date
    replicate: date


AFTER_REFORM = Days(
    date(2026, 1, 15),
    date(2026, 3, 1),
    date(2026, 9, 1),
    date(2026, 6, 1),
    date(2026, 9, 10),
    date(2026, 9, 15),
    date(2026, 10, 1),
)
BEFORE_REFORM = Days(
    date(2024, 3, 1),
    date(2024, 5, 1),
    date(2025, 3, 1),
    date(2024, 6, 1),
    date(2025, 3, 10),
    date(2025, 3, 20),
    date(2025, 4, 1),
)


def allowed(role: str, service: str) -> bool:
    action = "practice.recognise" if service in REVIEWING else "practice.manage"
    return action in ROLE_ACTIONS[role]


def test_only_leaders_and_committee_members_manage_and_recognise():
    assert {r for r in ROLES if allowed(r, "register")} == {Role.LEADER, Role.COMMITTEE_MEMBER}
    assert {r for r in ROLES if allowed(r, "evaluate")} == {Role.LEADER, Role.COMMITTEE_MEMBER}


@pytest.fixture
def national(make_user, tree):
    """A leader of the whole country: makes the models the matrix works on."""
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national")


def _where(tree, relation: str, child):
    """(unit the role is held in, its scope, unit of the model)."""
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
        list(PracticeModel.objects.order_by("pk").values_list("status", "version")),
        PracticeEvent.objects.count(),
        Evaluation.objects.count(),
        Recognition.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("relation", REACHES)
@pytest.mark.parametrize("role", ROLES)
def test_practices_permission_matrix(tree, make_user, national, role, relation):
    child = make_unit("14801-MT", "Ủy ban MTTQ xã Khánh Thiện", UnitKind.FATHERLAND_FRONT, tree.n)
    held_in, scope, unit = _where(tree, relation, child)
    user = make_user(role, held_in, scope)
    days = BEFORE_REFORM if relation == "successor" else AFTER_REFORM
    reached = REACHES[relation]

    def made(**overrides):
        return register(national, unit, registered_on=days.register, **overrides)

    registered, to_submit, to_withdraw = made(), made(), made()
    under_review = made()
    submit(under_review, national, on=days.submit)
    scored = made()
    submit(scored, national, on=days.submit)
    evaluate(scored, national, on=days.evaluate)
    source = made()
    submit(source, national, on=days.submit)
    evaluate(source, national, on=days.evaluate)
    recognise(source, national, on=days.recognise)

    # Reads: in reach found, out of reach "not found".
    if reached:
        assert selectors.practice_get_for(user, registered.pk) == registered
        assert selectors.practice_list_for(user).count() == 6
    else:
        with pytest.raises(NotFound):
            selectors.practice_get_for(user, registered.pk)
        assert not selectors.practice_list_for(user).exists()

    calls = {
        "register": lambda: register(user, unit, registered_on=days.register),
        "report": lambda: report(registered, user, on=days.report),
        "submit": lambda: submit(to_submit, user, on=days.submit),
        "withdraw": lambda: withdraw(to_withdraw, user, on=days.withdraw),
        "replicate": lambda: services.practice_replicate(
            actor=user, source_id=source.pk, data=details(unit, registered_on=days.replicate), today=TODAY
        ),
        "evaluate": lambda: evaluate(under_review, user, on=days.evaluate),
        "recognise": lambda: recognise(scored, user, on=days.recognise),
    }
    for name, call in calls.items():
        before = _counts()
        if reached and allowed(role, name):
            call()
            assert _counts() != before, name
            continue
        refusal = PermissionDenied if reached or name == "register" else NotFound
        with pytest.raises(refusal) as err:
            call()
        assert type(err.value) is refusal, (name, err.value)
        if name == "register" and not reached:
            assert "unit" in err.value.fields
        assert _counts() == before, name


def test_a_commune_officer_cannot_register_in_the_province_or_a_sibling(org):
    for unit in (org.tree.province, org.tree.n2, org.tree.c3):
        with pytest.raises(PermissionDenied):
            register(org.n_leader, unit, registered_on=date(2025, 1, 1))
    # Its own archive (the communes merged into it) it may.
    register(org.n_leader, org.tree.c2, registered_on=date(2025, 1, 1))
