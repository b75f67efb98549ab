"""Input shapes of the outreach pages. Formats only: every rule is in `outreach.services`, whose
DomainError field names these forms reuse ("counts.cadres" lands on `count_cadres`,
"attendees.3.category" on the fourth row's category, "file" on the upload)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField
from danvan.units.forms import unit_choices

from .models import ActivityKind, DocumentType, ParticipantCategory
from .services import COUNTED

MAX_TYPED_ROWS = 300  # longer lists are edited in a spreadsheet and imported
FILE_ROLES = (
    ("plan", _("Plan")),
    ("minutes", _("Minutes")),
    ("photo", _("Photo")),
)
COUNT_FIELDS = {category: f"count_{category}" for category in COUNTED}


def count_field_map() -> dict[str, str]:
    """Service field names -> form field names of the counts."""
    return {f"counts.{category}": name for category, name in COUNT_FIELDS.items()}


class IdListField(forms.Field):
    """Ids submitted as several values of one name (checkboxes); the service checks each one."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose from the list.")}

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        out: list[int] = []
        for item in values:
            text = str(item).strip()
            if not text:
                continue
            if not text.isdigit():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if int(text) not in out:
                out.append(int(text))
        return out


def _unit_field(label, help_text="") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        required=False,
        empty_value=None,
        help_text=help_text,
    )


def _unit_choice(form: forms.Form, units, cut: bool, required_message) -> None:
    """The unit select; when the list of units is cut, the unit's code may be typed instead."""
    form.fields["unit"].choices = unit_choices(units)
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    else:
        del form.fields["unit_code"]
        form.fields["unit"].required = True
        form.fields["unit"].error_messages["required"] = required_message


def _count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
    )


