"""The figures of the "Dân vận khéo" movement for reports (legal-rules.md §6, "number of models and
exemplars by field and level — registered / recognised / replicated"):

- `practices.models`: models and exemplars registered in the period (by date of registration), of
  every kind, less those withdrawn; by field and kind.
- `practices.models_recognised`: models recognised in the period (by date of the decision), each
  counted once however many levels recognised it in the period; by field, level and kind. Counted
  from the recognitions, which carry their model's unit path, field and kind.
- `practices.models_replicated`: models registered in the period as replicas of a recognised model
  (withdrawn ones left out, so that they are a part of `practices.models`); by field and kind.

Every value is a count per unit that adds up over units (a model belongs to one unit).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, DimensionValue, Indicator, distinct, register
from danvan.units import access

from .models import (
    LEVEL_LABELS,
    RECOGNITION_LEVELS,
    PracticeField,
    PracticeKind,
    PracticeModel,
    PracticeStatus,
    Recognition,
)


def _models(user) -> QuerySet:
    return access.visible(user, PracticeModel)


def _recognitions(user) -> QuerySet:
    return access.visible(user, Recognition)


BY_FIELD = {choice.value: DimensionValue(choice.label, Q(field=choice.value)) for choice in PracticeField}
BY_KIND = {choice.value: DimensionValue(choice.label, Q(kind=choice.value)) for choice in PracticeKind}
BY_LEVEL = {str(level): DimensionValue(LEVEL_LABELS[level], Q(level=level)) for level in RECOGNITION_LEVELS}
NOT_WITHDRAWN = ~Q(status=PracticeStatus.WITHDRAWN)

INDICATORS = (
    Indicator(
        code="practices.models",
        label=_("Models and exemplars registered"),
        measure=COUNT,
        records=_models,
        date_field="registered_on",
        path_field="unit_path",
        where=NOT_WITHDRAWN,
        dimensions={"field": BY_FIELD, "kind": BY_KIND},
        description=_("Registered in the period, of every kind, less those withdrawn."),
    ),
    Indicator(
        code="practices.models_recognised",
        label=_("Models and exemplars recognised"),
        measure=COUNT,
        records=_recognitions,
        date_field="decided_on",
        path_field="unit_path",
        aggregates=distinct("model_id"),
        distinct_within_unit=True,  # a recognition is of one model, a model is one unit's
        dimensions={"field": BY_FIELD, "level": BY_LEVEL, "kind": BY_KIND},
        description=_("Recognised in the period at any level; a model recognised at two levels counts once."),
    ),
    Indicator(
        code="practices.models_replicated",
        label=_("Models replicated"),
        measure=COUNT,
        records=_models,
        date_field="registered_on",
        path_field="unit_path",
        where=NOT_WITHDRAWN & Q(replicated_from__isnull=False),
        dimensions={"field": BY_FIELD, "kind": BY_KIND},
        description=_("Registered in the period as replicas of a recognised model, less those withdrawn."),
    ),
)

register(*INDICATORS)
