"""Plain data of the reception pages: the steps a session can take (a small lifecycle table the
session page draws its buttons from), how a visit names its people on a receipt, rates as
percentages in the active language, and the outcomes that show the target or refusal fields.

Nothing here reads a protected visitor's identity: a receipt names a denouncer only as such, and
the clear identity comes only from `services.visitor_identities`, which logs each view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Outcome, Session, SessionKind, SessionStatus, Visit

RECORD = "reception.record"
MANAGE = "reception.manage"


# ---- the steps of a session -------------------------------------------------------------------


@dataclass(frozen=True)
class SessionStep:
    """One step of a session: from which statuses, who may take it, what the button says. The
    services check the same statuses (`session_publish`, `session_hold`, `session_cancel`)."""

    action: str
    label: object
    sources: frozenset[str]
    permission: str
    head_only: bool = False  # only a head's (periodic or ad hoc) session
    unpublished_only: bool = False


SESSION_STEPS: dict[str, SessionStep] = {
    step.action: step
    for step in (
        SessionStep(
            "publish",
            gettext_lazy("Record the posting of the schedule"),
            frozenset({SessionStatus.SCHEDULED}),
            RECORD,
            unpublished_only=True,
        ),
        SessionStep(
            "hold",
            gettext_lazy("Record that it was held"),
            frozenset({SessionStatus.SCHEDULED}),
            RECORD,
        ),
        SessionStep(
            "cancel",
            gettext_lazy("Cancel the session"),
            frozenset({SessionStatus.SCHEDULED}),
            RECORD,
        ),
    )
}


def session_steps(session: Session, can) -> list[SessionStep]:
    """The steps of `session` the user may take now; `can(permission)` answers for the user."""
    steps = []
    for step in SESSION_STEPS.values():
        if session.status not in step.sources or not can(step.permission):
            continue
        if step.unpublished_only and session.published_on is not None:
            continue
        if step.head_only and session.kind == SessionKind.REGULAR:
            continue
        steps.append(step)
    return steps


# ---- visits -----------------------------------------------------------------------------------

# Which outcomes ask for which fields of the visit form (the page shows only those; the service
# decides what is required).
TARGET_OUTCOMES = (Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.URGED)
REFUSAL_OUTCOMES = (Outcome.REFUSED,)
NO_PETITION_OUTCOMES = (Outcome.ANSWERED, Outcome.REFUSED)


def people_line(visit: Visit, visitors) -> str:
    """Who a receipt names: never a denouncer (the receipt may be seen by others)."""
    if visit.protected:
        return _("Denouncer (identity protected)")
    names = [v.name for v in visitors if v.name]
    representatives = [v.name for v in visitors if v.name and v.representative]
    names = representatives or names
    if not names:
        return "—"
    if len(names) == 1:
        return names[0]
    return _("%(name)s and %(count)s others") % {"name": names[0], "count": len(names) - 1}


def answer_state(visit: Visit, today: date) -> str:
    """ "answered", "overdue", "owed" or "" (nothing owed)."""
    if visit.answered_on:
        return "answered"
    if visit.answer_due is None:
        return ""
    return "overdue" if visit.answer_due < today else "owed"


# ---- numbers and periods ----------------------------------------------------------------------


def percent(rate: float | None) -> str:
    """A share as a percentage with one decimal, in the active language's format (33,3 in
    Vietnamese); an em dash when nothing was required."""
    if rate is None:
        return "—"
    return number_format(round(rate * 100, 1), 1, use_l10n=True, force_grouping=True) + " %"


def month_of(today: date) -> tuple[date, date]:
    """The first and the last day of the month of `today`."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
