"""Form 01/XLD: summary of petition processing, all kinds of content (TT 02/2021/TT-TTCP with 26
columns, TT 01/2024/TT-TTCP with 22; legal-rules.md §4.2). Also the version table every petition
form of the inspection sector shares (`versions`).

Petitions to process are those carried over (received before the period, not processed on its
first day) and those received in it; processed ones are placed by the day their processing ended.
The results count only eligible petitions: within authority (accepted) or outside it (guided,
transferred, urged).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ..declarations import Check, Column, FormDeclaration, Text

LAYOUT_2025_NOT_SEEN = _(
    "The columns of Circular 06/2025/TT-TTCP are taken to be those of Circular 01/2024/TT-TTCP; "
    "check them against the published form."
)
STATUS_AT_INTAKE = _(
    "Resolution status is the state of the matter when the petition came: a second complaint or a "
    "further denunciation after a decision is “already resolved” (more than once when that decision "
    "was itself a second one); after an earlier petition still unresolved, or linked to a case already "
    "in hand, it is “being resolved”; otherwise “not yet resolved”."
)
KNPA_TOGETHER = _("Recommendations and feedback are counted together, as the form does.")


def versions(
    code: str,
    form_number: Text,
    title: Text,
    *,
    tt02_2021: tuple[tuple[Column, ...], tuple[Check, ...], tuple[Text, ...]],
    tt01_2024: tuple[tuple[Column, ...], tuple[Check, ...], tuple[Text, ...]],
    tt06_2025_notes: tuple[Text, ...] = (),
) -> tuple[FormDeclaration, ...]:
    """The form under TT 02/2021 (10/05/2021–04/03/2024), TT 01/2024 (05/03/2024–29/09/2025) and
    TT 06/2025 (from 30/09/2025; its layout was not seen: the 2024 columns, with a note)."""
    old_columns, old_checks, old_notes = tt02_2021
    columns, checks, notes = tt01_2024
    return (
        FormDeclaration(
            code=code,
            form_number=form_number,
            title=title,
            version="tt02-2021",
            circular=_("Circular 02/2021/TT-TTCP"),
            valid_from=date(2021, 5, 10),
            valid_to=date(2024, 3, 4),
            columns=old_columns,
            checks=old_checks,
            notes=old_notes,
        ),
        FormDeclaration(
            code=code,
            form_number=form_number,
            title=title,
            version="tt01-2024",
            circular=_("Circular 01/2024/TT-TTCP"),
            valid_from=date(2024, 3, 5),
            valid_to=date(2025, 9, 29),
            columns=columns,
            checks=checks,
            notes=notes,
        ),
        FormDeclaration(
            code=code,
            form_number=form_number,
            title=title,
            version="tt06-2025",
            circular=_("Circular 06/2025/TT-TTCP"),
            valid_from=date(2025, 9, 30),
            valid_to=None,
            columns=columns,
            checks=checks,
            notes=(LAYOUT_2025_NOT_SEEN, *tt06_2025_notes, *notes),
        ),
    )


def checks(*equalities: tuple[int, ...]) -> tuple[Check, ...]:
    """Checks from the form's arithmetic: (1, 2, 3) reads "(1) = (2) + (3)"."""
    return tuple(Check(str(total), tuple(str(p) for p in parts)) for total, *parts in equalities)


P = "petitions."
TOTAL = _("Total")
PETITIONS = _("Petitions")
CASES = _("Cases")
TO_PROCESS = _("Petitions to process")
CARRIED = _("Carried over from the previous period")
RECEIVED = _("Received in the period")
PROCESSED = _("Petitions processed")
NOT_PROCESSED = _("Petitions not processed (carried into the next period)")
ELIGIBLE = _("Eligible for processing")
BY_CONTENT = _("Petitions by content")
BY_STATUS = _("Petitions by resolution status")
ALREADY = _("Already resolved")
RESULT = _("Result of processing")
WITHIN = _("Petitions within authority")
OUTSIDE = _("Petitions outside authority")
REPLIES = _("Replies received to transferred petitions")
COMPLAINTS = _("Complaints")
DENUNCIATIONS = _("Denunciations")
KNPA = _("Recommendations and feedback")
MANY = _("Signed by many people")
ONE = _("Signed by one person")
OTHER = _("Other petitions")

KINDS = (("complaint", COMPLAINTS), ("denunciation", DENUNCIATIONS), ("knpa", KNPA))
HOWS = (("guided", _("Guided")), ("transferred", _("Transferred")), ("urged", _("Urged")))


def by_signers(first: int, code: str, groups: tuple, filters: dict | None = None) -> tuple[Column, ...]:
    """Many signers, one signer, other (no named sender), from column `first` (TT 02/2021)."""
    return tuple(
        Column(str(first + i), label, code, {**(filters or {}), "signers": signers}, groups)
        for i, (signers, label) in enumerate((("many", MANY), ("one", ONE), ("other", OTHER)))
    )


