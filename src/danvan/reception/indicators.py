"""The figures of citizen reception, for every column of form 01/TCD (TT 02/2021, TT 01/2024):
sessions, visits, people, cases first-time and repeated, and crowds (groups, people, cases), each
split by who received: regular reception, the head in person, or an authorised person.

Cases (vụ việc) are counted once however many visits they had in the period, within each way of
receiving: a case is first-time when one of its visits there was its first, otherwise repeated.
Column 3 (all cases) follows the form's arithmetic, 6+7+15+16+24+25: the distinct cases of each way
of receiving, added up.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, PEOPLE, Figure, Indicator, register
from danvan.units import access

from .models import Presider, Session, SessionKind, SessionStatus, Visit

HEAD_KINDS = (SessionKind.PERIODIC, SessionKind.AD_HOC)


def _visits(user) -> QuerySet:
    return access.visible(user, Visit)


def _sessions(user) -> QuerySet:
    return access.visible(user, Session).filter(status=SessionStatus.HELD)


BY_VISIT = {
    "by": {
        "regular": lambda rows: rows.filter(session_kind=SessionKind.REGULAR),
        "head": lambda rows: rows.filter(session_kind__in=HEAD_KINDS, presider=Presider.HEAD),
        "authorised": lambda rows: rows.filter(session_kind__in=HEAD_KINDS, presider=Presider.AUTHORISED),
    }
}
BY_SESSION = {
    "by": {
        "regular": lambda rows: rows.filter(kind=SessionKind.REGULAR),
        "head": lambda rows: rows.filter(kind__in=HEAD_KINDS, presider=Presider.HEAD),
        "authorised": lambda rows: rows.filter(kind__in=HEAD_KINDS, presider=Presider.AUTHORISED),
    }
}


def _count(rows: QuerySet) -> Figure:
    n = rows.count()
    return Figure(n, n)


def _people(rows: QuerySet) -> Figure:
    result = rows.aggregate(n=Count("pk"), people=Sum("people_count"))
    return Figure(result["people"] or 0, result["n"])


def _cases(first_time: bool):
    def value(rows: QuerySet) -> Figure:
        per_case = rows.values("case_id").annotate(
            first=Count("pk", filter=Q(is_repeat=False)), n=Count("pk")
        )
        chosen = [row for row in per_case if (row["first"] > 0) is first_time]
        return Figure(len(chosen), sum(row["n"] for row in chosen))

    return value


def _way_of_receiving(session_kind: str, presider: str) -> str | None:
    if session_kind == SessionKind.REGULAR:
        return "regular"
    if session_kind in HEAD_KINDS and presider in (Presider.HEAD, Presider.AUTHORISED):
        return "head" if presider == Presider.HEAD else "authorised"
    return None


def _all_cases(rows: QuerySet) -> Figure:
    """Distinct cases per way of receiving, added up (form 01/TCD column 3), in one query."""
    seen: set[tuple[str, int]] = set()
    records = 0
    for row in rows.values("session_kind", "presider", "case_id").annotate(n=Count("pk")):
        way = _way_of_receiving(row["session_kind"], row["presider"])
        if way is not None:
            seen.add((way, row["case_id"]))
            records += row["n"]
    return Figure(len(seen), records)


def _crowd(value):
    return lambda rows: value(rows.filter(crowd=True))


def _visit_indicator(code, label, measure, value, columns) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=measure,
        records=_visits,
        date_field="day",
        path_field="unit_path",
        value=value,
        dimensions=BY_VISIT,
        form_columns={"01-tcd": columns},
    )


INDICATORS = (
    Indicator(
        code="reception.sessions",
        label=_("Reception sessions held"),
        measure=COUNT,
        records=_sessions,
        date_field="day",
        path_field="unit_path",
        value=_count,
        dimensions=BY_SESSION,
        form_columns={"01-tcd": ("12", "21")},
    ),
    _visit_indicator("reception.visits", _("Visits received"), COUNT, _count, ("1", "4", "13", "22")),
    _visit_indicator("reception.people", _("People received"), PEOPLE, _people, ("2", "5", "14", "23")),
    _visit_indicator("reception.cases", _("Cases received"), COUNT, _all_cases, ("3",)),
    _visit_indicator(
        "reception.cases_first",
        _("Cases received for the first time"),
        COUNT,
        _cases(True),
        ("6", "15", "24"),
    ),
    _visit_indicator(
        "reception.cases_repeated", _("Cases received repeatedly"), COUNT, _cases(False), ("7", "16", "25")
    ),
    _visit_indicator("reception.crowds", _("Crowds received"), COUNT, _crowd(_count), ("8", "17", "26")),
    _visit_indicator(
        "reception.crowd_people", _("People in crowds"), PEOPLE, _crowd(_people), ("9", "18", "27")
    ),
    _visit_indicator(
        "reception.crowd_cases_first",
        _("Crowd cases received for the first time"),
        COUNT,
        _crowd(_cases(True)),
        ("10", "19", "28"),
    ),
    _visit_indicator(
        "reception.crowd_cases_repeated",
        _("Crowd cases received repeatedly"),
        COUNT,
        _crowd(_cases(False)),
        ("11", "20", "29"),
    ),
)

register(*INDICATORS)
