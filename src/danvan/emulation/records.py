"""The record types of emulation work for spreadsheet import and export (`core.records`): the
emulation movements, and the commendations decided, as the registers of decisions record them.

An imported commendation is decided (the decision's number, date, issuer and issuing unit), with
the "decide" step of its history, so `emulation.commendations_collective` and `..._individual`
count it like one proposed and decided here. The rules of a proposal and of its decision are
applied (`services._proposal_values`, `_decision_values`, `decision_problems`), except one: a
register seldom says what a commendation rewards, so a movement or a period of work may be left
out. The movement is named by its name and looked for among those of the recipient's unit and the
units above it. Importing decided commendations takes "emulation.decide", as deciding one does.
"""

from __future__ import annotations

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
from danvan.outreach.models import Resolution
from danvan.units.models import Unit, UnitLevel

from . import lifecycle, selectors, services
from .models import FORM_LEVELS, Commendation, CommendationForm, Movement, Recipient


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _resolution(number: str | None) -> Resolution | None:
    key = fold(number)
    return next((r for r in Resolution.objects.all() if fold(r.number) == key), None) if key else None


# ---- movements ----------------------------------------------------------------------------------


def movement_key(row: Row) -> Key:
    unit = row.get("unit")
    return (unit.pk if unit else None, fold(row.get("name"))[:300], row.get("starts_on"))


def movement_check(row: Row) -> dict[str, Any]:
    """The rules of a movement: the unit existed on its first day, it ends after it starts, the
    resolution it carries out exists."""
    problems: dict[str, Any] = {}
    unit, starts_on, ends_on = row.get("unit"), row.get("starts_on"), row.get("ends_on")
    if unit is not None and starts_on is not None and not unit.valid_on(starts_on):
        problems["starts_on"] = _("%(unit)s did not exist on %(date)s.") % {
            "unit": unit.name,
            "date": _day(starts_on),
        }
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = _("The end date is before the start date.")
    if normalize(row.get("resolution")) and _resolution(row.get("resolution")) is None:
        problems["resolution"] = _("No resolution is numbered “%(number)s”.") % {
            "number": normalize(row.get("resolution"))
        }
    return problems


def movement_existing(user, keys: Sequence[Key]) -> set[Key]:
    wanted = set(keys)
    found = set(
        Movement.objects.filter(
            unit_id__in={key[0] for key in wanted}, starts_on__in={key[2] for key in wanted}
        ).values_list("unit_id", "name_folded", "starts_on")
    )
    return wanted & found


def movement_write(user, rows: Sequence[Row], batch) -> int:
    prepared = [{**row, "resolution": _resolution(row.get("resolution"))} for row in rows]
    return services.movements_import(user, prepared, batch)


def movement_rollback(user, batch) -> int:
    return services.movements_rollback(user, batch)


def movement_export(query: ExportQuery) -> Iterator[Row]:
    rows = selectors.movements_for_export(query.user, query.unit, query.first, query.last)
    for movement in rows.iterator(chunk_size=2000):
        yield {
            "unit": movement.unit,
            "name": movement.name,
            "starts_on": movement.starts_on,
            "ends_on": movement.ends_on,
            "resolution": movement.resolution.number if movement.resolution else "",
            "description": movement.description,
        }


