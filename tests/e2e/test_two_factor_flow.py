"""Two-factor sign-in in a real browser: set it up from the profile (the recovery codes shown
once), sign out, sign in again with the password and the code from the app, then with a
recovery code."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the phone's app shows (a code is accepted one period early, and only once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(page, base_url: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def test_set_up_from_the_profile_then_sign_in_with_the_code(live_server, e2e_tree, browser_page):
    page = browser_page
    sign_in_with_password(page, live_server.url)
    page.wait_for_url(re.compile(r"/$"))

    # From the profile: set up, the QR code drawn inline, confirm with the app's code.
    page.click("a[data-nav=profile]")
    page.wait_for_url(re.compile(r"/profile/$"))
    assert page.locator("[data-two-factor=off]").is_visible()
    page.click("a[data-two-factor-setup]")
    page.wait_for_url(re.compile(r"/profile/two-factor/"))
    assert page.locator("figure[data-qr] svg").is_visible()
    assert page.locator("#id_code").evaluate("el => el === document.activeElement")
    device = TOTPDevice.objects.get(user=e2e_tree.admin, confirmed=False)
    page.fill("#id_code", app_code(device))
    page.click("main form button[type=submit]")
    # The recovery codes, shown once, with a print button; then on to the profile.
    page.wait_for_selector("[data-recovery-codes]")
    codes = page.locator("[data-recovery-code]").all_inner_texts()
    assert len(set(codes)) == 10
    assert page.locator("button[data-print]").is_visible()
    page.click("a[data-recovery-done]")
    page.wait_for_url(re.compile(r"/profile/$"))
    assert page.locator("[data-two-factor=on]").is_visible()
    assert page.get_attribute("[data-recovery-codes-left]", "data-recovery-codes-left") == "10"

    # Sign out, then in: the password, then the code (the next one: each code works once).
    page.click("nav form[action$='/sign-out/'] button")
    page.wait_for_url(re.compile(r"/sign-(out|in)/"))
    sign_in_with_password(page, live_server.url)
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    assert page.get_attribute("#id_code", "autocomplete") == "one-time-code"
    assert page.get_attribute("#id_code", "inputmode") == "numeric"
    page.keyboard.type(app_code(device, steps_ahead=1))  # the field has the focus
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("a[data-nav=users]").is_visible()

    # Phone lost: sign in again with a recovery code from the paper.
    page.click("nav form[action$='/sign-out/'] button")
    page.wait_for_url(re.compile(r"/sign-(out|in)/"))
    sign_in_with_password(page, live_server.url)
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    page.click("details[data-recovery] summary")
    page.fill("#recovery_recovery_code", codes[0].upper())
    page.click("details[data-recovery] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Bạn đã dùng một mã khôi phục; còn 9 mã.").is_visible()
    assert not page.problems, page.problems
