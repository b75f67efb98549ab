"""The record type of units (areas and agencies) for spreadsheet import and export (`core.records`).

A row is one unit: its code, name, kind, the unit it sits under (its parent, named as people
write it and resolved on the row's start of validity), and its validity. Code and start of
validity identify a unit (as in the tree), so a file imported twice creates nothing the second
time.

What the import does not do:
- successions (which old unit became which new one) are not imported: they are recorded on the
  units' pages, where the tree's rules on them are checked one by one;
- a parent must already be in danvan when the file is read. A file that adds a unit and the
  units under it is imported once per level: the first import creates the units whose parent
  exists and reports the others' parents as unknown; importing the same file again matches what
  was created and adds the next level (or put each level in its own file, top first).

Units are created as `services.unit_create` creates one (the same rules of placement, the same
folded name and path) but a chunk at a time and without an audit event per unit: the import's
batch is the trail, and its rollback removes the units it brought in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.core.records import CHOICE, DATE, TEXT, UNIT, Column, ExportQuery, Key, RecordType, Row, register
from danvan.core.text import fold, normalize

from . import access, services
from .frames import frame_mark_stale
from .models import LEVEL_OF_KIND, Unit, UnitFrame, UnitKind, subtree_q

MANAGE = "unit.manage"


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "…"


def unit_key(row: Row) -> Key:
    return (normalize(row.get("code")), row.get("valid_from"))


def unit_existing(user, keys: Sequence[Key]) -> set[Key]:
    """The keys (code, valid_from) some unit already has."""
    wanted = set(keys)
    found = set(
        Unit.objects.filter(
            code__in={code for code, _start in wanted}, valid_from__in={start for _code, start in wanted}
        ).values_list("code", "valid_from")
    )
    return wanted & found


def unit_check(row: Row) -> dict[str, Any]:
    """The rules of the tree across columns: dates in order, a parent of the right level that is
    valid throughout the unit's validity."""
    kind, parent = row.get("kind"), row.get("parent")
    valid_from, valid_to = row.get("valid_from"), row.get("valid_to")
    if not kind or valid_from is None or parent is None:
        return {}  # a missing required value is reported on its own
    try:
        services.validate_unit_placement(kind=kind, parent=parent, valid_from=valid_from, valid_to=valid_to)
    except DomainError as error:
        return {name: messages[0] for name, messages in error.field_messages().items()} or {
            "parent": error.message
        }
    return {}


def _new_unit(row: Row, batch) -> Unit:
    name = normalize(row["name"])
    return Unit(
        code=normalize(row["code"]),
        name=name,
        short_name=normalize(row.get("short_name")),
        name_folded=fold(name),
        kind=row["kind"],
        level=LEVEL_OF_KIND[row["kind"]],
        parent=row["parent"],
        valid_from=row["valid_from"],
        valid_to=row.get("valid_to"),
        source=normalize(row.get("source")),
        path="",
        depth=0,
        import_batch=batch,
    )


def unit_write(user, rows: Sequence[Row], batch) -> int:
    """Create the units of a chunk of new rows under parents already in danvan."""
    allowed: set[int] = set()
    units = []
    for row in rows:
        parent = row["parent"]
        if parent.pk not in allowed:
            access.require(user, MANAGE, parent)
            allowed.add(parent.pk)
        services.validate_unit_placement(
            kind=row["kind"], parent=parent, valid_from=row["valid_from"], valid_to=row.get("valid_to")
        )
        units.append(_new_unit(row, batch))
    created = Unit.objects.bulk_create(units)
    for unit in created:
        services.assign_path(unit)
    Unit.objects.bulk_update(created, ["path", "depth"], batch_size=1000)
    if created:
        frame_mark_stale()
    return len(created)


def _changed_since(units: list[Unit], batch) -> tuple[Unit, str] | None:
    """The first unit of the batch changed or used since the import, with what changed it."""
    ids = [unit.pk for unit in units]
    by_id = {unit.pk: unit for unit in units}
    for unit in units:
        if unit.version > 0:
            return unit, _("it was edited after the import")
    child = Unit.objects.filter(parent_id__in=ids).exclude(import_batch=batch).first()
    if child is not None:
        return by_id[child.parent_id], _("%(unit)s was added under it after the import") % {
            "unit": child.name
        }
    for relation in Unit._meta.related_objects:
        if relation.related_model in (Unit, UnitFrame):  # children are above; frames are derived
            continue
        field = relation.field
        used = relation.related_model._base_manager.filter(**{f"{field.name}__in": ids}).first()
        if used is not None:
            what = str(relation.related_model._meta.verbose_name)
            return by_id[getattr(used, field.attname)], _(
                "it now holds a record of another kind (%(what)s)"
            ) % {"what": what}
    event = AuditEvent.objects.filter(unit_ref__in=ids).first()
    if event is not None:
        return by_id[event.unit_ref], _("something was recorded in it after the import")
    return None


