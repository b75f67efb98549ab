"""Fixtures of the practices tests: people who manage and review models in the small tree of
tests/conftest.py, and helpers that register models and take them through their lifecycle by the
services (never by writing rows).

Dates: commune N exists from 01/07/2025 (C1 and C2 merged into it), directly under province P;
commune C1 existed until 30/06/2025 under district D1. TODAY is before the real date of the runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.practices import services
from danvan.practices.models import CriteriaSet, PracticeModel, PracticeStatus
from danvan.units.models import Role, RoleScope, Unit

TODAY = date(2026, 11, 27)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Org:
    """Who works where. `n_leader` manages and recognises at commune N (the successor of C1 and
    C2); `province_board` is the province's committee (whole subtree); `d1_board` the district
    D1's (whole subtree, until the district ended)."""

    tree: object
    n_leader: object
    n_committee: object
    n_clerk: object
    n2_leader: object
    c1_leader: object
    c2_leader: object
    d1_leader: object
    d1_board: object
    province_leader: object
    province_board: object
    outsider: object


@pytest.fixture
def org(tree, make_user) -> Org:
    return Org(
        tree=tree,
        n_leader=make_user(Role.LEADER, tree.n, username="n_leader"),
        n_committee=make_user(Role.COMMITTEE_MEMBER, tree.n, username="n_committee"),
        n_clerk=make_user(Role.CLERK, tree.n, username="n_clerk"),
        n2_leader=make_user(Role.LEADER, tree.n2, username="n2_leader"),
        c1_leader=make_user(Role.LEADER, tree.c1, username="c1_leader"),
        c2_leader=make_user(Role.LEADER, tree.c2, username="c2_leader"),
        d1_leader=make_user(Role.LEADER, tree.d1, username="d1_leader"),
        d1_board=make_user(Role.COMMITTEE_MEMBER, tree.d1, RoleScope.SUBTREE, username="d1_board"),
        province_leader=make_user(Role.LEADER, tree.province, username="province_leader"),
        province_board=make_user(
            Role.COMMITTEE_MEMBER, tree.province, RoleScope.SUBTREE, username="province_board"
        ),
        outsider=make_user(Role.LEADER, tree.other_commune, RoleScope.SUBTREE, username="outsider"),
    )


def details(unit: Unit | None = None, **overrides) -> services.PracticeInput:
    values = {
        "unit_id": unit.pk if unit is not None else None,
        "kind": "model",
        "name": "Mô hình “Dân vận khéo” xây dựng nông thôn mới kiểu mẫu",
        "field": "economy",
        "registered_on": date(2026, 1, 15),
        "address": "Thôn Đông, xã Khánh Thiện",
        "carried_out_by": "Chi hội Phụ nữ thôn Đông; Ban công tác Mặt trận thôn",
        "aims": "Vận động nhân dân hiến đất làm đường giao thông nông thôn.",
        "expected_results": "2 km đường bê tông",
    }
    values.update(overrides)
    return services.PracticeInput(**values)


def register(actor, unit: Unit, **overrides) -> PracticeModel:
    return services.practice_register(actor=actor, data=details(unit, **overrides), today=TODAY)


def criteria_of(model: PracticeModel, on: date) -> CriteriaSet:
    from danvan.practices.criteria import criteria_set_for

    found = criteria_set_for(model, on)
    assert found is not None
    return found


def scores_for(model: PracticeModel, on: date, each: int) -> dict[int, int]:
    """The same points for every criterion of the set in force."""
    return {c.pk: each for c in criteria_of(model, on).criteria.all()}


def report(model, actor, on=date(2026, 3, 1), note="Đã làm 1 km đường.", **kwargs):
    return services.practice_report(
        actor=actor, practice_id=model.pk, on=on, note=note, today=TODAY, **kwargs
    )


def submit(model, actor, level="commune", on=date(2026, 9, 1), **kwargs):
    return services.practice_submit(
        actor=actor, practice_id=model.pk, level=level, on=on, today=TODAY, **kwargs
    )


def evaluate(model, actor, on=date(2026, 9, 10), each=16, **kwargs):
    return services.practice_evaluate(
        actor=actor,
        practice_id=model.pk,
        reviewed_on=on,
        scores=kwargs.pop("scores", None) or scores_for(model, on, each),
        today=TODAY,
        **kwargs,
    )


def recognise(model, actor, on=date(2026, 9, 15), number="12/QĐ-BCĐ", **kwargs):
    return services.practice_recognise(
        actor=actor, practice_id=model.pk, decision_number=number, decided_on=on, today=TODAY, **kwargs
    )


def not_recognise(model, actor, on=date(2026, 9, 15), note="Chưa lan tỏa.", **kwargs):
    return services.practice_not_recognise(
        actor=actor, practice_id=model.pk, on=on, note=note, today=TODAY, **kwargs
    )


def withdraw(model, actor, on=date(2026, 6, 1), note="Không còn thực hiện.", **kwargs):
    return services.practice_withdraw(
        actor=actor, practice_id=model.pk, on=on, note=note, today=TODAY, **kwargs
    )


def bring_to(status: str, org: Org, unit: Unit | None = None) -> PracticeModel:
    """A model of commune N (or `unit`, managed and recognised by n_leader) in `status`."""
    actor = org.n_leader
    model = register(actor, unit or org.tree.n)
    if status == PracticeStatus.REGISTERED:
        return model
    if status == PracticeStatus.CARRYING_OUT:
        report(model, actor)
    elif status == PracticeStatus.WITHDRAWN:
        withdraw(model, actor)
    else:
        submit(model, actor)
        if status == PracticeStatus.RECOGNISED:
            evaluate(model, actor)
            recognise(model, actor)
        elif status == PracticeStatus.NOT_RECOGNISED:
            not_recognise(model, actor)
    model.refresh_from_db()
    assert model.status == status
    return model
