"""Fixtures of the petition tests: a unit tree with a handling agency, staff holding each role in
it, and petitions made through the intake service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.petitions import services
from danvan.petitions.models import Kind, Petition
from danvan.units.models import Role, RoleScope, Unit, UnitKind

from ..conftest import make_unit

TODAY = date(2026, 11, 27)  # a Friday
PLANTED_NAME = "Hoàng Thị Bí Mật Zyx"  # a denouncer's name that must appear nowhere it should not
PLANTED_ID = "037199012345"


@dataclass
class Office:
    """The province's People's Committee (handling agency), a commune agency below it, another
    province's agency, and one user per role in the province's agency."""

    agency: Unit
    commune_agency: Unit
    foreign_agency: Unit
    clerk: object
    handler: object
    leader: object
    committee: object
    auditor: object
    supervisor: object  # leader of the whole province (subtree)
    outsider: object  # handler in another province


@pytest.fixture
def office(tree, make_user) -> Office:
    commune_agency = make_unit("14801-UBND", "UBND xã Khánh Thiện", UnitKind.PEOPLES_COMMITTEE, tree.n)
    foreign_agency = make_unit(
        "01-UBND", "UBND thành phố Hà Nội", UnitKind.PEOPLES_COMMITTEE, tree.other_province
    )
    return Office(
        agency=tree.agency,
        commune_agency=commune_agency,
        foreign_agency=foreign_agency,
        clerk=make_user(Role.CLERK, tree.agency, username="clerk"),
        handler=make_user(Role.HANDLER, tree.agency, username="handler"),
        leader=make_user(Role.LEADER, tree.agency, username="leader"),
        committee=make_user(Role.COMMITTEE_MEMBER, tree.agency, username="committee"),
        auditor=make_user(Role.AUDITOR, tree.agency, username="auditor"),
        supervisor=make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="supervisor"),
        outsider=make_user(Role.HANDLER, foreign_agency, username="outsider"),
    )


def intake_input(unit: Unit, **overrides) -> services.IntakeInput:
    """A valid single-kind petition from one named petitioner; override any field."""
    kind = overrides.pop("kind", Kind.COMPLAINT)
    content = overrides.pop(
        "content",
        "Đề nghị xem xét lại quyết định thu hồi đất nông nghiệp của gia đình tôi tại thôn Đông, "
        "mức bồi thường thấp hơn giá thị trường.",
    )
    field = overrides.pop("field", "land")
    people = overrides.pop(
        "petitioners",
        [
            services.PersonInput(
                name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông, xã Khánh Thiện"
            )
        ],
    )
    values = {
        "unit_id": unit.pk,
        "received_on": date(2026, 11, 2),
        "channel": "post",
        "parts": [services.PartInput(kind=kind, field=field, content=content, subject="UBND xã Khánh Thiện")],
        "petitioners": people,
    }
    values.update(overrides)
    return services.IntakeInput(**values)


@pytest.fixture
def make_petition(office):
    """Receive a petition through the service (as the office's clerk by default)."""

    def make(actor=None, unit: Unit | None = None, today: date = TODAY, **overrides) -> Petition:
        result = services.petition_intake(
            actor=actor or office.clerk, data=intake_input(unit or office.agency, **overrides), today=today
        )
        return result.petitions[0]

    return make