def unit_rollback(user, batch) -> int:
    """Remove the units the batch created, deepest first; nothing goes when any of them was
    edited since, has units below it that the batch did not create, or holds anything (records,
    roles, successions, events)."""
    units = list(Unit.objects.filter(import_batch=batch).order_by("-depth", "pk"))
    if not units:
        return 0
    scope = access.scope_for(user, MANAGE)
    if not all(scope.covers(unit) for unit in units):
        raise PermissionDenied()
    changed = _changed_since(units, batch)
    if changed is not None:
        unit, reason = changed
        raise DomainError(
            "import.rollback_changed",
            _("%(unit)s (%(code)s) cannot be removed: %(reason)s. Nothing was removed."),
            unit=unit.name,
            code=unit.code,
            reason=reason,
        )
    for depth in sorted({unit.depth for unit in units}, reverse=True):
        Unit.objects.filter(pk__in=[unit.pk for unit in units if unit.depth == depth]).delete()
    frame_mark_stale()
    return len(units)


def unit_export(query: ExportQuery) -> Iterator[Row]:
    """The units below `query.unit` (not itself: its parent lies outside the subtree) that the
    user's roles reach and that were valid at some time in the period, parents before children (so
    that importing the file again, level by level, finds each parent)."""
    units = (
        access.visible(query.user, Unit, "record.view")
        .filter(subtree_q(query.unit.path), valid_from__lte=query.last)
        .exclude(pk=query.unit.pk)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=query.first))
        .select_related("parent")
        .order_by("depth", "path")
    )
    for unit in units.iterator(chunk_size=2000):
        yield {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
            "source": unit.source,
        }


COLUMNS = (
    Column(
        "code",
        gettext_lazy("Code"),
        TEXT,
        required=True,
        max_length=30,
        help=gettext_lazy(
            "The official code of the area, or a code the unit gives its agency; with the start of "
            "validity it identifies the unit."
        ),
        example="14329-UBND",
        aliases=("Mã", "Mã đơn vị", "Mã số", "Mã ĐVHC"),
    ),
    Column(
        "name",
        gettext_lazy("Name"),
        TEXT,
        required=True,
        max_length=200,
        help=gettext_lazy("The full name, with the kind of area in front for an area."),
        example="Ủy ban nhân dân phường Hoa Lư",
        aliases=("Tên", "Tên đơn vị", "Tên cơ quan", "Tên đơn vị hành chính"),
    ),
    Column(
        "short_name",
        gettext_lazy("Short name"),
        TEXT,
        max_length=200,
        help=gettext_lazy("A shorter name people use, if any."),
        example="UBND phường Hoa Lư",
        aliases=("Tên viết tắt", "Tên ngắn", "Tên gọi tắt"),
    ),
    Column(
        "kind",
        gettext_lazy("Kind"),
        CHOICE,
        required=True,
        choices=dict(UnitKind.choices),
        help=gettext_lazy("The kind of area or agency."),
        example=UnitKind.PEOPLES_COMMITTEE.value,
        aliases=("Loại", "Loại đơn vị", "Loại hình"),
    ),
    Column(
        "parent",
        gettext_lazy("Parent unit"),
        UNIT,
        required=True,
        help=gettext_lazy(
            "The unit it sits under, as it was on the start of validity; it must already be in danvan."
        ),
        example="Phường Hoa Lư (14329)",
        aliases=("Đơn vị cấp trên", "Trực thuộc", "Thuộc", "Đơn vị chủ quản"),
    ),
    Column(
        "valid_from",
        gettext_lazy("Valid from"),
        DATE,
        required=True,
        help=gettext_lazy("The day the unit came into being (or took this name, rank or parent)."),
        example=date(2025, 7, 1),
        aliases=("Hiệu lực từ", "Từ ngày", "Ngày thành lập", "Ngày hiệu lực"),
    ),
    Column(
        "valid_to",
        gettext_lazy("Valid to"),
        DATE,
        help=gettext_lazy("The last day of the unit; empty while it exists."),
        example="",
        aliases=("Hiệu lực đến", "Đến ngày", "Ngày giải thể", "Ngày hết hiệu lực"),
    ),
    Column(
        "source",
        gettext_lazy("Source"),
        TEXT,
        max_length=120,
        help=gettext_lazy("The decision or data set the unit comes from."),
        example="Nghị quyết 1674/NQ-UBTVQH15",
        aliases=("Nguồn", "Căn cứ", "Văn bản"),
    ),
)

UNITS = RecordType(
    code="units",
    label=gettext_lazy("Units"),
    columns=COLUMNS,
    natural_key=("code", "valid_from"),
    key=unit_key,
    existing=unit_existing,
    write=unit_write,
    rollback=unit_rollback,
    export=unit_export,
    action=MANAGE,
    model=Unit,
    date_column="valid_from",
    unit_column="parent",
    check=unit_check,
    order=5,
    description=gettext_lazy(
        "Areas and agencies that the loaded data sets do not hold, under units already in danvan; "
        "successions between units are recorded on the units' pages."
    ),
)

register(UNITS)
