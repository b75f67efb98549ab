"""The units router: the tree as of a date, one unit with its history, a unit by code."""

from datetime import date

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors
from .presenters import unit_data, unit_view_data
from .schemas import MeOut, UnitDetailOut, UnitOut

router = Router(tags=["units"])


class UnitFilter(Schema):
    on: date | None = None
    parent: int | None = None
    roots: bool = False
    q: str = ""
    level: str = ""


@router.get("", response=list[UnitOut], url_name="unit_list")
@paginate(LimitOffsetPagination)
def unit_list(request, filters: Query[UnitFilter]):
    """Units valid on `on` (default: today), under `parent`, matching `q` (case and accents ignored)."""
    units = selectors.unit_list_for(
        request.auth,
        on=filters.on or timezone.localdate(),
        parent_id=filters.parent,
        query=filters.q,
        level=filters.level,
        roots=filters.roots,
    )
    return units.order_by("path")


@router.get("/by-code/{code}", response=UnitDetailOut, url_name="unit_by_code")
def unit_by_code(request, code: str, on: date | None = None):
    """The unit with this official code as of `on`, with ancestors, children and successions."""
    day = on or timezone.localdate()
    unit = selectors.unit_resolve(request.auth, code, day)
    return unit_view_data(selectors.unit_view_on(unit, day))


@router.get("/{unit_id}", response=UnitDetailOut, url_name="unit_detail")
def unit_detail(request, unit_id: int, on: date | None = None):
    unit = selectors.unit_get_for(request.auth, unit_id)
    return unit_view_data(selectors.unit_view_on(unit, on or timezone.localdate()))


me_router = Router(tags=["me"])


@me_router.get("/me", response=MeOut, url_name="me")
def me(request):
    """The signed-in user and their roles."""
    user = request.auth
    roles = selectors.role_list_for(user, subject=user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "language": user.language,
        "roles": [{"id": r.pk, "role": r.role, "scope": r.scope, "unit": unit_data(r.unit)} for r in roles],
    }
