"""Form 01/TCD: summary of regular, periodic and ad hoc citizen reception (TT 02/2021/TT-TTCP,
kept by TT 01/2024/TT-TTCP; legal-rules.md §4.2). 29 numbered columns and a note."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ..declarations import Check, Column, FormDeclaration

TOTAL = _("Total")
REGULAR = _("Regular reception")
HEAD = _("Periodic and ad hoc reception by the head")
IN_PERSON = _("Received by the head in person")
AUTHORISED = _("Received by an authorised person")
CASES = _("Cases")
CROWDS = _("Of which crowds")


def _way(way: str, first: int, groups: tuple) -> list[Column]:
    """The visits, people, cases and crowds of one way of receiving, from column `first`."""
    by = {"by": way}
    n = first
    return [
        Column(str(n), _("Visits"), "reception.visits", by, groups),
        Column(str(n + 1), _("People"), "reception.people", by, groups),
        Column(str(n + 2), _("First time"), "reception.cases_first", by, (*groups, CASES)),
        Column(str(n + 3), _("Repeated"), "reception.cases_repeated", by, (*groups, CASES)),
        Column(str(n + 4), _("Groups"), "reception.crowds", by, (*groups, CROWDS)),
        Column(str(n + 5), _("People"), "reception.crowd_people", by, (*groups, CROWDS)),
        Column(str(n + 6), _("Cases first time"), "reception.crowd_cases_first", by, (*groups, CROWDS)),
        Column(str(n + 7), _("Cases repeated"), "reception.crowd_cases_repeated", by, (*groups, CROWDS)),
    ]


COLUMNS = (
    Column("1", _("Visits"), "reception.visits", {}, (TOTAL,)),
    Column("2", _("People"), "reception.people", {}, (TOTAL,)),
    Column("3", _("Cases"), "reception.cases", {}, (TOTAL,)),
    *_way("regular", 4, (REGULAR,)),
    Column("12", _("Sessions"), "reception.sessions", {"by": "head"}, (HEAD, IN_PERSON)),
    *_way("head", 13, (HEAD, IN_PERSON)),
    Column("21", _("Sessions"), "reception.sessions", {"by": "authorised"}, (HEAD, AUTHORISED)),
    *_way("authorised", 22, (HEAD, AUTHORISED)),
)

CHECKS = (
    Check("1", ("4", "13", "22")),
    Check("2", ("5", "14", "23")),
    Check("3", ("6", "7", "15", "16", "24", "25")),
)

TITLE = _("Summary of regular, periodic and ad hoc citizen reception")

TT02_2021 = FormDeclaration(
    code="01-tcd",
    version="tt02-2021",
    circular=_("Circular 02/2021/TT-TTCP"),
    valid_from=date(2021, 5, 10),
    valid_to=date(2024, 3, 4),
    title=TITLE,
    form_number="01/TCD",
    columns=COLUMNS,
    checks=CHECKS,
)
TT01_2024 = FormDeclaration(
    code="01-tcd",
    version="tt01-2024",
    circular=_("Circular 01/2024/TT-TTCP"),
    valid_from=date(2024, 3, 5),
    valid_to=date(2025, 9, 29),
    title=TITLE,
    form_number="01/TCD",
    columns=COLUMNS,
    checks=CHECKS,
)
TT06_2025 = FormDeclaration(
    code="01-tcd",
    version="tt06-2025",
    circular=_("Circular 06/2025/TT-TTCP"),
    valid_from=date(2025, 9, 30),
    valid_to=None,
    title=TITLE,
    form_number="01/TCD",
    columns=COLUMNS,
    checks=CHECKS,
    notes=(
        _(
            "The columns of Circular 06/2025/TT-TTCP are taken to be those of Circular 01/2024/TT-TTCP; "
            "check them against the published form."
        ),
    ),
)

DECLARATIONS = (TT02_2021, TT01_2024, TT06_2025)
