"""Reporting periods (reports.periods): every named period's dates, calendar and inspection
(TT 02/2021 and TT 01/2024: the data year runs from 15 December to 14 December, legal-rules.md
§4.1), leap years, refusals with their code and field, and the period before."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.reports.periods import (
    HALF,
    MONTH,
    NINE_MONTHS,
    QUARTER,
    RANGE,
    YEAR,
    YEARS,
    Period,
    period_between,
    period_parse,
    previous,
)

D = date

# name -> (first, last, kind, inspection), written out by hand
NAMED = {
    # calendar
    "2024": (D(2024, 1, 1), D(2024, 12, 31), YEAR, False),
    "2024-01": (D(2024, 1, 1), D(2024, 1, 31), MONTH, False),
    "2024-02": (D(2024, 2, 1), D(2024, 2, 29), MONTH, False),
    "2023-02": (D(2023, 2, 1), D(2023, 2, 28), MONTH, False),
    "2100-02": (D(2100, 2, 1), D(2100, 2, 28), MONTH, False),  # not a leap year
    "2000-02": (D(2000, 2, 1), D(2000, 2, 29), MONTH, False),  # a leap year
    "2024-04": (D(2024, 4, 1), D(2024, 4, 30), MONTH, False),
    "2024-12": (D(2024, 12, 1), D(2024, 12, 31), MONTH, False),
    "2024-Q1": (D(2024, 1, 1), D(2024, 3, 31), QUARTER, False),
    "2024-Q2": (D(2024, 4, 1), D(2024, 6, 30), QUARTER, False),
    "2024-Q3": (D(2024, 7, 1), D(2024, 9, 30), QUARTER, False),
    "2024-Q4": (D(2024, 10, 1), D(2024, 12, 31), QUARTER, False),
    "2024-H1": (D(2024, 1, 1), D(2024, 6, 30), HALF, False),
    "2024-H2": (D(2024, 7, 1), D(2024, 12, 31), HALF, False),
    "2024-9M": (D(2024, 1, 1), D(2024, 9, 30), NINE_MONTHS, False),
    "2013..2022": (D(2013, 1, 1), D(2022, 12, 31), YEARS, False),
    "2025..2025": (D(2025, 1, 1), D(2025, 12, 31), YEARS, False),
    # inspection: from the 15th of the month before to the 14th
    "I2024": (D(2023, 12, 15), D(2024, 12, 14), YEAR, True),
    "I2024-Q1": (D(2023, 12, 15), D(2024, 3, 14), QUARTER, True),
    "I2024-Q2": (D(2024, 3, 15), D(2024, 6, 14), QUARTER, True),
    "I2024-Q3": (D(2024, 6, 15), D(2024, 9, 14), QUARTER, True),
    "I2024-Q4": (D(2024, 9, 15), D(2024, 12, 14), QUARTER, True),
    "I2024-H1": (D(2023, 12, 15), D(2024, 6, 14), HALF, True),
    "I2024-H2": (D(2024, 6, 15), D(2024, 12, 14), HALF, True),
    "I2024-9M": (D(2023, 12, 15), D(2024, 9, 14), NINE_MONTHS, True),
    "I2021": (D(2020, 12, 15), D(2021, 12, 14), YEAR, True),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_period(name):
    first, last, kind, inspection = NAMED[name]
    period = period_parse(name)
    assert (period.first, period.last, period.kind, period.inspection) == (first, last, kind, inspection)
    assert period.name == name


@pytest.mark.parametrize("written", ["i2024-q1", " I2024-Q1 ", "I2024-q1"])
def test_case_and_spaces_do_not_matter(written):
    assert period_parse(written) == period_parse("I2024-Q1")


def test_inspection_quarters_halves_and_nine_months_tile_the_year():
    """Q1..Q4 follow one another without gap or overlap and make up I2024; H1 + H2 too; 9M is
    Q1..Q3."""
    quarters = [period_parse(f"I2024-Q{q}") for q in range(1, 5)]
    year = period_parse("I2024")
    assert quarters[0].first == year.first and quarters[-1].last == year.last
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert (after.first - before.last).days == 1
    halves = period_parse("I2024-H1"), period_parse("I2024-H2")
    assert (halves[0].first, halves[0].last, halves[1].first, halves[1].last) == (
        year.first,
        quarters[1].last,
        quarters[2].first,
        year.last,
    )
    assert (period_parse("I2024-9M").first, period_parse("I2024-9M").last) == (year.first, quarters[2].last)
    # The inspection year 2024 is 366 days long (it holds 29 February 2024); 2023's, 365.
    assert (year.last - year.first).days + 1 == 366
    assert (period_parse("I2023").last - period_parse("I2023").first).days + 1 == 365
    # and the next inspection year starts the day after
    assert (period_parse("I2025").first - year.last).days == 1


def test_labels_and_year_slices():
    period = period_parse("I2024-Q1")
    assert period.label == "15/12/2023 – 14/03/2024"
    assert period.years == [2023, 2024]
    slices = period.year_slices()
    assert [(s.first, s.last, s.kind) for s in slices] == [
        (D(2023, 12, 15), D(2023, 12, 31), RANGE),
        (D(2024, 1, 1), D(2024, 3, 14), RANGE),
    ]
    whole = period_parse("2013..2015").year_slices()
    assert [(s.first, s.last, s.kind, s.name) for s in whole] == [
        (D(y, 1, 1), D(y, 12, 31), YEAR, str(y)) for y in (2013, 2014, 2015)
    ]


# ---- refusals -------------------------------------------------------------------------------

NOT_PERIODS = [
    "",
    "   ",
    "24",
    "2024-13",
    "2024-00",
    "2024-Q5",
    "2024-Q0",
    "2024-H3",
    "2024-8M",
    "I2024-03",  # the inspection periods have no months
    "1900",
    "2101",
    "0000..0001",
    "1944..2020",
    "2024..2101",
    "2024-1",
    "2024/03",
    "quý 1",
    "I",
    "2024..",
]


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_not_a_period(text):
    with translation.override("en"), pytest.raises(DomainError) as caught:
        period_parse(text)
    error = caught.value
    assert error.code == "reports.period_unknown"
    assert set(error.fields) == {"period"}
    with translation.override("en"):
        assert error.message.startswith(f"“{text}” is not a period.")
        assert "I2024 is 15/12/2023–14/12/2024" in error.message


def test_a_range_of_years_ending_before_it_starts():
    with translation.override("en"), pytest.raises(DomainError) as caught:
        period_parse("2022..2013")
    error = caught.value
    assert error.code == "reports.period_backwards"
    assert set(error.fields) == {"last"}
    with translation.override("en"):
        assert error.message == "The period ends (31/12/2013) before it starts (01/01/2022)."


def test_period_between():
    period = period_between(D(2024, 2, 10), D(2024, 3, 9))
    assert (period.first, period.last, period.kind, period.name, period.inspection) == (
        D(2024, 2, 10),
        D(2024, 3, 9),
        RANGE,
        "",
        False,
    )
    one_day = period_between(D(2024, 2, 29), D(2024, 2, 29))
    assert one_day.first == one_day.last == D(2024, 2, 29)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        period_between(D(2024, 3, 10), D(2024, 3, 9))
    assert caught.value.code == "reports.period_backwards"
    assert set(caught.value.fields) == {"last"}
    with translation.override("en"):
        assert "(09/03/2024) before it starts (10/03/2024)" in caught.value.message


# ---- the period before ----------------------------------------------------------------------

# name -> (first, last) of the period before, by hand
PREVIOUS = {
    "2024": (D(2023, 1, 1), D(2023, 12, 31)),
    "2024-03": (D(2023, 3, 1), D(2023, 3, 31)),
    "2024-02": (D(2023, 2, 1), D(2023, 2, 28)),  # 29 February has no match a year before
    "2025-02": (D(2024, 2, 1), D(2024, 2, 29)),  # and February 2024 is whole
    "2024-Q1": (D(2023, 1, 1), D(2023, 3, 31)),
    "2024-H2": (D(2023, 7, 1), D(2023, 12, 31)),
    "2024-9M": (D(2023, 1, 1), D(2023, 9, 30)),
    "I2024": (D(2022, 12, 15), D(2023, 12, 14)),
    "I2024-Q1": (D(2022, 12, 15), D(2023, 3, 14)),
    "I2024-Q3": (D(2023, 6, 15), D(2023, 9, 14)),
    "I2024-H1": (D(2022, 12, 15), D(2023, 6, 14)),
    "I2024-9M": (D(2022, 12, 15), D(2023, 9, 14)),
    "2013..2022": (D(2003, 1, 1), D(2012, 12, 31)),
    "2021..2022": (D(2019, 1, 1), D(2020, 12, 31)),
}


@pytest.mark.parametrize("name", sorted(PREVIOUS))
def test_previous_of_a_named_period(name):
    period = period_parse(name)
    before = previous(period)
    assert (before.first, before.last) == PREVIOUS[name]
    assert (before.kind, before.inspection) == (period.kind, period.inspection)


def test_previous_names_the_period():
    assert previous(period_parse("I2024-Q1")).name == "I2023-Q1"
    assert previous(period_parse("2024-02")).name == "2023-02"
    assert previous(period_parse("2013..2022")).name == "2003..2012"


def test_previous_of_a_plain_range_is_the_same_length_just_before():
    before = previous(period_between(D(2024, 3, 1), D(2024, 3, 10)))
    assert (before.first, before.last, before.kind) == (D(2024, 2, 20), D(2024, 2, 29), RANGE)
    across = previous(period_between(D(2024, 3, 1), D(2024, 3, 1)))
    assert (across.first, across.last) == (D(2024, 2, 29), D(2024, 2, 29))


def test_previous_of_an_unnamed_period_of_a_named_kind_keeps_its_length():
    """A period that only says it is a month, but is not one, is moved back by its length."""
    odd = Period(D(2024, 3, 5), D(2024, 4, 4), MONTH)
    before = previous(odd)
    assert (before.first, before.last) == (D(2024, 2, 3), D(2024, 3, 4))  # 31 days each
