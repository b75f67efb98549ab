"""Every write to units, successions and roles. One function per intention, each a transaction
that checks permission and rule, writes, and records the audit event."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from danvan.core import audit
from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import CalendarOverride, CalendarOverrideKind
from danvan.core.text import fold, normalize

from . import access
from .frames import frame_mark_stale
from .models import (
    ALLOWED_PARENT_LEVELS,
    LEVEL_OF_KIND,
    Role,
    RoleAssignment,
    RoleScope,
    Succession,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitLevel,
    path_segment,
)

UNIT_AUDIT_FIELDS = ["code", "name", "short_name", "kind", "valid_from", "valid_to", "parent", "source"]


def _fmt(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "…"


def _get_unit(unit_id: int | None, field: str) -> Unit:
    try:
        if unit_id is None:
            raise Unit.DoesNotExist
        return Unit.objects.get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            "unit_not_found", _("The unit does not exist."), fields={field: _("The unit does not exist.")}
        ) from None


def assign_path(unit: Unit) -> None:
    """Set `path` and `depth` of a saved unit from its parent (which already has its path)."""
    parent_path = unit.parent.path if unit.parent is not None else ""
    unit.path = parent_path + path_segment(unit.pk)
    unit.depth = unit.path.count("/")


def validate_unit_placement(
    *, kind: str, parent: Unit | None, valid_from: date, valid_to: date | None
) -> None:
    """The rules of the tree: dates in order, the parent of the right level and alive throughout."""
    if kind not in UnitKind.values:
        raise DomainError(
            "unit_kind_unknown", _("Unknown kind of unit."), fields={"kind": _("Unknown kind of unit.")}
        )
    if valid_to is not None and valid_to < valid_from:
        message = _("The end of validity (%(to)s) is before its start (%(from)s).")
        raise DomainError(
            "unit_dates_reversed",
            message,
            fields={"valid_to": message % {"to": _fmt(valid_to), "from": _fmt(valid_from)}},
            to=_fmt(valid_to),
            **{"from": _fmt(valid_from)},
        )
    level = LEVEL_OF_KIND[kind]
    if parent is None:
        if level != UnitLevel.COUNTRY:
            raise DomainError(
                "unit_parent_required",
                _("Choose the unit this one belongs to."),
                fields={"parent": _("Choose the unit this one belongs to.")},
            )
        return
    if parent.level not in ALLOWED_PARENT_LEVELS[level]:
        message = _("A %(kind)s cannot be placed under a %(parent_kind)s.")
        params = {"kind": str(UnitKind(kind).label), "parent_kind": str(UnitKind(parent.kind).label)}
        raise DomainError("unit_parent_level", message, fields={"parent": message % params}, **params)
    ends_after_parent = parent.valid_to is not None and (valid_to is None or valid_to > parent.valid_to)
    if valid_from < parent.valid_from or ends_after_parent:
        message = _("%(parent)s was valid only from %(from)s to %(to)s; the new unit must fall within that.")
        params = {"parent": parent.name, "from": _fmt(parent.valid_from), "to": _fmt(parent.valid_to)}
        raise DomainError(
            "unit_outside_parent_validity", message, fields={"valid_from": message % params}, **params
        )


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent_id: int | None,
    valid_from: date,
    valid_to: date | None = None,
    short_name: str = "",
    source: str = "",
) -> Unit:
    """Add an area or agency, such as a historical unit the data sets do not hold."""
    code = normalize(code)
    name = normalize(name)
    if not code:
        raise DomainError(
            "unit_code_required", _("Enter the unit's code."), fields={"code": _("Enter the unit's code.")}
        )
    if not name:
        raise DomainError(
            "unit_name_required", _("Enter the unit's name."), fields={"name": _("Enter the unit's name.")}
        )
    parent = _get_unit(parent_id, "parent") if parent_id is not None else None
    if parent is not None:
        access.require(actor, "unit.manage", parent)
    elif actor is not None:
        raise PermissionDenied()
    validate_unit_placement(kind=kind, parent=parent, valid_from=valid_from, valid_to=valid_to)
    if Unit.objects.filter(code=code, valid_from=valid_from).exists():
        message = _("A unit with code %(code)s valid from %(from)s already exists.")
        params = {"code": code, "from": _fmt(valid_from)}
        raise DomainError("unit_exists", message, fields={"code": message % params}, **params)
    unit = Unit(
        code=code,
        name=name,
        short_name=normalize(short_name),
        name_folded=fold(name),
        kind=kind,
        level=LEVEL_OF_KIND[kind],
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        path="",
        depth=0,
    )
    unit.save()
    assign_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record(
        actor=actor, action="unit.create", obj=unit, unit=unit, after=audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    )
    frame_mark_stale()
    return unit


@transaction.atomic
def unit_update(
    *,
    actor,
    unit_id: int,
    version: int,
    name: str,
    short_name: str = "",
    valid_to: date | None,
) -> Unit:
    """Correct a unit's name or close its validity. Code, kind, parent and start stay: a change
    to those is a new unit with a succession."""
    unit = _get_unit(unit_id, "unit")
    access.require(actor, "unit.manage", unit)
    name = normalize(name)
    if not name:
        raise DomainError(
            "unit_name_required", _("Enter the unit's name."), fields={"name": _("Enter the unit's name.")}
        )
    validate_unit_placement(kind=unit.kind, parent=unit.parent, valid_from=unit.valid_from, valid_to=valid_to)
    if valid_to is not None and unit.children.filter(valid_from__gt=valid_to).exists():
        raise DomainError(
            "unit_children_outlive",
            _("Units below this one start after that date."),
            fields={"valid_to": _("Units below this one start after that date.")},
        )
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    updated = Unit.objects.filter(pk=unit.pk, version=version).update(
        name=name,
        short_name=normalize(short_name),
        name_folded=fold(name),
        valid_to=valid_to,
        version=version + 1,
    )
    if not updated:
        raise StaleEdit()
    unit.refresh_from_db()
    audit.record(
        actor=actor,
        action="unit.update",
        obj=unit,
        unit=unit,
        before=before,
        after=audit.snapshot(unit, UNIT_AUDIT_FIELDS),
    )
    frame_mark_stale()
    return unit


def _reaches(start: Unit, target: Unit) -> bool:
    """Does following successions forward from `start` reach `target`?"""
    frontier = {start.pk}
    seen: set[int] = set()
    while frontier:
        if target.pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(Succession.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True))
            - seen
        )
    return False


@transaction.atomic
def succession_create(
    *,
    actor,
    predecessor_id: int,
    successor_id: int,
    kind: str,
    effective_on: date,
    is_default: bool = False,
    note: str = "",
    source: str = "",
) -> Succession:
    """Record that a unit became (wholly or partly) another one on a date."""
    predecessor = _get_unit(predecessor_id, "predecessor")
    successor = _get_unit(successor_id, "successor")
    access.require(actor, "unit.manage", successor)
    access.require(actor, "unit.manage", predecessor)
    if kind not in SuccessionKind.values:
        raise DomainError(
            "succession_kind_unknown",
            _("Unknown kind of succession."),
            fields={"kind": _("Unknown kind of succession.")},
        )
    if predecessor.pk == successor.pk:
        raise DomainError(
            "succession_self",
            _("A unit cannot succeed itself."),
            fields={"successor": _("A unit cannot succeed itself.")},
        )
    if predecessor.is_area != successor.is_area:
        raise DomainError(
            "succession_mixed",
            _("An area can only be succeeded by an area, an agency by an agency."),
            fields={"successor": _("An area can only be succeeded by an area, an agency by an agency.")},
        )
    if predecessor.valid_to is None or predecessor.valid_to >= effective_on:
        message = _("%(unit)s must end before %(date)s: set its end of validity first.")
        params = {"unit": predecessor.name, "date": _fmt(effective_on)}
        raise DomainError(
            "succession_predecessor_alive", message, fields={"predecessor": message % params}, **params
        )
    if not successor.valid_on(effective_on):
        message = _("%(unit)s is not valid on %(date)s.")
        params = {"unit": successor.name, "date": _fmt(effective_on)}
        raise DomainError(
            "succession_successor_not_valid", message, fields={"successor": message % params}, **params
        )
    if _reaches(successor, predecessor):
        message = _("%(successor)s already comes before %(predecessor)s: this succession would make a cycle.")
        params = {"successor": successor.name, "predecessor": predecessor.name}
        raise DomainError("succession_cycle", message, fields={"successor": message % params}, **params)
    if Succession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise DomainError(
            "succession_exists",
            _("This succession is already recorded."),
            fields={"successor": _("This succession is already recorded.")},
        )
    others = Succession.objects.filter(predecessor=predecessor)
    if not others.exists():
        is_default = True  # a sole successor is the default one
    elif is_default and others.filter(is_default=True).exists():
        raise DomainError(
            "succession_default_exists",
            _("%(unit)s already has a default successor."),
            fields={"is_default": _("This unit already has a default successor.")},
            unit=predecessor.name,
        )
    succession = Succession.objects.create(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_on=effective_on,
        is_default=is_default,
        note=normalize(note),
        source=source,
    )
    audit.record(
        actor=actor,
        action="succession.create",
        obj=succession,
        unit=successor,
        after=audit.snapshot(succession),
    )
    frame_mark_stale()
    return succession


def _role_unit_for(unit_id: int, today: date) -> Unit:
    unit = _get_unit(unit_id, "unit")
    if not unit.valid_on(today):
        message = _("%(unit)s no longer exists (valid %(validity)s); choose a unit that exists today.")
        params = {"unit": unit.name, "validity": unit.validity_label}
        raise DomainError("role_unit_not_valid", message, fields={"unit": message % params}, **params)
    return unit


def _check_role(role: str, scope: str) -> None:
    if role not in Role.values:
        raise DomainError("role_unknown", _("Unknown role."), fields={"role": _("Unknown role.")})
    if scope not in RoleScope.values:
        raise DomainError("role_scope_unknown", _("Unknown scope."), fields={"scope": _("Unknown scope.")})


@transaction.atomic
def role_assign(*, actor, user_id: int, unit_id: int, role: str, scope: str, today: date) -> RoleAssignment:
    """Give a user a role in a unit that exists today."""
    _check_role(role, scope)
    unit = _role_unit_for(unit_id, today)
    access.require(actor, "user.manage", unit)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("user_not_found", _("The user does not exist."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"scope": scope}
    )
    if not created:
        if assignment.scope == scope:
            raise DomainError(
                "role_exists",
                _("This user already has this role in this unit."),
                fields={"role": _("This user already has this role in this unit.")},
            )
        before = audit.snapshot(assignment)
        assignment.scope = scope
        assignment.save(update_fields=["scope"])
        audit.record(
            actor=actor,
            action="role.update",
            obj=assignment,
            unit=unit,
            before=before,
            after=audit.snapshot(assignment),
        )
        return assignment
    audit.record(
        actor=actor, action="role.assign", obj=assignment, unit=unit, after=audit.snapshot(assignment)
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment_id: int) -> None:
    assignment = RoleAssignment.objects.select_related("unit", "user").filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound()
    access.require(actor, "user.manage", assignment.unit)
    if assignment.user_id == getattr(actor, "pk", None) and assignment.role == Role.ADMINISTRATOR:
        raise DomainError("role_revoke_self", _("You cannot remove your own administrator role."))
    if not RoleAssignment.objects.filter(user_id=assignment.user_id).exclude(pk=assignment.pk).exists():
        raise DomainError("role_last", _("A user must keep at least one role; deactivate the user instead."))
    before = audit.snapshot(assignment)
    audit.record(actor=actor, action="role.revoke", obj=assignment, unit=assignment.unit, before=before)
    assignment.delete()


USER_AUDIT_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "language"]


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: str,
    unit_id: int | None,
    scope: str,
    today: date,
    language: str = "vi",
):
    """Create a user together with their first role: a user without a role could see nothing."""
    User = get_user_model()
    username = normalize(username)
    full_name = normalize(full_name)
    if not username:
        raise DomainError(
            "user_username_required", _("Enter a user name."), fields={"username": _("Enter a user name.")}
        )
    if unit_id is None or not role:
        raise DomainError(
            "user_role_required",
            _("A user needs a role in a unit; choose both."),
            fields={"unit": _("A user needs a role in a unit; choose both.")},
        )
    _check_role(role, scope)
    unit = _role_unit_for(unit_id, today)
    if actor is not None:
        access.require(actor, "user.manage", unit)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            "user_exists",
            _("The user name %(username)s is taken."),
            fields={"username": _("This user name is taken.")},
            username=username,
        )
    first, _sep, last = full_name.rpartition(" ")
    user = User(
        username=username,
        first_name=first,
        last_name=last or full_name,
        email=normalize(email),
        language=language if language in ("vi", "en") else "vi",
        full_name_folded=fold(full_name),
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "user_password_weak", _("The password is too weak."), fields={"password": list(exc.messages)}
        ) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(
            "user_exists",
            _("The user name %(username)s is taken."),
            fields={"username": _("This user name is taken.")},
            username=username,
        ) from None
    assignment = RoleAssignment.objects.create(user=user, unit=unit, role=role, scope=scope)
    audit.record(
        actor=actor, action="user.create", obj=user, unit=unit, after=audit.snapshot(user, USER_AUDIT_FIELDS)
    )
    audit.record(
        actor=actor, action="role.assign", obj=assignment, unit=unit, after=audit.snapshot(assignment)
    )
    return user


def _require_national(actor, action: str) -> None:
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None or not access.can(actor, action, root):
        raise PermissionDenied()


@transaction.atomic
def calendar_override_set(*, actor, day: date, kind: str, note: str = "") -> CalendarOverride:
    """Declare a day off the government added, or a weekend day it made a working day.

    The calendar is national, so only an administrator of the whole tree may change it.
    """
    _require_national(actor, "calendar.manage")
    if kind not in CalendarOverrideKind.values:
        raise DomainError(
            "calendar_kind_unknown", _("Unknown kind of day."), fields={"kind": _("Unknown kind of day.")}
        )
    existing = CalendarOverride.objects.filter(day=day).first()
    before = audit.snapshot(existing) if existing else None
    override, _created = CalendarOverride.objects.update_or_create(
        day=day, defaults={"kind": kind, "note": normalize(note)}
    )
    audit.record(
        actor=actor, action="calendar.override", obj=override, before=before, after=audit.snapshot(override)
    )
    return override


@transaction.atomic
def calendar_override_remove(*, actor, day: date) -> None:
    _require_national(actor, "calendar.manage")
    override = CalendarOverride.objects.filter(day=day).first()
    if override is None:
        raise NotFound()
    audit.record(
        actor=actor, action="calendar.override_remove", obj=override, before=audit.snapshot(override)
    )
    override.delete()
