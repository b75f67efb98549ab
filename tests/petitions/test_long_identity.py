"""A name or address longer than its column is cut to it, not refused by the database."""

from __future__ import annotations

from danvan.petitions import services
from danvan.petitions.models import Petitioner

from .conftest import TODAY, intake_input


def test_overlong_name_and_address_are_kept_to_the_column_size(office):
    person = services.PersonInput(name="Nguyễn " * 60, id_number="037090001234", address="Thôn Đông " * 60)
    services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, petitioners=[person]), today=TODAY
    )
    row = Petitioner.objects.get()
    assert len(row.name) == 200 and row.name.startswith("Nguyễn Nguyễn")
    assert len(row.address) == 300
