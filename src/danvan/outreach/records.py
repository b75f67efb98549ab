"""The record types of outreach work for spreadsheet import and export (`core.records`): the
activities (one row an activity, its participants counted by category in columns) and the registry
of documents issued to carry a resolution out.

A row is checked by the rules a typed record obeys (`services`), except those that need the
importing officer beyond the role on the row's unit: a document disseminated is looked for among
the documents of the lead unit and the units above it (not among those the officer sees), and
co-organisers, resolutions and documents are named in one cell each, several separated by ";".
Imported activities keep their participants as `Participation` rows exactly like typed ones, so
the reports count them alike. The attendance lists and files of activities are not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.errors import DomainError
from danvan.core.records import (
    CHOICE,
    DATE,
    INTEGER,
    LONG_TEXT,
    TEXT,
    UNIT,
    Column,
    ExportQuery,
    Key,
    RecordType,
    Row,
    register,
)
from danvan.core.text import fold, normalize
from danvan.units.models import Unit, UnitKind, valid_on_q

from . import selectors, services
from .models import Activity, ActivityKind, DocumentType, IssuedDocument, ParticipantCategory, Resolution

RECORD = services.RECORD
SEPARATOR = re.compile(r"[;\n]")
_CODE_AT_END = re.compile(r"\((?P<code>[^()]+)\)\s*$")

# The categories typed as counts, each a column; "not broken down" is what a lone total makes.
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "cadres": ("Cán bộ", "CB", "Số cán bộ"),
    "party_members": ("Đảng viên", "ĐV", "Số đảng viên"),
    "union_members": ("Đoàn viên", "Số đoàn viên", "Đoàn viên công đoàn"),
    "association_members": ("Hội viên", "Số hội viên", "Hội viên các hội"),
    "mm_cadres": ("Cán bộ dân vận", "Cán bộ làm công tác dân vận", "CB dân vận"),
    "citizens": ("Nhân dân", "Người dân", "Quần chúng nhân dân"),
    "other": ("Khác", "Thành phần khác", "Đối tượng khác"),
}


def count_key(category: str) -> str:
    """The column key of a category's count ("participants_cadres")."""
    return f"participants_{category}"


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _names(text: str | None) -> list[str]:
    """The values of a cell that lists several, separated by ";" or line breaks."""
    return [normalize(part) for part in SEPARATOR.split(text or "") if normalize(part)]


def unit_label(unit: Unit) -> str:
    """How a unit is written in a list cell: its name and code, found again on import."""
    return f"{unit.name} ({unit.code})"


def resolve_unit(text: str, on: date) -> Unit:
    """The unit `text` names on `on`: "Name (code)" or a bare code by its code, else by name through
    `units.names.UnitNames`. Raises DomainError when none or several match."""
    match = _CODE_AT_END.search(text)
    code = normalize(match.group("code")) if match else normalize(text)
    found = list(Unit.objects.filter(code=code).filter(valid_on_q(on))[:2])
    if len(found) == 1:
        return found[0]
    try:
        from danvan.units.names import UnitNames  # names and abbreviations ("UBND xã ...")
    except ImportError:  # until the name resolver is in: the exact name, case and accents ignored
        named = list(Unit.objects.filter(name_folded=fold(text)).filter(valid_on_q(on))[:2])
        if len(named) != 1:
            raise DomainError(
                "unit_not_found",
                _("No single unit is named “%(name)s” on %(day)s.") % {"name": text, "day": _day(on)},
            ) from None
        return named[0]
    return UnitNames(within=None).resolve(text, on)


# ---- activities -------------------------------------------------------------------------------


def _co_organisers(row: Row, problems: list[str]) -> list[Unit]:
    lead, on = row.get("unit"), row.get("starts_on")
    out: list[Unit] = []
    if on is None:
        return out
    for name in _names(row.get("co_organisers")):
        try:
            unit = resolve_unit(name, on)
        except DomainError as error:
            problems.append(
                _("Co-organiser “%(name)s”: %(problem)s") % {"name": name, "problem": error.message}
            )
            continue
        if lead is not None and unit.pk == lead.pk:
            problems.append(
                _("%(unit)s leads the activity: it cannot also be a co-organiser.") % {"unit": unit.name}
            )
        elif unit.pk in {u.pk for u in out}:
            problems.append(_("%(unit)s is listed twice as a co-organiser.") % {"unit": unit.name})
        else:
            out.append(unit)
    return out


