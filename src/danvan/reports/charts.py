"""Charts drawn on the server as SVG: bars by unit, and bars by year for one or more figures.

No chart library and no script (the Content-Security-Policy allows none inline): each chart is
SVG markup with presentation attributes and CSS classes, a title for screen readers, and the
same numbers as a table (`Chart.table_rows`), which the pages show beside the picture and which
prints. A figure that is not available has no bar and says so; it is never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from danvan.core import numbers

WIDTH = 640
BAR = 22
GAP = 8
LABEL_WIDTH = 230
VALUE_WIDTH = 90
LABEL_CHARS = 34
PLOT_HEIGHT = 180
SERIES = 4  # colours s0..s3 in reports.css


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None
    href: str = ""


@dataclass
class Chart:
    key: str
    title: str
    svg: SafeString
    first_header: str = ""
    headers: list[str] = field(default_factory=list)
    table_rows: list[tuple[str, list[str]]] = field(default_factory=list)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _title(key: str, title: str) -> str:
    return format_html('<title id="chart-{}-title">{}</title>', key, title)


def bar_chart(
    key: str,
    title: str,
    bars: Sequence[Bar],
    *,
    measure: str = "count",
    value_header: str = "",
    first_header: str = "",
) -> Chart:
    """Horizontal bars, one a unit (or any label), longest first as given; the value written at the
    end of each bar, a link when the bar has one."""
    height = max(1, len(bars)) * (BAR + GAP) + GAP
    top = max((_number(b.value) for b in bars if b.value is not None), default=0.0)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        format_html(
            '<svg class="chart chart-bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
            'width="100%" role="img" aria-labelledby="chart-{}-title" data-chart="{}">',
            WIDTH,
            height,
            key,
            key,
        ),
        _title(key, title),
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        text = numbers.figure_text(bar.value, measure)
        length = 0.0 if bar.value is None or top <= 0 else max(1.0, plot * _number(bar.value) / top)
        label = format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LABEL_WIDTH - 6,
            y + BAR * 0.7,
            _short(bar.label),
        )
        rect = format_html(
            '<rect class="chart-bar s0" x="{}" y="{}" width="{}" height="{}" fill="#1d70b8">'
            "<title>{}: {}</title></rect>",
            LABEL_WIDTH,
            y,
            f"{length:.1f}",
            BAR,
            bar.label,
            text,
        )
        value = format_html(
            '<text class="chart-value{}" x="{}" y="{}">{}</text>',
            " chart-missing" if bar.value is None else "",
            f"{LABEL_WIDTH + length + 6:.1f}",
            y + BAR * 0.7,
            text,
        )
        if bar.href:
            value = format_html('<a href="{}">{}</a>', bar.href, value)
        parts.extend([label, rect, value])
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a closing tag, no data
    return Chart(
        key=key,
        title=title,
        svg=mark_safe("".join(str(p) for p in parts)),  # noqa: S308 - every part escaped above
        first_header=first_header,
        headers=[value_header or title],
        table_rows=[(bar.label, [numbers.figure_text(bar.value, measure)]) for bar in bars],
    )


def grouped_chart(
    key: str,
    title: str,
    series: Sequence[tuple[str, Mapping[Any, int | Decimal | None]]],
    groups: Sequence[tuple[Any, str]],
    *,
    measure: str = "count",
    first_header: str = "",
) -> Chart:
    """Vertical bars in groups (years, or figures), one colour per series (up to four), with a
    legend; the table has a row per group and a column per series."""
    groups = list(groups)
    series = list(series)[:SERIES]
    legend_height = 22 * max(1, len(series))
    axis = 22
    height = legend_height + PLOT_HEIGHT + axis + 8
    left, right = 12, WIDTH - 12
    group = (right - left) / max(1, len(groups))
    bar = max(4.0, min(36.0, (group - 12) / max(1, len(series))))
    chars = max(4, int(group / 7))
    values = [_number(v) for _label, by_group in series for v in by_group.values() if v is not None]
    top = max(values, default=0.0)
    base_y = legend_height + PLOT_HEIGHT
    parts = [
        format_html(
            '<svg class="chart chart-groups" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
            'width="100%" role="img" aria-labelledby="chart-{}-title" data-chart="{}">',
            WIDTH,
            height,
            key,
            key,
        ),
        _title(key, title),
    ]
    for s, (label, _values) in enumerate(series):
        y = 4 + s * 22
        parts.append(
            format_html(
                '<rect class="chart-bar s{}" x="{}" y="{}" width="14" height="14"></rect>'
                '<text class="chart-label" x="{}" y="{}">{}</text>',
                s,
                left,
                y,
                left + 20,
                y + 12,
                label,
            )
        )
    parts.append(
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#505a5f"></line>',
            left,
            base_y,
            right,
            base_y,
        )
    )
    for i, (group_key, group_label) in enumerate(groups):
        x0 = left + i * group + (group - bar * len(series)) / 2
        for s, (label, by_group) in enumerate(series):
            value = by_group.get(group_key)
            text = numbers.figure_text(value, measure)
            h = 0.0 if value is None or top <= 0 else max(1.0, (PLOT_HEIGHT - 16) * _number(value) / top)
            x = x0 + s * bar
            parts.append(
                format_html(
                    '<rect class="chart-bar s{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    s,
                    f"{x:.1f}",
                    f"{base_y - h:.1f}",
                    f"{max(1.0, bar - 2):.1f}",
                    f"{h:.1f}",
                    label,
                    group_label,
                    text,
                )
            )
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{left + i * group + group / 2:.1f}",
                base_y + 16,
                _short(group_label, chars),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a closing tag, no data
    return Chart(
        key=key,
        title=title,
        svg=mark_safe("".join(str(p) for p in parts)),  # noqa: S308 - every part escaped above
        first_header=first_header,
        headers=[label for label, _values in series],
        table_rows=[
            (
                group_label,
                [numbers.figure_text(by_group.get(group_key), measure) for _label, by_group in series],
            )
            for group_key, group_label in groups
        ],
    )


def year_chart(
    key: str,
    title: str,
    series: Sequence[tuple[str, Mapping[int, int | Decimal | None]]],
    years: Sequence[int],
    *,
    measure: str = "count",
) -> Chart:
    """Bars by year, one colour per series."""
    return grouped_chart(
        key,
        title,
        series,
        [(year, str(year)) for year in years],
        measure=measure,
        first_header=str(_("Year")),
    )
