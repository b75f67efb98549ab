"""Writing the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEvent
from .request_context import client_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None, *, exclude: tuple[str, ...] = ()) -> dict:
    """The record's field values as JSON (foreign keys by id). Secrets are left out by `exclude`."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in exclude:
            continue
        out[field.attname if field.is_relation else field.name] = _jsonable(getattr(obj, field.attname))
    return out


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys whose values changed (all of them for a creation or deletion)."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    record_type: str | None = None,
    record_id: Any = None,
    label: str | None = None,
    unit=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add one event to the audit trail, in the caller's transaction."""
    if obj is not None:
        record_type = record_type or obj._meta.label_lower
        record_id = record_id if record_id is not None else obj.pk
        label = label if label is not None else str(obj)
    before, after = diff(before, after)
    # The operator of the command line is no stored account: its events carry no actor.
    user = actor if getattr(actor, "is_authenticated", False) and actor.pk else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=user,
        actor_label=(user.get_username() if user else getattr(actor, "username", "") or "system"),
        ip_address=client_ip.get(),
        action=action,
        record_type=record_type or "",
        record_id=str(record_id or ""),
        record_label=(label or "")[:300],
        unit_ref=getattr(unit, "pk", None),
        unit_path=getattr(unit, "path", "") or "",
        before=before,
        after=after,
    )