def _resolutions(row: Row, problems: list[str]) -> list[Resolution]:
    names = _names(row.get("resolutions"))
    if not names:
        return []
    known = {fold(r.number): r for r in Resolution.objects.all()}
    on = row.get("starts_on")
    out: list[Resolution] = []
    for name in names:
        resolution = known.get(fold(name))
        if resolution is None:
            problems.append(_("No resolution is numbered “%(number)s”.") % {"number": name})
        elif on is not None and resolution.issued_on > on:
            problems.append(
                _("%(number)s was issued on %(issued)s, after the activity began (%(start)s).")
                % {"number": resolution.number, "issued": _day(resolution.issued_on), "start": _day(on)}
            )
        elif resolution not in out:
            out.append(resolution)
    return out


def find_document(lead: Unit, number: str, on: date) -> IssuedDocument | None:
    """The document numbered `number` (case and accents ignored) issued on or before `on` by `lead`,
    a unit above it, or the party committee beside it (a mass mobilization committee carries out its
    party committee's plans): the latest such, the lead's own first."""
    key = fold(number)
    units = [*lead.ancestor_ids(), lead.pk]
    if lead.parent_id is not None:
        units += Unit.objects.filter(parent_id=lead.parent_id, kind=UnitKind.PARTY_COMMITTEE).values_list(
            "pk", flat=True
        )
    candidates = IssuedDocument.objects.filter(
        unit_id__in=units, issued_on__lte=on, title_folded__startswith=f"{key} "
    ).order_by("-issued_on", "-pk")
    found = [d for d in candidates if fold(d.number) == key]
    found.sort(key=lambda d: (d.unit_id != lead.pk, -d.issued_on.toordinal()))
    return found[0] if found else None


def _documents(row: Row, problems: list[str]) -> list[IssuedDocument]:
    lead, on = row.get("unit"), row.get("starts_on")
    out: list[IssuedDocument] = []
    if lead is None or on is None:
        return out
    for name in _names(row.get("documents")):
        document = find_document(lead, name, on)
        if document is None:
            problems.append(
                _(
                    "No document numbered “%(number)s” was issued by %(unit)s, a unit above it or "
                    "its party committee on or before %(start)s."
                )
                % {"number": name, "unit": lead.name, "start": _day(on)}
            )
        elif document not in out:
            out.append(document)
    return out


def _counts(row: Row) -> tuple[dict[str, int], int, dict]:
    counts = {category: row.get(count_key(category)) for category in services.COUNTED}
    return services.import_counts(counts, row.get("participants_total"))


def activity_key(row: Row) -> Key:
    unit = row.get("unit")
    return (unit.pk if unit else None, row.get("kind"), row.get("starts_on"), fold(row.get("title")))


def activity_check(row: Row) -> dict[str, Any]:
    """The rules across columns of a typed activity: dates, the lead unit on the first day, the
    counts adding up, and every co-organiser, resolution and document found."""
    problems: dict[str, Any] = {}
    unit, starts_on, ends_on = row.get("unit"), row.get("starts_on"), row.get("ends_on")
    if starts_on is not None and starts_on > timezone.localdate():
        problems["starts_on"] = _("The activity is recorded once it has begun: %(day)s is after today.") % {
            "day": _day(starts_on)
        }
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The last day (%(end)s) is before the first day (%(start)s).") % {
            "end": _day(ends_on),
            "start": _day(starts_on),
        }
    if unit is not None and starts_on is not None and not unit.valid_on(starts_on):
        problems["unit"] = _("%(unit)s did not exist on %(day)s (it existed %(validity)s).") % {
            "unit": unit.name,
            "day": _day(starts_on),
            "validity": unit.validity_label,
        }
    _made, _total, counted = _counts(row)
    for name, message in counted.items():
        problems[count_key(name.removeprefix("counts.")) if name.startswith("counts.") else name] = message
    for key, find in (
        ("co_organisers", _co_organisers),
        ("resolutions", _resolutions),
        ("documents", _documents),
    ):
        found: list[str] = []
        find(row, found)
        if found:
            problems[key] = " ".join(found)
    return problems


def activity_existing(user, keys: Sequence[Key]) -> set[Key]:
    """The keys some activity already has (one query): same lead unit, kind, first day and title."""
    wanted = set(keys)
    units = {key[0] for key in wanted}
    days = {key[2] for key in wanted}
    rows = Activity.objects.filter(unit_id__in=units, starts_on__in=days).values_list(
        "unit_id", "kind", "starts_on", "title_folded"
    )
    return {key for key in rows if key in wanted}


