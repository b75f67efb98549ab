"""The "period_totals" record type: figures a unit never itemised, imported as totals per
indicator and period ("2015: 45 conferences") and read back out.

A row names the unit, the figure (one that takes totals: `engine.totals_allowed`), the period (a
year, or both its first and last day), the value, an optional breakdown ("kind=complaint;
field=land", dimension and value by code or label) and a note. Its natural key is the unit, the
figure, the breakdown's canonical text and the period: importing the same total twice matches the
one it made. The rules are those of `services.period_total_create` (`services.total_problems`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.errors import DomainError
from danvan.core.indicators import registry
from danvan.core.records import (
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    UNIT,
    Column,
    ExportQuery,
    RecordType,
    register,
)
from danvan.core.text import fold
from danvan.units import access
from danvan.units.models import subtree_q

from . import engine
from .models import PeriodTotal, TotalStatus
from .services import TOTALS_ACTION, total_problems


def total_choices() -> dict[str, str]:
    """The figures that take totals: code → label."""
    return {
        code: indicator.label
        for code, indicator in sorted(registry().items())
        if engine.totals_allowed(indicator)
    }


def _labels(text) -> set[str]:
    """A label folded in English and in Vietnamese (a clerk writes either)."""
    out = {fold(str(text))}
    for language in ("en", "vi"):
        with translation.override(language):
            out.add(fold(str(text)))
    return out


def breakdown_parse(code: str, text: str | None) -> tuple[dict[str, str], str]:
    """The breakdown typed in a row ("kind=complaint; field=land"; a dimension by its code, a value
    by its code or its label in either language) as {dimension: value code}, and a message when a
    part is not understood ("" when it is)."""
    indicator = registry().get(code)
    filters: dict[str, str] = {}
    for part in (text or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, equals, wanted = part.partition("=")
        name, wanted = fold(name.strip()), wanted.strip()
        if not equals or not name or not wanted:
            return {}, _("Write the breakdown as dimension=value, separated by “;”, such as kind=complaint.")
        dimensions = indicator.dimensions if indicator is not None else {}
        dimension = next((d for d in dimensions if fold(d) == name), None)
        if dimension is None:
            return {}, _(
                "There is no breakdown “%(dimension)s” for this figure; use one of: %(allowed)s."
            ) % {
                "dimension": name,
                "allowed": ", ".join(dimensions) or "—",
            }
        folded = fold(wanted)
        values = dimensions[dimension]
        value = next((c for c, v in values.items() if fold(c) == folded or folded in _labels(v.label)), None)
        if value is None:
            return {}, _("“%(value)s” is not a value of “%(dimension)s”; use one of: %(allowed)s.") % {
                "value": wanted,
                "dimension": dimension,
                "allowed": ", ".join(f"{c} ({v.label})" for c, v in values.items()),
            }
        filters[dimension] = value
    return filters, ""


def _period(row: dict[str, Any]) -> tuple[date | None, date | None]:
    year, first, last = row.get("year"), row.get("first"), row.get("last")
    if year is not None and first is None and last is None:
        if not 1900 <= year <= 2100:
            return None, None  # `check` refuses the year
        return date(year, 1, 1), date(year, 12, 31)
    if year is None:
        return first, last
    return None, None  # both a year and dates: `check` says so


def check(row: dict[str, Any]) -> dict[str, str]:
    """The rules across columns: either a year or both dates, a breakdown the figure has, and
    `services.total_problems` (the figure takes totals, the unit existed during the whole period,
    the value is not negative and whole for counts)."""
    year, first, last = row.get("year"), row.get("first"), row.get("last")
    if year is not None and (first is not None or last is not None):
        return {"year": _("Give either a year or the first and last day, not both.")}
    if year is None and (first is None or last is None):
        missing = "first" if first is None else "last"
        return {missing: _("Give the period: a year, or both the first and the last day.")}
    filters, problem = breakdown_parse(row.get("indicator") or "", row.get("breakdown"))
    start, end = _period(row)
    problems = total_problems(
        unit=row.get("unit"),
        indicator=row.get("indicator") or "",
        filters=filters,
        first=start,
        last=end,
        value=row.get("value"),
    )
    if problem and "indicator" not in problems:
        problems["breakdown"] = problem
    return problems


def key(row: dict[str, Any]) -> tuple:
    filters, _problem = breakdown_parse(row.get("indicator") or "", row.get("breakdown"))
    first, last = _period(row)
    return (row["unit"].pk, row["indicator"], engine.filters_key(filters), first, last)


def existing(user, keys: Sequence[tuple]) -> set[tuple]:
    """The keys some counted total already has (one query per chunk)."""
    wanted = set(keys)
    if not wanted:
        return set()
    found = PeriodTotal.objects.filter(
        status=TotalStatus.COUNTED,
        unit_id__in={k[0] for k in wanted},
        indicator__in={k[1] for k in wanted},
        first__in={k[3] for k in wanted},
    ).values_list("unit_id", "indicator", "filters_key", "first", "last")
    return {tuple(k) for k in found} & wanted


def write(user, rows: Sequence[dict[str, Any]], batch) -> int:
    """The totals of a chunk of new, checked rows, tagged with the batch: one INSERT."""
    made = []
    for row in rows:
        filters, _problem = breakdown_parse(row["indicator"], row.get("breakdown"))
        first, last = _period(row)
        made.append(
            PeriodTotal(
                unit=row["unit"],
                unit_path=row["unit"].path,
                indicator=row["indicator"],
                filters=filters,
                filters_key=engine.filters_key(filters),
                first=first,
                last=last,
                value=row["value"],
                note=row.get("note") or "",
                import_batch=batch,
                created_by=user,
            )
        )
    return len(PeriodTotal.objects.bulk_create(made, batch_size=2000))


def rollback(user, batch) -> int:
    """Delete the totals the batch made, unless one was kept or withdrawn since (its version moved):
    then nothing goes and the first such total is named."""
    rows = PeriodTotal.objects.filter(import_batch=batch)
    changed = rows.filter(version__gt=0).select_related("unit").order_by("pk").first()
    if changed is not None:
        raise DomainError(
            "import.rollback_changed",
            _("The import cannot be undone: the total %(total)s of %(unit)s was changed after it."),
            total=str(changed),
            unit=changed.unit.name,
        )
    count, _by_model = rows.delete()
    return count


def _breakdown_text(filters: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted((filters or {}).items()))


def export(query: ExportQuery) -> Iterator[dict[str, Any]]:
    """The counted totals the user may see of the unit's subtree whose period starts in [first,
    last]: a whole calendar year as its year, any other period as its two days."""
    rows = (
        access.visible(query.user, PeriodTotal, "report.view")
        .filter(status=TotalStatus.COUNTED)
        .filter(subtree_q(query.unit.path, "unit_path"))
        .filter(first__gte=query.first, first__lte=query.last)
        .select_related("unit")
        .order_by("first", "unit_path", "indicator", "filters_key", "pk")
    )
    for total in rows.iterator(chunk_size=2000):
        whole_year = (
            total.first.year == total.last.year
            and (total.first.month, total.first.day) == (1, 1)
            and (total.last.month, total.last.day) == (12, 31)
        )
        yield {
            "unit": total.unit,
            "indicator": total.indicator,
            "year": total.first.year if whole_year else None,
            "first": None if whole_year else total.first,
            "last": None if whole_year else total.last,
            "value": Decimal(total.value),
            "breakdown": _breakdown_text(total.filters) or None,
            "note": total.note or None,
        }


PERIOD_TOTALS = RecordType(
    code="period_totals",
    label=gettext_lazy("Period totals"),
    description=gettext_lazy(
        "Figures of a unit that kept no itemised records, entered as one total per figure and period."
    ),
    columns=(
        Column(
            "unit",
            gettext_lazy("Unit"),
            UNIT,
            required=True,
            help=gettext_lazy("The unit the figure is of, by name or code, as it was in the period."),
            example="Xã Ninh Hải",
            aliases=("Đơn vị", "Tên đơn vị", "Mã đơn vị"),
        ),
        Column(
            "indicator",
            gettext_lazy("Figure"),
            CHOICE,
            required=True,
            choices=total_choices(),
            help=gettext_lazy(
                "The figure the total is of: one of the figures that can be entered as totals."
            ),
            example="outreach.conferences",
            aliases=("Chỉ tiêu", "Chỉ số", "Nội dung"),
        ),
        Column(
            "year",
            gettext_lazy("Year"),
            INTEGER,
            min_value=1945,
            help=gettext_lazy(
                "The year the total covers; or leave it empty and give the first and last day."
            ),
            example=2015,
            aliases=("Năm",),
        ),
        Column(
            "first",
            gettext_lazy("From"),
            DATE,
            help=gettext_lazy("The first day of the period, when it is not a whole year."),
            example=None,
            aliases=("Từ ngày",),
        ),
        Column(
            "last",
            gettext_lazy("To"),
            DATE,
            help=gettext_lazy("The last day of the period, when it is not a whole year."),
            example=None,
            aliases=("Đến ngày",),
        ),
        Column(
            "value",
            gettext_lazy("Value"),
            DECIMAL,
            required=True,
            help=gettext_lazy("The total: a whole number for counts of activities and of people."),
            example=Decimal(45),
            aliases=("Số lượng", "Tổng số", "Giá trị"),
        ),
        Column(
            "breakdown",
            gettext_lazy("Breakdown"),
            TEXT,
            max_length=200,
            help=gettext_lazy(
                "Empty for the whole figure, or dimension=value pairs separated by “;”: category=youth."
            ),
            example="",
            aliases=("Phân loại", "Chi tiết"),
        ),
        Column(
            "note",
            gettext_lazy("Note"),
            TEXT,
            max_length=300,
            help=gettext_lazy("Where the figure comes from, such as the year's summary report."),
            example="Theo báo cáo tổng kết năm 2015",
            aliases=("Ghi chú",),
        ),
    ),
    natural_key=("unit", "indicator", "breakdown", "year", "first", "last"),
    key=key,
    existing=existing,
    write=write,
    rollback=rollback,
    export=export,
    action=TOTALS_ACTION,
    model=PeriodTotal,
    date_column="first",
    date_of=lambda row: _period(row)[0],
    check=check,
    order=90,
)

register(PERIOD_TOTALS)
