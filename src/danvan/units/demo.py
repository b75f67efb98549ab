"""Demo data of the units app: the national tree, a historical city, agencies, one user per role."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.demo_registry import register

from . import services
from .loader import units_load
from .models import Role, RoleAssignment, RoleScope, Succession, SuccessionKind, Unit, UnitKind, valid_on_q

PROVINCE = "37"  # Ninh Bình, which absorbed Hà Nam and Nam Định on 1 July 2025
COMMUNE = "14329"  # Phường Hoa Lư, Ninh Bình, since 1 July 2025
OLD_CITY = ("369", date(2007, 2, 7), date(2025, 2, 28), "Thành phố Ninh Bình")
OLD_CITY_SUCCESSOR = "374"  # Thành phố Hoa Lư (formed from Hoa Lư district and Ninh Bình city)

# The city whose ten years of mass mobilization work the demo tells (Resolution 25-NQ/TW, 2013–2022):
# Hoa Lư city, a district-level unit until 30 June 2025, with its communes and agencies.
STORY_CITY = OLD_CITY_SUCCESSOR
STORY_CITY_AGENCIES = [
    (UnitKind.PARTY_COMMITTEE, "Thành ủy Hoa Lư", "374-TU"),
    (UnitKind.MASS_MOBILIZATION_COMMITTEE, "Ban Dân vận Thành ủy Hoa Lư", "374-BDV"),
    (UnitKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân thành phố Hoa Lư", "374-UBND"),
    (UnitKind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam thành phố Hoa Lư", "374-MTTQ"),
]
# The ward that holds the city's centre since 1 July 2025, and its agencies.
COMMUNE_AGENCIES = [
    (UnitKind.PARTY_COMMITTEE, "Đảng ủy phường Hoa Lư", "14329-DU"),
    (UnitKind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam phường Hoa Lư", "14329-MTTQ"),
]

AGENCIES = [
    (UnitKind.PARTY_COMMITTEE, "Tỉnh ủy Ninh Bình", "37-TU"),
    (UnitKind.MASS_MOBILIZATION_COMMITTEE, "Ban Tuyên giáo và Dân vận Tỉnh ủy Ninh Bình", "37-BTGDV"),
    (UnitKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Ninh Bình", "37-UBND"),
    (UnitKind.CITIZEN_RECEPTION_BOARD, "Ban Tiếp công dân tỉnh Ninh Bình", "37-BTCD"),
    (UnitKind.INSPECTORATE, "Thanh tra tỉnh Ninh Bình", "37-TT"),
    (UnitKind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "37-MTTQ"),
]


def _unit(code: str, on: date) -> Unit:
    return Unit.objects.filter(code=code).filter(valid_on_q(on)).get()


def _ensure_unit(*, actor, code: str, **values) -> Unit:
    existing = Unit.objects.filter(code=code, valid_from=values["valid_from"]).first()
    return existing or services.unit_create(actor=actor, code=code, **values)


def _ensure_user(username: str, full_name: str, role: str, unit: Unit, scope: str, today: date) -> str:
    User = get_user_model()
    password = secrets.token_urlsafe(9)
    user = User.objects.filter(username=username).first()
    if user is None:
        services.user_create(
            actor=None,
            username=username,
            full_name=full_name,
            email=f"{username}@example.vn",
            password=password,
            role=role,
            unit_id=unit.pk,
            scope=scope,
            today=today,
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role, defaults={"scope": scope})
    return password


@register(order=10)
@transaction.atomic
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    result = units_load(actor=None)
    stdout.write(f"Units: {result.units_total} ({result.units_created} new).")
    province = _unit(PROVINCE, today)
    commune = _unit(COMMUNE, today)
    root = Unit.objects.get(parent__isnull=True)
    passwords = {
        "admin": _ensure_user("admin", "Trần Quốc Quản", Role.ADMINISTRATOR, root, RoleScope.SUBTREE, today),
    }
    admin = get_user_model().objects.get(username="admin")
    for kind, name, code in AGENCIES:
        _ensure_unit(
            actor=admin,
            code=code,
            name=name,
            kind=kind,
            parent_id=province.pk,
            valid_from=province.valid_from,
        )
    city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if city is not None:
        for kind, name, code in STORY_CITY_AGENCIES:
            _ensure_unit(
                actor=admin,
                code=code,
                name=name,
                kind=kind,
                parent_id=city.pk,
                valid_from=city.valid_from,
                valid_to=city.valid_to,
            )
    for kind, name, code in COMMUNE_AGENCIES:
        _ensure_unit(
            actor=admin, code=code, name=name, kind=kind, parent_id=commune.pk, valid_from=commune.valid_from
        )
    # A historical unit the data set does not hold: Ninh Bình city, merged away on 1 March 2025.
    old_city_code, old_from, old_to, old_name = OLD_CITY
    old_province = _unit(PROVINCE, old_from)
    old_city = _ensure_unit(
        actor=admin,
        code=old_city_code,
        name=old_name,
        kind=UnitKind.PROVINCIAL_CITY,
        parent_id=old_province.pk,
        valid_from=old_from,
        valid_to=old_to,
    )
    successor = _unit(OLD_CITY_SUCCESSOR, old_to.replace(day=1, month=3))
    if not Succession.objects.filter(predecessor=old_city, successor=successor).exists():
        services.succession_create(
            actor=admin,
            predecessor_id=old_city.pk,
            successor_id=successor.pk,
            kind=SuccessionKind.MERGE,
            effective_on=date(2025, 3, 1),
            is_default=True,
        )
    people = [
        ("auditor", "Lê Thị Kiểm", Role.AUDITOR, province, RoleScope.SUBTREE, "auditor, Ninh Bình and below"),
        ("leader", "Phạm Văn Lãnh", Role.LEADER, province, RoleScope.SUBTREE, "leader, Ninh Bình and below"),
        (
            "committee",
            "Đinh Thị Vận",
            Role.COMMITTEE_MEMBER,
            province,
            RoleScope.SUBTREE,
            "mass mobilization committee, Ninh Bình and below",
        ),
        ("handler", "Vũ Văn Xử", Role.HANDLER, commune, RoleScope.UNIT, f"petition handler, {commune.name}"),
        ("clerk", "Hoàng Thị Tiếp", Role.CLERK, commune, RoleScope.UNIT, f"reception clerk, {commune.name}"),
    ]
    credentials = [("admin", passwords["admin"], "administrator, whole country")]
    for username, full_name, role, unit, scope, description in people:
        credentials.append(
            (username, _ensure_user(username, full_name, role, unit, scope, today), description)
        )
    return credentials
