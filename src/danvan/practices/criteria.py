"""Which criteria set a review board scores a model against (legal-rules.md §6: the criteria and the
standards per level differ by province and period, so they are data).

The set in force for a model on a review date is the set of the model's province (the ancestor of
province level of the model's unit, or the unit itself) whose years cover the year of the review
and which is for the model's kind of subject (collectives: models and collective exemplars;
individuals: individual exemplars). A province that has configured none for that year falls back
on the national default (a set with no unit), seeded from `practices/data/criteria.json`. When two
sets qualify, the one that started latest wins.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from danvan.units.models import Unit, UnitLevel

from .models import CriteriaSet, PracticeModel


def province_of(unit: Unit) -> Unit | None:
    """The province-level unit at or above `unit` (read from its path), or None."""
    ids = [*unit.ancestor_ids(), unit.pk]
    if unit.level == UnitLevel.PROVINCE:
        return unit
    return Unit.objects.filter(pk__in=ids, level=UnitLevel.PROVINCE).order_by("-depth").first()


def _covering(year: int) -> Q:
    return Q(first_year__lte=year) & (Q(last_year__isnull=True) | Q(last_year__gte=year))


def criteria_set_for(model: PracticeModel, on: date) -> CriteriaSet | None:
    """The criteria set in force for `model` on `on` (the review date): its province's, else the
    national default; None when neither covers the year."""
    wanted = _covering(on.year) & Q(applies=model.applies)
    province = province_of(model.unit)
    if province is not None:
        found = CriteriaSet.objects.filter(wanted, unit=province).order_by("-first_year", "-pk").first()
        if found is not None:
            return found
    return CriteriaSet.objects.filter(wanted, unit__isnull=True).order_by("-first_year", "-pk").first()


def overlapping_sets(*, unit_id: int, applies: str, first_year: int, last_year: int | None):
    """The sets of the same province and kind whose years meet [first_year, last_year]."""
    rows = CriteriaSet.objects.filter(unit_id=unit_id, applies=applies).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=first_year)
    )
    if last_year is not None:
        rows = rows.filter(first_year__lte=last_year)
    return rows.order_by("first_year", "pk")
