"""Reporting periods: calendar months, quarters, half-years, nine months, years and ranges of
years, and the inspection sector's data periods (TT 02/2021, TT 01/2024: the year runs from
15 December to 14 December; legal-rules.md §4.1).

Pure functions of their arguments. A period is written as a short name that the CLI, API and
pages share: "2024" (calendar year), "2024-03" (month), "2024-Q1", "2024-H1", "2024-9M",
"2013..2022" (years), and with "I" the inspection periods: "I2024" (15/12/2023–14/12/2024),
"I2024-Q1" (15/12/2023–14/03/2024), "I2024-H1", "I2024-9M".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.errors import DomainError

MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, YEARS, RANGE = (
    "month",
    "quarter",
    "half",
    "9m",
    "year",
    "years",
    "range",
)


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    kind: str = RANGE
    name: str = ""  # the short name it was written as, "" for a plain range
    inspection: bool = False

    @property
    def label(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first.year, self.last.year + 1))

    def year_slices(self) -> list[Period]:
        """The period cut at calendar year ends (for trends by year)."""
        out = []
        for year in self.years:
            first = max(self.first, date(year, 1, 1))
            last = min(self.last, date(year, 12, 31))
            out.append(
                Period(
                    first,
                    last,
                    YEAR if (first, last) == (date(year, 1, 1), date(year, 12, 31)) else RANGE,
                    str(year),
                )
            )
        return out


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def calendar_period(year: int, kind: str, part: int = 1) -> Period:
    if kind == MONTH:
        return Period(date(year, part, 1), _month_end(year, part), MONTH, f"{year}-{part:02d}")
    if kind == QUARTER:
        return Period(date(year, 3 * part - 2, 1), _month_end(year, 3 * part), QUARTER, f"{year}-Q{part}")
    if kind == HALF:
        first_month = 1 if part == 1 else 7
        return Period(date(year, first_month, 1), _month_end(year, first_month + 5), HALF, f"{year}-H{part}")
    if kind == NINE_MONTHS:
        return Period(date(year, 1, 1), date(year, 9, 30), NINE_MONTHS, f"{year}-9M")
    return Period(date(year, 1, 1), date(year, 12, 31), YEAR, str(year))


def inspection_period(year: int, kind: str, part: int = 1) -> Period:
    """The data periods of the inspection sector's reports: from the 15th of the month before
    to the 14th (Q1 15/12–14/03, Q2–Q4 from the 15th of the previous quarter's last month; the
    half-year, nine months and year all start on 15 December of the year before)."""
    start = date(year - 1, 12, 15)
    if kind == QUARTER:
        first = start if part == 1 else date(year, 3 * (part - 1), 15)
        last = date(year, 3 * part, 14)
        name = f"I{year}-Q{part}"
    elif kind == HALF:
        if part == 1:
            first, last = start, date(year, 6, 14)
        else:
            first, last = date(year, 6, 15), date(year, 12, 14)
        name = f"I{year}-H{part}"
    elif kind == NINE_MONTHS:
        first, last, name = start, date(year, 9, 14), f"I{year}-9M"
    else:
        first, last, name, kind = start, date(year, 12, 14), f"I{year}", YEAR
    return Period(first, last, kind, name, inspection=True)


YEAR_MIN, YEAR_MAX = 1945, 2100

_NAME = re.compile(
    r"^(?P<i>I)?(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<nine>9M)))?$"
    r"|^(?P<y1>\d{4})\.\.(?P<y2>\d{4})$"
)

PERIOD_HELP = gettext_lazy(
    "Write a period as 2024, 2024-03, 2024-Q1, 2024-H1, 2024-9M or 2013..2022; add I before the year "
    "for the inspection sector's periods (I2024 is 15/12/2023–14/12/2024)."
)


def _unknown(text: str) -> DomainError:
    return DomainError(
        "reports.period_unknown",
        _("“%(text)s” is not a period. %(help)s"),
        fields={"period": _("Not a period.")},
        text=text,
        help=str(PERIOD_HELP),
    )


def period_parse(text: str) -> Period:
    """A period from its short name; DomainError 'reports.period_unknown' naming the field."""
    match = _NAME.match((text or "").strip().upper())
    if not match:
        raise _unknown(text)
    if match["y1"]:
        first_year, last_year = int(match["y1"]), int(match["y2"])
        if not (YEAR_MIN <= first_year <= YEAR_MAX and YEAR_MIN <= last_year <= YEAR_MAX):
            raise _unknown(text)
        if last_year < first_year:
            raise period_backwards(date(first_year, 1, 1), date(last_year, 12, 31))
        return Period(date(first_year, 1, 1), date(last_year, 12, 31), YEARS, f"{first_year}..{last_year}")
    year = int(match["year"])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _unknown(text)
    builder = inspection_period if match["i"] else calendar_period
    if match["month"]:
        month = int(match["month"])
        if match["i"] or not 1 <= month <= 12:
            raise _unknown(text)
        return calendar_period(year, MONTH, month)
    if match["q"]:
        return builder(year, QUARTER, int(match["q"]))
    if match["h"]:
        return builder(year, HALF, int(match["h"]))
    if match["nine"]:
        return builder(year, NINE_MONTHS)
    return builder(year, YEAR)


def period_backwards(first: date, last: date) -> DomainError:
    return DomainError(
        "reports.period_backwards",
        _("The period ends (%(last)s) before it starts (%(first)s)."),
        fields={"last": _("The end is before the start.")},
        first=f"{first:%d/%m/%Y}",
        last=f"{last:%d/%m/%Y}",
    )


def period_between(first: date, last: date) -> Period:
    """A plain range; refused when it ends before it starts."""
    if last < first:
        raise period_backwards(first, last)
    return Period(first, last)


def _named_parts(period: Period) -> tuple[int, str, int] | None:
    """(year, kind, part) of a named calendar or inspection period, None for any other range."""
    if period.kind not in (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR):
        return None
    if period.inspection:
        year, month = period.last.year, period.last.month
        part = {MONTH: 1, QUARTER: month // 3, HALF: 1 if month == 6 else 2}.get(period.kind, 1)
        builder = inspection_period
    else:
        year, month = period.first.year, period.first.month
        part = {MONTH: month, QUARTER: (month - 1) // 3 + 1, HALF: 1 if month == 1 else 2}.get(period.kind, 1)
        builder = calendar_period
    if not 1 <= part <= 12:
        return None
    rebuilt = builder(year, period.kind, part)
    return (year, period.kind, part) if (rebuilt.first, rebuilt.last) == (period.first, period.last) else None


def previous(period: Period) -> Period:
    """The period of the same kind just before (the same part of last year for named periods:
    February 2024 has 29 days and February 2023 has 28), for comparing period over period."""
    named = _named_parts(period)
    if named is not None:
        year, kind, part = named
        builder = inspection_period if period.inspection else calendar_period
        return builder(year - 1, kind, part)
    whole_years = (period.first.month, period.first.day, period.last.month, period.last.day) == (1, 1, 12, 31)
    if period.kind == YEARS and whole_years:
        count = period.last.year - period.first.year + 1
        first_year, last_year = period.first.year - count, period.last.year - count
        return Period(date(first_year, 1, 1), date(last_year, 12, 31), YEARS, f"{first_year}..{last_year}")
    length = period.last - period.first
    last = period.first - timedelta(days=1)
    return Period(last - length, last)
