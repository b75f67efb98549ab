"""Pages of units, successions, users and roles. Thin: parse, call one service or selector, render.

DomainErrors go through `danvan.core.views.form_domain_error` (onto the form) or `page`
(a 403/404/error page), never up as a 500.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core.errors import DomainError, NotFound
from danvan.core.forms import DayField
from danvan.core.views import error_page, form_domain_error, page

from . import access, selectors, services
from .forms import (
    MAX_UNIT_OPTIONS,
    CalendarOverrideForm,
    RoleAssignForm,
    SuccessionForm,
    TreeFilterForm,
    UnitCreateForm,
    UnitEditForm,
    UserCreateForm,
)

SEARCH_LIMIT = 200
USERS_PAGE_SIZE = 100


def _day(request) -> tuple[date, str]:
    """The `on` date of the query string (dd/mm/yyyy or yyyy-mm-dd), today if empty or wrong."""
    raw = request.GET.get("on", "").strip()
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        return DayField(required=False).clean(raw) or today, ""
    except forms.ValidationError:
        return today, _("The date %(value)s is not valid; showing today.") % {"value": raw}


def _unit_options(user, day: date, extra=None) -> tuple[list, bool]:
    """Units the user may manage on `day`, capped for a select; `extra` is always included."""
    units = list(selectors.manageable_units(user, day)[: MAX_UNIT_OPTIONS + 1])
    truncated = len(units) > MAX_UNIT_OPTIONS
    units = units[:MAX_UNIT_OPTIONS]
    if extra is not None and all(u.pk != extra.pk for u in units):
        units.insert(0, extra)
    return units, truncated


def _picked_unit(request, form, name: str, on: date, action: str) -> int | None:
    """The unit chosen in `name`, or typed in `name_code` (the unit with that code valid on `on`)."""
    code = (form.cleaned_data.get(f"{name}_code") or "").strip()
    if not code:
        return form.cleaned_data.get(name)
    unit = selectors.unit_resolve(request.user, code, on)
    if not access.can(request.user, action, unit):
        message = _("You cannot do this in %(unit)s.") % {"unit": unit.name}
        raise DomainError("unit_out_of_scope", message, fields={f"{name}_code": message})
    return unit.pk


# --- The tree and a unit ----------------------------------------------------------------------


@page("unit.view")
@require_GET
def tree(request):
    on, date_error = _day(request)
    form = TreeFilterForm(request.GET or None, initial={"on": on})
    query, level = "", ""
    if form.is_bound and form.is_valid():
        query, level = form.cleaned_data["q"].strip(), form.cleaned_data["level"]
    searching = bool(query or level)
    if searching:
        units = list(
            selectors.unit_list_for(request.user, on=on, query=query, level=level).order_by("path")[
                : SEARCH_LIMIT + 1
            ]
        )
    else:
        units = list(selectors.unit_list_for(request.user, on=on, roots=True).order_by("name"))
    context = {
        "form": form,
        "on": on,
        "date_error": date_error,
        "searching": searching,
        "units": units[:SEARCH_LIMIT],
        "truncated": len(units) > SEARCH_LIMIT,
    }
    return render(request, "units/tree.html", context)


@page("unit.view")
@require_GET
def children(request, unit_id: int):
    """The children of a unit valid on the day: a fragment for htmx, the unit's page otherwise."""
    on, _error = _day(request)
    unit = selectors.unit_get_for(request.user, unit_id)
    if not request.htmx:
        return redirect(f"{reverse('units:detail', args=[unit.pk])}?on={on:%d/%m/%Y}")
    units = selectors.unit_children_on(unit, on)
    return render(request, "units/_nodes.html", {"units": units, "on": on, "parent": unit})


@page("unit.view")
@require_GET
def detail(request, unit_id: int):
    on, date_error = _day(request)
    unit = selectors.unit_get_for(request.user, unit_id)
    view = selectors.unit_view_on(unit, on)
    context = {
        "view": view,
        "unit": unit,
        "on": on,
        "date_error": date_error,
        "can_manage": access.can(request.user, "unit.manage", unit),
    }
    return render(request, "units/detail.html", context)


