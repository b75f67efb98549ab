"""Loading the administrative units of Vietnam from the `vietnamadminunits` package.

The package (MIT) ships two data sets and the mapping between them:
- `admin_units_legacy`: the 63 provinces, 696 districts and 10,035 communes in force until
  30 June 2025;
- `admin_units`: the 34 provinces and 3,321 communes from 1 July 2025;
- `converter_2025.json`: which old communes became which new ones; an old commune split
  among several new ones names its default successor (`isDefaultNewWard`).

The legacy data set does not date its units, so they are taken as valid from
`settings.DANVAN_LEGACY_UNITS_FROM` (ADR 0002). A province that came through 2025 with the same
name and code continues as the same unit; every other 2025 unit is a new row with successions.
Loading is idempotent: units are matched on (code, valid_from), successions on the pair.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata, resources

from django.conf import settings
from django.db import transaction

from danvan.core import audit
from danvan.core.text import fold

from .frames import frame_mark_stale
from .models import LEVEL_OF_KIND, Succession, SuccessionKind, Unit, UnitKind

REFORM_DAY = date(2025, 7, 1)
LAST_LEGACY_DAY = REFORM_DAY - timedelta(days=1)
COUNTRY_CODE = "VN"

DISTRICT_KINDS = {
    "Huyện": UnitKind.RURAL_DISTRICT,
    "Quận": UnitKind.URBAN_DISTRICT,
    "Thị xã": UnitKind.TOWN,
    "Thành phố": UnitKind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {
    "Xã": UnitKind.COMMUNE,
    "Phường": UnitKind.WARD,
    "Thị trấn": UnitKind.TOWNSHIP,
    "Đặc khu": UnitKind.SPECIAL_ZONE,
}


def data_source() -> str:
    return f"vietnamadminunits {metadata.version('vietnamadminunits')}"


def legacy_from() -> date:
    return date.fromisoformat(settings.DANVAN_LEGACY_UNITS_FROM)


def _province_kind(name: str) -> str:
    return UnitKind.CENTRAL_CITY if name.startswith("Thành phố") else UnitKind.PROVINCE


@dataclass
class Plan:
    """Units to exist, keyed by (code, valid_from), with their parent's key, and successions."""

    units: dict[tuple[str, date], dict] = field(default_factory=dict)
    order: list[tuple[str, date]] = field(default_factory=list)
    successions: list[dict] = field(default_factory=list)

    def add(self, key: tuple[str, date], **values) -> None:
        if key not in self.units:
            self.units[key] = values
            self.order.append(key)


