"""Input shapes of the unit, succession, user and role pages. Formats only: the rules are in
`danvan.units.services`, whose DomainError field names these forms reuse."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField
from danvan.core.models import CalendarOverrideKind

from .models import AGENCY_KINDS, Role, RoleScope, SuccessionKind, UnitKind, UnitLevel

# A select of units stays usable up to this many options; beyond, type the unit's code.
MAX_UNIT_OPTIONS = 300

AREA_KIND_CHOICES = [(k.value, k.label) for k in UnitKind if k.value not in AGENCY_KINDS]
AGENCY_KIND_CHOICES = [(k.value, k.label) for k in UnitKind if k.value in AGENCY_KINDS]


def unit_choices(units, *, blank_label=None) -> list[tuple]:
    """Options for a unit select: code and name, indented by depth so the tree shows."""
    options: list[tuple] = [("", blank_label or _("Choose a unit"))]
    for unit in units:
        indent = "\u00a0\u00a0" * max(0, (unit.depth or 1) - 1)
        options.append((unit.pk, f"{indent}{unit.name} ({unit.code})"))
    return options


class UnitSelect(forms.Select):
    """A select whose submitted value is a unit id; the service decides whether it is allowed."""


class UnitPickMixin:
    """A unit chosen from a select (`<name>`) or typed as its code (`<name>_code`)."""

    fields: dict[str, forms.Field]  # provided by forms.Form, which every user of the mixin is

    def set_unit_choices(self, name: str, units, *, truncated: bool = False) -> None:
        field = self.fields[name]
        field.widget.choices = unit_choices(units)
        if truncated:
            self.fields[f"{name}_code"].help_text = _(
                "The list shows only the first units; type the code of any other unit."
            )


class TreeFilterForm(forms.Form):
    is_filter = True  # every field is optional: labels do not say so

    on = DayField(label=_("As of"), required=False, help_text=_("As dd/mm/yyyy; empty for today."))
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *UnitLevel.choices]
    )


class UnitCreateForm(UnitPickMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        error_messages={"required": _("Enter the unit's code.")},
        help_text=_("The official code, such as 01 for Hà Nội."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the unit's name.")}
    )
    short_name = forms.CharField(label=_("Short name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"))
    parent = forms.IntegerField(label=_("Belongs to"), required=False, widget=UnitSelect)
    parent_code = forms.CharField(
        label=_("or the code of the unit it belongs to"),
        max_length=30,
        required=False,
        help_text=_("The unit valid on the start date with this code."),
    )
    valid_from = DayField(label=_("Valid from"))
    valid_to = DayField(
        label=_("Valid to"), required=False, help_text=_("As dd/mm/yyyy; empty while it exists.")
    )
    group = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[("", ""), ("area", "area"), ("agency", "agency")]
    )

    def __init__(self, *args, group: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if group == "agency":
            self.fields["kind"].choices = [("", _("Choose a kind")), *AGENCY_KIND_CHOICES]
        elif group == "area":
            self.fields["kind"].choices = [("", _("Choose a kind")), *AREA_KIND_CHOICES]
        else:
            self.fields["kind"].choices = [
                ("", _("Choose a kind")),
                (_("Areas"), AREA_KIND_CHOICES),
                (_("Agencies"), AGENCY_KIND_CHOICES),
            ]


class UnitEditForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the unit's name.")}
    )
    short_name = forms.CharField(label=_("Short name"), max_length=200, required=False)
    valid_to = DayField(
        label=_("Valid to"), required=False, help_text=_("As dd/mm/yyyy; empty while it exists.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SuccessionForm(forms.Form):
    successor = forms.IntegerField(
        label=_("Successor id"),
        required=False,
        min_value=1,
        help_text=_("If you know the unit's number in danvan."),
    )
    successor_code = forms.CharField(label=_("Successor code"), required=False, max_length=30)
    successor_on = DayField(
        label=_("Successor valid on"),
        required=False,
        help_text=_("Which unit with that code: the one valid on this date (empty: the effective date)."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of succession"), choices=[("", _("Choose a kind")), *SuccessionKind.choices]
    )
    effective_on = DayField(label=_("Effective date"))
    is_default = forms.BooleanField(
        label=_("Default successor"),
        required=False,
        help_text=_("Where the records of the old unit go when they must go to one unit."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RoleFieldsForm(UnitPickMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=UnitSelect)
    unit_code = forms.CharField(
        label=_("or unit code"),
        required=False,
        max_length=30,
        help_text=_("The unit valid today with this code."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=RoleScope.choices, initial=RoleScope.UNIT)


class UserCreateForm(RoleFieldsForm):
    username = forms.CharField(
        label=_("User name"), max_length=150, error_messages={"required": _("Enter a user name.")}
    )
    full_name = forms.CharField(label=_("Full name"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Password"),
        error_messages={"required": _("Enter a password.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
    )
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES, initial="vi")

    field_order = [
        "username",
        "full_name",
        "email",
        "password",
        "language",
        "role",
        "unit",
        "unit_code",
        "scope",
    ]


class RoleAssignForm(RoleFieldsForm):
    pass


class CalendarOverrideForm(forms.Form):
    day = DayField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=CalendarOverrideKind.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("For example the decision that swapped the day."),
    )