def _activity_import(row: Row) -> services.ActivityImport:
    problems: list[str] = []
    co_organisers = _co_organisers(row, problems)
    resolutions = _resolutions(row, problems)
    documents = _documents(row, problems)
    counts, total, counted = _counts(row)
    if problems or counted:
        # `check` refused such a row already; a row that slips through is not written half-way.
        raise DomainError("outreach_activity_invalid", " ".join([*problems, *map(str, counted.values())]))
    return services.ActivityImport(
        unit=row["unit"],
        kind=row["kind"],
        title=row["title"],
        starts_on=row["starts_on"],
        ends_on=row.get("ends_on") or row["starts_on"],
        venue=row.get("venue") or "",
        summary=row.get("summary") or "",
        counts=counts,
        total=total,
        co_organisers=co_organisers,
        resolutions=resolutions,
        documents=documents,
    )


def activity_write(user, rows: Sequence[Row], batch) -> int:
    return services.activities_import(user, [_activity_import(row) for row in rows], batch)


def activity_rollback(user, batch) -> int:
    return services.activities_rollback(user, batch)


def activity_export(query: ExportQuery) -> Iterator[Row]:
    """The activities as rows: the counts by category as typed (a lone total when they were not
    broken down), the lists of units and documents as their cells are written."""
    rows = selectors.activities_for_export(query.user, query.unit, query.first, query.last)
    for activity in rows.iterator(chunk_size=2000):
        counts = {p.category: p.count for p in activity.participations.all()}
        out: Row = {
            "unit": activity.unit,
            "kind": activity.kind,
            "title": activity.title,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "venue": activity.venue,
            "summary": activity.summary,
            "participants_total": activity.participants_total,
            "co_organisers": "; ".join(unit_label(u) for u in activity.co_organisers.all()),
            "resolutions": "; ".join(r.number for r in activity.resolutions.all()),
            "documents": "; ".join(d.number for d in activity.documents.all()),
        }
        for category in services.COUNTED:
            out[count_key(category)] = counts.get(category) or None
        yield out


ACTIVITY_COLUMNS = (
    Column(
        "unit",
        gettext_lazy("Lead organiser"),
        UNIT,
        required=True,
        help=gettext_lazy("The unit that led the activity; it alone counts it."),
        example="Ban Dân vận Thành ủy Hoa Lư",
        aliases=("Đơn vị chủ trì", "Đơn vị tổ chức", "Cơ quan chủ trì", "Đơn vị"),
    ),
    Column(
        "kind",
        gettext_lazy("Kind of activity"),
        CHOICE,
        required=True,
        choices=dict(ActivityKind.choices),
        help=gettext_lazy("Conference, training, dialogue conference, inspection or voter contact meeting."),
        example=ActivityKind.CONFERENCE.value,
        aliases=("Loại hoạt động", "Hình thức", "Loại hình"),
    ),
    Column(
        "title",
        gettext_lazy("Title of the activity"),
        TEXT,
        required=True,
        max_length=services.MAX_TITLE,
        help=gettext_lazy("The name of the conference, course or meeting."),
        example="Hội nghị quán triệt Nghị quyết 25-NQ/TW về công tác dân vận",
        aliases=("Tên hội nghị", "Tên hoạt động", "Nội dung", "Tên lớp"),
    ),
    Column(
        "starts_on",
        gettext_lazy("First day"),
        DATE,
        required=True,
        help=gettext_lazy("The day the activity began; the unit is read as it was on that day."),
        example=date(2016, 3, 5),
        aliases=("Ngày tổ chức", "Thời gian", "Từ ngày", "Ngày bắt đầu", "Ngày"),
    ),
    Column(
        "ends_on",
        gettext_lazy("Last day"),
        DATE,
        help=gettext_lazy("The last day, when it lasted several days; empty for one day."),
        example=date(2016, 3, 6),
        aliases=("Đến ngày", "Ngày kết thúc"),
    ),
    Column(
        "venue",
        gettext_lazy("Venue"),
        TEXT,
        max_length=300,
        help=gettext_lazy("Where it was held."),
        example="Hội trường Thành ủy Hoa Lư",
        aliases=("Địa điểm", "Nơi tổ chức"),
    ),
    Column(
        "summary",
        gettext_lazy("Summary"),
        LONG_TEXT,
        help=gettext_lazy("What was disseminated or decided, in a few sentences."),
        example="Quán triệt nội dung Nghị quyết và kế hoạch thực hiện của Thành ủy.",
        aliases=("Tóm tắt", "Kết quả", "Nội dung chính"),
    ),
    Column(
        "participants_total",
        gettext_lazy("Participants"),
        INTEGER,
        min_value=0,
        help=gettext_lazy(
            "The number of people who took part: the counts by category must add up to it; "
            "alone, it is kept as not broken down."
        ),
        example=150,
        aliases=("Tổng số", "Tổng số người tham dự", "Số người tham dự", "Số lượt người", "Số người"),
    ),
    *(
        Column(
            count_key(category),
            ParticipantCategory(category).label,
            INTEGER,
            min_value=0,
            help=gettext_lazy("The number of people of this category who took part."),
            example={"cadres": 40, "party_members": 110}.get(category, ""),
            aliases=CATEGORY_ALIASES[category],
        )
        for category in services.COUNTED
    ),
    Column(
        "co_organisers",
        gettext_lazy("Co-organisers"),
        TEXT,
        help=gettext_lazy(
            "Units that organised it with the lead, by name or code, separated by “;”; they do not count it."
        ),
        example="Ủy ban MTTQ Việt Nam thành phố Hoa Lư (374-MTTQ)",
        aliases=("Đơn vị phối hợp", "Cơ quan phối hợp"),
    ),
    Column(
        "resolutions",
        gettext_lazy("Resolutions disseminated"),
        TEXT,
        help=gettext_lazy("Numbers of the resolutions or conclusions disseminated, separated by “;”."),
        example="25-NQ/TW",
        aliases=("Nghị quyết quán triệt", "Nghị quyết, kết luận", "Nghị quyết"),
    ),
    Column(
        "documents",
        gettext_lazy("Documents disseminated"),
        TEXT,
        help=gettext_lazy(
            "Numbers of documents issued by the lead unit or a unit above it, separated by “;”."
        ),
        example="15-KH/TU",
        aliases=("Văn bản quán triệt", "Văn bản tuyên truyền", "Số văn bản"),
    ),
)

