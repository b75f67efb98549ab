"""Two-factor sign-in (ADR 0009): the setting, enrolment, the second step, the forced enrolment of
staff, the API, turning it off, the audit trail and the permission map."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core import services
from danvan.core.errors import DomainError, NotFound
from danvan.core.models import AuditEvent
from danvan.core.permissions import URL_PERMISSIONS
from tests.web.conftest import PASSWORD, build_tree, create_user

pytestmark = pytest.mark.django_db

REQUIRED = override_settings(DANVAN_TWO_FACTOR="required")
OPTIONAL = override_settings(DANVAN_TWO_FACTOR="optional")
# Tests that type a wrong code and then a right one at once: no waiting between tries.
NO_THROTTLE = override_settings(OTP_TOTP_THROTTLE_FACTOR=0)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods later: a code is accepted one
    period early, and each code only once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, ahead) for ahead in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in right)


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def clerk(tree):
    return create_user("canbo", "clerk", tree.province, language="en")


@pytest.fixture
def citizen_user(tree):
    return create_user("khongvaitro", None, None, language="en")


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def password_sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# --- The setting ---------------------------------------------------------------------------------


def _setting_in_fresh_process(env_changes: dict) -> subprocess.CompletedProcess:
    removed = ("SECRET_KEY", "DEBUG", "DANVAN_DEMO", "DANVAN_FIELD_KEYS", "DANVAN_INDEX_KEY")
    removed += ("DANVAN_TWO_FACTOR",)
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.update({"SECRET_KEY": "x" * 50, **env_changes})
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='danvan.settings'; django.setup();"
        "from django.conf import settings as s; print(s.DANVAN_TWO_FACTOR)"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def _server_keys() -> dict:
    from cryptography.fernet import Fernet

    return {
        "DANVAN_FIELD_KEYS": Fernet.generate_key().decode(),
        "DANVAN_INDEX_KEY": Fernet.generate_key().decode(),
    }


def test_two_factor_is_optional_in_the_demo_and_required_elsewhere():
    demo = _setting_in_fresh_process({"DANVAN_DEMO": "1"})
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip() == "optional"
    server = _setting_in_fresh_process(_server_keys())
    assert server.returncode == 0, server.stderr
    assert server.stdout.strip() == "required"
    asked = _setting_in_fresh_process({"DANVAN_DEMO": "1", "DANVAN_TWO_FACTOR": " Required "})
    assert asked.stdout.strip() == "required"


def test_an_unknown_two_factor_value_refuses_to_start():
    result = _setting_in_fresh_process({**_server_keys(), "DANVAN_TWO_FACTOR": "sometimes"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DANVAN_TWO_FACTOR" in result.stderr


# --- Enrolment -----------------------------------------------------------------------------------


@OPTIONAL
@NO_THROTTLE
def test_enrolment_shows_a_qr_code_and_confirms_with_a_right_code(clerk):
    client = password_sign_in(clerk)
    response = client.get(reverse("core:two_factor_setup"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", body, re.S).group(0)
    assert "style" not in svg and "<script" not in svg  # the strict CSP allows it
    device = TOTPDevice.objects.get(user=clerk)
    assert not device.confirmed
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", body).group(1).replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body and "autofocus" in body

    # A wrong code: the error on the form, nothing confirmed, the same device shown again.
    response = client.post(
        reverse("core:two_factor_setup"), {"device_id": device.pk, "code": wrong_code(device)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-error-summary" in body and "The code is not right" in body
    device.refresh_from_db()
    assert not device.confirmed and not is_verified(client)
    assert f'name="device_id" value="{device.pk}"' in body
    assert not AuditEvent.objects.filter(action="user.two_factor_enable").exists()

    # Reloading the page keeps the same secret (the app scanned it already).
    client.get(reverse("core:two_factor_setup"))
    assert TOTPDevice.objects.filter(user=clerk).count() == 1

    response = client.post(
        reverse("core:two_factor_setup"),
        {"device_id": device.pk, "code": code_for(device), "next": reverse("core:profile")},
    )
    # The recovery codes are shown once (tests/core/test_recovery_codes.py), then on to `next`.
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert f'href="{reverse("core:profile")}" data-recovery-done' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    event = AuditEvent.objects.get(action="user.two_factor_enable")
    assert event.actor == clerk and event.record_id == str(clerk.pk)
    profile = client.get(reverse("core:profile")).content.decode()
    assert 'data-two-factor="on"' in profile


@OPTIONAL
def test_enrolment_refuses_a_code_in_the_wrong_shape_and_a_device_of_another_user(clerk, citizen_user):
    client = password_sign_in(clerk)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(reverse("core:two_factor_setup"), {"device_id": device.pk, "code": "12ab"})
    assert response.status_code == 400
    assert "The code is 6 digits" in response.content.decode()

    other = TOTPDevice.objects.create(user=citizen_user, name="authenticator", confirmed=False)
    with pytest.raises(DomainError) as refused:
        services.two_factor_enable(actor=clerk, device_id=other.pk, code=code_for(other))
    assert refused.value.code == "two_factor_setup_expired"
    other.refresh_from_db()
    assert not other.confirmed


@OPTIONAL
def test_enrolment_page_sends_a_user_with_an_app_back_to_the_profile(clerk):
    device = with_device(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"code": code_for(device)})
    response = client.get(reverse("core:two_factor_setup"))
    assert response.status_code == 302 and response["Location"] == reverse("core:profile")
    with pytest.raises(DomainError):
        services.two_factor_device_start(actor=clerk)


# --- The second step -----------------------------------------------------------------------------


@OPTIONAL
@NO_THROTTLE
def test_signing_in_with_an_app_asks_for_the_code(clerk):
    device = with_device(clerk)
    client = password_sign_in(clerk)
    response = client.get(reverse("units:tree"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:two_factor')}?next=%2Funits%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body and "autofocus" in body

    # A wrong code: an error, not verified, other pages still closed.
    response = client.post(reverse("core:two_factor"), {"code": wrong_code(device), "next": "/units/"})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert not is_verified(client)
    assert client.get(reverse("core:home")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    response = client.post(reverse("core:two_factor"), {"code": code_for(device), "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert is_verified(client)
    assert client.get(reverse("units:tree")).status_code == 200
    # Once verified, the step page just continues.
    assert client.get(reverse("core:two_factor")).status_code == 302


@OPTIONAL
def test_wrong_codes_are_throttled_with_a_message(clerk):
    device = with_device(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"code": wrong_code(device)})
    # Even the right code waits now: the wait doubles with each wrong code.
    response = client.post(reverse("core:two_factor"), {"code": code_for(device)})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    assert not is_verified(client)


@OPTIONAL
def test_a_code_cannot_be_used_twice(clerk):
    device = with_device(clerk)
    code = code_for(device)
    first = password_sign_in(clerk)
    assert first.post(reverse("core:two_factor"), {"code": code}).status_code == 302
    second = password_sign_in(clerk)
    assert second.post(reverse("core:two_factor"), {"code": code}).status_code == 400
    assert not is_verified(second)


@OPTIONAL
def test_a_user_without_an_app_signs_in_with_the_password_in_optional_mode(clerk):
    client = password_sign_in(clerk)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("core:two_factor")).status_code == 302


# --- Required mode -------------------------------------------------------------------------------


@REQUIRED
@NO_THROTTLE
def test_required_mode_sends_staff_to_enrolment_and_closes_other_pages(clerk):
    client = password_sign_in(clerk)
    for name in ("core:home", "core:profile", "units:tree", "core:audit", "core:two_factor"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("core:two_factor_setup")), name
    assert client.post(reverse("core:token_create"), {"name": "x"}).status_code == 302
    # htmx requests are sent there too, as a full page.
    response = client.get(reverse("units:tree"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("core:two_factor_setup")
    # The language switch and public pages stay open.
    response = client.post(reverse("core:set_language"), {"language": "vi", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("healthz")).status_code == 200

    page = client.get(reverse("core:two_factor_setup"))
    assert page.status_code == 200
    # In the language just chosen with the switch.
    assert "Tài khoản cán bộ phải đăng nhập hai lớp" in page.content.decode()
    device = TOTPDevice.objects.get(user=clerk)
    confirm = {"device_id": device.pk, "code": code_for(device)}
    assert client.post(reverse("core:two_factor_setup"), confirm).status_code == 200
    assert client.get(reverse("core:home")).status_code == 200

    # Sign-out stays open too.
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("core:login"))


@REQUIRED
def test_next_sign_in_in_required_mode_asks_for_the_code(clerk):
    with_device(clerk)
    client = password_sign_in(clerk)
    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("core:two_factor"))
    # With an app, enrolment is not the way round the code.
    response = client.get(reverse("core:two_factor_setup"))
    assert response["Location"].startswith(reverse("core:two_factor"))


@REQUIRED
def test_a_user_without_a_role_is_not_forced_to_enrol(citizen_user):
    client = password_sign_in(citizen_user)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("core:profile")).status_code == 200


# --- The API -------------------------------------------------------------------------------------


@REQUIRED
def test_api_tokens_are_not_affected(clerk):
    _token, secret = services.api_token_create(actor=clerk, name="script")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == clerk.username


@REQUIRED
def test_api_session_of_an_unverified_user_is_refused_with_401(clerk):
    client = password_sign_in(clerk)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "two_factor_required"
    assert set(response.json()) == {"code", "message", "fields"}

    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    client.post(reverse("core:two_factor_setup"), {"device_id": device.pk, "code": code_for(device)})
    assert client.get("/api/v1/me").status_code == 200


@OPTIONAL
def test_api_session_needs_the_code_when_the_user_has_an_app(clerk, citizen_user):
    with_device(clerk)
    assert password_sign_in(clerk).get("/api/v1/me").status_code == 401
    # Without an app, in optional mode, the password session is enough.
    assert password_sign_in(citizen_user).get("/api/v1/me").status_code == 200


# --- Turning it off ------------------------------------------------------------------------------


@OPTIONAL
@NO_THROTTLE
def test_a_user_turns_it_off_with_a_current_code(clerk):
    device = with_device(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"code": code_for(device)})
    response = client.post(reverse("core:two_factor_disable"), {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).exists()

    response = client.post(reverse("core:two_factor_disable"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    event = AuditEvent.objects.get(action="user.two_factor_disable")
    assert event.actor == clerk and event.record_id == str(clerk.pk)
    assert 'data-two-factor="off"' in client.get(reverse("core:profile")).content.decode()


@REQUIRED
def test_staff_cannot_turn_it_off_in_required_mode(clerk):
    device = with_device(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"code": code_for(device)})
    profile = client.get(reverse("core:profile")).content.decode()
    assert "cannot be turned off" in profile
    assert reverse("core:two_factor_disable") not in profile
    response = client.post(reverse("core:two_factor_disable"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 400
    assert "required for staff and cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).exists()
    assert not AuditEvent.objects.filter(action="user.two_factor_disable").exists()


@REQUIRED
def test_an_administrator_turns_it_off_for_a_user_of_their_units(tree, clerk):
    with_device(clerk)
    tree.admin.language = "en"
    tree.admin.save()
    admin_device = with_device(tree.admin)
    admin = password_sign_in(tree.admin)
    admin.post(reverse("core:two_factor"), {"code": code_for(admin_device)})
    assert admin.get(reverse("core:two_factor_reset")).status_code == 200
    response = admin.post(reverse("core:two_factor_reset"), {"username": "CANBO"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    event = AuditEvent.objects.get(action="user.two_factor_disable")
    assert event.actor == tree.admin and event.record_id == str(clerk.pk)

    # Already off: said so. Unknown user: said so.
    response = admin.post(reverse("core:two_factor_reset"), {"username": "canbo"})
    assert response.status_code == 400 and "is not on for canbo" in response.content.decode()
    response = admin.post(reverse("core:two_factor_reset"), {"username": "nobody"})
    assert response.status_code == 400 and "No user with this name" in response.content.decode()

    # The clerk signs in with the password and must set up a new app.
    client = password_sign_in(clerk)
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("core:two_factor_setup"))


@OPTIONAL
def test_only_administrators_of_the_users_units_may_turn_it_off(tree, clerk):
    with_device(clerk)
    commune_admin = create_user("quantrixa", "administrator", tree.commune)
    with pytest.raises(NotFound):
        services.two_factor_disable(actor=commune_admin, user_id=clerk.pk)
    leader = create_user("lanhdao", "leader", tree.province)
    with pytest.raises(NotFound):
        services.two_factor_disable(actor=leader, user_id=clerk.pk)
    assert TOTPDevice.objects.filter(user=clerk).exists()
    client = Client()
    client.force_login(leader)
    assert client.get(reverse("core:two_factor_reset")).status_code == 403
    assert not AuditEvent.objects.filter(action="user.two_factor_disable").exists()


# --- The permission map --------------------------------------------------------------------------


def test_two_factor_pages_are_in_the_permission_map():
    assert URL_PERMISSIONS["core:two_factor"] == "signed-in"
    assert URL_PERMISSIONS["core:two_factor_setup"] == "signed-in"
    assert URL_PERMISSIONS["core:two_factor_disable"] == "signed-in"
    assert URL_PERMISSIONS["core:recovery_codes_regenerate"] == "signed-in"
    assert URL_PERMISSIONS["core:two_factor_reset"] == "user.manage"