MOVEMENT_COLUMNS = (
    Column(
        "unit",
        gettext_lazy("Launched by"),
        UNIT,
        required=True,
        help=gettext_lazy("The unit that launched the movement."),
        example="Ủy ban nhân dân thành phố Hoa Lư",
        aliases=("Đơn vị phát động", "Cơ quan phát động", "Đơn vị"),
    ),
    Column(
        "name",
        gettext_lazy("Name of the movement"),
        TEXT,
        required=True,
        max_length=300,
        help=gettext_lazy("The name it was launched under."),
        example="Phong trào thi đua “Dân vận khéo” giai đoạn 2011–2015",
        aliases=("Tên phong trào", "Phong trào thi đua", "Tên phong trào thi đua"),
    ),
    Column(
        "starts_on",
        gettext_lazy("From"),
        DATE,
        required=True,
        help=gettext_lazy("The day the movement starts."),
        example=date(2011, 3, 5),
        aliases=("Ngày bắt đầu", "Từ ngày", "Ngày phát động"),
    ),
    Column(
        "ends_on",
        gettext_lazy("To"),
        DATE,
        help=gettext_lazy("The day it ends; empty while it runs."),
        example=date(2015, 12, 31),
        aliases=("Ngày kết thúc", "Đến ngày"),
    ),
    Column(
        "resolution",
        gettext_lazy("Resolution carried out"),
        TEXT,
        max_length=60,
        help=gettext_lazy("The number of the resolution or conclusion the movement carries out."),
        example="25-NQ/TW",
        aliases=("Thực hiện nghị quyết", "Nghị quyết"),
    ),
    Column(
        "description",
        gettext_lazy("Description"),
        LONG_TEXT,
        help=gettext_lazy("Its aims and content."),
        example="Thi đua thực hiện Nghị quyết 25-NQ/TW trong cả hệ thống chính trị thành phố.",
        aliases=("Nội dung", "Mô tả", "Mục tiêu"),
    ),
)

MOVEMENTS = RecordType(
    code="movements",
    label=gettext_lazy("Emulation movements"),
    columns=MOVEMENT_COLUMNS,
    natural_key=("unit", "name", "starts_on"),
    key=movement_key,
    existing=movement_existing,
    write=movement_write,
    rollback=movement_rollback,
    export=movement_export,
    action=lifecycle.MANAGE,
    model=Movement,
    date_column="starts_on",
    check=movement_check,
    order=43,
    description=gettext_lazy("Emulation movements, under the unit that launched them."),
)


# ---- commendations ------------------------------------------------------------------------------


def _recipient_folded(row: Row) -> str:
    unit = row.get("unit")
    if unit is None:
        return ""
    return services.recipient_folded(
        row.get("recipient"), unit, row.get("group_name"), row.get("person_name")
    )


def commendation_key(row: Row) -> Key:
    return (fold(row.get("decision_number")), row.get("decided_on"), _recipient_folded(row))


