"""One cell of a spreadsheet to the value of its column, and back.

Readers hand over cells as str (NFC, trimmed), int, float, bool, date, datetime or None.
`parse_cell` turns one into the value of its `Column` (date, int, Decimal, bool, choice code, list
of codes, text) or raises `DomainError("import.value", message)` whose message says what is wrong
with the value in the active language, without the row or column (the caller puts those in front).
`format_cell` does the reverse for exports and templates, so that an exported file imports back to
the same values.

Conventions of Vietnamese registers that the parsers follow:
- dates are written day first ("05/03/2016", "ngày 5 tháng 3 năm 2016"), never month first;
- "." groups thousands and "," marks decimals ("1.234,5"), though English-style "1,234.5" is common
  too: see `parse_decimal` for how the two are told apart;
- "—" or "-" alone means "nothing to report": an empty value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core import records
from danvan.core.errors import DomainError
from danvan.core.records import Column
from danvan.core.text import fold, normalize

ERROR_CODE = "import.value"
FIRST_YEAR, LAST_YEAR = 1945, 2100
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system, leap-year bug included)
EXCEL_SERIALS = (1, 80000)
EMPTY_MARKS = {"-", "—", "–", "--"}
MAX_LISTED_CHOICES = 12


def _error(message: str, **params: Any) -> DomainError:
    return DomainError(ERROR_CODE, message, **params)


def _shown(raw: Any) -> str:
    """The cell as the user sees it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return f"{raw:%d/%m/%Y}"
    return str(raw)


def _is_empty_mark(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip() in EMPTY_MARKS


# -- dates -------------------------------------------------------------------------------------------

_TIME = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})" + _TIME + "$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
# Folded "ngày 5 tháng 3 năm 2016" (the word "ngày" may be left out).
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})$")


def _check_year(year: int, raw: Any) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _error(
            _("“%(value)s” is in the year %(year)s; dates must fall between %(first)s and %(last)s."),
            value=_shown(raw),
            year=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )


def _checked_year(day: date, raw: Any) -> date:
    _check_year(day.year, raw)
    return day


def _not_a_date(raw: Any) -> DomainError:
    return _error(_("“%(value)s” is not a date (write dd/mm/yyyy, e.g. 05/03/2016)."), value=_shown(raw))


def _from_parts(raw: Any, day: int, month: int, year: int) -> date:
    _check_year(year, raw)
    try:
        return date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            # Day first helps only where the numbers swapped would make a date (5/13/2016).
            message = (
                _("“%(value)s” is not a date: there is no month %(month)s (write the day first).")
                if 1 <= day <= 12
                else _("“%(value)s” is not a date: there is no month %(month)s.")
            )
            raise _error(message, value=_shown(raw), month=month) from None
        raise _error(
            _("“%(value)s” is not a date: month %(month)s of %(year)s has no day %(day)s."),
            value=_shown(raw),
            day=day,
            month=month,
            year=year,
        ) from None


def parse_date(raw: Any) -> date:
    """A date from a cell: a date or datetime, an Excel serial number (1..80000), or text written
    day first ("05/03/2016", "5-3-2016", "05.03.2016", "ngày 5 tháng 3 năm 2016", any case or
    diacritics) or as ISO ("2016-03-05"). Years outside 1945..2100 are refused."""
    if isinstance(raw, datetime):
        return _checked_year(raw.date(), raw)
    if isinstance(raw, date):
        return _checked_year(raw, raw)
    if isinstance(raw, bool):
        raise _not_a_date(raw)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise _not_a_date(raw)
        if not EXCEL_SERIALS[0] <= raw <= EXCEL_SERIALS[1]:
            raise _not_a_date(raw)
        return _checked_year(EXCEL_EPOCH + timedelta(days=int(raw)), raw)
    text = fold(str(raw))
    if match := _DAY_FIRST.match(text) or _WORDS.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _from_parts(raw, day, month, year)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _from_parts(raw, day, month, year)
    raise _not_a_date(raw)


