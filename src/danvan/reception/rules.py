"""The rules of citizen reception, as data with effective dates, and the pure arithmetic on them.

Sources (each entry of `data/reception_rules.json` carries its own citation and an `uncertain` flag):

- Luật Tiếp công dân 42/2013/QH13: the head's periodic reception days (Art 12(5) province chairman
  1 day a month; Art 13(5) district chairman 2 days a month, until the district level ended on
  30 June 2025; Art 15(2)(d) commune chairman 1 day a week; Art 18(2) any agency head 1 day a month);
  schedules posted at least 5 working days ahead (Art 24); the citizen told the result within
  10 working days (Art 28(1)).
- Quy định 11-QĐi/TW (2019) and Kết luận 215-KL/TW (2025): Party secretaries 1 day a month at province
  (and district, until 2025) level, 2 days a month at commune level.
- Luật 136/2025/QH15 (from 1 July 2026): online reception; heads no longer delegate to deputies
  (reported by the press, so marked uncertain and applied as a warning).

An administrator may override entries with a JSON file named by `DANVAN_RECEPTION_RULES`; an entry
replaces the packaged one with the same key. Nothing here reads the database or the clock.
"""

from __future__ import annotations

import calendar as month_calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from danvan.core.calendar import WorkingCalendar, add_working_days, working_days_between

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "reception_rules.json"
WEEK, MONTH = "week", "month"
ANY_LEVEL = "any"


@dataclass(frozen=True)
class Frequency:
    key: str
    position: str
    level: str
    per: str  # "week" or "month"
    days: int
    effective_from: date
    effective_to: date | None
    source: str
    uncertain: bool

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Dated:
    """A dated value (a number of working days, or a yes/no)."""

    key: str
    effective_from: date
    effective_to: date | None
    value: Any
    source: str
    uncertain: bool

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class RuleBook:
    frequencies: tuple[Frequency, ...]
    publish_working_days: tuple[Dated, ...]
    answer_working_days: tuple[Dated, ...]
    online_allowed: tuple[Dated, ...]
    delegation_allowed: tuple[Dated, ...]

    def frequency(self, position: str, level: str, day: date) -> Frequency | None:
        """The minimum periodic reception for a head's position at a level on `day`, if any."""
        for wanted in (level, ANY_LEVEL):
            for rule in self.frequencies:
                if rule.position == position and rule.level == wanted and rule.in_force(day):
                    return rule
        return None

    def _value(self, rules: tuple[Dated, ...], day: date, default: Any) -> Any:
        for rule in rules:
            if rule.in_force(day):
                return rule.value
        return default

    def publish_days(self, day: date) -> int:
        return int(self._value(self.publish_working_days, day, 5))

    def answer_days(self, day: date) -> int:
        return int(self._value(self.answer_working_days, day, 10))

    def online(self, day: date) -> bool:
        return bool(self._value(self.online_allowed, day, False))

    def delegation(self, day: date) -> Dated | None:
        for rule in self.delegation_allowed:
            if rule.in_force(day):
                return rule
        return None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dated(entries: list[dict], value_key: str) -> tuple[Dated, ...]:
    return tuple(
        Dated(
            key=e["key"],
            effective_from=date.fromisoformat(e["effective_from"]),
            effective_to=_day(e.get("effective_to")),
            value=e[value_key],
            source=e.get("source", ""),
            uncertain=bool(e.get("uncertain", False)),
        )
        for e in entries
    )


def _merge(packaged: list[dict], override: list[dict]) -> list[dict]:
    by_key = {e["key"]: e for e in packaged}
    for entry in override:
        by_key[entry["key"]] = entry
    return list(by_key.values())


@lru_cache(maxsize=8)
def load_rules(override_path: str | None = None) -> RuleBook:
    data = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    if override_path:
        extra = json.loads(Path(override_path).read_text(encoding="utf-8"))
        for section in data:
            if section != "version" and section in extra:
                data[section] = _merge(data[section], extra[section])
    return RuleBook(
        frequencies=tuple(
            Frequency(
                key=e["key"],
                position=e["position"],
                level=e["level"],
                per=e["per"],
                days=int(e["days"]),
                effective_from=date.fromisoformat(e["effective_from"]),
                effective_to=_day(e.get("effective_to")),
                source=e.get("source", ""),
                uncertain=bool(e.get("uncertain", False)),
            )
            for e in data["frequencies"]
        ),
        publish_working_days=_dated(data["publish_working_days"], "working_days"),
        answer_working_days=_dated(data["answer_working_days"], "working_days"),
        online_allowed=_dated(data["online_allowed"], "allowed"),
        delegation_allowed=_dated(data["delegation_allowed"], "allowed"),
    )


