"""The record type of "Dân vận khéo" models and exemplars for spreadsheet import and export
(`core.records`): a model as its unit registered it and, as its register records, its recognition.

One row holds a model and at most one recognition (level, decision number, decision date). A model
recognised at two levels is two rows with the same unit, name and date of registration and
different levels: the natural key is (unit, name, year, level), so neither row is a repeat of the
other, and the model is created once with both recognitions. A model already in danvan (the same
unit, name and year) matches every row of it: recognitions are imported with their model only;
a recognition of a model already here is recorded on its page.

Rules a registered model obeys are applied (`services._check_details`, `practice_recognise`),
except that who carries it out may be left empty (old registers often lack it), and the
recognition is taken as recorded: it stands on a review that says it was not scored here, with the
criteria set in force then; the importer needs "practice.manage" on the model's unit only.
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
from danvan.units.models import UnitLevel

from . import criteria, selectors, services
from .lifecycle import MANAGE
from .models import LEVEL_LABELS, RECOGNITION_LEVELS, PracticeField, PracticeKind, PracticeModel, Recognition

DETAILS = ("kind", "name", "field", "address", "carried_out_by", "aims", "expected_results")
RECOGNITION = ("level", "decision_number", "decided_on")


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def practice_key(row: Row) -> Key:
    unit, registered_on = row.get("unit"), row.get("registered_on")
    return (
        unit.pk if unit else None,
        fold(row.get("name"))[:300],
        registered_on.year if registered_on else None,
        row.get("level") or "",
    )


def _recognition(row: Row, problems: dict[str, Any]) -> services.RecognitionImport | None:
    """The recognition of a row, checked as `practice_recognise` checks one, or None (none given or
    a problem added to `problems`)."""
    unit, level = row.get("unit"), row.get("level")
    number, decided_on = row.get("decision_number"), row.get("decided_on")
    if not (level or normalize(number) or decided_on):
        return None
    if not level:
        problems["level"] = _("Give the level the model was recognised at.")
    if not normalize(number):
        problems["decision_number"] = _("Enter the number of the decision.")
    if decided_on is None:
        problems["decided_on"] = _("Enter the date of the decision.")
    if problems or unit is None:
        return None
    registered_on = row.get("registered_on")
    if decided_on > timezone.localdate():
        problems["decided_on"] = _("The date cannot be after today.")
    elif registered_on is not None and decided_on < registered_on:
        message = _("The model was recognised on %(decided)s, before it was registered (%(day)s).")
        problems["decided_on"] = message % {"decided": _day(decided_on), "day": _day(registered_on)}
    if problems:
        return None
    board = selectors.board_unit_for(unit, level, decided_on)
    if board is None:
        problems["level"] = services._no_level_error(unit, level, decided_on).message
        return None
    found = criteria.criteria_set_for(PracticeModel(unit=unit, kind=row.get("kind")), decided_on)
    if found is None:
        problems["decided_on"] = _(
            "No criteria set is in force for %(year)s: a province officer must add one first."
        ) % {"year": decided_on.year}
        return None
    return services.RecognitionImport(level, normalize(number), decided_on, board, found)


def practice_check(row: Row) -> dict[str, Any]:
    """The rules across columns of a registered model and of its recognition."""
    problems: dict[str, Any] = {}
    unit, registered_on = row.get("unit"), row.get("registered_on")
    if registered_on is not None and registered_on > timezone.localdate():
        problems["registered_on"] = _("The date of registration cannot be after today.")
    elif unit is not None and registered_on is not None and not unit.valid_on(registered_on):
        problems["registered_on"] = _("%(unit)s did not exist on %(day)s.") % {
            "unit": unit.name,
            "day": _day(registered_on),
        }
    if not problems:
        _recognition(row, problems)
    return problems


def practice_existing(user, keys: Sequence[Key]) -> set[Key]:
    """The keys whose model (unit, name, year) is already in danvan, whatever the level."""
    wanted = set(keys)
    found = set(
        PracticeModel.objects.filter(
            unit_id__in={key[0] for key in wanted}, year__in={key[2] for key in wanted}
        ).values_list("unit_id", "name_folded", "year")
    )
    return {key for key in wanted if key[:3] in found}


def _practice_import(row: Row) -> services.PracticeImport:
    problems: dict[str, Any] = {}
    recognition = _recognition(row, problems)
    if problems:
        # `check` refused such a row already; a row that slips through is not written half-way.
        raise DomainError("practice_invalid", " ".join(str(m) for m in problems.values()))
    return services.PracticeImport(
        unit=row["unit"],
        values={name: row.get(name) or "" for name in DETAILS},
        registered_on=row["registered_on"],
        recognitions=(recognition,) if recognition else (),
    )


def practice_write(user, rows: Sequence[Row], batch) -> int:
    return services.practices_import(user, [_practice_import(row) for row in rows], batch)


def practice_rollback(user, batch) -> int:
    return services.practices_rollback(user, batch)


def practice_export(query: ExportQuery) -> Iterator[Row]:
    """A row per recognition of each model (its details repeated), or one row for a model not
    recognised."""
    rows = selectors.models_for_export(query.user, query.unit, query.first, query.last)
    for model in rows.iterator(chunk_size=2000):
        details: Row = {
            "unit": model.unit,
            "registered_on": model.registered_on,
            **{name: getattr(model, name) for name in DETAILS},
        }
        recognitions: list[Recognition] = list(model.recognitions.all())
        if not recognitions:
            yield {**details, "level": None, "decision_number": "", "decided_on": None}
        for recognition in recognitions:
            yield {
                **details,
                "level": recognition.level,
                "decision_number": recognition.decision_number,
                "decided_on": recognition.decided_on,
            }


COLUMNS = (
    Column(
        "unit",
        gettext_lazy("Unit"),
        UNIT,
        required=True,
        help=gettext_lazy("The unit that registered the model."),
        example="Xã Ninh Nhất",
        aliases=("Đơn vị", "Đơn vị đăng ký", "Đơn vị thực hiện", "Địa bàn"),
    ),
    Column(
        "kind",
        gettext_lazy("Kind"),
        CHOICE,
        required=True,
        choices=dict(PracticeKind.choices),
        help=gettext_lazy("A model, or an exemplar (a collective or an individual)."),
        example=PracticeKind.MODEL.value,
        aliases=("Loại", "Mô hình/điển hình", "Loại hình"),
    ),
    Column(
        "name",
        gettext_lazy("Name of the model"),
        TEXT,
        required=True,
        max_length=300,
        help=gettext_lazy("The name it was registered under."),
        example="Mô hình “Dân vận khéo” vận động nhân dân hiến đất làm đường giao thông nông thôn",
        aliases=("Tên mô hình", "Tên mô hình, điển hình", "Tên điển hình"),
    ),
    Column(
        "field",
        gettext_lazy("Field"),
        CHOICE,
        required=True,
        choices=dict(PracticeField.choices),
        help=gettext_lazy("One of the four fields of the movement."),
        example=PracticeField.ECONOMY.value,
        aliases=("Lĩnh vực",),
    ),
    Column(
        "registered_on",
        gettext_lazy("Registered on"),
        DATE,
        required=True,
        help=gettext_lazy("The date of registration; its year is the year of the model."),
        example=date(2016, 3, 5),
        aliases=("Ngày đăng ký", "Thời gian đăng ký"),
    ),
    Column(
        "address",
        gettext_lazy("Address"),
        TEXT,
        max_length=300,
        help=gettext_lazy("Where it is carried out."),
        example="Thôn Phúc Lộc, xã Ninh Nhất",
        aliases=("Địa chỉ", "Địa điểm"),
    ),
    Column(
        "carried_out_by",
        gettext_lazy("People and units carrying it out"),
        LONG_TEXT,
        help=gettext_lazy("Who carries it out: the people and the units."),
        example="Chi hội Nông dân thôn Phúc Lộc; Ban công tác Mặt trận thôn",
        aliases=("Chủ thể thực hiện", "Người thực hiện", "Tập thể, cá nhân thực hiện"),
    ),
    Column(
        "aims",
        gettext_lazy("Aims"),
        LONG_TEXT,
        required=True,
        help=gettext_lazy("What the model sets out to do."),
        example="Vận động nhân dân hiến đất, góp công làm 2 km đường bê tông.",
        aliases=("Mục tiêu", "Mô tả", "Nội dung mô hình", "Nội dung"),
    ),
    Column(
        "expected_results",
        gettext_lazy("Expected results"),
        LONG_TEXT,
        help=gettext_lazy("The results it is expected to bring."),
        example="2 km đường bê tông, 100% hộ đồng thuận",
        aliases=("Kết quả dự kiến", "Kết quả"),
    ),
    Column(
        "level",
        gettext_lazy("Level recognised"),
        CHOICE,
        choices={str(level): LEVEL_LABELS[level] for level in RECOGNITION_LEVELS},
        help=gettext_lazy(
            "The level that recognised it; empty when not recognised. A model recognised at two levels "
            "takes two rows."
        ),
        example=UnitLevel.COMMUNE.value,
        aliases=("Cấp công nhận", "Cấp"),
    ),
    Column(
        "decision_number",
        gettext_lazy("Decision number"),
        TEXT,
        max_length=60,
        help=gettext_lazy("The number of the decision that recognised it."),
        example="12/QĐ-BCĐ",
        aliases=("Số quyết định", "Quyết định công nhận", "Số QĐ"),
    ),
    Column(
        "decided_on",
        gettext_lazy("Decided on"),
        DATE,
        help=gettext_lazy("The date of that decision."),
        example=date(2016, 11, 20),
        aliases=("Ngày quyết định", "Ngày công nhận", "Ngày QĐ"),
    ),
)

PRACTICE_MODELS = RecordType(
    code="practice_models",
    label=gettext_lazy("“Skillful mass mobilization” models"),
    columns=COLUMNS,
    natural_key=("unit", "name", "registered_on", "level"),
    key=practice_key,
    existing=practice_existing,
    write=practice_write,
    rollback=practice_rollback,
    export=practice_export,
    action=MANAGE,
    model=PracticeModel,
    date_column="registered_on",
    check=practice_check,
    order=42,
    description=gettext_lazy(
        "Models and exemplars as registered, and their recognitions: one row a recognition, two rows "
        "for a model recognised at two levels."
    ),
)

register(PRACTICE_MODELS)
