"""Every write of the practices app: registering a model or an exemplar of the "Dân vận khéo"
movement, editing its details, each step of its lifecycle (`lifecycle.TRANSITIONS`), its evidence,
replicating a recognised model elsewhere, and a province's criteria sets (legal-rules.md §6).

One function per intention, keyword-only, one transaction each: load the record in the actor's
scope (a record out of scope is "not found"), check the role, the lifecycle table and every input
(all problems at once, nothing written on bad input), write, add the event row that makes the
model's history, and record the audit entry. `today` is a parameter, never read here.

Who decides: the steering committee of the level's unit (commune, district until 30/06/2025,
province) reviews and recognises; the actor scoring, recognising or refusing must hold
"practice.recognise" on that unit, so a commune officer cannot recognise at province level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db import transaction
from django.db.models import Min
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danvan.core import audit
from danvan.core.errors import (
    DomainError,
    FieldErrors,
    NotFound,
    PermissionDenied,
    check_version,
    field_error,
)
from danvan.core.files import record_file_add
from danvan.core.records import changed_since_import
from danvan.core.text import fold, normalize
from danvan.core.uploads import check_upload
from danvan.units import access
from danvan.units.models import Unit, UnitLevel, valid_on_q

from . import criteria
from .lifecycle import MANAGE, RECOGNISE, REGISTER, TRANSITIONS, Transition, target_of
from .models import (
    RECOGNITION_LEVELS,
    Applies,
    CriteriaSet,
    Criterion,
    Evaluation,
    PracticeEvent,
    PracticeField,
    PracticeKind,
    PracticeModel,
    PracticeStatus,
    Recognition,
    Score,
)
from .selectors import LEVEL_RANK, board_unit_for, submitted_on

T = TypeVar("T")

# The district level ceased on 1 July 2025 (legal-rules.md §7; NQ 202/2025/QH15).
DISTRICT_LEVEL_LAST_DAY = date(2025, 6, 30)
EVIDENCE = "evidence"
MAX_CRITERIA = 20
MAX_POINTS = 1000

# "commune-level", as in "There was no commune-level unit above …".
LEVEL_WORDS: dict[str, str | Promise] = {
    UnitLevel.COMMUNE: _("commune-level"),
    UnitLevel.DISTRICT: _("district-level"),
    UnitLevel.PROVINCE: _("province-level"),
}
FIELD_REQUIRED = _("A model must belong to one of the four fields of the movement.")


def _given(value: T | None) -> T:
    """A value the checks before it guarantee (for the type checker)."""
    if value is None:
        raise DomainError()
    return value


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


# ---- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeDetails:
    """What a unit says about its model when it registers it (and may correct later)."""

    kind: str
    name: str
    field: str
    registered_on: date | None
    address: str = ""
    carried_out_by: str = ""
    aims: str = ""
    expected_results: str = ""


@dataclass(frozen=True)
class PracticeInput(PracticeDetails):
    unit_id: int | None = None


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class CriterionInput:
    text: str
    max_points: int | None


@dataclass(frozen=True)
class CriteriaSetInput:
    unit_id: int | None
    name: str
    applies: str
    first_year: int | None
    last_year: int | None
    pass_mark: int | None
    criteria: Sequence[CriterionInput]
    source: str = ""


# ---- shared checks ------------------------------------------------------------------------------


def _unit(actor, unit_id, action: str) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first() if isinstance(unit_id, int) else None
    if unit is None:
        raise field_error("unit_not_found", "unit", _("Choose the unit."))
    if not access.can(actor, action, unit):
        # Units are reference data: saying which one is refused tells nothing hidden.
        message = _("You do not manage models in %(unit)s: choose one of your units.")
        raise PermissionDenied(None, message, fields={"unit": message}, unit=unit.name)
    return unit


def _load(actor, practice_id) -> PracticeModel:
    """The model, locked for the step, if the actor may see it; else NotFound."""
    found = (
        access.visible(actor, PracticeModel).select_for_update().filter(pk=practice_id).first()
        if isinstance(practice_id, int)
        else None
    )
    if found is None:
        raise NotFound()
    return found


def step_allowed(model: PracticeModel, action: str) -> Transition:
    """The transition `action`, if the lifecycle table allows it from the model's status; else the
    DomainError that says so (pages show it too, before drawing a step's form)."""
    transition = TRANSITIONS[action]
    if model.status not in transition.sources:
        raise DomainError(
            "practice_step_not_allowed",
            _("“%(action)s” is not possible for a model that is “%(status)s”."),
            action=transition.label,
            status=model.get_status_display(),
        )
    return transition


def _check_day(errors: FieldErrors, name: str, day: date | None, *, after: date | None, today: date) -> None:
    """A step's date: given, not after today, not before `after` (registration, review…)."""
    if day is None:
        errors.add(name, _("Enter the date."))
    elif day > today:
        errors.add(name, _("The date cannot be after today."))
    elif after is not None and day < after:
        errors.add(name, str(_("The date cannot be before %(day)s.")) % {"day": _day(after)})


def _note(errors: FieldErrors, note: str, message) -> str:
    text = normalize(note)
    if not text:
        errors.add("note", message)
    return text


def _no_level_error(unit: Unit, level: str, on: date) -> DomainError:
    """There is no unit of `level` at or above `unit` on `on`: say which level, unit and date, and
    that the district level ended when that is the reason."""
    if level == UnitLevel.DISTRICT and on > DISTRICT_LEVEL_LAST_DAY:
        message = _(
            "There was no district-level unit above %(unit)s on %(day)s "
            "(the district level ended on 30/06/2025)."
        )
    else:
        message = _("There was no %(level)s unit above %(unit)s on %(day)s.")
    return field_error(
        "practice_level_missing",
        "level",
        message,
        level=LEVEL_WORDS.get(level, level),
        unit=unit.name,
        day=_day(on),
    )


def _board(model: PracticeModel, level: str, on: date) -> Unit:
    board = board_unit_for(model.unit, level, on)
    if board is None:
        raise _no_level_error(model.unit, level, on)
    return board


def _event(
    model: PracticeModel,
    transition: Transition,
    *,
    actor,
    on: date,
    before: str,
    note: str = "",
    level: str = "",
) -> PracticeEvent:
    return PracticeEvent.objects.create(
        model=model,
        action=transition.action,
        from_status=before,
        to_status=model.status,
        on=on,
        note=note,
        level=level,
        actor=actor,
    )


def _move(model: PracticeModel, transition: Transition) -> str:
    """Apply the transition's target (if any) to the model; return the status it had."""
    before = model.status
    target = target_of(transition, recognised_level=model.level)
    if target is not None:
        model.status = target
    return before


def _audit(actor, action: str, model: PracticeModel, before: dict | None) -> None:
    audit.record(
        actor=actor,
        action=f"practices.{action}",
        obj=model,
        unit=model.unit,
        before=before,
        after=audit.snapshot(model),
    )


def _check_files(errors: FieldErrors, files: Sequence[EvidenceFile]) -> None:
    """Every file checked by content before anything is written (the message names the file)."""
    problems = []
    for item in files:
        try:
            check_upload(item.name, item.data, field="files")
        except DomainError as exc:
            problems.append(exc.message)
    if problems:
        errors.add("files", " ".join(problems))


def _add_files(actor, model: PracticeModel, files: Sequence[EvidenceFile]) -> None:
    for item in files:
        record_file_add(
            actor=actor, record=model, unit=model.unit, role=EVIDENCE, name=item.name, data=item.data
        )


# ---- registration and details -------------------------------------------------------------------


def _check_details(errors: FieldErrors, data: PracticeDetails, *, unit: Unit | None, today: date) -> dict:
    """The details normalised, every problem added to `errors`."""
    if data.kind not in PracticeKind.values:
        errors.add("kind", _("Choose whether it is a model or an exemplar (collective or individual)."))
    name = normalize(data.name)
    if not name:
        errors.add("name", _("Enter the name of the model or exemplar."))
    elif len(name) > 300:
        errors.add("name", _("The name is longer than 300 characters."))
    if data.field not in PracticeField.values:
        errors.add("field", FIELD_REQUIRED)
    day = data.registered_on
    if day is None:
        errors.add("registered_on", _("Enter the date of registration."))
    elif day > today:
        errors.add("registered_on", _("The date of registration cannot be after today."))
    elif unit is not None and not Unit.objects.filter(pk=unit.pk).filter(valid_on_q(day)).exists():
        errors.add(
            "registered_on",
            str(_("%(unit)s did not exist on %(day)s.")) % {"unit": unit.name, "day": _day(day)},
        )
    address = normalize(data.address)
    if len(address) > 300:
        errors.add("address", _("The address is longer than 300 characters."))
    carried_out_by = normalize(data.carried_out_by)
    if not carried_out_by:
        errors.add("carried_out_by", _("Say who carries it out: the people and the units."))
    aims = normalize(data.aims)
    if not aims:
        errors.add("aims", _("Enter the aims."))
    return {
        "kind": data.kind,
        "name": name,
        "name_folded": fold(name)[:300],
        "field": data.field,
        "address": address[:300],
        "carried_out_by": carried_out_by,
        "aims": aims,
        "expected_results": normalize(data.expected_results),
    }


def _create(
    actor, unit: Unit, values: dict, registered_on: date, source: PracticeModel | None
) -> PracticeModel:
    model = PracticeModel.objects.create(
        unit=unit,
        unit_path=unit.path,
        registered_on=registered_on,
        year=registered_on.year,
        replicated_from=source,
        created_by=actor,
        status=PracticeStatus.REGISTERED,
        **values,
    )
    _event(model, REGISTER, actor=actor, on=registered_on, before="")
    return model


@transaction.atomic
def practice_register(*, actor, data: PracticeInput, today: date) -> PracticeModel:
    """A unit registers a model or an exemplar with the body that launched the movement, in one of
    its four fields (legal-rules.md §6)."""
    unit = _unit(actor, data.unit_id, MANAGE)
    errors = FieldErrors("practice_invalid")
    values = _check_details(errors, data, unit=unit, today=today)
    errors.raise_if_any()
    model = _create(actor, unit, values, _given(data.registered_on), None)
    _audit(actor, "register", model, None)
    return model


EDITABLE = (PracticeStatus.REGISTERED, PracticeStatus.CARRYING_OUT)


@transaction.atomic
def practice_update(
    *, actor, practice_id: int, version: int, data: PracticeDetails, today: date
) -> PracticeModel:
    """Correct the details while the model is registered or being carried out, at the version the
    officer read. The date of registration may change only before any progress is reported."""
    model = _load(actor, practice_id)
    access.require(actor, MANAGE, model.unit)
    check_version(model, version)
    if model.status not in EDITABLE:
        raise DomainError(
            "practice_not_editable",
            _("The details can be changed only while the model is registered or being carried out."),
        )
    errors = FieldErrors("practice_invalid")
    values = _check_details(errors, data, unit=model.unit, today=today)
    day = data.registered_on
    moved = day is not None and day != model.registered_on
    if moved and model.status != PracticeStatus.REGISTERED:
        errors.add(
            "registered_on", _("The date of registration cannot change once progress has been reported.")
        )
    elif moved and day is not None and model.replicated_from_id:
        _check_replica_day(errors, model.replicated_from_id, day)
    errors.raise_if_any()
    before = audit.snapshot(model)
    for name, value in values.items():
        setattr(model, name, value)
    if moved and day is not None:
        model.registered_on, model.year = day, day.year
        PracticeEvent.objects.filter(model=model, action=REGISTER.action).update(on=day)
    model.version += 1
    model.save()
    _audit(actor, "update", model, before)
    return model


# ---- progress and evidence ----------------------------------------------------------------------


@transaction.atomic
def practice_report(
    *,
    actor,
    practice_id: int,
    on: date | None,
    note: str,
    files: Sequence[EvidenceFile] = (),
    version: int | None = None,
    today: date,
) -> PracticeModel:
    """Progress and evidence during the year: "report" while registered or being carried out (the
    model is then being carried out), "report_recognised" once recognised (the status stays)."""
    model = _load(actor, practice_id)
    access.require(actor, MANAGE, model.unit)
    check_version(model, version)
    action = "report_recognised" if model.status in TRANSITIONS["report_recognised"].sources else "report"
    transition = step_allowed(model, action)
    errors = FieldErrors("practice_invalid")
    text = _note(errors, note, _("Say what was done and what came of it."))
    _check_day(errors, "on", on, after=model.registered_on, today=today)
    _check_files(errors, files)
    errors.raise_if_any()
    on = _given(on)
    before_row = audit.snapshot(model)
    before = _move(model, transition)
    if model.status != before:
        model.version += 1
    model.save()
    _event(model, transition, actor=actor, on=on, before=before, note=text)
    _add_files(actor, model, files)
    _audit(actor, transition.action, model, before_row)
    return model


@transaction.atomic
def practice_evidence_add(
    *, actor, practice_id: int, files: Sequence[EvidenceFile], on: date | None, today: date
) -> PracticeModel:
    """Keep evidence files with a model (photos, minutes, reports), at any time until it is
    withdrawn. The history records the upload with the file names."""
    model = _load(actor, practice_id)
    access.require(actor, MANAGE, model.unit)
    if model.status == PracticeStatus.WITHDRAWN:
        raise DomainError("practice_withdrawn", _("A withdrawn model takes no more evidence."))
    errors = FieldErrors("practice_invalid")
    if not files:
        errors.add("files", _("Choose at least one file."))
    _check_day(errors, "on", on, after=model.registered_on, today=today)
    _check_files(errors, files)
    errors.raise_if_any()
    on = _given(on)
    PracticeEvent.objects.create(
        model=model,
        action=EVIDENCE,
        from_status=model.status,
        to_status=model.status,
        on=on,
        note=", ".join(item.name for item in files)[:2000],
        actor=actor,
    )
    _add_files(actor, model, files)
    return model


# ---- review and recognition ---------------------------------------------------------------------


@transaction.atomic
def practice_submit(
    *,
    actor,
    practice_id: int,
    level: str,
    on: date | None,
    note: str = "",
    version: int | None = None,
    today: date,
) -> PracticeModel:
    """Put the model up for review at a level (commune, district, province). The level must exist
    above the model's unit on that day, and a model already recognised at that level or higher
    cannot be put up for it (a recognised model may go up to a higher level)."""
    model = _load(actor, practice_id)
    access.require(actor, MANAGE, model.unit)
    check_version(model, version)
    transition = step_allowed(model, "submit")
    errors = FieldErrors("practice_invalid")
    if level not in RECOGNITION_LEVELS:
        errors.add("level", _("Choose the level: commune, district or province."))
    _check_day(errors, "on", on, after=model.recognised_on or model.registered_on, today=today)
    errors.raise_if_any()
    on = _given(on)
    if model.level and LEVEL_RANK.get(model.level, 0) >= LEVEL_RANK[level]:
        raise field_error(
            "practice_already_recognised",
            "level",
            _("It is already recognised at %(recognised)s: it can be put up only for a higher level."),
            recognised=LEVEL_WORDS.get(model.level, model.level),
        )
    _board(model, level, on)
    before_row = audit.snapshot(model)
    before = _move(model, transition)
    model.review_level = level
    model.version += 1
    model.save()
    _event(model, transition, actor=actor, on=on, before=before, note=normalize(note), level=level)
    _audit(actor, transition.action, model, before_row)
    return model


def _scores(errors: FieldErrors, criteria_set: CriteriaSet, scores: Mapping[int, int | None]) -> list[tuple]:
    """(criterion, points) for every criterion of the set; a problem names the criterion."""
    rows = list(criteria_set.criteria.order_by("position"))
    out = []
    for criterion in rows:
        points = scores.get(criterion.pk)
        params = {"number": criterion.position, "text": criterion.text, "max": criterion.max_points}
        key = f"scores.{criterion.pk}"
        if points is None:
            errors.add(key, str(_("Criterion %(number)s “%(text)s”: give it a score.")) % params)
        elif not 0 <= points <= criterion.max_points:
            errors.add(key, str(_("Criterion %(number)s “%(text)s”: give 0 to %(max)s points.")) % params)
        else:
            out.append((criterion, points))
    unknown = set(scores) - {c.pk for c in rows}
    if unknown:
        errors.add(
            "scores",
            str(_("Some scores are for criteria that are not in the set “%(name)s”."))
            % {"name": criteria_set.name},
        )
    return out


@transaction.atomic
def practice_evaluate(
    *,
    actor,
    practice_id: int,
    reviewed_on: date | None,
    scores: Mapping[int, int | None],
    note: str = "",
    criteria_set_id: int | None = None,
    version: int | None = None,
    today: date,
) -> Evaluation:
    """The review board of the level scores the model against the criteria set in force
    (`criteria.criteria_set_for`): every criterion, 0 to its maximum; the total and whether it
    meets the pass mark are kept. `criteria_set_id`, when given, is the set the scorer saw: if
    another is in force on the review date, nothing is saved."""
    model = _load(actor, practice_id)
    check_version(model, version)
    transition = step_allowed(model, "evaluate")
    level = model.review_level
    errors = FieldErrors("practice_invalid")
    _check_day(errors, "reviewed_on", reviewed_on, after=submitted_on(model), today=today)
    errors.raise_if_any()
    reviewed_on = _given(reviewed_on)
    board = _board(model, level, reviewed_on)
    access.require(actor, RECOGNISE, board)
    criteria_set = criteria.criteria_set_for(model, reviewed_on)
    if criteria_set is None:
        raise field_error(
            "practice_no_criteria",
            "reviewed_on",
            _("No criteria set is in force for %(year)s: a province officer must add one first."),
            year=reviewed_on.year,
        )
    if criteria_set_id is not None and criteria_set_id != criteria_set.pk:
        raise field_error(
            "practice_criteria_changed",
            "reviewed_on",
            _("On %(day)s the criteria set in force is “%(set)s”: score the model against its criteria."),
            day=_day(reviewed_on),
            set=criteria_set.name,
        )
    scored = _scores(errors, criteria_set, scores)
    errors.raise_if_any()
    total = sum(points for _criterion, points in scored)
    evaluation = Evaluation.objects.create(
        model=model,
        level=level,
        board_unit=board,
        criteria_set=criteria_set,
        reviewed_on=reviewed_on,
        total=total,
        passed=total >= criteria_set.pass_mark,
        note=normalize(note),
        created_by=actor,
    )
    Score.objects.bulk_create(
        [Score(evaluation=evaluation, criterion=criterion, points=points) for criterion, points in scored]
    )
    before_row = audit.snapshot(model)
    model.version += 1
    model.save(update_fields=["version"])
    summary = f"{total}/{sum(c.max_points for c, _p in scored)}"
    _event(model, transition, actor=actor, on=reviewed_on, before=model.status, note=summary, level=level)
    audit.record(
        actor=actor,
        action="practices.evaluate",
        obj=model,
        unit=model.unit,
        before=before_row,
        after={
            **audit.snapshot(model),
            "evaluation": evaluation.pk,
            "total": total,
            "passed": evaluation.passed,
            "scores": {str(c.pk): p for c, p in scored},
        },
    )
    return evaluation


@transaction.atomic
def practice_recognise(
    *,
    actor,
    practice_id: int,
    decision_number: str,
    decided_on: date | None,
    version: int | None = None,
    today: date,
) -> Recognition:
    """The steering committee of the level recognises the model by a decision. Its latest scoring
    at that level, since it was put up, must meet the pass mark."""
    model = _load(actor, practice_id)
    check_version(model, version)
    transition = step_allowed(model, "recognise")
    level = model.review_level
    since = submitted_on(model)
    evaluation = (
        Evaluation.objects.filter(model=model, level=level)
        .select_related("board_unit", "criteria_set")
        .order_by("-reviewed_on", "-pk")
        .first()
    )
    if evaluation is not None and since is not None and evaluation.reviewed_on < since:
        evaluation = None
    if evaluation is None:
        board = _board(model, level, since or today)
        access.require(actor, RECOGNISE, board)
        raise DomainError(
            "practice_not_evaluated",
            _("It has not been scored against the criteria at this level since it was put up for review."),
        )
    access.require(actor, RECOGNISE, evaluation.board_unit)
    if not evaluation.passed:
        raise DomainError(
            "practice_not_passed",
            _("It scored %(total)s points; %(needed)s are needed."),
            total=evaluation.total,
            needed=evaluation.criteria_set.pass_mark,
        )
    errors = FieldErrors("practice_invalid")
    number = normalize(decision_number)
    if not number:
        errors.add("decision_number", _("Enter the number of the decision."))
    elif len(number) > 60:
        errors.add("decision_number", _("The decision number is longer than 60 characters."))
    _check_day(errors, "decided_on", decided_on, after=evaluation.reviewed_on, today=today)
    errors.raise_if_any()
    decided_on = _given(decided_on)
    recognition = Recognition.objects.create(
        model=model,
        evaluation=evaluation,
        level=level,
        board_unit=evaluation.board_unit,
        decision_number=number,
        decided_on=decided_on,
        unit_path=model.unit_path,
        field=model.field,
        kind=model.kind,
    )
    before_row = audit.snapshot(model)
    before = _move(model, transition)
    if LEVEL_RANK.get(level, 0) > LEVEL_RANK.get(model.level, 0):
        model.level = level
    model.recognised_on = decided_on
    model.review_level = ""
    model.version += 1
    model.save()
    _event(model, transition, actor=actor, on=decided_on, before=before, note=number, level=level)
    _audit(actor, transition.action, model, before_row)
    return recognition


@transaction.atomic
def practice_not_recognise(
    *, actor, practice_id: int, on: date | None, note: str, version: int | None = None, today: date
) -> PracticeModel:
    """The steering committee of the level does not recognise the model, saying why."""
    model = _load(actor, practice_id)
    check_version(model, version)
    transition = step_allowed(model, "not_recognise")
    level = model.review_level
    errors = FieldErrors("practice_invalid")
    text = _note(errors, note, _("Say why it is not recognised."))
    _check_day(errors, "on", on, after=submitted_on(model), today=today)
    if "on" in errors.fields:
        errors.raise_if_any()
    on = _given(on)
    access.require(actor, RECOGNISE, _board(model, level, on))
    errors.raise_if_any()
    before_row = audit.snapshot(model)
    before = _move(model, transition)
    model.review_level = ""
    model.version += 1
    model.save()
    _event(model, transition, actor=actor, on=on, before=before, note=text, level=level)
    _audit(actor, transition.action, model, before_row)
    return model


@transaction.atomic
def practice_withdraw(
    *, actor, practice_id: int, on: date | None, note: str, version: int | None = None, today: date
) -> PracticeModel:
    """The unit withdraws a model it no longer carries out (not once recognised)."""
    model = _load(actor, practice_id)
    access.require(actor, MANAGE, model.unit)
    check_version(model, version)
    transition = step_allowed(model, "withdraw")
    errors = FieldErrors("practice_invalid")
    text = _note(errors, note, _("Say why the model is withdrawn."))
    _check_day(errors, "on", on, after=model.registered_on, today=today)
    errors.raise_if_any()
    on = _given(on)
    before_row = audit.snapshot(model)
    before = _move(model, transition)
    model.version += 1
    model.save()
    _event(model, transition, actor=actor, on=on, before=before, note=text)
    _audit(actor, transition.action, model, before_row)
    return model


def _check_replica_day(errors: FieldErrors, source_id: int, day: date) -> None:
    """A replica is registered on or after its source's first recognition."""
    first = Recognition.objects.filter(model_id=source_id).aggregate(first=Min("decided_on"))["first"]
    if first is not None and day < first:
        errors.add(
            "registered_on",
            str(_("A model can be replicated only after it was recognised (on %(day)s)."))
            % {"day": _day(first)},
        )


@transaction.atomic
def practice_replicate(*, actor, source_id: int, data: PracticeInput, today: date) -> PracticeModel:
    """Replicate a recognised model elsewhere: a new model, registered in a unit where the actor
    manages models (however far from the source), linked to the source, whose history records the
    replication. The replica is registered on or after the source's first recognition."""
    source = _load(actor, source_id)
    transition = step_allowed(source, "replicate")
    unit = _unit(actor, data.unit_id, MANAGE)
    errors = FieldErrors("practice_invalid")
    values = _check_details(errors, data, unit=unit, today=today)
    if data.registered_on is not None and "registered_on" not in errors.fields:
        _check_replica_day(errors, source.pk, data.registered_on)
    errors.raise_if_any()
    registered_on = _given(data.registered_on)
    replica = _create(actor, unit, values, registered_on, source)
    _event(
        source,
        transition,
        actor=actor,
        on=registered_on,
        before=source.status,
        note=f"{replica.name} — {unit.name}"[:2000],
    )
    _audit(actor, "register", replica, None)
    audit.record(
        actor=actor,
        action="practices.replicate",
        obj=source,
        unit=source.unit,
        after={"replica": replica.pk, "unit": unit.pk},
    )
    return replica


# ---- criteria sets ------------------------------------------------------------------------------


@transaction.atomic
def criteria_set_save(*, actor, data: CriteriaSetInput, today: date) -> CriteriaSet:
    """A province's own criteria set for collectives or individuals over a run of years, with the
    points each criterion is worth and the points needed to be recognised. Sets of the same
    province and kind may not overlap in years: the set in force must be unambiguous."""
    errors = FieldErrors("criteria_set_invalid")
    unit = Unit.objects.filter(pk=data.unit_id).first() if isinstance(data.unit_id, int) else None
    if unit is None or unit.level != UnitLevel.PROVINCE:
        raise field_error("criteria_set_unit", "unit", _("Choose a province."))
    if not access.can(actor, RECOGNISE, unit):
        message = _("You do not recognise models for %(unit)s.")
        raise PermissionDenied(None, message, fields={"unit": message}, unit=unit.name)
    name = normalize(data.name)
    if not name:
        errors.add("name", _("Enter the name of the criteria set."))
    elif len(name) > 300:
        errors.add("name", _("The name is longer than 300 characters."))
    if data.applies not in Applies.values:
        errors.add("applies", _("Choose whether the set is for collectives or for individuals."))
    first_year, last_year = data.first_year, data.last_year
    if first_year is None:
        errors.add("first_year", _("Enter the first year the set applies to."))
    elif not 2000 <= first_year <= today.year + 5:
        errors.add("first_year", str(_("Enter a year from 2000 to %(year)s.")) % {"year": today.year + 5})
    if last_year is not None and first_year is not None and last_year < first_year:
        errors.add("last_year", _("The last year is before the first year."))
    rows = []
    for n, row in enumerate(data.criteria):
        text = normalize(row.text)
        if not text and row.max_points is None:
            continue  # an empty row
        if not text:
            errors.add(
                f"criteria.{n}.text", str(_("Criterion %(number)s: enter its text.")) % {"number": n + 1}
            )
        elif len(text) > 500:
            errors.add(
                f"criteria.{n}.text",
                str(_("Criterion %(number)s: the text is longer than 500 characters.")) % {"number": n + 1},
            )
        valid = row.max_points is not None and 1 <= row.max_points <= MAX_POINTS
        if not valid:
            errors.add(
                f"criteria.{n}.max_points",
                str(_("Criterion %(number)s: give its maximum points, 1 to %(max)s."))
                % {"number": n + 1, "max": MAX_POINTS},
            )
        rows.append((text, row.max_points if valid and row.max_points is not None else 0))
    if not rows:
        errors.add("criteria", _("Enter at least one criterion."))
    elif len(rows) > MAX_CRITERIA:
        errors.add("criteria", str(_("A set has at most %(max)s criteria.")) % {"max": MAX_CRITERIA})
    most = sum(points for _text, points in rows)
    if data.pass_mark is None or data.pass_mark < 1:
        errors.add("pass_mark", _("Enter the points needed to be recognised."))
    elif rows and data.pass_mark > most:
        errors.add(
            "pass_mark",
            str(_("The points needed (%(needed)s) are more than the criteria are worth together (%(most)s)."))
            % {"needed": data.pass_mark, "most": most},
        )
    if first_year is not None and "first_year" not in errors.fields and "last_year" not in errors.fields:
        other = criteria.overlapping_sets(
            unit_id=unit.pk, applies=data.applies, first_year=first_year, last_year=last_year
        ).first()
        if other is not None:
            years = f"{other.first_year}–{other.last_year or '…'}"
            errors.add(
                "first_year",
                str(
                    _(
                        "The years overlap those of “%(name)s” (%(years)s), a set of the same province "
                        "for the same subjects."
                    )
                )
                % {"name": other.name, "years": years},
            )
    errors.raise_if_any()
    first_year, pass_mark = _given(first_year), _given(data.pass_mark)
    criteria_set = CriteriaSet.objects.create(
        unit=unit,
        name=name,
        applies=data.applies,
        first_year=first_year,
        last_year=last_year,
        pass_mark=pass_mark,
        source=normalize(data.source)[:300],
    )
    Criterion.objects.bulk_create(
        [
            Criterion(criteria_set=criteria_set, position=n, text=text, max_points=points)
            for n, (text, points) in enumerate(rows, start=1)
        ]
    )
    audit.record(
        actor=actor,
        action="practices.criteria_set_create",
        obj=criteria_set,
        unit=unit,
        after={**audit.snapshot(criteria_set), "criteria": [[t, p] for t, p in rows]},
    )
    return criteria_set


# ---- spreadsheet imports ------------------------------------------------------------------------
# The record type of `records.py` checks each row, then hands the rows of a chunk here. A model
# comes in with the recognitions its register records (at most one a row; a model recognised at two
# levels is two rows with the same details). No audit event per row: the import batch is audited
# once and every model carries it. Rolling a batch back removes its models unless one changed since.

IMPORT_ROLLBACK_CHANGED = "import.rollback_changed"


@dataclass(frozen=True)
class RecognitionImport:
    level: str
    decision_number: str
    decided_on: date
    board: Unit  # the unit of the level at or above the model's unit on the decision date
    criteria_set: CriteriaSet  # the set in force then, which the review it stands on names


@dataclass(frozen=True)
class PracticeImport:
    """One imported model and the recognitions of its rows (none, one or several levels)."""

    unit: Unit
    values: dict  # kind, name, field, address, carried_out_by, aims, expected_results
    registered_on: date
    recognitions: tuple[RecognitionImport, ...] = ()


def practices_import(actor, rows: Sequence[PracticeImport], batch) -> int:
    """Create the models of checked rows with their history (the registration, and a recognition
    event for each recognition), their recognitions and the reviews these stand on, tagged with
    `batch`. A row for a model this batch created already (a second level) adds its recognition to
    it. Call inside the import's transaction. Returns how many models were created."""
    groups: dict[tuple, list[PracticeImport]] = {}
    for row in rows:
        name_folded = fold(normalize(row.values["name"]))[:300]
        groups.setdefault((row.unit.pk, name_folded, row.registered_on.year), []).append(row)
    earlier = {
        (m.unit_id, m.name_folded, m.year): m
        for m in PracticeModel.objects.filter(
            import_batch=batch, unit_id__in={key[0] for key in groups}, year__in={key[2] for key in groups}
        )
    }
    created: list[PracticeModel] = []
    models: dict[tuple, PracticeModel] = {}
    for key, group in groups.items():
        if key in earlier:
            models[key] = earlier[key]
            continue
        first = group[0]
        values = {name: normalize(value) for name, value in first.values.items()}
        model = PracticeModel(
            unit=first.unit,
            unit_path=first.unit.path,
            registered_on=first.registered_on,
            year=first.registered_on.year,
            name_folded=key[1],
            status=PracticeStatus.REGISTERED,
            created_by=actor,
            import_batch=batch,
            **values,
        )
        models[key] = model
        created.append(model)
    PracticeModel.objects.bulk_create(created, batch_size=1000)
    events = [
        PracticeEvent(
            model=m,
            action=REGISTER.action,
            to_status=PracticeStatus.REGISTERED,
            on=m.registered_on,
            actor=actor,
        )
        for m in created
    ]
    recognised = _import_recognitions(actor, groups, models, events)
    PracticeEvent.objects.bulk_create(events, batch_size=2000)
    PracticeModel.objects.bulk_update(recognised, ["status", "level", "recognised_on"], batch_size=1000)
    return len(created)


def _import_recognitions(actor, groups, models, events: list[PracticeEvent]) -> list[PracticeModel]:
    """Add the recognitions of the rows to their models, as `practice_recognise` makes them (the
    model's unit path, field and kind copied), without a review; append their history
    events to `events`. Returns the models whose status or level changed."""
    done = {(r.model_id, r.level) for r in Recognition.objects.filter(model__in=[m for m in models.values()])}
    pending: list[tuple[PracticeModel, RecognitionImport]] = []
    for key, group in groups.items():
        model = models[key]
        for row in group:
            for item in row.recognitions:
                if (model.pk, item.level) not in done:
                    done.add((model.pk, item.level))
                    pending.append((model, item))
    # A recognition from a register stands on no review held here: it carries no evaluation.
    Recognition.objects.bulk_create(
        [
            Recognition(
                model=model,
                evaluation=None,
                level=item.level,
                board_unit=item.board,
                decision_number=normalize(item.decision_number),
                decided_on=item.decided_on,
                unit_path=model.unit_path,
                field=model.field,
                kind=model.kind,
            )
            for model, item in pending
        ],
        batch_size=1000,
    )
    changed: dict[int, PracticeModel] = {}
    for model, item in sorted(pending, key=lambda pair: pair[1].decided_on):
        before = model.status
        model.status = PracticeStatus.RECOGNISED
        if LEVEL_RANK.get(item.level, 0) > LEVEL_RANK.get(model.level, 0):
            model.level = item.level
        model.recognised_on = item.decided_on
        events.append(
            PracticeEvent(
                model=model,
                action=TRANSITIONS["recognise"].action,
                from_status=before,
                to_status=model.status,
                on=item.decided_on,
                note=normalize(item.decision_number),
                level=item.level,
                actor=actor,
            )
        )
        changed[model.pk] = model
    return list(changed.values())


@transaction.atomic
def practices_rollback(actor, batch) -> int:
    """Remove the models `batch` created with their history, recognitions and reviews, or refuse
    (nothing removed) naming the first one changed since or one another record refers to (a replica,
    a commendation). Returns how many models were removed."""
    from django.db.models import ProtectedError

    rows = PracticeModel.objects.filter(import_batch=batch)
    changed = changed_since_import(PracticeModel, list(rows.values_list("pk", flat=True)))
    if changed is not None:
        raise DomainError(
            IMPORT_ROLLBACK_CHANGED,
            _("“%(record)s” was changed after the import (%(how)s): nothing was rolled back."),
            record=str(changed[0]),
            how=changed[1],
        )
    try:
        with transaction.atomic():
            # A recognition protects the review it stands on: it goes first.
            Recognition.objects.filter(model__import_batch=batch).delete()
            return rows.delete()[1].get(PracticeModel._meta.label, 0)
    except ProtectedError as error:
        raise DomainError(
            IMPORT_ROLLBACK_CHANGED,
            _("“%(other)s” refers to a record of this import: nothing was rolled back."),
            other=str(next(iter(error.protected_objects))),
        ) from None
