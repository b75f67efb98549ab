"""Smoke test in a real browser: sign in, switch language, browse the unit tree with htmx."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def test_sign_in_switch_language_and_browse_units(live_server, e2e_tree, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/units/")
    # Sign-in required: sent to the sign-in page, then back.
    page.wait_for_url(re.compile(r"/sign-in/\?next="))
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/units/$"))
    assert page.get_attribute("html", "lang") == "vi"
    with translation.override("vi"):
        assert page.inner_text("a[data-nav=profile]").strip() == translation.gettext("Profile")

    # Switch to English: the page comes back in English, on the same address.
    page.click("button[name=language][value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/units/")
    assert page.inner_text("a[data-nav=profile]").strip() == "Profile"
    assert page.inner_text("a[data-nav=units]").strip() == "Units"

    # htmx loaded (served from node_modules through the static finders) and no CSP violation.
    assert page.evaluate("typeof window.htmx") == "object"

    # Expand the country, then the province: children arrive by htmx.
    page.click(f"li[data-unit='{e2e_tree.country.pk}'] > button.tree-toggle")
    province = page.locator(f"#children-{e2e_tree.country.pk} li[data-unit='{e2e_tree.province.pk}']")
    province.wait_for()
    assert "Tỉnh Ninh Bình" in province.inner_text()
    toggle = page.locator(f"li[data-unit='{e2e_tree.country.pk}'] > button.tree-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.click(f"li[data-unit='{e2e_tree.province.pk}'] > button.tree-toggle")
    page.locator(f"#children-{e2e_tree.province.pk} li[data-unit='{e2e_tree.commune.pk}']").wait_for()

    # Collapse and expand again without a new request.
    toggle.click()
    assert page.locator(f"#children-{e2e_tree.country.pk}").is_hidden()
    toggle.click()
    assert page.locator(f"#children-{e2e_tree.country.pk}").is_visible()

    # Open a unit's page.
    page.click(f"#children-{e2e_tree.province.pk} a:has-text('Xã Khánh Thiện')")
    page.wait_for_url(re.compile(rf"/units/{e2e_tree.commune.pk}/"))
    assert page.inner_text("h1").strip() == "Xã Khánh Thiện"
    assert "Tỉnh Ninh Bình" in page.inner_text("nav ol.breadcrumb")

    # The self-hosted typeface covers Vietnamese.
    assert page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check(\"16px 'Be Vietnam Pro'\", 'Việt Nam'))"
    )
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
    assert not page.problems, page.problems
