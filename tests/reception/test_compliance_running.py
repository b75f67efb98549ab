"""A week or month still running is not yet missed: it requires only what was already held."""

from __future__ import annotations

from datetime import date

from danvan.core.calendar import build_calendar
from danvan.reception import rules

BOOK = rules.load_rules()
CALENDAR = build_calendar([2026])


def buckets():
    # The commune chairman's weekly duty in November 2026: weeks from 2, 9, 16, 23 and 30 Nov.
    return rules.duty_buckets(
        position="pc_chairman",
        level="commune",
        first=date(2026, 11, 1),
        last=date(2026, 11, 30),
        book=BOOK,
        calendar=CALENDAR,
    )


def test_without_today_every_week_is_due():
    result = rules.compliance(buckets(), [(date(2026, 11, 5), True)])
    assert (result.required, result.in_person, result.delegated, result.missed) == (5, 1, 0, 4)


def test_the_running_week_and_later_ones_are_not_missed_yet():
    held = [(date(2026, 11, 5), True), (date(2026, 11, 12), False)]
    # Wednesday 18 November: the weeks of 2 and 9 Nov are over, 16 Nov is running, 23 and 30 to come.
    result = rules.compliance(buckets(), held, today=date(2026, 11, 18))
    assert (result.required, result.in_person, result.delegated, result.missed) == (2, 1, 1, 0)
    # Held already in the running week: it counts.
    result = rules.compliance(buckets(), [*held, (date(2026, 11, 17), True)], today=date(2026, 11, 18))
    assert (result.required, result.in_person, result.delegated, result.missed) == (3, 2, 1, 0)
    # Once the week is over, a week with nothing held is missed.
    result = rules.compliance(buckets(), held, today=date(2026, 11, 23))
    assert (result.required, result.missed) == (3, 1)