def processed(first: int, filters: dict) -> tuple[Column, ...]:
    """The petitions processed: in all, carried over, received in the period (02/XLD–04/XLD)."""
    return (
        Column(str(first), TOTAL, P + "processed", filters, (PROCESSED,)),
        Column(str(first + 1), CARRIED, P + "processed_carried_over", filters, (PROCESSED,)),
        Column(str(first + 2), RECEIVED, P + "processed_received", filters, (PROCESSED,)),
    )


COLUMNS_2024 = (
    Column("1", TOTAL, P + "to_process", {}, (TO_PROCESS,)),
    Column("2", CARRIED, P + "carried_over", {}, (TO_PROCESS,)),
    Column("3", RECEIVED, P + "received", {}, (TO_PROCESS,)),
    Column("4", PROCESSED, P + "processed"),
    Column("5", NOT_PROCESSED, P + "not_processed"),
    Column("6", PETITIONS, P + "eligible", {}, (ELIGIBLE,)),
    Column("7", CASES, P + "eligible_cases", {}, (ELIGIBLE,)),
    *(
        Column(str(8 + i), label, P + "eligible", {"kind": kind}, (BY_CONTENT,))
        for i, (kind, label) in enumerate(KINDS)
    ),
    Column("11", _("First time"), P + "eligible", {"status": "first"}, (BY_STATUS, ALREADY)),
    Column("12", _("More than once"), P + "eligible", {"status": "again"}, (BY_STATUS, ALREADY)),
    Column("13", _("Not yet fully resolved"), P + "eligible", {"status": "unresolved"}, (BY_STATUS,)),
    Column("14", TOTAL, P + "eligible", {"authority": "own"}, (RESULT, WITHIN)),
    *(
        Column(str(15 + i), label, P + "eligible", {"authority": "own", "kind": kind}, (RESULT, WITHIN))
        for i, (kind, label) in enumerate(KINDS)
    ),
    Column("18", TOTAL, P + "eligible", {"authority": "outside"}, (RESULT, OUTSIDE)),
    *(
        Column(str(19 + i), label, P + "eligible", {"how": how}, (RESULT, OUTSIDE))
        for i, (how, label) in enumerate(HOWS)
    ),
    Column("22", REPLIES, P + "transfer_replies"),
)
CHECKS_2024 = checks(
    (1, 2, 3), (1, 4, 5), (6, 8, 9, 10), (6, 11, 12, 13), (6, 14, 18), (14, 15, 16, 17), (18, 19, 20, 21)
)

COLUMNS_2021 = (
    Column("1", TOTAL, P + "to_process", {}, (TO_PROCESS,)),
    *by_signers(2, P + "carried_over", (TO_PROCESS, CARRIED)),
    *by_signers(5, P + "received", (TO_PROCESS, RECEIVED)),
    Column("8", PROCESSED, P + "processed"),
    Column("9", PETITIONS, P + "eligible", {}, (ELIGIBLE,)),
    Column("10", CASES, P + "eligible_cases", {}, (ELIGIBLE,)),
    *(
        Column(str(11 + i), label, P + "eligible", {"kind": kind}, (BY_CONTENT,))
        for i, (kind, label) in enumerate(KINDS)
    ),
    Column("14", _("First time"), P + "eligible", {"status": "first"}, (BY_STATUS, ALREADY)),
    Column("15", _("More than once"), P + "eligible", {"status": "again"}, (BY_STATUS, ALREADY)),
    Column("16", _("Being resolved"), P + "eligible", {"status": "being"}, (BY_STATUS,)),
    Column("17", _("Not yet resolved"), P + "eligible", {"status": "new"}, (BY_STATUS,)),
    Column("18", TOTAL, P + "eligible", {"authority": "own"}, (RESULT, WITHIN)),
    *(
        Column(str(19 + i), label, P + "eligible", {"authority": "own", "kind": kind}, (RESULT, WITHIN))
        for i, (kind, label) in enumerate(KINDS)
    ),
    Column("22", TOTAL, P + "eligible", {"authority": "outside"}, (RESULT, OUTSIDE)),
    *(
        Column(str(23 + i), label, P + "eligible", {"how": how}, (RESULT, OUTSIDE))
        for i, (how, label) in enumerate(HOWS)
    ),
    Column("26", REPLIES, P + "transfer_replies"),
)
CHECKS_2021 = checks(
    (1, 2, 3, 4, 5, 6, 7),
    (9, 11, 12, 13),
    (9, 14, 15, 16, 17),
    (9, 18, 22),
    (18, 19, 20, 21),
    (22, 23, 24, 25),
)
SIGNERS_2021 = _(
    "“Other petitions” are those with no named sender (anonymous); “many people” means five or more "
    "signers. The form has no column for the petitions not processed: they are column 1 less column 8."
)

DECLARATIONS = versions(
    "01-xld",
    "01/XLD",
    _("Summary of petition processing"),
    tt02_2021=(COLUMNS_2021, CHECKS_2021, (SIGNERS_2021, STATUS_AT_INTAKE, KNPA_TOGETHER)),
    tt01_2024=(COLUMNS_2024, CHECKS_2024, (STATUS_AT_INTAKE, KNPA_TOGETHER)),
    tt06_2025_notes=(_("Circular 06/2025/TT-TTCP reports the processing of petitions on form 02/XLD."),),
)
