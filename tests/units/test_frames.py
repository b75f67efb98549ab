"""The frame "as it is now" (units.frames): where each unit, current or past, rolls up in today's
tree, rule by rule, and when the frame is rebuilt (legal-rules.md §7, design implication 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from danvan.units import services
from danvan.units.frames import frame_compute, frame_ensure, frame_mark_stale
from danvan.units.models import FrameState, FrameVia, Role, RoleScope, Succession, Unit, UnitFrame, UnitKind
from tests.conftest import LAST_OLD, REFORM, make_unit

TODAY = date(2026, 11, 27)
SELF, SUCCESSOR, ANCESTOR = FrameVia.SELF, FrameVia.SUCCESSOR, FrameVia.ANCESTOR


def succeed(pred: Unit, succ: Unit, *, default: bool, on: date = REFORM, kind: str = "merge") -> None:
    Succession.objects.create(
        predecessor=pred, successor=succ, kind=kind, effective_on=on, is_default=default
    )


def where(unit: Unit, today: date = TODAY) -> tuple[Unit, str]:
    """The unit of today's tree that `unit` rolls up to, and by which rule (read from the frame)."""
    frame_ensure(today)
    row = UnitFrame.objects.select_related("now_unit").get(unit=unit)
    assert row.unit_path == unit.path
    assert row.now_path == row.now_unit.path
    return row.now_unit, row.via


# ---- the rules ------------------------------------------------------------------------------


def test_a_current_unit_is_itself(tree):
    for unit in (tree.country, tree.province, tree.n, tree.n2, tree.agency, tree.other_commune):
        assert where(unit) == (unit, SELF), unit.name


def test_a_merged_unit_goes_to_its_default_successor(tree):
    assert where(tree.c1) == (tree.n, SUCCESSOR)
    assert where(tree.c2) == (tree.n, SUCCESSOR)
    assert where(tree.c3) == (tree.n2, SUCCESSOR)


def test_a_past_unit_without_successor_goes_to_the_unit_above(tree):
    """District D1 ended on 30/06/2025 with no successor: its records go to the province."""
    assert where(tree.d1) == (tree.province, ANCESTOR)
    assert where(tree.d2) == (tree.province, ANCESTOR)


def test_a_chain_of_two_successions(tree):
    """X (to 2019) was renamed Y (2020 – 30/06/2025), which merged into N: X rolls up to N."""
    x = make_unit("X", "Xã Cũ", UnitKind.COMMUNE, tree.d1, valid_to=date(2019, 12, 31))
    y = make_unit("Y", "Xã Giữa", UnitKind.COMMUNE, tree.d1, valid_from=date(2020, 1, 1), valid_to=LAST_OLD)
    succeed(x, y, default=True, on=date(2020, 1, 1), kind="rename")
    succeed(y, tree.n, default=True)
    assert where(x) == (tree.n, SUCCESSOR)
    assert where(y) == (tree.n, SUCCESSOR)


def test_a_split_with_a_default_goes_to_the_default(tree):
    s = make_unit("S", "Xã Tách", UnitKind.COMMUNE, tree.d2, valid_to=LAST_OLD)
    succeed(s, tree.n, default=False, kind="split")
    succeed(s, tree.n2, default=True, kind="split")
    assert where(s) == (tree.n2, SUCCESSOR)


def test_a_sole_successor_not_marked_default_is_still_followed(tree):
    s = make_unit("S", "Xã Đổi Tên", UnitKind.COMMUNE, tree.d2, valid_to=LAST_OLD)
    succeed(s, tree.n2, default=False, kind="rename")
    assert where(s) == (tree.n2, SUCCESSOR)


