"""The petition lifecycle as one table: action -> (allowed sources, target, who).

Services enforce it, pages draw their buttons from it, tests iterate it. The legal steps:
classification after intake (TT 05/2021 Art 6–16: accept, guide once, transfer once, urge, file),
resolution (Luật Khiếu nại 02/2011 Art 27–31, 36–40; Luật Tố cáo 25/2018 Art 29–35), suspension
and extension (Luật Tố cáo Art 30, 31), withdrawal (Luật Khiếu nại Art 10; Luật Tố cáo Art 33) and
the disposal of filed petitions after a year (TT 07/2014 Art 28).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Status

S = Status

# Access actions (units.access.ROLE_ACTIONS) that the transitions require.
INTAKE = "petition.intake"
HANDLE = "petition.handle"
DECIDE = "petition.decide"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a step recorded inside the current status)
    permission: str
    label: str | Promise


def _t(action: str, sources: set[str], target: str | None, permission: str, label) -> Transition:
    return Transition(action, frozenset(sources), target, permission, label)


OPEN: set[str] = {S.RECEIVED, S.ACCEPTED, S.SUSPENDED, S.TRANSFERRED, S.URGED}

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("assign", OPEN, None, HANDLE, _("Assign handler")),
        _t("accept", {S.RECEIVED}, S.ACCEPTED, HANDLE, _("Accept for resolution")),
        _t("guide", {S.RECEIVED}, S.GUIDED, HANDLE, _("Guide the petitioner")),
        _t("transfer", {S.RECEIVED}, S.TRANSFERRED, HANDLE, _("Transfer to the competent body")),
        _t("urge", {S.RECEIVED}, S.URGED, HANDLE, _("Urge the lower level")),
        _t("file", {S.RECEIVED}, S.FILED, HANDLE, pgettext_lazy("petition action", "File away")),
        _t("record_reply", {S.TRANSFERRED, S.URGED}, S.ANSWERED, INTAKE, _("Record the reply")),
        _t("attach", OPEN, None, INTAKE, _("Add a document")),
        _t("verify", {S.ACCEPTED}, None, HANDLE, _("Record a verification step")),
        _t("dialogue", {S.ACCEPTED}, None, HANDLE, _("Record a dialogue")),
        _t("extend", {S.ACCEPTED}, None, DECIDE, _("Extend the deadline")),
        _t("suspend", {S.ACCEPTED}, S.SUSPENDED, DECIDE, _("Suspend")),
        _t("resume", {S.SUSPENDED}, S.ACCEPTED, DECIDE, _("Resume")),
        _t("withdraw", {S.RECEIVED, S.ACCEPTED, S.SUSPENDED}, S.WITHDRAWN, HANDLE, _("Record a withdrawal")),
        _t("decide", {S.ACCEPTED}, S.RESOLVED, DECIDE, _("Record the decision")),
        _t("dispose", {S.FILED}, S.DISPOSED, DECIDE, _("Dispose of")),
    )
}

# Intake is the birth of a petition: it has no source status.
RECEIVE = Transition("receive", frozenset(), S.RECEIVED, INTAKE, _("Receive"))

# Statuses that end the petition's handling in this unit.
CLOSED = frozenset({S.GUIDED, S.ANSWERED, S.FILED, S.DISPOSED, S.WITHDRAWN, S.RESOLVED})


def allowed_from(status: str) -> list[Transition]:
    """The transitions that may start from `status`, in the table's order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
