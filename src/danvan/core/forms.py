"""Input shapes of the shell pages, and the pieces every form in danvan shares.

Forms only parse and check formats; every rule lives in a service and comes back as a
DomainError, which `danvan.core.views.form_domain_error` puts on the form.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import services as core_services

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
    """The 6 digits an authenticator app shows: spaces allowed, the phone's keypad offered. With
    `recovery=True` a recovery code (8 letters and digits) is accepted too."""

    default_error_messages = {
        "required": _("Type the 6-digit code your authenticator app shows."),
        "invalid": _("The code is 6 digits, such as 123456."),
    }

    def __init__(self, *, recovery: bool = False, **kwargs):
        self.recovery = recovery
        kwargs.setdefault("label", _("Code from your authenticator app"))
        kwargs.setdefault("max_length", 20 if recovery else 12)
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
        if recovery:
            self.widget.attrs.pop("pattern", None)
            self.error_messages["invalid"] = _(
                "Type the 6 digits your app shows, or one of your recovery codes (8 letters and digits)."
            )

    def clean(self, value):
        value = super().clean(value)
        digits = value.replace(" ", "")
        if not value or (digits.isascii() and digits.isdigit() and len(digits) == 6):
            return digits
        if self.recovery and core_services.is_recovery_code_shape(value):
            return core_services.normalize_recovery_code(value)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class RecoveryCodeField(forms.CharField):
    """One of the user's recovery codes: 8 letters and digits, spaces and dashes allowed."""

    default_error_messages = {
        "required": _("Type one of your recovery codes."),
        "invalid": _("A recovery code is 8 letters and digits, such as abcd2345."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Recovery code"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "autocapitalize": "none", "size": 12, "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not core_services.is_recovery_code_shape(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return core_services.normalize_recovery_code(value)


class TwoFactorCodeForm(forms.Form):
    code = TwoFactorCodeField(recovery=True)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RecoveryCodeForm(forms.Form):
    """The second step of signing in with a recovery code instead of the app's code."""

    recovery_code = RecoveryCodeField()
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "recovery_%s")  # beside the app's code form on one page
        super().__init__(*args, **kwargs)


class TwoFactorSetupForm(forms.Form):
    device_id = forms.IntegerField(widget=forms.HiddenInput)
    code = TwoFactorCodeField(help_text=_("After scanning, type the code the app shows to confirm."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _profile_code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "size": 12, "spellcheck": "false"}
    )


class TwoFactorDisableForm(forms.Form):
    code = TwoFactorCodeField(
        recovery=True,
        label=_("Code from your app or a recovery code"),
        help_text=_("To turn it off, type a current code from your app or one of your recovery codes."),
        widget=_profile_code_widget(),
    )


class RecoveryCodesRegenerateForm(forms.Form):
    code = TwoFactorCodeField(
        recovery=True,
        label=_("Code from your app or a recovery code"),
        help_text=_(
            "To make new recovery codes, type a current code from your app or one of your recovery codes."
        ),
        widget=_profile_code_widget(),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "regenerate_%s")  # beside the form that turns it off
        super().__init__(*args, **kwargs)


class TwoFactorResetForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        error_messages={"required": _("Type the user name of the person who lost their phone.")},
    )
