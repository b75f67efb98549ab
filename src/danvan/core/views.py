"""Pages of the shell: home, sign-in and its second step, language and unit switches, profile,
API tokens, two-factor sign-in, audit trail.

Views are thin: parse the form, call one service or selector, render. `page` and
`form_domain_error` are the one place where a DomainError becomes a response: on the form
when it names fields (or is a rule the user can fix), a 404 page when the record is not found
(or out of reach, the same thing), a 403 page when only the action is refused.
"""

from __future__ import annotations

import base64
from functools import wraps

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core import selectors as core_selectors
from danvan.core import services as core_services
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.units import access
from danvan.units import selectors as units_selectors
from danvan.units.models import Unit

from .context_processors import CURRENT_UNIT_SESSION_KEY, role_units
from .forms import (
    AuditFilterForm,
    CurrentUnitForm,
    LanguageForm,
    RecoveryCodeForm,
    RecoveryCodesRegenerateForm,
    TokenCreateForm,
    TwoFactorCodeForm,
    TwoFactorDisableForm,
    TwoFactorResetForm,
    TwoFactorSetupForm,
)

AUDIT_PAGE_SIZE = 50


# --- DomainError -> response ------------------------------------------------------------------


def raise_for_http(exc: DomainError) -> None:
    """NotFound becomes a 404 page, PermissionDenied a 403 page; anything else returns."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, PermissionDenied):
        raise HttpPermissionDenied(exc.message) from exc


def form_domain_error(form: forms.Form, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: each of its fields beside the field, its message in
    the error summary. A NotFound or PermissionDenied that names no field of the form is not
    something the user can fix on this form: it becomes the 404 or 403 page."""
    field_map = field_map or {}
    placed: set[str] = set()
    for name, texts in exc.field_messages().items():
        target = field_map.get(name, name)
        if target in form.fields:
            for text in texts:
                form.add_error(target, text)
                placed.add(text)
    if not placed:
        raise_for_http(exc)
    if exc.message not in placed:
        form.add_error(None, exc.message)


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A refusal outside any form (for example a POST button): the message on its own page."""
    raise_for_http(exc)
    status = exc.status if 400 <= exc.status < 500 else 400
    return render(request, "core/error.html", {"message": exc.message, "code": exc.code}, status=status)


def page(action: str | None = None):
    """Sign-in required; with `action`, the user must be allowed it in at least one unit.
    A DomainError escaping the view never becomes a 500."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if action:
                    access.require_anywhere(request.user, action)
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return error_page(request, exc)

        return login_required(wrapped)

    return decorator


def safe_next(request: HttpRequest, candidate: str | None, default: str = "core:home") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


# --- Sign-in ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "core/logged_out.html"


# --- Shell ------------------------------------------------------------------------------------


@page()
@require_GET
def home(request):
    return render(request, "core/home.html", {"roles": access.roles_of(request.user)})


@require_POST
def set_language(request):
    """Switch the interface language: remembered on the account (any device) and in a cookie
    (this browser, also before signing in)."""
    form = LanguageForm(request.POST)
    target = safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        return redirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        try:
            core_services.user_set_language(actor=request.user, language=language)
        except DomainError as exc:
            return error_page(request, exc)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@page()
@require_POST
def set_current_unit(request):
    """Choose which of the user's role units the pages start from (kept in the session)."""
    form = CurrentUnitForm(request.POST)
    target = safe_next(request, request.POST.get("next"))
    if form.is_valid():
        wanted = form.cleaned_data["unit"]
        if any(unit.pk == wanted for unit in role_units(request.user)):
            request.session[CURRENT_UNIT_SESSION_KEY] = wanted
        else:
            messages.error(request, _("You hold no role in that unit."))
    return redirect(target)


# --- Profile and API tokens -------------------------------------------------------------------


