"""The units record type: keys, checks, writing a chunk, rollback and export."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.models import AuditEvent, ImportBatch
from danvan.core.records import ExportQuery, get
from danvan.core.text import fold
from danvan.units import services
from danvan.units.models import FrameState, Role, RoleAssignment, RoleScope, Succession, Unit, UnitKind
from danvan.units.records import UNITS
from tests.conftest import REFORM

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2000, 1, 1), date(2030, 12, 31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(tree, make_user):
    return make_user(Role.ADMINISTRATOR, tree.province, RoleScope.SUBTREE, username="admin")


def make_batch(user) -> ImportBatch:
    return ImportBatch.objects.create(
        record_type="units", created_by=user, stored_name="t.xlsx", sha256="0" * 64
    )


def committee_row(parent, **overrides) -> dict:
    row = {
        "code": "14801-UBND",
        "name": "Ủy ban nhân dân xã Khánh Thiện",
        "short_name": "UBND xã Khánh Thiện",
        "kind": UnitKind.PEOPLES_COMMITTEE,
        "parent": parent,
        "valid_from": REFORM,
        "valid_to": None,
        "source": "Quyết định 12/QĐ-UBND",
    }
    return {**row, **overrides}


def rows_of(tree) -> list[dict]:
    return [
        committee_row(tree.n),
        committee_row(
            tree.c1,
            code="14800-UBND",
            valid_from=date(2000, 1, 1),
            valid_to=date(2025, 6, 30),
            short_name="",
            source="",
        ),
        {
            "code": "14960",
            "name": "Xã Yên Thắng",
            "short_name": "",
            "kind": UnitKind.COMMUNE,
            "parent": tree.province,
            "valid_from": REFORM,
            "valid_to": None,
            "source": "Nghị quyết 1674/NQ-UBTVQH15",
        },
    ]


def test_it_is_registered_with_its_contract():
    assert get("units") is UNITS
    assert UNITS.natural_key == ("code", "valid_from")
    assert UNITS.date_column == "valid_from"
    assert UNITS.unit_column == "parent"
    assert UNITS.action == "unit.manage"
    assert [column.key for column in UNITS.columns] == [
        "code",
        "name",
        "short_name",
        "kind",
        "parent",
        "valid_from",
        "valid_to",
        "source",
    ]


def test_key_and_existing(tree, admin):
    row = committee_row(tree.n, code=" 37-UBND ", valid_from=date(2000, 1, 1))
    assert UNITS.key(row) == ("37-UBND", date(2000, 1, 1))
    keys = [UNITS.key(row), ("37-UBND", REFORM), ("14801", REFORM), ("14801", date(2000, 1, 1))]
    assert UNITS.existing(admin, keys) == {
        ("37-UBND", date(2000, 1, 1)),
        ("14801", REFORM),
        ("14801", date(2000, 1, 1)),
    }


def test_check_applies_the_rules_of_the_tree(tree):
    assert UNITS.check(committee_row(tree.n)) == {}
    reversed_dates = UNITS.check(committee_row(tree.n, valid_to=date(2025, 1, 1)))
    assert reversed_dates == {
        "valid_to": "The end of validity (01/01/2025) is before its start (01/07/2025)."
    }
    wrong_level = UNITS.check(committee_row(tree.n, kind=UnitKind.COMMUNE))
    assert wrong_level == {"parent": "A Commune cannot be placed under a Commune."}
    outside = UNITS.check(committee_row(tree.c1, valid_from=REFORM))
    assert outside == {
        "valid_from": "Xã Khánh Thiện was valid only from 01/01/2000 to 30/06/2025; "
        "the new unit must fall within that."
    }
    assert UNITS.check(committee_row(None)) == {}  # the missing parent is reported as a missing value


def test_write_creates_every_unit_with_every_field(tree, admin, django_assert_max_num_queries):
    batch = make_batch(admin)
    FrameState.objects.create(built_on=date(2026, 1, 1))
    events = AuditEvent.objects.count()
    with django_assert_max_num_queries(12):
        assert UNITS.write(admin, rows_of(tree), batch) == 3
    committee = Unit.objects.get(code="14801-UBND", valid_from=REFORM)
    assert committee.name == "Ủy ban nhân dân xã Khánh Thiện"
    assert committee.short_name == "UBND xã Khánh Thiện"
    assert committee.name_folded == fold("Ủy ban nhân dân xã Khánh Thiện")
    assert committee.kind == UnitKind.PEOPLES_COMMITTEE
    assert committee.level == "agency"
    assert committee.parent == tree.n
    assert committee.valid_to is None
    assert committee.source == "Quyết định 12/QĐ-UBND"
    assert committee.path == tree.n.path + f"{committee.pk:08x}/"
    assert committee.depth == tree.n.depth + 1
    assert committee.import_batch == batch
    old = Unit.objects.get(code="14800-UBND")
    assert (old.parent, old.valid_to) == (tree.c1, date(2025, 6, 30))
    commune = Unit.objects.get(code="14960")
    assert (commune.level, commune.parent, commune.depth) == ("commune", tree.province, 3)
    assert Unit.objects.filter(import_batch=batch).count() == 3
    assert not FrameState.objects.exists()  # the frames are rebuilt for the new units
    assert AuditEvent.objects.count() == events  # the pipeline records one event for the batch


def test_write_needs_the_right_on_each_parent(tree, make_user):
    other = make_user(Role.ADMINISTRATOR, tree.other_province, RoleScope.SUBTREE)
    with pytest.raises(PermissionDenied):
        UNITS.write(other, rows_of(tree), make_batch(other))
    assert not Unit.objects.filter(code="14801-UBND").exists()


def test_write_refuses_a_row_that_breaks_the_tree(tree, admin):
    with pytest.raises(DomainError) as caught:
        UNITS.write(admin, [committee_row(tree.n, kind=UnitKind.WARD)], make_batch(admin))
    assert caught.value.code == "unit_parent_level"


def test_rollback_removes_the_batch_deepest_first(tree, admin):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    commune = Unit.objects.get(code="14960")
    # A second chunk of the same batch: a unit under a unit of the first chunk.
    UNITS.write(admin, [committee_row(commune, code="14960-UBND")], batch)
    untouched = make_batch(admin)
    UNITS.write(admin, [committee_row(tree.n2, code="14950-UBND")], untouched)
    assert UNITS.rollback(admin, batch) == 4
    assert not Unit.objects.filter(import_batch=batch).exists()
    assert Unit.objects.filter(import_batch=untouched).count() == 1
    assert Unit.objects.filter(pk=tree.n.pk).exists()


def rollback_message(user, batch) -> str:
    with pytest.raises(DomainError) as caught:
        UNITS.rollback(user, batch)
    assert caught.value.code == "import.rollback_changed"
    assert Unit.objects.filter(import_batch=batch).count() == 3  # nothing was removed
    return caught.value.message


def test_rollback_refuses_an_edited_unit(tree, admin):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    commune = Unit.objects.get(code="14960")
    services.unit_update(actor=admin, unit_id=commune.pk, version=0, name="Xã Yên Thắng mới", valid_to=None)
    assert rollback_message(admin, batch) == (
        "Xã Yên Thắng mới (14960) cannot be removed: it was edited after the import. Nothing was removed."
    )


def test_rollback_refuses_a_unit_with_a_child_from_elsewhere(tree, admin):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    commune = Unit.objects.get(code="14960")
    services.unit_create(
        actor=admin, code="14960-MTTQ", name="Ủy ban MTTQ xã Yên Thắng", kind=UnitKind.FATHERLAND_FRONT,
        parent_id=commune.pk, valid_from=REFORM,
    )  # fmt: skip
    assert rollback_message(admin, batch) == (
        "Xã Yên Thắng (14960) cannot be removed: Ủy ban MTTQ xã Yên Thắng was added under it after the "
        "import. Nothing was removed."
    )


def test_rollback_refuses_a_unit_that_holds_anything(tree, admin, make_user):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    committee = Unit.objects.get(code="14801-UBND")
    RoleAssignment.objects.create(user=make_user(), unit=committee, role=Role.CLERK)
    assert rollback_message(admin, batch) == (
        "Ủy ban nhân dân xã Khánh Thiện (14801-UBND) cannot be removed: it now holds a record of another "
        "kind (role). Nothing was removed."
    )


def test_rollback_refuses_a_unit_with_a_succession(tree, admin):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    Succession.objects.create(
        predecessor=tree.c3, successor=Unit.objects.get(code="14960"), kind="split", effective_on=REFORM
    )
    assert "Xã Yên Thắng (14960) cannot be removed: it now holds a record of another kind (succession)" in (
        rollback_message(admin, batch)
    )


def test_rollback_needs_the_right_on_every_unit(tree, admin, make_user):
    batch = make_batch(admin)
    UNITS.write(admin, rows_of(tree), batch)
    local = make_user(Role.ADMINISTRATOR, tree.n, RoleScope.SUBTREE)
    with pytest.raises(PermissionDenied):
        UNITS.rollback(local, batch)
    assert Unit.objects.filter(import_batch=batch).count() == 3


def test_export_gives_back_the_rows_written(tree, admin):
    written = rows_of(tree)
    UNITS.write(admin, written, make_batch(admin))
    exported = list(UNITS.export(ExportQuery(admin, tree.province, FIRST, LAST)))
    by_code = {(row["code"], row["valid_from"]): row for row in exported}
    for row in written:
        assert by_code[(row["code"], row["valid_from"])] == row
    # Every unit of the subtree but the province itself comes with its parent, parents first.
    codes = [row["code"] for row in exported]
    assert {row["code"] for row in exported} >= {"375", "377", "14800", "14801", "14900", "14950", "37-UBND"}
    assert "01" not in codes and "00004" not in codes
    positions = {row["code"]: i for i, row in enumerate(exported)}
    assert positions["375"] < positions["14800"] < positions["14800-UBND"]


def test_export_keeps_to_the_period(tree, admin):
    codes = {row["code"] for row in UNITS.export(ExportQuery(admin, tree.province, date(2026, 1, 1), LAST))}
    assert "14950" in codes and "375" not in codes
    old = {row["code"] for row in UNITS.export(ExportQuery(admin, tree.province, FIRST, date(2010, 1, 1)))}
    assert "375" in old and "14950" not in old


def test_export_is_scoped_to_the_users_units(tree, make_user):
    outsider = make_user(Role.ADMINISTRATOR, tree.other_province, RoleScope.SUBTREE)
    assert list(UNITS.export(ExportQuery(outsider, tree.province, FIRST, LAST))) == []
    clerk = make_user(Role.CLERK, tree.n, RoleScope.UNIT)
    # A clerk of the new commune reaches it and the communes it replaced (their archive is its own).
    reached = {
        (row["code"], row["valid_from"])
        for row in UNITS.export(ExportQuery(clerk, tree.province, FIRST, LAST))
    }
    assert reached == {("14801", REFORM), ("14800", FIRST), ("14801", FIRST)}
