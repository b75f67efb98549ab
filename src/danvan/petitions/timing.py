"""Which legal deadline a petition runs under now, computed from its record and its events.

The arithmetic and the rules are in `deadlines` (pure); this module only reads the petition: the
current step follows its status, extensions and suspensions are its events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings

from danvan.core.calendar import WorkingCalendar
from danvan.core.selectors import working_calendar

from . import deadlines
from .models import Kind, Petition, Status


def rule_book() -> deadlines.RuleBook:
    return deadlines.load_rules(settings.DANVAN_DEADLINE_RULES or None)


def calendar_around(day: date) -> WorkingCalendar:
    """The calendar for every deadline that can start on `day` (extensions reach months ahead)."""
    return working_calendar(day.year - 1, day.year + 2)


def current_step(petition: Petition) -> tuple[str | None, date | None]:
    """The rule step and its start date for the petition's status; (None, None) when none runs."""
    if petition.status == Status.RECEIVED:
        step = "accept" if petition.kind == Kind.COMPLAINT else "process"
        return step, petition.received_on
    if petition.status in (Status.ACCEPTED, Status.SUSPENDED):
        step = "resolve_second" if petition.kind == Kind.COMPLAINT and petition.round >= 2 else "resolve"
        return step, petition.accepted_on
    return None, None


def _pauses(events: Iterable) -> list[tuple[date, date | None]]:
    pauses: list[tuple[date, date | None]] = []
    for event in events:
        if event.action == "suspend":
            pauses.append((event.on, None))
        elif event.action == "resume" and pauses and pauses[-1][1] is None:
            pauses[-1] = (pauses[-1][0], event.on)
    return pauses


def deadline_of(
    petition: Petition, *, events: Iterable | None = None, calendar: WorkingCalendar | None = None
) -> deadlines.Deadline | None:
    """The deadline the petition runs under now, with what made it (for display and for `due_date`)."""
    step, start = current_step(petition)
    if step is None or start is None:
        return None
    if events is None and petition.pk is None:
        events = ()  # not saved yet (intake, an internal transfer's copy): no step has happened
    elif events is None:
        events = petition.events.filter(action__in=("extend", "suspend", "resume")).order_by("on", "pk")
    events = list(events)
    extensions = [
        deadlines.Extension(on=e.on, days=e.data.get("days")) for e in events if e.action == "extend"
    ]
    book = rule_book()
    try:
        book.find(petition.kind, step, petition.received_on)
    except LookupError:
        return None  # received before any rule of this kind was in force: no legal deadline to show
    return deadlines.compute(
        book,
        kind=petition.kind,
        step=step,
        received_on=petition.received_on,
        start=start,
        calendar=calendar or calendar_around(start),
        complex=petition.complex,
        remote=petition.remote,
        extensions=extensions,
        pauses=_pauses(events),
    )
