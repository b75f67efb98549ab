"""Fixtures of the emulation tests: the staff of a province's emulation work, a movement launched
by the province, and helpers that propose and decide commendations through the services.

Models (practices) and activities (outreach) are written straight to their tables: those apps'
services are not this app's to call, and a commendation only reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.core.text import fold
from danvan.emulation import services
from danvan.emulation.models import Commendation, CommendationForm, Movement, Recipient
from danvan.outreach.models import Activity, ActivityKind, Resolution
from danvan.practices.models import PracticeField, PracticeKind, PracticeModel
from danvan.units.models import Role, RoleScope, Unit, UnitLevel

TODAY = date(2026, 11, 27)
F = CommendationForm


@dataclass
class Staff:
    """Who keeps the emulation work of province P (see tests/conftest.py for the tree)."""

    chairman: object  # leader of P, subtree: proposes and decides everywhere in P
    board: object  # committee member of P, subtree: proposes, never decides
    commune_chairman: object  # leader of commune N (and so of C1, C2 merged into it)
    commune_board: object  # committee member of N
    outsider: object  # leader of the other province
    clerk: object  # a reception clerk of P: sees the records, keeps no emulation work
    movement: Movement


def make_activity(
    unit: Unit, user, *, starts_on: date, ends_on: date, title: str = "Hội nghị quán triệt"
) -> Activity:
    return Activity.objects.create(
        unit=unit,
        unit_path=unit.path,
        kind=ActivityKind.CONFERENCE,
        title=title,
        title_folded=fold(title),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )


def make_practice(
    unit: Unit, user, *, registered_on: date, name: str = "Mô hình “Dân vận khéo” xây dựng nông thôn mới"
) -> PracticeModel:
    return PracticeModel.objects.create(
        unit=unit,
        unit_path=unit.path,
        kind=PracticeKind.MODEL,
        name=name,
        name_folded=fold(name),
        field=PracticeField.ECONOMY,
        registered_on=registered_on,
        year=registered_on.year,
        carried_out_by="Hội Nông dân xã",
        aims="Vận động nhân dân hiến đất làm đường",
        created_by=user,
    )


def proposal(unit: Unit, **overrides) -> services.CommendationInput:
    """A proposal of a province certificate for a collective, rewarding a period of work."""
    values = {
        "recipient": Recipient.COLLECTIVE,
        "unit_id": unit.pk,
        "level": UnitLevel.PROVINCE,
        "form": F.PROVINCE_PC_CERTIFICATE,
        "reason": "Đã có thành tích xuất sắc trong thực hiện phong trào thi đua “Dân vận khéo”",
        "work_from": date(2021, 1, 1),
        "work_to": date(2023, 12, 31),
    }
    values.update(overrides)
    return services.CommendationInput(**values)


def decision(day: date, number: str = "123/QĐ-UBND", issuer: str = "Chủ tịch UBND tỉnh Ninh Bình", **extra):
    return services.Decision(number=number, decided_on=day, issuer=issuer, **extra)


def propose(actor, unit: Unit, **overrides) -> Commendation:
    return services.commendation_propose(actor=actor, data=proposal(unit, **overrides), today=TODAY)


def decide(actor, commendation: Commendation, day: date = date(2024, 3, 5), **extra) -> Commendation:
    return services.commendation_decide(
        actor=actor,
        commendation_id=commendation.pk,
        version=commendation.version,
        decision=decision(day, **extra),
        today=TODAY,
    )


@pytest.fixture
def staff(tree, make_user) -> Staff:
    chairman = make_user(
        Role.LEADER, tree.province, RoleScope.SUBTREE, username="chutich", first_name="Chủ tịch"
    )
    board = make_user(Role.COMMITTEE_MEMBER, tree.province, RoleScope.SUBTREE, username="thiduatinh")
    commune_chairman = make_user(Role.LEADER, tree.n, username="chutichxa")
    commune_board = make_user(Role.COMMITTEE_MEMBER, tree.n, username="thiduaxa")
    outsider = make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE, username="hanoi")
    clerk = make_user(Role.CLERK, tree.province, RoleScope.SUBTREE, username="vanthu")
    movement = services.movement_create(
        actor=board,
        data=services.MovementInput(
            unit_id=tree.province.pk,
            name="Phong trào thi đua “Dân vận khéo” giai đoạn 2021–2025",
            starts_on=date(2021, 3, 1),
            ends_on=date(2025, 12, 31),
            resolution_id=Resolution.objects.get(number="25-NQ/TW").pk,
            description="Thực hiện Nghị quyết 25-NQ/TW.",
        ),
        today=TODAY,
    )
    return Staff(chairman, board, commune_chairman, commune_board, outsider, clerk, movement)
