"""Writes of the shared kernel: the user's own settings, API tokens and two-factor sign-in."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
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
        return _throttled(info, field=field)
    if not device.verify_token((code or "").replace(" ", "")):
        message = _(
            "The code is not right. Type the 6 digits your authenticator app shows now "
            "(a code changes every 30 seconds)."
        )
        return DomainError("two_factor_code_wrong", message, fields={field: message})
    return None


def _throttled(info: dict | None, *, field: str, recovery: bool = False) -> DomainError:
    locked_until = (info or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    if recovery:
        message = _("Too many wrong codes. Wait %(seconds)s seconds, then type a recovery code again.")
    else:
        message = _("Too many wrong codes. Wait %(seconds)s seconds, then type the code your app shows now.")
    return DomainError("two_factor_throttled", message, fields={field: message}, seconds=seconds)


# Recovery codes: 10 single-use codes of 8 letters and digits (django-otp's static plugin, one
# StaticDevice named "recovery" per user, the codes stored as the plugin stores them). They are
# made when an app is confirmed, shown once, and each one signs in once instead of the app's code.
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 8
RECOVERY_CODE_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz234567")


def normalize_recovery_code(code: str) -> str:
    """A recovery code as stored: lower case, without the spaces or dashes a person may type."""
    return (code or "").replace(" ", "").replace("-", "").strip().lower()


def is_recovery_code_shape(code: str) -> bool:
    code = normalize_recovery_code(code)
    return len(code) == RECOVERY_CODE_LENGTH and set(code) <= RECOVERY_CODE_ALPHABET and not code.isdigit()


def recovery_codes_left(user) -> int | None:
    """How many unused recovery codes the user has, or None when they have none made."""
    if not getattr(user, "is_authenticated", False):
        return None
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if device is None:
        return None
    return device.token_set.count()


def _recovery_codes_replace(*, actor: User) -> list[str]:
    """New recovery codes for `actor`, the old ones gone; audited "user.recovery_codes_create".
    Call inside a transaction. The device is kept (a session it verified stays verified)."""
    device = (
        StaticDevice.objects.select_for_update()
        .filter(user=actor, name=RECOVERY_DEVICE_NAME)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    replaced = device.token_set.count()
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        candidate = StaticToken.random_token()
        if candidate not in codes and is_recovery_code_shape(candidate):
            codes.append(candidate)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    device.throttle_reset(commit=False)
    device.save()
    audit.record(
        actor=actor,
        action="user.recovery_codes_create",
        obj=actor,
        before={"recovery_codes": replaced} if replaced else None,
        after={"recovery_codes": len(codes)},
    )
    return codes


def _recovery_code_refused(user: User, code: str, *, field: str = "code") -> tuple[DomainError | None, int]:
    """(None, codes left) when `code` is one of the user's recovery codes, which is then used up
    (audited "user.recovery_code_use"); else (the error to show, 0). Wrong codes are counted on
    the recovery device and throttled like the app's codes."""
    code = normalize_recovery_code(code)
    wrong = _("This recovery code is not right or was used already. Type one of your unused recovery codes.")
    with transaction.atomic():
        # Locked: two sign-ins at once cannot both use the same code.
        device = StaticDevice.objects.select_for_update().filter(user=user, name=RECOVERY_DEVICE_NAME).first()
        if device is None:
            return DomainError("two_factor_code_wrong", wrong, fields={field: wrong}), 0
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return _throttled(info, field=field, recovery=True), 0
        if not device.verify_token(code):
            # Committed with the block: the wrong code stays counted.
            return DomainError("two_factor_code_wrong", wrong, fields={field: wrong}), 0
        left = device.token_set.count()
        audit.record(
            actor=user, action="user.recovery_code_use", obj=user, after={"recovery_codes_left": left}
        )
    return None, left


def _second_factor(
    user: User, device: TOTPDevice, code: str, *, field: str = "code"
) -> tuple[Device, int | None]:
    """The device that accepts `code` (a code from the app, or a recovery code, used up) and, for
    a recovery code, how many are left. Raises the refusal; a wrong code stays counted."""
    if is_recovery_code_shape(code):
        refusal, left = _recovery_code_refused(user, code, field=field)
        if refusal is not None:
            raise refusal
        return StaticDevice.objects.get(user=user, name=RECOVERY_DEVICE_NAME), left
    refusal = _code_refused(device, code, field=field)
    if refusal is not None:
        raise refusal
    return device, None


def recovery_codes_message(left: int) -> str:
    """What the user is told after signing in with a recovery code."""
    return ngettext(
        "You used a recovery code; %(count)s left. Make new codes from your profile.",
        "You used a recovery code; %(count)s left. Make new codes from your profile.",
        left,
    ) % {"count": left}


def two_factor_verify(*, user: User, code: str) -> tuple[Device, int | None]:
    """The second step of signing in: the device that accepts `code` (a code from the app, or a
    recovery code, then used up) and, for a recovery code, how many are left. A wrong code is
    counted (throttling) and raises "two_factor_code_wrong" or "two_factor_throttled"."""
    device = two_factor_device_for(user)
    if device is None:
        raise NotFound("two_factor_off", _("Two-factor sign-in is not on for this account."))
    # Not atomic: a wrong code must stay counted when the error is raised.
    return _second_factor(user, device, code)


def recovery_codes_regenerate(*, actor: User, code: str) -> list[str]:
    """New recovery codes in place of the old ones, with a current code from the app or a recovery
    code; audited "user.recovery_codes_create". The new codes are returned to be shown once."""
    device = two_factor_device_for(actor)
    if device is None:
        raise DomainError("two_factor_off", _("Two-factor sign-in is not on for this account."))
    # The check is outside the transaction: a wrong code must stay counted.
    _second_factor(actor, device, code)
    with transaction.atomic():
        return _recovery_codes_replace(actor=actor)


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


def two_factor_enable(*, actor: User, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the user's new authenticator app with a code it shows, and make the recovery codes;
    audited "user.two_factor_enable" and "user.recovery_codes_create". Returns the device and the
    codes, to be shown once. The caller then marks the session verified (django_otp.login)."""
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
        codes = _recovery_codes_replace(actor=actor)
    _remember_device(actor, device)
    return device, codes


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
        _second_factor(actor, device, code)
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
        StaticDevice.objects.filter(user=target).delete()
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
