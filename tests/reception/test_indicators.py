"""The reception.* indicators (form 01/TCD, TT 02/2021 and TT 01/2024) over a month written out by
hand: every indicator with every value of "by", the form's sums, scoping and the registry.

November 2026 at commune N, with October before it:

  October 20 (regular, out of the period): case Z first (1 person); crowd case Y first (9 people).
  Regular (staff), 3 and 12 November:
    r1 case A first, 1 · r2 case Z again, 1 · r3 case A again, 1 ·
    r4 crowd case B first, 6 · r5 crowd case Y again, 8
  The head in person: periodic 10 November, ad hoc 20 November:
    h1 case C first, 2 · h2 case A again, 1 · h3 crowd case D first, 15 · h4 case C again, 1
  An authorised person: periodic 17 November:
    a1 case Z again, 1 · a2 crowd case E first, 5 · a3 crowd case B again, 7
  Also: a periodic session of 24 November scheduled but not held; commune N2 (same province)
  holds one regular session with one visit of 3 people; a ward of another province one with 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.core import indicators
from danvan.reception import services
from danvan.reception.models import Presider, Session, SessionKind, Visit
from danvan.units.models import Role

from .conftest import TODAY

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
BY = (None, "regular", "head", "authorised")

# indicator -> {by: (value, records)}, counted by hand from the table in the docstring.
EXPECTED = {
    "reception.sessions": {None: (5, 5), "regular": (2, 2), "head": (2, 2), "authorised": (1, 1)},
    "reception.visits": {None: (12, 12), "regular": (5, 5), "head": (4, 4), "authorised": (3, 3)},
    "reception.people": {None: (49, 12), "regular": (17, 5), "head": (19, 4), "authorised": (13, 3)},
    # column 3: distinct cases of each way of receiving, added up (regular 4, head 3, authorised 3)
    "reception.cases": {None: (10, 12), "regular": (4, 5), "head": (3, 4), "authorised": (3, 3)},
    # first-time cases: regular A, B; head C, D; authorised E; overall A, B, C, D, E. The records
    # behind them are their first visits (r1, r4, h1, h3, a2).
    "reception.cases_first": {None: (5, 5), "regular": (2, 2), "head": (2, 2), "authorised": (1, 1)},
    # repeated cases: regular Z, Y; head A; authorised Z, B; overall Z, Y. The records behind them
    # are the repeat visits (r2, r3, r5, h2, h4, a1, a3): with the first visits, every visit once.
    "reception.cases_repeated": {None: (2, 7), "regular": (2, 3), "head": (1, 2), "authorised": (2, 2)},
    "reception.crowds": {None: (5, 5), "regular": (2, 2), "head": (1, 1), "authorised": (2, 2)},
    "reception.crowd_people": {None: (41, 5), "regular": (14, 2), "head": (15, 1), "authorised": (12, 2)},
    "reception.crowd_cases_first": {
        None: (3, 3),
        "regular": (1, 1),
        "head": (1, 1),
        "authorised": (1, 1),
    },
    "reception.crowd_cases_repeated": {
        None: (1, 2),
        "regular": (1, 1),
        "head": (0, 0),
        "authorised": (1, 1),
    },
}
# Distinct cases received, per "by" value: regular A, Z, B, Y; head C, A, D; authorised Z, E, B.
CASES_BY = {"regular": 4, "head": 3, "authorised": 3}


@dataclass
class Month:
    desk: object
    n2_clerk: object
    visits: dict[str, Visit]


def someone(name: str, representative: bool = False) -> services.VisitorInput:
    return services.VisitorInput(name=name, address="Thôn Đông", representative=representative)


@pytest.fixture
def month(desk, tree, make_user) -> Month:
    n2_clerk = make_user(Role.CLERK, tree.n2, username="n2clerk")

    def regular(day: date, actor=desk.clerk, unit=desk.unit) -> Session:
        return services.session_open_regular(
            actor=actor, unit_id=unit.pk, day=day, place_id=None, today=TODAY
        )

    def head(kind: str, day: date, presider: str, **extra) -> Session:
        """A head's session, held with `presider`, or only scheduled when `presider` is empty."""
        data = services.SessionInput(
            unit_id=desk.unit.pk,
            kind=kind,
            day=day,
            duty_id=desk.duty.pk,
            held=bool(presider),
            presider=presider,
            **extra,
        )
        return services.session_create(actor=desk.clerk, data=data, today=TODAY).session

    def visit(session, people=1, crowd=False, again=None, reps=0, actor=desk.clerk) -> Visit:
        listed = [someone(f"Người đại diện {i}", representative=True) for i in range(reps)] or [
            someone("Nguyễn Văn An")
        ]
        if people > 1 and not crowd:
            listed = [someone("Nguyễn Văn An"), someone("Nguyễn Thị Bình")][:people]
        data = services.VisitInput(
            session_id=session.pk,
            parts=[services.VisitPart(kind="complaint", field="land", content="Khiếu nại về đất đai.")],
            visitors=listed,
            people_count=people,
            crowd=crowd,
            outcome="accepted",
            repeat_of_visit_id=again.pk if again is not None else None,
        )
        return services.visit_record(actor=actor, data=data, today=TODAY).visit

    october = regular(date(2026, 10, 20))
    r_3, r_12 = regular(date(2026, 11, 3)), regular(date(2026, 11, 12))
    p_head = head(SessionKind.PERIODIC, date(2026, 11, 10), Presider.HEAD)
    a_head = head(SessionKind.AD_HOC, date(2026, 11, 20), Presider.HEAD, trigger="many_people")
    p_auth = head(SessionKind.PERIODIC, date(2026, 11, 17), Presider.AUTHORISED, presider_name="Phạm Văn Phó")
    head(SessionKind.PERIODIC, date(2026, 11, 24), "")  # scheduled, not held

    v: dict[str, Visit] = {}
    v["oz"] = visit(october)
    v["oy"] = visit(october, people=9, crowd=True, reps=2)
    v["r1"] = visit(r_3)
    v["r2"] = visit(r_3, again=v["oz"])
    v["h1"] = visit(p_head, people=2)
    v["h2"] = visit(p_head, again=v["r1"])
    v["r3"] = visit(r_12, again=v["r1"])
    v["r4"] = visit(r_12, people=6, crowd=True, reps=1)
    v["r5"] = visit(r_12, people=8, crowd=True, reps=2, again=v["oy"])
    v["a1"] = visit(p_auth, again=v["oz"])
    v["a2"] = visit(p_auth, people=5, crowd=True, reps=1)
    v["a3"] = visit(p_auth, people=7, crowd=True, reps=1, again=v["r4"])
    v["h3"] = visit(a_head, people=15, crowd=True, reps=3)
    v["h4"] = visit(a_head, again=v["h1"])
    n2 = regular(date(2026, 11, 5), actor=n2_clerk, unit=tree.n2)
    v["n2"] = visit(n2, people=3, actor=n2_clerk)
    elsewhere = regular(date(2026, 11, 5), actor=desk.outsider, unit=desk.other)
    v["elsewhere"] = visit(elsewhere, actor=desk.outsider)
    return Month(desk=desk, n2_clerk=n2_clerk, visits=v)