def test_a_split_without_a_default_goes_to_the_nearest_ancestor_that_has_one(tree):
    """District D3 merged into district D4 (default); its commune K was split between two
    communes of D4 with no default: K's records go where D3 went, to D4, "formerly K"."""
    d3 = make_unit("D3", "Huyện Ba", UnitKind.RURAL_DISTRICT, tree.province, valid_to=date(2019, 12, 31))
    d4 = make_unit("D4", "Huyện Bốn", UnitKind.RURAL_DISTRICT, tree.province, valid_from=date(2020, 1, 1))
    k = make_unit("K", "Xã Ca", UnitKind.COMMUNE, d3, valid_to=date(2019, 12, 31))
    k1 = make_unit("K1", "Xã Ca Một", UnitKind.COMMUNE, d4, valid_from=date(2020, 1, 1))
    k2 = make_unit("K2", "Xã Ca Hai", UnitKind.COMMUNE, d4, valid_from=date(2020, 1, 1))
    on = date(2020, 1, 1)
    succeed(d3, d4, default=True, on=on)
    succeed(k, k1, default=False, on=on, kind="split")
    succeed(k, k2, default=False, on=on, kind="split")
    assert where(d3) == (d4, SUCCESSOR)
    assert where(k) == (d4, ANCESTOR)
    assert where(k1) == (k1, SELF)


def test_a_split_without_a_default_under_a_district_without_successor_goes_to_the_province(tree):
    k = make_unit("K", "Xã Ca", UnitKind.COMMUNE, tree.d1, valid_to=LAST_OLD)
    succeed(k, tree.n, default=False, kind="split")
    succeed(k, tree.n2, default=False, kind="split")
    assert where(k) == (tree.province, ANCESTOR)


def test_a_unit_merged_into_one_later_split_without_default_is_placed_by_the_ancestor_rule(tree):
    """A merged into B; B was split without a default: A's records go where B's go, and are
    shown there as "formerly A" (they are in no successor of A)."""
    d3 = make_unit("D3", "Huyện Ba", UnitKind.RURAL_DISTRICT, tree.province, valid_to=LAST_OLD)
    a = make_unit("A", "Xã A", UnitKind.COMMUNE, d3, valid_to=date(2019, 12, 31))
    b = make_unit("B", "Xã B", UnitKind.COMMUNE, d3, valid_from=date(2020, 1, 1), valid_to=LAST_OLD)
    succeed(a, b, default=True, on=date(2020, 1, 1))
    succeed(b, tree.n, default=False, kind="split")
    succeed(b, tree.n2, default=False, kind="split")
    assert where(b) == (tree.province, ANCESTOR)
    assert where(a) == (tree.province, ANCESTOR)


