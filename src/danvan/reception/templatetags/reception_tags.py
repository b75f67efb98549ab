"""Template helpers of the reception pages: session status tags (GOV.UK tag pattern), the labels of
a visit's kinds, and the state of the answer owed to a citizen."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from danvan.petitions.models import Kind

from ..models import SessionStatus

register = template.Library()

ANSWER_LABELS = {
    "answered": gettext_lazy("Answered"),
    "overdue": gettext_lazy("Answer overdue"),
    "owed": gettext_lazy("Answer owed"),
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.simple_tag
def session_status_tag(value):
    """A session's status as a tag: its words carry the meaning, the colour only helps."""
    if not value:
        return ""
    return format_html(
        '<span class="tag tag-session-{}" data-session-status="{}">{}</span>',
        value,
        value,
        _label(SessionStatus, value),
    )


@register.simple_tag
def answer_tag(value):
    label = ANSWER_LABELS.get(value)
    if not label:
        return ""
    return format_html('<span class="tag tag-answer-{}" data-answer="{}">{}</span>', value, value, label)


@register.filter
def kind_labels(visit) -> str:
    """The kinds of a visit's contents, in order, as one line."""
    return ", ".join(_label(Kind, kind) for kind in visit.kind_list)
