"""What every page's shell needs: navigation allowed to the user, roles, current unit, languages."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from danvan.units import access

CURRENT_UNIT_SESSION_KEY = "danvan.current_unit"


def role_units(user) -> list:
    """The distinct units the user holds a role in, in tree order."""
    seen: dict[int, object] = {}
    for assignment in access.roles_of(user):
        seen.setdefault(assignment.unit_id, assignment.unit)
    return sorted(seen.values(), key=lambda unit: unit.path)


def current_unit(request):
    """The unit the user works in now: the one chosen in the session if it is still one of theirs,
    else the first of their role units."""
    units = role_units(request.user)
    if not units:
        return None
    chosen = request.session.get(CURRENT_UNIT_SESSION_KEY) if hasattr(request, "session") else None
    for unit in units:
        if unit.pk == chosen:
            return unit
    return units[0]


def _can_import(actions) -> bool:
    """Whether the user holds the action that imports some record type."""
    from danvan.core.records import registry

    return any(record_type.action in actions for record_type in registry().values())


def shell(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {
        # Each language in its own name, as a language switch should show it.
        "languages": [
            (code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ],
        "current_language": language,
        "nav": {},
        "shell_roles": [],
        "shell_role_units": [],
        "shell_current_unit": None,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    actions = access.allowed_actions(user)
    units = role_units(user)
    context.update(
        nav={
            "units": "unit.view" in actions,
            "petitions": "record.view" in actions,
            "reception": "record.view" in actions,
            "reception_desk": "reception.record" in actions,
            "reception_manage": "reception.manage" in actions,
            "outreach": "record.view" in actions,
            "practices": "record.view" in actions,
            "emulation": "record.view" in actions,
            "reports": "report.view" in actions,
            "users": "user.manage" in actions,
            "audit": "audit.view" in actions,
            "imports": _can_import(actions),
        },
        shell_roles=access.roles_of(user),
        shell_role_units=units,
        shell_current_unit=current_unit(request),
    )
    return context
