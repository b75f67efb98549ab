"""The one access layer: what a user may see and do, from their role rows alone.

A role in a unit reaches that unit; with scope `subtree`, every unit below it too. A unit's
predecessors (the units merged, split or renamed into it) come with it, so today's ward holds
the archive of the communes it replaced. Everything else is out of reach and is reported as
"not found", exactly like a missing record. An unknown scope yields nothing, never everything.

Every selector starts from `visible(user, Model)`; every service asks `can(user, action, obj)`.
Record models say where their unit is with `SCOPE_UNIT_FIELD` (default "unit").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from danvan.core.errors import NotFound, PermissionDenied

from .models import Role, RoleAssignment, RoleScope, Succession, Unit, subtree_q

R = Role
# Which role may do what. The permission map of pages and API routes names these actions.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    R.CLERK: frozenset({"unit.view", "record.view", "report.view", "petition.intake", "reception.record"}),
    R.HANDLER: frozenset(
        {"unit.view", "record.view", "report.view", "petition.intake", "petition.handle", "reception.record"}
    ),
    R.LEADER: frozenset(
        {
            "unit.view",
            "record.view",
            "report.view",
            "petition.intake",
            "petition.handle",
            "petition.decide",
            "reception.record",
            "reception.manage",
            "outreach.record",
            "practice.manage",
            "practice.recognise",
            "emulation.manage",
            "emulation.decide",
            "report.totals",
        }
    ),
    # The mass mobilization committee records the outreach work, keeps the models and their
    # reviews (it is the standing body of the steering committee that recognises them) and
    # prepares commendations; the decision on a commendation is the leader's.
    R.COMMITTEE_MEMBER: frozenset(
        {
            "unit.view",
            "record.view",
            "report.view",
            "outreach.record",
            "practice.manage",
            "practice.recognise",
            "emulation.manage",
            "report.totals",
        }
    ),
    R.ADMINISTRATOR: frozenset(
        {"unit.view", "record.view", "report.view", "unit.manage", "user.manage", "calendar.manage"}
    ),
    R.AUDITOR: frozenset({"unit.view", "record.view", "report.view", "audit.view"}),
}
ALL_ACTIONS = frozenset().union(*ROLE_ACTIONS.values())
# Reference data every user with a role may read: the unit tree is needed to pick addresses
# and units anywhere in the country. Records are never in this set.
REFERENCE_ACTIONS = frozenset({"unit.view"})


@dataclass(frozen=True)
class Scope:
    """The units an action reaches: whole subtrees (path prefixes) and single units."""

    prefixes: tuple[str, ...] = ()
    unit_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.prefixes and not self.unit_ids

    def covers(self, unit: Unit) -> bool:
        return unit.pk in self.unit_ids or any(unit.path.startswith(p) for p in self.prefixes)

    def q(self, unit_field: str = "unit") -> Q:
        """A filter on a model whose unit is reached through `unit_field` ("" for Unit itself)."""
        path = f"{unit_field}__path" if unit_field else "path"
        pk = f"{unit_field}_id" if unit_field else "pk"
        if self.empty:
            return Q(pk__in=[])
        condition = Q(**{f"{pk}__in": sorted(self.unit_ids)}) if self.unit_ids else Q(pk__in=[])
        for prefix in self.prefixes:
            condition |= subtree_q(prefix, path)
        return condition


def _minimal(prefixes: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one."""
    kept: list[str] = []
    for prefix in sorted(prefixes, key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return tuple(sorted(kept))


def _with_predecessors(prefixes: set[str], unit_ids: set[int]) -> Scope:
    """Add, to a fixed point, every predecessor of a unit in scope (with its subtree if the
    successor came in as a subtree). One query per generation of history, not per unit."""
    prefixes = set(_minimal(prefixes))
    unit_ids = set(unit_ids)
    seen_ids: set[int] = set()
    while True:
        scope = Scope(tuple(prefixes), frozenset(unit_ids))
        rows = (
            Succession.objects.filter(scope.q("successor"))
            .exclude(predecessor_id__in=seen_ids)
            .values_list("predecessor_id", "predecessor__path", "successor_id", "successor__path")
        )
        added = False
        for pred_id, pred_path, succ_id, succ_path in rows:
            seen_ids.add(pred_id)
            in_subtree = any(succ_path.startswith(p) for p in prefixes)
            if in_subtree:
                if not any(pred_path.startswith(p) for p in prefixes):
                    prefixes.add(pred_path)
                    added = True
            elif succ_id in unit_ids and pred_id not in unit_ids:
                unit_ids.add(pred_id)
                added = True
        if not added:
            final_prefixes = _minimal(prefixes)
            return Scope(final_prefixes, frozenset(unit_ids))
        prefixes = set(_minimal(prefixes))


def roles_of(user) -> list[RoleAssignment]:
    """The user's roles (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_danvan_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        user._danvan_roles = cached
    return cached


def scope_for(user, action: str) -> Scope:
    """The units where `user` may do `action`."""
    if action not in ALL_ACTIONS:
        return Scope()
    cache: dict[str, Scope] = getattr(user, "_danvan_scopes", None) or {}
    if action in cache:
        return cache[action]
    prefixes: set[str] = set()
    unit_ids: set[int] = set()
    for assignment in roles_of(user):
        if action not in ROLE_ACTIONS.get(assignment.role, frozenset()):
            continue
        if assignment.scope == RoleScope.SUBTREE:
            prefixes.add(assignment.unit.path)
        elif assignment.scope == RoleScope.UNIT:
            unit_ids.add(assignment.unit_id)
    if prefixes or unit_ids:
        # Actions that come from the same roles reach the same units: the history is read once.
        closures: dict = getattr(user, "_danvan_closures", None) or {}
        key = (frozenset(prefixes), frozenset(unit_ids))
        if key not in closures:
            closures[key] = _with_predecessors(prefixes, unit_ids)
            if getattr(user, "is_authenticated", False):
                user._danvan_closures = closures
        scope = closures[key]
    else:
        scope = Scope()
    cache[action] = scope
    if getattr(user, "is_authenticated", False):
        user._danvan_scopes = cache
    return scope


def has_any_role(user) -> bool:
    return bool(roles_of(user))


def allowed_actions(user) -> frozenset[str]:
    """Every action the user may do somewhere: the navigation shows only these."""
    actions: set[str] = set()
    for assignment in roles_of(user):
        actions |= ROLE_ACTIONS.get(assignment.role, frozenset())
    return frozenset(actions)


def visible(user, model: type[Model], action: str = "record.view") -> QuerySet:
    """The rows of `model` that `user` may see.

    Units are reference data: anyone holding a role may read the tree. Every other model is
    filtered by the unit the row belongs to.
    """
    manager = model._default_manager
    if model is Unit:
        if action in REFERENCE_ACTIONS:
            return manager.all() if has_any_role(user) else manager.none()
        scope = scope_for(user, action)
        return manager.filter(scope.q("")) if not scope.empty else manager.none()
    scope = scope_for(user, action)
    if scope.empty:
        return manager.none()
    unit_field = getattr(model, "SCOPE_UNIT_FIELD", "unit")
    path_field = getattr(model, "SCOPE_PATH_FIELD", None)
    if path_field:
        condition = Q(pk__in=[])
        for prefix in scope.prefixes:
            condition |= subtree_q(prefix, path_field)
        if scope.unit_ids:
            id_field = getattr(model, "SCOPE_UNIT_ID_FIELD", f"{unit_field}_id")
            condition |= Q(**{f"{id_field}__in": sorted(scope.unit_ids)})
        if getattr(model, "SCOPE_UNITLESS_TO_ROOT", False) and any(p.count("/") == 1 for p in scope.prefixes):
            # Rows tied to no unit (a user's own settings) are for those who hold the whole tree.
            condition |= Q(**{path_field: ""})
        return manager.filter(condition)
    return manager.filter(scope.q(unit_field))


def unit_of(obj) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    unit_field = getattr(type(obj), "SCOPE_UNIT_FIELD", "unit")
    return getattr(obj, unit_field, None)


def can(user, action: str, obj) -> bool:
    """May `user` do `action` on `obj` (a Unit or a record with a unit)?"""
    unit = unit_of(obj)
    if unit is None:
        return False
    if action in REFERENCE_ACTIONS and isinstance(obj, Unit):
        return has_any_role(user)
    return scope_for(user, action).covers(unit)


def require(user, action: str, obj) -> None:
    """Raise NotFound when `obj` is out of sight, PermissionDenied when only the action is."""
    if not can(user, action, obj):
        if isinstance(obj, Unit) and has_any_role(user):
            raise PermissionDenied()
        if not can(user, "record.view", obj):
            raise NotFound()
        raise PermissionDenied()


def require_anywhere(user, action: str) -> None:
    """Raise PermissionDenied unless `user` may do `action` in at least one unit."""
    if action not in allowed_actions(user):
        raise PermissionDenied()


def operator_user():
    """The server's operator on the command line (`danvan report`): reads every unit's records,
    as an auditor of every root of the tree would, and can change nothing. Not a stored account;
    the audit trail names no user for what it does."""
    from django.contrib.auth import get_user_model

    operator = get_user_model()(username="operator", is_active=True)
    roles = [
        RoleAssignment(user=operator, unit=root, role=Role.AUDITOR, scope=RoleScope.SUBTREE)
        for root in Unit.objects.filter(parent__isnull=True)
    ]
    setattr(operator, "_danvan_roles", roles)  # noqa: B010 - the cache `roles_of` reads
    return operator
