"""Plain data of the practices pages and API: the steps a user may take on a model now (drawn from
the lifecycle table), where each step's page is, and the words of the model's history.

A step of the steering committee (score, recognise, do not recognise) is offered to those who hold
"practice.recognise" on the reviewing unit: the unit of the level under review at or above the
model's unit, today or on the day the model was put up. The services check again on the step's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.presenters import choice, file_view, unit_ref
from danvan.units import access
from danvan.units.models import Unit, UnitLevel

from .lifecycle import MANAGE, RECOGNISE, TRANSITIONS, Transition, allowed_from
from .models import Applies, PracticeField, PracticeKind, PracticeModel, PracticeStatus
from .selectors import board_unit_for, submitted_on

# The lifecycle action behind each page of `practices:action` (both progress reports use "report").
PAGE_ACTIONS = ("report", "submit", "recognise", "not_recognise", "withdraw")
API_VERBS = {
    "report": "report",
    "report_recognised": "report",
    "submit": "submit",
    "evaluate": "evaluate",
    "recognise": "recognise",
    "not_recognise": "not-recognise",
    "withdraw": "withdraw",
    "replicate": "replicate",
}
EDITABLE = (PracticeStatus.REGISTERED, PracticeStatus.CARRYING_OUT)

# How the history names each event.
EVENT_LABELS: dict[str, str | Promise] = {
    "register": _("Registered"),
    "report": _("Progress reported"),
    "report_recognised": _("Progress reported"),
    "submit": _("Put up for review"),
    "evaluate": _("Scored against the criteria"),
    "recognise": _("Recognised"),
    "not_recognise": _("Not recognised"),
    "withdraw": pgettext_lazy("model status", "Withdrawn"),
    "replicate": _("Replicated elsewhere"),
    "evidence": _("Evidence added"),
}
STATUS_CLASSES = {
    PracticeStatus.REGISTERED: "text-bg-secondary",
    PracticeStatus.CARRYING_OUT: "text-bg-info",
    PracticeStatus.UNDER_REVIEW: "text-bg-warning",
    PracticeStatus.RECOGNISED: "text-bg-success",
    PracticeStatus.NOT_RECOGNISED: "text-bg-danger",
    PracticeStatus.WITHDRAWN: "text-bg-dark",
}


def label_events(events) -> list:
    """Give each event of a history the words of its step (`event.label`)."""
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


@dataclass(frozen=True)
class Step:
    transition: Transition
    url: str

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self):
        return self.transition.label


def page_action(action: str) -> str:
    """The `practices:action` argument of a transition ("report_recognised" is "report")."""
    return "report" if action == "report_recognised" else action


def step_url(model: PracticeModel, action: str) -> str:
    if action == "evaluate":
        return reverse("practices:evaluate", args=[model.pk])
    if action == "replicate":
        return reverse("practices:replicate", args=[model.pk])
    return reverse("practices:action", args=[model.pk, page_action(action)])


def reviewing_units(model: PracticeModel, today: date) -> list[Unit]:
    """The units that may review the model at its level under review: today's, and the one of
    the day it was put up (they differ when a unit has changed since)."""
    if model.status != PracticeStatus.UNDER_REVIEW or not model.review_level:
        return []
    units: list[Unit] = []
    for day in (today, submitted_on(model)):
        if day is None:
            continue
        unit = board_unit_for(model.unit, model.review_level, day)
        if unit is not None and all(u.pk != unit.pk for u in units):
            units.append(unit)
    return units


def may(user, transition: Transition, model: PracticeModel, today: date) -> bool:
    """May `user` take `transition` on `model` (its status aside)?"""
    if transition.action == "replicate":
        # The replica goes in a unit the user manages, which need not be the source's.
        return MANAGE in access.allowed_actions(user)
    if transition.permission == RECOGNISE:
        return any(access.can(user, RECOGNISE, unit) for unit in reviewing_units(model, today))
    return access.can(user, transition.permission, model)


def steps_for(user, model: PracticeModel, today: date) -> list[Step]:
    """The lifecycle steps `user` may take on `model` now, in the table's order."""
    return [
        Step(t, step_url(model, t.action)) for t in allowed_from(model.status) if may(user, t, model, today)
    ]


