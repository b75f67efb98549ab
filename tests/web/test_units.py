"""Unit pages: tree, children fragment, detail, create, edit, succession; users and roles."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from danvan.core.errors import StaleEdit
from danvan.units.models import RoleAssignment, Succession, Unit

pytestmark = pytest.mark.django_db


def in_page(message: str, response) -> bool:
    """Is `message` (an English source string) on the page, in the page's language (vi)?"""
    with translation.override("vi"):
        return escape(translation.gettext(str(message))) in response.content.decode()


def test_tree_starts_at_the_roots_and_expands_with_htmx(signed_in, web_user, web_tree):
    client = signed_in(web_user("clerk"))
    body = client.get(reverse("units:tree")).content.decode()
    assert web_tree.country.name in body
    assert 'hx-get="' + reverse("units:children", args=[web_tree.country.pk]) in body
    fragment = client.get(
        reverse("units:children", args=[web_tree.province.pk]), {"on": "2024-01-01"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert web_tree.district.name in fragment
    assert web_tree.commune.name not in fragment  # not yet valid in 2024
    fragment = client.get(
        reverse("units:children", args=[web_tree.province.pk]), {"on": "15/08/2025"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert web_tree.commune.name in fragment
    assert web_tree.district.name not in fragment


def test_children_without_htmx_goes_to_the_unit_page(signed_in, web_user, web_tree):
    client = signed_in(web_user("clerk"))
    response = client.get(reverse("units:children", args=[web_tree.province.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("units:detail", args=[web_tree.province.pk]))


def test_tree_search_is_folded(signed_in, web_user, web_tree):
    client = signed_in(web_user("clerk"))
    body = client.get(reverse("units:tree"), {"q": "khanh thien", "on": "01/08/2025"}).content.decode()
    assert web_tree.commune.name in body
    assert web_tree.district.name not in body
    body = client.get(reverse("units:tree"), {"level": "district", "on": "01/01/2020"}).content.decode()
    assert web_tree.district.name in body


def test_tree_with_a_bad_date_shows_today_and_says_so(signed_in, web_user):
    client = signed_in(web_user("clerk"))
    response = client.get(reverse("units:tree"), {"on": "32/13/2020"})
    assert response.status_code == 200


def test_detail_shows_breadcrumb_children_and_successions(signed_in, web_user, web_tree):
    from danvan.units import services

    services.succession_create(
        actor=web_tree.admin,
        predecessor_id=web_tree.district.pk,
        successor_id=web_tree.commune.pk,
        kind="merge",
        effective_on=web_tree.commune.valid_from,
    )
    client = signed_in(web_user("clerk"))
    body = client.get(
        reverse("units:detail", args=[web_tree.commune.pk]), {"on": "2025-08-01"}
    ).content.decode()
    assert web_tree.country.name in body and web_tree.province.name in body
    assert web_tree.district.name in body
    assert "01/07/2025" in body
    assert reverse("units:edit", args=[web_tree.commune.pk]) not in body  # a clerk cannot manage

    province = client.get(reverse("units:detail", args=[web_tree.province.pk]), {"on": "2020-01-01"})
    assert web_tree.district.name in province.content.decode()


def test_detail_of_a_missing_unit_is_404(signed_in, web_user):
    client = signed_in(web_user("clerk"))
    assert client.get(reverse("units:detail", args=[999999])).status_code == 404


def test_admin_sees_the_manage_links(signed_in, web_tree):
    body = (
        signed_in(web_tree.admin).get(reverse("units:detail", args=[web_tree.province.pk])).content.decode()
    )
    for url in (
        reverse("units:edit", args=[web_tree.province.pk]),
        reverse("units:succession_create", args=[web_tree.province.pk]),
        f"{reverse('units:create')}?parent={web_tree.province.pk}&amp;group=agency",
    ):
        assert url in body


def test_create_form_error_shows_the_field_message_and_creates_nothing(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    before = Unit.objects.count()
    response = client.post(
        reverse("units:create"),
        {
            "code": "14999",
            "name": "Xã Thử",
            "kind": "commune",
            "parent": web_tree.province.pk,
            "valid_from": "01/07/2025",
            "valid_to": "01/01/2025",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_valid_to"' in body  # error summary links to the field
    assert 'id="id_valid_to_error"' in body  # and the message sits beside it
    assert "01/01/2025" in body and "01/07/2025" in body
    assert Unit.objects.count() == before


def test_create_form_wrong_parent_level(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    before = Unit.objects.count()
    response = client.post(
        reverse("units:create"),
        {
            "code": "9",
            "name": "Tỉnh Thử",
            "kind": "province",
            "parent": web_tree.province.pk,
            "valid_from": "01/01/2001",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_parent"' in response.content.decode()
    assert Unit.objects.count() == before


def test_create_form_bad_date_format(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    response = client.post(
        reverse("units:create"),
        {
            "code": "9",
            "name": "X",
            "kind": "commune",
            "parent": web_tree.province.pk,
            "valid_from": "2025/13/01",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_valid_from"' in response.content.decode()


def test_create_unit_with_parent_code(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    response = client.post(
        reverse("units:create"),
        {
            "code": "14802",
            "name": "Xã Khánh Hòa",
            "kind": "commune",
            "parent_code": "37",
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="14802")
    assert unit.parent == web_tree.province
    response = client.post(
        reverse("units:create"),
        {
            "code": "14803",
            "name": "Xã Không",
            "kind": "commune",
            "parent_code": "nope",
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_parent_code"' in response.content.decode()


def test_create_form_prefills_the_parent(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    body = client.get(
        reverse("units:create"), {"parent": web_tree.province.pk, "group": "agency"}
    ).content.decode()
    assert f'<option value="{web_tree.province.pk}" selected>' in body
    assert 'value="fatherland_front"' in body
    assert 'value="ward"' not in body


def test_clerk_cannot_open_create(signed_in, web_user):
    assert signed_in(web_user("clerk")).get(reverse("units:create")).status_code == 403


def test_edit_and_stale_edit(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    url = reverse("units:edit", args=[web_tree.agency.pk])
    assert client.get(url).status_code == 200
    version = web_tree.agency.version
    response = client.post(
        url, {"name": "UBND tỉnh Ninh Bình", "short_name": "UBND", "valid_to": "", "version": version}
    )
    assert response.status_code == 302
    web_tree.agency.refresh_from_db()
    assert web_tree.agency.name == "UBND tỉnh Ninh Bình"
    stale = client.post(url, {"name": "Khác", "short_name": "", "valid_to": "", "version": version})
    assert stale.status_code == 400
    assert in_page(StaleEdit().message, stale)
    web_tree.agency.refresh_from_db()
    assert web_tree.agency.name == "UBND tỉnh Ninh Bình"


def test_edit_by_non_manager_is_403(signed_in, web_user, web_tree):
    client = signed_in(web_user("leader", web_tree.province))
    assert client.get(reverse("units:edit", args=[web_tree.province.pk])).status_code == 403


def test_succession_create(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    url = reverse("units:succession_create", args=[web_tree.district.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"successor_code": "14801", "kind": "merge", "effective_on": "01/07/2025", "is_default": "on"}
    )
    assert response.status_code == 302, response.content.decode()
    succession = Succession.objects.get(predecessor=web_tree.district)
    assert succession.successor == web_tree.commune and succession.is_default


def test_succession_errors_land_on_the_form(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    url = reverse("units:succession_create", args=[web_tree.district.pk])
    response = client.post(url, {"successor_code": "00000", "kind": "merge", "effective_on": "01/07/2025"})
    assert response.status_code == 400
    assert 'href="#id_successor_code"' in response.content.decode()
    response = client.post(url, {"successor_code": "14801", "kind": "merge", "effective_on": "01/01/2020"})
    assert response.status_code == 400
    assert not Succession.objects.exists()


def test_user_list_create_assign_revoke(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    assert client.get(reverse("units:user_list")).status_code == 200
    assert client.get(reverse("units:user_create")).status_code == 200
    response = client.post(
        reverse("units:user_create"),
        {
            "username": "canbo1",
            "full_name": "Nguyễn Văn An",
            "email": "",
            "password": "Chuỗi-mật-khẩu-dài-99",
            "language": "vi",
            "role": "clerk",
            "unit": web_tree.province.pk,
            "scope": "unit",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assignment = RoleAssignment.objects.get(user__username="canbo1")
    assert assignment.unit == web_tree.province
    body = client.get(reverse("units:user_list")).content.decode()
    assert "canbo1" in body and "Nguyễn Văn An" in body

    url = reverse("units:role_assign", args=[assignment.user_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "leader", "unit_code": "37-UBND", "scope": "unit"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user__username="canbo1").count() == 2

    response = client.post(reverse("units:role_revoke", args=[assignment.pk]))
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user__username="canbo1").count() == 1
    # The last role cannot go: the message comes back, nothing changes.
    last = RoleAssignment.objects.get(user__username="canbo1")
    response = client.post(reverse("units:role_revoke", args=[last.pk]), follow=True)
    assert RoleAssignment.objects.filter(pk=last.pk).exists()
    assert in_page("A user must keep at least one role; deactivate the user instead.", response)


def test_user_create_weak_password_and_taken_name(signed_in, web_tree):
    client = signed_in(web_tree.admin)
    response = client.post(
        reverse("units:user_create"),
        {
            "username": "quantri",
            "full_name": "X",
            "password": "Chuỗi-mật-khẩu-dài-99",
            "language": "vi",
            "role": "clerk",
            "unit": web_tree.province.pk,
            "scope": "unit",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_username"' in response.content.decode()
    response = client.post(
        reverse("units:user_create"),
        {
            "username": "moi",
            "full_name": "X",
            "password": "123",
            "language": "vi",
            "role": "clerk",
            "unit": web_tree.province.pk,
            "scope": "unit",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_password"' in response.content.decode()
    assert not RoleAssignment.objects.filter(user__username="moi").exists()


def test_user_pages_are_for_administrators_only(signed_in, web_user, web_tree):
    client = signed_in(web_user("leader"))
    for url in (
        reverse("units:user_list"),
        reverse("units:user_create"),
        reverse("units:role_assign", args=[web_tree.admin.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assignment = RoleAssignment.objects.get(user=web_tree.admin)
    assert client.post(reverse("units:role_revoke", args=[assignment.pk])).status_code == 403


def test_role_assign_for_a_user_outside_scope_is_404(signed_in, web_user, web_tree):
    admin = web_user("administrator", web_tree.agency)
    client = signed_in(admin)
    assert client.get(reverse("units:role_assign", args=[web_tree.admin.pk])).status_code == 404
