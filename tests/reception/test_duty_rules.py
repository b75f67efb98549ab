"""One holder of a head's position at a time; a place no longer in use hosts no new session."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError
from danvan.reception import services
from danvan.reception.models import Duty, Position, Session, SessionKind

from .conftest import TODAY


def _duty(desk, **values):
    base = {
        "actor": desk.leader,
        "unit_id": desk.unit.pk,
        "position": Position.PC_CHAIRMAN,
        "holder_name": "Ngô Văn Mới",
        "valid_from": date(2026, 1, 1),
    }
    return services.duty_save(**{**base, **values})


def test_a_second_chairman_at_the_same_time_is_refused(desk):
    with pytest.raises(DomainError) as error:
        _duty(desk)  # the fixture's chairman holds the position from 01/07/2025, open-ended
    assert "valid_from" in error.value.fields
    assert "Trần Văn Chủ" in error.value.field_messages()["valid_from"][0]
    assert Duty.objects.count() == 1


def test_a_successor_after_the_end_date_is_accepted(desk):
    services.duty_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        duty_id=desk.duty.pk,
        version=desk.duty.version,
        position=Position.PC_CHAIRMAN,
        holder_name="Trần Văn Chủ",
        valid_from=date(2025, 7, 1),
        valid_to=date(2026, 5, 31),
    )
    with pytest.raises(DomainError):
        _duty(desk, valid_from=date(2026, 5, 31))
    assert _duty(desk, valid_from=date(2026, 6, 1)).holder_name == "Ngô Văn Mới"
    # A duty that ends before the other begins does not overlap either.
    assert _duty(
        desk, position=Position.PARTY_SECRETARY, valid_from=date(2026, 1, 1), valid_to=date(2026, 3, 31)
    )
    assert _duty(desk, position=Position.PARTY_SECRETARY, valid_from=date(2026, 4, 1))


def test_deputies_are_many(desk):
    _duty(desk, position=Position.DEPUTY, holder_name="Đại biểu A")
    _duty(desk, position=Position.DEPUTY, holder_name="Đại biểu B")
    assert Duty.objects.filter(position=Position.DEPUTY).count() == 2


def test_a_place_no_longer_in_use_hosts_no_new_session(desk):
    place = services.place_save(
        actor=desk.leader, unit_id=desk.unit.pk, name="Phòng tiếp dân", address="Số 1"
    )
    services.place_save(
        actor=desk.leader,
        unit_id=desk.unit.pk,
        place_id=place.pk,
        version=place.version,
        name="Phòng tiếp dân",
        address="Số 1",
        active=False,
    )
    with pytest.raises(DomainError) as error:
        services.session_create(
            actor=desk.clerk,
            data=services.SessionInput(
                unit_id=desk.unit.pk, kind=SessionKind.REGULAR, day=TODAY, place_id=place.pk, held=True
            ),
            today=TODAY,
        )
    assert "place" in error.value.fields and not Session.objects.exists()
