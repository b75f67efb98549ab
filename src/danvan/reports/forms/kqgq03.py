"""Form KQGQ03: results of resolving the denunciations within the unit's authority (TT 02/2021/
TT-TTCP, TT 01/2024/TT-TTCP; legal-rules.md §4.2), 31 numbered columns and a note. Counted as
KQGQ01 is (see `kqgq01`); a further denunciation (tố cáo tiếp) is one that follows an earlier one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..declarations import Column
from .kqgq01 import (
    DEADLINE,
    INDIVIDUALS,
    INVESTIGATION,
    LAND,
    MONEY,
    OF_WHOM_OFFICIALS,
    ORGANISATIONS,
    RECOVER,
    RESULTS,
    RETURN,
    SANCTIONS,
)
from .xld01 import TOTAL, checks, versions

K = {"kind": "denunciation"}
P = "petitions."
RESOLVED = "petitions.resolved_cases"
PETITIONS = _("Denunciations within authority")
DONE = _("Resolved")
ANALYSIS = _("Analysis of the results (cases)")
OF_WHICH_FURTHER = _("Of which further denunciations")


def _empty(number: int, label, groups: tuple) -> Column:
    return Column(str(number), label, "", {}, groups)


def _finding(first: int, label, outcome: str) -> tuple[Column, Column]:
    """A finding, then the further denunciations among them."""
    groups = (ANALYSIS,)
    return (
        Column(str(first), label, RESOLVED, {**K, "outcome": outcome}, groups),
        Column(
            str(first + 1), OF_WHICH_FURTHER, RESOLVED, {**K, "outcome": outcome, "round": "next"}, groups
        ),
    )


COLUMNS = (
    Column("1", TOTAL, P + "to_resolve", K, (PETITIONS,)),
    Column("2", _("Carried over from the previous period"), P + "to_resolve_carried_over", K, (PETITIONS,)),
    Column("3", _("Accepted in the period"), P + "within_authority", K, (PETITIONS,)),
    Column("4", _("Cases of denunciations within authority"), P + "to_resolve_cases", K),
    Column("5", OF_WHICH_FURTHER, P + "to_resolve_cases", {**K, "round": "next"}),
    Column("6", TOTAL, RESOLVED, K, (RESULTS, DONE)),
    Column(
        "7",
        _("First denunciations"),
        RESOLVED,
        {**K, "closure": "decision", "round": "first"},
        (RESULTS, DONE),
    ),
    Column(
        "8",
        _("Further denunciations"),
        RESOLVED,
        {**K, "closure": "decision", "round": "next"},
        (RESULTS, DONE),
    ),
    Column("9", _("Whole denunciation withdrawn"), RESOLVED, {**K, "closure": "withdrawal"}, (RESULTS, DONE)),
    _empty(10, _("Stopped for another reason than withdrawal"), (RESULTS, DONE)),
    Column("11", MONEY, P + "money_recovered", K, (RESULTS, RECOVER)),
    Column("12", LAND, P + "land_recovered", K, (RESULTS, RECOVER)),
    _empty(13, MONEY, (RESULTS, RETURN, ORGANISATIONS)),
    _empty(14, LAND, (RESULTS, RETURN, ORGANISATIONS)),
    _empty(15, MONEY, (RESULTS, RETURN, INDIVIDUALS)),
    _empty(16, LAND, (RESULTS, RETURN, INDIVIDUALS)),
    _empty(17, _("Organisations whose rights were restored"), (RESULTS,)),
    Column("18", _("Individuals whose rights were restored"), P + "people_restored", K, (RESULTS,)),
    Column("19", _("People recommended"), P + "people_sanctioned", K, (RESULTS, SANCTIONS)),
    _empty(20, OF_WHOM_OFFICIALS, (RESULTS, SANCTIONS)),
    Column("21", _("Cases"), P + "cases_to_investigation", K, (RESULTS, INVESTIGATION)),
    _empty(22, _("People"), (RESULTS, INVESTIGATION)),
    _empty(23, OF_WHOM_OFFICIALS, (RESULTS, INVESTIGATION)),
    *_finding(24, _("Denunciation true"), "denunciation_true"),
    *_finding(26, _("Denunciation false"), "denunciation_false"),
    *_finding(28, _("Denunciation partly true"), "denunciation_partly"),
    Column(
        "30",
        _("Within the time limit"),
        RESOLVED,
        {**K, "closure": "decision", "on_time": "yes"},
        (DEADLINE,),
    ),
    Column(
        "31", _("After the time limit"), RESOLVED, {**K, "closure": "decision", "on_time": "no"}, (DEADLINE,)
    ),
)
CHECKS = checks((1, 2, 3), (6, 7, 8, 9), (8, 25, 27, 29))
NOTES = (
    _(
        "Column 10 is left empty: the records do not hold a stop of the resolution other than a "
        "withdrawal. So are the returns split by organisations and individuals (13–17), the civil "
        "servants among the people recommended for sanctions (20) and the people passed to the "
        "investigating agency (22, 23)."
    ),
    _(
        "A whole withdrawal carries no finding and no time limit: the form's (6) = (24) + (26) + (28) "
        "= (30) + (31) holds for the cases resolved by a conclusion, (7) + (8)."
    ),
)
TT06_NOTE = _("Circular 06/2025/TT-TTCP reports the resolution of denunciations on form 04/GQTC.")

DECLARATIONS = versions(
    "kqgq03",
    "KQGQ03",
    _("Results of resolving denunciations within authority"),
    tt02_2021=(COLUMNS, CHECKS, NOTES),
    tt01_2024=(COLUMNS, CHECKS, NOTES),
    tt06_2025_notes=(TT06_NOTE,),
)
