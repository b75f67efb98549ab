"""The criteria set in force (`practices.criteria`): the province's set beats the national
default, for the years it covers and the subjects it is for; and adding a province's set
(`criteria_set_save`): who may, the rows named in errors, and no overlapping years."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.practices import services
from danvan.practices.criteria import criteria_set_for, province_of
from danvan.practices.models import CriteriaSet, Criterion

from .conftest import TODAY, bring_to, evaluate, recognise, register

FIVE = [services.CriterionInput(f"Tiêu chí {n}", 20) for n in range(1, 6)]


def add_set(actor, unit, **overrides) -> CriteriaSet:
    values = {
        "unit_id": unit.pk,
        "name": "Tiêu chí mô hình Dân vận khéo tỉnh Ninh Bình 2021–2025",
        "applies": "collective",
        "first_year": 2021,
        "last_year": 2025,
        "pass_mark": 80,
        "criteria": FIVE,
    }
    values.update(overrides)
    return services.criteria_set_save(actor=actor, data=services.CriteriaSetInput(**values), today=TODAY)


def written() -> tuple:
    return CriteriaSet.objects.count(), Criterion.objects.count(), AuditEvent.objects.count()


def test_the_national_defaults_are_seeded(db):
    defaults = CriteriaSet.objects.filter(unit__isnull=True)
    assert sorted(defaults.values_list("applies", flat=True)) == ["collective", "individual"]
    assert all(s.criteria.count() == 5 and s.pass_mark == 70 for s in defaults)


def test_the_province_set_beats_the_default_for_its_years_and_subjects(org):
    tree = org.tree
    province_set = add_set(org.province_board, tree.province)
    old = register(org.c1_leader, tree.c1, registered_on=date(2024, 3, 1))
    new = register(org.n_leader, tree.n)
    person = register(org.n_leader, tree.n, kind="exemplar_individual")
    assert province_of(tree.c1) == province_of(tree.n) == tree.province
    assert criteria_set_for(old, date(2024, 9, 1)) == province_set  # C1 under D1 under P
    assert criteria_set_for(new, date(2025, 12, 31)) == province_set
    default = criteria_set_for(new, date(2026, 1, 1))
    assert default.unit_id is None and default.applies == "collective"  # the province's set ended in 2025
    assert criteria_set_for(new, date(2020, 12, 31)).unit_id is None  # before it began
    individual = criteria_set_for(person, date(2025, 6, 1))
    assert individual.unit_id is None and individual.applies == "individual"  # the set is for collectives


def test_another_provinces_set_does_not_apply(org):
    other_board = org.outsider  # holds a commune of the other province only
    with pytest.raises(PermissionDenied):
        add_set(other_board, org.tree.other_province)
    from danvan.units.models import Role, RoleAssignment, RoleScope

    RoleAssignment.objects.create(
        user=other_board, unit=org.tree.other_province, role=Role.LEADER, scope=RoleScope.SUBTREE
    )
    other_board = type(other_board).objects.get(pk=other_board.pk)  # roles are cached per user object
    add_set(other_board, org.tree.other_province, first_year=2026, last_year=None)
    model = register(org.n_leader, org.tree.n)
    assert criteria_set_for(model, date(2026, 9, 1)).unit_id is None


def test_a_later_open_ended_set_takes_over(org):
    add_set(org.province_board, org.tree.province)
    newer = add_set(
        org.province_board, org.tree.province, name="Giai đoạn 2026–2030", first_year=2026, last_year=None
    )
    model = register(org.n_leader, org.tree.n)
    assert criteria_set_for(model, date(2026, 9, 1)) == newer


def test_scoring_uses_the_province_set_and_its_pass_mark(org):
    province_set = add_set(
        org.province_board, org.tree.province, first_year=2026, last_year=None, pass_mark=90
    )
    model = bring_to("under_review", org)
    evaluation = evaluate(model, org.n_leader, each=17)  # 85 < 90
    assert (evaluation.criteria_set, evaluation.total, evaluation.passed) == (province_set, 85, False)
    with pytest.raises(DomainError) as refused:
        recognise(model, org.n_leader)
    with translation.override("en"):
        assert refused.value.message == "It scored 85 points; 90 are needed."


def test_years_overlapping_a_set_of_the_same_province_and_subjects_are_refused(org):
    first = add_set(org.province_board, org.tree.province)
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        add_set(org.province_board, org.tree.province, name="Trùng", first_year=2025, last_year=2027)
    with translation.override("en"):
        assert refused.value.field_messages()["first_year"] == [
            f"The years overlap those of “{first.name}” (2021–2025), a set of the same province "
            "for the same subjects."
        ]
    with pytest.raises(DomainError):
        add_set(org.province_board, org.tree.province, name="Mở", first_year=2019, last_year=None)
    assert written() == before
    # For individuals the same years are free.
    add_set(org.province_board, org.tree.province, applies="individual")


def test_criteria_set_errors_name_the_row_and_write_nothing(org):
    before = written()
    rows = [
        services.CriterionInput("Sáng tạo", 50),
        services.CriterionInput("", None),  # an empty row is left out
        services.CriterionInput("", 10),
        services.CriterionInput("Hiệu quả", -1),
    ]
    with translation.override("en"), pytest.raises(DomainError) as refused:
        add_set(
            org.province_board,
            org.tree.province,
            name="",
            applies="everyone",
            first_year=2026,
            last_year=2024,
            pass_mark=100,
            criteria=rows,
        )
    with translation.override("en"):
        fields = refused.value.field_messages()
    assert fields["criteria.2.text"] == ["Criterion 3: enter its text."]
    assert fields["criteria.3.max_points"] == ["Criterion 4: give its maximum points, 1 to 1000."]
    assert fields["pass_mark"] == [
        "The points needed (100) are more than the criteria are worth together (60)."
    ]
    assert {"name", "applies", "last_year"} <= set(fields)
    assert written() == before


def test_who_may_add_a_set(org):
    with pytest.raises(PermissionDenied) as commune:
        add_set(org.n_leader, org.tree.province)
    assert "unit" in commune.value.fields
    with pytest.raises(DomainError) as not_a_province:
        add_set(org.province_board, org.tree.n)
    assert not_a_province.value.code == "criteria_set_unit"
    created = add_set(org.province_board, org.tree.province)
    assert list(created.criteria.values_list("position", "max_points")) == [(n, 20) for n in range(1, 6)]
    assert AuditEvent.objects.filter(
        action="practices.criteria_set_create", record_id=str(created.pk)
    ).exists()
