"""Form 02/TCD: classification and processing of the petitions received through citizen reception
(TT 02/2021/TT-TTCP, kept by TT 01/2024/TT-TTCP; legal-rules.md §4.2): 16 numbered columns and a
note. A petition is received through reception when it was handed in at the desk (channel in
person) or made from a visit; it is placed by the day received. Cases are counted once per unit
and kind of content, by their first petition received through reception in the period.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..declarations import Column
from .xld01 import COMPLAINTS, DENUNCIATIONS, KNPA, KNPA_TOGETHER, PETITIONS, REPLIES, checks, versions

V = {"via": "reception"}
RECEIVED = "petitions.received"
CASES = "petitions.reception_cases"
BY_CONTENT = _("By content")
BY_AUTHORITY = _("By authority")
WITHIN = _("Within authority")
OUTSIDE = _("Outside authority")
CASES_LABEL = _("Cases")


def _pair(first: int, filters: dict, groups: tuple) -> tuple[Column, Column]:
    """Petitions and cases of one category, from column `first`."""
    return (
        Column(str(first), PETITIONS, RECEIVED, {**V, **filters}, groups),
        Column(str(first + 1), CASES_LABEL, CASES, filters, groups),
    )


COLUMNS = (
    Column("1", _("Petitions received through citizen reception"), RECEIVED, V),
    Column("2", _("Cases received"), CASES),
    *_pair(3, {"kind": "complaint"}, (BY_CONTENT, COMPLAINTS)),
    *_pair(5, {"kind": "denunciation"}, (BY_CONTENT, DENUNCIATIONS)),
    *_pair(7, {"kind": "knpa"}, (BY_CONTENT, KNPA)),
    *_pair(9, {"authority": "not_outside"}, (BY_AUTHORITY, WITHIN)),
    Column("11", PETITIONS, RECEIVED, {**V, "authority": "outside"}, (BY_AUTHORITY, OUTSIDE)),
    Column("12", _("Total"), CASES, {"authority": "outside"}, (BY_AUTHORITY, OUTSIDE, CASES_LABEL)),
    Column("13", _("Guided"), CASES, {"how": "guided"}, (BY_AUTHORITY, OUTSIDE, CASES_LABEL)),
    Column("14", _("Transferred"), CASES, {"how": "transferred"}, (BY_AUTHORITY, OUTSIDE, CASES_LABEL)),
    Column("15", _("Urged"), CASES, {"how": "urged"}, (BY_AUTHORITY, OUTSIDE, CASES_LABEL)),
    Column("16", REPLIES, "petitions.transfer_replies", V),
)
CHECKS = checks((1, 3, 5, 7), (1, 9, 11), (2, 4, 6, 8), (2, 10, 12), (12, 13, 14, 15))
NOTES = (
    _(
        "“Within authority” counts every petition not guided, transferred or urged: those accepted, "
        "filed, withdrawn, and those not yet processed when the report is made."
    ),
    _("Replies (column 16) are placed by the day they came, for petitions received through reception."),
    KNPA_TOGETHER,
)

DECLARATIONS = versions(
    "02-tcd",
    "02/TCD",
    _("Classification and processing of petitions received through citizen reception"),
    tt02_2021=(COLUMNS, CHECKS, NOTES),
    tt01_2024=(COLUMNS, CHECKS, NOTES),
)
