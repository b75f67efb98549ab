"""Reception records written straight to their tables (not through the services), filling only the
fields that the reception indicators read, so that report tests can make many of them quickly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from danvan.petitions.models import Case
from danvan.reception.models import Outcome, Presider, Session, SessionKind, SessionStatus, Visit
from danvan.units.models import Unit

WAYS = {
    "regular": (SessionKind.REGULAR, Presider.STAFF),
    "head": (SessionKind.PERIODIC, Presider.HEAD),
    "authorised": (SessionKind.PERIODIC, Presider.AUTHORISED),
}


@dataclass(frozen=True)
class VisitRow:
    unit: Unit
    day: date
    way: str = "regular"
    people: int = 1
    crowd: bool = False
    case: str = ""  # visits naming the same case share it; "" for a case of its own
    repeat: bool = False


def visits_bulk(rows: list[VisitRow], *, by, first_number: int = 1) -> list[Visit]:
    """One held session per visit (same unit, day and way), one case per distinct `case` name."""
    if not rows:
        return []
    names = {row.case or f"#{i}": row for i, row in reversed(list(enumerate(rows)))}
    cases = Case.objects.bulk_create(
        Case(unit=row.unit, unit_path=row.unit.path, opened_on=row.day) for row in names.values()
    )
    case_of = dict(zip(names, cases, strict=True))
    sessions = Session.objects.bulk_create(
        Session(
            unit=row.unit,
            unit_path=row.unit.path,
            kind=WAYS[row.way][0],
            presider="" if row.way == "regular" else WAYS[row.way][1],
            day=row.day,
            status=SessionStatus.HELD,
            created_by=by,
        )
        for row in rows
    )
    return Visit.objects.bulk_create(
        Visit(
            session=session,
            unit=row.unit,
            unit_path=row.unit.path,
            year=row.day.year,
            number=first_number + i,
            day=row.day,
            session_kind=WAYS[row.way][0],
            presider=WAYS[row.way][1],
            kinds="complaint",
            content="Khiếu nại về đất đai.",
            content_folded="khieu nai ve dat dai.",
            people_count=row.people,
            crowd=row.crowd,
            case=case_of[row.case or f"#{i}"],
            is_repeat=row.repeat,
            outcome=Outcome.ANSWERED,
            received_by=by,
        )
        for i, (row, session) in enumerate(zip(rows, sessions, strict=True))
    )