def _read_package():
    root = resources.files("vietnamadminunits") / "data"
    with resources.as_file(root / "dataset.db") as db_path:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            legacy = [dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy ORDER BY rowid")]
            current = [dict(r) for r in conn.execute("SELECT * FROM admin_units ORDER BY rowid")]
        finally:
            conn.close()
    mapping = json.loads((root / "converter_2025.json").read_text(encoding="utf-8"))
    return legacy, current, mapping


def build_plan() -> Plan:
    """What the data sets say should exist, without touching the database."""
    legacy, current, mapping = _read_package()
    start = legacy_from()
    source = data_source()
    plan = Plan()
    country = (COUNTRY_CODE, start)
    plan.add(country, name="Việt Nam", kind=UnitKind.COUNTRY, parent=None, valid_to=None, source=source)

    old_province_by_key: dict[str, tuple[str, date]] = {}
    old_unit_by_key: dict[str, tuple[str, date]] = {}
    # Provinces that change nothing in 2025 (same key, same code) continue as one unit.
    new_province_code = {r["provinceKey"]: r["provinceCode"] for r in current}
    continuing = {new_key for new_key, old_keys in mapping["DICT_PROVINCE"].items() if old_keys == [new_key]}
    for row in legacy:
        p_key = row["provinceKey"]
        if p_key not in old_province_by_key:
            keeps = p_key in continuing and new_province_code.get(p_key) == row["provinceCode"]
            key = (row["provinceCode"], start)
            plan.add(
                key,
                name=row["province"],
                short_name=row["provinceShort"],
                kind=_province_kind(row["province"]),
                parent=country,
                valid_to=None if keeps else LAST_LEGACY_DAY,
                source=source,
            )
            old_province_by_key[p_key] = key
        d_key = (row["districtCode"], start)
        plan.add(
            d_key,
            name=row["district"],
            short_name=row["districtShort"],
            kind=DISTRICT_KINDS[row["districtType"]],
            parent=old_province_by_key[p_key],
            valid_to=LAST_LEGACY_DAY,
            source=source,
        )
        composite = f"{p_key}_{row['districtKey']}_{row['wardKey'] or ''}"
        if row["wardCode"]:
            w_key = (row["wardCode"], start)
            plan.add(
                w_key,
                name=row["ward"],
                short_name=row["wardShort"],
                kind=COMMUNE_KINDS[row["wardType"]],
                parent=d_key,
                valid_to=LAST_LEGACY_DAY,
                source=source,
            )
            old_unit_by_key[composite] = w_key
        else:  # island districts without communes became special zones
            old_unit_by_key[composite] = d_key

    new_province_by_key: dict[str, tuple[str, date]] = {}
    new_ward_by_key: dict[tuple[str, str], tuple[str, date]] = {}
    for row in current:
        p_key = row["provinceKey"]
        if p_key not in new_province_by_key:
            if (
                p_key in continuing
                and p_key in old_province_by_key
                and old_province_by_key[p_key][0] == row["provinceCode"]
            ):
                new_province_by_key[p_key] = old_province_by_key[p_key]
            else:
                key = (row["provinceCode"], REFORM_DAY)
                plan.add(
                    key,
                    name=row["province"],
                    short_name=row["provinceShort"],
                    kind=_province_kind(row["province"]),
                    parent=country,
                    valid_to=None,
                    source=source,
                )
                new_province_by_key[p_key] = key
        w_key = (row["wardCode"], REFORM_DAY)
        plan.add(
            w_key,
            name=row["ward"],
            short_name=row["wardShort"],
            kind=COMMUNE_KINDS[row["wardType"]],
            parent=new_province_by_key[p_key],
            valid_to=None,
            source=source,
        )
        new_ward_by_key[(p_key, row["wardKey"])] = w_key

    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        successor = new_province_by_key[new_key]
        for old_key in old_keys:
            predecessor = old_province_by_key[old_key]
            if predecessor == successor:
                continue
            kind = SuccessionKind.MERGE if len(old_keys) > 1 else SuccessionKind.RENAME
            plan.successions.append(
                {"predecessor": predecessor, "successor": successor, "kind": kind, "is_default": True}
            )

    successors: dict[str, list[tuple[tuple[str, date], bool, int]]] = {}
    for p_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old in old_keys:
                successors.setdefault(old, []).append(
                    (new_ward_by_key[(p_key, ward_key)], True, len(old_keys))
                )
    for p_key, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, entries in olds.items():
            for entry in entries:
                successors.setdefault(old, []).append(
                    (new_ward_by_key[(p_key, entry["newWardKey"])], bool(entry["isDefaultNewWard"]), 0)
                )
    for old, targets in successors.items():
        predecessor = old_unit_by_key[old]
        split = len(targets) > 1
        for successor, is_default, merged_count in targets:
            if split:
                kind = SuccessionKind.SPLIT
            elif merged_count > 1:
                kind = SuccessionKind.MERGE
            else:
                same_name = plan.units[predecessor]["name"] == plan.units[successor]["name"]
                kind = SuccessionKind.TRANSFER if same_name else SuccessionKind.RENAME
            plan.successions.append(
                {"predecessor": predecessor, "successor": successor, "kind": kind, "is_default": is_default}
            )
    return plan


@dataclass
class LoadResult:
    units_created: int
    successions_created: int
    units_total: int


@transaction.atomic
def units_load(*, actor=None) -> LoadResult:
    """Create the units and successions the data sets hold and the database lacks."""
    plan = build_plan()
    existing = {(code, vf): pk for code, vf, pk in Unit.objects.values_list("code", "valid_from", "pk")}
    paths = dict(Unit.objects.values_list("pk", "path"))
    created = 0
    # Parents come before children in plan.order, so create level by level.
    pending = [key for key in plan.order if key not in existing]
    while pending:
        batch = [k for k in pending if plan.units[k]["parent"] is None or plan.units[k]["parent"] in existing]
        rows = []
        for key in batch:
            values = plan.units[key]
            parent_pk = existing.get(values["parent"]) if values["parent"] else None
            rows.append(
                Unit(
                    code=key[0],
                    valid_from=key[1],
                    valid_to=values["valid_to"],
                    name=values["name"],
                    short_name=values.get("short_name") or "",
                    name_folded=fold(values["name"]),
                    kind=values["kind"],
                    level=LEVEL_OF_KIND[values["kind"]],
                    parent_id=parent_pk,
                    source=values["source"],
                    path="",
                    depth=0,
                )
            )
        Unit.objects.bulk_create(rows, batch_size=2000)
        for key, unit in zip(batch, rows, strict=True):
            existing[key] = unit.pk
            unit.path = paths[unit.parent_id] if unit.parent_id else ""
            unit.path += f"{unit.pk:08x}/"
            unit.depth = unit.path.count("/")
            paths[unit.pk] = unit.path
        Unit.objects.bulk_update(rows, ["path", "depth"], batch_size=2000)
        created += len(rows)
        done = set(batch)
        pending = [k for k in pending if k not in done]

    pairs = set(Succession.objects.values_list("predecessor_id", "successor_id"))
    has_default = set(Succession.objects.filter(is_default=True).values_list("predecessor_id", flat=True))
    new_rows = []
    source = data_source()
    for item in plan.successions:
        pred, succ = existing[item["predecessor"]], existing[item["successor"]]
        if (pred, succ) in pairs:
            continue
        is_default = item["is_default"] and pred not in has_default
        if is_default:
            has_default.add(pred)
        new_rows.append(
            Succession(
                predecessor_id=pred,
                successor_id=succ,
                kind=item["kind"],
                effective_on=REFORM_DAY,
                is_default=is_default,
                source=source,
            )
        )
        pairs.add((pred, succ))
    Succession.objects.bulk_create(new_rows, batch_size=2000)
    result = LoadResult(units_created=created, successions_created=len(new_rows), units_total=len(existing))
    if created or new_rows:
        frame_mark_stale()
        audit.record(
            actor=actor,
            action="units.load",
            record_type="units.unit",
            record_id="*",
            label=source,
            after={"units_created": created, "successions_created": len(new_rows), "source": source},
        )
    return result
