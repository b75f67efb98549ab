"""Form 03/XLD: processing of denunciations, by field, resolution status and result (TT 02/2021/
TT-TTCP with 33 columns, TT 01/2024/TT-TTCP with 27; legal-rules.md §4.2). From column 8 (12 under
TT 02/2021) the form counts cases: each once, by its first eligible denunciation processed in the
period. A further denunciation (tố cáo tiếp) is one that follows an earlier denunciation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..declarations import Column
from .xld01 import (
    CARRIED,
    CASES,
    ELIGIBLE,
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

K = {"kind": "denunciation"}
P = "petitions."
OTHER_FIELD = pgettext_lazy("petition field", "Other")
TO_PROCESS = _("Denunciations to process")
BY_FIELD = _("Cases by content")
ADMINISTRATIVE = _("Administrative field")
BY_STATUS = _("Cases by resolution status")
FURTHER = _("Further denunciation")
RESULT = _("Result of processing")
WITHIN = _("Cases within authority")
OUTSIDE = _("Cases outside authority")


def _cases(number: int, label, filters: dict, groups: tuple) -> Column:
    return Column(str(number), label, P + "eligible_cases", {**K, **filters}, groups)


def _content(first: int) -> tuple[Column, ...]:
    admin = (BY_FIELD, ADMINISTRATIVE)
    return (
        _cases(first, TOTAL, {"field": "administrative"}, admin),
        _cases(first + 1, _("Policy and entitlements"), {"field": "policy"}, admin),
        _cases(first + 2, _("Land and housing"), {"field": "land"}, admin),
        _cases(first + 3, _("Conduct of civil servants"), {"field": "civil_service"}, admin),
        _cases(first + 4, OTHER_FIELD, {"field": "administrative_other"}, admin),
        _cases(first + 5, _("Corruption"), {"field": "corruption"}, (BY_FIELD,)),
        _cases(first + 6, _("Judicial field"), {"field": "judicial"}, (BY_FIELD,)),
        _cases(first + 7, _("Party and mass organisations"), {"field": "party"}, (BY_FIELD,)),
        _cases(first + 8, _("Other fields"), {"field": "other"}, (BY_FIELD,)),
    )


def _further(first: int) -> tuple[Column, ...]:
    return (
        _cases(first, _("Overdue and not yet resolved"), {"status": "pending"}, (BY_STATUS, FURTHER)),
        _cases(first + 1, _("Already concluded"), {"status": "decided"}, (BY_STATUS, FURTHER)),
    )


def _within(first: int) -> tuple[Column, ...]:
    groups = (RESULT, WITHIN)
    return (
        _cases(first, TOTAL, {"authority": "own"}, groups),
        _cases(first + 1, _("First denunciation"), {"authority": "own", "round": "first"}, groups),
        _cases(first + 2, FURTHER, {"authority": "own", "round": "next"}, groups),
    )


COLUMNS_2024 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    Column("2", CARRIED, P + "carried_over", K, (TO_PROCESS,)),
    Column("3", RECEIVED, P + "received", K, (TO_PROCESS,)),
    *processed(4, K),
    Column("7", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(8, CASES, {}, (ELIGIBLE,)),
    *_content(9),
    *_further(18),
    _cases(20, _("Not yet resolved"), {"status": "open"}, (BY_STATUS,)),
    *_within(21),
    _cases(24, TOTAL, {"authority": "outside"}, (RESULT, OUTSIDE)),
    _cases(25, _("Transferred"), {"how": "transferred"}, (RESULT, OUTSIDE)),
    _cases(26, _("Urged"), {"how": "urged"}, (RESULT, OUTSIDE)),
    Column("27", REPLIES, P + "transfer_replies", K),
)
CHECKS_2024 = checks(
    (1, 2, 3),
    (4, 5, 6),
    (8, 9, 14, 15, 16, 17),
    (9, 10, 11, 12, 13),
    (8, 18, 19, 20),
    (8, 21, 24),
    (21, 22, 23),
)
NO_GUIDANCE_2024 = _(
    "The form has no column for denouncers guided in person: they count in the total outside "
    "authority (column 24) only, so (24) = (25) + (26) is not checked."
)

COLUMNS_2021 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    *by_signers(2, P + "carried_over", (TO_PROCESS, CARRIED), K),
    *by_signers(5, P + "received", (TO_PROCESS, RECEIVED), K),
    *processed(8, K),
    Column("11", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(12, CASES, {}, (ELIGIBLE,)),
    *_content(13),
    _cases(22, _("Not yet resolved, within the time limit"), {"status": "new"}, (BY_STATUS,)),
    _cases(23, _("Being resolved"), {"status": "repeat"}, (BY_STATUS,)),
    *_further(24),
    *_within(26),
    _cases(29, TOTAL, {"authority": "outside"}, (RESULT, OUTSIDE)),
    _cases(30, _("Guided"), {"how": "guided"}, (RESULT, OUTSIDE)),
    _cases(31, _("Transferred"), {"how": "transferred"}, (RESULT, OUTSIDE)),
    _cases(32, _("Urged"), {"how": "urged"}, (RESULT, OUTSIDE)),
    Column("33", REPLIES, P + "transfer_replies", K),
)
CHECKS_2021 = checks(
    (1, 2, 3, 4, 5, 6, 7),
    (8, 9, 10),
    (12, 13, 18, 19, 20, 21),
    (13, 14, 15, 16, 17),
    (12, 22, 23, 24, 25),
    (12, 26, 29),
    (26, 27, 28),
    (29, 30, 31, 32),
)
STATUS_2021 = _(
    "“Being resolved” counts first denunciations linked to a case already in hand; “not yet resolved” "
    "the other first denunciations."
)

DECLARATIONS = versions(
    "03-xld",
    "03/XLD",
    _("Summary of the processing of denunciations"),
    tt02_2021=(COLUMNS_2021, CHECKS_2021, (STATUS_AT_INTAKE, STATUS_2021)),
    tt01_2024=(COLUMNS_2024, CHECKS_2024, (NO_GUIDANCE_2024, STATUS_AT_INTAKE)),
)
