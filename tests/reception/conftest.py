"""Fixtures of the reception tests: a commune (after the 2025 reform) that receives citizens, its
staff, the chairman's duty, and helpers that record sessions and visits through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.reception import services
from danvan.reception.models import Duty, Position, Presider, Session, SessionKind, Visit
from danvan.units.models import Role, RoleScope, Unit

TODAY = date(2026, 11, 27)  # a Friday
PLANTED_NAME = "Hoàng Thị Bí Mật Zyx"  # a denouncer's name that must appear nowhere it should not
PLANTED_ID = "037199012345"


@dataclass
class Desk:
    """Commune N (the reception unit), its staff, a supervisor of the province, an outsider."""

    unit: Unit
    other: Unit
    clerk: object
    handler: object
    leader: object
    committee: object
    supervisor: object
    outsider: object
    duty: Duty


@pytest.fixture
def desk(tree, make_user) -> Desk:
    leader = make_user(Role.LEADER, tree.n, username="chairman")
    duty = services.duty_save(
        actor=leader,
        unit_id=tree.n.pk,
        position=Position.PC_CHAIRMAN,
        holder_name="Trần Văn Chủ",
        holder_id=leader.pk,
        valid_from=date(2025, 7, 1),
    )
    return Desk(
        unit=tree.n,
        other=tree.other_commune,
        clerk=make_user(Role.CLERK, tree.n, username="clerk"),
        handler=make_user(Role.HANDLER, tree.n, username="handler"),
        leader=leader,
        committee=make_user(Role.COMMITTEE_MEMBER, tree.n, username="committee"),
        supervisor=make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="supervisor"),
        outsider=make_user(Role.CLERK, tree.other_commune, username="outsider"),
        duty=duty,
    )


@pytest.fixture
def regular(desk) -> Session:
    """Today's regular reception at the commune, opened by the clerk."""
    return services.session_open_regular(
        actor=desk.clerk, unit_id=desk.unit.pk, day=TODAY, place_id=None, today=TODAY
    )


@pytest.fixture
def head_session(desk) -> Session:
    """The chairman's periodic reception today, presided in person."""
    return services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk,
            kind=SessionKind.PERIODIC,
            day=TODAY,
            duty_id=desk.duty.pk,
            held=True,
            presider=Presider.HEAD,
        ),
        today=TODAY,
    ).session


def visit_input(session: Session, **overrides) -> services.VisitInput:
    """A valid visit of one person with one complaint; override any field."""
    values = {
        "session_id": session.pk,
        "parts": [
            services.VisitPart(
                kind=overrides.pop("kind", "complaint"),
                field=overrides.pop("field", "land"),
                content=overrides.pop(
                    "content",
                    "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
                ),
            )
        ],
        "visitors": [
            services.VisitorInput(name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông")
        ],
        "outcome": "accepted",
    }
    values.update(overrides)
    return services.VisitInput(**values)


@pytest.fixture
def record_visit(desk):
    def record(session: Session, actor=None, today: date = TODAY, **overrides) -> services.VisitResult:
        return services.visit_record(
            actor=actor or desk.clerk, data=visit_input(session, **overrides), today=today
        )

    return record


def visits_count() -> int:
    return Visit.objects.count()
