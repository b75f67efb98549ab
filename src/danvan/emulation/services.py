"""Every write of emulation and commendation: movements, and commendations proposed, decided (one
by one or several under one decision), declined and revoked. One function per intention, each a
transaction that checks the role and the rules, writes, records the lifecycle event and the audit
entry (Luật Thi đua, khen thưởng 06/2022/QH15).

A commendation is proposed by the emulation board of its recipient's unit ("emulation.manage") and
decided by the leader ("emulation.decide"): the decision names its number, date and issuer, is
taken at a level that existed above the recipient on that date, and never before the work it
rewards. A decided commendation may be revoked when the merit was not true (Art 92).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core import audit
from danvan.core.errors import DomainError, FieldErrors, NotFound, check_version, field_error
from danvan.core.files import record_file_add
from danvan.core.models import RecordFile
from danvan.core.records import changed_since_import
from danvan.core.text import fold, normalize
from danvan.outreach.models import Activity, Resolution
from danvan.practices.models import PracticeModel
from danvan.units import access
from danvan.units.models import Unit, UnitLevel

from . import lifecycle, selectors
from .models import (
    FORM_LEVELS,
    Commendation,
    CommendationEvent,
    CommendationForm,
    CommendationStatus,
    Movement,
    Recipient,
)

MANAGE = lifecycle.MANAGE
DECIDE = lifecycle.DECIDE
S = CommendationStatus
INVALID = "emulation_invalid"
COMMENDATION_LEVELS = frozenset(FORM_LEVELS.values())
MOVEMENT_AUDIT = ["unit", "name", "starts_on", "ends_on", "resolution", "description"]
COMMENDATION_AUDIT = [
    "unit",
    "recipient",
    "group_name",
    "person_name",
    "person_position",
    "level",
    "form",
    "reason",
    "status",
    "decision_number",
    "decided_on",
    "issuer",
    "issuer_unit",
    "movement",
    "practice",
    "activity",
    "work_from",
    "work_to",
]
DECISION_FILE_ROLE = "decision"


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _paragraphs(text: str | None) -> str:
    """NFC, each line trimmed, the line breaks kept (a description, a reason)."""
    if not text:
        return ""
    lines = [normalize(line) for line in unicodedata.normalize("NFC", text).splitlines()]
    return "\n".join(lines).strip()


class _Errors(FieldErrors):
    """FieldErrors keeping every message of a field (a decision may be early for several reasons)."""

    def add(self, name: str, message: Any) -> None:
        current = self.fields.get(name)
        if current is None:
            self.fields[name] = message
        elif isinstance(current, list):
            current.append(message)
        else:
            self.fields[name] = [current, message]


def _check_length(errors: FieldErrors, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(name, _("At most %(limit)s characters.") % {"limit": limit})


def _unit(actor, unit_id: int | None, action: str, name: str = "unit") -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first() if isinstance(unit_id, int) else None
    if unit is None:
        raise field_error("unit_not_found", name, _("Choose the unit."))
    access.require(actor, action, unit)
    return unit


# ---- movements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MovementInput:
    name: str
    starts_on: date | None
    unit_id: int | None = None  # the launching unit; fixed once the movement exists
    ends_on: date | None = None
    resolution_id: int | None = None
    description: str = ""


def _movement_values(errors: FieldErrors, data: MovementInput, unit: Unit) -> dict:
    name = normalize(data.name)
    if not name:
        errors.add("name", _("Enter the name of the movement."))
    _check_length(errors, "name", name, 300)
    if data.starts_on is None:
        errors.add("starts_on", _("Enter the day the movement starts."))
    elif not unit.valid_on(data.starts_on):
        errors.add(
            "starts_on",
            _("%(unit)s did not exist on %(date)s.") % {"unit": unit.name, "date": _day(data.starts_on)},
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors.add("ends_on", _("The end date is before the start date."))
    resolution = None
    if data.resolution_id is not None:
        resolution = Resolution.objects.filter(pk=data.resolution_id).first()
        if resolution is None:
            errors.add("resolution", _("Choose a resolution from the list."))
    return {
        "name": name,
        "name_folded": fold(name)[:300],
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "resolution": resolution,
        "description": _paragraphs(data.description),
    }


@transaction.atomic
def movement_create(*, actor, data: MovementInput, today: date) -> Movement:
    """Launch an emulation movement of a unit (the actor keeps its emulation work there)."""
    unit = _unit(actor, data.unit_id, MANAGE)
    errors = FieldErrors(INVALID)
    values = _movement_values(errors, data, unit)
    errors.raise_if_any()
    movement = Movement(unit=unit, unit_path=unit.path, created_by=actor, **values)
    movement.save()
    audit.record(
        actor=actor,
        action="emulation.movement_create",
        obj=movement,
        unit=unit,
        after=audit.snapshot(movement, MOVEMENT_AUDIT),
    )
    return movement


@transaction.atomic
def movement_update(
    *, actor, movement_id: int, version: int | None, data: MovementInput, today: date
) -> Movement:
    """Change a movement, at the version the officer read. Its start may not move after the date
    of a decision that rewards it."""
    movement = access.visible(actor, Movement).select_for_update().filter(pk=movement_id).first()
    if movement is None:
        raise NotFound()
    access.require(actor, MANAGE, movement.unit)
    check_version(movement, version)
    errors = FieldErrors(INVALID)
    values = _movement_values(errors, data, movement.unit)
    if data.starts_on is not None and "starts_on" not in errors.fields:
        earlier = (
            Commendation.objects.filter(
                movement=movement, status__in=(S.DECIDED, S.REVOKED), decided_on__lt=data.starts_on
            )
            .order_by("decided_on")
            .first()
        )
        if earlier is not None and earlier.decided_on is not None:
            errors.add(
                "starts_on",
                _(
                    "A commendation for this movement was decided on %(decided)s, before %(date)s: "
                    "the movement cannot start after it."
                )
                % {"decided": _day(earlier.decided_on), "date": _day(data.starts_on)},
            )
    errors.raise_if_any()
    before = audit.snapshot(movement, MOVEMENT_AUDIT)
    for name, value in values.items():
        setattr(movement, name, value)
    movement.version += 1
    movement.save()
    audit.record(
        actor=actor,
        action="emulation.movement_update",
        obj=movement,
        unit=movement.unit,
        before=before,
        after=audit.snapshot(movement, MOVEMENT_AUDIT),
    )
    return movement


# ---- proposals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommendationInput:
    recipient: str
    unit_id: int | None
    level: str
    form: str
    reason: str
    group_name: str = ""
    person_name: str = ""
    person_position: str = ""
    movement_id: int | None = None
    practice_id: int | None = None
    activity_id: int | None = None
    work_from: date | None = None
    work_to: date | None = None


def _form_label(form: str) -> str:
    try:
        return str(CommendationForm(form).label)
    except ValueError:
        return form


def _level_label(level: str) -> str:
    try:
        return str(UnitLevel(level).label)
    except ValueError:
        return level


def _proposal_values(actor, errors: FieldErrors, data: CommendationInput, unit: Unit) -> dict:
    """The checked values of a proposal; every problem goes to `errors`."""
    values: dict[str, Any] = {}
    if data.recipient not in Recipient.values:
        errors.add("recipient", _("Say whether a collective or an individual is commended."))
    group_name = normalize(data.group_name)
    person_name = normalize(data.person_name)
    position = normalize(data.person_position)
    if data.recipient == Recipient.INDIVIDUAL:
        if not person_name:
            errors.add("person_name", _("Enter the full name of the person commended."))
        group_name = ""
    else:
        person_name = position = ""
    _check_length(errors, "group_name", group_name, 300)
    _check_length(errors, "person_name", person_name, 200)
    _check_length(errors, "person_position", position, 200)
    values.update(group_name=group_name, person_name=person_name, person_position=position)
    name = person_name if data.recipient == Recipient.INDIVIDUAL else (group_name or unit.name)
    values["recipient_folded"] = fold(name)[:300]

    level_ok = data.level in COMMENDATION_LEVELS
    form_ok = data.form in CommendationForm.values
    if not level_ok:
        errors.add("level", _("Choose a level from the list."))
    if not form_ok:
        errors.add("form", _("Choose a form of commendation from the list."))
    if level_ok and form_ok and FORM_LEVELS[data.form] != data.level:
        errors.add(
            "form",
            _("The form “%(form)s” is given at the level “%(form_level)s”, not at the level “%(level)s”.")
            % {
                "form": _form_label(data.form),
                "form_level": _level_label(FORM_LEVELS[data.form]),
                "level": _level_label(data.level),
            },
        )
    reason = _paragraphs(data.reason)
    if not reason:
        errors.add("reason", _("Enter the reason: the achievement the commendation rewards."))
    values.update(recipient=data.recipient, level=data.level, form=data.form, reason=reason)

    movement = practice = activity = None
    if data.movement_id is not None:
        movement = access.visible(actor, Movement).filter(pk=data.movement_id).first()
        if movement is None:
            errors.add("movement", _("Choose a movement you can see."))
    if data.practice_id is not None:
        practice = access.visible(actor, PracticeModel).filter(pk=data.practice_id).first()
        if practice is None:
            errors.add("practice", _("Choose a model you can see."))
    if data.activity_id is not None:
        activity = access.visible(actor, Activity).filter(pk=data.activity_id).first()
        if activity is None:
            errors.add("activity", _("Choose an activity you can see."))
    if (data.work_from is None) != (data.work_to is None):
        name = "work_to" if data.work_to is None else "work_from"
        errors.add(name, _("Give both the first and the last day of the period of work."))
    elif data.work_from and data.work_to and data.work_to < data.work_from:
        errors.add("work_to", _("The end of the period of work is before its start."))
    given = [data.movement_id, data.practice_id, data.activity_id, data.work_from, data.work_to]
    if all(value is None for value in given):
        errors.add(
            "rewards",
            _("Say what the commendation rewards: a movement, a model, an activity or a period of work."),
        )
    values.update(
        movement=movement,
        practice=practice,
        activity=activity,
        work_from=data.work_from,
        work_to=data.work_to,
    )
    return values


def _event(
    commendation: Commendation, *, action: str, source: str, target: str, on: date, actor, note=""
) -> None:
    CommendationEvent.objects.create(
        commendation=commendation,
        action=action,
        from_status=source,
        to_status=target,
        on=on,
        note=note,
        actor=actor,
    )


@transaction.atomic
def commendation_propose(*, actor, data: CommendationInput, today: date) -> Commendation:
    """Propose a collective (a unit, or a named group of it) or an individual for a commendation of
    a level and form, with the reason and what it rewards."""
    unit = _unit(actor, data.unit_id, MANAGE)
    errors = _Errors(INVALID)
    values = _proposal_values(actor, errors, data, unit)
    errors.raise_if_any()
    commendation = Commendation(unit=unit, unit_path=unit.path, created_by=actor, status=S.PROPOSED, **values)
    commendation.save()
    _event(commendation, action=lifecycle.PROPOSE.action, source="", target=S.PROPOSED, on=today, actor=actor)
    audit.record(
        actor=actor,
        action="emulation.commendation_propose",
        obj=commendation,
        unit=unit,
        after=audit.snapshot(commendation, COMMENDATION_AUDIT),
    )
    return commendation


def _load(actor, commendation_id: int) -> Commendation:
    found = access.visible(actor, Commendation).select_for_update().filter(pk=commendation_id).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def commendation_update(
    *, actor, commendation_id: int, version: int | None, data: CommendationInput, today: date
) -> Commendation:
    """Change a proposal (only while it is proposed), at the version the officer read."""
    commendation = _load(actor, commendation_id)
    access.require(actor, MANAGE, commendation.unit)
    check_version(commendation, version)
    if commendation.status != S.PROPOSED:
        raise DomainError(
            "emulation_not_editable",
            _("Only a proposal can be changed; this commendation is “%(status)s”.")
            % {"status": commendation.get_status_display()},
        )
    unit = commendation.unit if data.unit_id == commendation.unit_id else _unit(actor, data.unit_id, MANAGE)
    errors = _Errors(INVALID)
    values = _proposal_values(actor, errors, data, unit)
    errors.raise_if_any()
    before = audit.snapshot(commendation, COMMENDATION_AUDIT)
    commendation.unit, commendation.unit_path = unit, unit.path
    for name, value in values.items():
        setattr(commendation, name, value)
    commendation.version += 1
    commendation.save()
    _event(commendation, action="edit", source=S.PROPOSED, target=S.PROPOSED, on=today, actor=actor)
    audit.record(
        actor=actor,
        action="emulation.commendation_update",
        obj=commendation,
        unit=unit,
        before=before,
        after=audit.snapshot(commendation, COMMENDATION_AUDIT),
    )
    return commendation


# ---- the lifecycle ------------------------------------------------------------------------------


def _allow(actor, commendation: Commendation, action: str) -> lifecycle.Transition:
    """The transition `action` from the commendation's status, for an actor allowed it; else raise."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("emulation_unknown_action", _("Unknown action."))
    access.require(actor, transition.permission, commendation.unit)
    if commendation.status not in transition.sources:
        raise DomainError(
            "emulation_transition_not_allowed",
            _("“%(action)s” is not possible for a commendation that is “%(status)s”.")
            % {"action": str(transition.label), "status": commendation.get_status_display()},
        )
    return transition