def transition_for_page(model: PracticeModel, action: str) -> Transition | None:
    """The transition a `practices:action` page stands for, given the model's status."""
    if action not in PAGE_ACTIONS:
        return None
    if action == "report" and model.status in TRANSITIONS["report_recognised"].sources:
        return TRANSITIONS["report_recognised"]
    return TRANSITIONS[action]


def can_edit(user, model: PracticeModel) -> bool:
    return model.status in EDITABLE and access.can(user, MANAGE, model)


def can_add_evidence(user, model: PracticeModel) -> bool:
    return model.status != PracticeStatus.WITHDRAWN and access.can(user, MANAGE, model)


# ---- the API's shapes ---------------------------------------------------------------------------


def practice_view(model: PracticeModel) -> dict:
    return {
        "id": model.pk,
        "unit": unit_ref(model.unit),
        "kind": choice(PracticeKind, model.kind),
        "name": model.name,
        "field": choice(PracticeField, model.field),
        "registered_on": model.registered_on,
        "year": model.year,
        "address": model.address,
        "carried_out_by": model.carried_out_by,
        "aims": model.aims,
        "expected_results": model.expected_results,
        "status": choice(PracticeStatus, model.status),
        "review_level": choice(UnitLevel, model.review_level),
        "level": choice(UnitLevel, model.level),
        "recognised_on": model.recognised_on,
        "replicated_from": model.replicated_from_id,
        "version": model.version,
    }


def practice_detail(model: PracticeModel, history, user, today: date) -> dict:
    return {
        **practice_view(model),
        "actions": list(dict.fromkeys(API_VERBS[s.action] for s in steps_for(user, model, today))),
        "events": [
            {
                "action": e.action,
                "label": str(EVENT_LABELS.get(e.action, e.action)),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "on": e.on,
                "note": e.note,
                "level": e.level,
                "actor": e.actor.get_username(),
            }
            for e in history.events
        ],
        "evaluations": [
            {
                "id": ev.pk,
                "level": choice(UnitLevel, ev.level),
                "board_unit": unit_ref(ev.board_unit),
                "criteria_set": {
                    "id": ev.criteria_set_id,
                    "name": ev.criteria_set.name,
                    "pass_mark": ev.criteria_set.pass_mark,
                },
                "reviewed_on": ev.reviewed_on,
                "total": ev.total,
                "passed": ev.passed,
                "note": ev.note,
                "scores": [
                    {
                        "criterion_id": s.criterion_id,
                        "position": s.criterion.position,
                        "text": s.criterion.text,
                        "points": s.points,
                        "max_points": s.criterion.max_points,
                    }
                    for s in ev.scores.all()
                ],
            }
            for ev in history.evaluations
        ],
        "recognitions": [
            {
                "id": r.pk,
                "level": choice(UnitLevel, r.level),
                "board_unit": unit_ref(r.board_unit),
                "decision_number": r.decision_number,
                "decided_on": r.decided_on,
            }
            for r in history.recognitions
        ],
        "files": [file_view(f) for f in history.files],
        "replicas": [
            {"id": r.pk, "name": r.name, "unit": unit_ref(r.unit), "registered_on": r.registered_on}
            for r in history.replicas
        ],
    }


def criteria_set_view(criteria_set) -> dict:
    return {
        "id": criteria_set.pk,
        "unit": unit_ref(criteria_set.unit) if criteria_set.unit_id else None,
        "name": criteria_set.name,
        "applies": choice(Applies, criteria_set.applies),
        "first_year": criteria_set.first_year,
        "last_year": criteria_set.last_year,
        "pass_mark": criteria_set.pass_mark,
        "source": criteria_set.source,
        "criteria": [
            {"id": c.pk, "position": c.position, "text": c.text, "max_points": c.max_points}
            for c in criteria_set.criteria.all()
        ],
    }
