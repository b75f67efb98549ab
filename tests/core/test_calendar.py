from datetime import date

import pytest

from danvan.core.calendar import (
    WorkingCalendar,
    add_days,
    add_working_days,
    build_calendar,
    next_working_day,
    working_days_between,
)
from danvan.core.models import CalendarOverride, CalendarOverrideKind
from danvan.core.selectors import working_calendar

CAL_2024 = build_calendar([2024], working_days=[date(2024, 5, 4)])
CAL_2026 = build_calendar([2026])


def test_tet_2024_is_off():
    for day in range(8, 15):
        assert not CAL_2024.is_working_day(date(2024, 2, day)), day
    assert CAL_2024.is_working_day(date(2024, 2, 7))
    assert CAL_2024.is_working_day(date(2024, 2, 15))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 2, 7), 1, date(2024, 2, 15)),  # the day before Tết: next working day is after it
        (date(2024, 2, 5), 5, date(2024, 2, 19)),  # Tết and a weekend inside the period
        (date(2024, 2, 9), 1, date(2024, 2, 15)),  # received during Tết
        (date(2024, 4, 26), 1, date(2024, 5, 2)),  # 29/4 swapped day off, 30/4 and 1/5 holidays
        (date(2024, 5, 3), 1, date(2024, 5, 4)),  # Saturday 4/5/2024 was made a working day
        (date(2024, 3, 1), 0, date(2024, 3, 1)),
    ],
)
def test_add_working_days_2024(start, n, expected):
    assert add_working_days(start, n, CAL_2024) == expected


def test_swapped_saturday_needs_the_override():
    without = build_calendar([2024])
    assert add_working_days(date(2024, 5, 3), 1, without) == date(2024, 5, 6)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # Friday before Tết 2026 (16–20/2 off)
        (date(2026, 2, 10), 10, date(2026, 3, 3)),  # the 10-working-day answer across Tết
        (date(2026, 2, 23), -1, date(2026, 2, 13)),
    ],
)
def test_add_working_days_2026(start, n, expected):
    assert add_working_days(start, n, CAL_2026) == expected


def test_add_days_moves_an_end_on_a_day_off_to_the_next_working_day():
    # 10 days after 6/2/2026 is 16/2, Tết: the period ends on Monday 23/2 (Civil Code Art 148(5)).
    assert add_days(date(2026, 2, 6), 10, CAL_2026) == date(2026, 2, 23)
    # an end on a Sunday moves to Monday
    assert add_days(date(2026, 3, 1), 6, CAL_2026) == date(2026, 3, 9)
    # an end on a working day stays
    assert add_days(date(2026, 3, 2), 30, CAL_2026) == date(2026, 4, 1)


def test_days_off_override_and_helpers():
    cal = WorkingCalendar(days_off=frozenset({date(2026, 3, 4)}))
    assert not cal.is_working_day(date(2026, 3, 4))
    assert next_working_day(date(2026, 3, 4), cal) == date(2026, 3, 5)
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9), cal) == 4
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2), cal) == 0


@pytest.mark.django_db
def test_working_calendar_reads_overrides():
    CalendarOverride.objects.create(day=date(2024, 5, 4), kind=CalendarOverrideKind.WORKING_DAY)
    CalendarOverride.objects.create(day=date(2024, 3, 8), kind=CalendarOverrideKind.DAY_OFF)
    cal = working_calendar(2024, 2024)
    assert cal.is_working_day(date(2024, 5, 4))
    assert not cal.is_working_day(date(2024, 3, 8))
    assert not cal.is_working_day(date(2024, 2, 12))