@dataclass(frozen=True)
class Decision:
    number: str
    decided_on: date | None
    issuer: str
    issuer_unit_id: int | None = None


def _decision_values(errors: FieldErrors, decision: Decision, today: date) -> tuple[dict, Unit | None]:
    """The decision's own fields (the same for every commendation it decides)."""
    number = normalize(decision.number)
    issuer = normalize(decision.issuer)
    if not number:
        errors.add("decision_number", _("Enter the number of the decision."))
    _check_length(errors, "decision_number", number, 60)
    if decision.decided_on is None:
        errors.add("decided_on", _("Enter the date of the decision."))
    elif decision.decided_on > today:
        errors.add(
            "decided_on",
            _("The decision date %(date)s is in the future.") % {"date": _day(decision.decided_on)},
        )
    if not issuer:
        errors.add(
            "issuer", _("Enter who issued the decision, for example the chairman of a People's Committee.")
        )
    _check_length(errors, "issuer", issuer, 200)
    issuer_unit = None
    if decision.issuer_unit_id is not None:
        issuer_unit = Unit.objects.filter(pk=decision.issuer_unit_id).first()
        if issuer_unit is None:
            errors.add("issuer_unit", _("Choose the issuing unit from the list."))
        elif decision.decided_on is not None and not issuer_unit.valid_on(decision.decided_on):
            errors.add(
                "issuer_unit",
                _("%(unit)s did not exist on %(date)s.")
                % {"unit": issuer_unit.name, "date": _day(decision.decided_on)},
            )
    values = {
        "decision_number": number,
        "decided_on": decision.decided_on,
        "issuer": issuer,
        "issuer_unit": issuer_unit,
    }
    return values, issuer_unit


