"""Units named in spreadsheets resolved against the tree on a date."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.units.models import UnitKind
from danvan.units.names import UnitNames
from tests.conftest import LAST_OLD, REFORM, make_unit

OLD_DAY = date(2016, 3, 5)
NEW_DAY = date(2026, 3, 5)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def more(tree):
    """The conftest tree, with Hoa Lư city, a second Tân Lập and agencies of a commune."""
    t = tree
    city = make_unit("374", "Thành phố Hoa Lư", UnitKind.PROVINCIAL_CITY, t.province, valid_to=LAST_OLD)
    ward = make_unit("14329", "Phường Hoa Lư", UnitKind.WARD, t.province, valid_from=REFORM)
    district = make_unit(
        "369", "Huyện Hoa Lư", UnitKind.RURAL_DISTRICT, t.province, valid_to=date(2024, 12, 31)
    )
    tan_lap_1 = make_unit("14810", "Xã Tân Lập", UnitKind.COMMUNE, t.d1, valid_to=LAST_OLD)
    tan_lap_2 = make_unit("14910", "Xã Tân Lập", UnitKind.COMMUNE, t.d2, valid_to=LAST_OLD)
    committee = make_unit(
        "14800-UBND", "Ủy ban nhân dân xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, t.c1, valid_to=LAST_OLD
    )
    city_party = make_unit("374-TU", "Thành ủy Hoa Lư", UnitKind.PARTY_COMMITTEE, city, valid_to=LAST_OLD)
    city_bdv = make_unit(
        "374-BDV",
        "Ban Dân vận Thành ủy Hoa Lư",
        UnitKind.MASS_MOBILIZATION_COMMITTEE,
        city,
        valid_to=LAST_OLD,
    )
    front = make_unit("37-MTTQ", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", UnitKind.FATHERLAND_FRONT, t.province)
    town = make_unit("00100", "Thị trấn Yên Ninh", UnitKind.TOWNSHIP, t.d1, valid_to=LAST_OLD)
    quan_thanh = make_unit("00010", "Phường Quán Thánh", UnitKind.WARD, t.other_province, valid_from=REFORM)
    return {
        "city": city,
        "ward": ward,
        "district": district,
        "tan_lap_1": tan_lap_1,
        "tan_lap_2": tan_lap_2,
        "committee": committee,
        "city_party": city_party,
        "city_bdv": city_bdv,
        "front": front,
        "town": town,
        "quan_thanh": quan_thanh,
    }


def error(names: UnitNames, text: str, on: date) -> DomainError:
    with pytest.raises(DomainError) as caught:
        names.resolve(text, on)
    return caught.value


def test_by_code_and_by_the_exports_form(tree, more):
    names = UnitNames()
    assert names.resolve("14329", NEW_DAY) == more["ward"]
    assert names.resolve("Phường Hoa Lư (14329)", NEW_DAY) == more["ward"]
    assert names.resolve("anything at all (14329)", NEW_DAY) == more["ward"]
    assert names.resolve("37-ubnd", NEW_DAY) == tree.agency


def test_a_code_reused_over_time_is_picked_by_date(tree):
    names = UnitNames()
    assert names.resolve("14801", OLD_DAY) == tree.c2
    assert names.resolve("14801", NEW_DAY) == tree.n


def test_a_code_that_lost_its_zeros_in_a_number_cell(tree):
    assert UnitNames().resolve("4", NEW_DAY) == tree.other_commune


@pytest.mark.parametrize(
    "text",
    ["Thành phố Hoa Lư", "thanh pho hoa lu", "TP Hoa Lư", "TP. Hoa Lư", "Tp.Hoa Lư", "THÀNH PHỐ  HOA LƯ"],
)
def test_names_as_people_write_them(more, text):
    assert UnitNames().resolve(text, OLD_DAY) == more["city"]


@pytest.mark.parametrize(
    ("text", "key"),
    [("H. Yên Khánh", "d1"), ("Huyện Yên Khánh", "d1"), ("yen khanh", "d1"), ("X. Khánh Cường", "c2")],
)
def test_area_prefixes_and_abbreviations(tree, text, key):
    assert UnitNames().resolve(text, OLD_DAY) == getattr(tree, key)


def test_other_prefixes(tree, more):
    names = UnitNames()
    assert names.resolve("TT Yên Ninh", OLD_DAY) == more["town"]
    assert names.resolve("Thị trấn Yên Ninh", OLD_DAY) == more["town"]
    assert names.resolve("T. Ninh Bình", NEW_DAY) == tree.province
    assert names.resolve("Tỉnh Ninh Bình", NEW_DAY) == tree.province
    assert names.resolve("P. Ba Đình", NEW_DAY) == tree.other_commune
    assert names.resolve("TP Hà Nội", NEW_DAY) == tree.other_province


def test_a_prefix_narrows_the_kind(more):
    names = UnitNames()
    # On 05/03/2026 only the ward is valid; "TP" says a city, so nothing of that kind exists then.
    assert names.resolve("Hoa Lư", NEW_DAY) == more["ward"]
    assert names.resolve("Phường Hoa Lư", NEW_DAY) == more["ward"]
    # In 2016 the city and the district of that name both existed.
    assert error(names, "Hoa Lư", OLD_DAY).code == "unit_name.ambiguous"
    failure = error(names, "TP Hoa Lư", NEW_DAY)
    assert failure.code == "unit_name.not_on_date"
    assert "Thành phố Hoa Lư existed from 01/01/2000 to 30/06/2025" in failure.message
    assert "Phường" not in failure.message


def test_a_word_read_as_a_prefix_may_belong_to_the_name(more):
    assert UnitNames().resolve("Quán Thánh", NEW_DAY) == more["quan_thanh"]


def test_an_agency_prefix_means_the_agency_when_the_tree_has_one(tree, more):
    names = UnitNames()
    assert names.resolve("UBND xã Khánh Thiện", OLD_DAY) == more["committee"]
    assert names.resolve("Ủy ban nhân dân xã Khánh Thiện", OLD_DAY) == more["committee"]
    # The commune of the same name after 2025 has no committee in the tree: the commune itself.
    assert names.resolve("UBND xã Khánh Thiện", NEW_DAY) == tree.n
    assert names.resolve("HĐND xã Khánh Cường", OLD_DAY) == tree.c2
    assert names.resolve("UBND tỉnh Ninh Bình", NEW_DAY) == tree.agency


def test_agencies_by_their_names_and_prefixes(tree, more):
    names = UnitNames()
    assert names.resolve("Thành ủy Hoa Lư", OLD_DAY) == more["city_party"]
    assert names.resolve("Đảng ủy thành phố Hoa Lư", OLD_DAY) == more["city_party"]
    assert names.resolve("Ban Dân vận Thành ủy Hoa Lư", OLD_DAY) == more["city_bdv"]
    assert names.resolve("BAN DAN VAN thanh uy hoa lu", OLD_DAY) == more["city_bdv"]
    assert names.resolve("Ban Dân vận TP Hoa Lư", OLD_DAY) == more["city_bdv"]
    assert names.resolve("MTTQ tỉnh Ninh Bình", NEW_DAY) == more["front"]
    assert names.resolve("Mặt trận Tổ quốc tỉnh Ninh Bình", NEW_DAY) == more["front"]
    assert names.resolve("Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", NEW_DAY) == more["front"]
    # "Huyện ủy" says a rural district: the city's committee is not one.
    assert error(names, "Huyện ủy Hoa Lư", date(2025, 3, 1)).code == "unit_name.not_on_date"


def test_the_parent_tells_apart_units_of_one_name(tree, more):
    names = UnitNames()
    assert names.resolve("Xã Tân Lập, H. Yên Khánh", OLD_DAY) == more["tan_lap_1"]
    assert names.resolve("Xã Tân Lập - Huyện Yên Mô", OLD_DAY) == more["tan_lap_2"]
    assert names.resolve("Tân Lập, Yên Mô, Ninh Bình", OLD_DAY) == more["tan_lap_2"]
    assert names.resolve("Tân Lập (ghi chú), H. Yên Khánh", OLD_DAY) == more["tan_lap_1"]
    assert error(names, "Xã Tân Lập, Huyện Hoa Lư", OLD_DAY).code == "unit_name.unknown"


def test_several_matches_are_listed_with_codes(tree, more):
    failure = error(UnitNames(), "Xã Tân Lập", OLD_DAY)
    assert failure.code == "unit_name.ambiguous"
    assert failure.message == (
        "“Xã Tân Lập” may be any of Xã Tân Lập (14810, Huyện Yên Khánh); Xã Tân Lập (14910, Huyện Yên Mô). "
        "Write the code in brackets, e.g. “Xã Tân Lập (14810)”."
    )


def test_within_prefers_the_subtree(tree, more):
    assert UnitNames(within=tree.d2).resolve("Xã Tân Lập", OLD_DAY) == more["tan_lap_2"]
    # Nothing of that name inside: the whole tree answers.
    assert (
        UnitNames(within=tree.other_province).resolve("Xã Tân Lập, Yên Khánh", OLD_DAY) == more["tan_lap_1"]
    )


def test_only_units_valid_on_the_date(tree, more):
    names = UnitNames()
    failure = error(names, "Huyện Hoa Lư", NEW_DAY)
    assert failure.code == "unit_name.not_on_date"
    assert (
        failure.message
        == "Huyện Hoa Lư existed from 01/01/2000 to 31/12/2024; the record is dated 05/03/2026."
    )
    later = error(names, "Phường Hoa Lư", OLD_DAY)
    assert later.message == "Phường Hoa Lư exists from 01/07/2025; the record is dated 05/03/2016."


def test_unknown_names_suggest_close_ones(tree, more):
    names = UnitNames()
    # "Khánh Thiên" folds as "Khánh Thiện" does: found. A real typo is not.
    assert names.resolve("Xã Khánh Thiên", OLD_DAY) == tree.c1
    typo = error(names, "Xã Khánh Thiệm", OLD_DAY)
    assert typo.code == "unit_name.unknown"
    assert typo.message == "No unit is named or coded “Xã Khánh Thiệm”. Did you mean: Xã Khánh Thiện?"
    nothing = error(names, "Hợp tác xã Bình Minh", OLD_DAY)
    assert nothing.message == "No unit is named or coded “Hợp tác xã Bình Minh”."
    assert error(names, "99999", OLD_DAY).code == "unit_name.unknown"


def test_resolving_many_rows_is_fast_after_the_index(tree, more):
    names = UnitNames()
    texts = ["Xã Khánh Cường", "14329", "UBND xã Khánh Thiện", "H. Yên Khánh", "Thành phố Hoa Lư"]
    days = [OLD_DAY, OLD_DAY, OLD_DAY, OLD_DAY, OLD_DAY]
    for text, day in zip(texts, days, strict=True):
        if text != "14329":
            names.resolve(text, day)
    names.resolve("14329", NEW_DAY)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for i in range(20_000):
            text = texts[i % len(texts)]
            names.resolve(text, NEW_DAY if text == "14329" else OLD_DAY)
        elapsed = time.perf_counter() - started
    assert len(queries) == 0
    assert elapsed < 2.0  # generous: about 0.05 s on a laptop


def test_a_long_list_of_candidates_is_cut(tree):
    for number in range(12):
        make_unit(f"2{number:04d}", "Xã Tân Lập", UnitKind.COMMUNE, tree.d1, valid_to=LAST_OLD)
    failure = error(UnitNames(), "Tân Lập", OLD_DAY)
    assert failure.message.count(", Huyện Yên Khánh)") == 10
    assert "; and 2 more. Write the code in brackets" in failure.message
