"""The petition forms of the inspection sector (02/TCD, 01/XLD–04/XLD, KQGQ01, KQGQ03) in every
version: every cell of every form over the hand-written half-year of `tests/petitions/
test_indicators.py` (total row and a row per unit), the forms' arithmetic on seeded random petitions
made through the services, the versions and their dates, and the columns the records cannot give.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.core.indicators import registry
from danvan.petitions import services
from danvan.petitions.models import FIELDS_OF_KIND, Petition
from danvan.reports.forms import declarations, form_for, versions_of
from danvan.reports.periods import period_between, period_parse
from danvan.reports.selectors import form_report
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from ..petitions.test_indicators import FIRST, LAST, TODAY, Desk, HalfYear, make_half_year, person

FORMS = ("02-tcd", "01-xld", "02-xld", "03-xld", "04-xld", "kqgq01", "kqgq03")
H1 = period_between(FIRST, LAST)

# Every cell over January–June 2024, counted by hand from the half-year's table: one line per row
# (the total, the province's own records, K1, K2), the columns in order; "-" for a column the
# records cannot give (shown empty).
EXPECTED = {
    ("02-tcd", "tt02-2021"): """
        total 5 5 3 3 1 1 1 1 3 3 2 2 1 1 0 1
        PX    2 2 1 1 1 1 0 0 0 0 2 2 1 1 0 1
        K1    0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        K2    3 3 2 2 0 0 1 1 3 3 0 0 0 0 0 0
    """,
    ("02-tcd", "tt01-2024"): """
        total 5 5 3 3 1 1 1 1 3 3 2 2 1 1 0 1
        PX    2 2 1 1 1 1 0 0 0 0 2 2 1 1 0 1
        K1    0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        K2    3 3 2 2 0 0 1 1 3 3 0 0 0 0 0 0
    """,
    ("01-xld", "tt02-2021"): """
        total 21 1 2 0 1 15 2 19 15 14 6 6 3 2 0 2 11 10 5 4 1 5 1 3 1 2
        PX    7 0 1 0 1 4 1 7 6 6 2 2 2 1 0 0 5 3 1 1 1 3 1 1 1 1
        K1    7 1 0 0 0 5 1 6 5 4 2 2 1 1 0 1 3 4 2 2 0 1 0 1 0 1
        K2    7 0 1 0 0 6 0 6 4 4 2 2 0 0 0 1 3 3 2 1 0 1 0 1 0 0
    """,
    ("01-xld", "tt01-2024"): """
        total 21 3 18 19 2 15 14 6 6 3 2 0 13 10 5 4 1 5 1 3 1 2
        PX    7 1 6 7 0 6 6 2 2 2 1 0 5 3 1 1 1 3 1 1 1 1
        K1    7 1 6 6 1 5 4 2 2 1 1 0 4 4 2 2 0 1 0 1 0 1
        K2    7 1 6 6 1 4 4 2 2 0 0 0 4 3 2 1 0 1 0 1 0 0
    """,
    ("02-xld", "tt02-2021"): """
        total 9 1 1 0 7 9 2 7 6 5 4 3 1 0 1 0 0 1 0 - 0 4 4 3 1 1 1 0 0 0
        PX    2 0 0 0 2 2 0 2 2 2 1 1 0 0 1 0 0 1 0 - 0 1 1 0 1 1 1 0 0 0
        K1    3 1 0 0 2 3 1 2 2 1 1 0 1 0 0 0 0 0 0 - 0 1 1 1 0 0 0 0 0 0
        K2    4 0 1 0 3 4 1 3 2 2 2 2 0 0 0 0 0 0 0 - 0 2 2 2 0 0 0 0 0 0
    """,
    ("02-xld", "tt01-2024"): """
        total 9 2 7 9 2 7 6 5 4 3 1 0 1 0 0 1 0 - 0 4 4 3 1 1 1 0 0
        PX    2 0 2 2 0 2 2 2 1 1 0 0 1 0 0 1 0 - 0 1 1 0 1 1 1 0 0
        K1    3 1 2 3 1 2 2 1 1 0 1 0 0 0 0 0 0 - 0 1 1 1 0 0 0 0 0
        K2    4 1 3 4 1 3 2 2 2 2 0 0 0 0 0 0 0 - 0 2 2 2 0 0 0 0 0
    """,
    ("03-xld", "tt02-2021"): """
        total 7 0 1 0 0 5 1 7 1 6 6 6 5 0 4 1 0 1 0 0 0 4 0 1 1 4 3 1 2 0 2 0 1
        PX    3 0 1 0 0 1 1 3 1 2 2 2 1 0 1 0 0 1 0 0 0 2 0 0 0 1 1 0 1 0 1 0 1
        K1    2 0 0 0 0 2 0 2 0 2 2 2 2 0 1 1 0 0 0 0 0 1 0 0 1 2 1 1 0 0 0 0 0
        K2    2 0 0 0 0 2 0 2 0 2 2 2 2 0 2 0 0 0 0 0 0 1 0 1 0 1 1 0 1 0 1 0 0
    """,
    ("03-xld", "tt01-2024"): """
        total 7 1 6 7 1 6 6 6 5 0 4 1 0 1 0 0 0 1 1 4 4 3 1 2 2 0 1
        PX    3 1 2 3 1 2 2 2 1 0 1 0 0 1 0 0 0 0 0 2 1 1 0 1 1 0 1
        K1    2 0 2 2 0 2 2 2 2 0 1 1 0 0 0 0 0 0 1 1 2 1 1 0 0 0 0
        K2    2 0 2 2 0 2 2 2 2 0 2 0 0 0 0 0 0 1 0 1 1 1 0 1 1 0 0
    """,
    ("04-xld", "tt02-2021"): """
        total 5 0 0 0 1 3 1 3 0 3 3 3 0 1 1 1 0 0 3 1 2 1 1 1
        PX    2 0 0 0 1 1 0 2 0 2 2 2 0 1 0 1 0 0 2 1 1 0 1 0
        K1    2 0 0 0 0 1 1 1 0 1 1 1 0 0 1 0 0 0 1 0 1 1 0 1
        K2    1 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
    """,
    ("04-xld", "tt01-2024"): """
        total 5 0 5 3 0 3 3 3 0 1 1 1 0 3 1 2 1 1 1 0
        PX    2 0 2 2 0 2 2 2 0 1 0 1 0 2 1 1 0 1 1 0
        K1    2 0 2 1 0 1 1 1 0 0 1 0 0 1 0 1 1 0 0 0
        K2    1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
    """,
    ("kqgq01", "tt02-2021"): """
        total 6 1 5 5 3 1 12.5 100 - - - - - 3 1 - 0 - - 1 0 1 1 0 2 1
        PX    2 1 1 2 2 0 12.5 100 - - - - - 2 1 - 0 - - 0 0 1 1 0 1 1
        K1    2 0 2 1 0 1 0 0 - - - - - 0 0 - 0 - - 0 0 0 0 0 0 0
        K2    2 0 2 2 1 0 0 0 - - - - - 1 0 - 0 - - 1 0 0 0 0 1 0
    """,
    ("kqgq01", "tt01-2024"): """
        total 6 1 5 5 3 1 12.5 100 - - - - - 3 1 - 0 - - 1 0 1 1 0 2 1
        PX    2 1 1 2 2 0 12.5 100 - - - - - 2 1 - 0 - - 0 0 1 1 0 1 1
        K1    2 0 2 1 0 1 0 0 - - - - - 0 0 - 0 - - 0 0 0 0 0 0 0
        K2    2 0 2 2 1 0 0 0 - - - - - 1 0 - 0 - - 1 0 0 0 0 1 0
    """,
    ("kqgq03", "tt02-2021"): """
        total 4 0 4 4 1 2 1 1 0 - 53.25 0 - - - - - 0 2 - 1 - - 1 0 0 0 1 1 2 0
        PX    1 0 1 1 0 1 1 0 0 - 50 0 - - - - - 0 2 - 1 - - 1 0 0 0 0 0 1 0
        K1    2 0 2 2 1 1 0 1 0 - 3.25 0 - - - - - 0 0 - 0 - - 0 0 0 0 1 1 1 0
        K2    1 0 1 1 0 0 0 0 0 - 0 0 - - - - - 0 0 - 0 - - 0 0 0 0 0 0 0 0
    """,
    ("kqgq03", "tt01-2024"): """
        total 4 0 4 4 1 2 1 1 0 - 53.25 0 - - - - - 0 2 - 1 - - 1 0 0 0 1 1 2 0
        PX    1 0 1 1 0 1 1 0 0 - 50 0 - - - - - 0 2 - 1 - - 1 0 0 0 0 0 1 0
        K1    2 0 2 2 1 1 0 1 0 - 3.25 0 - - - - - 0 0 - 0 - - 0 0 0 0 1 1 1 0
        K2    1 0 1 1 0 0 0 0 0 - 0 0 - - - - - 0 0 - 0 - - 0 0 0 0 0 0 0 0
    """,
}


@pytest.fixture
def half_year(db, make_user) -> HalfYear:
    return make_half_year(make_user)


def _expected(form: str, version: str) -> dict[str, list[Decimal | None]]:
    rows = {}
    for line in EXPECTED[(form, version)].strip().splitlines():
        name, *values = line.split()
        rows[name] = [None if v == "-" else Decimal(v) for v in values]
    return rows


def _table(report, h) -> dict[str, list]:
    names = {None: "total", h.px.pk: "PX", h.k1.pk: "K1", h.k2.pk: "K2"}
    out = {}
    for row in [report.total, *report.rows]:
        name = names[row.unit.pk if row.unit is not None else None]
        out[name] = [
            row.figures[c.number].value if c.code else row.figures.get(c.number) for c in report.columns
        ]
    return out


@pytest.mark.parametrize("version", ["tt02-2021", "tt01-2024"])
@pytest.mark.parametrize("form", FORMS)
def test_every_cell_of_the_form_over_the_half_year(half_year, form, version):
    h = half_year
    report = form_report(h.leader, form=form, unit=h.px, period=H1, today=TODAY, version=version)
    assert report.declaration.version == version
    assert [r.unit for r in report.rows] == [h.px, h.k2, h.k1]  # own records first, then by name
    assert _table(report, h) == _expected(form, version)
    assert report.checks and report.checks_hold, [c for c in report.checks if not c.holds]


def test_the_form_in_force_is_chosen_by_the_periods_last_day(half_year):
    h = half_year
    assert form_report(h.leader, form="01-xld", unit=h.px, period=H1, today=TODAY).declaration.version == (
        "tt01-2024"
    )
    early = period_between(date(2024, 1, 1), date(2024, 3, 4))
    assert form_report(h.leader, form="01-xld", unit=h.px, period=early, today=TODAY).declaration.version == (
        "tt02-2021"
    )
    late = form_report(h.leader, form="kqgq01", unit=h.px, period=period_parse("I2026"), today=TODAY)
    assert late.declaration.version == "tt06-2025"
    # Complaints still to resolve in 2026: K1's c and K2's a, accepted in 2024 and never resolved.
    assert [late.total.figures[n].value for n in ("1", "2", "3")] == [2, 2, 0]
    with pytest.raises(DomainError) as refused:
        form_report(
            h.leader, form="02-xld", unit=h.px, period=period_parse("2026"), today=TODAY, version="tt02-2021"
        )
    assert refused.value.code == "reports.form_version_not_covering"


def test_labels_in_both_languages(half_year):
    h = half_year
    wanted = {
        ("kqgq01", "20"): ("Complaint correct", "Khiếu nại đúng"),
        ("kqgq01", "23"): ("First decision upheld", "Công nhận quyết định giải quyết lần đầu"),
        ("kqgq03", "24"): ("Denunciation true", "Tố cáo đúng"),
        ("kqgq03", "28"): ("Denunciation partly true", "Tố cáo đúng một phần"),
        ("03-xld", "14"): ("Corruption", "Tham nhũng"),
        ("04-xld", "11"): ("Judicial", "Tư pháp"),
        ("02-tcd", "2"): ("Cases received", "Số vụ việc được tiếp"),
        ("01-xld", "1"): ("Total", "Tổng cộng"),
    }
    for language, index in (("en", 0), ("vi", 1)):
        with translation.override(language):
            for (form, number), labels in wanted.items():
                report = form_report(h.leader, form=form, unit=h.px, period=H1, today=TODAY)
                assert str(report.declaration.column(number).label) == labels[index], (form, number)
            assert str(report.total.label) == ("Total", "Tổng cộng")[index]
    with translation.override("en"):
        titles = {code: str(form_for(code, FIRST, LAST).title) for code in FORMS}
    assert titles == {
        "02-tcd": "Classification and processing of petitions received through citizen reception",
        "01-xld": "Summary of petition processing",
        "02-xld": "Summary of the processing of complaints",
        "03-xld": "Summary of the processing of denunciations",
        "04-xld": "Summary of the processing of recommendations and feedback",
        "kqgq01": "Results of resolving complaints within authority",
        "kqgq03": "Results of resolving denunciations within authority",
    }


# ---- the declarations ------------------------------------------------------------------------

# The columns each form leaves empty because the records cannot give them (both versions).
EMPTY = {
    ("02-xld", "tt02-2021"): {"20"},
    ("02-xld", "tt01-2024"): {"18"},
    ("kqgq01", "tt02-2021"): {"9", "10", "11", "12", "13", "16", "18", "19"},
    ("kqgq01", "tt01-2024"): {"9", "10", "11", "12", "13", "16", "18", "19"},
    ("kqgq03", "tt02-2021"): {"10", "13", "14", "15", "16", "17", "20", "22", "23"},
    ("kqgq03", "tt01-2024"): {"10", "13", "14", "15", "16", "17", "20", "22", "23"},
}
WIDTH = {
    ("02-tcd", "tt02-2021"): 16,
    ("02-tcd", "tt01-2024"): 16,
    ("01-xld", "tt02-2021"): 26,
    ("01-xld", "tt01-2024"): 22,
    ("02-xld", "tt02-2021"): 30,
    ("02-xld", "tt01-2024"): 27,
    ("03-xld", "tt02-2021"): 33,
    ("03-xld", "tt01-2024"): 27,
    ("04-xld", "tt02-2021"): 24,
    ("04-xld", "tt01-2024"): 20,
    ("kqgq01", "tt02-2021"): 26,
    ("kqgq01", "tt01-2024"): 26,
    ("kqgq03", "tt02-2021"): 31,
    ("kqgq03", "tt01-2024"): 31,
}


@pytest.mark.parametrize("form", FORMS)
def test_three_versions_numbered_in_order_with_checks_on_declared_columns(form):
    known = versions_of(form)
    assert [(d.version, d.valid_from, d.valid_to) for d in known] == [
        ("tt02-2021", date(2021, 5, 10), date(2024, 3, 4)),
        ("tt01-2024", date(2024, 3, 5), date(2025, 9, 29)),
        ("tt06-2025", date(2025, 9, 30), None),
    ]
    old, current, latest = known
    assert latest.columns == current.columns and latest.checks == current.checks
    with translation.override("en"):
        assert "not" in str(latest.notes[0]) or "check them" in str(latest.notes[0])
        assert "Circular 06/2025/TT-TTCP" in str(latest.notes[0])
    codes = registry()
    for declaration in (old, current):
        key = (form, declaration.version)
        assert [c.number for c in declaration.columns] == [str(n) for n in range(1, WIDTH[key] + 1)]
        assert {c.number for c in declaration.columns if not c.code} == EMPTY.get(key, set())
        for column in declaration.columns:
            if column.code:
                indicator = codes[column.code]
                indicator.condition(dict(column.filters))  # every filter names a dimension value
        with_code = {c.number for c in declaration.columns if c.code}
        for check in declaration.checks:
            assert {check.column, *check.parts} <= with_code, check.text
        assert len(set(declaration.checks)) == len(declaration.checks)


def test_form_columns_of_the_indicators_name_the_columns_they_feed():
    """Under the form's code the columns of TT 01/2024 (kept by TT 06/2025); under
    "<code>:tt02-2021" those of TT 02/2021 where they differ."""
    wanted: dict[str, dict[str, list[str]]] = {}
    for form in FORMS:
        old, current, _latest = versions_of(form)
        layouts = [(form, current)]
        if old.columns != current.columns:
            layouts.append((f"{form}:tt02-2021", old))
        for key, declaration in layouts:
            for column in declaration.columns:
                if column.code:
                    wanted.setdefault(column.code, {}).setdefault(key, []).append(column.number)
    declared = {
        code: {form: list(columns) for form, columns in indicator.form_columns.items()}
        for code, indicator in registry().items()
        if code.startswith("petitions.") and indicator.form_columns
    }
    assert declared == wanted


# ---- the forms' arithmetic on random petitions ------------------------------------------------

KINDS = ("complaint", "denunciation", "recommendation", "feedback")
CHANNELS = ("post", "in_person", "hand_delivery", "online", "suggestion_box")
OUTCOMES = {
    "complaint": ("complaint_correct", "complaint_partly", "complaint_incorrect"),
    "complaint2": ("upheld", "amended"),
    "denunciation": ("denunciation_true", "denunciation_partly", "denunciation_false"),
    "recommendation": ("recommendation_accepted", "recommendation_explained"),
    "feedback": ("recommendation_accepted", "recommendation_explained"),
}
START = date(2023, 9, 1)


def _random_petitions(seed: int, desk: Desk, units: list, lower: list) -> int:
    """About a hundred petitions with random content, links and handling, each step through the
    services; a step the rules refuse is left out. Returns how many steps were refused."""
    rng = random.Random(seed)
    made: list[Petition] = []
    refused = 0

    def day(after: date, spread: int = 60) -> date:
        return min(after + timedelta(days=rng.randint(0, spread)), date(2024, 12, 31))

    for _ in range(100):
        unit = rng.choice(units)
        kind = rng.choice(KINDS)
        received = START + timedelta(days=rng.randint(0, 420))
        extra: dict = {"channel": rng.choice(CHANNELS)}
        earlier = [p for p in made if p.unit_id == unit.pk and p.kind == kind and p.received_on <= received]
        if earlier and rng.random() < 0.3:
            link = rng.choice(earlier)
            choice = rng.random()
            if choice < 0.4:
                extra |= {"link": services.LINK_CASE, "link_petition_id": link.pk}
            elif choice < 0.7:
                extra |= {"link": services.LINK_DUPLICATE, "link_petition_id": link.pk}
            else:
                extra["previous_id"] = link.pk
        if kind != "complaint" and rng.random() < 0.15:
            extra |= {"anonymous": True, "petitioners": []}
        elif rng.random() < 0.2:
            extra |= {
                "signer_count": rng.randint(5, 9),
                "petitioners": [person("Đại diện", True), person("Người ký")],
            }
        field = rng.choice(FIELDS_OF_KIND[kind])
        try:
            petition = desk.receive(unit, kind, field, received, **extra)
        except DomainError:
            refused += 1
            continue
        made.append(petition)
        try:
            _random_handling(rng, desk, petition, day, units, lower)
        except DomainError:
            refused += 1
    return refused


def _random_handling(rng, desk: Desk, petition: Petition, day, units, lower) -> None:
    """Leave it waiting, or accept it (then decide, withdraw or leave it open), guide, transfer
    (inside danvan or out), urge a commune, file, or record a withdrawal; maybe record a reply."""
    step = rng.random()
    on = day(petition.received_on, 40)
    if step < 0.1:
        return
    if step < 0.45:
        desk.accept(petition, on)
        ending = rng.random()
        if ending < 0.55:
            key = "complaint2" if petition.kind == "complaint" and petition.round >= 2 else petition.kind
            desk.decide(
                petition,
                day(on, 80),
                rng.choice(OUTCOMES[key]),
                money_recovered=Decimal(rng.randint(0, 3)),
                people_restored=rng.randint(0, 2),
            )
        elif ending < 0.7:
            desk.step(services.petition_withdraw, petition, on=day(on, 30))
        return
    if step < 0.55:
        desk.step(
            services.petition_guide,
            petition,
            on=on,
            guided_to="Cơ quan có thẩm quyền",
            eligible=rng.random() < 0.8,
            ineligible_reason="unclear",
        )
    elif step < 0.7:
        target = [u for u in units if u.pk != petition.unit_id]
        kwargs = (
            {"target_unit_id": rng.choice(target).pk} if rng.random() < 0.4 else {"target_name": "Sở Tư pháp"}
        )
        desk.step(services.petition_transfer, petition, on=on, document_number="1/PC", **kwargs)
    elif step < 0.78 and petition.unit_id not in {u.pk for u in lower}:
        desk.step(
            services.petition_urge,
            petition,
            on=on,
            target_unit_id=rng.choice(lower).pk,
            document_number="2/ĐĐ",
        )
    elif step < 0.9:
        desk.step(
            services.petition_file,
            petition,
            on=on,
            ineligible_reason=rng.choice(["unclear", "already_guided"]),
        )
    else:
        desk.step(services.petition_withdraw, petition, on=on)
    petition.refresh_from_db()
    if petition.status in ("transferred", "urged") and rng.random() < 0.5:
        desk.step(services.petition_record_reply, petition, on=day(on, 30), summary="Đã trả lời")


@pytest.mark.parametrize("seed", [7, 2024])
def test_every_check_of_every_form_holds_on_random_petitions(db, make_user, seed):
    country = make_unit("VN", "Việt Nam", UnitKind.COUNTRY)
    px = make_unit("90", "Tỉnh Thử Nghiệm", UnitKind.PROVINCE, country)
    k1 = make_unit("90001", "Xã Một", UnitKind.COMMUNE, px)
    k2 = make_unit("90002", "Xã Hai", UnitKind.COMMUNE, px)
    leader = make_user(Role.LEADER, px, RoleScope.SUBTREE)
    refused = _random_petitions(seed, Desk(leader), [px, k1, k2], [k1, k2])
    assert Petition.objects.count() >= 80 and refused < 40
    periods = [H1, period_parse("I2024"), period_between(date(2024, 3, 5), date(2024, 12, 31))]
    for period in periods:
        for declaration in declarations():
            if declaration.code not in FORMS or not declaration.covers(period.first, period.last):
                continue
            report = form_report(
                leader,
                form=declaration.code,
                unit=px,
                period=period,
                today=TODAY,
                version=declaration.version,
            )
            failing = [(c.row, c.text, c.expected, c.got) for c in report.checks if not c.holds]
            assert not failing, (declaration.code, declaration.version, period.label, failing)
            for column in report.columns:
                if column.code:
                    total = report.total.figures[column.number].value
                    assert total == sum(row.figures[column.number].value for row in report.rows)
