"""Every read of units, successions and roles, already scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.errors import DomainError, NotFound
from danvan.core.models import AuditEvent
from danvan.core.text import filter_folded

from . import access
from .models import RoleAssignment, Succession, Unit, UnitLevel, subtree_q, valid_on_q


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def unit_list_for(
    user,
    *,
    on: date | None = None,
    parent_id: int | None = None,
    query: str = "",
    level: str = "",
    roots: bool = False,
) -> QuerySet[Unit]:
    """Units the user may see, optionally valid on a day, under a parent, matching a search."""
    units = access.visible(user, Unit, "unit.view")
    if on is not None:
        units = units.filter(valid_on_q(on))
    if roots:
        units = units.filter(parent__isnull=True)
    elif parent_id is not None:
        units = units.filter(parent_id=parent_id)
    if level:
        units = units.filter(level=level)
    return filter_folded(units, "name_folded", query)


def unit_get_for(user, unit_id: int, action: str = "unit.view") -> Unit:
    unit = access.visible(user, Unit, action).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def unit_children_on(unit: Unit, on: date) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(parent=unit)
        .filter(valid_on_q(on))
        .annotate(child_count=Count("children", filter=valid_on_q(on, "children__")))
        .order_by("level", "name")
    )


def unit_resolve(user, code: str, on: date) -> Unit:
    """The unit with official `code` valid on `on`, or a specific error saying why not."""
    code = (code or "").strip()
    rows = list(access.visible(user, Unit, "unit.view").filter(code=code).order_by("valid_from"))
    if not rows:
        raise NotFound(
            "unit_code_unknown",
            _("No unit has the code %(code)s."),
            fields={"code": _("No unit has this code.")},
            code=code,
        )
    for unit in rows:
        if unit.valid_on(on):
            return unit
    validity = "; ".join(f"{u.name}: {u.validity_label}" for u in rows)
    raise DomainError(
        "unit_not_valid_on",
        _("No unit with code %(code)s existed on %(date)s (%(validity)s)."),
        fields={"on": _("No unit with this code existed on that date.")},
        code=code,
        date=_fmt(on),
        validity=validity,
    )


@dataclass
class UnitView:
    """A unit as of a date: where it sits, what is below, what came before and after."""

    unit: Unit
    on: date
    ancestors: list[Unit]
    children: list[Unit]
    predecessors: list[Succession]
    successors: list[Succession]


def unit_view_on(unit: Unit, on: date) -> UnitView:
    ancestors_by_id = Unit.objects.in_bulk(unit.ancestor_ids())
    ancestors = [ancestors_by_id[i] for i in unit.ancestor_ids() if i in ancestors_by_id]
    children = list(unit_children_on(unit, on))
    predecessors = list(
        Succession.objects.filter(successor=unit).select_related("predecessor").order_by("predecessor__name")
    )
    successors = list(
        Succession.objects.filter(predecessor=unit)
        .select_related("successor")
        .order_by("-is_default", "successor__name")
    )
    return UnitView(
        unit=unit,
        on=on,
        ancestors=ancestors,
        children=children,
        predecessors=predecessors,
        successors=successors,
    )


def unit_counts_on(on: date) -> dict[str, int]:
    """How many units of each level were valid on a day."""
    rows = Unit.objects.filter(valid_on_q(on)).values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def unit_descendants(unit: Unit, on: date | None = None, level: str = "") -> QuerySet[Unit]:
    """The whole subtree below `unit` in one indexed query (materialised path)."""
    units = Unit.objects.filter(subtree_q(unit.path)).exclude(pk=unit.pk)
    if on is not None:
        units = units.filter(valid_on_q(on))
    if level:
        units = units.filter(level=level)
    return units


def communes_without_default_successor() -> QuerySet[Unit]:
    """Ended communes that lack exactly one default successor: a data-quality check."""
    return (
        Unit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=False)
        .annotate(defaults=Count("successions_out", filter=Q(successions_out__is_default=True)))
        .exclude(defaults=1)
    )


def role_list_for(user, *, subject=None) -> QuerySet[RoleAssignment]:
    """Role rows the user may see: their own, and those in units they administer."""
    scope = access.scope_for(user, "user.manage")
    own = Q(user=user)
    condition = own | scope.q("unit") if not scope.empty else own
    roles = RoleAssignment.objects.filter(condition).select_related("unit", "user")
    if subject is not None:
        roles = roles.filter(user=subject)
    return roles.order_by("user__username", "unit__path")


def staff_of(units, roles) -> list:
    """The active users holding one of `roles` in `units`, each once, by name: the people a
    handler is assigned from or an access is given to (the services check the choice again)."""
    rows = (
        RoleAssignment.objects.filter(unit__in=[u.pk for u in units], role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    users: dict[int, object] = {}
    for row in rows:
        users.setdefault(row.user_id, row.user)
    return list(users.values())


def manageable_units(user, on: date) -> QuerySet[Unit]:
    """Units valid on `on` in which the user may manage units and users."""
    return access.visible(user, Unit, "unit.manage").filter(valid_on_q(on)).order_by("path")


def audit_event_list_for(
    user,
    *,
    actor_label: str = "",
    unit_paths: list[str] | tuple[str, ...] = (),
    record_type: str = "",
    record_id: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit events the user may read, narrowed by the filters; a unit includes those below it."""
    events = access.visible(user, AuditEvent, "audit.view")
    if actor_label:
        events = events.filter(actor_label__iexact=actor_label.strip())
    if unit_paths:
        within = Q(pk__in=[])
        for path in unit_paths:
            within |= subtree_q(path, "unit_path")
        events = events.filter(within)
    if record_type:
        events = events.filter(record_type=record_type)
    if record_id:
        events = events.filter(record_id=record_id.strip())
    if action:
        events = events.filter(action=action.strip())
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.select_related("actor").order_by("-at", "-id")


@dataclass
class CalendarYear:
    """A year of the working-day calendar: public holidays and the administrator's overrides."""

    year: int
    holidays: list[tuple[date, str]]
    overrides: list


def calendar_year(year: int) -> CalendarYear:
    from danvan.core.calendar import public_holiday_names
    from danvan.core.selectors import calendar_override_list

    return CalendarYear(
        year=year, holidays=public_holiday_names(year), overrides=list(calendar_override_list(year))
    )
