"""The lifecycle of a model or exemplar as one table: action -> (allowed sources, target, who).

Register → carry out (progress and evidence) → submit for review at a level → the board scores it
→ recognised or not; a recognised model may be put up again for a higher level; one not yet
recognised may be withdrawn. Services enforce the table, pages draw their buttons from it, tests
iterate it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import PracticeStatus

S = PracticeStatus
MANAGE = "practice.manage"
RECOGNISE = "practice.recognise"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a step recorded inside the current status)
    permission: str
    label: str | Promise


def _t(action: str, sources: set[str], target: str | None, permission: str, label) -> Transition:
    return Transition(action, frozenset(sources), target, permission, label)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("report", {S.REGISTERED, S.CARRYING_OUT}, S.CARRYING_OUT, MANAGE, _("Report progress")),
        _t(
            "report_recognised",
            {S.RECOGNISED},
            None,
            MANAGE,
            _("Report progress"),
        ),
        _t(
            "submit",
            {S.REGISTERED, S.CARRYING_OUT, S.RECOGNISED, S.NOT_RECOGNISED},
            S.UNDER_REVIEW,
            MANAGE,
            _("Put up for review"),
        ),
        _t("evaluate", {S.UNDER_REVIEW}, None, RECOGNISE, _("Score against the criteria")),
        _t("recognise", {S.UNDER_REVIEW}, S.RECOGNISED, RECOGNISE, _("Recognise")),
        _t("not_recognise", {S.UNDER_REVIEW}, S.NOT_RECOGNISED, RECOGNISE, _("Do not recognise")),
        _t(
            "withdraw",
            {S.REGISTERED, S.CARRYING_OUT, S.NOT_RECOGNISED},
            S.WITHDRAWN,
            MANAGE,
            _("Withdraw"),
        ),
        _t("replicate", {S.RECOGNISED}, None, MANAGE, _("Replicate elsewhere")),
    )
}

# Registration is the birth of a model: it has no source status.
REGISTER = Transition("register", frozenset(), S.REGISTERED, MANAGE, _("Register"))


# A model already recognised at a lower level that is not recognised at the higher one keeps the
# recognition it has: these transitions then lead back to "recognised".
WHEN_RECOGNISED: dict[str, str] = {"not_recognise": S.RECOGNISED}


def target_of(transition: Transition, *, recognised_level: str) -> str | None:
    """The status a transition leads to for a model recognised at `recognised_level` ("" if none)."""
    if recognised_level and transition.action in WHEN_RECOGNISED:
        return WHEN_RECOGNISED[transition.action]
    return transition.target


def allowed_from(status: str) -> list[Transition]:
    """The transitions that may start from `status`, in the table's order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