def _profile(
    request,
    token_form: TokenCreateForm | None = None,
    status: int = 200,
    two_factor_form: TwoFactorDisableForm | None = None,
    recovery_form: RecoveryCodesRegenerateForm | None = None,
) -> HttpResponse:
    context = {
        "roles": access.roles_of(request.user),
        "tokens": core_selectors.api_token_list_for(request.user),
        "token_form": token_form or TokenCreateForm(),
        "two_factor_on": core_services.two_factor_device_for(request.user) is not None,
        "two_factor_locked": core_services.two_factor_must_enrol(request.user),
        "two_factor_form": two_factor_form or TwoFactorDisableForm(),
        "recovery_codes_left": core_services.recovery_codes_left(request.user),
        "recovery_form": recovery_form or RecoveryCodesRegenerateForm(),
    }
    return render(request, "core/profile.html", context, status=status)


@page()
@require_GET
def profile(request):
    return _profile(request)


@never_cache
@page()
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, secret = core_services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            # Rendered, not redirected: the secret must exist nowhere but in this one response.
            response = render(request, "core/token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return _profile(request, form, status=400)


@page()
@require_POST
def token_revoke(request, token_id: int):
    token = core_services.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("core:profile")


# --- Two-factor sign-in (ADR 0009) -------------------------------------------------------------


def _sign_in_verified(request, device) -> None:
    """Mark the session as verified by `device`, under a new session key (no fixation)."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _recovery_codes_page(request, codes: list[str], *, target: str, new: bool) -> HttpResponse:
    """The recovery codes, shown once: rendered in the response to the POST that made them, never
    stored anywhere the user could open them again, and never cached."""
    context = {"codes": codes, "target": target, "new": new}
    response = render(request, "core/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@page()
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The second step of signing in: the code from the user's authenticator app, or one of their
    recovery codes (the app's code field takes both; a second form is there for phones, whose
    number keypad the first one opens)."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if core_services.two_factor_pending(request.user) != "verify":
        return redirect(target)
    with_recovery = request.method == "POST" and "recovery_code" in request.POST
    form = TwoFactorCodeForm(None if with_recovery else (request.POST or None), initial={"next": target})
    recovery_form = RecoveryCodeForm(request.POST if with_recovery else None, initial={"next": target})
    bound = recovery_form if with_recovery else form
    if bound.is_bound and bound.is_valid():
        code = bound.cleaned_data["recovery_code" if with_recovery else "code"]
        try:
            device, left = core_services.two_factor_verify(user=request.user, code=code)
        except DomainError as exc:
            form_domain_error(bound, exc, field_map={"code": "recovery_code"} if with_recovery else None)
        else:
            _sign_in_verified(request, device)
            if left is not None:
                messages.warning(request, core_services.recovery_codes_message(left))
            return redirect(target)
    status = 400 if bound.is_bound else 200
    context = {"form": form, "recovery_form": recovery_form, "with_recovery": with_recovery}
    return render(request, "core/two_factor.html", context, status=status)


def _qr_svg(device) -> str:
    """The otpauth:// address as an inline SVG QR code. segno writes presentation attributes
    only (no style attribute), so the strict Content-Security-Policy allows it."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None, omitsize=False
    )


def _base32_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@page()
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if core_services.two_factor_device_for(request.user) is not None:
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("core:profile")
    form = TwoFactorSetupForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            device, codes = core_services.two_factor_enable(
                actor=request.user, device_id=form.cleaned_data["device_id"], code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            _sign_in_verified(request, device)
            messages.success(
                request,
                _(
                    "Two-factor sign-in is on. From now on you will type a code from your app "
                    "after your password."
                ),
            )
            # Rendered, not redirected: the codes must exist nowhere but in this one response.
            return _recovery_codes_page(request, codes, target=target, new=False)
    device = core_services.two_factor_device_start(actor=request.user)
    if form.is_bound:
        # Shown again with its errors, for the device now shown (a new one if the posted set-up
        # is gone), and without the refused code.
        form.data = form.data.copy()
        form.data["device_id"] = str(device.pk)
        form.data["code"] = ""
    else:
        form = TwoFactorSetupForm(initial={"device_id": device.pk, "next": target})
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _base32_secret(device),
        "forced": core_services.two_factor_must_enrol(request.user),
    }
    response = render(request, "core/two_factor_setup.html", context, status=400 if form.is_bound else 200)
    response["Cache-Control"] = "no-store"
    return response


