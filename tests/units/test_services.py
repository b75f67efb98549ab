from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.units import services
from danvan.units.models import Role, RoleAssignment, RoleScope, Succession, SuccessionKind, Unit, UnitKind

TODAY = date(2026, 11, 29)


@pytest.fixture
def admin(tree, make_user):
    return make_user(Role.ADMINISTRATOR, tree.country, RoleScope.SUBTREE, username="admin")


def _counts():
    return (
        Unit.objects.count(),
        Succession.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_unit_create_writes_unit_path_and_audit(tree, admin):
    unit = services.unit_create(
        actor=admin,
        code="369",
        name="Thành phố  Ninh Bình",
        kind=UnitKind.PROVINCIAL_CITY,
        parent_id=tree.province.pk,
        valid_from=date(2007, 2, 7),
        valid_to=date(2025, 2, 28),
    )
    assert unit.name == "Thành phố Ninh Bình"
    assert unit.path.startswith(tree.province.path) and unit.depth == tree.province.depth + 1
    assert unit.name_folded == "thanh pho ninh binh"
    event = AuditEvent.objects.get(action="unit.create")
    assert event.actor == admin and event.record_id == str(unit.pk) and event.unit_path == unit.path
    assert event.after["name"] == "Thành phố Ninh Bình"


def test_agency_inside_a_commune(tree, admin):
    agency = services.unit_create(
        actor=admin,
        code="N-MTTQ",
        name="Ủy ban MTTQ xã",
        kind=UnitKind.FATHERLAND_FRONT,
        parent_id=tree.n.pk,
        valid_from=tree.n.valid_from,
    )
    assert agency.level == "agency" and agency.parent == tree.n


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"code": "375", "valid_from": date(2000, 1, 1)}, "unit_exists", "code"),
        ({"valid_from": date(1990, 1, 1)}, "unit_outside_parent_validity", "valid_from"),
        ({"valid_from": date(2010, 1, 1), "valid_to": date(2009, 1, 1)}, "unit_dates_reversed", "valid_to"),
        ({"kind": UnitKind.PROVINCE}, "unit_parent_level", "parent"),
        ({"kind": "galaxy"}, "unit_kind_unknown", "kind"),
        ({"code": "  "}, "unit_code_required", "code"),
        ({"name": ""}, "unit_name_required", "name"),
    ],
)
def test_unit_create_rejects_bad_input_and_changes_nothing(tree, admin, values, code, field):
    before = _counts()
    args = {
        "code": "999",
        "name": "Xã Mới",
        "kind": UnitKind.COMMUNE,
        "parent_id": tree.d1.pk,
        "valid_from": date(2010, 1, 1),
        "valid_to": date(2025, 6, 30),
    }
    args.update(values)
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=admin, **args)
    assert exc.value.code == code
    assert field in exc.value.fields
    assert _counts() == before


def test_unit_create_after_parent_ended_is_refused(tree, admin):
    with pytest.raises(DomainError) as exc:
        services.unit_create(
            actor=admin,
            code="999",
            name="Xã Mới",
            kind=UnitKind.COMMUNE,
            parent_id=tree.d1.pk,
            valid_from=date(2024, 1, 1),
            valid_to=None,
        )
    assert exc.value.code == "unit_outside_parent_validity"


def test_unit_create_unknown_parent(tree, admin):
    with pytest.raises(NotFound) as exc:
        services.unit_create(
            actor=admin,
            code="999",
            name="X",
            kind=UnitKind.COMMUNE,
            parent_id=987654,
            valid_from=date(2010, 1, 1),
        )
    assert exc.value.code == "unit_not_found"


def test_unit_create_needs_manage_permission(tree, make_user):
    clerk = make_user(Role.CLERK, tree.province, RoleScope.SUBTREE)
    other_admin = make_user(Role.ADMINISTRATOR, tree.other_province, RoleScope.SUBTREE)
    before = _counts()
    for actor in (clerk, other_admin):
        with pytest.raises(PermissionDenied):
            services.unit_create(
                actor=actor,
                code="999",
                name="X",
                kind=UnitKind.COMMUNE,
                parent_id=tree.province.pk,
                valid_from=date(2026, 1, 1),
            )
    assert _counts() == before


def test_error_messages_follow_the_language(tree, admin):
    for lang, word in (("en", "already exists"), ("vi", "đã có")):
        with translation.override(lang), pytest.raises(DomainError) as exc:
            services.unit_create(
                actor=admin,
                code="375",
                name="X",
                kind=UnitKind.RURAL_DISTRICT,
                parent_id=tree.province.pk,
                valid_from=date(2000, 1, 1),
            )
        with translation.override(lang):
            assert word in exc.value.message, exc.value.message


