"""The outreach.* indicators against counts made by hand, through `core.indicators.figure` and the
report engine (`reports.engine.compute`): an activity counts once, under its lead organiser, and
never under its co-organisers, at every level of a rollup; participants are the same by category
whether typed as counts or counted from an attendance list.

2024, on the tree of tests/conftest.py (province P; district D1 with communes C1, C2; district D2
with commune C3; agency A of P):

  C1  10/03 conference, co-organised by D1 and A: cadres 10, party members 20, citizens 70 (100)
  C1  05/04 conference, attendance list: 2 cadres, 1 citizen (3)
  C2  20/05 conference, a lone total of 40 (not broken down)
  D1  01/06 training: mass mobilization cadres 25 (25)
  C3  15/07 dialogue · C3 16/07 inspection · A 01/08 voter contact meeting
  A   02/09 training, typed: 2 cadres, 1 citizen (the same people as C1's list of 05/04)
  C1  10/01/2025 conference: 50 citizens (outside 2024)
  Q (another province) 10/03/2024 conference: 7 citizens (outside P)
Documents issued in 2024: C1 plan 01/02, D1 directive 01/03, A plan 01/04; D1 plan 01/02/2023.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.functional import Promise

from danvan.core import indicators
from danvan.outreach import services
from danvan.outreach.indicators import INDICATORS
from danvan.outreach.models import ParticipantCategory
from danvan.reports import engine
from danvan.reports.engine import Cell
from danvan.reports.periods import period_parse
from danvan.units.models import Role, RoleScope

from .conftest import TODAY, record_activity, record_document

YEAR = period_parse("2024")
FIRST, LAST = date(2024, 1, 1), date(2024, 12, 31)
CODES = {
    "outreach.conferences",
    "outreach.conference_participants",
    "outreach.trainings",
    "outreach.training_participants",
    "outreach.documents_issued",
    "outreach.dialogue_conferences",
    "outreach.inspections",
    "outreach.voter_contacts",
}


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="boss")


@pytest.fixture
def year(tree, boss):
    D = date
    first = record_activity(
        boss,
        tree.c1,
        starts_on=D(2024, 3, 10),
        co_organiser_ids=[tree.d1.pk, tree.agency.pk],
        counts={"cadres": 10, "party_members": 20, "citizens": 70},
        participants_total=100,
    )
    listed = record_activity(boss, tree.c1, starts_on=D(2024, 4, 5), counts={}, participants_total=None)
    services.attendance_save(
        actor=boss,
        activity_id=listed.pk,
        version=listed.version,
        rows=[
            services.AttendeeInput("Nguyễn Văn An", "cadres", "UBND xã"),
            services.AttendeeInput("Trần Thị Bình", "Cán bộ", "Đảng ủy xã"),
            services.AttendeeInput("Lê Văn Cường", "Nhân dân", "Thôn Đông"),
        ],
        today=TODAY,
    )
    record_activity(boss, tree.c2, starts_on=D(2024, 5, 20), counts={}, participants_total=40)
    record_activity(
        boss,
        tree.d1,
        kind="training",
        starts_on=D(2024, 6, 1),
        counts={"mm_cadres": 25},
        participants_total=None,
    )
    record_activity(
        boss,
        tree.c3,
        kind="dialogue",
        starts_on=D(2024, 7, 15),
        counts={"citizens": 60},
        participants_total=None,
    )
    record_activity(
        boss, tree.c3, kind="inspection", starts_on=D(2024, 7, 16), counts={}, participants_total=None
    )
    record_activity(
        boss,
        tree.agency,
        kind="voter_contact",
        starts_on=D(2024, 8, 1),
        counts={"citizens": 80},
        participants_total=None,
    )
    record_activity(
        boss,
        tree.agency,
        kind="training",
        starts_on=D(2024, 9, 2),
        counts={"cadres": 2, "citizens": 1},
        participants_total=None,
    )
    record_activity(boss, tree.c1, starts_on=D(2025, 1, 10), counts={"citizens": 50}, participants_total=None)
    record_activity(
        boss, tree.other_province, starts_on=D(2024, 3, 10), counts={"citizens": 7}, participants_total=None
    )
    record_document(boss, tree.c1, number="1-KH/ĐU", issued_on=D(2024, 2, 1), doc_type="plan")
    record_document(boss, tree.d1, number="2-CT/HU", issued_on=D(2024, 3, 1), doc_type="directive")
    record_document(boss, tree.agency, number="3-KH/UBND", issued_on=D(2024, 4, 1), doc_type="plan")
    record_document(boss, tree.d1, number="4-KH/HU", issued_on=D(2023, 2, 1), doc_type="plan")
    return first


def value(code, user, unit, category=None, key="category", first=FIRST, last=LAST):
    filters = {key: category} if category else None
    fig = indicators.figure(code, user=user, unit_path=unit.path, first=first, last=last, filters=filters)
    return fig.value, fig.records


def test_every_indicator_is_registered_with_a_translatable_label():
    registry = indicators.registry()
    assert set(registry) >= CODES
    for indicator in INDICATORS:
        assert isinstance(indicator.label, Promise), indicator.code
    for code in ("outreach.conference_participants", "outreach.training_participants"):
        assert set(registry[code].dimensions["category"]) == set(ParticipantCategory.values)
    assert set(registry["outreach.documents_issued"].dimensions["type"]) >= {"plan", "directive", "other"}


def test_the_figures_of_the_province_counted_by_hand(year, tree, boss):
    P = tree.province
    assert value("outreach.conferences", boss, P) == (3, 3)
    assert value("outreach.conference_participants", boss, P) == (143, 6)  # rows: 3 + 2 + 1
    assert value("outreach.conference_participants", boss, P, "cadres") == (12, 2)
    assert value("outreach.conference_participants", boss, P, "party_members") == (20, 1)
    assert value("outreach.conference_participants", boss, P, "citizens") == (71, 2)
    assert value("outreach.conference_participants", boss, P, "unspecified") == (40, 1)
    assert value("outreach.conference_participants", boss, P, "union_members") == (0, 0)
    assert value("outreach.trainings", boss, P) == (2, 2)
    assert value("outreach.training_participants", boss, P) == (28, 3)
    assert value("outreach.training_participants", boss, P, "mm_cadres") == (25, 1)
    assert value("outreach.dialogue_conferences", boss, P) == (1, 1)
    assert value("outreach.inspections", boss, P) == (1, 1)
    assert value("outreach.voter_contacts", boss, P) == (1, 1)
    assert value("outreach.documents_issued", boss, P) == (3, 3)
    assert value("outreach.documents_issued", boss, P, "plan", key="type") == (2, 2)
    assert value("outreach.documents_issued", boss, P, "directive", key="type") == (1, 1)
    # Below the province: the district D1 holds C1 and C2 and its own training.
    assert value("outreach.conferences", boss, tree.d1) == (3, 3)
    assert value("outreach.trainings", boss, tree.d1) == (1, 1)
    assert value("outreach.conferences", boss, tree.d2) == (0, 0)
    # The country adds the other province's conference; 2025 is another period.
    assert value("outreach.conferences", boss, tree.country) == (4, 4)
    assert value("outreach.conferences", boss, P, first=date(2025, 1, 1), last=date(2025, 12, 31)) == (1, 1)


def test_figures_are_scoped_to_the_user(year, tree, make_user):
    d1_leader = make_user(Role.LEADER, tree.d1, RoleScope.SUBTREE, username="d1")
    assert value("outreach.conferences", d1_leader, tree.province) == (3, 3)  # only what lies below D1
    assert value("outreach.trainings", d1_leader, tree.province) == (1, 1)


def _row(result, unit, cell) -> int:
    """A unit's row of a breakdown; a unit with no record of its own has no row: 0."""
    for row in result.rows:
        if (unit is None and row.unit_id is None) or (unit is not None and row.unit_id == unit.pk):
            return row.figures[cell].value
    return 0


