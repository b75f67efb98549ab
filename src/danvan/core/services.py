"""Writes of the shared kernel: the user's own settings, API tokens and two-factor sign-in."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .errors import DomainError, NotFound, PermissionDenied
from .models import ApiToken, User
from .text import normalize

CREDENTIAL_MARK = "dv_"  # lets logs and secret scanners recognise a danvan token


def token_digest(secret: str) -> str:
    # A token is 32 random bytes: a fast hash is enough and keeps hashing off the request path.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            "language_unknown", _("Unknown language."), fields={"language": _("Unknown language.")}
        )
    if actor.language != language:
        before = {"language": actor.language}
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
        audit.record(
            actor=actor, action="user.set_language", obj=actor, before=before, after={"language": language}
        )
    return actor


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token. Returns the row and the secret, which is never shown again."""
    name = normalize(name)
    if not name:
        raise DomainError(
            "token_name_required",
            _("Give the token a name, such as the program that will use it."),
            fields={"name": _("Give the token a name, such as the program that will use it.")},
        )
    if len(name) > 100:
        raise DomainError(
            "token_name_too_long",
            _("The name is too long (at most 100 characters)."),
            fields={"name": _("The name is too long (at most 100 characters).")},
        )
    secret = CREDENTIAL_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:10], digest=token_digest(secret))
    audit.record(
        actor=actor, action="api_token.create", obj=token, after={"name": token.name, "prefix": token.prefix}
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="api_token.revoke", obj=token, after={"revoked_at": token.revoked_at}
        )
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not secret or not secret.startswith(CREDENTIAL_MARK):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Two-factor sign-in (ADR 0009) -------------------------------------------------------------
#
# One authenticator app (a TOTP device of django-otp) per user. A device is created unconfirmed
# when enrolment starts and counts only once a code from the app confirmed it. Wrong codes are
# throttled by django-otp: each one doubles the wait before the next try (1, 2, 4, 8 ... seconds).


def two_factor_device_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_danvan_totp"):
        _remember_device(user, TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first())
    return user._danvan_totp


def _remember_device(user, device: TOTPDevice | None) -> None:
    user._danvan_totp = device


def two_factor_must_enrol(user) -> bool:
    """In "required" mode a staff member (anyone holding a role) must have an authenticator app."""
    from danvan.units import access  # units depends on core: imported where used

    return settings.DANVAN_TWO_FACTOR == "required" and access.has_any_role(user)


def two_factor_pending(user) -> str | None:
    """What a signed-in user must still do before reaching any page or the API by session:
    "verify" (type a code from their app), "enrol" (set up an app), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if two_factor_device_for(user) is not None:
        return "verify"
    if two_factor_must_enrol(user):
        return "enrol"
    return None


def _code_refused(device: TOTPDevice, code: str, *, field: str = "code") -> DomainError | None:
    """None when `code` is the device's current code, else the error to show. Counts the failure."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        message = _("Too many wrong codes. Wait %(seconds)s seconds, then type the code your app shows now.")
        return DomainError("two_factor_throttled", message, fields={field: message}, seconds=seconds)
    if not device.verify_token((code or "").replace(" ", "")):
        message = _(
            "The code is not right. Type the 6 digits your authenticator app shows now "
            "(a code changes every 30 seconds)."
        )
        return DomainError("two_factor_code_wrong", message, fields={field: message})
    return None


def two_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """The second step of signing in: the device that accepts `code`. A wrong code is counted
    (throttling) and raises "two_factor_code_wrong" or "two_factor_throttled"."""
    device = two_factor_device_for(user)
    if device is None:
        raise NotFound("two_factor_off", _("Two-factor sign-in is not on for this account."))
    # Not atomic: a wrong code must stay counted when the error is raised.
    refusal = _code_refused(device, code)
    if refusal is not None:
        raise refusal
    return device


@transaction.atomic
def two_factor_device_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator app that enrolment shows (made if there is none). Nothing
    changes in how the account signs in until a code confirms it, so nothing is audited yet."""
    if two_factor_device_for(actor) is not None:
        raise DomainError("two_factor_already_on", _("Two-factor sign-in is already on."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)
    return device


def two_factor_enable(*, actor: User, device_id: int, code: str) -> TOTPDevice:
    """Confirm the user's new authenticator app with a code it shows; audited
    "user.two_factor_enable". The caller then marks the session verified (django_otp.login)."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
            raise DomainError("two_factor_already_on", _("Two-factor sign-in is already on."))
        device = (
            TOTPDevice.objects.select_for_update().filter(pk=device_id, user=actor, confirmed=False).first()
        )
        if device is None:
            raise DomainError(
                "two_factor_setup_expired",
                _("This set-up is no longer valid. Start again with the new QR code below."),
            )
    # Outside the transaction: a wrong code must stay counted when the error is raised.
    refusal = _code_refused(device, code)
    if refusal is not None:
        raise refusal
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Older unconfirmed set-ups (other tabs, other browsers) are dead now.
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        audit.record(actor=actor, action="user.two_factor_enable", obj=actor, after={"two_factor": True})
    _remember_device(actor, device)
    return device


def two_factor_disable(*, actor: User, user_id: int, code: str = "") -> User:
    """Turn off two-factor sign-in for a user: by the user themself with a current code (refused
    in "required" mode for staff), or by an administrator of one of the user's units (user.manage),
    for example when the phone is lost. Audited "user.two_factor_disable"."""
    from danvan.units import access  # units depends on core: imported where used

    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise NotFound(
            "user_not_found", _("The user does not exist."), fields={"user_id": _("The user does not exist.")}
        )
    if target.pk == actor.pk:
        if two_factor_must_enrol(actor):
            raise DomainError(
                "two_factor_required",
                _("Two-factor sign-in is required for staff and cannot be turned off."),
            )
        device = two_factor_device_for(actor)
        if device is None:
            raise DomainError("two_factor_off", _("Two-factor sign-in is not on for this account."))
        refusal = _code_refused(device, code)
        if refusal is not None:
            raise refusal
    else:
        units = [assignment.unit for assignment in access.roles_of(target)]
        if units:
            if not any(access.can(actor, "user.manage", unit) for unit in units):
                raise NotFound(
                    "user_not_found",
                    _("No user with this name in your units."),
                    fields={"user_id": _("No user with this name in your units.")},
                )
        elif "user.manage" not in access.allowed_actions(actor):
            raise PermissionDenied()
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=target).delete()
        if not deleted and target.pk != actor.pk:
            raise DomainError(
                "two_factor_off",
                _("Two-factor sign-in is not on for %(username)s."),
                fields={"user_id": _("Two-factor sign-in is not on for %(username)s.")},
                username=target.get_username(),
            )
        audit.record(actor=actor, action="user.two_factor_disable", obj=target, after={"two_factor": False})
    _remember_device(target, None)
    if target.pk == actor.pk:
        _remember_device(actor, None)
    return target
