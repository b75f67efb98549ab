"""Every read of the practices app, scoped to the user through `units.access.visible`.

Models and exemplars by field, level, year, status, kind, unit and name; one model's whole history
(events, evaluations with their scores, recognitions, files, the model it replicates and its
replicas); the unit that reviews a model at a level on a date; and the criteria sets, which are
published reference data (every user with a role reads them, like the unit tree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from danvan.core.errors import NotFound
from danvan.core.files import record_files_of
from danvan.core.models import RecordFile
from danvan.core.text import filter_folded
from danvan.units import access
from danvan.units.models import Unit, UnitLevel, subtree_q, valid_on_q

from .models import (
    RECOGNITION_LEVELS,
    CriteriaSet,
    Criterion,
    Evaluation,
    PracticeEvent,
    PracticeModel,
    Recognition,
    Score,
)

# The order of the recognition levels, lowest first.
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(RECOGNITION_LEVELS, start=1)}


def board_unit_for(unit: Unit, level: str, on: date) -> Unit | None:
    """The unit of `level` at or above `unit` (its ancestors and itself) valid on `on`: the unit
    whose steering committee reviews and recognises a model of `unit` at that level."""
    ids = [*unit.ancestor_ids(), unit.pk]
    return Unit.objects.filter(pk__in=ids, level=level).filter(valid_on_q(on)).order_by("-depth").first()


def submitted_on(model: PracticeModel) -> date | None:
    """The day the model was last put up for review."""
    event = PracticeEvent.objects.filter(model=model, action="submit").order_by("-on", "-pk").first()
    return event.on if event is not None else None


def practice_list_for(
    user,
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    year: int | None = None,
    status: str = "",
    kind: str = "",
    unit: Unit | None = None,
) -> QuerySet[PracticeModel]:
    """Models and exemplars the user may see, newest registration first. `unit` takes the unit and
    every unit below it; `q` matches words of the name without diacritics or case."""
    rows = access.visible(user, PracticeModel).select_related("unit")
    if field:
        rows = rows.filter(field=field)
    if level == "none":
        rows = rows.filter(level="")
    elif level:
        rows = rows.filter(level=level)
    if year:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    rows = filter_folded(rows, "name_folded", q)
    return rows.order_by("-registered_on", "-pk")


def practice_get_for(user, practice_id: int) -> PracticeModel:
    model = (
        access.visible(user, PracticeModel)
        .select_related("unit", "replicated_from", "replicated_from__unit", "created_by")
        .filter(pk=practice_id)
        .first()
    )
    if model is None:
        raise NotFound()
    return model


@dataclass
class History:
    """Everything that happened to a model, for its page and the API."""

    events: list[PracticeEvent] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)
    files: list[RecordFile] = field(default_factory=list)
    source: PracticeModel | None = None  # the model it replicates, if the user may see it
    source_hidden: bool = False  # it replicates a model outside the user's scope
    replicas: list[PracticeModel] = field(default_factory=list)


def practice_history_for(user, model: PracticeModel) -> History:
    """The model's history as the user may see it (the model itself is already in scope)."""
    history = History()
    history.events = list(
        PracticeEvent.objects.filter(model=model).select_related("actor").order_by("on", "pk")
    )
    history.evaluations = list(
        Evaluation.objects.filter(model=model)
        .select_related("board_unit", "criteria_set", "created_by")
        .prefetch_related(
            Prefetch(
                "scores", queryset=Score.objects.select_related("criterion").order_by("criterion__position")
            )
        )
        .order_by("reviewed_on", "pk")
    )
    history.recognitions = list(
        Recognition.objects.filter(model=model).select_related("board_unit").order_by("decided_on", "pk")
    )
    history.files = list(record_files_of(model))
    if model.replicated_from_id:
        history.source = access.visible(user, PracticeModel).filter(pk=model.replicated_from_id).first()
        history.source_hidden = history.source is None
    history.replicas = list(
        access.visible(user, PracticeModel)
        .filter(replicated_from=model)
        .select_related("unit")
        .order_by("registered_on", "pk")
    )
    return history


def replicas_elsewhere(user, model: PracticeModel) -> int:
    """How many replicas of the model lie outside the user's scope (counted, not shown)."""
    seen = access.visible(user, PracticeModel).filter(replicated_from=model).count()
    return PracticeModel.objects.filter(replicated_from=model).count() - seen


# ---- units for the forms ------------------------------------------------------------------------


def units_for(user, action: str, *, limit: int) -> tuple[list[Unit], bool]:
    """Units where `user` may do `action`, in tree order, for a select; and whether the list was
    cut at `limit` (then the unit's code is typed)."""
    units = list(access.visible(user, Unit, action).order_by("path")[: limit + 1])
    return units[:limit], len(units) > limit


def unit_for_filter(user, unit_id: int) -> Unit:
    """A unit to filter a list by (reference data: any unit of the tree); NotFound if none."""
    unit = access.visible(user, Unit, "unit.view").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def provinces_for(user, action: str) -> list[Unit]:
    """Province-level units where `user` may do `action` (for a province's criteria sets)."""
    return list(
        access.visible(user, Unit, action).filter(level=UnitLevel.PROVINCE).order_by("name", "valid_from")
    )


# ---- criteria sets ------------------------------------------------------------------------------


def criteria_set_list_for(user) -> list[CriteriaSet]:
    """The national default sets first, then each province's, each with its criteria. Criteria
    are published guidelines: anyone with a role reads every set (nothing is read without one)."""
    if not access.has_any_role(user):
        return []
    rows = (
        CriteriaSet.objects.select_related("unit")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .order_by("unit__name", "unit_id", "applies", "first_year", "pk")
    )
    sets = list(rows)
    return [s for s in sets if s.unit_id is None] + [s for s in sets if s.unit_id is not None]


def criteria_set_get(criteria_set_id: int) -> CriteriaSet:
    found = (
        CriteriaSet.objects.select_related("unit")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .filter(pk=criteria_set_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


# ---- exports ------------------------------------------------------------------------------------


def models_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[PracticeModel]:
    """The models the user sees of `unit` or a unit below it registered in [first, last], with
    their recognitions (lowest level first) fetched in one more query."""
    return (
        access.visible(user, PracticeModel)
        .filter(subtree_q(unit.path, "unit_path"), registered_on__gte=first, registered_on__lte=last)
        .select_related("unit")
        .prefetch_related(Prefetch("recognitions", queryset=Recognition.objects.order_by("decided_on", "pk")))
        .order_by("registered_on", "pk")
    )