# --- Writing units and successions ------------------------------------------------------------


@page("unit.manage")
@require_http_methods(["GET", "POST"])
def create(request):
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    group = source.get("group", "") if source.get("group", "") in ("area", "agency") else ""
    parent = None
    if request.method == "GET" and request.GET.get("parent", "").isdigit():
        parent = selectors.unit_get_for(request.user, int(request.GET["parent"]))
    if request.method == "POST":
        form = UnitCreateForm(request.POST, group=group)
        if form.is_valid():
            data = form.cleaned_data
            try:
                parent_id = _picked_unit(request, form, "parent", data["valid_from"], "unit.manage")
                unit = services.unit_create(
                    actor=request.user,
                    code=data["code"],
                    name=data["name"],
                    short_name=data["short_name"],
                    kind=data["kind"],
                    parent_id=parent_id,
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
            except DomainError as exc:
                form_domain_error(
                    form,
                    exc,
                    {"code": "parent_code", "on": "parent_code"}
                    if (data.get("parent_code") or "").strip()
                    else None,
                )
            else:
                messages.success(request, _("The unit %(name)s is added.") % {"name": unit.name})
                return redirect(f"{reverse('units:detail', args=[unit.pk])}?on={unit.valid_from:%d/%m/%Y}")
        if request.POST.get("parent", "").isdigit():
            # Keep a chosen parent that is not in the list of today's units (a historical one).
            try:
                parent = selectors.unit_get_for(request.user, int(request.POST["parent"]))
            except DomainError:
                parent = None
    else:
        initial = {"group": group, "valid_from": today}
        if parent is not None:
            initial["parent"] = parent.pk
        form = UnitCreateForm(initial=initial, group=group)
    units, truncated = _unit_options(request.user, today, extra=parent)
    form.set_unit_choices("parent", units, truncated=truncated)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "units/unit_form.html", {"form": form, "parent": parent, "group": group}, status=status
    )


@page("unit.manage")
@require_http_methods(["GET", "POST"])
def edit(request, unit_id: int):
    unit = selectors.unit_get_for(request.user, unit_id)
    access.require(request.user, "unit.manage", unit)
    if request.method == "POST":
        form = UnitEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = services.unit_update(
                    actor=request.user,
                    unit_id=unit.pk,
                    version=data["version"],
                    name=data["name"],
                    short_name=data["short_name"],
                    valid_to=data["valid_to"],
                )
            except DomainError as exc:
                form_domain_error(form, exc)
            else:
                messages.success(request, _("The changes to %(name)s are saved.") % {"name": unit.name})
                return redirect("units:detail", unit.pk)
    else:
        form = UnitEditForm(
            initial={
                "name": unit.name,
                "short_name": unit.short_name,
                "valid_to": unit.valid_to,
                "version": unit.version,
            }
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "units/unit_edit.html", {"form": form, "unit": unit}, status=status)


@page("unit.manage")
@require_http_methods(["GET", "POST"])
def succession_create(request, unit_id: int):
    predecessor = selectors.unit_get_for(request.user, unit_id)
    access.require(request.user, "unit.manage", predecessor)
    if request.method == "POST":
        form = SuccessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            code = (data["successor_code"] or "").strip()
            try:
                if code:
                    successor_id = selectors.unit_resolve(
                        request.user, code, data["successor_on"] or data["effective_on"]
                    ).pk
                elif data["successor"]:
                    successor_id = data["successor"]
                else:
                    message = _("Choose the successor: type its code, or its id.")
                    raise DomainError("successor_required", message, fields={"successor_code": message})
                services.succession_create(
                    actor=request.user,
                    predecessor_id=predecessor.pk,
                    successor_id=successor_id,
                    kind=data["kind"],
                    effective_on=data["effective_on"],
                    is_default=data["is_default"],
                    note=data["note"],
                )
            except DomainError as exc:
                field_map = {"code": "successor_code", "on": "successor_on", "predecessor": "effective_on"}
                if not code:
                    field_map["successor"] = "successor"
                else:
                    field_map["successor"] = "successor_code"
                form_domain_error(form, exc, field_map)
            else:
                messages.success(request, _("The succession is recorded."))
                return redirect("units:detail", predecessor.pk)
    else:
        form = SuccessionForm(initial={"effective_on": predecessor.valid_to})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "units/succession_form.html", {"form": form, "unit": predecessor}, status=status)


