"""Input shapes of the petition pages. Formats only: every rule is in `petitions.services`, whose
DomainError field names these forms reuse ("parts.0.content" lands on the first content's
"content", "petitioners.1.id_number" on the second petitioner's "id_number")."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField

from . import identity
from .models import FIELDS_OF_KIND, Channel, Field, IneligibleReason, Kind, Status

MAX_PARTS = 4  # one petition per kind of content, and there are four kinds
MAX_PETITIONERS = 30
MAX_FILES = 10
MAX_CONTENT = 20_000

URGENCY_CHOICES = [
    ("overdue", _("Overdue")),
    ("very_late", _("Very late")),
    ("due_soon", _("Due soon")),
]
STATUS_OPEN, STATUS_ALL, STATUS_DISPOSAL = "", "all", "disposal"
HANDLER_MINE = "mine"


# ---- widgets ----------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [cleaned for cleaned in (single(item, initial) for item in items if item) if cleaned]


class FieldOfKindSelect(forms.Select):
    """The field select: each option names the kinds whose report forms list it (`data-kinds`),
    so that app.js offers only the fields of the chosen kind. The server checks again."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-kinds"] = " ".join(
                str(kind) for kind, fields in FIELDS_OF_KIND.items() if str(value) in fields
            )
        return option


# ---- the worklist -----------------------------------------------------------------------------


class WorklistFilterForm(forms.Form):
    is_filter = True  # every field is optional: labels do not say so

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words of the content, or a tracking code such as DV7K2M9QXA."),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("All fields")), *Field.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_OPEN, _("Open (still being handled)")),
            (STATUS_ALL, _("All statuses")),
            *Status.choices,
            (STATUS_DISPOSAL, _("Filed, keeping period over: to dispose of")),
        ],
    )
    handler = forms.ChoiceField(label=_("Handler"), required=False)
    urgency = forms.ChoiceField(
        label=_("Deadline"), required=False, choices=[("", _("Any deadline")), *URGENCY_CHOICES]
    )
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [
            ("", _("Any handler")),
            (HANDLER_MINE, _("Mine")),
            *[(str(user.pk), label) for user, label in handlers],
        ]
        self.fields["unit"].choices = [("", _("All my units"))] + [(unit.pk, unit.name) for unit in units]


# ---- intake -----------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Receiving unit"), coerce=int, error_messages={"required": _("Choose the receiving unit.")}
    )
    received_on = DayField(
        label=_("Date received"), error_messages={"required": _("Enter the date the petition was received.")}
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Choose a channel")), *Channel.choices],
        error_messages={"required": _("Choose how the petition came in.")},
    )
    sender_body = forms.CharField(
        label=_("Sending body"),
        required=False,
        max_length=300,
        help_text=_(
            "For a petition passed on by a deputy, the Fatherland Front, the press or another agency."
        ),
    )
    sender_document_number = forms.CharField(
        label=_("Sending body's document number"), required=False, max_length=60
    )
    signer_count = forms.IntegerField(
        label=_("Number of signers"),
        min_value=1,
        max_value=1_000_000,
        initial=1,
        error_messages={"required": _("Enter how many people signed the petition.")},
        help_text=_("Five or more makes it a multi-signer petition."),
    )
    anonymous = forms.BooleanField(label=_("Anonymous petition (no name given)"), required=False)
    has_original_documents = forms.BooleanField(label=_("Original documents attached"), required=False)
    decision_known_on = DayField(
        label=_("Date the decision or act became known"),
        required=False,
        help_text=_("Complaints only: the time limit to complain counts from this date. As dd/mm/yyyy."),
    )
    complex = forms.BooleanField(label=_("Complex case"), required=False)
    remote = forms.BooleanField(label=_("Remote or hard-to-reach area"), required=False)
    previous = forms.CharField(
        label=_("Earlier petition"),
        required=False,
        max_length=30,
        help_text=_(
            "For a second complaint or a further denunciation: the earlier petition's tracking code, "
            "or its receipt number such as 12/2026."
        ),
    )
    files = MultipleFileField(
        label=_("Attach documents"),
        required=False,
        help_text=_("PDF, JPEG, PNG or DOCX; you may choose several files at once."),
    )
    files_identifying = forms.BooleanField(
        label=_("The documents chosen now identify the denouncer (handwriting, signature)"), required=False
    )
    # Kept between the duplicate check and the save: the files already received, and a digest of
    # what was checked (a change to the content or the petitioners asks for a new check).
    kept = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]


