"""Reads of the shared kernel."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .calendar import WorkingCalendar, build_calendar
from .models import ApiToken, AuditEvent, CalendarOverride, CalendarOverrideKind, User


def working_calendar(first_year: int, last_year: int) -> WorkingCalendar:
    """The calendar for a span of years: public holidays plus the administrator's overrides."""
    overrides = CalendarOverride.objects.filter(day__year__gte=first_year, day__year__lte=last_year)
    working, off = [], []
    for row in overrides:
        (working if row.kind == CalendarOverrideKind.WORKING_DAY else off).append(row.day)
    return build_calendar(range(first_year, last_year + 1), working_days=working, days_off=off)


def calendar_override_list(year: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(day__year=year)


def api_token_list_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def audit_event_list(
    *,
    scope_q,
    actor_id: int | None = None,
    unit_path: str = "",
    record_type: str = "",
    record_id: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events within a scope filter (built by the access layer), narrowed by the filters."""
    events = AuditEvent.objects.filter(scope_q).select_related("actor")
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if unit_path:
        # the subtree of unit_path, as a range so the index answers it (see units.models.subtree_q)
        events = events.filter(unit_path__gte=unit_path, unit_path__lt=unit_path[:-1] + "0")
    if record_type:
        events = events.filter(record_type=record_type)
    if record_id:
        events = events.filter(record_id=record_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events
