"""Input shapes of the reception pages. Formats only: every rule is in `reception.services`, whose
DomainError field names these forms reuse ("parts.0.content" lands on the first content's
"content", "visitors.1.id_number" on the second person's "id_number", "refusal_ground" on the
field of that name)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField
from danvan.petitions.forms import ContentForm, PersonRow, RowFormSet

from .models import (
    AnswerKind,
    Mode,
    Outcome,
    Position,
    Presider,
    RefusalGround,
    SessionKind,
    SessionStatus,
    Trigger,
)

MAX_PARTS = 4  # one petition per kind of content, and there are four kinds
MAX_VISITORS = 30
MAX_DIRECTIVES = 20
MAX_CONTENT = 20_000
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%Hh"]


class TimeField(forms.TimeField):
    """A time of day typed as hh:mm (24 hours)."""

    default_error_messages = {"invalid": _("Enter a time as hh:mm, for example 07:30.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", TIME_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.TimeInput(
                format="%H:%M",
                attrs={"inputmode": "numeric", "placeholder": _("hh:mm"), "autocomplete": "off"},
            ),
        )
        super().__init__(**kwargs)


def _note(label, *, rows: int = 2, max_length: int = 5000, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _unit_field(label, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        required=required,
        empty_value=None,
        error_messages={"required": _("Choose the unit.")},
    )


def autofocus(form: forms.Form, name: str) -> None:
    """Start the keyboard on the form's first field (a form drawn again with errors starts on its
    error summary instead)."""
    if not form.is_bound:
        form.fields[name].widget.attrs["autofocus"] = True


class VersionForm(forms.Form):
    """The version of the record the officer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# ---- the desk -----------------------------------------------------------------------------------


class OpenRegularForm(forms.Form):
    place = forms.TypedChoiceField(
        label=_("Place"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("No particular place"))],
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("No particular place"))] + [(p.pk, p.name) for p in places]


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Look a person up"),
        required=False,
        max_length=200,
        help_text=_("ID number, or the start of the full name."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "type": "search", "data-lookup-input": ""}
        ),
    )
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)
    inline = forms.BooleanField(required=False, widget=forms.HiddenInput)


# ---- the visit ----------------------------------------------------------------------------------


class VisitForm(forms.Form):
    people_count = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=100_000,
        initial=1,
        error_messages={"required": _("Enter how many people came.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    crowd = forms.BooleanField(
        label=_("A crowd: five or more people with the same content (Art 29)"), required=False
    )
    summary = forms.CharField(
        label=_("Summary for the book"),
        required=False,
        max_length=MAX_CONTENT,
        help_text=_("One line for the reception book; empty: the contents above."),
    )
    requests = _note(_("The person's requests"))
    earlier_handling = forms.CharField(
        label=_("Body that already handled it"),
        required=False,
        max_length=300,
        help_text=_("The competent body that dealt with the matter before, if any."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"data-outcome": ""}),
        error_messages={"required": _("Choose how the matter was received.")},
    )
    outcome_note = _note(_("What was answered or explained"))
    target_name = forms.CharField(label=_("Body guided or transferred to"), required=False, max_length=300)
    target_document = forms.CharField(
        label=_("Number of the guidance letter or transfer slip"), required=False, max_length=60
    )
    refusal_ground = forms.ChoiceField(
        label=_("Ground for refusal"),
        required=False,
        choices=[("", _("Choose a ground")), *RefusalGround.choices],
    )
    refusal_notice = forms.CharField(
        label=_("Number of the refusal notice (form 01)"), required=False, max_length=60
    )
    make_petitions = forms.BooleanField(
        label=_("Make petitions from this visit (one per kind of content)"), required=False, initial=True
    )
    has_original_documents = forms.BooleanField(label=_("Original documents handed over"), required=False)
    note = forms.CharField(label=_("Notes"), required=False, max_length=500)
    repeat_of_visit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    repeat_of_petition = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class VisitPartForm(ContentForm):
    """One content of the matter; each becomes a petition of its kind."""