# ---- deadlines ------------------------------------------------------------------------------


def publish_by(session_day: date, book: RuleBook, calendar: WorkingCalendar) -> date:
    """The last day a session's schedule may be posted: `n` working days before it (Art 24)."""
    n = book.publish_days(session_day)
    day = session_day
    counted = 0
    while counted < n:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def published_late(session_day: date, published_on: date, book: RuleBook, calendar: WorkingCalendar) -> bool:
    return published_on > publish_by(session_day, book, calendar)


def answer_due(visit_day: date, book: RuleBook, calendar: WorkingCalendar) -> date:
    """The day by which the citizen must be told what became of their matter (Art 28(1))."""
    return add_working_days(visit_day, book.answer_days(visit_day), calendar)


# ---- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """One week or month of a head's duty within a period: `required` reception days in it."""

    start: date
    end: date
    required: int
    rule_key: str


def _weeks(first: date, last: date):
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        yield monday, monday + timedelta(days=6)
        monday += timedelta(days=7)


def _months(first: date, last: date):
    day = first.replace(day=1)
    while day <= last:
        end = day.replace(day=month_calendar.monthrange(day.year, day.month)[1])
        yield day, end
        day = end + timedelta(days=1)


def _first_working_day(start: date, end: date, calendar: WorkingCalendar) -> date | None:
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return None


def duty_buckets(
    *,
    position: str,
    level: str,
    first: date,
    last: date,
    book: RuleBook,
    calendar: WorkingCalendar,
) -> list[Bucket]:
    """The weeks or months of a head's periodic reception duty in [first, last].

    A week or month belongs to the period when its first working day does, so a period never
    shares a bucket with its neighbour; one with no working day at all (a week of Tết) requires
    nothing; the rule is the one in force on that first working day. A month never requires more
    days than it has working days."""
    buckets: list[Bucket] = []
    for per, spans in ((WEEK, _weeks(first, last)), (MONTH, _months(first, last))):
        for start, end in spans:
            opening = _first_working_day(start, end, calendar)
            if opening is None or not first <= opening <= last:
                continue
            rule = book.frequency(position, level, opening)
            if rule is None or rule.per != per:
                continue
            available = working_days_between(start - timedelta(days=1), end, calendar)
            buckets.append(Bucket(start, end, min(rule.days, available), rule.key))
    buckets.sort(key=lambda b: b.start)
    return buckets


@dataclass(frozen=True)
class Compliance:
    required: int
    in_person: int
    delegated: int
    missed: int

    @property
    def rate(self) -> float | None:
        """Share of required days the head held in person; None when nothing was required."""
        return None if not self.required else self.in_person / self.required


def compliance(
    buckets: list[Bucket], held: list[tuple[date, bool]], *, today: date | None = None
) -> Compliance:
    """Count a head's periodic days against the duty: `held` is (day, in person?) per session.

    Within a bucket, days held in person count first, then delegated ones, each up to what the
    bucket requires; what is left is missed. Extra sessions never make up for another week. A
    bucket still running on `today` requires only what was already held in it: its remaining days
    are not missed yet."""
    required = in_person = delegated = missed = 0
    for bucket in buckets:
        days = [(d, own) for d, own in held if bucket.start <= d <= bucket.end]
        own_days = len({d for d, own in days if own})
        other_days = len({d for d, own in days if not own} - {d for d, own in days if own})
        due = bucket.required
        if today is not None and bucket.end >= today:
            due = min(due, own_days + other_days)
        took_own = min(own_days, due)
        took_other = min(other_days, due - took_own)
        required += due
        in_person += took_own
        delegated += took_other
        missed += due - took_own - took_other
    return Compliance(required, in_person, delegated, missed)
