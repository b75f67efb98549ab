"""Every declared form version. A new circular's form is a new module here, added to `MODULES`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from ..declarations import FormDeclaration
from . import kqgq01, kqgq03, tcd01, tcd02, xld01, xld02, xld03, xld04

MODULES = [tcd01, tcd02, xld01, xld02, xld03, xld04, kqgq01, kqgq03]

FORM_CODES = ("01-tcd", "02-tcd", "01-xld", "02-xld", "03-xld", "04-xld", "kqgq01", "kqgq03")


def declarations() -> list[FormDeclaration]:
    return [d for module in MODULES for d in module.DECLARATIONS]


def versions_of(code: str) -> list[FormDeclaration]:
    return sorted((d for d in declarations() if d.code == code), key=lambda d: d.valid_from)


def form_for(code: str, first: date, last: date, version: str = "") -> FormDeclaration:
    """The version of form `code` for the period: the one asked for, which must cover the period,
    or the one in force on the period's last day."""
    known = versions_of(code)
    if not known:
        raise DomainError(
            "reports.form_unknown",
            _("There is no form “%(code)s”. The forms are: %(forms)s."),
            fields={"form": _("Unknown form.")},
            code=code,
            forms=", ".join(c for c in FORM_CODES if versions_of(c)),
        )
    if version:
        chosen = next((d for d in known if d.version == version), None)
        if chosen is None or not chosen.covers(first, last):
            raise DomainError(
                "reports.form_version_not_covering",
                _(
                    "The version %(version)s of form %(code)s does not cover %(first)s – %(last)s. "
                    "Versions: %(versions)s."
                ),
                fields={"version": _("This version does not cover the period.")},
                version=version,
                code=code,
                first=f"{first:%d/%m/%Y}",
                last=f"{last:%d/%m/%Y}",
                versions=_versions_text(known),
            )
        return chosen
    for declaration in reversed(known):
        if declaration.covers(last, last):
            return declaration
    raise DomainError(
        "reports.form_version_not_covering",
        _(
            "No declared version of form %(code)s covers %(first)s – %(last)s. Versions: %(versions)s. "
            "Periods before them were reported on the forms of Circular 03/2013/TT-TTCP."
        ),
        fields={"period": _("No version of the form covers this period.")},
        code=code,
        first=f"{first:%d/%m/%Y}",
        last=f"{last:%d/%m/%Y}",
        versions=_versions_text(known),
    )


def _versions_text(known: list[FormDeclaration]) -> str:
    def until(d: FormDeclaration) -> str:
        return f"{d.valid_to:%d/%m/%Y}" if d.valid_to else "…"

    return "; ".join(f"{d.version} ({d.valid_from:%d/%m/%Y} – {until(d)})" for d in known)