def figure(code: str, user, path: str, by: str | None = None, first=FIRST, last=LAST):
    fig = indicators.figure(
        code, user=user, unit_path=path, first=first, last=last, filters={"by": by} if by else None
    )
    return fig.value, fig.records


def test_the_fixture_is_the_month_described(month):
    """The cases and repeats are as the table says (so the expected figures rest on it)."""
    v = month.visits
    case = {name: visit.case_id for name, visit in v.items()}
    assert case["r1"] == case["r3"] == case["h2"]  # A
    assert case["oz"] == case["r2"] == case["a1"]  # Z
    assert case["r4"] == case["a3"]  # B
    assert case["oy"] == case["r5"]  # Y
    assert case["h1"] == case["h4"]  # C
    assert len({case[n] for n in ("r1", "oz", "r4", "oy", "h1", "h3", "a2")}) == 7
    first_time = {name for name, visit in v.items() if not visit.is_repeat}
    assert first_time == {"oz", "oy", "r1", "r4", "h1", "h3", "a2", "n2", "elsewhere"}
    assert {n: v[n].presider for n in ("r1", "h1", "h3", "a1")} == {
        "r1": Presider.STAFF,
        "h1": Presider.HEAD,
        "h3": Presider.HEAD,
        "a1": Presider.AUTHORISED,
    }


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_indicator_with_every_by_value(month, code):
    leader, path = month.desk.leader, month.desk.unit.path
    got = {by: figure(code, leader, path, by) for by in BY}
    assert got == EXPECTED[code]


