"""Each service that writes several rows writes all of them or none: the audit entry, written last,
fails, and the model, its events, evaluations and scores, recognitions, files, replicas and
criteria are as they were."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core import audit
from danvan.core.models import AuditEvent, RecordFile
from danvan.practices import services
from danvan.practices.models import (
    CriteriaSet,
    Criterion,
    Evaluation,
    PracticeEvent,
    PracticeModel,
    PracticeStatus,
    Recognition,
    Score,
)

from .conftest import (
    PDF,
    TODAY,
    bring_to,
    details,
    evaluate,
    not_recognise,
    recognise,
    register,
    report,
    submit,
    withdraw,
)


def state() -> tuple:
    return (
        list(PracticeModel.objects.order_by("pk").values()),
        list(PracticeEvent.objects.order_by("pk").values_list("pk", "action")),
        Evaluation.objects.count(),
        Score.objects.count(),
        Recognition.objects.count(),
        RecordFile.objects.count(),
        CriteriaSet.objects.count(),
        Criterion.objects.count(),
        AuditEvent.objects.count(),
    )


def _prepared(name: str, org):
    """The model each service works on, in the status it needs."""
    if name in ("evaluate", "not_recognise"):
        return bring_to(PracticeStatus.UNDER_REVIEW, org)
    if name == "recognise":
        model = bring_to(PracticeStatus.UNDER_REVIEW, org)
        evaluate(model, org.n_leader)
        return model
    if name == "replicate":
        return bring_to(PracticeStatus.RECOGNISED, org)
    return register(org.n_leader, org.tree.n)


CALLS = {
    "register": lambda m, o: register(o.n_leader, o.tree.n),
    "update": lambda m, o: services.practice_update(
        actor=o.n_leader,
        practice_id=m.pk,
        version=m.version,
        data=services.PracticeDetails(
            kind="model",
            name="Tên mới",
            field="economy",
            registered_on=date(2026, 2, 1),
            carried_out_by="A",
            aims="B",
        ),
        today=TODAY,
    ),
    "report": lambda m, o: report(m, o.n_leader, files=[services.EvidenceFile("a.pdf", PDF)]),
    "evidence": lambda m, o: services.practice_evidence_add(
        actor=o.n_leader, practice_id=m.pk, files=[services.EvidenceFile("a.pdf", PDF)], on=TODAY, today=TODAY
    ),
    "submit": lambda m, o: submit(m, o.n_leader),
    "evaluate": lambda m, o: evaluate(m, o.n_leader),
    "recognise": lambda m, o: recognise(m, o.n_leader),
    "not_recognise": lambda m, o: not_recognise(m, o.n_leader),
    "withdraw": lambda m, o: withdraw(m, o.n_leader),
    "replicate": lambda m, o: services.practice_replicate(
        actor=o.province_board,
        source_id=m.pk,
        data=details(o.tree.n2, registered_on=date(2026, 10, 1)),
        today=TODAY,
    ),
    "criteria_set_save": lambda m, o: services.criteria_set_save(
        actor=o.province_board,
        data=services.CriteriaSetInput(
            unit_id=o.tree.province.pk,
            name="Bộ tiêu chí tỉnh",
            applies="collective",
            first_year=2026,
            last_year=None,
            pass_mark=60,
            criteria=[services.CriterionInput("Sáng tạo", 50), services.CriterionInput("Hiệu quả", 50)],
        ),
        today=TODAY,
    ),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_all_or_nothing(name, org, monkeypatch):
    model = _prepared(name, org)
    model.refresh_from_db()
    before = state()

    def boom(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        CALLS[name](model, org)
    assert state() == before
    monkeypatch.undo()
    CALLS[name](model, org)  # and it works once the trail is back
    assert state() != before
