"""Input shapes of the shell pages, and the pieces every form in danvan shares.

Forms only parse and check formats; every rule lives in a service and comes back as a
DomainError, which `danvan.core.views.form_domain_error` puts on the form.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATE_DISPLAY_FORMAT = "%d/%m/%Y"


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy (yyyy-mm-dd also accepted), shown as dd/mm/yyyy."""

    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy, for example 01/07/2025.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format=DATE_DISPLAY_FORMAT,
                attrs={"inputmode": "numeric", "placeholder": _("dd/mm/yyyy"), "autocomplete": "off"},
            ),
        )
        kwargs.setdefault("help_text", _("As dd/mm/yyyy."))
        super().__init__(**kwargs)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CurrentUnitForm(forms.Form):
    unit = forms.IntegerField(label=_("Current unit"))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        error_messages={"required": _("Give the token a name, such as the program that will use it.")},
        help_text=_("What the token is for, such as the program that will use it."),
    )


class AuditFilterForm(forms.Form):
    is_filter = True  # every field is optional: labels do not say so

    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    unit_code = forms.CharField(
        label=_("or unit code"), required=False, max_length=30, help_text=_("Includes the units below it.")
    )
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    record_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    date_from = DayField(label=_("From"), required=False, help_text="")
    date_to = DayField(label=_("To"), required=False, help_text="")

    def __init__(self, *args, units=(), record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units"))] + [
            (unit.pk, f"{unit.code} · {unit.name}") for unit in units
        ]
        self.fields["record_type"].choices = [("", _("All record types"))] + [(t, t) for t in record_types]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class TwoFactorCodeField(forms.CharField):
    """The 6 digits an authenticator app shows: spaces allowed, the phone's keypad offered."""

    default_error_messages = {
        "required": _("Type the 6-digit code your authenticator app shows."),
        "invalid": _("The code is 6 digits, such as 123456."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from your authenticator app"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "autofocus": True,
                    "pattern": "[0-9 ]*",
                    "size": 8,
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        digits = value.replace(" ", "")
        if value and not (digits.isascii() and digits.isdigit() and len(digits) == 6):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class TwoFactorCodeForm(forms.Form):
    code = TwoFactorCodeField()
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TwoFactorSetupForm(forms.Form):
    device_id = forms.IntegerField(widget=forms.HiddenInput)
    code = TwoFactorCodeField(help_text=_("After scanning, type the code the app shows to confirm."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TwoFactorDisableForm(forms.Form):
    code = TwoFactorCodeField(
        help_text=_("To turn it off, type a current code from your app."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
    )


class TwoFactorResetForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        error_messages={"required": _("Type the user name of the person who lost their phone.")},
    )