def test_a_co_organised_activity_counts_once_under_its_lead_at_every_level(tree, boss):
    """Led by commune C1, co-organised by district D1 and the province's agency A."""
    record_activity(
        boss,
        tree.c1,
        starts_on=date(2024, 3, 10),
        co_organiser_ids=[tree.d1.pk, tree.agency.pk],
        counts={"cadres": 10, "citizens": 90},
        participants_total=100,
    )
    cells = [Cell.of("outreach.conferences"), Cell.of("outreach.conference_participants")]
    conferences, people = cells
    province = engine.compute(boss, cells, unit=tree.province, period=YEAR, today=TODAY, breakdown=True)
    assert province.total[conferences].value == 1 and province.total[people].value == 100
    assert _row(province, tree.d1, conferences) == 1  # C1 lies below D1
    assert _row(province, tree.agency, conferences) == 0  # a co-organiser: shown, never counted
    assert _row(province, None, conferences) == 0  # the province's own records
    assert sum(row.figures[conferences].value for row in province.rows) == 1

    district = engine.compute(boss, cells, unit=tree.d1, period=YEAR, today=TODAY, breakdown=True)
    assert district.total[conferences].value == 1
    assert _row(district, tree.c1, conferences) == 1 and _row(district, tree.c1, people) == 100
    assert _row(district, None, conferences) == 0  # D1 co-organised: its own row is empty

    agency = engine.compute(boss, cells, unit=tree.agency, period=YEAR, today=TODAY)
    assert agency.total[conferences].value == 0 and agency.total[people].value == 0