def test_01_tcd_totals_are_the_sums_of_their_parts(month):
    leader, path = month.desk.leader, month.desk.unit.path

    def col(code, by=None):
        return figure(code, leader, path, by)[0]

    # col 1 = 4 + 13 + 22 visits; col 2 = 5 + 14 + 23 people
    assert col("reception.visits") == 12 == sum(col("reception.visits", by) for by in BY[1:])
    assert col("reception.people") == 49 == sum(col("reception.people", by) for by in BY[1:])
    # col 3 = 6 + 7 + 15 + 16 + 24 + 25: distinct cases within each way of receiving
    per_by = {by: col("reception.cases_first", by) + col("reception.cases_repeated", by) for by in BY[1:]}
    assert per_by == CASES_BY
    assert sum(per_by.values()) == 10 == col("reception.cases")
    # Within the whole unit, each case is first-time or repeated, once: A, B, C, D, E and Z, Y.
    assert col("reception.cases_first") + col("reception.cases_repeated") == 7
    # Crowds: col 8 groups, col 9 people ≥ 5 per group, cols 10 + 11 = the crowds' distinct cases.
    for by in BY[1:]:
        groups, people = col("reception.crowds", by), col("reception.crowd_people", by)
        assert people >= 5 * groups
        assert col("reception.crowd_cases_first", by) + col("reception.crowd_cases_repeated", by) <= groups


@pytest.mark.parametrize("by", BY)
@pytest.mark.parametrize("crowd", [False, True])
def test_a_case_is_never_counted_twice_within_one_by_value(month, by, crowd):
    """Every visit falls in exactly one case, and that case in exactly one of first-time or repeated:
    the records behind the two figures add up to the visits (case A at the regular desk twice, case
    C at the head's sessions first and again, count once as first-time)."""
    leader, path = month.desk.leader, month.desk.unit.path
    prefix = "reception.crowd_" if crowd else "reception."
    visits = figure("reception.crowds" if crowd else "reception.visits", leader, path, by)[1]
    first = figure(f"{prefix}cases_first", leader, path, by)
    repeated = figure(f"{prefix}cases_repeated", leader, path, by)
    assert first[1] + repeated[1] == visits
    assert first[0] <= first[1] and repeated[0] <= repeated[1]


def test_a_case_visited_twice_in_the_period_counts_once(month):
    """Case A: r1 (first) and r3 (again) at the regular desk; C: h1 and h4 at the head's."""
    leader, path = month.desk.leader, month.desk.unit.path
    one_day = date(2026, 11, 3)
    assert figure("reception.cases_first", leader, path, "regular", one_day, one_day) == (1, 1)
    assert figure("reception.cases_repeated", leader, path, "regular", one_day, one_day) == (1, 1)
    # From 12 November on, case A is seen only again: it is repeated in that period.
    later = date(2026, 11, 12)
    assert figure("reception.cases_first", leader, path, "regular", later, LAST) == (1, 1)  # B
    assert figure("reception.cases_repeated", leader, path, "regular", later, LAST) == (2, 2)  # A, Y


def test_period_bounds_are_inclusive(month):
    leader, path = month.desk.leader, month.desk.unit.path
    october = (date(2026, 10, 1), date(2026, 10, 31))
    assert figure("reception.visits", leader, path, None, *october) == (2, 2)
    assert figure("reception.people", leader, path, None, *october) == (10, 2)
    assert figure("reception.sessions", leader, path, "regular", *october) == (1, 1)
    day = date(2026, 11, 20)
    assert figure("reception.visits", leader, path, "head", day, day) == (2, 2)
    assert figure("reception.visits", leader, path, None, date(2026, 11, 21), date(2026, 11, 30)) == (0, 0)


