"""The shell: sign-in required, navigation by role, language switch, the user without a role."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from danvan.core.permissions import PUBLIC_URLS, URL_PERMISSIONS, permission_for

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    ("core:home", []),
    ("core:profile", []),
    ("core:audit", []),
    ("units:tree", []),
    ("units:create", []),
    ("units:user_list", []),
    ("units:user_create", []),
]


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


@pytest.mark.parametrize(("name", "args"), SIGNED_IN_PAGES)
def test_pages_require_sign_in(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert "next=" in response["Location"]


def test_unit_pages_require_sign_in(client, web_tree):
    for url in (
        reverse("units:detail", args=[web_tree.province.pk]),
        reverse("units:edit", args=[web_tree.province.pk]),
        reverse("units:succession_create", args=[web_tree.district.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login"))


def test_login_page_renders(client):
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert '<label class="form-label" for="id_username">' in body


def nav_links(response) -> set[str]:
    return set(re.findall(r'data-nav="([a-z]+)"', response.content.decode()))


# What every role holder sees: the records and reports of their units, the tree and the calendar.
EVERY_ROLE = {
    "units",
    "petitions",
    "reception",
    "outreach",
    "practices",
    "emulation",
    "reports",
    "dashboard",
    "calendar",
    "profile",
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", EVERY_ROLE | {"imports"}),
        ("handler", EVERY_ROLE | {"imports"}),
        ("leader", EVERY_ROLE | {"imports"}),
        ("committee_member", EVERY_ROLE | {"imports"}),
        ("administrator", EVERY_ROLE | {"users", "imports"}),
        ("auditor", EVERY_ROLE | {"audit"}),
        (None, {"profile"}),
    ],
)
def test_navigation_shows_only_allowed_links(signed_in, web_user, role, expected):
    client = signed_in(web_user(role))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert nav_links(response) == expected


def test_navigation_links_open_for_their_role(signed_in, web_user):
    for role, name in (
        ("administrator", "units:user_list"),
        ("auditor", "core:audit"),
        ("clerk", "units:tree"),
    ):
        client = signed_in(web_user(role))
        assert client.get(reverse(name)).status_code == 200, (role, name)


def test_user_without_role_sees_the_message_and_nothing_else(signed_in, web_user):
    client = signed_in(web_user(None))
    response = client.get(reverse("core:home"))
    body = response.content.decode()
    assert "Your account has no role yet" in body or "data-no-role" in body
    assert "data-no-role" in body
    assert "role-list" not in body
    assert client.get(reverse("units:tree")).status_code == 403
    assert client.get(reverse("core:audit")).status_code == 403


def test_home_lists_roles(signed_in, web_user, web_tree):
    client = signed_in(web_user("leader", web_tree.province))
    body = client.get(reverse("core:home")).content.decode()
    assert "role-list" in body
    assert web_tree.province.name in body


def test_language_switch_persists_on_the_account_and_changes_the_page(signed_in, web_user):
    user = web_user("clerk")
    client = signed_in(user)
    assert html_lang(client.get(reverse("core:home"))) == "vi"
    response = client.post(reverse("core:set_language"), {"language": "en", "next": reverse("core:profile")})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:profile")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get(reverse("core:profile"))
    assert html_lang(page) == "en"
    assert ">Profile<" in page.content.decode()
    # Another browser (no cookie) still gets the account's language.
    client.cookies.clear()
    client.force_login(user)
    assert html_lang(client.get(reverse("core:home"))) == "en"
    # And back to Vietnamese: the nav label comes from the catalogue once it is translated.
    client.post(reverse("core:set_language"), {"language": "vi", "next": "/"})
    user.refresh_from_db()
    assert user.language == "vi"
    home = client.get(reverse("core:home"))
    assert html_lang(home) == "vi"
    assert f'data-nav="profile">{nav_label("Profile", "vi")}<' in home.content.decode()


def nav_label(source: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(source)


def test_navigation_labels_follow_the_language(signed_in, web_user):
    """Once the catalogue translates the nav, the two languages must differ."""
    user = web_user("auditor")
    client = signed_in(user)
    vi_page = client.get(reverse("core:home")).content.decode()
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    en_page = client.get(reverse("core:home")).content.decode()
    for key, source in (("units", "Units"), ("audit", "Audit trail"), ("profile", "Profile")):
        assert f'data-nav="{key}">{source}<' in en_page
        assert f'data-nav="{key}">{nav_label(source, "vi")}<' in vi_page
        if nav_label(source, "vi") != source:
            assert f'data-nav="{key}">{source}<' not in vi_page


def test_language_switch_for_anonymous_sets_the_cookie_only(client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": reverse("core:login")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get(reverse("core:login"))) == "en"


def test_language_switch_refuses_an_unsafe_next(client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_unit_switcher_for_users_with_several_roles(signed_in, web_user, web_tree):
    from danvan.units.models import RoleAssignment

    user = web_user("clerk", web_tree.province)
    RoleAssignment.objects.create(user=user, unit=web_tree.agency, role="leader", scope="unit")
    client = signed_in(user)
    body = client.get(reverse("core:home")).content.decode()
    assert 'id="shell-current-unit"' in body
    response = client.post(
        reverse("core:set_current_unit"), {"unit": web_tree.agency.pk, "next": "/profile/"}
    )
    assert response.status_code == 302
    assert client.session["danvan.current_unit"] == web_tree.agency.pk
    body = client.get(reverse("core:home")).content.decode()
    assert f'<option value="{web_tree.agency.pk}" selected>' in body
    # A unit the user holds no role in is refused.
    client.post(reverse("core:set_current_unit"), {"unit": web_tree.country.pk, "next": "/"})
    assert client.session["danvan.current_unit"] == web_tree.agency.pk


def test_pages_have_no_inline_script_or_style(signed_in, web_user):
    client = signed_in(web_user("administrator"))
    for name in (
        "core:home",
        "core:profile",
        "units:tree",
        "units:create",
        "units:user_list",
        "units:user_create",
    ):
        body = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), name
        assert " style=" not in body, name
        assert "<style" not in body, name
        assert '<meta name="htmx-config"' in body


def test_permission_map_lists_every_page():
    from django.urls import get_resolver

    for namespace in ("core", "units"):
        resolver = get_resolver().namespace_dict[namespace][1]
        for entry in resolver.url_patterns:
            name = f"{namespace}:{entry.name}"
            assert permission_for(name) is not None, name
    assert permission_for("healthz") == "public"
    assert permission_for("api:units_list") == "token-or-session"
    assert {"core:login", "core:logout", "core:set_language", "healthz"} <= PUBLIC_URLS
    assert URL_PERMISSIONS["core:audit"] == "audit.view"


def test_lockout_template_renders(rf):
    from django.template.loader import render_to_string

    html = render_to_string("core/locked_out.html", {"failure_limit": 5}, request=rf.get("/"))
    assert "5" in html


def test_sign_in_and_lockout_after_repeated_failures(client, web_user):
    web_user("clerk", username="canbo")
    response = client.post(reverse("core:login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    client.post(reverse("core:logout"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("core:login"), {"username": "canbo", "password": "wrong"})
    response = client.post(reverse("core:login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]
