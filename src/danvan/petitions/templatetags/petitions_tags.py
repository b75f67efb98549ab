"""Template helpers of the petition pages: status and urgency tags (GOV.UK tag pattern), the
labels of lifecycle steps, and a readable summary of a timeline event's data."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..lifecycle import RECEIVE, TRANSITIONS
from ..models import Field, IneligibleReason, Kind, Outcome, Status

register = template.Library()

URGENCY_LABELS = {
    "overdue": gettext_lazy("Overdue"),
    "very_late": gettext_lazy("Very late"),
    "due_soon": gettext_lazy("Due soon"),
    "on_time": gettext_lazy("On time"),
}

# What each key of an event's data means, in the order they are shown.
EVENT_DATA_LABELS = {
    "from": gettext_lazy("Transferred from"),
    "to": gettext_lazy("Sent to"),
    "guided_to": gettext_lazy("Guided to"),
    "document_number": gettext_lazy("Document number"),
    "handler": gettext_lazy("Handler"),
    "reason": gettext_lazy("Reason"),
    "participants": gettext_lazy("Participants"),
    "summary": gettext_lazy("Summary"),
    "ground": gettext_lazy("Legal ground"),
    "days": gettext_lazy("Days"),
    "complex": gettext_lazy("Complex case"),
    "remote": gettext_lazy("Remote area"),
    "petitioners": gettext_lazy("Petitioners who withdrew"),
    "whole": gettext_lazy("Whole petition withdrawn"),
    "number": gettext_lazy("Decision number"),
    "outcome": gettext_lazy("Outcome"),
    "on_time": gettext_lazy("Within the deadline"),
    "note": gettext_lazy("Note"),
    "warnings": gettext_lazy("Warnings"),
}

# Flags worth mentioning only when set.
QUIET_WHEN_FALSE = frozenset({"complex", "remote", "whole"})


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.simple_tag
def status_tag(value):
    """A petition status as a coloured tag (its text carries the meaning, the colour only helps)."""
    if not value:
        return ""
    return format_html('<span class="tag tag-{}">{}</span>', value, _choice_label(Status, value))


@register.filter
def status_label(value) -> str:
    return _choice_label(Status, value) if value else ""


@register.simple_tag
def urgency_tag(value):
    label = URGENCY_LABELS.get(value)
    if not label:
        return ""
    return format_html('<span class="tag tag-urgency-{}" data-urgency="{}">{}</span>', value, value, label)


@register.filter
def kind_label(value) -> str:
    return _choice_label(Kind, value)


@register.filter
def field_label(value) -> str:
    return _choice_label(Field, value)


@register.filter
def action_label(value) -> str:
    """The label of a lifecycle step ("receive" included)."""
    if value == RECEIVE.action:
        return str(RECEIVE.label)
    transition = TRANSITIONS.get(value)
    return str(transition.label) if transition else str(value)


def _value_text(key: str, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "outcome":
        return _choice_label(Outcome, value)
    if key == "reason":
        return _choice_label(IneligibleReason, value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, Decimal | int | float):
        return str(value)
    return str(value)


@register.filter
def event_items(event) -> list[tuple[str, str]]:
    """(label, value) for each meaningful entry of an event's data."""
    data = event.data if isinstance(event.data, dict) else {}
    items = []
    for key in list(EVENT_DATA_LABELS) + sorted(k for k in data if k not in EVENT_DATA_LABELS):
        if key not in data:
            continue
        value = data[key]
        if value in ("", None, [], {}) or (value is False and key in QUIET_WHEN_FALSE):
            continue
        items.append((str(EVENT_DATA_LABELS.get(key, key)), _value_text(key, value)))
    return items


@register.filter
def is_multi_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple)


@register.filter
def filesize(value) -> str:
    """A size in bytes as kB or MB."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024 * 1024:
        return _("%(size)s kB") % {"size": max(1, round(size / 1024))}
    return _("%(size)s MB") % {"size": round(size / (1024 * 1024), 1)}
