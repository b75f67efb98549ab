"""Plain data shapes that every app's API answers share."""

from __future__ import annotations


def choice(choices, code: str) -> dict | None:
    """{code, label} of a choice, the label in the active language; None for an empty code."""
    if not code:
        return None
    try:
        label = str(choices(code).label)
    except ValueError:
        label = code
    return {"code": code, "label": label}


def unit_ref(unit) -> dict | None:
    """{id, code, name} of a unit; None for none."""
    return None if unit is None else {"id": unit.pk, "code": unit.code, "name": unit.name}
