"""Recovery codes for two-factor sign-in (ADR 0009): made when an app is confirmed and shown once,
each signs in once instead of the app's code, counted on the profile, made anew with a current
code, removed with the app, audited and throttled."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core import services
from danvan.core.errors import DomainError
from danvan.core.models import AuditEvent
from tests.web.conftest import PASSWORD, build_tree, create_user

pytestmark = pytest.mark.django_db

OPTIONAL = override_settings(DANVAN_TWO_FACTOR="optional")
REQUIRED = override_settings(DANVAN_TWO_FACTOR="required")
NO_THROTTLE = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
CODE_IN_PAGE = re.compile(r"data-recovery-code>([a-z2-7]{8})<")


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def clerk(tree):
    return create_user("canbo", "clerk", tree.province, language="en")


def password_sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """An app confirmed through the service (its current code is used up), and the codes."""
    device = services.two_factor_device_start(actor=user)
    return services.two_factor_enable(actor=user, device_id=device.pk, code=code_for(device))


def stored_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def codes_left_on_profile(client) -> int:
    body = client.get(reverse("core:profile")).content.decode()
    return int(re.search(r'data-recovery-codes-left="(\d+)"', body).group(1))


# --- Made at enrolment, shown once -----------------------------------------------------------------


@OPTIONAL
def test_enrolment_makes_ten_codes_and_shows_them_once(clerk):
    client = password_sign_in(clerk)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(
        reverse("core:two_factor_setup"),
        {"device_id": device.pk, "code": code_for(device), "next": reverse("core:profile")},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    codes = CODE_IN_PAGE.findall(body)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 8 for code in codes)
    assert "data-print" in body and "will not be shown again" in body
    assert "<style" not in body and " style=" not in body  # the strict CSP
    assert set(codes) == stored_codes(clerk)
    static = StaticDevice.objects.get(user=clerk)
    assert static.name == "recovery" and static.confirmed
    event = AuditEvent.objects.get(action="user.recovery_codes_create")
    assert event.actor == clerk and event.record_id == str(clerk.pk)
    assert event.after == {"recovery_codes": 10}
    assert is_verified(client)

    # No later page shows them again: not the profile, not the set-up page, not the step page.
    profile = client.get(reverse("core:profile")).content.decode()
    assert not any(code in profile for code in codes)
    assert 'data-recovery-codes-left="10"' in profile
    for name in ("core:two_factor_setup", "core:two_factor"):
        response = client.get(reverse(name), follow=True)
        assert not any(code in response.content.decode() for code in codes), name


@REQUIRED
def test_forced_enrolment_shows_the_codes_then_goes_on(clerk):
    client = password_sign_in(clerk)
    client.get(reverse("core:home"))
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(
        reverse("core:two_factor_setup"),
        {"device_id": device.pk, "code": code_for(device), "next": "/units/"},
    )
    assert len(CODE_IN_PAGE.findall(response.content.decode())) == 10
    assert 'href="/units/" data-recovery-done' in response.content.decode()
    assert client.get("/units/").status_code == 200


# --- Signing in with a recovery code -----------------------------------------------------------------


@OPTIONAL
def test_a_recovery_code_signs_in_once(clerk):
    _device, codes = enrolled(clerk)
    client = password_sign_in(clerk)
    page = client.get(reverse("core:two_factor")).content.decode()
    assert 'name="recovery_code"' in page and "Use a recovery code" in page

    # Typed as on paper, in capitals with a space: still the code.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(reverse("core:two_factor"), {"recovery_code": typed, "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert is_verified(client)
    page = client.get("/units/").content.decode()
    assert "You used a recovery code; 9 left. Make new codes from your profile." in page
    assert codes[0] not in stored_codes(clerk) and len(stored_codes(clerk)) == 9
    event = AuditEvent.objects.get(action="user.recovery_code_use")
    assert event.actor == clerk and event.record_id == str(clerk.pk)
    assert event.after == {"recovery_codes_left": 9}

    # The same code a second time: refused, not verified.
    again = password_sign_in(clerk)
    response = again.post(reverse("core:two_factor"), {"recovery_code": codes[0]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "not right or was used already" in body and "<details" in body and " open" in body
    assert not is_verified(again)
    assert AuditEvent.objects.filter(action="user.recovery_code_use").count() == 1


@OPTIONAL
@NO_THROTTLE
def test_the_app_code_field_takes_a_recovery_code_too_and_the_profile_counts(clerk):
    _device, codes = enrolled(clerk)
    client = password_sign_in(clerk)
    response = client.post(reverse("core:two_factor"), {"code": codes[3]})
    assert response.status_code == 302
    assert is_verified(client)
    assert codes_left_on_profile(client) == 9
    other = password_sign_in(clerk)
    other.post(reverse("core:two_factor"), {"code": codes[4]})
    assert codes_left_on_profile(client) == 8

    # A code in neither shape: the form says what is expected.
    response = password_sign_in(clerk).post(reverse("core:two_factor"), {"code": "12ab"})
    assert response.status_code == 400 and "one of your recovery codes" in response.content.decode()


@OPTIONAL
def test_the_last_code_says_none_are_left(clerk):
    _device, codes = enrolled(clerk)
    StaticToken.objects.filter(device__user=clerk).exclude(token=codes[0]).delete()
    client = password_sign_in(clerk)
    response = client.post(reverse("core:two_factor"), {"recovery_code": codes[0]}, follow=True)
    assert "You used a recovery code; 0 left." in response.content.decode()
    assert codes_left_on_profile(client) == 0
    assert "You have no unused recovery codes" in client.get(reverse("core:profile")).content.decode()


@OPTIONAL
def test_wrong_recovery_codes_are_throttled(clerk):
    _device, codes = enrolled(clerk)
    client = password_sign_in(clerk)
    response = client.post(reverse("core:two_factor"), {"recovery_code": "zzzzzzzz"})
    assert response.status_code == 400
    assert "not right or was used already" in response.content.decode()
    static = StaticDevice.objects.get(user=clerk)
    assert static.throttling_failure_count == 1
    # Even a right code waits now, and is not used up.
    response = client.post(reverse("core:two_factor"), {"recovery_code": codes[0]})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    assert not is_verified(client)
    assert codes[0] in stored_codes(clerk)
    with pytest.raises(DomainError) as refused:
        services.two_factor_verify(user=clerk, code=codes[0])
    assert refused.value.code == "two_factor_throttled"
    assert not AuditEvent.objects.filter(action="user.recovery_code_use").exists()


# --- New codes from the profile ------------------------------------------------------------------------


@OPTIONAL
@NO_THROTTLE
def test_new_codes_replace_the_old_ones_and_need_a_code(clerk):
    device, old = enrolled(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"recovery_code": old[0]})
    profile = client.get(reverse("core:profile")).content.decode()
    assert reverse("core:recovery_codes_regenerate") in profile and "Make new recovery codes" in profile

    # Without a code, or with a wrong one: refused, the old codes still work.
    response = client.post(reverse("core:recovery_codes_regenerate"), {"code": ""})
    assert response.status_code == 400
    response = client.post(reverse("core:recovery_codes_regenerate"), {"code": "zzzzzzzz"})
    assert response.status_code == 400 and "not right or was used already" in response.content.decode()
    assert stored_codes(clerk) == set(old[1:])

    # With the app's code: ten new codes, shown once, the old ones gone.
    response = client.post(
        reverse("core:recovery_codes_regenerate"), {"code": code_for(device, steps_ahead=1)}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    new = CODE_IN_PAGE.findall(body)
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert stored_codes(clerk) == set(new)
    assert "The old ones no longer work" in body
    assert StaticDevice.objects.filter(user=clerk).count() == 1
    assert is_verified(client)  # the session verified by the recovery device stays verified
    events = AuditEvent.objects.filter(action="user.recovery_codes_create").order_by("pk")
    assert events.count() == 2
    assert events[1].before == {"recovery_codes": 9} and events[1].after == {"recovery_codes": 10}
    assert not any(code in client.get(reverse("core:profile")).content.decode() for code in new)

    # With a recovery code: that one is used up, then all are replaced.
    response = client.post(reverse("core:recovery_codes_regenerate"), {"code": new[0]})
    assert response.status_code == 200
    assert not set(CODE_IN_PAGE.findall(response.content.decode())) & set(new)
    assert AuditEvent.objects.filter(action="user.recovery_code_use").count() == 2
    assert AuditEvent.objects.filter(action="user.recovery_codes_create").count() == 3


@OPTIONAL
def test_new_codes_need_two_factor_on(clerk):
    client = password_sign_in(clerk)
    response = client.post(reverse("core:recovery_codes_regenerate"), {"code": "123456"}, follow=True)
    assert "not on for this account" in response.content.decode()
    assert not StaticDevice.objects.filter(user=clerk).exists()


# --- Removed with the app -------------------------------------------------------------------------------


@OPTIONAL
@NO_THROTTLE
def test_turning_it_off_removes_the_codes(clerk):
    device, codes = enrolled(clerk)
    client = password_sign_in(clerk)
    client.post(reverse("core:two_factor"), {"code": code_for(device, steps_ahead=1)})
    # A recovery code turns it off as well as the app's code.
    response = client.post(reverse("core:two_factor_disable"), {"code": codes[0]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticDevice.objects.filter(user=clerk).exists()
    assert not StaticToken.objects.filter(token__in=codes).exists()
    profile = client.get(reverse("core:profile")).content.decode()
    assert 'data-two-factor="off"' in profile and "data-recovery-codes-left" not in profile


@OPTIONAL
def test_an_administrator_reset_removes_the_codes(tree, clerk):
    enrolled(clerk)
    services.two_factor_disable(actor=tree.admin, user_id=clerk.pk)
    assert not StaticDevice.objects.filter(user=clerk).exists()
    assert services.recovery_codes_left(clerk) is None
