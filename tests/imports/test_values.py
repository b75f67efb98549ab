"""Cells of a spreadsheet read into column values and written back out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from danvan.core import records
from danvan.core.errors import DomainError
from danvan.core.records import Column
from danvan.imports.values import (
    choice_codes,
    format_cell,
    parse_cell,
    parse_date,
    parse_decimal,
    parse_integer,
)
from danvan.units.models import UnitKind

DATE = Column("received_on", "Date received", records.DATE)
INTEGER = Column("count", "Count", records.INTEGER, min_value=0)
DECIMAL = Column("amount", "Amount", records.DECIMAL, min_value=0)
BOOLEAN = Column("anonymous", "Anonymous", records.BOOLEAN)
TEXT = Column("number", "Number", records.TEXT, max_length=10)
LONG_TEXT = Column("content", "Content", records.LONG_TEXT)
KIND = Column("kind", "Kind", records.CHOICE, choices=dict(UnitKind.choices))
KINDS = Column("kinds", "Kinds", records.CHOICES, choices=dict(UnitKind.choices))
SMALL = Column(
    "field", "Field", records.CHOICE, choices={"land": gettext_lazy("Land"), "other": gettext_lazy("Other")}
)
UNIT = Column("unit", "Unit", records.UNIT)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def message(column: Column, raw) -> str:
    with pytest.raises(DomainError) as caught:
        parse_cell(column, raw)
    assert caught.value.code == "import.value"
    return caught.value.message


@pytest.mark.parametrize(
    "raw",
    [
        date(2016, 3, 5),
        datetime(2016, 3, 5, 14, 30),  # noqa: DTZ001 - readers give naive datetimes, as the file holds them
        42434,  # Excel's serial number of 05/03/2016
        42434.6,
        "05/03/2016",
        "5/3/2016",
        "05-03-2016",
        "05.03.2016",
        "2016-03-05",
        "2016-03-05 00:00:00",
        "05/03/2016 08:15",
        "ngày 5 tháng 3 năm 2016",
        "Ngày 05 tháng 03 năm 2016",
        "NGÀY 05 THÁNG 03 NĂM 2016",
        "ngay 5 thang 3 nam 2016",
        "5 tháng 3 năm 2016",
        "ngày 5 tháng 3, năm 2016",
    ],
)
def test_dates_in_every_form_clerks_write(raw):
    assert parse_cell(DATE, raw) == date(2016, 3, 5)
    assert parse_date(raw) == date(2016, 3, 5)


def test_the_day_comes_first():
    assert parse_date("03/05/2016") == date(2016, 5, 3)
    assert message(DATE, "13/25/2016") == "“13/25/2016” is not a date: there is no month 25."
    # Day first helps only where the numbers swapped would make a date.
    swapped = "“05/13/2016” is not a date: there is no month 13 (write the day first)."
    assert message(DATE, "05/13/2016") == swapped


def test_impossible_dates_say_so():
    assert message(DATE, "31/02/2016") == "“31/02/2016” is not a date: month 2 of 2016 has no day 31."
    assert parse_date("29/02/2016") == date(2016, 2, 29)
    assert message(DATE, "29/02/2015") == "“29/02/2015” is not a date: month 2 of 2015 has no day 29."


@pytest.mark.parametrize("raw", ["mùng 5", "5/3", "05/03/16", "hôm qua", 0, 90000, True])
def test_text_that_is_no_date(raw):
    assert "is not a date (write dd/mm/yyyy, e.g. 05/03/2016)." in message(DATE, raw)


@pytest.mark.parametrize("raw", ["05/03/1900", "05/03/2101", date(1930, 1, 1), 100])
def test_years_out_of_range_are_refused(raw):
    assert "dates must fall between 1945 and 2100." in message(DATE, raw)


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "—"])
def test_empty_cells_are_none(raw):
    for column in (DATE, INTEGER, DECIMAL, BOOLEAN, KIND, KINDS, UNIT):
        assert parse_cell(column, raw) is None


def test_a_dash_is_text_in_a_text_column():
    assert parse_cell(TEXT, "-") == "-"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1.234,0", 1234),
        ("12.0", 12),
    ],
)
def test_integers(raw, expected):
    assert parse_cell(INTEGER, raw) == expected
    assert isinstance(parse_cell(INTEGER, raw), int)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, Decimal(12)),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1.234", Decimal(1234)),
        ("1,234", Decimal("1.234")),  # the Vietnamese decimal comma
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("0.234", Decimal("0.234")),
        ("1.234.567,25", Decimal("1234567.25")),
    ],
)
def test_decimals(raw, expected):
    assert parse_cell(DECIMAL, raw) == expected
    assert parse_decimal(raw) == expected


def test_the_lone_comma_reads_by_the_column():
    assert parse_integer("1,234") == 1234
    assert parse_decimal("1,234") == Decimal("1.234")


@pytest.mark.parametrize("raw", ["12.5", 12.5, "12,5"])
def test_a_fraction_is_no_whole_number(raw):
    assert message(INTEGER, raw).endswith("is not a whole number.")


@pytest.mark.parametrize("raw", ["abc", "1.23.4", "1,2,3", "12,", "1.234,5.6", "--5", True, date(2016, 3, 5)])
def test_text_that_is_no_number(raw):
    assert message(INTEGER, raw).endswith("is not a number.")
    assert message(DECIMAL, raw).endswith("is not a number.")


def test_the_minimum_is_enforced():
    assert message(INTEGER, -3) == "“-3” is less than 0, the smallest value allowed here."
    assert message(DECIMAL, "-0,5") == "“-0,5” is less than 0, the smallest value allowed here."
    assert parse_cell(INTEGER, 0) == 0


@pytest.mark.parametrize(
    "raw", ["có", "Có", "CÓ", "x", "X", "✓", "yes", "Yes", "true", "TRUE", "1", 1, True, "đúng"]
)
def test_yes(raw):
    assert parse_cell(BOOLEAN, raw) is True


@pytest.mark.parametrize("raw", ["không", "Không", "no", "false", "0", 0, False, "sai", "Sai"])
def test_no(raw):
    assert parse_cell(BOOLEAN, raw) is False


def test_anything_else_is_not_yes_or_no():
    assert message(BOOLEAN, "có lẽ") == (
        "“có lẽ” is not yes or no (write one of: Có, Không, x, ✓, Yes, No, True, False, 1, 0, Đúng, Sai)."
    )
    assert "is not yes or no" in message(BOOLEAN, 2)


@pytest.mark.parametrize(
    "raw",
    ["ward", "WARD", "Ward", "Phường", "phuong", "PHƯỜNG", " Phư ờng "],
)
def test_a_choice_by_code_or_label_in_either_language(raw):
    assert parse_cell(KIND, raw) == UnitKind.WARD


def test_labels_with_spaces_and_punctuation_fold():
    assert parse_cell(KIND, "people's committee") == UnitKind.PEOPLES_COMMITTEE
    with translation.override("vi"):
        vietnamese = str(UnitKind.PEOPLES_COMMITTEE.label)
    assert parse_cell(KIND, vietnamese.upper()) == UnitKind.PEOPLES_COMMITTEE
    assert parse_cell(KIND, "peoples_committee") == UnitKind.PEOPLES_COMMITTEE
    assert parse_cell(KIND, "Women's Union") == UnitKind.WOMENS_UNION


def test_choice_codes_are_computed_once_per_column():
    codes = choice_codes(SMALL)
    assert codes["land"] == "land"
    assert choice_codes(SMALL) is codes


def test_an_unknown_choice_lists_the_labels():
    assert message(SMALL, "Nhà ở") == "“Nhà ở” is not one of the allowed values (Land, Other)."
    listed = message(KIND, "Hợp tác xã")
    assert listed.startswith("“Hợp tác xã” is not one of the allowed values (Country, Province, ")
    assert listed.endswith(", …).")
    assert listed.count(",") == 12


def test_several_choices():
    assert parse_cell(KINDS, "Ward; commune") == [UnitKind.WARD, UnitKind.COMMUNE]
    assert parse_cell(KINDS, "ward, commune,ward") == [UnitKind.WARD, UnitKind.COMMUNE]
    assert parse_cell(KINDS, "ward\ncommune\n") == [UnitKind.WARD, UnitKind.COMMUNE]
    assert message(KINDS, "ward; hamlet") == message(KIND, "hamlet")


def test_text_from_numbers_has_no_trailing_zero():
    assert parse_cell(TEXT, 125.0) == "125"
    assert parse_cell(TEXT, 125) == "125"
    assert parse_cell(TEXT, 12.5) == "12.5"
    assert parse_cell(TEXT, date(2016, 3, 5)) == "05/03/2016"


def test_text_is_nfc_and_single_spaced():
    assert parse_cell(TEXT, "Nguye\u0302\u0303n  A") == "Nguyễn A"


def test_long_text_keeps_its_lines():
    assert parse_cell(LONG_TEXT, "  Dòng một  \r\n\r\n\r\n\r\nDòng   hai ") == "Dòng một\n\nDòng hai"


def test_text_longer_than_allowed():
    assert message(TEXT, "Số 1234567890") == "The text is longer than 10 characters (it has 13)."


def test_a_unit_column_gives_its_text():
    assert parse_cell(UNIT, "  UBND  xã Khánh Thiện ") == "UBND xã Khánh Thiện"
    assert parse_cell(UNIT, 14329) == "14329"


def test_messages_follow_the_language():
    with translation.override("vi"):
        text = message(DATE, "hôm qua")
    assert "hôm qua" in text


def test_format_for_spreadsheets_and_csv():
    assert format_cell(DATE, date(2016, 3, 5), csv=False) == date(2016, 3, 5)
    assert format_cell(DATE, date(2016, 3, 5), csv=True) == "05/03/2016"
    assert format_cell(INTEGER, 1234, csv=False) == 1234
    assert format_cell(INTEGER, 1234, csv=True) == "1234"
    assert format_cell(DECIMAL, Decimal("1234.5"), csv=False) == Decimal("1234.5")
    assert format_cell(DECIMAL, Decimal("1234.5"), csv=True) == "1234.5"
    assert format_cell(BOOLEAN, True, csv=True) == "Yes"
    assert format_cell(BOOLEAN, False, csv=False) == "No"
    assert format_cell(KIND, UnitKind.WARD, csv=True) == "Ward"
    assert format_cell(KINDS, [UnitKind.WARD, UnitKind.COMMUNE], csv=True) == "Ward; Commune"
    assert format_cell(TEXT, None, csv=True) == ""
    assert format_cell(TEXT, "Số 1", csv=False) == "Số 1"


def test_a_unit_is_written_with_its_code():
    class Named:
        name, code = "Phường Hoa Lư", "14329"

    assert format_cell(UNIT, Named(), csv=True) == "Phường Hoa Lư (14329)"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (DATE, date(2016, 3, 5)),
        (INTEGER, 1234567),
        (DECIMAL, Decimal("1.234")),
        (DECIMAL, Decimal("1234.5")),
        (DECIMAL, Decimal("0.001")),
        (DECIMAL, Decimal("123456789.125")),
        (BOOLEAN, True),
        (BOOLEAN, False),
        (KIND, UnitKind.PEOPLES_COMMITTEE),
        (KINDS, [UnitKind.WARD, UnitKind.TOWNSHIP]),
        (TEXT, "125"),
    ],
)
@pytest.mark.parametrize("csv", [True, False])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_what_is_written_reads_back(column, value, csv, language):
    with translation.override(language):
        assert parse_cell(column, format_cell(column, value, csv=csv)) == value
