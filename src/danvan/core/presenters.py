"""Plain data shapes that every app's API answers share."""

from __future__ import annotations

from django.urls import reverse


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


def file_view(item) -> dict:
    """A file kept with a record (`core.RecordFile`), as `core.schemas.FileOut`."""
    return {
        "id": item.pk,
        "name": item.original_name,
        "role": item.role,
        "content_type": item.content_type,
        "size": item.size,
        "url": reverse("core:record_file", args=[item.pk]),
    }
