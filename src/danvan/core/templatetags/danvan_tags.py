"""Template helpers shared by every page: form controls with their error wiring, dates as
dd/mm/yyyy, and the audit trail's before/after as a compact list."""

from __future__ import annotations

import datetime as dt
import re

from django import forms, template
from django.utils import timezone

from danvan.core import numbers

register = template.Library()


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.filter
def as_control(bound_field):
    """The field's widget with Bootstrap classes, and, when it has errors, `aria-invalid` and
    `aria-describedby` pointing at the message beside it (GOV.UK error pattern)."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), _control_class(widget)]
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_hint")
    attrs = {}
    if bound_field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{bound_field.auto_id}_error")
    attrs["class"] = " ".join(c for c in classes if c)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_hidden(bound_field) -> bool:
    return bound_field.is_hidden


@register.filter
def dmy(value, with_time: str = "") -> str:
    """A date as dd/mm/yyyy (a datetime in local time, with HH:MM if asked); "…" for none."""
    if value in (None, ""):
        return "…"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _short(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, str) and _ISO_DAY.match(value):
        return dmy(dt.date.fromisoformat(value))
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return dmy(dt.datetime.fromisoformat(value), "time")
        except ValueError:
            return value
    if isinstance(value, dict | list):
        text = (
            ", ".join(f"{k}={v}" for k, v in value.items())
            if isinstance(value, dict)
            else ", ".join(str(v) for v in value)
        )
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


@register.filter
def changes(event) -> list[tuple[str, str, str]]:
    """(key, old, new) for each key of an audit event's before and after."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(after) + [k for k in before if k not in after]
    return [
        (
            key,
            _short(before.get(key)) if key in before else "",
            _short(after.get(key)) if key in after else "",
        )
        for key in keys
    ]


@register.filter
def minutes(delta) -> int:
    """A timedelta as whole minutes (rounded up), for messages such as the lockout."""
    if not isinstance(delta, dt.timedelta):
        return 0
    seconds = int(delta.total_seconds())
    return max(1, -(-seconds // 60))


@register.filter
def num(value, decimals: int = 0) -> str:
    """4.937 in Vietnamese, 4,937 in English (core.numbers)."""
    return numbers.number(value, int(decimals))


@register.filter
def figure_text(value, measure: str = "count") -> str:
    """A report figure in the active language's format; "not available" for None."""
    return numbers.figure_text(value, measure)
