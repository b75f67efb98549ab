"""Reads of the shared kernel."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .calendar import WorkingCalendar, build_calendar
from .models import ApiToken, CalendarOverride, CalendarOverrideKind, User


def working_calendar(first_year: int, last_year: int) -> WorkingCalendar:
    """The calendar for a span of years: public holidays plus the administrator's overrides."""
    overrides = CalendarOverride.objects.filter(day__year__gte=first_year, day__year__lte=last_year)
    working: list[date] = []
    off: list[date] = []
    for row in overrides:
        (working if row.kind == CalendarOverrideKind.WORKING_DAY else off).append(row.day)
    return build_calendar(range(first_year, last_year + 1), working_days=working, days_off=off)


def calendar_override_list(year: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(day__year=year)


def api_token_list_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
