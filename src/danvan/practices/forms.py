"""Input shapes of the practices pages. Formats only: whether a value is given and allowed is for
`practices.services`, whose DomainError field names these forms reuse ("field", "registered_on",
"scores.<criterion id>" onto "criterion_<id>", "criteria.<row>.text" onto that row)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.forms import DayField
from danvan.units.forms import unit_choices

from .models import LEVEL_LABELS, RECOGNITION_LEVELS, Applies, PracticeField, PracticeKind, PracticeStatus

MAX_TEXT = 20_000
MAX_FILES = 10
MAX_CRITERIA_ROWS = 20
BLANK_CRITERIA_ROWS = 6

DECISION_NUMBER = pgettext_lazy("recognition or commendation", "Decision number")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        cleaned = [c for c in (single(item, initial) for item in items if item) if c]
        if len(cleaned) > MAX_FILES:
            raise forms.ValidationError(
                _("Choose at most %(max)s files at a time."), params={"max": MAX_FILES}
            )
        return cleaned


def _text(label, *, rows: int = 3, max_length: int = MAX_TEXT, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _unit_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


def leave_to_service(form: forms.Form, *names: str) -> None:
    """Mark fields the service requires as required (for the label and assistive technology), yet
    let an empty value through: the service says what is missing, in the same words on the page
    and in the API, together with every other problem of the input."""
    for name in names:
        field = form.fields[name]
        field.required = True
        original = field.validate

        def validate(value, _original=original, _field=field):
            if value in _field.empty_values:
                return
            _original(value)

        field.validate = validate  # type: ignore[method-assign]


def whole_number(text: str | None) -> int | None:
    """A number typed in a text box: None when empty, -1 (out of every range) when not a whole
    number, so that the service's message, naming the row or criterion, says what is wrong."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else -1


