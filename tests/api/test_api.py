from __future__ import annotations

import pytest
from django.test import Client

from danvan.core.models import ApiToken
from danvan.core.services import api_token_create, api_token_revoke
from danvan.units.models import Role, RoleScope


@pytest.fixture
def clerk(tree, make_user):
    return make_user(Role.CLERK, tree.n, RoleScope.UNIT)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_openapi_schema_is_public_and_lists_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/units" in paths and "/api/v1/me" in paths and "/api/v1/units/by-code/{code}" in paths


def test_token_authenticates_and_revocation_ends_it(clerk, client):
    token, secret = api_token_create(actor=clerk, name="script")
    assert ApiToken.objects.get(pk=token.pk).digest != secret  # only the digest is stored
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == clerk.username
    assert [(r["role"], r["scope"]) for r in body["roles"]] == [("clerk", "unit")]
    api_token_revoke(actor=clerk, token_id=token.pk)
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_no_token_is_401_in_the_house_shape(client, db):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}
    assert client.get("/api/v1/me", **bearer("dv_not-a-real-token")).status_code == 401


def test_session_auth_works_for_the_browser(clerk):
    browser = Client()
    browser.force_login(clerk)
    assert browser.get("/api/v1/me").status_code == 200


def test_units_as_of_a_date_and_search(tree, clerk, client):
    _token, secret = api_token_create(actor=clerk, name="t")
    response = client.get(f"/api/v1/units?parent={tree.province.pk}&on=2024-06-01", **bearer(secret))
    assert response.status_code == 200
    names = {u["name"] for u in response.json()["items"]}
    assert names == {"Huyện Yên Khánh", "Huyện Yên Mô", "Ủy ban nhân dân tỉnh Ninh Bình"}
    response = client.get(f"/api/v1/units?parent={tree.province.pk}&on=2025-07-01", **bearer(secret))
    assert {u["name"] for u in response.json()["items"]} == {
        "Xã Khánh Thiện",
        "Xã Yên Mô",
        "Ủy ban nhân dân tỉnh Ninh Bình",
    }
    response = client.get("/api/v1/units?q=YEN%20MO&on=2024-06-01", **bearer(secret))
    assert {u["name"] for u in response.json()["items"]} == {"Huyện Yên Mô"}


def test_unit_by_code_with_history(tree, clerk, client):
    _token, secret = api_token_create(actor=clerk, name="t")
    response = client.get("/api/v1/units/by-code/14800?on=2024-06-01", **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert [a["code"] for a in body["ancestors"]] == ["VN", "37", "375"]
    assert body["successors"][0]["unit"]["code"] == "14801" and body["successors"][0]["is_default"]
    # the code 14801 was re-used: before 2025 a commune of Yên Khánh, after it the merged commune
    assert (
        client.get("/api/v1/units/by-code/14801?on=2024-06-01", **bearer(secret)).json()["unit"]["id"]
        == tree.c2.pk
    )
    assert (
        client.get("/api/v1/units/by-code/14801?on=2025-07-01", **bearer(secret)).json()["unit"]["id"]
        == tree.n.pk
    )


def test_bad_input_is_4xx_with_code_message_fields(tree, clerk, client):
    _token, secret = api_token_create(actor=clerk, name="t")
    unknown = client.get("/api/v1/units/by-code/NOPE", **bearer(secret))
    assert unknown.status_code == 404 and unknown.json()["code"] == "unit_code_unknown"
    gone = client.get("/api/v1/units/by-code/375?on=2026-01-01", **bearer(secret))
    assert gone.status_code == 400 and gone.json()["code"] == "unit_not_valid_on"
    assert "on" in gone.json()["fields"]
    bad_date = client.get("/api/v1/units?on=31-02-2024", **bearer(secret))
    assert bad_date.status_code == 422 and "on" in bad_date.json()["fields"]
    missing = client.get("/api/v1/units/999999", **bearer(secret))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_errors_follow_the_language(tree, clerk, client):
    _token, secret = api_token_create(actor=clerk, name="t")
    vi = client.get("/api/v1/units/by-code/NOPE", HTTP_ACCEPT_LANGUAGE="vi", **bearer(secret)).json()[
        "message"
    ]
    en = client.get("/api/v1/units/by-code/NOPE", HTTP_ACCEPT_LANGUAGE="en", **bearer(secret)).json()[
        "message"
    ]
    assert vi != en and "NOPE" in vi and "NOPE" in en


def test_user_without_role_sees_no_units(tree, make_user, client):
    nobody = make_user()
    _token, secret = api_token_create(actor=nobody, name="t")
    response = client.get("/api/v1/units", **bearer(secret))
    assert response.status_code == 200 and response.json()["count"] == 0
    assert client.get(f"/api/v1/units/{tree.province.pk}", **bearer(secret)).status_code == 404


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] is True


def test_healthz_reports_a_dead_database(client, db, monkeypatch):
    from danvan.core import health

    class DeadConnection:
        def cursor(self):
            raise ConnectionError("database down")

    monkeypatch.setattr(health, "connection", DeadConnection())
    response = client.get("/healthz")
    assert response.status_code == 503


def test_a_token_client_that_asks_no_language_gets_its_users(tree, clerk, client):
    _token, secret = api_token_create(actor=clerk, name="t")
    clerk.language = "en"
    clerk.save(update_fields=["language"])
    english = client.get("/api/v1/units/by-code/NOPE", **bearer(secret)).json()["message"]
    asked = client.get("/api/v1/units/by-code/NOPE", HTTP_ACCEPT_LANGUAGE="vi", **bearer(secret)).json()[
        "message"
    ]
    clerk.language = "vi"
    clerk.save(update_fields=["language"])
    vietnamese = client.get("/api/v1/units/by-code/NOPE", **bearer(secret)).json()["message"]
    assert english != vietnamese and asked == vietnamese