class ActivityForm(forms.Form):
    unit = _unit_field(_("Lead organiser"))
    unit_code = forms.CharField(
        label=_("or the lead organiser's code"),
        required=False,
        max_length=30,
        help_text=_("The unit valid on the first day with this code."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("Choose a kind")), *ActivityKind.choices],
        error_messages={"required": _("Choose the kind of activity.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        error_messages={"required": _("Enter the title of the activity.")},
        help_text=_("For example: Conference to disseminate Conclusion 43-KL/TW."),
    )
    starts_on = DayField(
        label=_("From"), error_messages={"required": _("Enter the first day of the activity.")}
    )
    ends_on = DayField(
        label=_("To"), required=False, help_text=_("As dd/mm/yyyy; empty for a one-day activity.")
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    co_organisers = IdListField(label=_("Co-organisers"), required=False)
    co_q = forms.CharField(
        label=_("Find a co-organiser by name"),
        required=False,
        max_length=100,
        help_text=_(
            "Type part of the name, then tick the units to add. Co-organisers are shown, not counted."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    resolutions = forms.TypedMultipleChoiceField(
        label=_("Resolutions disseminated"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    documents = IdListField(label=_("Documents disseminated"), required=False)
    doc_q = forms.CharField(
        label=_("Find a document by number or title"),
        required=False,
        max_length=100,
        help_text=_("Documents issued on or before the first day of the activity."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    count_cadres = _count_field(ParticipantCategory.CADRES.label)
    count_party_members = _count_field(ParticipantCategory.PARTY_MEMBERS.label)
    count_union_members = _count_field(ParticipantCategory.UNION_MEMBERS.label)
    count_association_members = _count_field(ParticipantCategory.ASSOCIATION_MEMBERS.label)
    count_mm_cadres = _count_field(ParticipantCategory.MM_CADRES.label)
    count_citizens = _count_field(ParticipantCategory.CITIZENS.label)
    count_other = _count_field(ParticipantCategory.OTHER.label)
    participants_total = forms.IntegerField(
        label=_("Participants in all"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_(
            "If you give both, the categories must add up to the total. "
            "A total alone is kept as not broken down."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args,
        units=(),
        resolutions=(),
        from_attendance: bool = False,
        units_cut: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        _unit_choice(self, units, units_cut, _("Choose the lead organiser."))
        self.fields["resolutions"].choices = [(r.pk, f"{r.number} · {r.title}") for r in resolutions]
        self.from_attendance = from_attendance
        if from_attendance:
            for name in (*COUNT_FIELDS.values(), "participants_total"):
                self.fields[name].disabled = True
            self.fields["participants_total"].help_text = _(
                "Counted from the attendance list: edit the list to change them."
            )
        if not self.is_bound:
            self.fields["kind"].widget.attrs["autofocus"] = True

    def count_values(self) -> dict[str, int | None]:
        if self.from_attendance:
            return {}
        return {category: self.cleaned_data.get(name) for category, name in COUNT_FIELDS.items()}

    def count_fields(self):
        return [self[name] for name in COUNT_FIELDS.values()]


class ActivityFilterForm(forms.Form):
    is_filter = True

    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    unit = _unit_field(_("Unit"), _("Includes the units below it."))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ActivityKind.choices]
    )
    first = DayField(label=_("From"), required=False, help_text="")
    last = DayField(label=_("To"), required=False, help_text="")
    resolution = forms.TypedChoiceField(label=_("Resolution"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), resolutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))
        self.fields["resolution"].choices = [("", _("All resolutions"))] + [
            (r.pk, r.number) for r in resolutions
        ]

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end date is before the start date."))
        return data


class AttendeeRowForm(forms.Form):
    """One person of a typed list; an empty row is skipped."""

    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    organisation = forms.CharField(label=_("Unit or organisation"), required=False, max_length=300)
    job_title = forms.CharField(label=_("Position"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (c.value, c.label) for c in ParticipantCategory if c != ParticipantCategory.UNSPECIFIED
        ]

    def is_blank(self) -> bool:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return not self.has_changed()
        return not any((self.cleaned_data.get(name) or "").strip() for name in self.fields)


AttendeeFormSet = formset_factory(
    AttendeeRowForm, extra=0, max_num=MAX_TYPED_ROWS, absolute_max=MAX_TYPED_ROWS + 10
)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AttendanceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance list (XLSX or CSV)"),
        help_text=_(
            "A header row, then one person a row: full name, category, unit or organisation, position."
        ),
        error_messages={"required": _("Choose the file of the list.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActivityFileForm(forms.Form):
    role = forms.ChoiceField(label=_("What the file is"), choices=[("", _("Choose")), *FILE_ROLES])
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or DOCX."),
        error_messages={"required": _("Choose the file.")},
    )


class DocumentForm(forms.Form):
    unit = _unit_field(_("Issuing unit"))
    unit_code = forms.CharField(
        label=_("or the issuing unit's code"),
        required=False,
        max_length=30,
        help_text=_("The unit valid on the date of issue with this code."),
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        error_messages={"required": _("Enter the document's number, such as 15-KH/HU.")},
        help_text=_("As written on the document, such as 15-KH/HU."),
    )
    issued_on = DayField(
        label=_("Date of issue"), error_messages={"required": _("Enter the date the document was issued.")}
    )
    doc_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Choose a type")), *DocumentType.choices],
        error_messages={"required": _("Choose the type of document.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        error_messages={"required": _("Enter the title of the document.")},
        widget=forms.TextInput(),
    )
    issuer = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=200,
        help_text=_("The body that signed it, such as Ban Thường vụ Huyện ủy; empty: the issuing unit."),
    )
    implements = forms.TypedChoiceField(label=_("Carries out"), required=False, coerce=int, empty_value=None)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, units=(), resolutions=(), units_cut: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choice(self, units, units_cut, _("Choose the issuing unit."))
        self.fields["implements"].choices = [("", _("No particular resolution"))] + [
            (r.pk, f"{r.number} · {r.title}") for r in resolutions
        ]
        if not self.is_bound:
            self.fields["number"].widget.attrs["autofocus"] = True


class DocumentFilterForm(forms.Form):
    is_filter = True

    q = forms.CharField(
        label=_("Number or title"),
        required=False,
        max_length=100,
        help_text=_("Case and accents are ignored."),
    )
    unit = _unit_field(_("Unit"), _("Includes the units below it."))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    doc_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *DocumentType.choices]
    )
    resolution = forms.TypedChoiceField(label=_("Carries out"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), resolutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units, blank_label=_("All my units"))
        self.fields["resolution"].choices = [("", _("All resolutions"))] + [
            (r.pk, r.number) for r in resolutions
        ]


class DocumentFileForm(forms.Form):
    file = forms.FileField(
        label=_("Text of the document"),
        help_text=_("PDF, JPEG, PNG or DOCX."),
        error_messages={"required": _("Choose the file.")},
    )


class DialogueYearForm(forms.Form):
    is_filter = True

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
