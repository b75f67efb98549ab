"""Project-wide checks: settings fail closed, no missing migrations, the permission map."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver


def _settings_import(env_changes: dict) -> subprocess.CompletedProcess:
    removed = ("SECRET_KEY", "DEBUG", "DANVAN_DEMO", "DANVAN_FIELD_KEYS", "DANVAN_INDEX_KEY")
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.update(env_changes)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='danvan.settings'; django.setup();"
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_settings_refuse_to_start_without_a_secret_key():
    result = _settings_import({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_are_secure_by_default():
    from cryptography.fernet import Fernet

    keys = {
        "DANVAN_FIELD_KEYS": Fernet.generate_key().decode(),
        "DANVAN_INDEX_KEY": Fernet.generate_key().decode(),
    }
    result = _settings_import({"SECRET_KEY": "x" * 50, **keys})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"missing migrations: {out.getvalue()} ({exc})")


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def test_every_url_is_in_the_permission_map_or_public():
    from danvan.core.permissions import permission_for
    from danvan.units.access import ALL_ACTIONS

    unmapped = []
    for name in _url_names():
        rule = permission_for(name)
        if rule is None:
            unmapped.append(name)
        else:
            assert rule in ALL_ACTIONS or rule in ("public", "signed-in", "token-or-session"), (name, rule)
    assert not unmapped, f"URLs with no entry in core/permissions.py: {unmapped}"


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def _sample_path(route: str) -> str:
    import re

    path = re.sub(r"<int:[a-z_]+>", "1", route)
    path = re.sub(r"<(str:)?[a-z_]+>", "2024-05-04", path)
    path = re.sub(r"<path:[a-z_]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_every_page_that_is_not_public_asks_anonymous_users_to_sign_in(client):
    from danvan.core.permissions import permission_for

    checked = 0
    for name, route in _patterns():
        rule = permission_for(name)
        if rule == "public" or "(?P" in route or name == "api:api-root":  # the root lists nothing
            continue
        path = _sample_path(route)
        for method in (client.get, client.post):
            response = method(path)
            if rule == "token-or-session":
                assert response.status_code in (401, 405), (name, path, response.status_code)
            else:
                assert response.status_code == 302 and "/sign-in/" in response["Location"], (name, path)
        checked += 1
    assert checked >= 15
