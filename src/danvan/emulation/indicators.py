"""The figures of emulation and commendation for reports: movements launched (by their first day)
and collectives and individuals commended (by the date of the decision), by level and by form.

Only decided commendations count: a proposal is not yet a commendation, one not approved never
was, and a revoked one no longer is (Luật Thi đua, khen thưởng 2022 Art 92). A commendation counts
under its recipient's unit, so a unit's figures are what its units and people received.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, DimensionValue, Indicator, register
from danvan.units import access
from danvan.units.models import UnitLevel

from .models import Commendation, CommendationForm, CommendationStatus, Movement, Recipient

LEVELS = (UnitLevel.COUNTRY, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


def _commendations(user) -> QuerySet:
    return access.visible(user, Commendation)


def _movements(user) -> QuerySet:
    return access.visible(user, Movement)


BY = {
    "level": {level.value: DimensionValue(level.label, Q(level=level.value)) for level in LEVELS},
    "form": {form.value: DimensionValue(form.label, Q(form=form.value)) for form in CommendationForm},
}
DECIDED = Q(status=CommendationStatus.DECIDED)


def _commendation_indicator(code: str, label, recipient: str, description) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=COUNT,
        records=_commendations,
        date_field="decided_on",
        path_field="unit_path",
        where=DECIDED & Q(recipient=recipient),
        dimensions=BY,
        description=description,
    )


INDICATORS = (
    Indicator(
        code="emulation.movements",
        label=_("Emulation movements"),
        measure=COUNT,
        records=_movements,
        date_field="starts_on",
        path_field="unit_path",
        description=_("Emulation movements launched, by the day they start, under the launching unit."),
    ),
    _commendation_indicator(
        "emulation.commendations_collective",
        _("Collectives commended"),
        Recipient.COLLECTIVE,
        _("Commendations of collectives decided in the period (not those revoked), by decision date."),
    ),
    _commendation_indicator(
        "emulation.commendations_individual",
        _("Individuals commended"),
        Recipient.INDIVIDUAL,
        _("Commendations of individuals decided in the period (not those revoked), by decision date."),
    ),
)

register(*INDICATORS)