def decision_problems(
    commendation: Commendation, decided_on: date, issuer_unit: Unit | None
) -> dict[str, list[str]]:
    """What is wrong with deciding `commendation` on `decided_on` (by `issuer_unit`): the level did
    not exist above its recipient on that date, or the date is before the work it rewards."""
    problems: dict[str, list[str]] = {}
    day = _day(decided_on)
    levels = selectors.level_units_on(commendation.unit, commendation.level, decided_on)
    if not levels:
        problems.setdefault("decided_on", []).append(
            _(
                "No unit of the level “%(level)s” existed at or above %(unit)s on %(date)s: "
                "a commendation of that level cannot be decided on that date."
            )
            % {"level": _level_label(commendation.level), "unit": commendation.unit.name, "date": day}
        )
    elif issuer_unit is not None and issuer_unit.valid_on(decided_on):
        area = selectors.area_of(issuer_unit)
        if area.pk not in {unit.pk for unit in levels}:
            problems.setdefault("issuer_unit", []).append(
                _("%(issuer)s is not of the level “%(level)s” above %(unit)s on %(date)s.")
                % {
                    "issuer": issuer_unit.name,
                    "level": _level_label(commendation.level),
                    "unit": commendation.unit.name,
                    "date": day,
                }
            )
    early = problems.setdefault("decided_on", [])
    movement, practice, activity = commendation.movement, commendation.practice, commendation.activity
    if movement is not None and decided_on < movement.starts_on:
        early.append(
            _("The decision date %(decided)s is before the movement “%(name)s” started on %(date)s.")
            % {"decided": day, "name": movement.name, "date": _day(movement.starts_on)}
        )
    if practice is not None and decided_on < practice.registered_on:
        early.append(
            _("The decision date %(decided)s is before the model “%(name)s” was registered on %(date)s.")
            % {"decided": day, "name": practice.name, "date": _day(practice.registered_on)}
        )
    if activity is not None and decided_on < activity.ends_on:
        early.append(
            _("The decision date %(decided)s is before the last day of the activity “%(name)s”, %(date)s.")
            % {"decided": day, "name": activity.title, "date": _day(activity.ends_on)}
        )
    if commendation.work_to is not None and decided_on < commendation.work_to:
        early.append(
            _("The decision date %(decided)s is before the end of the period of work, %(date)s.")
            % {"decided": day, "date": _day(commendation.work_to)}
        )
    return {name: messages for name, messages in problems.items() if messages}