# -- numbers -----------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^[+-]?\d[\d.,]*$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$")  # 1.234 / 12,345,678: separators every three


def _grouped(digits: str, separator: str) -> bool:
    """Is `digits` (no sign) written with `separator` between groups of three?"""
    return bool(_GROUPED.match(digits)) and set(re.sub(r"\d", "", digits)) == {separator}


def _not_a_number(raw: Any) -> DomainError:
    return _error(_("“%(value)s” is not a number."), value=_shown(raw))


def _number_text(raw: Any, *, whole: bool) -> Decimal:
    """The number written in `raw` (text); `whole` tells how a lone "," reads (see `parse_decimal`)."""
    text = _SPACES.sub("", str(raw))
    if not _NUMBER.match(text):
        raise _not_a_number(raw)
    sign, digits = ("-", text[1:]) if text[0] in "+-" else ("", text)
    if digits[0] in "+-":
        raise _not_a_number(raw)
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        # Both: the last one marks the decimals, the other groups thousands.
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole_part, _sep, fraction = digits.rpartition(decimal_mark)
        if group_mark in fraction or not fraction or not _grouped(whole_part, group_mark):
            raise _not_a_number(raw)
        plain = whole_part.replace(group_mark, "") + "." + fraction
    elif dots > 1 or commas > 1:
        mark = "." if dots else ","
        if not _grouped(digits, mark):
            raise _not_a_number(raw)
        plain = digits.replace(mark, "")
    elif dots:
        plain = digits.replace(".", "") if _grouped(digits, ".") else digits
    elif commas:
        plain = digits.replace(",", "") if whole and _grouped(digits, ",") else digits.replace(",", ".")
    else:
        plain = digits
    if plain.startswith(".") or plain.endswith("."):
        raise _not_a_number(raw)
    try:
        return Decimal(sign + plain)
    except InvalidOperation:
        raise _not_a_number(raw) from None