def test_unit_update_detects_stale_edit(tree, admin):
    unit = tree.agency
    services.unit_update(actor=admin, unit_id=unit.pk, version=0, name="UBND tỉnh", valid_to=None)
    with pytest.raises(StaleEdit):
        services.unit_update(actor=admin, unit_id=unit.pk, version=0, name="Lost edit", valid_to=None)
    unit.refresh_from_db()
    assert unit.name == "UBND tỉnh" and unit.version == 1
    event = AuditEvent.objects.get(action="unit.update")
    assert event.before == {"name": "Ủy ban nhân dân tỉnh Ninh Bình"} and event.after == {"name": "UBND tỉnh"}


def _historical_city(admin, tree):
    return services.unit_create(
        actor=admin,
        code="369",
        name="Thành phố Ninh Bình",
        kind=UnitKind.PROVINCIAL_CITY,
        parent_id=tree.province.pk,
        valid_from=date(2007, 2, 7),
        valid_to=date(2025, 2, 28),
    )


def test_succession_of_a_historical_city(tree, admin):
    city = _historical_city(admin, tree)
    succession = services.succession_create(
        actor=admin,
        predecessor_id=city.pk,
        successor_id=tree.d1.pk,
        kind=SuccessionKind.MERGE,
        effective_on=date(2025, 3, 1),
    )
    assert succession.is_default  # a sole successor is the default
    assert AuditEvent.objects.filter(action="succession.create", record_id=str(succession.pk)).exists()


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("alive", "succession_predecessor_alive"),
        ("successor_not_valid", "succession_successor_not_valid"),
        ("self", "succession_self"),
        ("mixed", "succession_mixed"),
        ("kind", "succession_kind_unknown"),
        ("duplicate", "succession_exists"),
        ("second_default", "succession_default_exists"),
    ],
)
def test_succession_rules(tree, admin, case, code):
    args = {
        "predecessor_id": tree.c1.pk,
        "successor_id": tree.n2.pk,
        "kind": SuccessionKind.SPLIT,
        "effective_on": date(2025, 7, 1),
        "is_default": False,
    }
    if case == "alive":
        args["predecessor_id"] = tree.agency.pk
        args["successor_id"] = tree.province.pk
        args["kind"] = SuccessionKind.RENAME
        args["predecessor_id"] = tree.other_province.pk
    elif case == "successor_not_valid":
        args["successor_id"] = tree.c3.pk
    elif case == "self":
        args["successor_id"] = tree.c1.pk
    elif case == "mixed":
        args["successor_id"] = tree.agency.pk
    elif case == "kind":
        args["kind"] = "explode"
    elif case == "duplicate":
        args["successor_id"] = tree.n.pk
    elif case == "second_default":
        args["is_default"] = True
    before = _counts()
    with pytest.raises(DomainError) as exc:
        services.succession_create(actor=admin, **args)
    assert exc.value.code == code
    assert exc.value.fields
    assert _counts() == before


def test_succession_cycle_is_refused(tree, admin):
    # A -> B, then B -> A with dates that would otherwise be acceptable.
    a = services.unit_create(
        actor=admin,
        code="A",
        name="Xã A",
        kind=UnitKind.COMMUNE,
        parent_id=tree.province.pk,
        valid_from=date(2001, 1, 1),
        valid_to=date(2010, 12, 31),
    )
    b = services.unit_create(
        actor=admin,
        code="B",
        name="Xã B",
        kind=UnitKind.COMMUNE,
        parent_id=tree.province.pk,
        valid_from=date(2001, 1, 1),
        valid_to=date(2012, 12, 31),
    )
    services.succession_create(
        actor=admin,
        predecessor_id=a.pk,
        successor_id=b.pk,
        kind=SuccessionKind.MERGE,
        effective_on=date(2011, 1, 1),
    )
    Unit.objects.filter(pk=a.pk).update(valid_to=None)  # a data fix that made A alive again later
    with pytest.raises(DomainError) as exc:
        services.succession_create(
            actor=admin,
            predecessor_id=b.pk,
            successor_id=a.pk,
            kind=SuccessionKind.MERGE,
            effective_on=date(2013, 1, 1),
        )
    assert exc.value.code == "succession_cycle"
    assert Succession.objects.filter(predecessor=b).count() == 0