def test_a_current_agency_under_an_ended_commune_goes_where_the_commune_went(tree):
    agency = make_unit("C1-UB", "Ủy ban nhân dân xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, tree.c1)
    # while one under a ward of today stays itself
    ward_agency = make_unit("BD-UB", "Ủy ban phường Ba Đình", UnitKind.PEOPLES_COMMITTEE, tree.other_commune)
    assert where(agency) == (tree.n, ANCESTOR)
    assert where(ward_agency) == (ward_agency, SELF)


def test_an_ended_agency_without_successor_goes_to_its_commune(tree):
    agency = make_unit(
        "N-HOI",
        "Hội Nông dân xã",
        UnitKind.FARMERS_UNION,
        tree.n,
        valid_from=REFORM,
        valid_to=date(2026, 1, 1),
    )
    assert where(agency) == (tree.n, ANCESTOR)


def test_a_unit_ending_today_is_still_current(tree):
    tomorrow = TODAY + timedelta(days=1)
    ends = make_unit("E", "Xã Hết Hạn", UnitKind.COMMUNE, tree.province, REFORM, TODAY)
    after = make_unit("E2", "Xã Kế Tiếp", UnitKind.COMMUNE, tree.province, tomorrow)
    succeed(ends, after, default=True, on=tomorrow)
    assert where(ends, TODAY) == (ends, SELF)
    # tomorrow it has gone to its successor, which exists from then on
    assert where(ends, tomorrow) == (after, SUCCESSOR)
    assert where(after, tomorrow) == (after, SELF)


def test_a_unit_that_starts_after_today_is_not_yet_in_todays_tree(tree):
    later = make_unit(
        "L", "Xã Sắp Có", UnitKind.COMMUNE, tree.province, valid_from=TODAY + timedelta(days=30)
    )
    assert where(later) == (tree.province, ANCESTOR)
    # and the day before the reform, the old communes were today's tree
    assert where(tree.c1, LAST_OLD) == (tree.c1, SELF)
    assert where(tree.n, LAST_OLD) == (tree.province, ANCESTOR)


def test_every_unit_is_placed_in_todays_tree(tree):
    placed = frame_compute(TODAY)
    assert set(placed) == set(Unit.objects.values_list("pk", flat=True))
    current = {u.pk for u in Unit.objects.all() if u.valid_on(TODAY)}
    for placement in placed.values():
        assert placement.now_id in current


# ---- when the frame is rebuilt --------------------------------------------------------------


def test_frame_ensure_builds_once_a_day(tree, django_assert_num_queries):
    frame_ensure(TODAY)
    assert FrameState.objects.get().built_on == TODAY
    assert UnitFrame.objects.count() == Unit.objects.count()
    with django_assert_num_queries(1):  # only the state is read
        frame_ensure(TODAY)
    # A unit written straight to the table (not through a service) is not seen until the next day.
    late = make_unit("Z", "Xã Mới", UnitKind.COMMUNE, tree.province, valid_from=REFORM)
    frame_ensure(TODAY)
    assert not UnitFrame.objects.filter(unit=late).exists()
    frame_ensure(TODAY + timedelta(days=1))
    assert FrameState.objects.get().built_on == TODAY + timedelta(days=1)
    assert UnitFrame.objects.get(unit=late).now_unit == late


def test_frame_ensure_rebuilds_when_marked_stale(tree):
    frame_ensure(TODAY)
    late = make_unit("Z", "Xã Mới", UnitKind.COMMUNE, tree.province, valid_from=REFORM)
    frame_mark_stale()
    assert not FrameState.objects.exists()
    frame_ensure(TODAY)
    assert UnitFrame.objects.get(unit=late).now_unit == late


@pytest.fixture
def admin(tree, make_user):
    return make_user(Role.ADMINISTRATOR, tree.country, RoleScope.SUBTREE, username="admin")


def test_unit_create_marks_the_frame_stale(tree, admin):
    frame_ensure(TODAY)
    unit = services.unit_create(
        actor=admin,
        code="14999",
        name="Xã Thêm",
        kind=UnitKind.COMMUNE,
        parent_id=tree.province.pk,
        valid_from=REFORM,
    )
    assert not FrameState.objects.exists()
    assert where(unit) == (unit, SELF)


def test_unit_update_marks_the_frame_stale(tree, admin):
    frame_ensure(TODAY)
    assert where(tree.n2) == (tree.n2, SELF)
    services.unit_update(
        actor=admin,
        unit_id=tree.n2.pk,
        version=tree.n2.version,
        name=tree.n2.name,
        valid_to=date(2026, 10, 31),
    )
    assert not FrameState.objects.exists()
    assert where(tree.n2) == (tree.province, ANCESTOR)
    assert where(tree.c3) == (tree.province, ANCESTOR)  # merged into N2, which has gone


def test_succession_create_marks_the_frame_stale(tree, admin):
    frame_ensure(TODAY)
    assert where(tree.d1) == (tree.province, ANCESTOR)
    services.succession_create(
        actor=admin,
        predecessor_id=tree.d1.pk,
        successor_id=tree.n.pk,
        kind="merge",
        effective_on=REFORM,
    )
    assert not FrameState.objects.exists()
    assert where(tree.d1) == (tree.n, SUCCESSOR)
