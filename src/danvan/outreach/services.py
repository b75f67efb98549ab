"""Every write of outreach work: activities (dissemination conferences, trainings, dialogue
conferences, inspections, voter contact meetings) with their participants, attendance lists and
files, and the registry of documents a unit issued to carry a resolution out.

One function per intention, keyword-only, each one transaction that checks the role and every
input (all problems reported at once, nothing written on any), writes, and records the audit
entry. An activity belongs to its lead organiser; co-organisers are listed, never counted again.
Its participants are kept as `Participation` rows per category, rewritten in the same
transaction whenever the activity or its attendance list changes, with the activity's unit path,
kind and first day copied so that reports sum that table alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from danvan.core import audit, numbers
from danvan.core.errors import DomainError, FieldErrors, NotFound, PermissionDenied, StaleEdit, check_version
from danvan.core.files import record_file_add
from danvan.core.models import RecordFile
from danvan.core.records import changed_since_import
from danvan.core.text import fold, normalize
from danvan.units import access
from danvan.units.models import Unit

from . import attendance
from .models import (
    Activity,
    ActivityKind,
    Attendee,
    DocumentType,
    IssuedDocument,
    ParticipantCategory,
    Participation,
    Resolution,
)

RECORD = "outreach.record"
# The categories typed as counts (or listed); "unspecified" is made only from a lone total.
COUNTED = tuple(c.value for c in ParticipantCategory if c != ParticipantCategory.UNSPECIFIED)
ACTIVITY_FILE_ROLES = ("plan", "minutes", "photo")
DOCUMENT_FILE_ROLE = "document"
MAX_COUNT = 10_000_000
MAX_TITLE = 500
ACTIVITY_AUDIT = [
    "unit",
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "venue",
    "participants_total",
    "from_attendance",
    "version",
]
DOCUMENT_AUDIT = ["unit", "number", "issued_on", "doc_type", "title", "issuer", "implements", "version"]

_number = lazy(numbers.number, str)  # formatted in the language the message is shown in


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


# ---- inputs -----------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    """An activity as typed. `counts` maps a category code to the number of people (None or a
    missing key: not given); `participants_total` is the stated total (None: not given)."""

    unit_id: int | None
    kind: str
    title: str
    starts_on: date | None
    ends_on: date | None = None
    venue: str = ""
    summary: str = ""
    co_organiser_ids: list[int] = field(default_factory=list)
    resolution_ids: list[int] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    counts: dict[str, int | None] = field(default_factory=dict)
    participants_total: int | None = None


@dataclass
class AttendeeInput:
    full_name: str
    category: str
    organisation: str = ""
    job_title: str = ""


@dataclass
class DocumentInput:
    unit_id: int | None
    number: str
    issued_on: date | None
    doc_type: str
    title: str
    issuer: str = ""
    implements_id: int | None = None


# ---- shared checks ----------------------------------------------------------------------------


def _lead_unit(actor, unit_id: Any, errors: FieldErrors, on: date | None) -> Unit | None:
    """The lead (or issuing) unit: it exists, the actor records there, it existed on `on`."""
    unit = Unit.objects.filter(pk=unit_id).first() if isinstance(unit_id, int) else None
    if unit is None:
        errors.add("unit", _("Choose the unit."))
        return None
    if not access.can(actor, RECORD, unit):
        message = _("You may not record outreach work for %(unit)s.")
        raise PermissionDenied("permission_denied", message, fields={"unit": message}, unit=unit.name)
    if on is not None and not unit.valid_on(on):
        errors.add(
            "unit",
            _("%(unit)s did not exist on %(day)s (it existed %(validity)s).")
            % {"unit": unit.name, "day": _day(on), "validity": unit.validity_label},
        )
    return unit


def _bump(model, obj, version: int) -> None:
    """Take the next version, or StaleEdit if another edit took it first (on SQLite too, where
    rows are not locked for update)."""
    if not model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1):
        raise StaleEdit()
    obj.version = version + 1


def _ids(values, errors: FieldErrors, name: str) -> list[int]:
    out: list[int] = []
    for value in values or []:
        if isinstance(value, bool) or not isinstance(value, int):
            errors.add(name, _("Choose from the list."))
            return []
        out.append(value)
    return out


# ---- activities -------------------------------------------------------------------------------


@dataclass
class _Checked:
    unit: Unit
    co_organisers: list[Unit]
    resolutions: list[Resolution]
    documents: list[IssuedDocument]
    counts: dict[str, int] | None  # None: the counts follow the attendance list
    total: int
    starts_on: date
    ends_on: date


def _check_activity(actor, data: ActivityInput, today: date, current: Activity | None) -> _Checked:
    errors = FieldErrors("outreach_activity_invalid")
    starts_on, ends_on = data.starts_on, data.ends_on or data.starts_on
    if starts_on is None:
        errors.add("starts_on", _("Enter the first day of the activity."))
    elif starts_on > today:
        errors.add(
            "starts_on",
            _("The activity is recorded once it has begun: %(day)s is after today.")
            % {"day": _day(starts_on)},
        )
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors.add(
            "ends_on",
            _("The last day (%(end)s) is before the first day (%(start)s).")
            % {"end": _day(ends_on), "start": _day(starts_on)},
        )
    unit = _lead_unit(actor, data.unit_id, errors, starts_on)
    if data.kind not in ActivityKind.values:
        errors.add("kind", _("Choose the kind of activity."))
    title = normalize(data.title)
    if not title:
        errors.add("title", _("Enter the title of the activity."))
    elif len(title) > MAX_TITLE:
        errors.add("title", _("The title is at most %(limit)s characters.") % {"limit": MAX_TITLE})
    if len(normalize(data.venue)) > 300:
        errors.add("venue", _("The venue is at most %(limit)s characters.") % {"limit": 300})

    co_organisers = _check_co_organisers(data, unit, starts_on, errors)
    resolutions = _check_resolutions(data, starts_on, errors)
    documents = _check_documents(actor, data, starts_on, errors)
    counts, total = _check_counts(data, current, errors)
    errors.raise_if_any()
    return _Checked(
        cast(Unit, unit),
        co_organisers,
        resolutions,
        documents,
        counts,
        total,
        cast(date, starts_on),
        cast(date, ends_on),
    )


def _check_co_organisers(data: ActivityInput, lead: Unit | None, on: date | None, errors) -> list[Unit]:
    ids = _ids(data.co_organiser_ids, errors, "co_organisers")
    found = Unit.objects.in_bulk(ids)
    out: list[Unit] = []
    seen: set[int] = set()
    for pk in ids:
        unit = found.get(pk)
        if unit is None:
            errors.add("co_organisers", _("A co-organiser chosen does not exist."))
            continue
        if lead is not None and pk == lead.pk:
            errors.add(
                "co_organisers",
                _("%(unit)s leads the activity: it cannot also be a co-organiser.") % {"unit": unit.name},
            )
            continue
        if pk in seen:
            errors.add(
                "co_organisers", _("%(unit)s is listed twice as a co-organiser.") % {"unit": unit.name}
            )
            continue
        if on is not None and not unit.valid_on(on):
            errors.add(
                "co_organisers",
                _("%(unit)s did not exist on %(day)s (it existed %(validity)s).")
                % {"unit": unit.name, "day": _day(on), "validity": unit.validity_label},
            )
            continue
        seen.add(pk)
        out.append(unit)
    return out


def _check_resolutions(data: ActivityInput, on: date | None, errors) -> list[Resolution]:
    ids = _ids(data.resolution_ids, errors, "resolutions")
    found = Resolution.objects.in_bulk(ids)
    out: list[Resolution] = []
    for pk in dict.fromkeys(ids):
        resolution = found.get(pk)
        if resolution is None:
            errors.add("resolutions", _("A resolution chosen does not exist."))
        elif on is not None and resolution.issued_on > on:
            errors.add(
                "resolutions",
                _("%(number)s was issued on %(issued)s, after the activity began (%(start)s).")
                % {"number": resolution.number, "issued": _day(resolution.issued_on), "start": _day(on)},
            )
        else:
            out.append(resolution)
    return out


def _check_documents(actor, data: ActivityInput, on: date | None, errors) -> list[IssuedDocument]:
    ids = _ids(data.document_ids, errors, "documents")
    found = access.visible(actor, IssuedDocument).in_bulk(ids)
    out: list[IssuedDocument] = []
    for pk in dict.fromkeys(ids):
        document = found.get(pk)
        if document is None:
            errors.add(
                "documents", _("A document chosen does not exist or is not among the documents you see.")
            )
        elif on is not None and document.issued_on > on:
            errors.add(
                "documents",
                _("Document %(number)s was issued on %(issued)s, after the activity began (%(start)s).")
                % {"number": document.number, "issued": _day(document.issued_on), "start": _day(on)},
            )
        else:
            out.append(document)
    return out


def _check_counts(data: ActivityInput, current: Activity | None, errors) -> tuple[dict[str, int] | None, int]:
    """The typed counts by category and the total: categories and a total must add up; a lone
    total is one "not broken down" row; lone categories make the total."""
    counts: dict[str, int] = {}
    for category, value in (data.counts or {}).items():
        if value is None:
            continue
        name = f"counts.{category}"
        if category not in COUNTED:
            errors.add(name, _("Unknown category of participants."))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_COUNT:
            errors.add(name, _("Enter a whole number of people, 0 or more."))
        elif value:
            counts[category] = value  # a 0 typed in a category says nothing more than a blank
    total = data.participants_total
    if total is not None and (
        isinstance(total, bool) or not isinstance(total, int) or total < 0 or total > MAX_COUNT
    ):
        errors.add("participants_total", _("Enter a whole number of people, 0 or more."))
        total = None
    if current is not None and current.from_attendance:
        typed = bool(counts) or total is not None
        same = (total is None or total == current.participants_total) and all(
            value == _current_counts(current).get(category, 0) for category, value in counts.items()
        )
        if typed and not same:
            errors.add(
                "participants_total",
                _(
                    "The participants follow the attendance list: edit the list to change them, or "
                    "clear the list to type the counts."
                ),
            )
        return None, current.participants_total
    added = sum(counts.values())
    if counts and total is not None and added != total:
        errors.add(
            "participants_total",
            _("The participants by category add up to %(sum)s, not the %(total)s stated.")
            % {"sum": _number(added), "total": _number(total)},
        )
    if total is not None and not counts:
        return ({ParticipantCategory.UNSPECIFIED.value: total} if total else {}), total
    return counts, added


def _current_counts(activity: Activity) -> dict[str, int]:
    return dict(activity.participations.values_list("category", "count"))


def _write_participations(activity: Activity, counts: dict[str, int]) -> None:
    Participation.objects.filter(activity=activity).delete()
    Participation.objects.bulk_create(
        [
            Participation(
                activity=activity,
                category=category,
                count=count,
                unit_path=activity.unit_path,
                kind=activity.kind,
                held_on=activity.starts_on,
            )
            for category, count in sorted(counts.items())
            if count
        ]
    )


def _attendance_counts(activity: Activity) -> dict[str, int]:
    return dict(Counter(activity.attendees.values_list("category", flat=True)))


def _state(activity: Activity) -> dict:
    """The activity as the audit trail keeps it: its fields, links and counts."""
    out = audit.snapshot(activity, ACTIVITY_AUDIT)
    out["co_organisers"] = sorted(activity.co_organisers.values_list("pk", flat=True))
    out["resolutions"] = sorted(activity.resolutions.values_list("pk", flat=True))
    out["documents"] = sorted(activity.documents.values_list("pk", flat=True))
    out["participants"] = dict(sorted(_current_counts(activity).items()))
    return out


def _apply(activity: Activity, data: ActivityInput, checked: _Checked) -> None:
    activity.unit = checked.unit
    activity.unit_path = checked.unit.path
    activity.kind = data.kind
    activity.title = normalize(data.title)
    activity.title_folded = fold(activity.title)
    activity.starts_on = checked.starts_on
    activity.ends_on = checked.ends_on
    activity.venue = normalize(data.venue)
    activity.summary = (data.summary or "").strip()
    activity.participants_total = checked.total


def _link(activity: Activity, checked: _Checked) -> None:
    activity.co_organisers.set(checked.co_organisers)
    activity.resolutions.set(checked.resolutions)
    activity.documents.set(checked.documents)
    counts = checked.counts if checked.counts is not None else _attendance_counts(activity)
    _write_participations(activity, counts)


@transaction.atomic
def activity_record(*, actor, data: ActivityInput, today: date) -> Activity:
    """Record an activity led by a unit where the actor records outreach work, with its
    co-organisers, the resolutions and documents it disseminated and its participants."""
    checked = _check_activity(actor, data, today, None)
    activity = Activity(created_by=actor, from_attendance=False)
    _apply(activity, data, checked)
    activity.save()
    _link(activity, checked)
    audit.record(
        actor=actor,
        action="outreach.activity_record",
        obj=activity,
        unit=activity.unit,
        after=_state(activity),
    )
    return activity


def _load_activity(actor, activity_id: int) -> Activity:
    activity = (
        access.visible(actor, Activity)
        .select_for_update()
        .select_related("unit")
        .filter(pk=activity_id)
        .first()
        if isinstance(activity_id, int)
        else None
    )
    if activity is None:
        raise NotFound()
    access.require(actor, RECORD, activity)
    return activity


@transaction.atomic
def activity_update(*, actor, activity_id: int, version: int, data: ActivityInput, today: date) -> Activity:
    """Change an activity at the version the officer read. While it keeps an attendance list its
    counts follow the list: typed counts that differ are refused."""
    activity = _load_activity(actor, activity_id)
    check_version(activity, version, required=True)
    before = _state(activity)
    checked = _check_activity(actor, data, today, activity)
    _bump(Activity, activity, version)
    _apply(activity, data, checked)
    activity.save()
    _link(activity, checked)
    audit.record(
        actor=actor,
        action="outreach.activity_update",
        obj=activity,
        unit=activity.unit,
        before=before,
        after=_state(activity),
    )
    return activity


@transaction.atomic
def activity_file_add(
    *, actor, activity_id: int, role: str, name: str, data: bytes, today: date
) -> RecordFile:
    """Keep the plan, the minutes or a photo with an activity (checked by content)."""
    activity = _load_activity(actor, activity_id)
    if role not in ACTIVITY_FILE_ROLES:
        message = _("Choose what the file is: the plan, the minutes or a photo.")
        raise DomainError("outreach_file_role", message, fields={"role": message})
    return record_file_add(actor=actor, record=activity, unit=activity.unit, role=role, name=name, data=data)


# ---- attendance lists -------------------------------------------------------------------------


def _keep_list(actor, activity: Activity, people: list[attendance.Person], source: dict) -> Activity:
    before = _state(activity)
    Attendee.objects.filter(activity=activity).delete()
    Attendee.objects.bulk_create(
        [
            Attendee(
                activity=activity,
                position=position,
                full_name=person.full_name,
                name_folded=fold(person.full_name),
                category=person.category,
                organisation=person.organisation,
                job_title=person.job_title,
            )
            for position, person in enumerate(people, start=1)
        ],
        batch_size=1000,
    )
    activity.from_attendance = True
    activity.participants_total = len(people)
    activity.save(update_fields=["from_attendance", "participants_total", "version"])
    _write_participations(activity, dict(Counter(person.category for person in people)))
    audit.record(
        actor=actor,
        action="outreach.attendance_save",
        obj=activity,
        unit=activity.unit,
        before=before,
        after={**_state(activity), **source},
    )
    return activity


@transaction.atomic
def attendance_save(
    *, actor, activity_id: int, version: int, rows: list[AttendeeInput], today: date
) -> Activity:
    """Keep the typed attendance list: the participants are counted from it from now on. Every
    problem is reported by row ("attendees.<index>.<field>"); nothing is kept on any."""
    activity = _load_activity(actor, activity_id)
    check_version(activity, version, required=True)
    columns = attendance.column_labels()
    raw = [
        attendance.RawRow(
            number,
            {
                "full_name": row.full_name or "",
                "category": row.category or "",
                "organisation": row.organisation or "",
                "job_title": row.job_title or "",
            },
        )
        for number, row in enumerate(rows, start=1)
    ]
    if not raw:
        message = _("The list has no one on it: add the people, or clear the list to type the counts.")
        raise DomainError("outreach_attendance_empty", message, fields={"attendees": message})
    if len(raw) > attendance.MAX_ROWS:
        message = _("The list has more than %(limit)s people, the most one activity's list may have.")
        raise DomainError(
            "outreach_attendance_too_long",
            message,
            fields={"attendees": message},
            limit=_number(attendance.MAX_ROWS),
        )
    people, problems = attendance.check_rows(raw, columns)
    if problems:
        errors = FieldErrors("outreach_attendance_invalid")
        for problem in problems:
            errors.add(f"attendees.{problem.number - 1}.{problem.field or 'full_name'}", problem.message)
        errors.raise_if_any()
    _bump(Activity, activity, version)
    return _keep_list(actor, activity, people, {"source": "typed"})


@transaction.atomic
def attendance_import(
    *, actor, activity_id: int, version: int, name: str, data: bytes, today: date
) -> Activity:
    """Keep the attendance list read from an XLSX or CSV file, all or nothing: every problem is
    listed on the field "file" with its row and column."""
    activity = _load_activity(actor, activity_id)
    check_version(activity, version, required=True)
    try:
        read = attendance.read(name, data)
    except attendance.ListRefused as refused:
        raise DomainError(
            "outreach_attendance_invalid",
            _("The list was not imported: %(count)s problems to correct in the file. Nothing was saved."),
            fields={"file": [problem.message for problem in refused.problems]},
            count=len(refused.problems),
        ) from None
    _bump(Activity, activity, version)
    return _keep_list(actor, activity, read.people, {"source": "file", "file": name[:200]})


@transaction.atomic
def attendance_clear(*, actor, activity_id: int, version: int, today: date) -> Activity:
    """Drop the attendance list: the counts it made stay, typed from now on."""
    activity = _load_activity(actor, activity_id)
    check_version(activity, version, required=True)
    before = _state(activity)
    _bump(Activity, activity, version)
    Attendee.objects.filter(activity=activity).delete()
    activity.from_attendance = False
    activity.save(update_fields=["from_attendance", "version"])
    audit.record(
        actor=actor,
        action="outreach.attendance_clear",
        obj=activity,
        unit=activity.unit,
        before=before,
        after=_state(activity),
    )
    return activity


# ---- documents issued -------------------------------------------------------------------------


def document_search_key(number: str, title: str) -> str:
    """The folded number and title: what a search of the registry compares (`title_folded`)."""
    return fold(f"{number} {title}")[:MAX_TITLE]


def _check_document(actor, data: DocumentInput, today: date, current: IssuedDocument | None):
    errors = FieldErrors("outreach_document_invalid")
    issued_on = data.issued_on
    if issued_on is None:
        errors.add("issued_on", _("Enter the date the document was issued."))
    elif issued_on > today:
        errors.add("issued_on", _("%(day)s is after today.") % {"day": _day(issued_on)})
    unit = _lead_unit(actor, data.unit_id, errors, issued_on)
    number = normalize(data.number)
    if not number:
        errors.add("number", _("Enter the document's number, such as 15-KH/HU."))
    elif len(number) > 60:
        errors.add("number", _("The number is at most %(limit)s characters.") % {"limit": 60})
    if data.doc_type not in DocumentType.values:
        errors.add("doc_type", _("Choose the type of document."))
    title = normalize(data.title)
    if not title:
        errors.add("title", _("Enter the title of the document."))
    elif len(title) > MAX_TITLE:
        errors.add("title", _("The title is at most %(limit)s characters.") % {"limit": MAX_TITLE})
    issuer = normalize(data.issuer) or (unit.name if unit is not None else "")
    if len(issuer) > 200:
        errors.add("issuer", _("At most %(limit)s characters.") % {"limit": 200})
    implements = None
    if data.implements_id is not None:
        implements = Resolution.objects.filter(pk=data.implements_id).first()
        if implements is None:
            errors.add("implements", _("The resolution chosen does not exist."))
        elif issued_on is not None and issued_on < implements.issued_on:
            errors.add(
                "issued_on",
                _("The document is dated before %(number)s (%(issued)s), which it carries out.")
                % {"number": implements.number, "issued": _day(implements.issued_on)},
            )
    if unit is not None and number and issued_on is not None:
        taken = IssuedDocument.objects.filter(unit=unit, number=number, issued_on=issued_on)
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            errors.add("number", _duplicate_message(unit, number, issued_on))
    if current is not None and issued_on is not None:
        # Only the day is named: the activity may belong to a unit outside the actor's scope.
        earlier = (
            current.activities.filter(starts_on__lt=issued_on)
            .order_by("starts_on")
            .values_list("starts_on", flat=True)
            .first()
        )
        if earlier is not None:
            errors.add(
                "issued_on",
                _("An activity of %(day)s disseminated this document: it cannot be dated after that day.")
                % {"day": _day(earlier)},
            )
    errors.raise_if_any()
    return cast(Unit, unit), cast(date, issued_on), number, title, issuer, implements


def _duplicate_message(unit: Unit, number: str, issued_on: date) -> str:
    return _("%(unit)s already has document %(number)s of %(day)s in the registry.") % {
        "unit": unit.name,
        "number": number,
        "day": _day(issued_on),
    }


def _save_document(document: IssuedDocument) -> None:
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        message = _duplicate_message(document.unit, document.number, document.issued_on)
        raise DomainError("outreach_document_invalid", message, fields={"number": message}) from None


@transaction.atomic
def document_record(*, actor, data: DocumentInput, today: date) -> IssuedDocument:
    """Add a document the unit issued to carry a resolution out to the registry. The number is
    unique for the unit on the day of issue."""
    unit, issued_on, number, title, issuer, implements = _check_document(actor, data, today, None)
    document = IssuedDocument(
        unit=unit,
        unit_path=unit.path,
        number=number,
        issued_on=issued_on,
        doc_type=data.doc_type,
        title=title,
        title_folded=document_search_key(number, title),
        issuer=issuer,
        implements=implements,
        created_by=actor,
    )
    _save_document(document)
    audit.record(
        actor=actor,
        action="outreach.document_record",
        obj=document,
        unit=unit,
        after=audit.snapshot(document, DOCUMENT_AUDIT),
    )
    return document


def _load_document(actor, document_id: int) -> IssuedDocument:
    document = (
        access.visible(actor, IssuedDocument)
        .select_for_update()
        .select_related("unit")
        .filter(pk=document_id)
        .first()
        if isinstance(document_id, int)
        else None
    )
    if document is None:
        raise NotFound()
    access.require(actor, RECORD, document)
    return document


@transaction.atomic
def document_update(
    *, actor, document_id: int, version: int, data: DocumentInput, today: date
) -> IssuedDocument:
    """Correct a document of the registry at the version the officer read."""
    document = _load_document(actor, document_id)
    check_version(document, version, required=True)
    before = audit.snapshot(document, DOCUMENT_AUDIT)
    unit, issued_on, number, title, issuer, implements = _check_document(actor, data, today, document)
    _bump(IssuedDocument, document, version)
    document.unit = unit
    document.unit_path = unit.path
    document.number = number
    document.issued_on = issued_on
    document.doc_type = data.doc_type
    document.title = title
    document.title_folded = document_search_key(number, title)
    document.issuer = issuer
    document.implements = implements
    _save_document(document)
    audit.record(
        actor=actor,
        action="outreach.document_update",
        obj=document,
        unit=unit,
        before=before,
        after=audit.snapshot(document, DOCUMENT_AUDIT),
    )
    return document


@transaction.atomic
def document_file_add(*, actor, document_id: int, name: str, data: bytes, today: date) -> RecordFile:
    """Keep the text of a document (a scan or the signed file) with its registry entry."""
    document = _load_document(actor, document_id)
    return record_file_add(
        actor=actor, record=document, unit=document.unit, role=DOCUMENT_FILE_ROLE, name=name, data=data
    )


# ---- spreadsheet imports ----------------------------------------------------------------------
# The record types of `records.py` check each row, then hand the rows of a chunk here already
# resolved to objects. No audit event per row: the import batch is audited once and every record
# carries it. Rolling a batch back removes its records unless one changed since.

IMPORT_ROLLBACK_CHANGED = "import.rollback_changed"


def import_counts(counts: dict[str, int | None], total: int | None) -> tuple[dict[str, int], int, dict]:
    """The participation rows and the total an imported activity makes, by the rule typed activities
    follow (`_check_counts`: categories and a stated total add up; a lone total is one "not broken
    down" row), and the problems found, {"counts.<category>" or "participants_total": message}."""
    errors = FieldErrors("outreach_activity_invalid")
    data = ActivityInput(
        unit_id=None, kind="", title="", starts_on=None, counts=dict(counts), participants_total=total
    )
    made, added = _check_counts(data, None, errors)
    return made or {}, added, dict(errors.fields)


@dataclass
class ActivityImport:
    """One imported activity, its units, resolutions and documents already found."""

    unit: Unit
    kind: str
    title: str
    starts_on: date
    ends_on: date
    venue: str
    summary: str
    counts: dict[str, int]
    total: int
    co_organisers: list[Unit] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    documents: list[IssuedDocument] = field(default_factory=list)


def activities_import(actor, rows: list[ActivityImport], batch) -> int:
    """Create the activities of checked rows with their participations (the unit path, kind and first
    day copied, as `_write_participations` does) and their links, tagged with `batch`. Call inside
    the import's transaction. Returns how many activities were created."""
    activities = [
        Activity(
            unit=row.unit,
            unit_path=row.unit.path,
            kind=row.kind,
            title=normalize(row.title),
            title_folded=fold(normalize(row.title)),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            venue=normalize(row.venue),
            summary=(row.summary or "").strip(),
            participants_total=row.total,
            from_attendance=False,
            created_by=actor,
            import_batch=batch,
        )
        for row in rows
    ]
    Activity.objects.bulk_create(activities, batch_size=1000)
    participations, co_organisers, resolutions, documents = [], [], [], []
    for activity, row in zip(activities, rows, strict=True):
        participations += [
            Participation(
                activity=activity,
                category=category,
                count=count,
                unit_path=activity.unit_path,
                kind=activity.kind,
                held_on=activity.starts_on,
            )
            for category, count in sorted(row.counts.items())
            if count
        ]
        co_organisers += [
            Activity.co_organisers.through(activity_id=activity.pk, unit_id=unit.pk)
            for unit in row.co_organisers
        ]
        resolutions += [
            Activity.resolutions.through(activity_id=activity.pk, resolution_id=item.pk)
            for item in row.resolutions
        ]
        documents += [
            Activity.documents.through(activity_id=activity.pk, issueddocument_id=item.pk)
            for item in row.documents
        ]
    Participation.objects.bulk_create(participations, batch_size=2000)
    Activity.co_organisers.through.objects.bulk_create(co_organisers, batch_size=2000)
    Activity.resolutions.through.objects.bulk_create(resolutions, batch_size=2000)
    Activity.documents.through.objects.bulk_create(documents, batch_size=2000)
    return len(activities)


def _refuse_rollback(record, how: str) -> DomainError:
    return DomainError(
        IMPORT_ROLLBACK_CHANGED,
        _("“%(record)s” was changed after the import (%(how)s): nothing was rolled back."),
        record=str(record),
        how=how,
    )


def _delete_batch(rows) -> int:
    """Delete the records of a batch (their dependants go by cascade); a record another one still
    refers to stops the rollback with a DomainError naming both."""
    from django.db.models import ProtectedError

    try:
        with transaction.atomic():
            return rows.delete()[1].get(rows.model._meta.label, 0)
    except ProtectedError as error:
        other = next(iter(error.protected_objects))
        raise DomainError(
            IMPORT_ROLLBACK_CHANGED,
            _("“%(other)s” refers to a record of this import: nothing was rolled back."),
            other=str(other),
        ) from None


@transaction.atomic
def activities_rollback(actor, batch) -> int:
    """Remove the activities `batch` created with their participations and links, or refuse (nothing
    removed) naming the first one changed since. Returns how many activities were removed."""
    rows = Activity.objects.filter(import_batch=batch)
    changed = changed_since_import(Activity, list(rows.values_list("pk", flat=True)))
    if changed is not None:
        raise _refuse_rollback(*changed)
    return _delete_batch(rows)


def documents_import(actor, rows: list[dict], batch) -> int:
    """Create the documents of checked rows in the registry, tagged with `batch`. Each row holds
    unit, number, issued_on, doc_type, title, issuer ("" : the unit's name) and implements (a
    Resolution or None). Call inside the import's transaction. Returns how many were created."""
    documents = []
    for row in rows:
        number, title = normalize(row["number"]), normalize(row["title"])
        documents.append(
            IssuedDocument(
                unit=row["unit"],
                unit_path=row["unit"].path,
                number=number,
                issued_on=row["issued_on"],
                doc_type=row["doc_type"],
                title=title,
                title_folded=document_search_key(number, title),
                issuer=normalize(row.get("issuer")) or row["unit"].name,
                implements=row.get("implements"),
                created_by=actor,
                import_batch=batch,
            )
        )
    IssuedDocument.objects.bulk_create(documents, batch_size=1000)
    return len(documents)


@transaction.atomic
def documents_rollback(actor, batch) -> int:
    """Remove the documents `batch` created, or refuse (nothing removed) naming the first one changed
    since, or disseminated by an activity that is not of the same import."""
    rows = IssuedDocument.objects.filter(import_batch=batch)
    ids = list(rows.values_list("pk", flat=True))
    changed = changed_since_import(IssuedDocument, ids)
    if changed is not None:
        raise _refuse_rollback(*changed)
    used = (
        Activity.documents.through.objects.filter(issueddocument_id__in=ids)
        .exclude(activity__import_batch=batch)
        .select_related("issueddocument")
        .order_by("issueddocument_id")
        .first()
    )
    if used is not None:
        raise _refuse_rollback(used.issueddocument, str(_("an activity disseminated it")))
    return _delete_batch(rows)
