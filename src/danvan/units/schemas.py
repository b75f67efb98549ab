from __future__ import annotations

from datetime import date

from ninja import Schema


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    valid_from: date
    valid_to: date | None
    parent_id: int | None


class SuccessionOut(Schema):
    kind: str
    effective_on: date
    is_default: bool
    unit: UnitOut


class UnitDetailOut(Schema):
    on: date
    unit: UnitOut
    ancestors: list[UnitOut]
    children: list[UnitOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class RoleOut(Schema):
    id: int
    role: str
    scope: str
    unit: UnitOut


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    language: str
    roles: list[RoleOut]