def _apply_decision(actor, commendation: Commendation, values: dict) -> None:
    before = audit.snapshot(commendation, COMMENDATION_AUDIT)
    source = commendation.status
    for name, value in values.items():
        setattr(commendation, name, value)
    commendation.status = S.DECIDED
    commendation.version += 1
    commendation.save()
    _event(
        commendation,
        action="decide",
        source=source,
        target=S.DECIDED,
        on=values["decided_on"],
        actor=actor,
        # Data, not a sentence: the history shows it in whatever language its reader uses.
        note=" · ".join([values["decision_number"], _day(values["decided_on"]), values["issuer"]]),
    )
    audit.record(
        actor=actor,
        action="emulation.commendation_decide",
        obj=commendation,
        unit=commendation.unit,
        before=before,
        after=audit.snapshot(commendation, COMMENDATION_AUDIT),
    )


@transaction.atomic
def commendation_decide(
    *, actor, commendation_id: int, version: int | None, decision: Decision, today: date
) -> Commendation:
    """Record the decision on a proposal: its number, date (not in the future, at a level that
    existed above the recipient then, not before the work it rewards) and issuer."""
    commendation = _load(actor, commendation_id)
    _allow(actor, commendation, "decide")
    check_version(commendation, version)
    errors = _Errors(INVALID)
    values, issuer_unit = _decision_values(errors, decision, today)
    if decision.decided_on is not None:
        for name, messages in decision_problems(commendation, decision.decided_on, issuer_unit).items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    _apply_decision(actor, commendation, values)
    return commendation


