"""Plain data of units for the API and the command line (one shape for both)."""

from __future__ import annotations

from .models import Succession, Unit
from .selectors import UnitView


def unit_data(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "level": unit.level,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "parent_id": unit.parent_id,
    }


def succession_data(succession: Succession, other: Unit) -> dict:
    return {
        "kind": succession.kind,
        "effective_on": succession.effective_on,
        "is_default": succession.is_default,
        "unit": unit_data(other),
    }


def unit_view_data(view: UnitView) -> dict:
    return {
        "on": view.on,
        "unit": unit_data(view.unit),
        "ancestors": [unit_data(u) for u in view.ancestors],
        "children": [unit_data(u) for u in view.children],
        "predecessors": [succession_data(s, s.predecessor) for s in view.predecessors],
        "successors": [succession_data(s, s.successor) for s in view.successors],
    }