ACTIVITIES = RecordType(
    code="activities",
    label=gettext_lazy("Outreach activities"),
    columns=ACTIVITY_COLUMNS,
    natural_key=("unit", "kind", "starts_on", "title"),
    key=activity_key,
    existing=activity_existing,
    write=activity_write,
    rollback=activity_rollback,
    export=activity_export,
    action=RECORD,
    model=Activity,
    date_column="starts_on",
    check=activity_check,
    order=41,
    description=gettext_lazy(
        "Conferences, trainings, dialogue conferences, inspections and voter contact meetings, one a "
        "row, with their participants by category."
    ),
)


# ---- documents issued -------------------------------------------------------------------------


def document_key(row: Row) -> Key:
    unit = row.get("unit")
    return (unit.pk if unit else None, fold(row.get("number")), row.get("issued_on"))


def _implements(row: Row) -> Resolution | None:
    number = normalize(row.get("implements"))
    if not number:
        return None
    return next((r for r in Resolution.objects.all() if fold(r.number) == fold(number)), None)


def document_check(row: Row) -> dict[str, Any]:
    """The rules across columns of a typed document: not dated after today, the unit existed then,
    the resolution it carries out exists and is not later than it."""
    problems: dict[str, Any] = {}
    unit, issued_on = row.get("unit"), row.get("issued_on")
    if issued_on is not None and issued_on > timezone.localdate():
        problems["issued_on"] = _("%(day)s is after today.") % {"day": _day(issued_on)}
    if unit is not None and issued_on is not None and not unit.valid_on(issued_on):
        problems["unit"] = _("%(unit)s did not exist on %(day)s (it existed %(validity)s).") % {
            "unit": unit.name,
            "day": _day(issued_on),
            "validity": unit.validity_label,
        }
    if normalize(row.get("implements")):
        resolution = _implements(row)
        if resolution is None:
            problems["implements"] = _("No resolution is numbered “%(number)s”.") % {
                "number": normalize(row.get("implements"))
            }
        elif issued_on is not None and issued_on < resolution.issued_on:
            problems["issued_on"] = _(
                "The document is dated before %(number)s (%(issued)s), which it carries out."
            ) % {"number": resolution.number, "issued": _day(resolution.issued_on)}
    return problems