@transaction.atomic
def commendations_decide(
    *, actor, commendation_ids: Sequence[int], decision: Decision, today: date
) -> list[Commendation]:
    """One decision (number, date, issuer) for several proposals at once: all of them or none. The
    refusal names every row that cannot be decided and why ("commendations.<row>", rows from 0 in
    the order given)."""
    errors = _Errors(INVALID)
    ids = list(dict.fromkeys(commendation_ids))
    if not ids:
        errors.add("commendations", _("Choose at least one proposal to decide."))
    values, issuer_unit = _decision_values(errors, decision, today)
    found = {c.pk: c for c in access.visible(actor, Commendation).select_for_update().filter(pk__in=ids)}
    chosen: list[Commendation] = []
    for row, pk in enumerate(ids):
        commendation = found.get(pk)
        label = {"row": row + 1, "name": commendation.recipient_name if commendation else "—"}
        if commendation is None:
            errors.add(f"commendations.{row}", _("Row %(row)s: not found.") % label)
            continue
        problems: list[str] = []
        if not access.can(actor, DECIDE, commendation.unit):
            problems.append(
                _("You may not decide on commendations of %(unit)s.") % {"unit": commendation.unit.name}
            )
        elif commendation.status != S.PROPOSED:
            problems.append(
                _("It is “%(status)s”, not a proposal.") % {"status": commendation.get_status_display()}
            )
        elif decision.decided_on is not None:
            for messages in decision_problems(commendation, decision.decided_on, issuer_unit).values():
                problems.extend(messages)
        for problem in problems:
            errors.add(
                f"commendations.{row}",
                _("Row %(row)s, %(name)s: %(problem)s") % {**label, "problem": problem},
            )
        chosen.append(commendation)
    if errors.fields:
        raise DomainError(
            INVALID,
            _("Nothing was decided: check the rows and fields marked below."),
            fields=errors.fields,
        )
    for commendation in chosen:
        _apply_decision(actor, commendation, values)
    return chosen