# ---- scoping --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_a_user_of_another_unit_gets_zero(month, code):
    assert figure(code, month.desk.outsider, month.desk.unit.path) == (0, 0)


def test_a_user_of_another_unit_gets_their_own(month):
    outsider, path = month.desk.outsider, month.desk.other.path
    assert figure("reception.visits", outsider, path) == (1, 1)
    assert figure("reception.visits", outsider, month.desk.unit.path) == (0, 0)


def test_the_supervisor_above_gets_the_rollup(month, tree):
    boss, province = month.desk.supervisor, tree.province.path
    # N (12 visits, 49 people, 5 sessions) and N2 (1 visit of 3 people, 1 regular session);
    # nothing of the other province.
    assert figure("reception.visits", boss, province) == (13, 13)
    assert figure("reception.people", boss, province) == (52, 13)
    assert figure("reception.sessions", boss, province) == (6, 6)
    assert figure("reception.sessions", boss, province, "regular") == (3, 3)
    assert figure("reception.cases_first", boss, province, "regular") == (3, 3)  # A, B and N2's
    assert figure("reception.visits", boss, tree.country.path) == (13, 13)
    # The supervisor on one commune sees what its leader sees.
    for code, values in EXPECTED.items():
        assert figure(code, boss, month.desk.unit.path) == values[None], code


def test_a_leader_of_the_commune_gets_only_the_commune_from_the_province(month, tree):
    assert figure("reception.visits", month.desk.leader, tree.province.path) == (12, 12)
    assert figure("reception.visits", month.n2_clerk, tree.province.path) == (1, 1)


# ---- the registry ---------------------------------------------------------------------------


def reception_indicators():
    return {code: ind for code, ind in indicators.registry().items() if code.startswith("reception.")}


def test_every_reception_indicator_is_tested_and_declared():
    found = reception_indicators()
    assert set(found) == set(EXPECTED)
    seen: list[str] = []
    for code, indicator in found.items():
        assert str(indicator.label).strip(), code
        columns = indicator.form_columns.get("01-tcd")
        assert columns, code
        assert all(c.isdigit() and 1 <= int(c) <= 29 for c in columns), code
        assert set(indicator.dimensions) == {"by"} and set(indicator.dimensions["by"]) == set(BY[1:])
        seen.extend(columns)
    assert len(seen) == len(set(seen)), "a column of 01/TCD declared twice"


def test_every_column_of_01_tcd_is_declared():
    seen = {c for ind in reception_indicators().values() for c in ind.form_columns["01-tcd"]}
    assert seen == {str(n) for n in range(1, 30)}


def test_labels_are_translated():
    from django.utils import translation

    with translation.override("vi"):
        vi = {code: str(ind.label) for code, ind in reception_indicators().items()}
    with translation.override("en"):
        en = {code: str(ind.label) for code, ind in reception_indicators().items()}
    assert en["reception.visits"] == "Visits received"
    assert all(vi[code] != en[code] for code in en), [c for c in en if vi[c] == en[c]]


@pytest.mark.parametrize("filters", [{"by": "deputy"}, {"by": ""}, {"kind": "regular"}, {"by": "Regular"}])
def test_an_unknown_dimension_or_value_raises_lookup_error(month, filters):
    with pytest.raises(LookupError):
        indicators.figure(
            "reception.visits",
            user=month.desk.leader,
            unit_path=month.desk.unit.path,
            first=FIRST,
            last=LAST,
            filters=filters,
        )


def test_an_unknown_indicator_raises_lookup_error(month):
    with pytest.raises(LookupError):
        indicators.figure(
            "reception.nothing",
            user=month.desk.leader,
            unit_path=month.desk.unit.path,
            first=FIRST,
            last=LAST,
        )


# ---- queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_one_figure_costs_a_fixed_number_of_queries(month, code, django_assert_num_queries):
    """However many visits and cases: the user's roles, the successions their scope inherits (two
    steps: N's predecessors, then none further), then one aggregate."""
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(pk=month.desk.leader.pk)  # nothing cached on the user
    with django_assert_num_queries(QUERIES):
        figure(code, leader, month.desk.unit.path, "head")


QUERIES = 4