@page()
@require_POST
def two_factor_disable(request):
    """The user turns off their own two-factor sign-in, with a current code."""
    form = TwoFactorDisableForm(request.POST)
    if form.is_valid():
        try:
            core_services.two_factor_disable(
                actor=request.user, user_id=request.user.pk, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("core:profile")
    return _profile(request, status=400, two_factor_form=form)


@never_cache
@page()
@require_POST
def recovery_codes_regenerate(request):
    """New recovery codes in place of the old ones, with a current code; shown once."""
    form = RecoveryCodesRegenerateForm(request.POST)
    if form.is_valid():
        try:
            codes = core_services.recovery_codes_regenerate(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            if exc.code == "two_factor_off":  # turned off in another tab: the form is gone
                messages.error(request, exc.message)
                return redirect("core:profile")
            form_domain_error(form, exc)
        else:
            return _recovery_codes_page(request, codes, target=reverse("core:profile"), new=True)
    return _profile(request, status=400, recovery_form=form)


@never_cache
@page("user.manage")
@require_http_methods(["GET", "POST"])
def two_factor_reset(request):
    """An administrator turns off two-factor sign-in for a user of their units (a lost phone):
    the user signs in with the password and, where it is required, sets up an app again."""
    form = TwoFactorResetForm(request.POST or None)
    if form.is_bound and form.is_valid():
        username = form.cleaned_data["username"].strip()
        target = get_user_model().objects.filter(username__iexact=username).first()
        if target is None:
            form.add_error("username", _("No user with this name in your units."))
        else:
            try:
                core_services.two_factor_disable(actor=request.user, user_id=target.pk)
            except DomainError as exc:
                form_domain_error(form, exc, field_map={"user_id": "username"})
            else:
                messages.success(
                    request,
                    _("Two-factor sign-in is off for %(username)s.") % {"username": target.get_username()},
                )
                return redirect("core:two_factor_reset")
    status = 400 if form.is_bound else 200
    return render(request, "core/two_factor_reset.html", {"form": form}, status=status)


# --- Audit trail ------------------------------------------------------------------------------


@page("audit.view")
@require_GET
def audit(request):
    events = access.visible(request.user, AuditEvent, "audit.view")
    audit_units = sorted(
        {
            a.unit_id: a.unit
            for a in access.roles_of(request.user)
            if access.can(request.user, "audit.view", a.unit)
        }.values(),
        key=lambda unit: unit.path,
    )
    record_types = events.order_by("record_type").values_list("record_type", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, units=audit_units, record_types=list(record_types))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        unit_paths: list[str] = []
        if data["unit_code"]:
            unit_paths = list(
                access.visible(request.user, Unit, "unit.view")
                .filter(code=data["unit_code"].strip())
                .values_list("path", flat=True)
            )
            if not unit_paths:
                form.add_error("unit_code", _("No unit has this code."))
        elif data["unit"]:
            unit_paths = [unit.path for unit in audit_units if unit.pk == data["unit"]]
        events = units_selectors.audit_event_list_for(
            request.user,
            actor_label=data["user"] or "",
            unit_paths=unit_paths,
            record_type=data["record_type"] or "",
            record_id=data["record_id"] or "",
            action=data["action"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        if data["unit_code"] and not unit_paths:
            events = events.none()
    elif form.is_bound:
        events = events.none()
    paginator = Paginator(events.select_related("actor").order_by("-at", "-id"), AUDIT_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    unit_ids = {event.unit_ref for event in page_obj.object_list if event.unit_ref}
    units = access.visible(request.user, Unit, "unit.view").in_bulk(unit_ids) if unit_ids else {}
    for event in page_obj.object_list:
        event.unit = units.get(event.unit_ref)
    return render(request, "core/audit.html", {"form": form, "page_obj": page_obj, "paginator": paginator})


@page("record.view")
@require_GET
def record_file(request, file_id: int):
    """A file kept with a record, as a download, for those who see the record's unit."""
    from django.utils.http import content_disposition_header

    from .files import record_file_get_for

    item = record_file_get_for(request.user, file_id)
    with item.file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition_header(True, item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