@transaction.atomic
def commendation_decline(
    *, actor, commendation_id: int, version: int | None, note: str, today: date
) -> Commendation:
    """Do not approve a proposal, saying why."""
    return _close(actor, commendation_id, version, "decline", note, today)


@transaction.atomic
def commendation_revoke(
    *, actor, commendation_id: int, version: int | None, reason: str, today: date
) -> Commendation:
    """Revoke a decided commendation, saying why (Art 92: the merit was not true). The decision's
    particulars stay on the record; revoked commendations are no longer counted."""
    return _close(actor, commendation_id, version, "revoke", reason, today)


def _close(
    actor, commendation_id: int, version: int | None, action: str, text: str, today: date
) -> Commendation:
    commendation = _load(actor, commendation_id)
    transition = _allow(actor, commendation, action)
    check_version(commendation, version)
    text = _paragraphs(text)
    name = "note" if action == "decline" else "reason"
    if not text:
        message = (
            _("Say why the proposal is not approved.")
            if action == "decline"
            else _("Say why the commendation is revoked.")
        )
        raise DomainError(INVALID, message, fields={name: message})
    before = audit.snapshot(commendation, COMMENDATION_AUDIT)
    source = commendation.status
    commendation.status = transition.target or source
    commendation.version += 1
    commendation.save()
    _event(
        commendation,
        action=action,
        source=source,
        target=commendation.status,
        on=today,
        actor=actor,
        note=text,
    )
    audit.record(
        actor=actor,
        action=f"emulation.commendation_{action}",
        obj=commendation,
        unit=commendation.unit,
        before=before,
        after={**audit.snapshot(commendation, COMMENDATION_AUDIT), name: text},
    )
    return commendation


def commendation_transition(
    *, actor, commendation_id: int, action: str, version: int | None, today: date, **data: Any
) -> Commendation:
    """One step of the lifecycle by its name in `lifecycle.TRANSITIONS` (pages and the API)."""
    if action == "decide":
        return commendation_decide(
            actor=actor,
            commendation_id=commendation_id,
            version=version,
            decision=data["decision"],
            today=today,
        )
    if action == "decline":
        return commendation_decline(
            actor=actor,
            commendation_id=commendation_id,
            version=version,
            note=data.get("note", ""),
            today=today,
        )
    if action == "revoke":
        return commendation_revoke(
            actor=actor,
            commendation_id=commendation_id,
            version=version,
            reason=data.get("reason", ""),
            today=today,
        )
    raise DomainError("emulation_unknown_action", _("Unknown action."))


# ---- the decision's scan ------------------------------------------------------------------------


@transaction.atomic
def commendation_file_add(*, actor, commendation_id: int, name: str, data: bytes) -> RecordFile:
    """Keep the scan of the decision (PDF, JPEG, PNG or DOCX) with a decided commendation."""
    commendation = _load(actor, commendation_id)
    access.require(actor, MANAGE, commendation.unit)
    if commendation.status not in (S.DECIDED, S.REVOKED):
        message = _("The scan of the decision is added once the decision is recorded.")
        raise DomainError(INVALID, message, fields={"file": message})
    return record_file_add(
        actor=actor,
        record=commendation,
        unit=commendation.unit,
        role=DECISION_FILE_ROLE,
        name=name,
        data=data,
    )


# ---- spreadsheet imports ------------------------------------------------------------------------
# The record types of `records.py` check each row, then hand the rows of a chunk here, already
# resolved to objects. No audit event per row: the import batch is audited once and every record
# carries it. Rolling a batch back removes its records unless one changed since.

IMPORT_ROLLBACK_CHANGED = "import.rollback_changed"