def _number(raw: Any, *, whole: bool) -> Decimal:
    if isinstance(raw, bool):
        raise _not_a_number(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _not_a_number(raw)
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _not_a_number(raw)
        return raw
    if isinstance(raw, datetime | date):
        raise _not_a_number(raw)
    return _number_text(raw, whole=whole)


def parse_decimal(raw: Any) -> Decimal:
    """A decimal number from a cell: a number, or text with Vietnamese or English separators.

    Text is read as follows (spaces between digits are ignored: "1 234" = 1234):
    - both "." and "," present: the last one marks the decimals ("1.234,5" = "1,234.5" = 1234.5);
    - one "." followed by exactly three digits after a group of one to three: thousands
      ("1.234" = 1234, the Vietnamese way); otherwise a decimal point ("12.5", "0.234");
    - one ",": the Vietnamese decimal comma ("12,5" = 12.5, "1,234" = 1.234);
    - several of the same mark: thousands, in groups of three ("1.234.567").
    """
    return _number(raw, whole=False)


def parse_integer(raw: Any) -> int:
    """A whole number from a cell. As `parse_decimal`, except that one "," before a group of three
    digits groups thousands ("1,234" = 1234, as in an English-style register: a whole-number column
    has no decimals to mark); 12.0 is 12, 12.5 is refused."""
    number = _number(raw, whole=True)
    if number != number.to_integral_value():
        raise _error(_("“%(value)s” is not a whole number."), value=_shown(raw))
    return int(number)


def _at_least(column: Column, value: Decimal | int, raw: Any) -> None:
    if column.min_value is not None and value < column.min_value:
        raise _error(
            _("“%(value)s” is less than %(min)s, the smallest value allowed here."),
            value=_shown(raw),
            min=column.min_value,
        )


# -- yes / no ----------------------------------------------------------------------------------------

_TRUE = {"co", "x", "✓", "✔", "☑", "yes", "y", "true", "1", "dung", "v"}
_FALSE = {"khong", "no", "n", "false", "0", "sai"}
ACCEPTED_BOOLEANS = "Có, Không, x, ✓, Yes, No, True, False, 1, 0, Đúng, Sai"


def parse_boolean(raw: Any) -> bool:
    """Yes or no from a cell: có/không, x or ✓ (an empty cell is no value at all: the record type
    decides what that means), yes/no, true/false, 1/0, đúng/sai."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = fold(_shown(raw)).rstrip(".")
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _error(
        _("“%(value)s” is not yes or no (write one of: %(accepted)s)."),
        value=_shown(raw),
        accepted=ACCEPTED_BOOLEANS,
    )


# -- choices -----------------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")
_choice_cache: dict[int, tuple[Column, dict[str, str]]] = {}


def choice_key(text: Any) -> str:
    """The form choices are compared in: folded, without spaces or punctuation."""
    return _choice_key(text) if type(text) is str else _NOT_ALNUM.sub("", fold(str(text)))


@lru_cache(maxsize=1 << 14)
def _choice_key(text: str) -> str:
    return _NOT_ALNUM.sub("", fold(text))


def choice_codes(column: Column) -> dict[str, str]:
    """Folded code, Vietnamese label, English label and alias → code, computed once per column.

    Codes win over labels, labels over aliases, where two would fold alike.
    """
    cached = _choice_cache.get(id(column))
    if cached is not None and cached[0] is column:
        return cached[1]
    codes: dict[str, str] = {}
    for code in column.choices:
        codes.setdefault(choice_key(code), code)
    for language in ("vi", "en"):
        with translation.override(language):
            for code, label in column.choices.items():
                codes.setdefault(choice_key(str(label)), code)
    # `Column.aliases` name the header, not values; per-value aliases come from `choice_aliases`
    # ({code: (alias, ...)}) when the column declares it.
    for code, aliases in getattr(column, "choice_aliases", {}).items():
        for alias in aliases:
            codes.setdefault(choice_key(alias), code)
    _choice_cache[id(column)] = (column, codes)
    return codes


def _allowed_labels(column: Column) -> str:
    labels = [str(label) for label in column.choices.values()]
    shown = ", ".join(labels[:MAX_LISTED_CHOICES])
    return shown + (", …" if len(labels) > MAX_LISTED_CHOICES else "")


def parse_choice(column: Column, raw: Any) -> str:
    """The code of one allowed value, written as its code or label (Vietnamese or English)."""
    code = choice_codes(column).get(choice_key(_text_of(raw)))
    if code is None:
        raise _error(
            _("“%(value)s” is not one of the allowed values (%(allowed)s)."),
            value=_shown(raw),
            allowed=_allowed_labels(column),
        )
    return code


_CHOICE_SEPARATORS = re.compile(r"[;\n]+")


def parse_choices(column: Column, raw: Any) -> list[str]:
    """Codes of several allowed values separated by ";", "," or line breaks (a value whose label
    holds a comma is still found whole), without repeats, in the order written."""
    codes = choice_codes(column)
    found: list[str] = []
    for part in _CHOICE_SEPARATORS.split(_text_of(raw)):
        part = part.strip()
        if not part:
            continue
        code = codes.get(choice_key(part))
        pieces = [code] if code else [parse_choice(column, p.strip()) for p in part.split(",") if p.strip()]
        found.extend(piece for piece in pieces if piece not in found)
    return found


# -- text --------------------------------------------------------------------------------------------


def _text_of(raw: Any) -> str:
    """A cell as text: numbers without a trailing ".0" (a receipt number 125.0 is "125")."""
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        return f"{raw:%d/%m/%Y %H:%M}" if raw.time() != datetime.min.time() else f"{raw:%d/%m/%Y}"
    if isinstance(raw, date):
        return f"{raw:%d/%m/%Y}"
    return str(raw)


_LINE_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _long_text(text: str) -> str:
    """NFC, each line trimmed, line breaks kept (at most one blank line in a row)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def parse_text(column: Column, raw: Any) -> str:
    text = _text_of(raw)
    text = _long_text(text) if column.kind == records.LONG_TEXT else normalize(text)
    if column.max_length is not None and len(text) > column.max_length:
        raise _error(
            _("The text is longer than %(max)s characters (it has %(length)s)."),
            max=column.max_length,
            length=len(text),
        )
    return text


# -- cells -------------------------------------------------------------------------------------------


def _parse_integer(column: Column, raw: Any) -> int:
    value = parse_integer(raw)
    _at_least(column, value, raw)
    return value


def _parse_decimal(column: Column, raw: Any) -> Decimal:
    value = parse_decimal(raw)
    _at_least(column, value, raw)
    return value


_PARSERS: dict[str, Callable[[Column, Any], Any]] = {
    records.TEXT: parse_text,
    records.LONG_TEXT: parse_text,
    records.DATE: lambda column, raw: parse_date(raw),
    records.INTEGER: _parse_integer,
    records.DECIMAL: _parse_decimal,
    records.BOOLEAN: lambda column, raw: parse_boolean(raw),
    records.CHOICE: parse_choice,
    records.CHOICES: parse_choices,
    records.UNIT: lambda column, raw: normalize(_text_of(raw)),  # resolved later by `UnitNames`
}


def parse_cell(column: Column, raw: Any) -> Any:
    """The value of `column` written in the cell `raw`; None when the cell is empty (the caller
    checks `required`). Raises DomainError("import.value") saying what is wrong with the value.

    A UNIT column gives its cleaned text: units are resolved by `units.names.UnitNames` once the
    record's date is known. A lone "-" or "—" is empty in every column but text.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        if not raw.strip():
            return None
        if column.kind not in (records.TEXT, records.LONG_TEXT) and _is_empty_mark(raw):
            return None
    value = _PARSERS[column.kind](column, raw)
    return None if value in ("", []) else value


# -- formatting --------------------------------------------------------------------------------------


def _plain_decimal(value: Decimal) -> str:
    """A decimal as plain text that `parse_decimal` reads back to the same number: no thousands
    separator, no exponent, and never a lone "." before three digits (read as thousands)."""
    text = format(value, "f")
    whole, dot, fraction = text.lstrip("-").partition(".")
    if dot and len(fraction) == 3 and _GROUPED.match(f"{whole}.{fraction}"):
        text += "0"
    return text


def _label(column: Column, code: Any) -> str:
    label = column.choices.get(code)
    return str(label) if label is not None else str(code)


def format_cell(column: Column, value: Any, *, csv: bool) -> Any:
    """`value` of `column` as written in an export or a template (`csv`: as text in a CSV file).

    Dates as date objects ("dd/mm/yyyy" in CSV), numbers as numbers (in CSV, plain "1234.5"),
    yes/no, choices and lists of choices as their labels in the active language ("; " between
    them), a unit as "Name (code)", None as "".
    """
    if value is None or value == "" or value == []:
        return ""
    kind = column.kind
    if kind == records.DATE:
        day = value.date() if isinstance(value, datetime) else value
        return f"{day:%d/%m/%Y}" if csv else day
    if kind == records.INTEGER:
        return str(int(value)) if csv else int(value)
    if kind == records.DECIMAL:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return _plain_decimal(number) if csv else number
    if kind == records.BOOLEAN:
        return _("Yes") if value else _("No")
    if kind == records.CHOICE:
        return _label(column, value)
    if kind == records.CHOICES:
        codes = [value] if isinstance(value, str) else list(value)
        return "; ".join(_label(column, code) for code in codes)
    if kind == records.UNIT:
        if hasattr(value, "code") and hasattr(value, "name"):
            return f"{value.name} ({value.code})"
        return str(value)
    return str(value)
