"""Numbers as people write them: 4.937 and 99,2% in Vietnamese, 4,937 and 99.2% in English
(DESIGN.md §6.8). Django's own formats do not group thousands in Vietnamese, hence this."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _


def _separators() -> tuple[str, str]:
    """(thousands, decimal) for the active language."""
    if (translation.get_language() or "vi").startswith("en"):
        return ",", "."
    return ".", ","


def number(value, decimals: int = 0) -> str:
    """`value` grouped by thousands with `decimals` digits after the point; "" for None."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    thousands, point = _separators()
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + thousands.join(groups)
    return f"{text}{point}{fraction}" if decimals else text


def percent(value) -> str:
    return "" if value is None else number(value, 1) + "%"


def figure_text(value, measure: str = "count") -> str:
    """A report figure as shown: a percentage with one decimal, money and area with what they
    carry, counts whole; "not available" when nothing records it."""
    if value is None:
        return _("not available")
    if measure == "percent":
        return percent(value)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number(value, 2 if measure == "area" else 3)
    return number(value)
