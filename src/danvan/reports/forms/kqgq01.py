"""Form KQGQ01: results of resolving the complaints within the unit's authority (TT 02/2021/TT-TTCP,
TT 01/2024/TT-TTCP; legal-rules.md §4.2), 26 numbered columns and a note.

Petitions to resolve are those accepted before the period and not resolved on its first day, and
those accepted in it. Resolved cases are those resolved in the period by a decision or ended by the
complainants' withdrawal, each counted once; the money (million VND), land (m²) and people are the
results recorded with the decisions. Columns the records cannot give are left empty.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..declarations import Column
from .xld01 import TOTAL, checks, versions

K = {"kind": "complaint"}
P = "petitions."
RESOLVED = "petitions.resolved_cases"
PETITIONS = _("Complaints within authority")
RESULTS = _("Results of resolution")
DONE = _("Resolved")
RECOVER = _("Recommended for recovery to the State")
RETURN = _("Returned to organisations and individuals")
ORGANISATIONS = _("Organisations")
INDIVIDUALS = _("Individuals")
SANCTIONS = _("Recommended for administrative sanctions")
INVESTIGATION = _("Passed to the investigating agency")
ANALYSIS = _("Analysis of the results (cases)")
FIRST = _("Resolved the first time")
SECOND = _("Resolved the second time")
DEADLINE = _("Compliance with the time limit")
MONEY = _("Money (million VND)")
LAND = _("Land (m²)")
OF_WHOM_OFFICIALS = _("Of whom cadres, civil servants and public employees")


def _empty(number: int, label, groups: tuple) -> Column:
    """A column of the form that the records cannot give: shown empty."""
    return Column(str(number), label, "", {}, groups)


COLUMNS = (
    Column("1", TOTAL, P + "to_resolve", K, (PETITIONS,)),
    Column("2", _("Carried over from the previous period"), P + "to_resolve_carried_over", K, (PETITIONS,)),
    Column("3", _("Accepted in the period"), P + "within_authority", K, (PETITIONS,)),
    Column("4", _("Cases of complaints within authority"), P + "to_resolve_cases", K),
    Column("5", _("By an administrative decision"), RESOLVED, {**K, "closure": "decision"}, (RESULTS, DONE)),
    Column(
        "6",
        _("By withdrawal after explanation and persuasion"),
        RESOLVED,
        {**K, "closure": "withdrawal"},
        (RESULTS, DONE),
    ),
    Column("7", MONEY, P + "money_recovered", K, (RESULTS, RECOVER)),
    Column("8", LAND, P + "land_recovered", K, (RESULTS, RECOVER)),
    _empty(9, MONEY, (RESULTS, RETURN, ORGANISATIONS)),
    _empty(10, LAND, (RESULTS, RETURN, ORGANISATIONS)),
    _empty(11, MONEY, (RESULTS, RETURN, INDIVIDUALS)),
    _empty(12, LAND, (RESULTS, RETURN, INDIVIDUALS)),
    _empty(13, _("Organisations whose rights were restored"), (RESULTS, RETURN)),
    Column("14", _("Individuals whose rights were restored"), P + "people_restored", K, (RESULTS, RETURN)),
    Column("15", _("People recommended"), P + "people_sanctioned", K, (RESULTS, SANCTIONS)),
    _empty(16, OF_WHOM_OFFICIALS, (RESULTS, SANCTIONS)),
    Column("17", _("Cases"), P + "cases_to_investigation", K, (RESULTS, INVESTIGATION)),
    _empty(18, _("People"), (RESULTS, INVESTIGATION)),
    _empty(19, OF_WHOM_OFFICIALS, (RESULTS, INVESTIGATION)),
    Column("20", _("Complaint correct"), RESOLVED, {**K, "outcome": "complaint_correct"}, (ANALYSIS, FIRST)),
    Column(
        "21", _("Complaint incorrect"), RESOLVED, {**K, "outcome": "complaint_incorrect"}, (ANALYSIS, FIRST)
    ),
    Column(
        "22", _("Complaint partly correct"), RESOLVED, {**K, "outcome": "complaint_partly"}, (ANALYSIS, FIRST)
    ),
    Column("23", _("First decision upheld"), RESOLVED, {**K, "outcome": "upheld"}, (ANALYSIS, SECOND)),
    Column(
        "24",
        _("First decision annulled or amended"),
        RESOLVED,
        {**K, "outcome": "amended"},
        (ANALYSIS, SECOND),
    ),
    Column(
        "25",
        _("Within the time limit"),
        RESOLVED,
        {**K, "closure": "decision", "on_time": "yes"},
        (ANALYSIS, DEADLINE),
    ),
    Column(
        "26",
        _("After the time limit"),
        RESOLVED,
        {**K, "closure": "decision", "on_time": "no"},
        (ANALYSIS, DEADLINE),
    ),
)
CHECKS = checks((1, 2, 3), (5, 20, 21, 22, 23, 24), (5, 25, 26))
NOTES = (
    _(
        "The records hold the money and land returned without saying whether to organisations or to "
        "individuals (indicators petitions.money_returned and petitions.land_returned): columns 9–12 "
        "are left empty, as are the organisations whose rights were restored (13), the civil servants "
        "among the people recommended for sanctions (16) and the people passed to the investigating "
        "agency (18, 19)."
    ),
    _("The time limit is checked for decisions only: a withdrawal carries no finding on time."),
)
TT06_NOTE = _("Circular 06/2025/TT-TTCP reports the resolution of complaints on form 03/GQKN.")

DECLARATIONS = versions(
    "kqgq01",
    "KQGQ01",
    _("Results of resolving complaints within authority"),
    tt02_2021=(COLUMNS, CHECKS, NOTES),
    tt01_2024=(COLUMNS, CHECKS, NOTES),
    tt06_2025_notes=(TT06_NOTE,),
)
