"""Profile and API tokens; the audit trail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from danvan.core.models import ApiToken
from danvan.core.services import api_token_authenticate

pytestmark = pytest.mark.django_db


def test_profile_shows_details_and_roles(signed_in, web_user, web_tree):
    user = web_user("leader", web_tree.province, email="lanh.dao@example.vn")
    body = signed_in(user).get(reverse("core:profile")).content.decode()
    assert "lanh.dao@example.vn" in body
    assert web_tree.province.name in body


def test_token_secret_is_shown_once_and_revoke_works(signed_in, web_user):
    user = web_user("clerk")
    client = signed_in(user)
    response = client.post(reverse("core:token_create"), {"name": "Bảng tính báo cáo"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    secret = re.search(r'value="(dv_[^"]+)"', body).group(1)
    assert api_token_authenticate(secret) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "Bảng tính báo cáo"

    profile = client.get(reverse("core:profile")).content.decode()
    assert secret not in profile
    assert token.prefix in profile
    assert "Bảng tính báo cáo" in profile

    response = client.post(reverse("core:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(secret) is None
    profile = client.get(reverse("core:profile")).content.decode()
    assert reverse("core:token_revoke", args=[token.pk]) not in profile


def test_token_without_name_shows_the_error_on_the_field(signed_in, web_user):
    client = signed_in(web_user("clerk"))
    response = client.post(reverse("core:token_create"), {"name": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_name"' in body
    assert 'id="id_name_error"' in body
    assert not ApiToken.objects.exists()


def test_cannot_revoke_another_users_token(signed_in, web_user):
    owner = web_user("clerk")
    client = signed_in(owner)
    client.post(reverse("core:token_create"), {"name": "mine"})
    token = ApiToken.objects.get(user=owner)
    other = signed_in(web_user("clerk"))
    assert other.post(reverse("core:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_pages_refuse_get(signed_in, web_user):
    client = signed_in(web_user("clerk"))
    assert client.get(reverse("core:token_create")).status_code == 405


@pytest.mark.parametrize("role", ["clerk", "handler", "leader", "committee_member", "administrator", None])
def test_audit_trail_is_hidden_from_non_auditors(signed_in, web_user, role):
    client = signed_in(web_user(role))
    assert client.get(reverse("core:audit")).status_code == 403


def test_audit_trail_lists_events_for_auditors(signed_in, web_user, web_tree):
    auditor = web_user("auditor", web_tree.country, scope="subtree")
    client = signed_in(auditor)
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "unit.create" in body
    assert web_tree.commune.name in body
    assert "quantri" in body  # the administrator who created the units

    filtered = client.get(
        reverse("core:audit"), {"record_id": str(web_tree.commune.pk), "record_type": "units.unit"}
    )
    body = filtered.content.decode()
    assert f"units.unit#{web_tree.commune.pk}<" in body
    assert f"units.unit#{web_tree.province.pk}<" not in body

    by_code = client.get(reverse("core:audit"), {"unit_code": "14801"}).content.decode()
    assert web_tree.commune.name in by_code
    assert f"units.unit#{web_tree.agency.pk}<" not in by_code

    by_date = client.get(reverse("core:audit"), {"date_from": "01/01/2001", "date_to": "02/01/2001"})
    assert "unit.create" not in by_date.content.decode()


def test_audit_trail_is_scoped_to_the_auditors_units(signed_in, web_user, web_tree):
    from danvan.units import services

    other = services.unit_create(
        actor=web_tree.admin,
        code="01",
        name="Thành phố Hà Nội",
        kind="central_city",
        parent_id=web_tree.country.pk,
        valid_from=web_tree.country.valid_from,
    )
    auditor = web_user("auditor", web_tree.province, scope="subtree")
    body = signed_in(auditor).get(reverse("core:audit")).content.decode()
    assert web_tree.commune.name in body
    assert other.name not in body


def test_audit_trail_paginates(signed_in, web_user, web_tree):
    from danvan.core import audit

    for i in range(60):
        audit.record(
            actor=web_tree.admin, action="test.event", record_type="test", record_id=i, unit=web_tree.province
        )
    client = signed_in(web_user("auditor", web_tree.country, scope="subtree"))
    first = client.get(reverse("core:audit"), {"action": "test.event"}).content.decode()
    assert first.count("<code>test.event</code>") == 50
    second = client.get(reverse("core:audit"), {"action": "test.event", "page": 2}).content.decode()
    assert second.count("<code>test.event</code>") == 10
