"""Every read of emulation and commendation, scoped to the user through `units.access.visible`.

Movements and commendations are found by the unit they belong to (a commendation by its
recipient's unit); a record outside the user's scope is "not found", exactly like a missing one.
Also here: which unit of a commendation's level existed above its recipient on a date (the level
a decision may be taken at), and the rows of a ceremony list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet

from danvan.core.errors import NotFound
from danvan.core.text import filter_folded
from danvan.outreach.models import Activity, Resolution
from danvan.practices.models import PracticeModel
from danvan.units import access
from danvan.units.models import Succession, Unit, UnitLevel, subtree_q, valid_on_q

from .models import (
    Commendation,
    CommendationEvent,
    CommendationForm,
    CommendationStatus,
    Movement,
    Recipient,
)

# How many generations of successions are followed to find today's unit of a past one.
SUCCESSION_DEPTH = 6
CHOICE_LIMIT = 300  # options of a select of movements, models or activities


# ---- movements ----------------------------------------------------------------------------------


def movement_list_for(
    user,
    *,
    unit_id: int | None = None,
    q: str = "",
    year: int | None = None,
    resolution_id: int | None = None,
) -> QuerySet[Movement]:
    """Movements the user can see, newest first; `unit_id` takes the unit and every unit below it;
    `year` keeps the movements running during that year."""
    rows = access.visible(user, Movement).select_related("unit", "resolution")
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        rows = rows.filter(subtree_q(unit.path, "unit_path")) if unit else rows.none()
    if year:
        rows = rows.filter(starts_on__lte=date(year, 12, 31)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1))
        )
    if resolution_id:
        rows = rows.filter(resolution_id=resolution_id)
    rows = filter_folded(rows, "name_folded", q)
    return rows.order_by("-starts_on", "-pk")


def movement_get_for(user, movement_id: int) -> Movement:
    found = access.visible(user, Movement).select_related("unit", "resolution").filter(pk=movement_id).first()
    if found is None:
        raise NotFound()
    return found


# ---- commendations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommendationFilter:
    status: str = ""
    level: str = ""
    form: str = ""
    recipient: str = ""
    year: int | None = None  # of the decision
    movement_id: int | None = None
    decision_number: str = ""
    decided_on: date | None = None
    unit_id: int | None = None  # the unit and every unit below it
    q: str = ""  # words of the recipient's name (case and diacritics ignored)


def commendation_list_for(user, filters: CommendationFilter | None = None) -> QuerySet[Commendation]:
    """Commendations the user can see: those without a decision (proposals, newest first), then
    the decided ones, the latest decision first."""
    f = filters or CommendationFilter()
    rows = access.visible(user, Commendation).select_related("unit", "movement")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.level:
        rows = rows.filter(level=f.level)
    if f.form:
        rows = rows.filter(form=f.form)
    if f.recipient:
        rows = rows.filter(recipient=f.recipient)
    if f.year:
        rows = rows.filter(decided_on__gte=date(f.year, 1, 1), decided_on__lte=date(f.year, 12, 31))
    if f.movement_id:
        rows = rows.filter(movement_id=f.movement_id)
    if f.decision_number:
        rows = rows.filter(decision_number=f.decision_number.strip())
    if f.decided_on:
        rows = rows.filter(decided_on=f.decided_on)
    if f.unit_id is not None:
        unit = Unit.objects.filter(pk=f.unit_id).first()
        rows = rows.filter(subtree_q(unit.path, "unit_path")) if unit else rows.none()
    rows = filter_folded(rows, "recipient_folded", f.q)
    return rows.order_by(F("decided_on").desc(nulls_first=True), "-created_at", "-pk")


def commendation_get_for(user, commendation_id: int) -> Commendation:
    found = (
        access.visible(user, Commendation)
        .select_related("unit", "issuer_unit", "movement", "practice", "activity", "created_by")
        .filter(pk=commendation_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def commendation_events(commendation: Commendation) -> QuerySet[CommendationEvent]:
    """The commendation's history, oldest first. The caller has already found it in scope."""
    return commendation.events.select_related("actor").order_by("at", "pk")


def commendations_of_movement(user, movement: Movement) -> QuerySet[Commendation]:
    return commendation_list_for(user, CommendationFilter(movement_id=movement.pk))


# ---- what a commendation may reward --------------------------------------------------------------


def movement_choices_for(user) -> list[Movement]:
    return list(access.visible(user, Movement).order_by("-starts_on", "-pk")[:CHOICE_LIMIT])


def practice_choices_for(user) -> list[PracticeModel]:
    return list(access.visible(user, PracticeModel).order_by("-registered_on", "-pk")[:CHOICE_LIMIT])


def activity_choices_for(user) -> list[Activity]:
    return list(access.visible(user, Activity).order_by("-ends_on", "-pk")[:CHOICE_LIMIT])


def resolution_choices() -> list[Resolution]:
    """The framework documents a movement may carry out (reference data, the same for everyone)."""
    return list(Resolution.objects.filter(active=True).order_by("-issued_on", "number"))


# ---- the level of a decision --------------------------------------------------------------------


