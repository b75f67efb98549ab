"""The figures of petitions: intake, processing (forms 01–04/XLD and 02/TCD of TT 02/2021 and
TT 01/2024), resolution within the unit's authority (KQGQ01, KQGQ03) and the review's figures.

Which date places a petition in a period, figure by figure:

- received: the day it was received (`received_on`);
- processed, eligible, within or outside authority: the day its processing ended (`processed_on`:
  accepted, guided, transferred, urged, filed, or withdrawn before any of these);
- carried over: received before the period and not processed on its first day; not processed:
  received by the period's end and not processed by then (so the carried over of a period is the
  not processed of the period before it);
- accepted for resolution (within authority): the day it was accepted (`accepted_on`); to resolve
  in the period: accepted by the period's end and not resolved before it began;
- resolved: the day of the decision, or of the withdrawal that ended it (`closed_on`);
  on time: the day of the decision (`decision_on`), withdrawals carry no finding on time;
- replies to transfers: the day the reply came (`reply_on`).

The review's figures (received, accepted, resolved, decided, on time) count events of the period,
so a figure over ten years is the sum of its years and a report made later gives the same figure.
Its rates compare the petitions accepted with those resolved in the same years: over a long period
they read as "resolved X of the Y under its authority"; over a short one the resolution rate can
pass 100% when petitions accepted before the period are resolved in it (KQGQ01 carries that stock
in its columns 1–2).

Cases (vụ việc) in the forms are counted once per unit and per kind of content (complaints,
denunciations, recommendations and feedback), in the category of the first petition of the case
among those the column counts: a case whose petitions fall into different categories is counted
once, so the forms' sums hold. The records behind a case figure are those first petitions.

The resolution status of the forms (resolved first time, repeatedly, being resolved, not yet) is
the state of the matter when the petition came, as the forms define it: a second complaint or a
further denunciation follows a decision (resolved first time, or repeatedly when that decision was
itself a second one) or a resolution still pending (being resolved; for a denunciation "overdue");
a petition linked to a case already in hand is being resolved; any other is not yet resolved.

`form_columns` name the columns each indicator feeds: under the form's code those of the form of
TT 01/2024 (kept by TT 06/2025), under "<code>:tt02-2021" those of TT 02/2021 where they differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import (
    AREA,
    COUNT,
    MONEY,
    PEOPLE,
    PERCENT,
    DimensionValue,
    Indicator,
    rate,
    register,
    total,
)
from danvan.units import access

from .models import Channel, Field, Handling, Kind, Outcome, Petition, Status

KNPA = (Kind.RECOMMENDATION, Kind.FEEDBACK)
OUTSIDE = (Handling.GUIDED, Handling.TRANSFERRED, Handling.URGED)
ADMINISTRATIVE = (Field.POLICY, Field.LAND, Field.CIVIL_SERVICE, Field.ADMINISTRATIVE_OTHER)
RESOLVED = (Status.RESOLVED, Status.WITHDRAWN)  # ended within authority: a decision, or a withdrawal
MANY_SIGNERS = 5  # TT 07/2014 Art 6(4): five or more people sign


def _petitions(user) -> QuerySet:
    return access.visible(user, Petition)


def _through_reception() -> Q:
    """Received through citizen reception: handed in at the desk, or made from a visit."""
    condition = Q(channel=Channel.IN_PERSON)
    try:
        visits = Petition._meta.get_field("visits")
    except FieldDoesNotExist:  # reception is not installed
        return condition
    linked = visits.through.objects.values(visits.field.m2m_reverse_field_name())
    return condition | Q(pk__in=linked)


# ---- dimensions ---------------------------------------------------------------------------------

_PREVIOUS = Q(previous__isnull=False)
_PREVIOUS_DECIDED = Q(previous__decision_on__lte=F("received_on"))
_PREVIOUS_PENDING = _PREVIOUS & (
    Q(previous__decision_on__isnull=True) | Q(previous__decision_on__gt=F("received_on"))
)


def _dimension(**values: tuple) -> dict[str, DimensionValue]:
    return {name: DimensionValue(label, where) for name, (label, where) in values.items()}


DIMENSIONS: dict[str, dict[str, DimensionValue]] = {
    "kind": _dimension(
        complaint=(Kind.COMPLAINT.label, Q(kind=Kind.COMPLAINT)),
        denunciation=(Kind.DENUNCIATION.label, Q(kind=Kind.DENUNCIATION)),
        knpa=(_("Recommendations and feedback"), Q(kind__in=KNPA)),
        recommendation=(Kind.RECOMMENDATION.label, Q(kind=Kind.RECOMMENDATION)),
        feedback=(Kind.FEEDBACK.label, Q(kind=Kind.FEEDBACK)),
    ),
    "field": {
        **{value: DimensionValue(label, Q(field=value)) for value, label in Field.choices},
        "administrative": DimensionValue(_("Administrative"), Q(field__in=ADMINISTRATIVE)),
    },
    "signers": _dimension(
        one=(_("Signed by one person"), Q(anonymous=False, signer_count__lt=MANY_SIGNERS)),
        many=(_("Signed by many people"), Q(anonymous=False, signer_count__gte=MANY_SIGNERS)),
        other=(_("Other petitions (no named sender)"), Q(anonymous=True)),
    ),
    "authority": _dimension(
        own=(_("Within the unit's authority"), Q(handling=Handling.ACCEPTED)),
        outside=(_("Outside the unit's authority"), Q(handling__in=OUTSIDE)),
        not_outside=(
            _("Not sent elsewhere (accepted, filed, withdrawn or not yet processed)"),
            ~Q(handling__in=OUTSIDE),
        ),
    ),
    "how": _dimension(
        guided=(Handling.GUIDED.label, Q(handling=Handling.GUIDED)),
        transferred=(Handling.TRANSFERRED.label, Q(handling=Handling.TRANSFERRED)),
        urged=(Handling.URGED.label, Q(handling=Handling.URGED)),
    ),
    # The state of the matter when the petition came (see the module's docstring).
    "status": _dimension(
        first=(_("Already resolved the first time"), _PREVIOUS_DECIDED & Q(previous__round=1)),
        again=(_("Already resolved more than once"), _PREVIOUS_DECIDED & Q(previous__round__gte=2)),
        decided=(_("Already resolved"), _PREVIOUS_DECIDED),
        pending=(_("Earlier petition not yet resolved"), _PREVIOUS_PENDING),
        repeat=(_("Case already in hand"), Q(previous__isnull=True, is_repeat=True)),
        new=(_("Not yet resolved"), Q(previous__isnull=True, is_repeat=False)),
        being=(_("Being resolved"), _PREVIOUS_PENDING | Q(previous__isnull=True, is_repeat=True)),
        open=(_("No earlier resolution"), Q(previous__isnull=True)),
        unresolved=(_("Not yet fully resolved"), _PREVIOUS_PENDING | Q(previous__isnull=True)),
    ),
    "round": _dimension(
        first=(_("First time"), Q(round=1)),
        next=(_("Second time or further"), Q(round__gte=2)),
    ),
    "closure": _dimension(
        decision=(_("By a decision or conclusion"), Q(status=Status.RESOLVED)),
        withdrawal=(_("By withdrawal"), Q(status=Status.WITHDRAWN)),
    ),
    "outcome": {value: DimensionValue(label, Q(outcome=value)) for value, label in Outcome.choices},
    "on_time": _dimension(
        yes=(_("Within the legal time limit"), Q(on_time=True)),
        no=(_("After the legal time limit"), Q(on_time=False)),
    ),
    "via": _dimension(reception=(_("Through citizen reception"), _through_reception())),
}


# ---- periods ------------------------------------------------------------------------------------

Placing = Callable[[date, date], Q]  # the condition that places a petition in [first, last]


def _in(field_name: str, first: date, last: date) -> Q:
    return Q(**{f"{field_name}__gte": first, f"{field_name}__lte": last})


def _not_processed_on(day: date) -> Q:
    """Not processed before `day`."""
    return Q(processed_on__isnull=True) | Q(processed_on__gte=day)


def _to_process(first: date, last: date) -> Q:
    return Q(received_on__lte=last) & _not_processed_on(first)


def _carried_over(first: date, last: date) -> Q:
    return Q(received_on__lt=first) & _not_processed_on(first)


def _not_processed(first: date, last: date) -> Q:
    return Q(received_on__lte=last) & (Q(processed_on__isnull=True) | Q(processed_on__gt=last))


def _processed_carried_over(first: date, last: date) -> Q:
    return _in("processed_on", first, last) & Q(received_on__lt=first)


def _processed_received(first: date, last: date) -> Q:
    return _in("processed_on", first, last) & Q(received_on__gte=first)


def _not_closed_before(day: date) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gte=day)


def _to_resolve(first: date, last: date) -> Q:
    return Q(handling=Handling.ACCEPTED, accepted_on__lte=last) & _not_closed_before(first)


def _to_resolve_carried_over(first: date, last: date) -> Q:
    return Q(handling=Handling.ACCEPTED, accepted_on__lt=first) & _not_closed_before(first)


def _first_of_case(among: Q) -> Q:
    """The petition is the first (lowest id) of its case, in its unit and kind of content, among
    the petitions meeting `among`: each case is counted once, in one category. A single NOT EXISTS
    in the condition, so that PostgreSQL may run it as an anti-join."""
    same_kind = Q(kind=OuterRef("kind")) | (Q(kind__in=KNPA) & Q(In(OuterRef("kind"), list(KNPA))))
    earlier = Petition.objects.filter(
        same_kind, case_id=OuterRef("case_id"), unit_path=OuterRef("unit_path"), pk__lt=OuterRef("pk")
    ).filter(among)
    return Q(~Exists(earlier))


def _cases_of(among: Placing, name: str) -> Placing:
    """The first petition of each case among the petitions `among` places in the period."""

    def period(first: date, last: date) -> Q:
        condition = among(first, last)
        return condition & _first_of_case(condition)

    period.__name__ = name
    return period


def _eligible_processed(first: date, last: date) -> Q:
    return _in("processed_on", first, last) & Q(eligible=True)


def _received_at_reception(first: date, last: date) -> Q:
    return _in("received_on", first, last) & DIMENSIONS["via"]["reception"].where


def _resolved_in(first: date, last: date) -> Q:
    return _in("closed_on", first, last) & Q(handling=Handling.ACCEPTED, status__in=RESOLVED)


_eligible_cases = _cases_of(_eligible_processed, "eligible_cases")
_resolved_cases = _cases_of(_resolved_in, "resolved_cases")
_reception_cases = _cases_of(_received_at_reception, "reception_cases")
_to_resolve_cases = _cases_of(_to_resolve, "to_resolve_cases")


def _own_cases_resolved(first: date, last: date) -> Q:
    """Of the eligible cases processed in the period within authority, those resolved by its end."""
    return _eligible_cases(first, last) & Q(handling=Handling.ACCEPTED, closed_on__lte=last)


def _own_cases_unresolved(first: date, last: date) -> Q:
    return (
        _eligible_cases(first, last)
        & Q(handling=Handling.ACCEPTED)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))
    )


def _cases_per_unit(where: Q) -> dict:
    """Distinct cases counted per unit: a case whose petitions lie in two units counts in each, so
    the figure adds up over units however the engine groups the rows. The key is the pair (case,
    unit) as one number (unit ids stay below 2**32, case ids below 2**31)."""
    key = ExpressionWrapper(F("case_id") * 4294967296 + F("unit_id"), output_field=BigIntegerField())
    return {"value": Count(key, filter=where, distinct=True), "records": Count("pk", filter=where)}


# ---- the indicators -----------------------------------------------------------------------------


def _indicator(
    code: str,
    label,
    columns: Mapping[str, tuple[str, ...]],
    *,
    measure: str = COUNT,
    date_field: str = "",
    period: Placing | None = None,
    where: Q | None = None,
    description="",
    **kwargs,
) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=measure,
        records=_petitions,
        date_field=date_field,
        path_field="unit_path",
        where=where if where is not None else Q(),
        period=period,
        period_name=period.__name__ if period is not None else "",
        dimensions=DIMENSIONS,
        form_columns=columns,
        description=description,
        **kwargs,
    )


DECIDED = Q(status=Status.RESOLVED)


def _result(code: str, label, measure: str, field_name: str, columns: Mapping[str, tuple[str, ...]]):
    """A result of the decisions of the cases resolved in the period (KQGQ01, KQGQ03), summed over
    the first petition of each case: one decision is counted once."""
    return _indicator(
        code,
        label,
        columns,
        measure=measure,
        period=_resolved_cases,
        where=DECIDED,
        aggregates=total(field_name),
    )


INDICATORS = (
    _indicator(
        "petitions.received",
        _("Petitions received"),
        {
            "01-xld": ("3",),
            "01-xld:tt02-2021": ("5", "6", "7"),
            "02-xld": ("3",),
            "02-xld:tt02-2021": ("4", "5"),
            "03-xld": ("3",),
            "03-xld:tt02-2021": ("5", "6", "7"),
            "04-xld": ("3",),
            "04-xld:tt02-2021": ("5", "6", "7"),
            "02-tcd": ("1", "3", "5", "7", "9", "11"),
        },
        date_field="received_on",
        description=_("Placed by the day received."),
    ),
    _indicator(
        "petitions.cases",
        _("Cases of the petitions received"),
        {},
        date_field="received_on",
        aggregates=_cases_per_unit,
        description=_("Distinct cases of the petitions received in the period, counted in each unit."),
    ),
    _indicator(
        "petitions.to_process",
        _("Petitions to process"),
        {"01-xld": ("1",), "01-xld:tt02-2021": ("1",), "02-xld": ("1",), "02-xld:tt02-2021": ("1",)}
        | {"03-xld": ("1",), "03-xld:tt02-2021": ("1",), "04-xld": ("1",), "04-xld:tt02-2021": ("1",)},
        period=_to_process,
        description=_("Received by the end of the period and not processed before it began."),
    ),
    _indicator(
        "petitions.carried_over",
        _("Petitions carried over from the previous period"),
        {
            "01-xld": ("2",),
            "01-xld:tt02-2021": ("2", "3", "4"),
            "02-xld": ("2",),
            "02-xld:tt02-2021": ("2", "3"),
            "03-xld": ("2",),
            "03-xld:tt02-2021": ("2", "3", "4"),
            "04-xld": ("2",),
            "04-xld:tt02-2021": ("2", "3", "4"),
        },
        period=_carried_over,
        description=_("Received before the period and not processed on its first day."),
    ),
    _indicator(
        "petitions.processed",
        _("Petitions processed"),
        {
            "01-xld": ("4",),
            "01-xld:tt02-2021": ("8",),
            "02-xld": ("4",),
            "02-xld:tt02-2021": ("6",),
            "03-xld": ("4",),
            "03-xld:tt02-2021": ("8",),
            "04-xld": ("4",),
            "04-xld:tt02-2021": ("8",),
        },
        date_field="processed_on",
        description=_(
            "Placed by the day processing ended: accepted, guided, transferred, urged, filed, or "
            "withdrawn before any of these."
        ),
    ),
    _indicator(
        "petitions.processed_carried_over",
        _("Petitions carried over and processed"),
        {
            "02-xld": ("5",),
            "02-xld:tt02-2021": ("7",),
            "03-xld": ("5",),
            "03-xld:tt02-2021": ("9",),
            "04-xld": ("5",),
            "04-xld:tt02-2021": ("9",),
        },
        period=_processed_carried_over,
    ),
    _indicator(
        "petitions.processed_received",
        _("Petitions received and processed in the period"),
        {
            "02-xld": ("6",),
            "02-xld:tt02-2021": ("8",),
            "03-xld": ("6",),
            "03-xld:tt02-2021": ("10",),
            "04-xld": ("6",),
            "04-xld:tt02-2021": ("10",),
        },
        period=_processed_received,
    ),
    _indicator(
        "petitions.not_processed",
        _("Petitions not processed (carried into the next period)"),
        {"01-xld": ("5",)},
        period=_not_processed,
        description=_("Received by the end of the period and not processed by then."),
    ),
    _indicator(
        "petitions.eligible",
        _("Petitions eligible for processing"),
        {
            "01-xld": ("6", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21"),
            "01-xld:tt02-2021": tuple(str(n) for n in (9, *range(11, 26))),
            "02-xld": ("7",),
            "02-xld:tt02-2021": ("9",),
            "03-xld": ("7",),
            "03-xld:tt02-2021": ("11",),
            "04-xld": ("7",),
            "04-xld:tt02-2021": ("11",),
        },
        date_field="processed_on",
        where=Q(eligible=True),
        description=_("Placed by the day processing ended."),
    ),
    _indicator(
        "petitions.eligible_cases",
        _("Cases of the eligible petitions"),
        {
            "01-xld": ("7",),
            "01-xld:tt02-2021": ("10",),
            "02-xld": tuple(
                str(n) for n in (8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26)
            ),
            "02-xld:tt02-2021": tuple(str(n) for n in (*range(10, 20), *range(21, 30))),
            "03-xld": tuple(str(n) for n in range(8, 27)),
            "03-xld:tt02-2021": tuple(str(n) for n in range(12, 33)),
            "04-xld": tuple(str(n) for n in range(8, 19)),
            "04-xld:tt02-2021": tuple(str(n) for n in range(12, 24)),
        },
        period=_eligible_cases,
        description=_(
            "Each case once, in the category of its first eligible petition processed in the period."
        ),
    ),
    _indicator(
        "petitions.eligible_cases_resolved",
        _("Cases within authority resolved"),
        {"04-xld": ("19",)},
        period=_own_cases_resolved,
        description=_(
            "Of the eligible cases processed in the period and accepted for resolution, those resolved "
            "by the end of the period."
        ),
    ),
    _indicator(
        "petitions.eligible_cases_unresolved",
        _("Cases within authority not yet resolved"),
        {"04-xld": ("20",)},
        period=_own_cases_unresolved,
    ),
    _indicator(
        "petitions.transfer_replies",
        _("Replies received to transferred petitions"),
        {
            "01-xld": ("22",),
            "01-xld:tt02-2021": ("26",),
            "02-xld": ("27",),
            "02-xld:tt02-2021": ("30",),
            "03-xld": ("27",),
            "03-xld:tt02-2021": ("33",),
            "04-xld:tt02-2021": ("24",),
            "02-tcd": ("16",),
        },
        date_field="reply_on",
        where=Q(handling=Handling.TRANSFERRED),
        description=_("Placed by the day the reply came."),
    ),
    _indicator(
        "petitions.reception_cases",
        _("Cases of the petitions received through citizen reception"),
        {"02-tcd": ("2", "4", "6", "8", "10", "12", "13", "14", "15")},
        period=_reception_cases,
    ),
    _indicator(
        "petitions.within_authority",
        _("Petitions accepted for resolution within the unit's authority"),
        {"kqgq01": ("3",), "kqgq03": ("3",)},
        date_field="accepted_on",
        where=Q(handling=Handling.ACCEPTED),
        description=_("Placed by the day accepted (thụ lý)."),
    ),
    _indicator(
        "petitions.within_authority_resolved",
        _("Petitions within authority resolved"),
        {},
        date_field="closed_on",
        where=Q(handling=Handling.ACCEPTED, status__in=RESOLVED),
        description=_(
            "Resolved by a decision or conclusion, or ended by the petitioners' withdrawal; placed by "
            "the day of the decision or withdrawal."
        ),
    ),
    _indicator(
        "petitions.resolved_by_decision",
        _("Petitions resolved by a decision or conclusion"),
        {},
        date_field="decision_on",
        where=DECIDED,
        description=_("Placed by the day of the decision."),
    ),
    _indicator(
        "petitions.resolved_on_time",
        _("Petitions resolved within the legal time limit"),
        {},
        date_field="decision_on",
        where=DECIDED & Q(on_time=True),
        description=_("Placed by the day of the decision."),
    ),
    Indicator(
        code="petitions.resolution_rate",
        label=_("Resolution rate of petitions within authority"),
        measure=PERCENT,
        dimensions=DIMENSIONS,
        derive=rate("petitions.within_authority_resolved", "petitions.within_authority"),
        description=_("Petitions resolved in the period, per 100 petitions accepted in the period."),
    ),
    Indicator(
        code="petitions.on_time_rate",
        label=_("Share of decisions within the legal time limit"),
        measure=PERCENT,
        dimensions=DIMENSIONS,
        derive=rate("petitions.resolved_on_time", "petitions.resolved_by_decision"),
        description=_("Decisions made within the legal time limit, per 100 decisions made in the period."),
    ),
    _indicator(
        "petitions.to_resolve",
        _("Petitions within authority to resolve"),
        {"kqgq01": ("1",), "kqgq03": ("1",)},
        period=_to_resolve,
        description=_("Accepted by the end of the period and not resolved before it began."),
    ),
    _indicator(
        "petitions.to_resolve_carried_over",
        _("Petitions within authority carried over"),
        {"kqgq01": ("2",), "kqgq03": ("2",)},
        period=_to_resolve_carried_over,
        description=_("Accepted before the period and not resolved on its first day."),
    ),
    _indicator(
        "petitions.to_resolve_cases",
        _("Cases within authority to resolve"),
        {"kqgq01": ("4",), "kqgq03": ("4", "5")},
        period=_to_resolve_cases,
    ),
    _indicator(
        "petitions.resolved_cases",
        _("Cases within authority resolved"),
        {
            "kqgq01": ("5", "6", "20", "21", "22", "23", "24", "25", "26"),
            "kqgq03": ("6", "7", "8", "9", "24", "25", "26", "27", "28", "29", "30", "31"),
        },
        period=_resolved_cases,
        description=_(
            "Cases resolved in the period by a decision or conclusion, or ended by withdrawal; each "
            "case once, by its first petition resolved in the period."
        ),
    ),
    _result(
        "petitions.money_recovered",
        _("Money recommended for recovery to the State (million VND)"),
        MONEY,
        "money_recovered",
        {"kqgq01": ("7",), "kqgq03": ("11",)},
    ),
    _result(
        "petitions.land_recovered",
        _("Land recommended for recovery to the State (m²)"),
        AREA,
        "land_recovered",
        {"kqgq01": ("8",), "kqgq03": ("12",)},
    ),
    _result(
        "petitions.money_returned",
        _("Money returned to organisations and individuals (million VND)"),
        MONEY,
        "money_returned",
        {},
    ),
    _result(
        "petitions.land_returned",
        _("Land returned to organisations and individuals (m²)"),
        AREA,
        "land_returned",
        {},
    ),
    _result(
        "petitions.people_restored",
        _("Individuals whose rights were restored"),
        PEOPLE,
        "people_restored",
        {"kqgq01": ("14",), "kqgq03": ("18",)},
    ),
    _result(
        "petitions.people_sanctioned",
        _("People recommended for administrative sanctions"),
        PEOPLE,
        "people_sanctioned",
        {"kqgq01": ("15",), "kqgq03": ("19",)},
    ),
    _result(
        "petitions.cases_to_investigation",
        _("Cases passed to the investigating agency"),
        COUNT,
        "cases_to_investigation",
        {"kqgq01": ("17",), "kqgq03": ("21",)},
    ),
)

register(*INDICATORS)
