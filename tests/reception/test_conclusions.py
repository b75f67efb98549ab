"""The notice of the head's conclusions after a session (Nghị định 154/2026 Art 25; Luật Tiếp công
dân Art 18(4)), its directives to the responsible units, and recording that a task was done."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.reception import selectors, services
from danvan.reception.models import Conclusion, Directive, Presider, SessionKind

from .conftest import TODAY

NUMBER = "12/TB-UBND"


def task(**values) -> services.DirectiveInput:
    values.setdefault("task", "Kiểm tra hồ sơ thu hồi đất của hộ ông An")
    values.setdefault("due_date", date(2026, 12, 10))
    if "responsible_unit_id" not in values:
        values.setdefault("responsible_name", "Công chức địa chính – xây dựng")
    return services.DirectiveInput(**values)


def issue(desk, session, *, actor=None, directives=None, **values) -> Conclusion:
    kwargs = {
        "actor": actor or desk.leader,
        "session_id": session.pk,
        "number": NUMBER,
        "issued_on": TODAY,
        "signer": "Trần Văn Chủ",
        "summary": "Giao công chức địa chính kiểm tra, báo cáo trước ngày 10/12/2026.",
        "directives": [task()] if directives is None else directives,
        "today": TODAY,
    }
    kwargs.update(values)
    return services.conclusion_issue(**kwargs)


def test_a_notice_with_its_directives(desk, tree, head_session, record_visit):
    visit = record_visit(head_session).visit
    conclusion = issue(
        desk,
        head_session,
        number="  12/TB-UBND ",
        directives=[
            task(visit_id=visit.pk),
            task(task="Phối hợp trả lời công dân", responsible_unit_id=tree.n2.pk, due_date=TODAY),
        ],
    )
    assert (conclusion.number, conclusion.unit, conclusion.unit_path) == (NUMBER, desk.unit, desk.unit.path)
    first, second = conclusion.directives.order_by("pk")
    assert (first.visit, first.responsible_name, first.unit_path) == (
        visit,
        "Công chức địa chính – xây dựng",
        desk.unit.path,
    )
    assert (second.responsible_unit, second.due_date, second.done_on) == (tree.n2, TODAY, None)
    event = AuditEvent.objects.get(action="reception.conclusion_issue")
    assert event.after == {
        "session_id": head_session.pk,
        "number": NUMBER,
        "issued_on": "2026-11-27",
        "directives": 2,
    }
    assert [c.pk for c in selectors.conclusion_list_for(desk.clerk, head_session.pk)] == [conclusion.pk]
    assert not selectors.conclusion_list_for(desk.outsider, head_session.pk).exists()


def _refused(desk, session, where: str, **values) -> None:
    before = (Conclusion.objects.count(), Directive.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        issue(desk, session, **values)
    assert where in err.value.fields, err.value.fields
    assert (Conclusion.objects.count(), Directive.objects.count(), AuditEvent.objects.count()) == before


def test_what_a_notice_refuses(desk, tree, head_session, regular, record_visit):
    _refused(desk, head_session, "directives", directives=[])
    _refused(desk, head_session, "directives.0.due_date", directives=[task(due_date=date(2026, 11, 26))])
    _refused(
        desk, head_session, "directives.1.responsible", directives=[task(), task(responsible_unit_id=987_654)]
    )
    _refused(desk, head_session, "directives.0.responsible", directives=[task(responsible_name=" ")])
    _refused(desk, head_session, "directives.0.task", directives=[task(task="  ")])
    # A district that ended on 30/06/2025 is given no task in 2026.
    _refused(
        desk, head_session, "directives.0.responsible", directives=[task(responsible_unit_id=tree.d1.pk)]
    )
    other_visit = record_visit(regular).visit
    _refused(desk, head_session, "directives.0.visit", directives=[task(visit_id=other_visit.pk)])
    _refused(desk, head_session, "number", number=" ")
    _refused(desk, head_session, "signer", signer="")
    _refused(desk, head_session, "summary", summary="")
    _refused(desk, head_session, "issued_on", issued_on=date(2026, 11, 28))
    # The conclusions are the head's: not after the desk's regular reception.
    _refused(desk, regular, "session")


def test_a_notice_follows_a_held_session_of_the_head(desk, make_user):
    scheduled = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk, kind=SessionKind.PERIODIC, day=date(2026, 11, 20), duty_id=desk.duty.pk
        ),
        today=TODAY,
    ).session
    _refused(desk, scheduled, "session")
    held = services.session_hold(
        actor=desk.clerk,
        session_id=scheduled.pk,
        version=scheduled.version,
        presider=Presider.HEAD,
        today=TODAY,
    ).session
    _refused(desk, held, "issued_on", issued_on=date(2026, 11, 19))  # before the session
    assert issue(desk, held, issued_on=date(2026, 11, 20)).issued_on == date(2026, 11, 20)
    ad_hoc = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk,
            kind=SessionKind.AD_HOC,
            day=TODAY,
            duty_id=desk.duty.pk,
            trigger="many_people",
            held=True,
            presider=Presider.HEAD,
        ),
        today=TODAY,
    ).session
    assert issue(desk, ad_hoc).session == ad_hoc


def test_who_issues_a_notice(desk, head_session):
    with pytest.raises(PermissionDenied):
        issue(desk, head_session, actor=desk.clerk)
    with pytest.raises(NotFound):
        issue(desk, head_session, actor=desk.outsider)
    assert issue(desk, head_session, actor=desk.supervisor).created_by == desk.supervisor
    with pytest.raises(NotFound):
        issue(desk, head_session, session_id=987_654)


def test_directive_done_and_the_open_list(desk, tree, head_session):
    conclusion = issue(
        desk,
        head_session,
        directives=[
            task(due_date=date(2026, 12, 10)),
            task(task="Trả lời công dân", due_date=date(2026, 12, 4), responsible_unit_id=tree.n2.pk),
        ],
    )
    later, sooner = conclusion.directives.order_by("pk")
    assert list(selectors.directives_open_for(desk.clerk)) == [sooner, later]
    assert list(selectors.directives_open_for(desk.clerk, unit_id=desk.unit.pk)) == [sooner, later]
    assert not selectors.directives_open_for(desk.clerk, unit_id=tree.n2.pk).exists()
    assert not selectors.directives_open_for(desk.outsider).exists()

    def done(directive, **values):
        kwargs = {
            "actor": desk.clerk,
            "directive_id": directive.pk,
            "version": directive.version,
            "done_on": TODAY,
            "result": "Đã kiểm tra, hồ sơ đúng quy định",
            "today": TODAY,
        }
        kwargs.update(values)
        return services.directive_done(**kwargs)

    for values, where in (
        ({"done_on": date(2026, 11, 28)}, "done_on"),
        ({"done_on": date(2026, 11, 26)}, "done_on"),
        ({"result": "  "}, "result"),
    ):
        with pytest.raises(DomainError) as err:
            done(sooner, **values)
        assert where in err.value.fields
    with pytest.raises(NotFound):
        done(sooner, actor=desk.outsider)
    with pytest.raises(PermissionDenied):
        done(sooner, actor=desk.committee)
    finished = done(sooner)
    assert (finished.done_on, finished.version) == (TODAY, 1)
    # A second officer working from the old version is told so, and nothing changes.
    with pytest.raises(StaleEdit):
        done(sooner, version=0, result="Kết quả khác")
    assert Directive.objects.get(pk=sooner.pk).result == "Đã kiểm tra, hồ sơ đúng quy định"
    assert list(selectors.directives_open_for(desk.clerk)) == [later]
    event = AuditEvent.objects.get(action="reception.directive_done")
    assert event.before == {"done_on": None, "result": ""}
    assert event.after == {"done_on": "2026-11-27", "result": "Đã kiểm tra, hồ sơ đúng quy định"}
    with pytest.raises(NotFound):
        done(sooner, directive_id=987_654)