def movements_import(actor, rows: Sequence[dict], batch) -> int:
    """Create the movements of checked rows (unit, name, starts_on, ends_on, resolution: a
    Resolution or None, description), tagged with `batch`. Returns how many were created."""
    movements = []
    for row in rows:
        name = normalize(row["name"])
        movements.append(
            Movement(
                unit=row["unit"],
                unit_path=row["unit"].path,
                name=name,
                name_folded=fold(name)[:300],
                starts_on=row["starts_on"],
                ends_on=row.get("ends_on"),
                resolution=row.get("resolution"),
                description=_paragraphs(row.get("description")),
                created_by=actor,
                import_batch=batch,
            )
        )
    Movement.objects.bulk_create(movements, batch_size=1000)
    return len(movements)


def recipient_folded(recipient: str, unit: Unit, group_name: str, person_name: str) -> str:
    """The recipient's name folded for search and for an import's natural key, as
    `_proposal_values` makes it: the person, the group, or the unit."""
    name = (
        normalize(person_name) if recipient == Recipient.INDIVIDUAL else (normalize(group_name) or unit.name)
    )
    return fold(name)[:300]


def commendations_import(actor, rows: Sequence[dict], batch) -> int:
    """Create decided commendations from checked rows, as a proposal decided by `commendation_decide`
    stands (its decision's number, date, issuer and issuing unit), with the "decide" step of its
    history, tagged with `batch`. Each row holds the columns of the record type with `unit`,
    `issuer_unit` and `movement` as objects. Returns how many were created."""
    commendations = []
    for row in rows:
        individual = row["recipient"] == Recipient.INDIVIDUAL
        group_name = "" if individual else normalize(row.get("group_name"))
        person_name = normalize(row.get("person_name")) if individual else ""
        issuer_unit = row.get("issuer_unit")
        commendations.append(
            Commendation(
                unit=row["unit"],
                unit_path=row["unit"].path,
                recipient=row["recipient"],
                group_name=group_name,
                person_name=person_name,
                person_position=normalize(row.get("person_position")) if individual else "",
                recipient_folded=recipient_folded(row["recipient"], row["unit"], group_name, person_name),
                level=row["level"],
                form=row["form"],
                reason=_paragraphs(row["reason"]),
                status=S.DECIDED,
                decision_number=normalize(row["decision_number"]),
                decided_on=row["decided_on"],
                issuer=normalize(row.get("issuer")) or (issuer_unit.name if issuer_unit else ""),
                issuer_unit=issuer_unit,
                movement=row.get("movement"),
                work_from=row.get("work_from"),
                work_to=row.get("work_to"),
                created_by=actor,
                import_batch=batch,
            )
        )
    Commendation.objects.bulk_create(commendations, batch_size=1000)
    CommendationEvent.objects.bulk_create(
        [
            CommendationEvent(
                commendation=c,
                action="decide",
                from_status="",
                to_status=S.DECIDED,
                on=row["decided_on"],
                note=" · ".join([c.decision_number, _day(row["decided_on"]), c.issuer]),
                actor=actor,
            )
            for c, row in zip(commendations, rows, strict=True)
        ],
        batch_size=2000,
    )
    return len(commendations)


def _rollback(model, batch) -> int:
    """Remove the records of `model` that `batch` created (their history goes with them), or refuse
    with nothing removed, naming the first one changed since or one another record refers to."""
    from django.db.models import ProtectedError

    rows = model.objects.filter(import_batch=batch)
    changed = changed_since_import(model, list(rows.values_list("pk", flat=True)))
    if changed is not None:
        raise DomainError(
            IMPORT_ROLLBACK_CHANGED,
            _("“%(record)s” was changed after the import (%(how)s): nothing was rolled back.")
            % {"record": str(changed[0]), "how": changed[1]},
        )
    try:
        with transaction.atomic():
            return rows.delete()[1].get(model._meta.label, 0)
    except ProtectedError as error:
        raise DomainError(
            IMPORT_ROLLBACK_CHANGED,
            _("“%(other)s” refers to a record of this import: nothing was rolled back.")
            % {"other": str(next(iter(error.protected_objects)))},
        ) from None


@transaction.atomic
def movements_rollback(actor, batch) -> int:
    """Remove the movements `batch` created, or refuse (a movement changed, or commended for)."""
    return _rollback(Movement, batch)


@transaction.atomic
def commendations_rollback(actor, batch) -> int:
    """Remove the commendations `batch` created with their history, or refuse (one was revoked,
    had its decision's scan added or otherwise changed since)."""
    return _rollback(Commendation, batch)