class ContentForm(forms.Form):
    """One content: its kind, field, text and whom it concerns (a petition's part, a visit's matter)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose a kind")), *Kind.choices],
        error_messages={"required": _("Choose the kind of this content.")},
        widget=forms.Select(attrs={"data-kind-select": ""}),
    )
    field = forms.ChoiceField(
        label=_("Field"),
        choices=[("", _("Choose a field")), *Field.choices],
        error_messages={"required": _("Choose the field of this content.")},
        widget=FieldOfKindSelect(attrs={"data-field-select": ""}),
    )
    content = forms.CharField(
        label=_("Content"),
        max_length=MAX_CONTENT,
        error_messages={"required": _("Enter the content.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    subject = forms.CharField(
        label=_("Person or body complained about or denounced"), required=False, max_length=300
    )


class PartForm(ContentForm):
    """One content of the petition; a petition with contents of several kinds is split by kind."""

    # The clerk's choice after the duplicate check: "new", "duplicate-<id>" or "case-<id>"
    # (radio buttons beside the earlier petitions; not drawn with the other fields).
    link = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["data-dup-source"] = ""  # read by the duplicate check

    def clean_link(self):
        value = self.cleaned_data["link"]
        if value and not parse_link(value):
            raise forms.ValidationError(_("Choose one of the options."))
        return value


def parse_link(value: str) -> tuple[str, int | None] | None:
    """("new", None), ("duplicate", id) or ("case", id) from a link choice; None if malformed."""
    if value in ("", "new"):
        return "new", None
    how, _sep, number = value.partition("-")
    if how in ("duplicate", "case") and number.isdigit():
        return how, int(number)
    return None


class PersonRow:
    """A row of people on a form (petitioners, visitors): the ID number's shape, and whether the
    row was left empty."""

    def clean_id_number(self):
        """The shape of the number only (the service checks it again)."""
        value = self.cleaned_data["id_number"]
        if value and not identity.id_number_valid(identity.clean_id_number(value)):
            raise forms.ValidationError(
                _("The ID number must be a 12-digit citizen ID, a 9-digit ID card or a passport number.")
            )
        return value

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any((data.get(name) or "").strip() for name in ("name", "id_number", "address", "phone"))


class PetitionerForm(PersonRow, forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-dup-source": ""}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        help_text=_("12-digit citizen ID, 9-digit ID card or passport number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "data-dup-source": ""}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-dup-source": ""}),
    )
    address_unit_code = forms.CharField(
        label=_("Code of the commune or ward of the address"),
        required=False,
        max_length=30,
        help_text=_("Its official code, such as 14801."),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    representative = forms.BooleanField(label=_("Representative of the signers"), required=False)


class RowFormSet(forms.BaseFormSet):
    """Rows that are all new. None counts as an "initial" row, even when the page is drawn again
    with the rows typed so far: an added row left empty is then ignored, not required."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return min(max(len(self.initial or ()), self.min_num) + self.extra, self.absolute_max)


PartFormSet = formset_factory(
    PartForm,
    formset=RowFormSet,
    extra=0,
    min_num=1,  # the first row is required field by field: no separate "at least one" message
    max_num=MAX_PARTS,
    validate_max=True,
    absolute_max=MAX_PARTS,
)
PetitionerFormSet = formset_factory(
    PetitionerForm,
    formset=RowFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_PETITIONERS,
    validate_max=True,
    absolute_max=MAX_PETITIONERS,
)


# ---- lifecycle steps --------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The fields every step shares: the version the officer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, petition=None, **kwargs):
        self.petition = petition
        super().__init__(*args, **kwargs)


class DatedActionForm(ActionForm):
    on = DayField(
        label=_("Date of this step"), error_messages={"required": _("Enter the date of this step.")}
    )


def _reason_field(required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Why it is not eligible"),
        required=required,
        choices=[
            ("", _("Choose a reason") if required else _("Eligible: no reason")),
            *IneligibleReason.choices,
        ],
    )


class AssignForm(ActionForm):
    handler = forms.TypedChoiceField(
        label=_("Handler"), coerce=int, error_messages={"required": _("Choose the handler.")}
    )


class AcceptForm(DatedActionForm):
    complex = forms.BooleanField(label=_("Complex case"), required=False)
    remote = forms.BooleanField(label=_("Remote or hard-to-reach area"), required=False)


