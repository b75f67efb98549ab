"""Input shapes of the import pages: the upload, the column mapping, the export. Formats only:
every rule is in `imports.services` (and the pipeline), whose DomainError field names these forms
reuse ("file", "record_type", "sheet", "unit", "mapping", "save_as")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DayField
from danvan.units.forms import unit_choices

ACCEPT = ".xlsx,.xls,.ods,.csv"
FORMATS = (("xlsx", "XLSX"), ("csv", "CSV"))


def type_choices(record_types, *, blank_label=None) -> list[tuple[str, str]]:
    """Options for a record type select, with an optional first option."""
    options = [("", blank_label)] if blank_label is not None else []
    return options + [(rt.code, str(rt.label)) for rt in record_types]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An XLSX, XLS, ODS or CSV file whose first rows hold the column headers."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose the file to import.")},
    )
    record_type = forms.ChoiceField(label=_("Type of records"), required=False)
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=100,
        help_text=_("The name of the sheet to read; empty for the first sheet with data."),
    )
    unit = forms.TypedChoiceField(
        label=_("Unit the names belong to"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Units named in the file are looked for below this unit first."),
    )
    mapping = forms.ChoiceField(
        label=_("Saved column mapping"),
        required=False,
        help_text=_("Map the columns as for an earlier file; empty to match them by their headers."),
    )

    def __init__(self, *args, record_types=(), units=(), mappings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = type_choices(
            record_types, blank_label=_("Detect from the columns")
        )
        self.fields["unit"].choices = unit_choices(units, blank_label=_("Any unit in my scope"))
        labels = {rt.code: str(rt.label) for rt in record_types}
        names: list[tuple[str, str]] = [("", _("None"))]
        for mapping in mappings:
            if mapping.record_type in labels and mapping.name not in dict(names):
                names.append((mapping.name, f"{mapping.name} ({labels[mapping.record_type]})"))
        self.fields["mapping"].choices = names


class MappingForm(forms.Form):
    """One select per header of the file (a field of the record type, or ignore the column), and
    a name to keep the mapping under. `headers` is a list of (letter, header, current field key)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Files with the same columns are then mapped this way without asking."),
    )

    def __init__(self, *args, headers=(), columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("Ignore this column"))] + [
            (c.key, f"{c.label} *" if c.required else str(c.label)) for c in columns
        ]
        self.headers = list(headers)
        for index, (letter, header, current) in enumerate(self.headers):
            label = _("Column %(letter)s: “%(header)s”") % {"letter": letter, "header": header}
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=label, choices=options, required=False, initial=current
            )
        self.order_fields([f"col_{n}" for n in range(len(self.headers))] + ["save_as", "version"])

    def header_fields(self):
        return [self[f"col_{n}"] for n in range(len(self.headers))]

    def mapping(self) -> dict[str, str]:
        """The file's header -> the chosen field key ("" to ignore the column)."""
        return {header: self.cleaned_data[f"col_{n}"] for n, (_l, header, _c) in enumerate(self.headers)}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ExportForm(forms.Form):
    """The records of a unit (and the units below it) dated in a period, as a file."""

    type = forms.ChoiceField(
        label=_("Type of records"), error_messages={"required": _("Choose the type of records to export.")}
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Choose the unit whose records to export.")},
    )
    first = DayField(label=_("From"), error_messages={"required": _("Enter the first day.")})
    last = DayField(label=_("To"), error_messages={"required": _("Enter the last day.")})
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")

    def __init__(self, *args, record_types=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices(record_types, blank_label=_("Choose the type of records"))
        self.fields["unit"].choices = unit_choices(units)
        for name in ("first", "last"):
            self.fields[name].help_text = _("As dd/mm/yyyy; by the record's date.")

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The last day is before the first day."))
        return data
