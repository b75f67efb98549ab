"""The petitions.* indicators over a half-year written out by hand (`half_year`), the rates of the
review, scoping, carried over against not processed, and the data migration petitions/0004.

The province PX and its communes K1 and K2 (all since 2000); the period is January–June 2024.
Every petition is made and handled through the services, by a leader of the whole province.

 PX p1 complaint land, post; received 20/11/23, accepted 25/11/23, decided 15/01/24 partly correct,
       late; money 12.5, land 100 m², 2 people restored, 1 sanctioned
    p2 denunciation corruption, post; received 20/12/23, accepted 05/01/24, decided 30/01/24 true,
       on time; money 50, 2 sanctioned, 1 case to investigation
    p3 complaint policy, post, second complaint after p1; received 01/02/24, accepted 05/02/24,
       decided 01/03/24 first decision upheld, on time
    p4 recommendation land, hand delivery, 6 signers; received 10/03/24, accepted 12/03/24,
       decided 10/04/24 accepted
    p5 feedback other, online; received 01/04/24, K1 urged 03/04/24, reply 01/05/24
    p6 denunciation land, in person; received 06/05/24, transferred to K1 08/05/24, reply 10/06/24
    p7 complaint judicial, in person; received 20/06/24, guided 21/06/24
    p8 denunciation party, post, anonymous; received 10/02/24, filed 12/02/24
 K1 a  complaint land, in person, 7 signers; received 28/12/23, accepted 04/01/24, withdrawn by all
       01/02/24
    b  complaint land, post, duplicate of a; received 10/01/24, filed 12/01/24
    c  complaint land, post, same case as a; received 15/01/24, accepted 16/01/24, not decided
    d  recommendation policy, post; received 25/06/24, transferred out 02/07/24
    e  feedback judicial, suggestion box, anonymous; received 01/03/24, transferred out 05/03/24,
       reply 01/04/24
    f  denunciation civil service, post; received 01/10/23, accepted 05/10/23, decided 01/12/23 false
    g  denunciation civil service, post, further after f; received 15/02/24, accepted 20/02/24,
       decided 20/03/24 partly true; money 3.25
    t  the denunciation p6 as K1 received it (channel: another agency) 08/05/24, accepted 10/05/24
 K2 a  complaint policy, hand delivery; received 20/01/24, accepted 28/06/24
    b  denunciation land, post; received 01/02/24, accepted 03/02/24, not decided
    c  denunciation land, post, further after b (still pending); received 15/03/24, transferred out
       18/03/24
    d  complaint other, in person; received 10/04/24, filed 11/04/24
    e  recommendation other, in person; received 20/05/24, not processed
    f  complaint land, post; received 10/12/23, withdrawn before processing 08/01/24
    g  complaint policy, in person; received 05/06/24, accepted 06/06/24, decided 25/06/24 correct,
       on time; money returned 5, 1 person restored
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from danvan.core import indicators
from danvan.core.errors import NotFound
from danvan.petitions import services
from danvan.petitions.models import Petition
from danvan.reports import engine
from danvan.reports.engine import Cell
from danvan.reports.periods import period_between, period_parse
from danvan.reports.selectors import form_report
from danvan.units.models import Role, RoleScope, Unit, UnitKind

from ..conftest import make_unit
from ..migrating import historical_commune, migrate_latest, migrate_to

TODAY = date(2026, 11, 27)
FIRST, LAST = date(2024, 1, 1), date(2024, 6, 30)
CONTENT = {
    "complaint": "Khiếu nại quyết định thu hồi đất nông nghiệp của gia đình tại thôn %(n)s.",
    "denunciation": "Tố cáo cán bộ địa chính xã nhận tiền của dân tại thôn %(n)s.",
    "recommendation": "Kiến nghị sửa đường liên thôn %(n)s bị sạt lở sau mưa lũ.",
    "feedback": "Phản ánh tiếng ồn của xưởng gỗ ở thôn %(n)s kéo dài đến nửa đêm.",
}


@dataclass
class HalfYear:
    px: Unit
    k1: Unit
    k2: Unit
    leader: object  # a leader of the whole province
    k1_clerk: object
    outsider: object  # a leader in another province
    p: dict[str, Petition]


def person(name: str, representative: bool = False) -> services.PersonInput:
    return services.PersonInput(name=name, address="Thôn Đông", representative=representative)


class Desk:
    """Makes and handles petitions through the services, as one actor."""

    def __init__(self, actor):
        self.actor = actor
        self.count = 0

    def receive(self, unit: Unit, kind: str, field: str, received_on: date, **extra) -> Petition:
        self.count += 1
        part = services.PartInput(
            kind=kind,
            field=field,
            content=CONTENT[kind] % {"n": self.count},
            link=extra.pop("link", services.LINK_NEW),
            link_petition_id=extra.pop("link_petition_id", None),
        )
        data = services.IntakeInput(
            unit_id=unit.pk,
            received_on=received_on,
            channel=extra.pop("channel", "post"),
            parts=[part],
            petitioners=extra.pop("petitioners", [person(f"Người gửi {self.count}")]),
            **extra,
        )
        return services.petition_intake(actor=self.actor, data=data, today=TODAY).petitions[0]

    def step(self, service, petition: Petition, **kwargs) -> Petition:
        version = Petition.objects.get(pk=petition.pk).version
        return service(actor=self.actor, petition_id=petition.pk, version=version, today=TODAY, **kwargs)

    def accept(self, petition: Petition, on: date) -> Petition:
        return self.step(services.petition_accept, petition, on=on)

    def decide(self, petition: Petition, on: date, outcome: str, **results) -> Petition:
        return self.step(
            services.petition_decide,
            petition,
            number=f"{petition.pk}/QĐ",
            decided_on=on,
            signer="Chủ tịch",
            outcome=outcome,
            results=services.Results(**results),
        )


def build_half_year(leader, desk: Desk, px: Unit, k1: Unit, k2: Unit) -> dict[str, Petition]:
    d = desk
    p: dict[str, Petition] = {}
    # PX
    p["p1"] = d.receive(px, "complaint", "land", date(2023, 11, 20))
    d.accept(p["p1"], date(2023, 11, 25))
    d.decide(
        p["p1"],
        date(2024, 1, 15),
        "complaint_partly",
        money_recovered=Decimal("12.5"),
        land_recovered=Decimal("100"),
        people_restored=2,
        people_sanctioned=1,
    )
    p["p2"] = d.receive(px, "denunciation", "corruption", date(2023, 12, 20))
    d.accept(p["p2"], date(2024, 1, 5))
    d.decide(
        p["p2"],
        date(2024, 1, 30),
        "denunciation_true",
        money_recovered=Decimal("50"),
        people_sanctioned=2,
        cases_to_investigation=1,
    )
    p["p3"] = d.receive(px, "complaint", "policy", date(2024, 2, 1), previous_id=p["p1"].pk)
    d.accept(p["p3"], date(2024, 2, 5))
    d.decide(p["p3"], date(2024, 3, 1), "upheld")
    p["p4"] = d.receive(
        px,
        "recommendation",
        "land",
        date(2024, 3, 10),
        channel="hand_delivery",
        signer_count=6,
    )
    d.accept(p["p4"], date(2024, 3, 12))
    d.decide(p["p4"], date(2024, 4, 10), "recommendation_accepted")
    p["p5"] = d.receive(px, "feedback", "other", date(2024, 4, 1), channel="online")
    d.step(
        services.petition_urge, p["p5"], on=date(2024, 4, 3), target_unit_id=k1.pk, document_number="12/ĐĐ"
    )
    d.step(services.petition_record_reply, p["p5"], on=date(2024, 5, 1), summary="Đã xử lý")
    p["p6"] = d.receive(px, "denunciation", "land", date(2024, 5, 6), channel="in_person")
    d.step(
        services.petition_transfer,
        p["p6"],
        on=date(2024, 5, 8),
        target_unit_id=k1.pk,
        document_number="15/PC",
    )
    d.step(services.petition_record_reply, p["p6"], on=date(2024, 6, 10), summary="Đã thụ lý")
    p["p7"] = d.receive(px, "complaint", "judicial", date(2024, 6, 20), channel="in_person")
    d.step(services.petition_guide, p["p7"], on=date(2024, 6, 21), guided_to="Tòa án nhân dân tỉnh")
    p["p8"] = d.receive(px, "denunciation", "party", date(2024, 2, 10), anonymous=True, petitioners=[])
    d.step(services.petition_file, p["p8"], on=date(2024, 2, 12), ineligible_reason="anonymous")
    # K1
    p["k1a"] = d.receive(
        k1,
        "complaint",
        "land",
        date(2023, 12, 28),
        channel="in_person",
        signer_count=7,
        petitioners=[person("Đại diện Một", True), person("Đại diện Hai", True), person("Người ký Ba")],
    )
    d.accept(p["k1a"], date(2024, 1, 4))
    p["k1b"] = d.receive(
        k1, "complaint", "land", date(2024, 1, 10), link=services.LINK_DUPLICATE, link_petition_id=p["k1a"].pk
    )
    d.step(services.petition_file, p["k1b"], on=date(2024, 1, 12), ineligible_reason="sent_to_competent")
    p["k1c"] = d.receive(
        k1, "complaint", "land", date(2024, 1, 15), link=services.LINK_CASE, link_petition_id=p["k1a"].pk
    )
    d.accept(p["k1c"], date(2024, 1, 16))
    d.step(services.petition_withdraw, p["k1a"], on=date(2024, 2, 1), note="Rút toàn bộ")
    p["k1d"] = d.receive(k1, "recommendation", "policy", date(2024, 6, 25))
    d.step(
        services.petition_transfer,
        p["k1d"],
        on=date(2024, 7, 2),
        target_name="Sở Giao thông vận tải",
        document_number="31/PC",
    )
    p["k1e"] = d.receive(
        k1, "feedback", "judicial", date(2024, 3, 1), channel="suggestion_box", anonymous=True, petitioners=[]
    )
    d.step(
        services.petition_transfer,
        p["k1e"],
        on=date(2024, 3, 5),
        target_name="Tòa án nhân dân huyện",
        document_number="20/PC",
    )
    d.step(services.petition_record_reply, p["k1e"], on=date(2024, 4, 1), summary="Đã nhận")
    p["k1f"] = d.receive(k1, "denunciation", "civil_service", date(2023, 10, 1))
    d.accept(p["k1f"], date(2023, 10, 5))
    d.decide(p["k1f"], date(2023, 12, 1), "denunciation_false")
    p["k1g"] = d.receive(k1, "denunciation", "civil_service", date(2024, 2, 15), previous_id=p["k1f"].pk)
    d.accept(p["k1g"], date(2024, 2, 20))
    d.decide(p["k1g"], date(2024, 3, 20), "denunciation_partly", money_recovered=Decimal("3.25"))
    p["k1t"] = Petition.objects.get(transferred_from=p["p6"])
    d.accept(p["k1t"], date(2024, 5, 10))
    # K2
    p["k2a"] = d.receive(k2, "complaint", "policy", date(2024, 1, 20), channel="hand_delivery")
    d.accept(p["k2a"], date(2024, 6, 28))
    p["k2b"] = d.receive(k2, "denunciation", "land", date(2024, 2, 1))
    d.accept(p["k2b"], date(2024, 2, 3))
    p["k2c"] = d.receive(k2, "denunciation", "land", date(2024, 3, 15), previous_id=p["k2b"].pk)
    d.step(
        services.petition_transfer,
        p["k2c"],
        on=date(2024, 3, 18),
        target_name="Thanh tra tỉnh",
        document_number="40/PC",
    )
    p["k2d"] = d.receive(k2, "complaint", "other", date(2024, 4, 10), channel="in_person")
    d.step(services.petition_file, p["k2d"], on=date(2024, 4, 11), ineligible_reason="time_limit")
    p["k2e"] = d.receive(k2, "recommendation", "other", date(2024, 5, 20), channel="in_person")
    p["k2f"] = d.receive(k2, "complaint", "land", date(2023, 12, 10))
    d.step(services.petition_withdraw, p["k2f"], on=date(2024, 1, 8))
    p["k2g"] = d.receive(k2, "complaint", "policy", date(2024, 6, 5), channel="in_person")
    d.accept(p["k2g"], date(2024, 6, 6))
    d.decide(p["k2g"], date(2024, 6, 25), "complaint_correct", money_returned=Decimal("5"), people_restored=1)
    return {key: Petition.objects.get(pk=petition.pk) for key, petition in p.items()}


def make_half_year(make_user) -> HalfYear:
    country = make_unit("VN", "Việt Nam", UnitKind.COUNTRY)
    px = make_unit("90", "Tỉnh Thử Nghiệm", UnitKind.PROVINCE, country)
    k1 = make_unit("90001", "Xã Một", UnitKind.COMMUNE, px)
    k2 = make_unit("90002", "Xã Hai", UnitKind.COMMUNE, px)
    other = make_unit("91", "Tỉnh Khác", UnitKind.PROVINCE, country)
    leader = make_user(Role.LEADER, px, RoleScope.SUBTREE, username="px_leader")
    k1_clerk = make_user(Role.CLERK, k1, username="k1_clerk")
    outsider = make_user(Role.LEADER, other, RoleScope.SUBTREE, username="other_leader")
    petitions = build_half_year(leader, Desk(leader), px, k1, k2)
    return HalfYear(px, k1, k2, leader, k1_clerk, outsider, petitions)


@pytest.fixture
def half_year(db, make_user) -> HalfYear:
    return make_half_year(make_user)


H1 = period_between(FIRST, LAST)


def _compute(user, unit, codes, period=H1, **kwargs):
    return engine.compute(
        user, [Cell.parse(c) for c in codes], unit=unit, period=period, today=TODAY, **kwargs
    )


def _row(result, unit):
    return next(r for r in result.rows if r.unit == unit)


# indicator -> {row: (value, records)}; PX is the province's own records. Counted from the docstring.
REVIEW = {
    "petitions.received": {"total": (18, 18), "PX": (6, 6), "K1": (6, 6), "K2": (6, 6)},
    # K1: b and c share a's case.
    "petitions.cases": {"total": (17, 18), "PX": (6, 6), "K1": (5, 6), "K2": (6, 6)},
    "petitions.within_authority": {"total": (10, 10), "PX": (3, 3), "K1": (4, 4), "K2": (3, 3)},
    # p1 was accepted in 2023 and resolved in the period; K1's a ended by withdrawal.
    "petitions.within_authority_resolved": {"total": (7, 7), "PX": (4, 4), "K1": (2, 2), "K2": (1, 1)},
    "petitions.resolved_by_decision": {"total": (6, 6), "PX": (4, 4), "K1": (1, 1), "K2": (1, 1)},
    "petitions.resolved_on_time": {"total": (5, 5), "PX": (3, 3), "K1": (1, 1), "K2": (1, 1)},
    # A rate's records are those of its denominator. Over half a year PX resolved more than it
    # accepted: the rate passes 100%.
    "petitions.resolution_rate": {
        "total": (Decimal("70.0"), 10),
        "PX": (Decimal("133.3"), 3),
        "K1": (Decimal("50.0"), 4),
        "K2": (Decimal("33.3"), 3),
    },
    "petitions.on_time_rate": {
        "total": (Decimal("83.3"), 6),
        "PX": (Decimal("75.0"), 4),
        "K1": (Decimal("100.0"), 1),
        "K2": (Decimal("100.0"), 1),
    },
}


def test_the_review_figures_over_the_half_year(half_year):
    h = half_year
    result = _compute(h.leader, h.px, REVIEW, breakdown=True)
    rows = {"total": result.total, "PX": _row(result, h.px).figures}
    rows |= {"K1": _row(result, h.k1).figures, "K2": _row(result, h.k2).figures}
    got = {
        code: {
            name: (figures[Cell.of(code)].value, figures[Cell.of(code)].records)
            for name, figures in rows.items()
        }
        for code in REVIEW
    }
    assert got == REVIEW
    assert len(result.rows) == 3


def test_the_rates_over_two_years_and_by_year(half_year):
    h = half_year
    codes = ["petitions.received", "petitions.resolution_rate", "petitions.on_time_rate"]
    result = _compute(h.leader, h.px, codes, period=period_parse("2023..2024"), by_year=True)

    def by_year(code):
        return {year: result.years[year][Cell.of(code)].value for year in (2023, 2024)}

    assert by_year("petitions.received") == {2023: 5, 2024: 18}
    # 2023: p1 and K1's f accepted, f resolved (late); 2024: as over the half-year.
    assert by_year("petitions.resolution_rate") == {2023: Decimal("50.0"), 2024: Decimal("70.0")}
    assert by_year("petitions.on_time_rate") == {2023: Decimal("0.0"), 2024: Decimal("83.3")}
    assert result.value("petitions.received") == 23
    assert result.value("petitions.resolution_rate") == Decimal("66.7")  # 8 of 12
    assert result.value("petitions.on_time_rate") == Decimal("71.4")  # 5 of 7


def test_a_rate_has_one_decimal_and_is_not_available_without_a_denominator(half_year):
    h = half_year
    codes = [
        "petitions.within_authority",
        "petitions.resolution_rate",
        "petitions.on_time_rate",
        "petitions.resolution_rate[kind=knpa]",
        "petitions.resolution_rate[kind=complaint]",
    ]
    empty = _compute(h.leader, h.px, codes, period=period_parse("2025"))
    assert empty.value("petitions.within_authority") == 0
    assert empty.value("petitions.resolution_rate") is None
    assert empty.value("petitions.on_time_rate") is None
    half = _compute(h.leader, h.px, codes)
    # Recommendations and feedback: p4 accepted and resolved. Complaints: 4 resolved (p1, p3,
    # K1's a by withdrawal, K2's g) of 5 accepted (p3, K1's a and c, K2's a and g).
    assert half.value("petitions.resolution_rate", kind="knpa") == Decimal("100.0")
    assert half.value("petitions.resolution_rate", kind="complaint") == Decimal("80.0")
    assert half.value("petitions.on_time_rate").as_tuple().exponent == -1


# ---- scoping --------------------------------------------------------------------------------


def test_a_user_of_another_unit_gets_zeros_and_cannot_open_the_report(half_year):
    h = half_year
    for code in (
        "petitions.received",
        "petitions.to_process",
        "petitions.eligible_cases",
        "petitions.to_resolve",
    ):
        outside = indicators.figure(code, user=h.outsider, unit_path=h.px.path, first=FIRST, last=LAST)
        assert outside == indicators.Figure(0, 0), code
        # The clerk of K1 sees nothing of K2.
        assert (
            indicators.figure(code, user=h.k1_clerk, unit_path=h.k2.path, first=FIRST, last=LAST).value == 0
        )
    with pytest.raises(NotFound):
        form_report(h.outsider, form="01-xld", unit=h.px, period=H1, today=TODAY)
    with pytest.raises(NotFound):
        form_report(h.k1_clerk, form="01-xld", unit=h.px, period=H1, today=TODAY)


def test_a_unit_user_gets_the_unit_and_a_supervisor_the_rollup(half_year):
    h = half_year
    codes = ["petitions.received", "petitions.eligible", "petitions.eligible_cases", "petitions.to_resolve"]
    own = _compute(h.k1_clerk, h.k1, codes)
    assert [own.value(c) for c in codes] == [6, 5, 4, 4]
    rollup = _compute(h.leader, h.px, codes, breakdown=True)
    assert [rollup.value(c) for c in codes] == [18, 15, 14, 11]
    assert [_row(rollup, h.k1).figures[Cell.of(c)].value for c in codes] == [6, 5, 4, 4]
    for cell in map(Cell.of, codes):
        assert rollup.total[cell].value == sum(row.figures[cell].value for row in rollup.rows)


# ---- carried over and not processed ------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, "complaint", "denunciation", "knpa"])
def test_carried_over_at_the_start_is_not_processed_at_the_end_of_the_period_before(half_year, kind):
    h = half_year
    carried_cell = Cell.of("petitions.carried_over", {"kind": kind} if kind else {})
    pending_cell = Cell.of("petitions.not_processed", {"kind": kind} if kind else {})
    seen = []
    for cut in (date(2023, 10, 1), date(2023, 12, 15), date(2024, 1, 1), date(2024, 1, 9), date(2024, 4, 1)):
        after = engine.compute(
            h.leader,
            [carried_cell],
            unit=h.px,
            period=period_between(cut, cut + timedelta(days=90)),
            today=TODAY,
            breakdown=True,
        )
        before = engine.compute(
            h.leader,
            [pending_cell],
            unit=h.px,
            period=period_between(date(2023, 1, 1), cut - timedelta(days=1)),
            today=TODAY,
            breakdown=True,
        )
        assert after.total[carried_cell] == before.total[pending_cell]
        carried = {r.unit: r.figures[carried_cell] for r in after.rows if r.figures[carried_cell].value}
        pending = {r.unit: r.figures[pending_cell] for r in before.rows if r.figures[pending_cell].value}
        assert carried == pending
        seen.append(after.total[carried_cell].value)
    if kind is None:
        # Into 01/10/2023 nothing; into 15/12/2023 K2's f; into 2024 p2, K1's a and K2's f; into
        # 09/01/2024 nothing (all three processed by 08/01); into 01/04/2024 K2's a.
        assert seen == [0, 1, 3, 0, 1]


# ---- every indicator, every dimension --------------------------------------------------------

PARTITIONS = {
    "kind": ("complaint", "denunciation", "knpa"),
    "signers": ("one", "many", "other"),
    "status": ("first", "again", "pending", "repeat", "new"),
    "round": ("first", "next"),
    "authority": ("own", "outside", "not_outside"),  # own and not_outside overlap: checked below
}


def petition_indicators():
    return {code: ind for code, ind in indicators.registry().items() if code.startswith("petitions.")}


def test_every_dimension_value_of_every_indicator_computes_and_the_partitions_add_up(half_year):
    h = half_year
    base = [code for code, ind in petition_indicators().items() if not ind.derived]
    cells = [Cell.of(code) for code in base]
    for code in base:
        for dimension, values in petition_indicators()[code].dimensions.items():
            cells.extend(Cell.of(code, {dimension: value}) for value in values)
    result = engine.compute(h.leader, cells, unit=h.px, period=H1, today=TODAY)
    for code in base:
        whole = result.total[Cell.of(code)]

        def part(dimension, value, code=code):
            return result.total[Cell.of(code, {dimension: value})]

        for dimension, values in PARTITIONS.items():
            if dimension == "authority":
                values = ("outside", "not_outside")
            parts = [part(dimension, v) for v in values]
            assert sum(p.value for p in parts) == whole.value, (code, dimension)
            assert sum(p.records for p in parts) == whole.records, (code, dimension)
        fields = ("administrative", "corruption", "judicial", "party", "other")
        assert sum(part("field", f).value for f in fields) == whole.value, code
        assert part("status", "unresolved").value + part("status", "decided").value == whole.value
    # The half-year is not empty for the figures the forms use most.
    assert (
        result.total[Cell.of("petitions.eligible_cases", {"status": "repeat"})].value == 0
    )  # K1's c: a first
    assert result.total[Cell.of("petitions.eligible", {"status": "repeat"})].value == 1  # K1's c
    assert result.total[Cell.of("petitions.received", {"signers": "other"})].value == 2  # p8, K1's e


def test_labels_in_both_languages(half_year):
    registered = petition_indicators()
    assert len(registered) == 31
    with translation.override("en"):
        en = {code: str(ind.label) for code, ind in registered.items()}
        kind = str(registered["petitions.received"].dimensions["kind"]["complaint"].label)
    with translation.override("vi"):
        vi = {code: str(ind.label) for code, ind in registered.items()}
        vi_kind = str(registered["petitions.received"].dimensions["kind"]["complaint"].label)
        vi_outcome = str(registered["petitions.resolved_cases"].dimensions["outcome"]["upheld"].label)
    assert en["petitions.received"] == "Petitions received"
    assert vi["petitions.received"] == "Đơn đã tiếp nhận"
    assert en["petitions.cases_to_investigation"] == "Cases passed to the investigating agency"
    assert vi["petitions.cases_to_investigation"] == "Số vụ việc chuyển cơ quan điều tra"
    assert (kind, vi_kind) == ("Complaint", "Khiếu nại")
    assert vi_outcome == "Công nhận quyết định giải quyết lần đầu"
    assert en["petitions.resolution_rate"] == "Resolution rate of petitions within authority"
    assert en["petitions.on_time_rate"] == "Share of decisions within the legal time limit"
    assert all(ind.measure for ind in registered.values())
    assert all(ind.dimensions for ind in registered.values())


def test_a_petition_records_when_and_how_its_processing_ended(half_year):
    p = half_year.p
    assert {
        key: (p[key].handling, p[key].processed_on) for key in ("p5", "p6", "p8", "k1a", "k2e", "k2f")
    } == {
        "p5": ("urged", date(2024, 4, 3)),
        "p6": ("transferred", date(2024, 5, 8)),
        "p8": ("filed", date(2024, 2, 12)),
        "k1a": ("accepted", date(2024, 1, 4)),  # withdrawn later: processing ended at acceptance
        "k2e": ("", None),
        "k2f": ("withdrawn", date(2024, 1, 8)),  # withdrawn before anything else
    }
    # The copy a transfer makes in K1 is processed there on its own.
    assert (p["k1t"].handling, p["k1t"].processed_on, p["k1t"].received_on) == (
        "accepted",
        date(2024, 5, 10),
        date(2024, 5, 8),
    )


# ---- the data migration petitions/0004 --------------------------------------------------------

BEFORE = [("petitions", "0003_petitioner_name_folded")]
AFTER = [("petitions", "0004_petition_processed")]


@pytest.mark.django_db(transaction=True)
def test_0004_fills_when_and_how_processing_ended_from_the_timeline():
    old = migrate_to(BEFORE)
    try:
        User = old.get_model("core", "User")
        Unit = old.get_model("units", "Unit")
        Case = old.get_model("petitions", "Case")
        OldPetition = old.get_model("petitions", "Petition")
        Event = old.get_model("petitions", "Event")
        assert "processed_on" not in {f.name for f in OldPetition._meta.get_fields()}
        user = User.objects.create(username="migration")
        unit = historical_commune(
            Unit, code="90001", name="Xã Một", folded="xa mot", valid_from=date(2000, 1, 1)
        )

        def petition(number: int, status: str, steps: list[tuple[str, str, str, date]]):
            case = Case.objects.create(unit=unit, unit_path=unit.path, opened_on=date(2024, 1, 2))
            row = OldPetition.objects.create(
                unit=unit,
                unit_path=unit.path,
                tracking_code=f"DVMIGR{number:04d}",
                secret_digest="0" * 64,
                year=2024,
                number=number,
                received_on=date(2024, 1, 2),
                channel="post",
                kind="complaint",
                field="land",
                content="Nội dung",
                content_folded="noi dung",
                case=case,
                status=status,
                created_by=user,
            )
            Event.objects.create(petition=row, action="receive", to_status="received", on=date(2024, 1, 2))
            for action, source, target, on in steps:
                Event.objects.create(petition=row, action=action, from_status=source, to_status=target, on=on)
            return row

        rows = {
            "accepted": petition(
                1,
                "resolved",
                [
                    ("assign", "received", "received", date(2024, 1, 3)),
                    ("accept", "received", "accepted", date(2024, 1, 5)),
                    ("decide", "accepted", "resolved", date(2024, 2, 1)),
                ],
            ),
            "transferred": petition(
                2,
                "answered",
                [
                    ("transfer", "received", "transferred", date(2024, 1, 6)),
                    ("record_reply", "transferred", "answered", date(2024, 2, 6)),
                ],
            ),
            "urged": petition(3, "urged", [("urge", "received", "urged", date(2024, 1, 7))]),
            "guided": petition(4, "guided", [("guide", "received", "guided", date(2024, 1, 8))]),
            "filed": petition(
                5,
                "disposed",
                [
                    ("file", "received", "filed", date(2024, 1, 9)),
                    ("dispose", "filed", "disposed", date(2025, 1, 10)),
                ],
            ),
            "withdrawn early": petition(
                6, "withdrawn", [("withdraw", "received", "withdrawn", date(2024, 1, 10))]
            ),
            "withdrawn in part": petition(
                7, "received", [("withdraw", "received", "received", date(2024, 1, 11))]
            ),
            "withdrawn later": petition(
                8,
                "withdrawn",
                [
                    ("accept", "received", "accepted", date(2024, 1, 12)),
                    ("withdraw", "accepted", "withdrawn", date(2024, 1, 20)),
                ],
            ),
            "waiting": petition(9, "received", []),
        }

        new = migrate_to(AFTER)
        Migrated = new.get_model("petitions", "Petition")
        got = dict(Migrated.objects.values_list("pk", "handling"))
        days = dict(Migrated.objects.values_list("pk", "processed_on"))
        assert {key: (got[row.pk], days[row.pk]) for key, row in rows.items()} == {
            "accepted": ("accepted", date(2024, 1, 5)),
            "transferred": ("transferred", date(2024, 1, 6)),
            "urged": ("urged", date(2024, 1, 7)),
            "guided": ("guided", date(2024, 1, 8)),
            "filed": ("filed", date(2024, 1, 9)),
            "withdrawn early": ("withdrawn", date(2024, 1, 10)),
            "withdrawn in part": ("", None),
            "withdrawn later": ("accepted", date(2024, 1, 12)),
            "waiting": ("", None),
        }
    finally:
        migrate_latest()


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "en",
            [
                "%(unit)s received 18 petitions about 17 cases.",
                "It resolved 7 of the 10 petitions under its authority, reaching 70.0%.",
                "83.3% of the petitions it resolved were resolved within the legal time limit.",
            ],
        ),
        (
            "vi",
            [
                "%(unit)s đã tiếp nhận 18 đơn về 17 vụ việc.",
                "Đã giải quyết 7/10 đơn thuộc thẩm quyền, đạt 70,0%.",
                "83,3% số đơn đã giải quyết được giải quyết trong thời hạn luật định.",
            ],
        ),
    ],
)
def test_the_review_tells_the_petition_figures_in_both_languages(half_year, language, sentences):
    from django.utils import translation

    from danvan.reports.review import review_report

    h = half_year
    with translation.override(language):
        review = review_report(h.leader, unit=h.px, period=H1, today=TODAY)
    figures = {item.code: item.figure.value for item in review.items}
    assert {code: figures[code] for code in REVIEW if code in figures} == {
        "petitions.received": 18,
        "petitions.cases": 17,
        "petitions.within_authority": 10,
        "petitions.within_authority_resolved": 7,
        "petitions.resolution_rate": Decimal("70.0"),
        "petitions.on_time_rate": Decimal("83.3"),
    }
    petitions = next(s for s in review.sections if s.key == "petitions")
    assert petitions.paragraph == " ".join(sentences).replace("%(unit)s", h.px.name)
    assert figures["outreach.conferences"] == 0 and figures["practices.models"] == 0  # nothing recorded
