"""Input shapes of the period totals page: the list's filters and one total typed by hand.

Formats only: whether the figure takes totals, the breakdown is the figure's, the unit existed in
the period and the value fits are `services.total_problems`'s rules, shown beside these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField
from danvan.units.forms import unit_choices


class TotalsFilterForm(forms.Form):
    is_filter = True

    indicator = forms.ChoiceField(label=_("Figure"), required=False, choices=())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2200)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("Every figure")), *indicators]


class TotalForm(forms.Form):
    unit = forms.IntegerField(label=_("Unit"), min_value=1, widget=forms.Select)
    indicator = forms.ChoiceField(label=_("Figure"), choices=())
    breakdown = forms.CharField(
        label=_("Breakdown"),
        required=False,
        max_length=200,
        help_text=_("Empty for the whole figure, or dimension=value pairs separated by “;”: category=youth."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2200)
    first = DayField(label=_("or from"), required=False)
    last = DayField(label=_("to"), required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=3)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, units=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = unit_choices(units)
        self.fields["indicator"].choices = [("", _("Choose a figure")), *indicators]