def test_role_in_a_unit_that_no_longer_exists(tree, admin, make_user):
    user = make_user(Role.CLERK, tree.n)
    before = _counts()
    with pytest.raises(DomainError) as exc:
        services.role_assign(
            actor=admin,
            user_id=user.pk,
            unit_id=tree.c1.pk,
            role=Role.CLERK,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert exc.value.code == "role_unit_not_valid" and "unit" in exc.value.fields
    assert _counts() == before


def test_role_assign_and_revoke(tree, admin, make_user):
    user = make_user(Role.CLERK, tree.n)
    role = services.role_assign(
        actor=admin, user_id=user.pk, unit_id=tree.n2.pk, role=Role.HANDLER, scope=RoleScope.UNIT, today=TODAY
    )
    assert AuditEvent.objects.filter(action="role.assign", record_id=str(role.pk)).exists()
    with pytest.raises(DomainError) as exc:
        services.role_assign(
            actor=admin,
            user_id=user.pk,
            unit_id=tree.n2.pk,
            role=Role.HANDLER,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert exc.value.code == "role_exists"
    services.role_revoke(actor=admin, assignment_id=role.pk)
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoke").exists()
    last = RoleAssignment.objects.get(user=user)
    with pytest.raises(DomainError) as exc:
        services.role_revoke(actor=admin, assignment_id=last.pk)
    assert exc.value.code == "role_last"


def test_role_assign_outside_scope_is_forbidden(tree, make_user):
    local_admin = make_user(Role.ADMINISTRATOR, tree.other_province, RoleScope.SUBTREE)
    user = make_user(Role.CLERK, tree.n)
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=local_admin,
            user_id=user.pk,
            unit_id=tree.n.pk,
            role=Role.LEADER,
            scope=RoleScope.UNIT,
            today=TODAY,
        )


def test_user_create_requires_a_role(tree, admin):
    before = (get_user_model().objects.count(), *_counts())
    with pytest.raises(DomainError) as exc:
        services.user_create(
            actor=admin,
            username="mới",
            full_name="Người Mới",
            email="",
            password="Mật-khẩu-dài-1",
            role="",
            unit_id=None,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert exc.value.code == "user_role_required"
    assert (get_user_model().objects.count(), *_counts()) == before


def test_user_create_weak_password_and_taken_name(tree, admin):
    with pytest.raises(DomainError) as exc:
        services.user_create(
            actor=admin,
            username="x1",
            full_name="X",
            email="",
            password="123",
            role=Role.CLERK,
            unit_id=tree.n.pk,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert exc.value.code == "user_password_weak" and exc.value.fields["password"]
    with pytest.raises(DomainError) as exc:
        services.user_create(
            actor=admin,
            username="ADMIN",
            full_name="X",
            email="",
            password="Mật-khẩu-dài-1",
            role=Role.CLERK,
            unit_id=tree.n.pk,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert exc.value.code == "user_exists"


def test_user_create_is_atomic(tree, admin, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services.audit, "record", boom)
    before = (get_user_model().objects.count(), RoleAssignment.objects.count())
    with pytest.raises(RuntimeError):
        services.user_create(
            actor=admin,
            username="nguyenvana",
            full_name="Nguyễn Văn A",
            email="",
            password="Mật-khẩu-dài-1",
            role=Role.CLERK,
            unit_id=tree.n.pk,
            scope=RoleScope.UNIT,
            today=TODAY,
        )
    assert (get_user_model().objects.count(), RoleAssignment.objects.count()) == before


def test_user_create_full(tree, admin):
    user = services.user_create(
        actor=admin,
        username="nguyenvana",
        full_name="Nguyễn  Văn A",
        email="a@x.vn",
        password="Mật-khẩu-dài-1",
        role=Role.HANDLER,
        unit_id=tree.n.pk,
        scope=RoleScope.SUBTREE,
        today=TODAY,
        language="en",
    )
    assert user.check_password("Mật-khẩu-dài-1")
    assert user.password.startswith(("argon2", "md5"))
    assert user.get_full_name() == "Nguyễn Văn A" and user.full_name_folded == "nguyen van a"
    assert user.roles.get().scope == RoleScope.SUBTREE
    audit_after = AuditEvent.objects.get(action="user.create").after
    assert "password" not in audit_after


def test_calendar_override_needs_a_national_administrator(tree, admin, make_user):
    from danvan.core.models import CalendarOverride
    from danvan.core.selectors import working_calendar

    provincial = make_user(Role.ADMINISTRATOR, tree.province, RoleScope.SUBTREE)
    with pytest.raises(PermissionDenied):
        services.calendar_override_set(actor=provincial, day=date(2024, 5, 4), kind="working_day")
    assert not CalendarOverride.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.calendar_override_set(actor=admin, day=date(2024, 5, 4), kind="holiday?")
    assert exc.value.code == "calendar_kind_unknown"
    services.calendar_override_set(actor=admin, day=date(2024, 5, 4), kind="working_day", note="bù 29/4")
    assert working_calendar(2024, 2024).is_working_day(date(2024, 5, 4))
    assert AuditEvent.objects.filter(action="calendar.override").count() == 1
    services.calendar_override_remove(actor=admin, day=date(2024, 5, 4))
    assert not working_calendar(2024, 2024).is_working_day(date(2024, 5, 4))
