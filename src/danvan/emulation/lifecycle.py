"""The lifecycle of a commendation as one table: action -> (allowed sources, target, who).

Proposed by the emulation board, decided (number, date, issuer) or declined by the leader; a decided
commendation may be revoked (Luật Thi đua, khen thưởng 06/2022/QH15 Art 92: revoked when the merit
was not true). Services enforce it, pages draw their buttons from it, tests iterate it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import CommendationStatus

S = CommendationStatus
MANAGE = "emulation.manage"
DECIDE = "emulation.decide"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None
    permission: str
    label: str | Promise


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "decide",
            frozenset({S.PROPOSED}),
            S.DECIDED,
            DECIDE,
            pgettext_lazy("commendation action", "Record the decision"),
        ),
        Transition("decline", frozenset({S.PROPOSED}), S.DECLINED, DECIDE, _("Do not approve")),
        Transition("revoke", frozenset({S.DECIDED}), S.REVOKED, DECIDE, _("Revoke")),
    )
}

# A proposal is the birth of a commendation.
PROPOSE = Transition("propose", frozenset(), S.PROPOSED, MANAGE, _("Propose"))


def allowed_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
