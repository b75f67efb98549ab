"""The working-day calendar and the date arithmetic of legal deadlines.

Pure functions: the calendar is a parameter, never read inside, so deadlines are repeatable
and testable. Counting follows the Civil Code 2015: the day of the event is not counted (Art
147); a period in days that ends on a day off ends on the next working day (Art 148(5)); a
period in working days counts working days only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as holiday_data

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are days off.

    `holidays`: public holidays and the government's extra days off (from the `holidays`
    package and the administrator's overrides). `working_days`: weekend days made working
    days in exchange (e.g. Saturday 4 May 2024). `days_off`: further days off an
    administrator declared. An override beats the package; a working day beats everything.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)
    days_off: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day in self.holidays:
            return False
        return day.weekday() not in (SATURDAY, SUNDAY)


def public_holidays(years: Iterable[int]) -> frozenset[date]:
    """Vietnam's public holidays (Tết included) for the given years, from the `holidays` package."""
    return _public_holidays(tuple(sorted(set(years))))


@lru_cache(maxsize=64)
def _public_holidays(years: tuple[int, ...]) -> frozenset[date]:
    # The package computes the lunar calendar on each call (about 1 ms a year); the result for a
    # set of years never changes within a release of the package.
    return frozenset(holiday_data.country_holidays("VN", years=list(years)).keys())


def build_calendar(
    years: Iterable[int],
    *,
    working_days: Iterable[date] = (),
    days_off: Iterable[date] = (),
) -> WorkingCalendar:
    return WorkingCalendar(
        holidays=public_holidays(years),
        working_days=frozenset(working_days),
        days_off=frozenset(days_off),
    )


def next_working_day(day: date, calendar: WorkingCalendar) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """The n-th working day after `start` (the start day itself is not counted).

    `n` = 0 gives `start`. Negative `n` counts back.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def add_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """The end of a period of `n` days from `start` (Civil Code Art 147, 148(5)).

    Counting starts the day after `start`; if the last day is a day off, the period ends on
    the next working day.
    """
    return next_working_day(start + timedelta(days=n), calendar)


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days after `start` up to and including `end` (0 if `end` <= `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def public_holiday_names(year: int) -> list[tuple[date, str]]:
    """The year's public holidays with their names (in English, as the package gives them)."""
    return sorted(holiday_data.country_holidays("VN", years=[year]).items())
