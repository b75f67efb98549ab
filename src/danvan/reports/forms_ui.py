"""Input shapes of the report pages: which unit, which period (a short name such as 2024-Q1, or
from/to dates), which frame of the unit tree, and which form or indicator.

Formats only. Whether the unit existed in the period, whether a form version covers it and whether
the user may report on the unit are the engine's rules: they come back as a DomainError naming
these fields ("unit", "period", "last", "frame", "form") and land beside them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError
from danvan.core.forms import DayField
from danvan.units.forms import unit_choices

from .engine import AS_IT_IS, AS_IT_WAS
from .forms import FORM_CODES, versions_of
from .periods import PERIOD_HELP, Period, period_between, period_parse

REVIEW = "review"
FRAME_CHOICES = [
    (AS_IT_WAS, _("As it was: the units as they were in the period")),
    (AS_IT_IS, _("As it is now: today's units, with the records of the units merged into them")),
]


def form_choices() -> list[tuple[str, str]]:
    """The forms that have a declared version, then the review."""
    out = []
    for code in FORM_CODES:
        known = versions_of(code)
        if known:
            latest = known[-1]
            out.append((code, f"{latest.form_number or code.upper()} — {latest.title}"))
    out.append((REVIEW, str(_("Review of mass mobilization work (Resolution 25, Conclusion 43)"))))
    return out


class ReportForm(forms.Form):
    """A unit, a period and a frame: what every report page needs."""

    is_filter = True  # either the select or the code, either the period or the dates: no "optional"

    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1, widget=forms.Select)
    unit_code = forms.CharField(
        label=_("or unit code"),
        required=False,
        max_length=30,
        help_text=_("The official code of any unit of yours, such as 14801."),
    )
    period = forms.CharField(label=_("Period"), required=False, max_length=20, help_text=PERIOD_HELP)
    first = DayField(label=_("or from"), required=False, help_text="")
    last = DayField(label=_("to"), required=False, help_text="")
    frame = forms.ChoiceField(
        label=_("Count the units"),
        choices=FRAME_CHOICES,
        initial=AS_IT_WAS,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the unit may be reported on is the engine's rule (scope_check): the select only
        # offers the user's units, and a unit beyond it comes by its code or by a report's link.
        self.fields["unit"].widget.choices = unit_choices(units)

    def clean_period(self):
        return (self.cleaned_data.get("period") or "").strip()

    def clean(self):
        data = super().clean()
        data["frame"] = data.get("frame") or AS_IT_WAS
        no_unit = not data.get("unit") and not (data.get("unit_code") or "").strip()
        if no_unit and "unit" not in self.errors:
            self.add_error("unit", _("Choose a unit, or type its code."))
        text, first, last = data.get("period"), data.get("first"), data.get("last")
        period: Period | None = None
        try:
            if text:
                period = period_parse(text)
            elif first and last:
                period = period_between(first, last)
            elif first or last:
                missing = "last" if first else "first"
                self.add_error(missing, _("Enter both the first and the last day, or a period such as 2024."))
            elif "first" not in self.errors and "last" not in self.errors:
                self.add_error(
                    "period", _("Enter a period such as 2024 or 2024-Q1, or the first and last day.")
                )
        except DomainError as exc:
            # The whole message (it says what was wrong and how to write a period) beside the field.
            target = "period" if text or not exc.fields else next(iter(exc.fields))
            self.add_error(target if target in self.fields else None, exc.message)
        data["period_value"] = period
        return data


class ChooserForm(ReportForm):
    form = forms.ChoiceField(label=_("Form"), choices=())

    field_order = ["unit", "unit_code", "period", "first", "last", "frame", "form"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("Choose a form")), *form_choices()]
        self.fields["form"].error_messages["required"] = _("Choose a form or the review.")
        if not self.is_bound:
            self.fields["form"].widget.attrs["autofocus"] = True


class CompareForm(ReportForm):
    indicator = forms.ChoiceField(label=_("Figure"), choices=())

    field_order = ["indicator", "unit", "unit_code", "period", "first", "last", "frame"]

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("Choose a figure")), *indicators]
        self.fields["indicator"].error_messages["required"] = _("Choose the figure to compare.")