def test_typed_counts_and_an_attendance_list_give_the_same_figures(tree, boss):
    people = [
        services.AttendeeInput("Nguyễn Văn An", "cadres", "UBND xã"),
        services.AttendeeInput("Trần Thị Bình", "party_members", "Chi bộ 1"),
        services.AttendeeInput("Lê Văn Cường", "party_members", "Chi bộ 2"),
        services.AttendeeInput("Phạm Thị Dung", "citizens", "Thôn Đông"),
    ]
    record_activity(
        boss,
        tree.c1,
        kind="training",
        starts_on=date(2024, 5, 1),
        counts={"cadres": 1, "party_members": 2, "citizens": 1},
        participants_total=4,
    )
    listed = record_activity(
        boss, tree.c3, kind="training", starts_on=date(2024, 5, 1), counts={}, participants_total=None
    )
    services.attendance_save(
        actor=boss, activity_id=listed.pk, version=listed.version, rows=people, today=TODAY
    )
    categories = ["cadres", "party_members", "citizens", "other"]
    cells = [Cell.of("outreach.training_participants", {"category": c}) for c in categories]
    typed = engine.compute(boss, cells, unit=tree.d1, period=YEAR, today=TODAY)
    from_list = engine.compute(boss, cells, unit=tree.d2, period=YEAR, today=TODAY)
    assert [typed.total[c].value for c in cells] == [from_list.total[c].value for c in cells] == [1, 2, 1, 0]
    both = engine.compute(boss, cells, unit=tree.province, period=YEAR, today=TODAY, breakdown=True)
    assert [both.total[c].value for c in cells] == [2, 4, 2, 0]
    assert [_row(both, tree.d1, c) for c in cells] == [_row(both, tree.d2, c) for c in cells]


def test_a_figure_costs_a_fixed_number_of_queries(year, tree, boss, django_assert_max_num_queries):
    cells = [Cell.of(code) for code in sorted(CODES)]
    engine.compute(boss, cells, unit=tree.province, period=YEAR, today=TODAY)  # warm the scope
    with django_assert_max_num_queries(8):
        result = engine.compute(boss, cells, unit=tree.province, period=YEAR, today=TODAY, breakdown=True)
    assert result.total[Cell.of("outreach.conferences")].value == 3