class VersionForm(forms.Form):
    """The version of the model the officer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


# ---- the list -----------------------------------------------------------------------------------


class PracticeFilterForm(forms.Form):
    is_filter = True  # every field is optional: labels do not say so

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Words of the name; accents and case do not matter."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("All fields")), *PracticeField.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PracticeKind.choices]
    )
    level = forms.ChoiceField(
        label=_("Level recognised"),
        required=False,
        choices=[
            ("", _("Any level")),
            *[(level, LEVEL_LABELS[level]) for level in RECOGNITION_LEVELS],
            ("none", _("Not recognised at any level")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PracticeStatus.choices]
    )
    year = forms.IntegerField(
        label=_("Year registered"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    unit = _unit_field(_("Unit"))
    unit_code = forms.CharField(
        label=_("or unit code"), required=False, max_length=30, help_text=_("Includes the units below it.")
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))


# ---- registering, editing, replicating ----------------------------------------------------------


class PracticeDetailsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=PracticeKind.choices,
        widget=forms.RadioSelect,
        help_text=_("A model is a collective way of working; an exemplar is a collective or a person."),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=400)
    field = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=PracticeField.choices,
        widget=forms.RadioSelect,
        help_text=_("One of the four fields of the movement."),
    )
    registered_on = DayField(label=_("Registered on"), required=False)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=400,
        help_text=_("Where it is carried out."),
    )
    carried_out_by = _text(_("People and units carrying it out"))
    aims = _text(_("Aims"))
    expected_results = _text(_("Expected results"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "kind", "name", "field", "registered_on", "carried_out_by", "aims")


class PracticeForm(PracticeDetailsForm):
    """Register a model or an exemplar (or a replica of a recognised model) in a unit."""

    unit = _unit_field(_("Unit"))
    unit_code = forms.CharField(label=_("or unit code"), required=False, max_length=30)
    field_order = ["unit", "unit_code"]

    def __init__(self, *args, units=(), truncated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        leave_to_service(self, "unit")
        if truncated:
            self.fields["unit_code"].help_text = _(
                "The list shows only the first units; type the code of any other unit."
            )


class PracticeEditForm(VersionForm, PracticeDetailsForm):
    pass


# ---- lifecycle steps ----------------------------------------------------------------------------


class ReportForm(VersionForm):
    on = DayField(label=_("Date"), required=False)
    note = _text(_("Progress"), rows=5, help_text=_("What was done and what came of it."))
    files = MultipleFileField(
        label=_("Evidence"), help_text=_("PDF, JPEG, PNG or DOCX; several files allowed.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "on", "note")


class SubmitForm(VersionForm):
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[(level, LEVEL_LABELS[level]) for level in RECOGNITION_LEVELS],
        widget=forms.RadioSelect,
        help_text=_("The level whose steering committee reviews it."),
    )
    on = DayField(label=_("Put up on"), required=False)
    note = _text(_("Notes"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "level", "on")


class RecogniseForm(VersionForm):
    decision_number = forms.CharField(label=DECISION_NUMBER, required=False, max_length=100)
    decided_on = DayField(label=_("Decided on"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "decision_number", "decided_on")


class NoteStepForm(VersionForm):
    on = DayField(label=_("Date"), required=False)
    note = _text(_("Reason"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "on", "note")


class EvidenceForm(forms.Form):
    on = DayField(label=_("Date"), required=False)
    files = MultipleFileField(label=_("Files"), help_text=_("PDF, JPEG, PNG or DOCX; several files allowed."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_to_service(self, "on", "files")


class EvaluateForm(VersionForm):
    """The scoring of a model: one field per criterion of the set in force, named
    `criterion_<id>`, and the date of the review (which decides the set)."""

    reviewed_on = DayField(label=_("Reviewed on"), required=False)
    criteria_set = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = _text(_("Remarks"), rows=3)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            # Typed as text: anything but a whole number comes back from the service with the
            # criterion named, like a score out of range.
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.position}. {criterion.text}",
                required=False,
                max_length=10,
                help_text=_("0 to %(max)s points.") % {"max": criterion.max_points},
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
            )
        self.order_fields(["reviewed_on", *[f"criterion_{c.pk}" for c in criteria], "note"])
        leave_to_service(self, "reviewed_on", *[f"criterion_{c.pk}" for c in criteria])

    def scores(self, criteria) -> dict[int, int | None]:
        return {c.pk: whole_number(self.cleaned_data.get(f"criterion_{c.pk}")) for c in criteria}


# ---- criteria sets ------------------------------------------------------------------------------


class CriteriaSetForm(forms.Form):
    unit = _unit_field(_("Province"))
    name = forms.CharField(label=_("Name of the set"), required=False, max_length=400)
    applies = forms.ChoiceField(
        label=_("For"), required=False, choices=Applies.choices, widget=forms.RadioSelect
    )
    first_year = forms.IntegerField(
        label=_("From year"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    last_year = forms.IntegerField(
        label=_("To year"),
        required=False,
        help_text=_("Empty: until another set replaces it."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pass_mark = forms.IntegerField(
        label=_("Points needed to be recognised"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("The guideline that sets these criteria."),
    )

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Choose a province"))] + [
            (unit.pk, f"{unit.name} ({unit.code}, {unit.validity_label})") for unit in provinces
        ]
        leave_to_service(self, "unit", "name", "applies", "first_year", "pass_mark")


class CriterionRowForm(forms.Form):
    is_filter = True  # a row may stay empty: its labels do not say "optional"

    text = forms.CharField(label=_("Criterion"), required=False, max_length=600)
    # Typed as text: the service names the row of a value that is not a whole number.
    max_points = forms.CharField(
        label=_("Maximum points"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each row's labels say which row they are in (the page has many of them).
        number = (self.prefix or "").rpartition("-")[2]
        if number.isdigit():
            row = {"number": int(number) + 1}
            self.fields["text"].label = _("Criterion %(number)s") % row
            self.fields["max_points"].label = _("Maximum points of criterion %(number)s") % row


CriterionFormSet = formset_factory(
    CriterionRowForm,
    extra=BLANK_CRITERIA_ROWS,
    max_num=MAX_CRITERIA_ROWS,
    absolute_max=MAX_CRITERIA_ROWS,
    validate_max=True,
)