class VisitorForm(PersonRow, forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    representative = forms.BooleanField(label=_("Representative of the crowd"), required=False)


VisitPartFormSet = formset_factory(
    VisitPartForm,
    formset=RowFormSet,
    extra=1,  # a second content row is always there, ignored when left empty
    min_num=1,
    max_num=MAX_PARTS,
    validate_max=True,
    absolute_max=MAX_PARTS,
)
VisitorFormSet = formset_factory(
    VisitorForm,
    formset=RowFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_VISITORS,
    validate_max=True,
    absolute_max=MAX_VISITORS,
)


class AnswerForm(VersionForm):
    answered_on = DayField(
        label=_("Date the citizen was told"), error_messages={"required": _("Enter the date of the answer.")}
    )
    answer_kind = forms.ChoiceField(
        label=_("What the citizen was told"),
        choices=[("", _("Choose one")), *AnswerKind.choices],
        error_messages={"required": _("Choose what the citizen was told.")},
    )
    follow_up = _note(_("Follow-up of the result"))


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to see the identity"),
        max_length=300,
        error_messages={"required": _("Enter why you need to see the identity.")},
        help_text=_("Every view of a protected identity is recorded with its reason."),
    )


# ---- sessions -----------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """A unit and a period (the book, compliance, the session list)."""

    is_filter = True  # every field is optional: labels do not say so

    unit = _unit_field(_("Unit"), required=False)
    unit_code = forms.CharField(label=_("or unit code"), required=False, max_length=30)
    first = DayField(label=_("From"), required=False, help_text="")
    last = DayField(label=_("To"), required=False, help_text="")

    def __init__(self, *args, unit_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(unit_options)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end date is before the start date."))
        return data


class SessionFilterForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *SessionKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *SessionStatus.choices]
    )


class ComplianceForm(PeriodForm):
    below = forms.BooleanField(label=_("Include the units below"), required=False)


