"""The shapes in which forms and the review are declared: data, not code.

A form version is a `FormDeclaration`: its code ("01-xld"), the circular it comes from and the
dates it covers, its title, its numbered columns (each the figure of one indicator narrowed by
dimension values, under nested header groups that the exports merge), its arithmetic checks
(column = sum of columns) and its notes (where an older form lumped categories together). A new
circular is a new declaration in `reports/forms/`, registered in `forms/__init__.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

from .engine import Cell

Text = str | Promise


@dataclass(frozen=True)
class Column:
    number: str  # the form's column code ("MS"), as printed
    label: Text
    code: str = ""  # indicator; "" for a column the form leaves to be written by hand (notes)
    filters: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[Text, ...] = ()  # header groups above the label, outermost first

    @property
    def cell(self) -> Cell | None:
        return Cell.of(self.code, self.filters) if self.code else None


@dataclass(frozen=True)
class Check:
    """`column` equals the sum of `parts` (the form's own arithmetic, e.g. 1 = 4 + 13 + 22)."""

    column: str
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"({self.column}) = " + " + ".join(f"({p})" for p in self.parts)


@dataclass(frozen=True)
class FormDeclaration:
    code: str  # "01-tcd", "02-tcd", "01-xld" … "04-xld", "kqgq01", "kqgq03"
    version: str  # "tt03-2013", "tt02-2021", "tt01-2024", "tt06-2025"
    circular: Text
    valid_from: date
    valid_to: date | None
    title: Text
    columns: tuple[Column, ...]
    checks: tuple[Check, ...] = ()
    notes: tuple[Text, ...] = ()
    form_number: Text = ""  # as printed in the top corner ("Biểu số 01/TCD")

    def covers(self, first: date, last: date) -> bool:
        return self.valid_from <= last and (self.valid_to is None or first <= self.valid_to)

    @property
    def cells(self) -> list[Cell]:
        return [c.cell for c in self.columns if c.cell is not None]

    def column(self, number: str) -> Column:
        return next(c for c in self.columns if c.number == number)


@dataclass(frozen=True)
class ReviewItem:
    """One figure of the review: its indicator, the sentence that tells it (named placeholders
    %(value)s, %(first)s, %(last)s, %(unit)s and those of `with_codes`), and figures it quotes."""

    code: str
    sentence: Text
    with_codes: Mapping[str, str] = field(default_factory=dict)  # placeholder -> indicator code
    chart: bool = True
    label: Text = ""  # shown while no capability registers the indicator (then "not available")


@dataclass(frozen=True)
class ReviewSection:
    key: str
    title: Text
    items: tuple[ReviewItem, ...]
