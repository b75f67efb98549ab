"""The lifecycle table swept: every transition from every status. Where the table allows it, the
service works and writes exactly one event row on the model (with the table's target status);
where it does not, the service refuses and nothing changes (the model, its events, evaluations,
recognitions, files, the audit trail).

The two progress steps ("report" while registered or carried out, "report_recognised" once
recognised) are one service, `practice_report`, which takes whichever of the two starts from the
model's status: for them the sweep expects the step of the table that the status allows.
"""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core.errors import DomainError
from danvan.core.models import AuditEvent
from danvan.practices import services
from danvan.practices.lifecycle import REGISTER, TRANSITIONS, allowed_from
from danvan.practices.models import Evaluation, PracticeEvent, PracticeModel, PracticeStatus, Recognition

from .conftest import TODAY, bring_to, details, evaluate, not_recognise, recognise, report, submit, withdraw

ON = date(2026, 10, 1)
SERVICE_OF = {action: action for action in TRANSITIONS} | {"report_recognised": "report"}


def _prepare(status: str, org) -> PracticeModel:
    model = bring_to(status, org)
    if status == PracticeStatus.UNDER_REVIEW:
        evaluate(model, org.n_leader)  # so that "recognise" has a passed scoring to rest on
        model.refresh_from_db()
    return model


def _call(action: str, model: PracticeModel, org):
    actor = org.n_leader
    if action in ("report", "report_recognised"):
        return report(model, actor, on=ON)
    if action == "submit":
        level = "province" if model.level else "commune"
        return submit(model, actor, level=level, on=ON)
    if action == "evaluate":
        return evaluate(model, actor, on=ON)
    if action == "recognise":
        return recognise(model, actor, on=ON)
    if action == "not_recognise":
        return not_recognise(model, actor, on=ON)
    if action == "withdraw":
        return withdraw(model, actor, on=ON)
    if action == "replicate":
        return services.practice_replicate(
            actor=org.province_board,
            source_id=model.pk,
            data=details(org.tree.n2, registered_on=ON),
            today=TODAY,
        )
    raise AssertionError(action)


def _state(model: PracticeModel) -> tuple:
    row = PracticeModel.objects.values().get(pk=model.pk)
    return (
        row,
        list(PracticeEvent.objects.filter(model=model).values_list("pk", flat=True)),
        Evaluation.objects.filter(model=model).count(),
        Recognition.objects.filter(model=model).count(),
        PracticeModel.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_action_of_the_table_has_a_service_in_the_sweep():
    assert set(SERVICE_OF) == set(TRANSITIONS)
    assert REGISTER.target == PracticeStatus.REGISTERED


@pytest.mark.parametrize("status", PracticeStatus.values)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_sweep(action, status, org):
    model = _prepare(status, org)
    allowed = [t for t in allowed_from(status) if SERVICE_OF[t.action] == SERVICE_OF[action]]
    before = _state(model)
    events_before = PracticeEvent.objects.filter(model=model).count()
    if not allowed:
        with pytest.raises(DomainError) as refused:
            _call(action, model, org)
        assert refused.value.code == "practice_step_not_allowed", refused.value.message
        assert _state(model) == before
        return
    transition = allowed[0]
    _call(action, model, org)
    model.refresh_from_db()
    events = list(PracticeEvent.objects.filter(model=model).order_by("pk"))
    assert len(events) == events_before + 1
    event = events[-1]
    assert event.action == transition.action
    assert event.from_status == status
    assert model.status == (transition.target or status) == event.to_status
    assert event.on == ON


def test_a_full_life_writes_the_history_in_order(org):
    model = bring_to(PracticeStatus.RECOGNISED, org)
    submit(model, org.n_leader, level="province", on=date(2026, 10, 1))
    evaluate(model, org.province_board, on=date(2026, 10, 5), each=18)
    recognise(model, org.province_board, on=date(2026, 10, 20), number="99/QĐ-UBND")
    report(model, org.n_leader, on=date(2026, 11, 1))
    actions = list(
        PracticeEvent.objects.filter(model=model).order_by("on", "pk").values_list("action", flat=True)
    )
    assert actions == [
        "register",
        "submit",
        "evaluate",
        "recognise",
        "submit",
        "evaluate",
        "recognise",
        "report_recognised",
    ]
    model.refresh_from_db()
    assert (model.status, model.level, model.recognised_on) == ("recognised", "province", date(2026, 10, 20))
    assert list(
        Recognition.objects.filter(model=model).order_by("decided_on").values_list("level", flat=True)
    ) == [
        "commune",
        "province",
    ]
