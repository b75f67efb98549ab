"""Finding a petition by what a clerk types (tracking code or receipt number), within scope; and
the staff of a unit for the handler and access choices."""

from __future__ import annotations

import pytest

from danvan.core.errors import DomainError
from danvan.petitions import selectors
from danvan.units.models import Role
from danvan.units.selectors import staff_of


def test_a_petition_is_found_by_tracking_code_or_receipt_number(office, make_petition):
    petition = make_petition()
    assert selectors.petition_find_for(office.clerk, petition.tracking_code.lower()) == petition.pk
    assert selectors.petition_find_for(office.clerk, f" {petition.number} / {petition.year} ") == petition.pk
    assert selectors.petition_find_for(office.clerk, "   ") is None


def test_the_receiving_unit_wins_when_several_units_used_the_number(office, make_petition):
    own = make_petition()
    other = make_petition(unit=office.commune_agency, actor=office.supervisor)
    assert (own.number, own.year) == (other.number, other.year)
    number = f"{own.number}/{own.year}"
    assert selectors.petition_find_for(office.supervisor, number, unit_id=office.agency.pk) == own.pk
    with pytest.raises(DomainError) as caught:
        selectors.petition_find_for(office.supervisor, number)
    assert caught.value.code == "previous_ambiguous"


def test_a_petition_out_of_scope_is_not_found(office, make_petition):
    petition = make_petition()
    with pytest.raises(DomainError) as caught:
        selectors.petition_find_for(office.outsider, petition.tracking_code)
    assert caught.value.code == "previous_not_found" and "previous" in caught.value.fields


def test_staff_of_lists_each_active_holder_once(office):
    names = [u.username for u in staff_of([office.agency], (Role.HANDLER, Role.LEADER))]
    assert sorted(names) == ["handler", "leader"]
    office.handler.is_active = False
    office.handler.save(update_fields=["is_active"])
    assert [u.username for u in staff_of([office.agency], (Role.HANDLER,))] == []
