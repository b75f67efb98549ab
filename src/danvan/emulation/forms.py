"""Input shapes of the emulation pages. Formats only: every rule is in `emulation.services`, whose
DomainError field names these forms reuse ("form", "decided_on", "work_to", "commendations.2")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.forms import DayField
from danvan.units.forms import unit_choices
from danvan.units.models import UnitLevel

from .models import FORM_LEVELS, CommendationForm, CommendationStatus, Recipient

LEVEL_CHOICES = [
    (level.value, level.label) for level in UnitLevel if level.value in set(FORM_LEVELS.values())
]
LONG_TEXT = 5000

DECISION_NUMBER = pgettext_lazy("recognition or commendation", "Decision number")


def _typed(label, *, required: bool = False, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=required, empty_value=None, **kwargs)


def _text(label, *, max_length: int, required: bool = False, rows: int | None = None, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, **kwargs)


def _unit_code(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("or the unit's code"),
        required=False,
        max_length=30,
        help_text=_("For a unit not in the list."),
    )


class VersionForm(forms.Form):
    """The version of the record the officer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class IdListField(forms.Field):
    """Ids of records ticked in a list (checkboxes named like the field)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose the rows from the list.")}

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return [int(item) for item in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


# ---- movements ----------------------------------------------------------------------------------


class MovementForm(forms.Form):
    unit = _typed(_("Launched by"), required=False)
    unit_code = _unit_code()
    name = _text(
        _("Name of the movement"),
        max_length=300,
        required=True,
        error_messages={"required": _("Enter the name of the movement.")},
    )
    starts_on = DayField(
        label=_("From"), error_messages={"required": _("Enter the day the movement starts.")}
    )
    ends_on = DayField(label=_("To"), required=False)
    resolution = _typed(_("The resolution it carries out"))
    description = _text(_("Description"), max_length=LONG_TEXT, rows=4)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, units=(), resolutions=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            del self.fields["unit_code"]
        else:
            self.fields["unit"].choices = unit_choices(units)
        self.fields["resolution"].choices = [("", _("None"))] + [
            (r.pk, f"{r.number} – {r.title}"[:160]) for r in resolutions
        ]


class MovementFilterForm(forms.Form):
    is_filter = True

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    unit = _typed(_("Unit"))
    year = forms.IntegerField(label=_("Running in the year"), required=False, min_value=1945, max_value=2100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))


# ---- proposals ----------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("Who is commended"),
        choices=Recipient.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Say whether a collective or an individual is commended.")},
    )
    unit = _typed(
        _("Unit"),
        help_text=_("The collective itself, or the unit of the group or of the person."),
    )
    unit_code = _unit_code()
    group_name = _text(
        _("Name of the group"),
        max_length=300,
        help_text=_(
            "Only for a group inside the unit (a team, a village's women's branch); empty for the unit."
        ),
    )
    person_name = _text(_("Full name"), max_length=200, help_text=_("For an individual."))
    person_position = _text(_("Position"), max_length=200)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("Choose a level")), *LEVEL_CHOICES],
        error_messages={"required": _("Choose a level from the list.")},
    )
    form = forms.ChoiceField(
        label=_("Form of commendation"),
        choices=[("", _("Choose a form")), *CommendationForm.choices],
        error_messages={"required": _("Choose a form of commendation from the list.")},
    )
    reason = _text(
        _("Reason"),
        max_length=LONG_TEXT,
        required=True,
        rows=3,
        error_messages={"required": _("Enter the reason: the achievement the commendation rewards.")},
    )
    movement = _typed(_("Movement"))
    practice = _typed(_("Skillful mass mobilization model"))
    activity = _typed(_("Activity"))
    work_from = DayField(label=_("Work from"), required=False)
    work_to = DayField(label=_("Work to"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, units=(), movements=(), practices=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["movement"].choices = [("", _("None"))] + [(m.pk, m.name) for m in movements]
        self.fields["practice"].choices = [("", _("None"))] + [(p.pk, p.name) for p in practices]
        self.fields["activity"].choices = [("", _("None"))] + [
            (a.pk, f"{a.title} ({a.ends_on:%d/%m/%Y})") for a in activities
        ]


class CommendationFilterForm(forms.Form):
    is_filter = True

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CommendationStatus.choices]
    )
    recipient = forms.ChoiceField(
        label=_("Collective or individual"), required=False, choices=[("", _("Both")), *Recipient.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *LEVEL_CHOICES]
    )
    form = forms.ChoiceField(
        label=_("Form of commendation"),
        required=False,
        choices=[("", _("All forms")), *CommendationForm.choices],
    )
    year = forms.IntegerField(label=_("Year of the decision"), required=False, min_value=1945, max_value=2100)
    decision_number = forms.CharField(label=DECISION_NUMBER, required=False, max_length=60)
    movement = _typed(_("Movement"))
    unit = _typed(_("Unit"))
    unit_code = _unit_code()

    def __init__(self, *args, units=(), movements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))
        self.fields["movement"].choices = [("", _("All movements"))] + [(m.pk, m.name) for m in movements]


# ---- the lifecycle ------------------------------------------------------------------------------


class DecisionFields(forms.Form):
    decision_number = _text(
        DECISION_NUMBER,
        max_length=60,
        required=True,
        error_messages={"required": _("Enter the number of the decision.")},
    )
    decided_on = DayField(
        label=_("Decision date"), error_messages={"required": _("Enter the date of the decision.")}
    )
    issuer = _text(
        _("Issued by"),
        max_length=200,
        required=True,
        help_text=_("For example: Chairman of the provincial People's Committee."),
        error_messages={"required": _("Enter who issued the decision.")},
    )
    issuer_unit_code = forms.CharField(
        label=_("Code of the issuing unit"),
        required=False,
        max_length=30,
        help_text=_("The unit that issued it, by its code."),
    )


class DecideForm(VersionForm, DecisionFields):
    pass


class DeclineForm(VersionForm):
    note = _text(
        _("Why it is not approved"),
        max_length=LONG_TEXT,
        required=True,
        rows=2,
        error_messages={"required": _("Say why the proposal is not approved.")},
    )


class RevokeForm(VersionForm):
    reason = _text(
        _("Why it is revoked"),
        max_length=LONG_TEXT,
        required=True,
        rows=2,
        error_messages={"required": _("Say why the commendation is revoked.")},
    )


STEP_FORMS = {"decide": DecideForm, "decline": DeclineForm, "revoke": RevokeForm}


class BatchDecideForm(DecisionFields):
    ids = IdListField(label=_("Proposals"), required=False)


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Scan of the decision"),
        help_text=_("PDF, JPEG, PNG or DOCX."),
        error_messages={"required": _("Choose the file of the decision.")},
    )


class CeremonyForm(forms.Form):
    is_filter = True

    decision_number = forms.CharField(label=DECISION_NUMBER, required=False, max_length=60)
    decided_on = DayField(label=_("Decision date"), required=False, help_text="")
    unit = _typed(_("Unit"))
    unit_code = _unit_code()
    first = DayField(label=_("Decided from"), required=False, help_text="")
    last = DayField(label=_("Decided to"), required=False, help_text="")
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *LEVEL_CHOICES]
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))

    def clean(self):
        data = super().clean()
        if data.get("decision_number") and not data.get("decided_on"):
            self.add_error("decided_on", _("Give the date of the decision with its number."))
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end date is before the start date."))
        return data
