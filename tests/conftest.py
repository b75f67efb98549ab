"""Shared fixtures: a small unit tree with history, and users holding roles in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from danvan.core.text import fold
from danvan.reports import review
from danvan.reports.declarations import ReviewItem, ReviewSection
from danvan.units.models import LEVEL_OF_KIND, RoleAssignment, RoleScope, Succession, Unit, UnitKind
from danvan.units.services import assign_path

EPOCH = date(2000, 1, 1)
REFORM = date(2025, 7, 1)
LAST_OLD = date(2025, 6, 30)


def make_unit(code, name, kind, parent=None, valid_from=EPOCH, valid_to=None) -> Unit:
    unit = Unit.objects.create(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        level=LEVEL_OF_KIND[kind],
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        path="",
        depth=0,
    )
    assign_path(unit)
    unit.save(update_fields=["path", "depth"])
    return unit


@dataclass
class Tree:
    """country
    ├── province (P)
    │   ├── district D1 (ended 30/06/2025)
    │   │   ├── commune C1 (ended)   ┐ merged into N on 01/07/2025
    │   │   └── commune C2 (ended)   ┘
    │   ├── district D2 (ended)
    │   │   └── commune C3 (ended) → N2
    │   ├── commune N (from 01/07/2025)
    │   ├── commune N2 (from 01/07/2025)
    │   └── agency A (people's committee of P)
    └── province Q (unrelated)
        └── commune QC
    """

    country: Unit
    province: Unit
    d1: Unit
    d2: Unit
    c1: Unit
    c2: Unit
    c3: Unit
    n: Unit
    n2: Unit
    agency: Unit
    other_province: Unit
    other_commune: Unit


@pytest.fixture
def tree(db) -> Tree:
    country = make_unit("VN", "Việt Nam", UnitKind.COUNTRY)
    province = make_unit("37", "Tỉnh Ninh Bình", UnitKind.PROVINCE, country)
    d1 = make_unit("375", "Huyện Yên Khánh", UnitKind.RURAL_DISTRICT, province, valid_to=LAST_OLD)
    d2 = make_unit("377", "Huyện Yên Mô", UnitKind.RURAL_DISTRICT, province, valid_to=LAST_OLD)
    c1 = make_unit("14800", "Xã Khánh Thiện", UnitKind.COMMUNE, d1, valid_to=LAST_OLD)
    c2 = make_unit("14801", "Xã Khánh Cường", UnitKind.COMMUNE, d1, valid_to=LAST_OLD)
    c3 = make_unit("14900", "Xã Yên Phong", UnitKind.COMMUNE, d2, valid_to=LAST_OLD)
    n = make_unit("14801", "Xã Khánh Thiện", UnitKind.COMMUNE, province, valid_from=REFORM)
    n2 = make_unit("14950", "Xã Yên Mô", UnitKind.COMMUNE, province, valid_from=REFORM)
    agency = make_unit("37-UBND", "Ủy ban nhân dân tỉnh Ninh Bình", UnitKind.PEOPLES_COMMITTEE, province)
    other_province = make_unit("01", "Thành phố Hà Nội", UnitKind.CENTRAL_CITY, country)
    other_commune = make_unit("00004", "Phường Ba Đình", UnitKind.WARD, other_province, valid_from=REFORM)
    for pred, succ in ((c1, n), (c2, n), (c3, n2)):
        Succession.objects.create(
            predecessor=pred, successor=succ, kind="merge", effective_on=REFORM, is_default=True
        )
    return Tree(country, province, d1, d2, c1, c2, c3, n, n2, agency, other_province, other_commune)


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(role=None, unit=None, scope=RoleScope.UNIT, **extra):
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=extra.pop("username", f"user{counter['n']}"), password="Mật-khẩu-thử-12", **extra
        )
        if role is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=role, scope=scope)
        return user

    return make


UNRECORDED = "outreach.unrecorded"  # a review figure no capability records


@pytest.fixture
def unrecorded_in_review(monkeypatch):
    """The review with one more section whose figure nothing records: it must read "not available"."""
    section = ReviewSection(
        "unrecorded",
        "Unrecorded",
        (ReviewItem(UNRECORDED, "%(unit)s did %(value)s unrecorded things.", label="Unrecorded things"),),
    )
    monkeypatch.setattr(review, "SECTIONS", (*review.SECTIONS, section))
    monkeypatch.setattr(review, "REVIEW_CODES", (*review.REVIEW_CODES, UNRECORDED))
    monkeypatch.setattr(review, "LABELS", {**review.LABELS, UNRECORDED: "Unrecorded things"})
    return UNRECORDED
