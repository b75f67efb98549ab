"""Form 02/XLD: processing of complaints, by field, resolution status and result (TT 02/2021/TT-TTCP
with 30 columns, TT 01/2024/TT-TTCP with 27; legal-rules.md §4.2). From column 8 (10 under TT
02/2021) the form counts cases: each once, by its first eligible complaint processed in the period.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..declarations import Column
from .xld01 import (
    CARRIED,
    CASES,
    ELIGIBLE,
    MANY,
    ONE,
    PETITIONS,
    RECEIVED,
    REPLIES,
    STATUS_AT_INTAKE,
    TOTAL,
    checks,
    processed,
    versions,
)

K = {"kind": "complaint"}
P = "petitions."
OTHER_FIELD = pgettext_lazy("petition field", "Other")
TO_PROCESS = _("Complaints to process")
BY_FIELD = _("Cases by content")
ADMINISTRATIVE = _("Administrative field")
BY_STATUS = _("Cases by resolution status")
ALREADY = _("Already resolved")
RESULT = _("Result of processing")
WITHIN = _("Cases within authority")
OUTSIDE = _("Cases outside authority")
COURT = _(
    "Column “a court judgment exists” is left empty: the records do not say whether a court ruled on "
    "the matter; such complaints are counted under the other statuses."
)
COURT_LABEL = _("A court judgment exists")


def _cases(number: int, label, filters: dict, groups: tuple) -> Column:
    return Column(str(number), label, P + "eligible_cases", {**K, **filters}, groups)


def _content(first: int) -> tuple[Column, ...]:
    """Administrative (total, policy, land, other), judicial, Party, other fields, from `first`."""
    admin = (BY_FIELD, ADMINISTRATIVE)
    return (
        _cases(first, TOTAL, {"field": "administrative"}, admin),
        _cases(first + 1, _("Policy and entitlements"), {"field": "policy"}, admin),
        _cases(first + 2, _("Land and housing"), {"field": "land"}, admin),
        _cases(first + 3, OTHER_FIELD, {"field": "administrative_other"}, admin),
        _cases(first + 4, _("Judicial field"), {"field": "judicial"}, (BY_FIELD,)),
        _cases(first + 5, _("Party and mass organisations"), {"field": "party"}, (BY_FIELD,)),
        _cases(first + 6, _("Other fields"), {"field": "other"}, (BY_FIELD,)),
    )


def _status(first: int) -> tuple[Column, ...]:
    return (
        _cases(first, _("First time"), {"status": "first"}, (BY_STATUS, ALREADY)),
        _cases(first + 1, _("Second time"), {"status": "again"}, (BY_STATUS, ALREADY)),
        Column(str(first + 2), COURT_LABEL, "", {}, (BY_STATUS, ALREADY)),
        _cases(first + 3, _("Being resolved"), {"status": "being"}, (BY_STATUS,)),
        _cases(first + 4, _("Not yet resolved"), {"status": "new"}, (BY_STATUS,)),
    )


def _within(first: int) -> tuple[Column, ...]:
    groups = (RESULT, WITHIN)
    return (
        _cases(first, TOTAL, {"authority": "own"}, groups),
        _cases(first + 1, _("First time"), {"authority": "own", "round": "first"}, groups),
        _cases(first + 2, _("Second time"), {"authority": "own", "round": "next"}, groups),
    )


COLUMNS_2024 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    Column("2", CARRIED, P + "carried_over", K, (TO_PROCESS,)),
    Column("3", RECEIVED, P + "received", K, (TO_PROCESS,)),
    *processed(4, K),
    Column("7", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(8, CASES, {}, (ELIGIBLE,)),
    *_content(9),
    *_status(16),
    *_within(21),
    _cases(24, TOTAL, {"authority": "outside"}, (RESULT, OUTSIDE)),
    _cases(25, _("Guided"), {"how": "guided"}, (RESULT, OUTSIDE)),
    _cases(26, _("Urged"), {"how": "urged"}, (RESULT, OUTSIDE)),
    Column("27", REPLIES, P + "transfer_replies", K),
)
CHECKS_2024 = checks(
    (1, 2, 3), (4, 5, 6), (8, 9, 13, 14, 15), (9, 10, 11, 12), (8, 16, 17, 19, 20), (8, 21, 24), (21, 22, 23)
)
NO_TRANSFER_2024 = _(
    "The form has no column for complaints transferred: they count in the total outside authority "
    "(column 24) only, so (24) = (25) + (26) is not checked."
)

COLUMNS_2021 = (
    Column("1", TOTAL, P + "to_process", K, (TO_PROCESS,)),
    Column("2", MANY, P + "carried_over", {**K, "signers": "many"}, (TO_PROCESS, CARRIED)),
    Column("3", ONE, P + "carried_over", {**K, "signers": "one"}, (TO_PROCESS, CARRIED)),
    Column("4", MANY, P + "received", {**K, "signers": "many"}, (TO_PROCESS, RECEIVED)),
    Column("5", ONE, P + "received", {**K, "signers": "one"}, (TO_PROCESS, RECEIVED)),
    *processed(6, K),
    Column("9", PETITIONS, P + "eligible", K, (ELIGIBLE,)),
    _cases(10, CASES, {}, (ELIGIBLE,)),
    *_content(11),
    *_status(18),
    *_within(23),
    _cases(26, TOTAL, {"authority": "outside"}, (RESULT, OUTSIDE)),
    _cases(27, _("Guided"), {"how": "guided"}, (RESULT, OUTSIDE)),
    _cases(28, _("Transferred"), {"how": "transferred"}, (RESULT, OUTSIDE)),
    _cases(29, _("Urged"), {"how": "urged"}, (RESULT, OUTSIDE)),
    Column("30", REPLIES, P + "transfer_replies", K),
)
CHECKS_2021 = checks(
    (1, 2, 3, 4, 5),
    (6, 7, 8),
    (10, 11, 15, 16, 17),
    (11, 12, 13, 14),
    (10, 18, 19, 21, 22),
    (10, 23, 26),
    (23, 24, 25),
    (26, 27, 28, 29),
)

DECLARATIONS = versions(
    "02-xld",
    "02/XLD",
    _("Summary of the processing of complaints"),
    tt02_2021=(COLUMNS_2021, CHECKS_2021, (COURT, STATUS_AT_INTAKE)),
    tt01_2024=(COLUMNS_2024, CHECKS_2024, (COURT, NO_TRANSFER_2024, STATUS_AT_INTAKE)),
)
