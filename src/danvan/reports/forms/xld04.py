"""Form 04/XLD: processing of recommendations and feedback (kiến nghị, phản ánh), by field,
resolution status and result (TT 02/2021/TT-TTCP with 24 columns, TT 01/2024/TT-TTCP with 20;
legal-rules.md §4.2). From column 8 (12 under TT 02/2021) the form counts cases: each once, by its
first eligible petition processed in the period.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..declarations import Column
from .xld01 import (
    CARRIED,
    CASES,
    ELIGIBLE,
    KNPA_TOGETHER,
    PETITIONS,
    RECEIVED,
    REPLIES,
    STATUS_AT_INTAKE,
    TOTAL,
    by_signers,
    checks,
    processed,
    versions,
)

K = {"kind": "knpa"}
P = "petitions."
OTHER_FIELD = pgettext_lazy("petition field", "Other")
TO_PROCESS = _("Recommendations and feedback to process")
BY_FIELD = _("Cases by content")
BY_STATUS = _("Cases by resolution status")
RESULT = _("Result of processing")
OUTSIDE = _("Cases outside authority")
OWN_RESULT = _("Result of resolving the cases within authority")


def _cases(number: int, label, filters: dict, groups: tuple = ()) -> Column:
    return Column(str(number), label, P + "eligible_cases", {**K, **filters}, groups)


def _content(first: int) -> tuple[Column, ...]:
    return (
        _cases(first, _("Policy and entitlements"), {"field": "policy"}, (BY_FIELD,)),
        _cases(first + 1, _("Land"), {"field": "land"}, (BY_FIELD,)),
        _cases(first + 2, _("Judicial"), {"field": "judicial"}, (BY_FIELD,)),
        _cases(first + 3, OTHER_FIELD, {"field": "other"}, (BY_FIELD,)),
    )


def _outside(first: int, hows: tuple[tuple[str, object], ...]) -> tuple[Column, ...]:
    groups = (RESULT, OUTSIDE)
    return (
        _cases(first, TOTAL, {"authority": "outside"}, groups),
        *(_cases(first + 1 + i, label, {"how": how}, groups) for i, (how, label) in enumerate(hows)),
    )


COLUMNS_2024 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    Column("2", CARRIED, P + "carried_over", K, (TO_PROCESS,)),
    Column("3", RECEIVED, P + "received", K, (TO_PROCESS,)),
    *processed(4, K),
    Column("7", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(8, CASES, {}, (ELIGIBLE,)),
    *_content(9),
    _cases(13, _("Already resolved"), {"status": "decided"}, (BY_STATUS,)),
    _cases(14, _("Not yet resolved"), {"status": "unresolved"}, (BY_STATUS,)),
    _cases(15, _("Cases within authority"), {"authority": "own"}, (RESULT,)),
    *_outside(16, (("transferred", _("Transferred")), ("urged", _("Urged")))),
    Column("19", _("Resolved"), P + "eligible_cases_resolved", K, (OWN_RESULT,)),
    Column("20", _("Not yet resolved"), P + "eligible_cases_unresolved", K, (OWN_RESULT,)),
)
CHECKS_2024 = checks((1, 2, 3), (4, 5, 6), (8, 9, 10, 11, 12), (8, 13, 14), (8, 15, 16), (15, 19, 20))
NO_GUIDANCE_2024 = _(
    "The form has no column for petitioners guided: they count in the total outside authority "
    "(column 16) only, so (16) = (17) + (18) is not checked. Columns 19 and 20 say whether the cases "
    "within authority were resolved by the end of the period."
)

COLUMNS_2021 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    *by_signers(2, P + "carried_over", (TO_PROCESS, CARRIED), K),
    *by_signers(5, P + "received", (TO_PROCESS, RECEIVED), K),
    *processed(8, K),
    Column("11", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(12, CASES, {}, (ELIGIBLE,)),
    *_content(13),
    _cases(17, _("Already resolved"), {"status": "decided"}, (BY_STATUS,)),
    _cases(18, _("Being resolved"), {"status": "being"}, (BY_STATUS,)),
    _cases(19, _("Not yet resolved"), {"status": "new"}, (BY_STATUS,)),
    _cases(20, _("Cases within authority"), {"authority": "own"}, (RESULT,)),
    *_outside(21, (("transferred", _("Transferred")), ("urged", _("Urged")))),
    Column("24", REPLIES, P + "transfer_replies", K),
)
CHECKS_2021 = checks(
    (1, 2, 3, 4, 5, 6, 7),
    (8, 9, 10),
    (12, 13, 14, 15, 16),
    (12, 17, 18, 19),
    (12, 20, 21),
)
NO_GUIDANCE_2021 = _(
    "The form has no column for petitioners guided: they count in the total outside authority "
    "(column 21) only, so (21) = (22) + (23) is not checked."
)

DECLARATIONS = versions(
    "04-xld",
    "04/XLD",
    _("Summary of the processing of recommendations and feedback"),
    tt02_2021=(COLUMNS_2021, CHECKS_2021, (NO_GUIDANCE_2021, STATUS_AT_INTAKE, KNPA_TOGETHER)),
    tt01_2024=(COLUMNS_2024, CHECKS_2024, (NO_GUIDANCE_2024, STATUS_AT_INTAKE, KNPA_TOGETHER)),
)