def document_existing(user, keys: Sequence[Key]) -> set[Key]:
    """The keys some document already has: same unit, number (case and accents ignored), date."""
    wanted = set(keys)
    rows = IssuedDocument.objects.filter(
        unit_id__in={key[0] for key in wanted}, issued_on__in={key[2] for key in wanted}
    ).values_list("unit_id", "number", "issued_on")
    found = {(unit_id, fold(number), day) for unit_id, number, day in rows}
    return wanted & found


def document_write(user, rows: Sequence[Row], batch) -> int:
    resolutions = {fold(r.number): r for r in Resolution.objects.all()}
    prepared = [
        {**row, "implements": resolutions.get(fold(row.get("implements"))) if row.get("implements") else None}
        for row in rows
    ]
    return services.documents_import(user, prepared, batch)


def document_rollback(user, batch) -> int:
    return services.documents_rollback(user, batch)


def document_export(query: ExportQuery) -> Iterator[Row]:
    rows = selectors.documents_for_export(query.user, query.unit, query.first, query.last)
    for document in rows.iterator(chunk_size=2000):
        yield {
            "unit": document.unit,
            "number": document.number,
            "issued_on": document.issued_on,
            "doc_type": document.doc_type,
            "title": document.title,
            "issuer": document.issuer,
            "implements": document.implements.number if document.implements else "",
        }


DOCUMENT_COLUMNS = (
    Column(
        "unit",
        gettext_lazy("Issuing unit"),
        UNIT,
        required=True,
        help=gettext_lazy("The unit whose registry the document belongs to."),
        example="Thành ủy Hoa Lư",
        aliases=("Đơn vị ban hành", "Cơ quan ban hành", "Đơn vị"),
    ),
    Column(
        "number",
        gettext_lazy("Document number"),
        TEXT,
        required=True,
        max_length=60,
        help=gettext_lazy("The number and symbol, such as 15-KH/TU."),
        example="15-KH/TU",
        aliases=("Số văn bản", "Số, ký hiệu", "Số ký hiệu", "Số hiệu"),
    ),
    Column(
        "issued_on",
        gettext_lazy("Date issued"),
        DATE,
        required=True,
        help=gettext_lazy("The date the document was issued."),
        example=date(2014, 5, 12),
        aliases=("Ngày ban hành", "Ngày văn bản", "Ngày ký"),
    ),
    Column(
        "doc_type",
        gettext_lazy("Type of document"),
        CHOICE,
        required=True,
        choices=dict(DocumentType.choices),
        help=gettext_lazy("Plan, programme of action, directive, guidance..."),
        example=DocumentType.PLAN.value,
        aliases=("Loại văn bản", "Thể loại"),
    ),
    Column(
        "title",
        gettext_lazy("Title of the document"),
        TEXT,
        required=True,
        max_length=services.MAX_TITLE,
        help=gettext_lazy("What the document is about (trích yếu)."),
        example="Kế hoạch thực hiện Nghị quyết 25-NQ/TW về công tác dân vận",
        aliases=("Trích yếu", "Trích yếu nội dung", "Tên văn bản"),
    ),
    Column(
        "issuer",
        gettext_lazy("Issued by"),
        TEXT,
        max_length=200,
        help=gettext_lazy("The body that signed it; empty: the issuing unit."),
        example="Ban Thường vụ Thành ủy",
        aliases=("Cơ quan ký", "Người ký", "Cấp ban hành"),
    ),
    Column(
        "implements",
        gettext_lazy("Resolution carried out"),
        TEXT,
        max_length=60,
        help=gettext_lazy("The number of the resolution or conclusion it carries out."),
        example="25-NQ/TW",
        aliases=("Thực hiện nghị quyết", "Cụ thể hóa nghị quyết", "Nghị quyết"),
    ),
)

DOCUMENTS = RecordType(
    code="documents_issued",
    label=gettext_lazy("Documents issued"),
    columns=DOCUMENT_COLUMNS,
    natural_key=("unit", "number", "issued_on"),
    key=document_key,
    existing=document_existing,
    write=document_write,
    rollback=document_rollback,
    export=document_export,
    action=RECORD,
    model=IssuedDocument,
    date_column="issued_on",
    check=document_check,
    order=40,
    description=gettext_lazy(
        "The registry of documents a unit issued to carry a resolution out (imported before the "
        "activities that disseminated them)."
    ),
)

register(DOCUMENTS, ACTIVITIES)
