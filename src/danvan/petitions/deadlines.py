"""The legal deadlines of a petition, computed from rules that are data.

Sources of the figures (each rule in `data/deadline_rules.json` carries its own citation):

- Luật Khiếu nại 02/2011/QH13: time limit to complain 90 days (Art 9); acceptance 10 days (Art 27; counted in
  working days by TT 07/2013/TT-TTCP as amended by TT 02/2016/TT-TTCP; 7 working days from 1 Jul 2026 under
  Decree 155/2026, unverified); first resolution 30/45 days, remote areas 45/60 (Art 28); second complaint
  within 30 days, 45 in remote areas (Art 33); second resolution 45/60, remote 60/70 (Art 37).
- Luật Tố cáo 03/2011/QH13 (to 31 Dec 2018): resolution 60 days, 90 if complex (Art 21).
- Luật Tố cáo 25/2018/QH14 (from 1 Jan 2019): initial processing 7 working days, 10 when checks are needed at
  several places, transfer 5 working days (Art 24); resolution 30 days plus one or two extensions of at most
  30 days each (Art 30; complexity criteria in Decree 31/2019 Art 3).
- Luật Tiếp công dân 42/2013/QH13 Art 28: answer the citizen within 10 working days of a reception.
- TT 07/2014/TT-TTCP Art 28: filed petitions are kept 12 months.
- Civil Code 2015 Art 147–148: the day of the event is not counted; a period in days or months that ends on
  a day off ends on the next working day.

The rule that applies is the one in force on the day the petition was received, so old cases keep the law
they started under. An administrator may override rules with a JSON file named by the setting
`DANVAN_DEADLINE_RULES`; entries replace the packaged ones with the same key.

Everything here is pure: the calendar and "today" are parameters and nothing touches the database.
"""

from __future__ import annotations

import calendar as month_calendar
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.core.calendar import (
    WorkingCalendar,
    add_days,
    add_working_days,
    next_working_day,
    working_days_between,
)

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "deadline_rules.json"

COMPLAINT, DENUNCIATION, RECOMMENDATION, FEEDBACK, ANY = (
    "complaint",
    "denunciation",
    "recommendation",
    "feedback",
    "any",
)
KINDS = frozenset({COMPLAINT, DENUNCIATION, RECOMMENDATION, FEEDBACK, ANY})

PROCESS = "process"
ACCEPT = "accept"
TRANSFER = "transfer"
RESOLVE = "resolve"
RESOLVE_SECOND = "resolve_second"
REPLY = "reply"
TIME_LIMIT = "time_limit"
SECOND_COMPLAINT_LIMIT = "second_complaint_limit"
KEEP_FILED = "keep_filed"
STEPS = frozenset(
    {
        PROCESS,
        ACCEPT,
        TRANSFER,
        RESOLVE,
        RESOLVE_SECOND,
        REPLY,
        TIME_LIMIT,
        SECOND_COMPLAINT_LIMIT,
        KEEP_FILED,
    }
)

DAYS, WORKING_DAYS, MONTHS = "days", "working_days", "months"
COUNTS = frozenset({DAYS, WORKING_DAYS, MONTHS})

URGENCY_NONE = "none"
URGENCY_ON_TIME = "on_time"
URGENCY_DUE_SOON = "due_soon"
URGENCY_OVERDUE = "overdue"
URGENCY_VERY_LATE = "very_late"

# (suspended on, resumed on); resumed on is None while the case is still suspended.
Pause = tuple[date, date | None]


