"""The shapes the import pages and API show: record types with their columns, batches with what
their preview found. Built from batches a selector already found in scope; labels are in the
active language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from danvan.core.models import ImportBatch
from danvan.core.records import RecordType, registry
from danvan.petitions.presenters import user_ref


def type_label(code: str) -> str:
    """A record type's name, or its code when the type is no longer declared."""
    found = registry().get(code)
    return str(found.label) if found else code


def record_type_view(record_type: RecordType) -> dict[str, Any]:
    return {
        "code": record_type.code,
        "label": str(record_type.label),
        "description": str(record_type.description),
        "action": record_type.action,
        "date_column": record_type.date_column,
        "natural_key": list(record_type.natural_key),
        "columns": [
            {
                "key": c.key,
                "label": str(c.label),
                "kind": c.kind,
                "required": c.required,
                "help": str(c.help),
                "choices": [{"code": code, "label": str(label)} for code, label in c.choices.items()],
                "aliases": list(c.aliases),
                "sensitive": c.sensitive,
            }
            for c in record_type.columns
        ],
    }


def batch_summary(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "file": batch.original_name,
        "record_type": {"code": batch.record_type, "label": type_label(batch.record_type)},
        "status": {"code": batch.status, "label": str(batch.get_status_display())},
        "rows": batch.rows,
        "to_create": batch.to_create,
        "matched": batch.matched,
        "problems": batch.error_count,
        "created": batch.created,
        "created_at": batch.created_at,
        "created_by": user_ref(batch.created_by),
        "committed_at": batch.committed_at,
        "rolled_back_at": batch.rolled_back_at,
        "version": batch.version,
    }


def earlier_batch(batch: ImportBatch) -> dict[str, Any] | None:
    """The first committed import of the same file, when this batch is not it."""
    earlier = (batch.report or {}).get("earlier_batch")
    if not earlier or earlier.get("id") == batch.pk:
        return None
    at = earlier.get("at")
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            at = None
    return {**earlier, "at": at}


def batch_detail(batch: ImportBatch) -> dict[str, Any]:
    report = batch.report or {}
    problems = report.get("problems", [])
    return {
        **batch_summary(batch),
        "sheet": batch.sheet,
        "sheets": report.get("sheets", []),
        "format": report.get("format", ""),
        "mapping_name": batch.mapping_name,
        "columns": [
            {
                "letter": c.get("letter", ""),
                "header": c.get("header", ""),
                "field": c.get("field", ""),
                "label": c.get("label", ""),
            }
            for c in report.get("columns", [])
        ],
        "unknown": report.get("unknown", []),
        "missing": report.get("missing", []),
        "problem_list": problems,
        "more_problems": max(0, batch.error_count - len(problems)),
        "samples_new": report.get("samples_new", []),
        "samples_matched": report.get("samples_matched", []),
        "earlier_batch": earlier_batch(batch),
    }