def _chain_ids(units: list[Unit]) -> set[int]:
    ids: set[int] = set()
    for unit in units:
        ids.update(unit.ancestor_ids())
        ids.add(unit.pk)
    return ids


def level_units_on(unit: Unit, level: str, day: date) -> list[Unit]:
    """The units of `level` valid on `day` at or above `unit` (the country level: the root of the
    tree). A unit that had ended by then is followed to its successors (a commune merged into a new
    one on 1 July 2025 is decided on by the new commune's level and above); a level that no longer
    existed (the district after 30 June 2025) has no unit."""
    units = [unit]
    seen = {unit.pk}
    frontier = {unit.pk}
    for _generation in range(SUCCESSION_DEPTH):
        if not frontier:
            break
        successors = list(
            Unit.objects.filter(
                pk__in=Succession.objects.filter(predecessor_id__in=frontier).values("successor_id")
            ).exclude(pk__in=seen)
        )
        frontier = {s.pk for s in successors}
        seen |= frontier
        units.extend(successors)
    candidates = Unit.objects.filter(pk__in=_chain_ids(units)).filter(valid_on_q(day))
    if level == UnitLevel.COUNTRY:
        candidates = candidates.filter(parent__isnull=True)
    else:
        candidates = candidates.filter(level=level)
    return list(candidates.order_by("-depth", "path"))


def area_of(unit: Unit) -> Unit:
    """The unit itself if it is an area, else the nearest area above it (an agency's province)."""
    if unit.level != UnitLevel.AGENCY:
        return unit
    ancestors = Unit.objects.in_bulk(unit.ancestor_ids())
    for pk in reversed(unit.ancestor_ids()):
        found = ancestors.get(pk)
        if found is not None and found.level != UnitLevel.AGENCY:
            return found
    return unit


def decision_unit(commendation: Commendation) -> Unit | None:
    """The unit whose level decided the commendation: its issuing unit's area when one is named,
    else the nearest unit of its level above the recipient on the decision date."""
    if commendation.issuer_unit is not None:
        return area_of(commendation.issuer_unit)
    if commendation.decided_on is None:
        return None
    found = level_units_on(commendation.unit, commendation.level, commendation.decided_on)
    return found[0] if found else None


# ---- the ceremony list --------------------------------------------------------------------------


@dataclass
class CeremonyGroup:
    recipient: str  # Recipient value
    rows: list[Commendation] = field(default_factory=list)


@dataclass
class Ceremony:
    collectives: CeremonyGroup
    individuals: CeremonyGroup

    @property
    def count(self) -> int:
        return len(self.collectives.rows) + len(self.individuals.rows)


CEREMONY_LIMIT = 2000
# The highest honours are read out first.
LEVEL_RANK = {UnitLevel.COUNTRY: 0, UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}
FORM_RANK = {value: position for position, value in enumerate(CommendationForm.values)}


def ceremony_for(
    user,
    *,
    decision_number: str = "",
    decided_on: date | None = None,
    unit_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    level: str = "",
) -> Ceremony:
    """The decided commendations of one decision (its number and date) or of a filter (a unit and
    those below it, a period of decision dates, a level): collectives first, then individuals,
    each in the order of the form, then of the name."""
    rows = access.visible(user, Commendation).filter(status=CommendationStatus.DECIDED)
    if decision_number:
        rows = rows.filter(decision_number=decision_number.strip())
    if decided_on:
        rows = rows.filter(decided_on=decided_on)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        rows = rows.filter(subtree_q(unit.path, "unit_path")) if unit else rows.none()
    if first:
        rows = rows.filter(decided_on__gte=first)
    if last:
        rows = rows.filter(decided_on__lte=last)
    if level:
        rows = rows.filter(level=level)
    found = list(rows.select_related("unit").order_by("recipient_folded", "pk")[:CEREMONY_LIMIT])
    found.sort(
        key=lambda r: (LEVEL_RANK.get(r.level, 9), FORM_RANK.get(r.form, 99), r.recipient_folded, r.pk)
    )
    return Ceremony(
        CeremonyGroup(Recipient.COLLECTIVE, [r for r in found if r.recipient == Recipient.COLLECTIVE]),
        CeremonyGroup(Recipient.INDIVIDUAL, [r for r in found if r.recipient == Recipient.INDIVIDUAL]),
    )


# ---- exports ------------------------------------------------------------------------------------


def movements_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[Movement]:
    """The movements the user sees launched by `unit` or a unit below it, starting in [first, last]."""
    return (
        access.visible(user, Movement)
        .filter(subtree_q(unit.path, "unit_path"), starts_on__gte=first, starts_on__lte=last)
        .select_related("unit", "resolution")
        .order_by("starts_on", "pk")
    )


def commendations_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[Commendation]:
    """The decided commendations the user sees of recipients of `unit` or a unit below it, decided
    in [first, last] (proposals, those not approved and those revoked are not exported)."""
    return (
        access.visible(user, Commendation)
        .filter(
            subtree_q(unit.path, "unit_path"),
            status=CommendationStatus.DECIDED,
            decided_on__gte=first,
            decided_on__lte=last,
        )
        .select_related("unit", "issuer_unit", "movement")
        .order_by("decided_on", "pk")
    )