class GuideForm(DatedActionForm):
    guided_to = forms.CharField(label=_("Body the petitioner is guided to"), max_length=300)
    eligible = forms.BooleanField(label=_("Eligible for processing"), required=False, initial=True)
    ineligible_reason = _reason_field(required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(DatedActionForm):
    target_unit = forms.IntegerField(
        label=_("Receiving unit in danvan"),
        required=False,
        widget=forms.Select,
        help_text=_("The petition appears in that unit's worklist."),
    )
    target_unit_code = forms.CharField(label=_("or the receiving unit's code"), required=False, max_length=30)
    target_name = forms.CharField(
        label=_("or the name of a body outside danvan"), required=False, max_length=300
    )
    document_number = forms.CharField(label=_("Number of the transfer slip"), max_length=60)
    eligible = forms.BooleanField(label=_("Eligible for processing"), required=False, initial=True)
    ineligible_reason = _reason_field(required=False)


class UrgeForm(DatedActionForm):
    target_unit = forms.IntegerField(label=_("Lower-level unit"), required=False, widget=forms.Select)
    target_unit_code = forms.CharField(label=_("or its code"), required=False, max_length=30)
    document_number = forms.CharField(label=_("Number of the urging letter"), max_length=60)


class FileAwayForm(DatedActionForm):
    ineligible_reason = _reason_field(required=True)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(DatedActionForm):
    on = DayField(label=_("Date of the reply"))
    summary = forms.CharField(
        label=_("What the reply says"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachForm(DatedActionForm):
    file = forms.FileField(label=_("Document"), help_text=_("PDF, JPEG, PNG or DOCX."))
    identifying = forms.BooleanField(
        label=_("The document identifies the denouncer (handwriting, signature)"), required=False
    )


class VerifyForm(DatedActionForm):
    summary = forms.CharField(
        label=_("What was verified"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label=_("Document"), required=False, help_text=_("PDF, JPEG, PNG or DOCX."))


class DialogueForm(DatedActionForm):
    on = DayField(label=_("Date of the dialogue"))
    participants = forms.CharField(
        label=_("Who took part"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.FileField(label=_("Minutes"), required=False, help_text=_("PDF, JPEG, PNG or DOCX."))


class ExtendForm(DatedActionForm):
    ground = forms.CharField(
        label=_("Legal ground"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    days = forms.IntegerField(
        label=_("Days of extension"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Empty: the longest extension the rule allows."),
    )
    especially_complex = forms.BooleanField(
        label=_("Especially complex case (two or more criteria): a second extension is allowed"),
        required=False,
    )


class GroundForm(DatedActionForm):
    ground = forms.CharField(
        label=_("Legal ground"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(DatedActionForm):
    petitioners = forms.TypedMultipleChoiceField(
        label=_("Petitioners who withdraw"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every petitioner withdraws."),
    )
    continue_anyway = forms.BooleanField(
        label=_("A denunciation goes on: the violation appears real, or the withdrawal was coerced"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(ActionForm):
    number = forms.CharField(label=_("Decision or conclusion number"), max_length=60)
    decided_on = DayField(label=_("Date of the decision"))
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"))
    money_recovered = forms.DecimalField(
        label=_("Money to recover for the State (million VND)"), required=False, min_value=0, localize=True
    )
    land_recovered = forms.DecimalField(
        label=_("Land to recover for the State (m²)"), required=False, min_value=0, localize=True
    )
    money_returned = forms.DecimalField(
        label=_("Money to return to people (million VND)"), required=False, min_value=0, localize=True
    )
    land_returned = forms.DecimalField(
        label=_("Land to return to people (m²)"), required=False, min_value=0, localize=True
    )
    people_restored = forms.IntegerField(
        label=_("People whose rights are restored"), required=False, min_value=0
    )
    people_sanctioned = forms.IntegerField(label=_("People to be disciplined"), required=False, min_value=0)
    cases_to_investigation = forms.IntegerField(
        label=_("Cases passed to the investigating agency"), required=False, min_value=0
    )


class PlainActionForm(DatedActionForm):
    """A step with nothing but its date (resume, dispose)."""


# ---- the denouncer's identity -----------------------------------------------------------------


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to see the identity"),
        max_length=300,
        error_messages={"required": _("Enter why you need to see the identity.")},
        help_text=_("Every view of a protected identity is recorded with its reason."),
    )


class GrantForm(forms.Form):
    user = forms.TypedChoiceField(
        label=_("User"), coerce=int, error_messages={"required": _("Choose a user.")}
    )
    reason = forms.CharField(
        label=_("Why this person needs to see the identity"),
        max_length=300,
        error_messages={"required": _("Enter why this person needs to see the identity.")},
    )


# ---- following a petition (public) ------------------------------------------------------------


class TrackCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        error_messages={"required": _("Enter the tracking code printed on your receipt.")},
        help_text=_("It is printed on your receipt and starts with DV, for example DV7K2M9QXA."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip().upper()


class TrackSecretForm(TrackCodeForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    secret = forms.CharField(
        label=_("Secret"),
        max_length=40,
        strip=True,
        error_messages={"required": _("Enter the secret printed on your receipt.")},
        help_text=_("The ten letters and digits printed under the tracking code."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