class SessionForm(forms.Form):
    unit = _unit_field(_("Unit"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose a kind")), *SessionKind.choices],
        error_messages={"required": _("Choose the kind of reception.")},
    )
    mode = forms.ChoiceField(label=_("Form"), choices=Mode.choices, initial=Mode.IN_PERSON)
    day = DayField(label=_("Day"), error_messages={"required": _("Enter the day of the reception.")})
    starts_at = TimeField(label=_("From"), required=False)
    ends_at = TimeField(label=_("To"), required=False)
    place = forms.TypedChoiceField(label=_("Place"), coerce=int, required=False, empty_value=None)
    duty = forms.TypedChoiceField(
        label=_("Whose reception day"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a head's periodic or ad hoc reception."),
    )
    trigger = forms.ChoiceField(
        label=_("Reason for the ad hoc reception"),
        required=False,
        choices=[("", _("Not an ad hoc reception")), *Trigger.choices],
    )
    attendees = forms.CharField(label=_("Also attending"), required=False, max_length=500)
    expected_content = _note(_("Expected content"), rows=3)
    held = forms.BooleanField(
        label=_("The session has been held (record it now)"),
        required=False,
        help_text=_("Leave unticked to schedule a session."),
    )
    presider = forms.ChoiceField(
        label=_("Presided by"), required=False, choices=[("", _("Choose who presided")), *Presider.choices]
    )
    presider_name = forms.CharField(label=_("Name of the person presiding"), required=False, max_length=200)
    authorisation = forms.CharField(label=_("Authorisation document"), required=False, max_length=120)
    recording = forms.CharField(label=_("Where the recording is kept"), required=False, max_length=300)

    def __init__(self, *args, units=(), places=(), duties=(), **kwargs):
        super().__init__(*args, **kwargs)
        several = len({u.pk for u in units}) > 1
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["place"].choices = [("", _("No particular place"))] + [
            (p.pk, f"{p.name} · {p.unit.name}" if several else p.name) for p in places
        ]
        self.fields["duty"].choices = [("", _("Regular reception: nobody's day"))] + [
            (d.pk, f"{d} · {d.unit.name}" if several else str(d)) for d in duties
        ]
        autofocus(self, "kind")


class PublishForm(VersionForm):
    on = DayField(label=_("Date the schedule was posted"), error_messages={"required": _("Enter the date.")})


class HoldForm(VersionForm):
    presider = forms.ChoiceField(
        label=_("Presided by"), required=False, choices=[("", _("Choose who presided")), *Presider.choices]
    )
    presider_name = forms.CharField(label=_("Name of the person presiding"), required=False, max_length=200)
    authorisation = forms.CharField(label=_("Authorisation document"), required=False, max_length=120)
    recording = forms.CharField(label=_("Where the recording is kept"), required=False, max_length=300)


class CancelForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        error_messages={"required": _("Enter the reason for cancelling.")},
    )


# ---- conclusions --------------------------------------------------------------------------------


class ConclusionForm(forms.Form):
    number = forms.CharField(
        label=_("Notice number"),
        max_length=60,
        error_messages={"required": _("Enter the number of the notice.")},
    )
    issued_on = DayField(
        label=_("Issued on"), error_messages={"required": _("Enter the date of the notice.")}
    )
    signer = forms.CharField(
        label=_("Signed by"), max_length=200, error_messages={"required": _("Enter who signed the notice.")}
    )
    summary = forms.CharField(
        label=_("Conclusions"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the conclusions.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autofocus(self, "number")


class DirectiveForm(forms.Form):
    task = forms.CharField(
        label=_("Task"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the task.")},
    )
    due_date = DayField(label=_("Due"), error_messages={"required": _("Enter the deadline of the task.")})
    responsible_code = forms.CharField(
        label=_("Code of the responsible unit in danvan"), required=False, max_length=30
    )
    responsible_name = forms.CharField(
        label=_("or the responsible body's name"), required=False, max_length=300
    )
    visit = forms.TypedChoiceField(label=_("Visit"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", _("No particular visit"))] + [
            (v.pk, f"{v.book_number} · {v.day:%d/%m/%Y}") for v in visits
        ]


DirectiveFormSet = formset_factory(
    DirectiveForm,
    formset=RowFormSet,
    extra=1,
    min_num=1,
    max_num=MAX_DIRECTIVES,
    validate_max=True,
    absolute_max=MAX_DIRECTIVES,
)


class DirectiveDoneForm(VersionForm):
    done_on = DayField(
        label=_("Done on"), error_messages={"required": _("Enter the date the task was done.")}
    )
    result = forms.CharField(
        label=_("Result"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the result.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autofocus(self, "result")


# ---- places and duties --------------------------------------------------------------------------


class UnitChoiceForm(forms.Form):
    is_filter = True

    unit = _unit_field(_("Unit"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class PlaceForm(forms.Form):
    unit = _unit_field(_("Unit"))
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name of the place.")}
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, error_messages={"required": _("Enter the address of the place.")}
    )
    regular_hours = forms.CharField(
        label=_("Regular reception hours"),
        required=False,
        max_length=300,
        help_text=_("As posted at the place, for example: Monday to Friday, 7:30–11:30 and 13:30–17:00."),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        autofocus(self, "name")


class DutyForm(forms.Form):
    unit = _unit_field(_("Unit"))
    position = forms.ChoiceField(
        label=_("Position"),
        choices=[("", _("Choose a position")), *Position.choices],
        error_messages={"required": _("Choose a position from the list.")},
    )
    holder_name = forms.CharField(
        label=_("Holder"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person holding the position.")},
    )
    holder = forms.TypedChoiceField(
        label=_("Holder's account in danvan"), coerce=int, required=False, empty_value=None
    )
    valid_from = DayField(label=_("From"), error_messages={"required": _("Enter the date the duty starts.")})
    valid_to = DayField(
        label=_("To"), required=False, help_text=_("Empty while the person holds the position.")
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, units=(), holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["holder"].choices = [("", _("No account"))] + [
            (user.pk, label) for user, label in holders
        ]
        autofocus(self, "position")