# --- Users and roles --------------------------------------------------------------------------


@page("user.manage")
@require_GET
def user_list(request):
    roles = selectors.role_list_for(request.user)
    page_obj = Paginator(roles, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/user_list.html", {"page_obj": page_obj})


@page("user.manage")
@require_http_methods(["GET", "POST"])
def user_create(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit_id = _picked_unit(request, form, "unit", today, "user.manage")
                user = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    password=data["password"],
                    role=data["role"],
                    unit_id=unit_id,
                    scope=data["scope"],
                    today=today,
                    language=data["language"],
                )
            except DomainError as exc:
                form_domain_error(form, exc, {"code": "unit_code", "on": "unit_code"})
            else:
                messages.success(
                    request, _("The user %(username)s is created.") % {"username": user.get_username()}
                )
                return redirect("units:user_list")
    else:
        form = UserCreateForm()
    units, truncated = _unit_options(request.user, today)
    form.set_unit_choices("unit", units, truncated=truncated)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "units/user_form.html", {"form": form}, status=status)


@page("user.manage")
@require_http_methods(["GET", "POST"])
def role_assign(request, user_id: int):
    today = timezone.localdate()
    current = list(selectors.role_list_for(request.user, subject=user_id))
    if not current:
        return error_page(request, NotFound())
    subject = current[0].user
    if request.method == "POST":
        form = RoleAssignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit_id = _picked_unit(request, form, "unit", today, "user.manage")
                if unit_id is None:
                    message = _("Choose the unit of the role.")
                    raise DomainError("role_unit_required", message, fields={"unit": message})
                services.role_assign(
                    actor=request.user,
                    user_id=subject.pk,
                    unit_id=unit_id,
                    role=data["role"],
                    scope=data["scope"],
                    today=today,
                )
            except DomainError as exc:
                form_domain_error(form, exc, {"code": "unit_code", "on": "unit_code"})
            else:
                messages.success(
                    request, _("The role is given to %(username)s.") % {"username": subject.get_username()}
                )
                return redirect("units:user_list")
    else:
        form = RoleAssignForm()
    units, truncated = _unit_options(request.user, today)
    form.set_unit_choices("unit", units, truncated=truncated)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "subject": subject, "roles": current}
    return render(request, "units/role_form.html", context, status=status)


@page("user.manage")
@require_POST
def role_revoke(request, assignment_id: int):
    try:
        services.role_revoke(actor=request.user, assignment_id=assignment_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role is removed."))
    return redirect("units:user_list")


# --- The working-day calendar -----------------------------------------------------------------


def _year(request) -> int:
    try:
        return min(max(int(request.GET.get("year", "")), 1990), 2100)
    except ValueError:
        return timezone.localdate().year


@page("unit.view")
@require_http_methods(["GET", "POST"])
def calendar(request):
    """Public holidays of a year, and the days the government swapped; national administrators
    add and remove the swapped days."""
    year = _year(request)
    can_manage = "calendar.manage" in access.allowed_actions(request.user)
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            override = services.calendar_override_set(
                actor=request.user, day=data["day"], kind=data["kind"], note=data["note"]
            )
        except DomainError as exc:
            form_domain_error(form, exc, {})
        else:
            messages.success(request, _("%(day)s is recorded.") % {"day": f"{override.day:%d/%m/%Y}"})
            return redirect(f"{reverse('units:calendar')}?year={override.day.year}")
    context = {
        "form": form,
        "data": selectors.calendar_year(year),
        "can_manage": can_manage,
        "previous": year - 1,
        "next": year + 1,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "units/calendar.html", context, status=status)


@page("calendar.manage")
@require_POST
def calendar_remove(request, day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise NotFound() from None
    services.calendar_override_remove(actor=request.user, day=parsed)
    messages.success(request, _("%(day)s is removed.") % {"day": f"{parsed:%d/%m/%Y}"})
    return redirect(f"{reverse('units:calendar')}?year={parsed.year}")
