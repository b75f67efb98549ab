"""Fixtures of the page tests: a small unit tree made through the services, and signed-in users
holding one role each. Independent of tests/conftest.py on purpose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from danvan.units import services
from danvan.units.models import RoleAssignment, RoleScope, Unit

PASSWORD = "Mật-khẩu-thử-2025"
START = date(2000, 1, 1)
REFORM = date(2025, 7, 1)


@dataclass
class WebTree:
    country: Unit
    province: Unit
    district: Unit
    commune: Unit
    agency: Unit
    admin: object  # administrator of the whole tree (subtree scope on the country)


def create_user(
    username: str, role: str | None = None, unit: Unit | None = None, scope: str = RoleScope.UNIT, **extra
):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role, scope=scope)
    return user


def build_tree() -> WebTree:
    country = services.unit_create(
        actor=None, code="VN", name="Việt Nam", kind="country", parent_id=None, valid_from=START
    )
    admin = create_user(
        "quantri", "administrator", country, RoleScope.SUBTREE, first_name="Quản", last_name="Trị"
    )
    province = services.unit_create(
        actor=admin, code="37", name="Tỉnh Ninh Bình", kind="province", parent_id=country.pk, valid_from=START
    )
    district = services.unit_create(
        actor=admin,
        code="375",
        name="Huyện Yên Khánh",
        kind="rural_district",
        parent_id=province.pk,
        valid_from=START,
        valid_to=date(2025, 6, 30),
    )
    commune = services.unit_create(
        actor=admin,
        code="14801",
        name="Xã Khánh Thiện",
        kind="commune",
        parent_id=province.pk,
        valid_from=REFORM,
    )
    agency = services.unit_create(
        actor=admin,
        code="37-UBND",
        name="Ủy ban nhân dân tỉnh Ninh Bình",
        kind="peoples_committee",
        parent_id=province.pk,
        valid_from=START,
    )
    return WebTree(country, province, district, commune, agency, admin)


@pytest.fixture
def web_tree(db) -> WebTree:
    return build_tree()


@pytest.fixture
def web_user(web_tree):
    """Make a user holding `role` in `unit` (default: the province)."""

    def make(
        role: str | None, unit: Unit | None = None, scope: str = RoleScope.UNIT, username: str = "", **extra
    ):
        name = username or f"{role or 'norole'}-{get_user_model().objects.count()}"
        target = (unit or web_tree.province) if role else None
        return create_user(name, role, target, scope, **extra)

    return make


@pytest.fixture
def signed_in(client):
    """Sign a user in on the test client (force_login: the lockout backend needs a request)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
