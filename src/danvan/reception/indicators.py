"""The figures of citizen reception, for every column of form 01/TCD (TT 02/2021, TT 01/2024):
sessions, visits, people, cases first-time and repeated, and crowds (groups, people, cases), each
split by who received: regular reception, the head in person, or an authorised person.

Cases (vụ việc) are counted once however many visits they had in the period, within each way of
receiving: a case is first-time when one of its visits there was its first, otherwise repeated.
Column 3 (all cases) follows the form's arithmetic, 6+7+15+16+24+25: the distinct cases of each way
of receiving, added up.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, PEOPLE, DimensionValue, Indicator, register, total
from danvan.units import access

from .models import Presider, Session, SessionKind, SessionStatus, Visit

HEAD_KINDS = (SessionKind.PERIODIC, SessionKind.AD_HOC)


def _visits(user) -> QuerySet:
    return access.visible(user, Visit)


def _sessions(user) -> QuerySet:
    return access.visible(user, Session).filter(status=SessionStatus.HELD)


def _ways(kind_field: str) -> dict[str, Q]:
    return {
        "regular": Q(**{kind_field: SessionKind.REGULAR}),
        "head": Q(**{f"{kind_field}__in": HEAD_KINDS, "presider": Presider.HEAD}),
        "authorised": Q(**{f"{kind_field}__in": HEAD_KINDS, "presider": Presider.AUTHORISED}),
    }


WAY_LABELS = {
    "regular": _("Regular reception"),
    "head": _("Received by the head"),
    "authorised": _("Received by an authorised person"),
}
VISIT_WAYS = _ways("session_kind")
BY_VISIT = {"by": {way: DimensionValue(WAY_LABELS[way], where) for way, where in VISIT_WAYS.items()}}
BY_SESSION = {"by": {way: DimensionValue(WAY_LABELS[way], where) for way, where in _ways("kind").items()}}
CROWD = Q(crowd=True)
ANY_WAY = VISIT_WAYS["regular"] | VISIT_WAYS["head"] | VISIT_WAYS["authorised"]


def _cases(first_time: bool):
    """A case is first-time when one of its counted visits was its first, otherwise repeated:
    distinct cases with a first visit, or all distinct cases less those."""

    def aggregates(where: Q) -> dict:
        return {
            "all": Count("case_id", filter=where, distinct=True),
            "first": Count("case_id", filter=where & Q(is_repeat=False), distinct=True),
            "records": Count("pk", filter=where & Q(is_repeat=not first_time)),
        }

    def combine(row) -> tuple[int, int]:
        value = row["first"] if first_time else row["all"] - row["first"]
        return value, row["records"] or 0

    return {"aggregates": aggregates, "combine": combine, "counted": Q(is_repeat=not first_time)}


def _all_cases(where: Q) -> dict:
    """Distinct cases per way of receiving, added up (form 01/TCD column 3: 6+7+15+16+24+25)."""
    out = {f"cases_{way}": Count("case_id", filter=where & q, distinct=True) for way, q in VISIT_WAYS.items()}
    out["records"] = Count("pk", filter=where & ANY_WAY)
    return out


def _sum_ways(row) -> tuple[int, int]:
    return sum(row[f"cases_{way}"] or 0 for way in VISIT_WAYS), row["records"] or 0


def _visit_indicator(code, label, measure, columns, *, where=None, **kwargs) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=measure,
        records=_visits,
        date_field="day",
        path_field="unit_path",
        where=where if where is not None else Q(),
        dimensions=BY_VISIT,
        form_columns={"01-tcd": columns},
        **kwargs,
    )


INDICATORS = (
    Indicator(
        code="reception.sessions",
        label=_("Reception sessions held"),
        measure=COUNT,
        records=_sessions,
        date_field="day",
        path_field="unit_path",
        dimensions=BY_SESSION,
        form_columns={"01-tcd": ("12", "21")},
    ),
    _visit_indicator("reception.visits", _("Visits received"), COUNT, ("1", "4", "13", "22")),
    _visit_indicator(
        "reception.people",
        _("People received"),
        PEOPLE,
        ("2", "5", "14", "23"),
        aggregates=total("people_count"),
    ),
    _visit_indicator(
        "reception.cases",
        _("Cases received"),
        COUNT,
        ("3",),
        aggregates=_all_cases,
        combine=_sum_ways,
        counted=ANY_WAY,
    ),
    _visit_indicator(
        "reception.cases_first",
        _("Cases received for the first time"),
        COUNT,
        ("6", "15", "24"),
        **_cases(True),
    ),
    _visit_indicator(
        "reception.cases_repeated", _("Cases received repeatedly"), COUNT, ("7", "16", "25"), **_cases(False)
    ),
    _visit_indicator("reception.crowds", _("Crowds received"), COUNT, ("8", "17", "26"), where=CROWD),
    _visit_indicator(
        "reception.crowd_people",
        _("People in crowds"),
        PEOPLE,
        ("9", "18", "27"),
        where=CROWD,
        aggregates=total("people_count"),
    ),
    _visit_indicator(
        "reception.crowd_cases_first",
        _("Crowd cases received for the first time"),
        COUNT,
        ("10", "19", "28"),
        where=CROWD,
        **_cases(True),
    ),
    _visit_indicator(
        "reception.crowd_cases_repeated",
        _("Crowd cases received repeatedly"),
        COUNT,
        ("11", "20", "29"),
        where=CROWD,
        **_cases(False),
    ),
)

register(*INDICATORS)