@dataclass(frozen=True)
class Rule:
    """One statutory period, valid for petitions received from `effective_from` to `effective_to` inclusive.

    `days` is the length in the unit of `count` (so a number of months when `count` is "months").
    """

    key: str
    kind: str
    step: str
    effective_from: date
    effective_to: date | None
    count: str
    days: int
    complex_days: int | None = None
    remote_days: int | None = None
    remote_complex_days: int | None = None
    extension_days: int | None = None
    max_extensions: int = 0
    source: str = ""
    uncertain: bool = False

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.kind not in KINDS:
            problems.append(f"unknown kind {self.kind!r}")
        if self.step not in STEPS:
            problems.append(f"unknown step {self.step!r}")
        if self.count not in COUNTS:
            problems.append(f"unknown count {self.count!r}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            problems.append("effective_to is before effective_from")
        lengths = (
            self.days,
            self.complex_days,
            self.remote_days,
            self.remote_complex_days,
            self.extension_days,
        )
        if any(n is not None and n < 0 for n in lengths):
            problems.append("negative period")
        if self.max_extensions < 0:
            problems.append("negative max_extensions")
        if self.max_extensions and not self.extension_days:
            problems.append("max_extensions needs extension_days")
        # Without this the complex variant would silently disappear for a remote complex case.
        if (
            self.complex_days is not None
            and self.remote_days is not None
            and self.remote_complex_days is None
        ):
            problems.append("complex_days and remote_days need remote_complex_days")
        if not self.source.strip():
            problems.append("no source")
        if problems:
            raise ValueError(f"deadline rule {self.key!r}: " + "; ".join(problems))

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def period(self, *, complex: bool = False, remote: bool = False) -> tuple[int, bool, bool]:
        """(length, complex variant applied, remote variant applied)."""
        remote_applied = remote and self.remote_days is not None
        complex_length = self.remote_complex_days if remote_applied else self.complex_days
        complex_applied = complex and complex_length is not None
        if complex_applied and complex_length is not None:
            return complex_length, True, remote_applied
        if remote_applied and self.remote_days is not None:
            return self.remote_days, False, True
        return self.days, False, False


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]

    def find(self, kind: str, step: str, on: date) -> Rule:
        """The rule in force on `on` for this kind, else the one for any kind; LookupError if none."""
        for wanted in (kind, ANY):
            for rule in self.rules:
                if rule.kind == wanted and rule.step == step and rule.applies_on(on):
                    return rule
        raise LookupError(f"no deadline rule for {kind}/{step} on {on.isoformat()}")

    def get(self, key: str) -> Rule:
        for rule in self.rules:
            if rule.key == key:
                return rule
        raise LookupError(f"no deadline rule {key!r}")


@dataclass(frozen=True)
class Extension:
    """An extension decided on `on`; `days` None means the rule's standard extension."""

    on: date
    days: int | None = None


@dataclass(frozen=True)
class Deadline:
    due: date | None
    rule: Rule
    start: date
    base_days: int
    count: str
    extensions: tuple[Extension, ...] = ()
    extension_days_total: int = 0
    paused_days: int = 0
    stopped_since: date | None = None
    complex_applied: bool = False
    remote_applied: bool = False
    pauses: tuple[Pause, ...] = ()
    # (suspended on, resumed on, length in the rule's unit: working days or calendar days)
    paused_periods: tuple[tuple[date, date, int], ...] = ()

    @property
    def total_days(self) -> int:
        return self.base_days + self.extension_days_total


# --- loading -------------------------------------------------------------------------------------------

_FIELDS = frozenset(Rule.__dataclass_fields__)
_REQUIRED = frozenset({"key", "kind", "step", "effective_from", "count", "days", "source"})