def find_movement(unit: Unit, name: str, on: date) -> Movement | None:
    """The movement named `name` (case and accents ignored) launched by `unit` or a unit above it
    and started on or before `on`: the latest such."""
    return (
        Movement.objects.filter(
            unit_id__in=[*unit.ancestor_ids(), unit.pk], name_folded=fold(name)[:300], starts_on__lte=on
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def _movement(row: Row, problems: dict[str, Any]) -> Movement | None:
    name, unit, on = normalize(row.get("movement")), row.get("unit"), row.get("decided_on")
    if not name or unit is None or on is None:
        return None
    found = find_movement(unit, name, on)
    if found is None:
        problems["movement"] = _(
            "No movement named “%(name)s” was launched by %(unit)s or a unit above it before %(date)s."
        ) % {"name": name, "unit": unit.name, "date": _day(on)}
    return found


def _recipient_problems(row: Row, problems: dict[str, Any]) -> None:
    individual = row.get("recipient") == Recipient.INDIVIDUAL
    if individual and not normalize(row.get("person_name")):
        problems["person_name"] = _("Enter the full name of the person commended.")
    if not individual and (normalize(row.get("person_name")) or normalize(row.get("person_position"))):
        problems["person_name"] = _(
            "A collective is commended: the name and position of a person belong to an individual's row."
        )
    if individual and normalize(row.get("group_name")):
        problems["group_name"] = _(
            "An individual is commended: the name of a group belongs to a collective's row."
        )


def commendation_check(row: Row) -> dict[str, Any]:
    """The rules of a proposal and of its decision: the recipient named as its kind needs, the form
    given at the level, the decision not in the future, by someone, at a level that existed above
    the recipient then and not before the work or the movement it rewards."""
    problems: dict[str, Any] = {}
    _recipient_problems(row, problems)
    level, form = row.get("level"), row.get("form")
    if level and form and FORM_LEVELS.get(form) != level:
        problems["form"] = _(
            "The form “%(form)s” is given at the level “%(form_level)s”, not at the level “%(level)s”."
        ) % {
            "form": CommendationForm(form).label,
            "form_level": UnitLevel(FORM_LEVELS[form]).label,
            "level": UnitLevel(level).label,
        }
    decided_on = row.get("decided_on")
    if decided_on is not None and decided_on > timezone.localdate():
        problems["decided_on"] = _("The decision date %(date)s is in the future.") % {
            "date": _day(decided_on)
        }
    if not normalize(row.get("issuer")) and row.get("issuer_unit") is None:
        problems["issuer"] = _(
            "Enter who issued the decision, for example the chairman of a People's Committee."
        )
    work_from, work_to = row.get("work_from"), row.get("work_to")
    if (work_from is None) != (work_to is None):
        name = "work_to" if work_to is None else "work_from"
        problems[name] = _("Give both the first and the last day of the period of work.")
    elif work_from and work_to and work_to < work_from:
        problems["work_to"] = _("The end of the period of work is before its start.")
    movement = _movement(row, problems)
    unit = row.get("unit")
    if unit is not None and level and decided_on is not None and not problems:
        standing = Commendation(unit=unit, level=level, movement=movement, work_to=work_to)
        for name, messages in services.decision_problems(
            standing, decided_on, row.get("issuer_unit")
        ).items():
            problems[name] = " ".join(messages)
    return problems


def commendation_existing(user, keys: Sequence[Key]) -> set[Key]:
    """The keys some commendation already has: the same decision (number, date) and recipient."""
    wanted = set(keys)
    rows = Commendation.objects.filter(decided_on__in={key[1] for key in wanted}).values_list(
        "decision_number", "decided_on", "recipient_folded"
    )
    return wanted & {(fold(number), day, name) for number, day, name in rows}


def commendation_write(user, rows: Sequence[Row], batch) -> int:
    prepared = []
    for row in rows:
        problems: dict[str, Any] = {}
        movement = _movement(row, problems)
        if problems:
            # `check` refused such a row already; a row that slips through is not written half-way.
            raise DomainError("emulation_invalid", " ".join(problems.values()))
        prepared.append({**row, "movement": movement})
    return services.commendations_import(user, prepared, batch)


def commendation_rollback(user, batch) -> int:
    return services.commendations_rollback(user, batch)


def commendation_export(query: ExportQuery) -> Iterator[Row]:
    rows = selectors.commendations_for_export(query.user, query.unit, query.first, query.last)
    for item in rows.iterator(chunk_size=2000):
        yield {
            "unit": item.unit,
            "recipient": item.recipient,
            "group_name": item.group_name,
            "person_name": item.person_name,
            "person_position": item.person_position,
            "level": item.level,
            "form": item.form,
            "reason": item.reason,
            "decision_number": item.decision_number,
            "decided_on": item.decided_on,
            "issuer": item.issuer,
            "issuer_unit": item.issuer_unit,
            "movement": item.movement.name if item.movement else "",
            "work_from": item.work_from,
            "work_to": item.work_to,
        }


COMMENDATION_COLUMNS = (
    Column(
        "decision_number",
        gettext_lazy("Decision number"),
        TEXT,
        required=True,
        max_length=60,
        help=gettext_lazy("The number of the decision that commended."),
        example="1234/QĐ-UBND",
        aliases=("Số quyết định", "Số QĐ", "Quyết định khen thưởng"),
    ),
    Column(
        "decided_on",
        gettext_lazy("Decision date"),
        DATE,
        required=True,
        help=gettext_lazy("The date of the decision; units are read as they were on that day."),
        example=date(2016, 3, 5),
        aliases=("Ngày quyết định", "Ngày QĐ", "Ngày khen thưởng"),
    ),
    Column(
        "issuer",
        gettext_lazy("Issued by"),
        TEXT,
        max_length=200,
        help=gettext_lazy("Who signed the decision; empty: the issuing unit."),
        example="Chủ tịch UBND thành phố Hoa Lư",
        aliases=("Người ký", "Cấp khen", "Cơ quan khen thưởng"),
    ),
    Column(
        "issuer_unit",
        gettext_lazy("Issuing unit"),
        UNIT,
        help=gettext_lazy("The unit that decided, when it is in the tree."),
        example="Ủy ban nhân dân thành phố Hoa Lư",
        aliases=("Đơn vị quyết định", "Đơn vị khen thưởng"),
    ),
    Column(
        "level",
        gettext_lazy("Level"),
        CHOICE,
        required=True,
        choices={str(level): level.label for level in UnitLevel if level in services.COMMENDATION_LEVELS},
        help=gettext_lazy("The level of the commendation: commune, district, province or country."),
        example=UnitLevel.DISTRICT.value,
        aliases=("Cấp", "Cấp khen thưởng"),
    ),
    Column(
        "form",
        gettext_lazy("Form of commendation"),
        CHOICE,
        required=True,
        choices=dict(CommendationForm.choices),
        help=gettext_lazy("The certificate or flag given; it must be of the level."),
        example=CommendationForm.DISTRICT_PC_CERTIFICATE.value,
        aliases=("Hình thức khen thưởng", "Hình thức"),
    ),
    Column(
        "recipient",
        gettext_lazy("Collective or individual"),
        CHOICE,
        required=True,
        choices=dict(Recipient.choices),
        help=gettext_lazy("Whether a collective or an individual was commended."),
        example=Recipient.COLLECTIVE.value,
        aliases=("Tập thể/cá nhân", "Đối tượng", "Đối tượng khen thưởng"),
    ),
    Column(
        "unit",
        gettext_lazy("Unit of the recipient"),
        UNIT,
        required=True,
        help=gettext_lazy("The unit commended, or the unit of the group or person commended."),
        example="Xã Ninh Nhất",
        aliases=("Đơn vị", "Đơn vị được khen", "Đơn vị công tác"),
    ),
    Column(
        "group_name",
        gettext_lazy("Name of the group"),
        TEXT,
        max_length=300,
        help=gettext_lazy("A collective that is not a unit of the tree (a branch, a village's team)."),
        example="Chi hội Nông dân thôn Phúc Lộc",
        aliases=("Tên tập thể", "Tập thể được khen"),
    ),
    Column(
        "person_name",
        gettext_lazy("Full name"),
        TEXT,
        max_length=200,
        help=gettext_lazy("The individual commended."),
        example="",
        aliases=("Họ và tên", "Họ tên", "Cá nhân được khen"),
    ),
    Column(
        "person_position",
        gettext_lazy("Position"),
        TEXT,
        max_length=200,
        help=gettext_lazy("The individual's position."),
        example="",
        aliases=("Chức vụ", "Chức vụ, đơn vị công tác"),
    ),
    Column(
        "reason",
        gettext_lazy("Reason"),
        LONG_TEXT,
        required=True,
        help=gettext_lazy("The achievement the commendation rewards."),
        example="Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2015",
        aliases=("Lý do", "Thành tích", "Lý do khen thưởng"),
    ),
    Column(
        "movement",
        gettext_lazy("Movement"),
        TEXT,
        max_length=300,
        help=gettext_lazy("The name of the movement it rewards, launched by the unit or one above it."),
        example="Phong trào thi đua “Dân vận khéo” giai đoạn 2011–2015",
        aliases=("Phong trào", "Phong trào thi đua"),
    ),
    Column(
        "work_from",
        gettext_lazy("Work from"),
        DATE,
        help=gettext_lazy("The first day of the period of work it rewards."),
        example=date(2015, 1, 1),
        aliases=("Thành tích từ ngày",),
    ),
    Column(
        "work_to",
        gettext_lazy("Work to"),
        DATE,
        help=gettext_lazy("The last day of that period."),
        example=date(2015, 12, 31),
        aliases=("Thành tích đến ngày",),
    ),
)

COMMENDATIONS = RecordType(
    code="commendations",
    label=gettext_lazy("Commendations decided"),
    columns=COMMENDATION_COLUMNS,
    natural_key=("decision_number", "decided_on", "recipient"),
    key=commendation_key,
    existing=commendation_existing,
    write=commendation_write,
    rollback=commendation_rollback,
    export=commendation_export,
    action=lifecycle.DECIDE,
    model=Commendation,
    date_column="decided_on",
    check=commendation_check,
    order=44,
    description=gettext_lazy(
        "Commendations of collectives and individuals as decided, one a row: the decision, the "
        "recipient and the reason."
    ),
)

register(MOVEMENTS, COMMENDATIONS)
