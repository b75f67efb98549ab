"""The desk's look-up of a person's earlier visits and petitions (`selectors.person_lookup`): by the
start of the name without diacritics or case, whether typed in NFC or NFD; by the ID number however
it is written; within the user's scope; newest first and limited; petitions through
`Petitioner.name_folded`."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from danvan.petitions import services as petition_services
from danvan.reception import selectors, services
from danvan.reception.models import SessionKind

from .conftest import TODAY, visit_input


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def held(desk, day: date, actor=None, unit=None):
    return services.session_create(
        actor=actor or desk.clerk,
        data=services.SessionInput(
            unit_id=(unit or desk.unit).pk, kind=SessionKind.REGULAR, day=day, held=True
        ),
        today=TODAY,
    ).session


def visit_of(desk, session, name: str, id_number: str = "", actor=None, **values):
    person = services.VisitorInput(name=name, id_number=id_number, address="Thôn Đông")
    return services.visit_record(
        actor=actor or desk.clerk, data=visit_input(session, visitors=[person], **values), today=TODAY
    ).visit


@pytest.fixture
def people(desk, tree):
    """Visits at N on three days (one visitor typed in NFD), and one at N2 (out of the clerk's reach)."""
    monday, wednesday = held(desk, date(2026, 11, 23)), held(desk, date(2026, 11, 25))
    friday = held(desk, TODAY)
    elsewhere = held(desk, TODAY, actor=desk.supervisor, unit=tree.n2)
    return {
        "an": visit_of(desk, monday, "Nguyễn Văn An", "037090001234"),
        "anh": visit_of(desk, wednesday, nfd("Nguyễn Thị Ánh"), "037185004321"),
        "duc": visit_of(desk, friday, "ĐẶNG VĂN ĐỨC"),
        "binh": visit_of(desk, elsewhere, "Nguyễn Văn Bình", "037090009999", actor=desk.supervisor),
    }


def names(found) -> list[int]:
    return [m.visit.pk for m in found.visits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nguyen", ["anh", "an"]),  # newest first
        ("Nguyễn", ["anh", "an"]),
        (nfd("Nguyễn"), ["anh", "an"]),
        ("NGUYEN VAN A", ["an"]),
        ("  nguyễn   văn  ", ["an"]),
        ("Nguyễn Thị Ánh", ["anh"]),
        (nfd("nguyễn thị á"), ["anh"]),
        ("dang van duc", ["duc"]),
        ("Đặng", ["duc"]),
        ("đặng văn đức", ["duc"]),
        ("van an", []),  # a prefix, not a word anywhere
        ("tran", []),
    ],
)
def test_by_name_prefix_without_diacritics_or_case(desk, people, typed, expected):
    found = selectors.person_lookup(desk.clerk, name=typed)
    assert names(found) == [people[key].pk for key in expected]
    assert found.hidden == 0


def test_a_name_of_one_letter_finds_nothing(desk, people):
    for typed in ("n", "Đ", " ", ""):
        found = selectors.person_lookup(desk.clerk, name=typed)
        assert (found.visits, found.petitions, found.hidden) == ([], [], 0)


@pytest.mark.parametrize("typed", ["037090001234", "037 090 001 234", "037.090.001.234", " 037-090-001234 "])
def test_by_id_number_however_written(desk, people, typed):
    assert names(selectors.person_lookup(desk.clerk, id_number=typed)) == [people["an"].pk]


def test_the_id_wins_over_the_name(desk, people):
    found = selectors.person_lookup(desk.clerk, id_number="037185004321", name="Nguyễn Văn An")
    assert names(found) == [people["anh"].pk]
    assert names(selectors.person_lookup(desk.clerk, id_number="001099000001")) == []


def test_scoped_to_the_user(desk, people):
    # N's clerk does not find N2's visitor, by name or by ID; the province's supervisor finds both.
    assert people["binh"].pk not in names(selectors.person_lookup(desk.clerk, name="nguyen van"))
    assert names(selectors.person_lookup(desk.clerk, id_number="037090009999")) == []
    assert names(selectors.person_lookup(desk.supervisor, name="nguyen van")) == [
        people["binh"].pk,
        people["an"].pk,
    ]
    assert names(selectors.person_lookup(desk.outsider, name="nguyen")) == []


def test_the_number_of_visits_on_the_matter(desk, people):
    again = visit_of(
        desk, held(desk, TODAY), "Nguyễn Văn An", "037090001234", repeat_of_visit_id=people["an"].pk
    )
    found = selectors.person_lookup(desk.clerk, name="nguyen van an")
    assert [(m.visit.pk, m.case_visits) for m in found.visits] == [(again.pk, 2), (people["an"].pk, 2)]
    assert [m.case_visits for m in selectors.person_lookup(desk.clerk, name="nguyen thi").visits] == [1]


def test_newest_first_and_limited(desk, monkeypatch):
    assert selectors.LOOKUP_LIMIT == 20
    monkeypatch.setattr(selectors, "LOOKUP_LIMIT", 3)
    sessions = [held(desk, date(2026, 11, day)) for day in (16, 17, 18, 19, 20)]
    made = [visit_of(desk, s, f"Phạm Văn Số {i}") for i, s in enumerate(sessions)]
    found = selectors.person_lookup(desk.clerk, name="pham van so")
    assert names(found) == [made[4].pk, made[3].pk, made[2].pk]


def test_petitions_are_found_by_name_and_id(desk, tree, people, make_user):
    # A petition by post in N, one made of a visit, and one in N2.
    by_post = petition_services.petition_intake(
        actor=desk.clerk,
        data=petition_services.IntakeInput(
            unit_id=desk.unit.pk,
            received_on=date(2026, 11, 2),
            channel="post",
            parts=[
                petition_services.PartInput(kind="complaint", field="land", content="Khiếu nại bồi thường.")
            ],
            petitioners=[petition_services.PersonInput(name=nfd("Nguyễn Văn Ân"), id_number="037090001234")],
        ),
        today=TODAY,
    ).petitions[0]
    from_visit = services.visit_record(
        actor=desk.clerk,
        data=visit_input(
            held(desk, TODAY),
            visitors=[services.VisitorInput(name="Nguyễn Văn Anh Tuấn")],
            make_petitions=True,
        ),
        today=TODAY,
    ).petitions[0]
    petition_services.petition_intake(
        actor=desk.supervisor,
        data=petition_services.IntakeInput(
            unit_id=tree.n2.pk,
            received_on=date(2026, 11, 2),
            channel="post",
            parts=[petition_services.PartInput(kind="complaint", field="land", content="Khiếu nại.")],
            petitioners=[petition_services.PersonInput(name="Nguyễn Văn Ân")],
        ),
        today=TODAY,
    )
    assert by_post.petitioners.get().name_folded == "nguyen van an"
    found = selectors.person_lookup(desk.clerk, name="Nguyen Van An")
    assert found.petitions == [from_visit, by_post]  # newest first
    assert selectors.person_lookup(desk.clerk, name="nguyen van anh").petitions == [from_visit]
    assert selectors.person_lookup(desk.clerk, id_number="037 090 001 234").petitions == [by_post]
    assert selectors.person_lookup(desk.outsider, name="nguyen van an").petitions == []