def _parse_date(value: Any, key: str, name: str) -> date:
    if not isinstance(value, str):
        raise ValueError(f"deadline rule {key!r}: {name} must be a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"deadline rule {key!r}: {name} {value!r} is not a YYYY-MM-DD date") from exc


def _optional_int(entry: Mapping[str, Any], name: str, key: str) -> int | None:
    value = entry.get(name)
    if value is None:
        return None
    # bool is an int subclass; "true" as a number of days is a typo, not a period.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"deadline rule {key!r}: {name} must be a whole number")
    return value


def rule_from_dict(entry: Mapping[str, Any], origin: str = "") -> Rule:
    key = str(entry.get("key", "?"))
    where = f" in {origin}" if origin else ""
    unknown = set(entry) - _FIELDS
    if unknown:
        # Reject typos such as "complex_day": silently ignoring them would change a legal deadline.
        raise ValueError(f"deadline rule {key!r}{where}: unknown fields {sorted(unknown)}")
    missing = _REQUIRED - set(entry)
    if missing:
        raise ValueError(f"deadline rule {key!r}{where}: missing fields {sorted(missing)}")
    days = _optional_int(entry, "days", key)
    if days is None:
        raise ValueError(f"deadline rule {key!r}{where}: days is required")
    effective_to = entry.get("effective_to")
    uncertain = entry.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise ValueError(f"deadline rule {key!r}{where}: uncertain must be true or false")
    return Rule(
        key=key,
        kind=str(entry["kind"]),
        step=str(entry["step"]),
        effective_from=_parse_date(entry["effective_from"], key, "effective_from"),
        effective_to=None if effective_to is None else _parse_date(effective_to, key, "effective_to"),
        count=str(entry["count"]),
        days=days,
        complex_days=_optional_int(entry, "complex_days", key),
        remote_days=_optional_int(entry, "remote_days", key),
        remote_complex_days=_optional_int(entry, "remote_complex_days", key),
        extension_days=_optional_int(entry, "extension_days", key),
        max_extensions=_optional_int(entry, "max_extensions", key) or 0,
        source=str(entry["source"]),
        uncertain=uncertain,
    )


def _read_rules(path: Path) -> list[Rule]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of rules or an object with a 'rules' list")
    rules = [rule_from_dict(entry, str(path)) for entry in entries]
    keys = [rule.key for rule in rules]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate rule keys {duplicates}")
    return rules


def check_no_overlap(rules: Iterable[Rule]) -> None:
    """Two rules for the same kind and step must never be in force on the same day."""
    by_pair: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        by_pair.setdefault((rule.kind, rule.step), []).append(rule)
    for (kind, step), group in by_pair.items():
        group.sort(key=lambda r: r.effective_from)
        for earlier, later in pairwise(group):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(
                    f"deadline rules {earlier.key!r} and {later.key!r} overlap for {kind}/{step}"
                )


@lru_cache(maxsize=16)
def _load_cached(override: str, override_mtime_ns: int) -> RuleBook:
    # The modification time is part of the cache key so that an edited override file is picked up.
    rules = {rule.key: rule for rule in _read_rules(DEFAULT_RULES_PATH)}
    if override:
        rules.update((rule.key, rule) for rule in _read_rules(Path(override)))
    ordered = tuple(sorted(rules.values(), key=lambda r: (r.kind, r.step, r.effective_from)))
    check_no_overlap(ordered)
    return RuleBook(ordered)


def _configured_override() -> str:
    if not settings.configured:
        return ""
    return str(getattr(settings, "DANVAN_DEADLINE_RULES", "") or "")


def load_rules(path: str | Path | None = None) -> RuleBook:
    """The packaged rules, with the entries of the override file `path` (default: the setting) on top.

    An override file that is named but missing or invalid raises: a silent fallback would apply rules the
    administrator meant to replace.
    """
    override = str(path) if path is not None else _configured_override()
    if not override:
        return _load_cached("", 0)
    resolved = Path(override).resolve()
    return _load_cached(str(resolved), resolved.stat().st_mtime_ns)


def clear_rules_cache() -> None:
    _load_cached.cache_clear()


# --- arithmetic ----------------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day (Civil Code Art 148(2))."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def _period_end(count: str, start: date, length: int, paused: int, calendar: WorkingCalendar) -> date:
    if count == WORKING_DAYS:
        return add_working_days(start, length + paused, calendar)
    if count == MONTHS:
        return next_working_day(add_months(start, length) + timedelta(days=paused), calendar)
    # The roll-over to a working day applies to the end of the whole period, extensions and pauses
    # included, not to each piece: the law caps the total time (e.g. 30 + 30 + 30 days from acceptance).
    return add_days(start, length + paused, calendar)


def _paused_length(count: str, suspended: date, resumed: date, calendar: WorkingCalendar) -> int:
    if count == WORKING_DAYS:
        return working_days_between(suspended, resumed, calendar)
    return (resumed - suspended).days


def extensions_left(rule: Rule, n_used: int) -> int:
    return max(0, rule.max_extensions - n_used)


def _resolve_extensions(rule: Rule, extensions: Iterable[Extension]) -> tuple[Extension, ...]:
    resolved = tuple(extensions)
    if len(resolved) > rule.max_extensions:
        raise ValueError(
            f"rule {rule.key!r} allows {rule.max_extensions} extension(s), {len(resolved)} were given"
        )
    out: list[Extension] = []
    for extension in resolved:
        days = rule.extension_days if extension.days is None else extension.days
        if days is None or days <= 0:
            raise ValueError(f"rule {rule.key!r}: an extension needs a positive number of days")
        if rule.extension_days is not None and days > rule.extension_days:
            raise ValueError(f"rule {rule.key!r}: an extension is at most {rule.extension_days} days")
        out.append(Extension(on=extension.on, days=days))
    return tuple(out)


def _split_pauses(pauses: Iterable[Pause]) -> tuple[tuple[tuple[date, date], ...], date | None]:
    closed: list[tuple[date, date]] = []
    open_since: date | None = None
    for suspended, resumed in pauses:
        if resumed is None:
            if open_since is not None:
                raise ValueError("only one suspension can be open at a time")
            open_since = suspended
        elif resumed < suspended:
            raise ValueError(f"a suspension cannot resume ({resumed}) before it starts ({suspended})")
        else:
            closed.append((suspended, resumed))
    return tuple(closed), open_since


def compute(
    rules: RuleBook | Rule,
    *,
    kind: str,
    step: str,
    received_on: date,
    start: date,
    calendar: WorkingCalendar,
    complex: bool = False,
    remote: bool = False,
    extensions: Iterable[Extension] = (),
    pauses: Iterable[Pause] = (),
) -> Deadline:
    """The deadline of `step`, counted from `start` under the rule in force on `received_on`.

    Raises LookupError when no rule applies and ValueError for more extensions than the rule allows.
    """
    rule = rules if isinstance(rules, Rule) else rules.find(kind, step, received_on)
    base, complex_applied, remote_applied = rule.period(complex=complex, remote=remote)
    resolved = _resolve_extensions(rule, extensions)
    extension_total = sum(extension.days or 0 for extension in resolved)
    pause_list = tuple(pauses)
    closed, stopped_since = _split_pauses(pause_list)
    paused_periods = tuple((s, r, _paused_length(rule.count, s, r, calendar)) for s, r in closed)
    paused = sum(length for _s, _r, length in paused_periods)
    due = None
    if stopped_since is None:
        due = _period_end(rule.count, start, base + extension_total, paused, calendar)
    return Deadline(
        due=due,
        rule=rule,
        start=start,
        base_days=base,
        count=rule.count,
        extensions=resolved,
        extension_days_total=extension_total,
        paused_days=paused,
        stopped_since=stopped_since,
        complex_applied=complex_applied,
        remote_applied=remote_applied,
        pauses=pause_list,
        paused_periods=paused_periods,
    )


def time_limit_expired(
    book: RuleBook,
    *,
    kind: str,
    known_on: date,
    received_on: date,
    calendar: WorkingCalendar,
    remote: bool = False,
) -> Deadline | None:
    """For a complaint received after its 90-day limit (Luật KN Art 9), that limit; else None.

    Only a warning at intake: time lost to illness, disasters or travel does not count, which the officer
    has to judge. None also when no rule covers the date, since nothing can then be asserted.
    """
    if kind != COMPLAINT:
        return None
    try:
        rule = book.find(kind, TIME_LIMIT, received_on)
    except LookupError:
        return None
    deadline = compute(
        rule,
        kind=kind,
        step=TIME_LIMIT,
        received_on=received_on,
        start=known_on,
        calendar=calendar,
        remote=remote,
    )
    if deadline.due is not None and received_on > deadline.due:
        return deadline
    return None


def urgency(
    due: date | None,
    today: date,
    calendar: WorkingCalendar,
    *,
    due_soon_working_days: int = 3,
    very_late_days: int = 30,
) -> str:
    """How pressing `due` is on `today`.

    "none" (no due date, e.g. clock stopped), "on_time", "due_soon" (due within the next N working days,
    today included), "overdue", "very_late" (overdue by more than `very_late_days` calendar days).
    """
    if due is None:
        return URGENCY_NONE
    if today > due:
        return URGENCY_VERY_LATE if (today - due).days > very_late_days else URGENCY_OVERDUE
    # Counting from the day before makes today the first of the N working days when it is one.
    soon_until = add_working_days(today - timedelta(days=1), due_soon_working_days, calendar)
    return URGENCY_DUE_SOON if due <= soon_until else URGENCY_ON_TIME


# --- explanation ---------------------------------------------------------------------------------------


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def period_text(n: int, count: str) -> str:
    if count == WORKING_DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
    if count == MONTHS:
        return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _variant_text(deadline: Deadline) -> str:
    if deadline.complex_applied and deadline.remote_applied:
        return _("complex case in a remote area")
    if deadline.complex_applied:
        return _("complex case")
    if deadline.remote_applied:
        return _("remote area")
    return _("standard period")


def explain(deadline: Deadline) -> list[str]:
    """How the deadline was computed, one sentence per line, in the active language."""
    rule = deadline.rule
    if rule.uncertain:
        lines = [_("Rule: %(source)s (uncertain rule: check the current text)") % {"source": rule.source}]
    else:
        lines = [_("Rule: %(source)s") % {"source": rule.source}]
    lines.append(
        _("Counted from: %(date)s (that day itself is not counted)") % {"date": format_date(deadline.start)}
    )
    lines.append(
        _("Period: %(period)s (%(variant)s)")
        % {"period": period_text(deadline.base_days, deadline.count), "variant": _variant_text(deadline)}
    )
    for extension in deadline.extensions:
        lines.append(
            _("Extension decided on %(date)s: %(period)s")
            % {"date": format_date(extension.on), "period": period_text(extension.days or 0, deadline.count)}
        )
    pause_count = WORKING_DAYS if deadline.count == WORKING_DAYS else DAYS
    for suspended, resumed, length in deadline.paused_periods:
        lines.append(
            _("Suspended from %(suspended)s to %(resumed)s: %(period)s not counted")
            % {
                "suspended": format_date(suspended),
                "resumed": format_date(resumed),
                "period": period_text(length, pause_count),
            }
        )
    lines.append(_("Working days from the calendar: weekends, public holidays incl. Tết, swapped days"))
    if deadline.count != WORKING_DAYS:
        lines.append(
            _("A period that ends on a day off ends on the next working day (Civil Code 2015, Art 148)")
        )
    if deadline.due is not None:
        lines.append(_("Due date: %(date)s") % {"date": format_date(deadline.due)})
    elif deadline.stopped_since is not None:
        lines.append(
            _("Clock stopped since %(date)s: no due date until the case resumes")
            % {"date": format_date(deadline.stopped_since)}
        )
    return lines
