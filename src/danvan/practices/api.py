"""The practices router: models and exemplars of the "Dân vận khéo" movement, each step of their
lifecycle as a POST to its verb (report, submit, evaluate, recognise, not-recognise, withdraw,
replicate), editing the details at the version read (a stale one answers 409), and the criteria
sets.

Thin: each route parses, calls one service or selector, and renders with `presenters`. "Today" is
the server's local date. Evidence files are added on the model's page.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from . import presenters, selectors, services
from .schemas import (
    CriteriaSetIn,
    CriteriaSetOut,
    DetailsIn,
    EvaluateIn,
    NoteStepIn,
    PracticeDetailOut,
    PracticeIn,
    PracticePageOut,
    PracticeQuery,
    PracticeUpdateIn,
    RecogniseIn,
    ReportIn,
    SubmitIn,
)

router = Router(tags=["practices"])


def _today() -> date:
    return timezone.localdate()


def _details(payload: DetailsIn) -> dict:
    return {
        "kind": payload.kind,
        "name": payload.name,
        "field": payload.field,
        "registered_on": payload.registered_on,
        "address": payload.address,
        "carried_out_by": payload.carried_out_by,
        "aims": payload.aims,
        "expected_results": payload.expected_results,
    }


def _detail(request, practice_id: int) -> dict:
    """One model as the caller sees it now, with its history."""
    user = request.auth
    model = selectors.practice_get_for(user, practice_id)
    return presenters.practice_detail(model, selectors.practice_history_for(user, model), user, _today())


@router.get("/", response=PracticePageOut, url_name="practices_list")
def practice_list(request, filters: Query[PracticeQuery]):
    """Models and exemplars, newest registration first, by field, kind, level recognised, status,
    year, unit (with the units below) and words of the name."""
    user = request.auth
    unit = None
    if filters.unit is not None:
        unit = selectors.unit_for_filter(user, filters.unit)
    rows = selectors.practice_list_for(
        user,
        q=filters.q,
        field=filters.field,
        level=filters.level,
        year=filters.year,
        status=filters.status,
        kind=filters.kind,
        unit=unit,
    )
    start = (filters.page - 1) * filters.page_size
    page = list(rows[start : start + filters.page_size])
    return {
        "items": [presenters.practice_view(m) for m in page],
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/", response={201: PracticeDetailOut}, url_name="practices_register")
def practice_register(request, payload: PracticeIn):
    """Register a model or an exemplar in a unit where the caller manages models."""
    model = services.practice_register(
        actor=request.auth,
        data=services.PracticeInput(unit_id=payload.unit_id, **_details(payload)),
        today=_today(),
    )
    return Status(201, _detail(request, model.pk))


@router.get("/criteria-sets", response=list[CriteriaSetOut], url_name="practices_criteria_sets")
def criteria_set_list(request):
    """The national default sets and each province's, with their criteria."""
    return [presenters.criteria_set_view(s) for s in selectors.criteria_set_list_for(request.auth)]


@router.post("/criteria-sets", response={201: CriteriaSetOut}, url_name="practices_criteria_set_create")
def criteria_set_create(request, payload: CriteriaSetIn):
    """Add a province's criteria set (the caller recognises models for that province)."""
    created = services.criteria_set_save(
        actor=request.auth,
        data=services.CriteriaSetInput(
            unit_id=payload.unit_id,
            name=payload.name,
            applies=payload.applies,
            first_year=payload.first_year,
            last_year=payload.last_year,
            pass_mark=payload.pass_mark,
            source=payload.source,
            criteria=[
                services.CriterionInput(text=c.text, max_points=c.max_points) for c in payload.criteria
            ],
        ),
        today=_today(),
    )
    return Status(201, presenters.criteria_set_view(selectors.criteria_set_get(created.pk)))


@router.get("/{practice_id}", response=PracticeDetailOut, url_name="practices_detail")
def practice_detail(request, practice_id: int):
    """A model with its whole history and the steps the caller may take now."""
    return _detail(request, practice_id)


@router.put("/{practice_id}", response=PracticeDetailOut, url_name="practices_update")
def practice_update(request, practice_id: int, payload: PracticeUpdateIn):
    """Correct the details (registered or being carried out), at the version read."""
    services.practice_update(
        actor=request.auth,
        practice_id=practice_id,
        version=payload.version,
        data=services.PracticeDetails(**_details(payload)),
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/report", response=PracticeDetailOut, url_name="practices_report")
def practice_report(request, practice_id: int, payload: ReportIn):
    """Report progress (the model is then being carried out; a recognised one stays recognised)."""
    services.practice_report(
        actor=request.auth,
        practice_id=practice_id,
        on=payload.on,
        note=payload.note,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/files", response=PracticeDetailOut, url_name="practices_evidence")
def practice_evidence(request, practice_id: int, file: File[UploadedFile], on: Form[date | None] = None):
    """Keep a file of evidence with the model (multipart: `file`, optional `on`)."""
    services.practice_evidence_add(
        actor=request.auth,
        practice_id=practice_id,
        files=[services.EvidenceFile(name=file.name or "", data=file.read())],
        on=on,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/submit", response=PracticeDetailOut, url_name="practices_submit")
def practice_submit(request, practice_id: int, payload: SubmitIn):
    """Put the model up for review at a level (commune, district, province)."""
    services.practice_submit(
        actor=request.auth,
        practice_id=practice_id,
        level=payload.level,
        on=payload.on,
        note=payload.note,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/evaluate", response=PracticeDetailOut, url_name="practices_evaluate")
def practice_evaluate(request, practice_id: int, payload: EvaluateIn):
    """The board's scoring against the criteria set in force on the review date."""
    services.practice_evaluate(
        actor=request.auth,
        practice_id=practice_id,
        reviewed_on=payload.reviewed_on,
        scores={s.criterion_id: s.points for s in payload.scores},
        note=payload.note,
        criteria_set_id=payload.criteria_set_id,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/recognise", response=PracticeDetailOut, url_name="practices_recognise")
def practice_recognise(request, practice_id: int, payload: RecogniseIn):
    """Recognise the model at the level under review, by a decision."""
    services.practice_recognise(
        actor=request.auth,
        practice_id=practice_id,
        decision_number=payload.decision_number,
        decided_on=payload.decided_on,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/not-recognise", response=PracticeDetailOut, url_name="practices_not_recognise")
def practice_not_recognise(request, practice_id: int, payload: NoteStepIn):
    """Do not recognise the model at the level under review, saying why."""
    services.practice_not_recognise(
        actor=request.auth,
        practice_id=practice_id,
        on=payload.on,
        note=payload.note,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/withdraw", response=PracticeDetailOut, url_name="practices_withdraw")
def practice_withdraw(request, practice_id: int, payload: NoteStepIn):
    """Withdraw the model, saying why."""
    services.practice_withdraw(
        actor=request.auth,
        practice_id=practice_id,
        on=payload.on,
        note=payload.note,
        version=payload.version,
        today=_today(),
    )
    return _detail(request, practice_id)


@router.post("/{practice_id}/replicate", response={201: PracticeDetailOut}, url_name="practices_replicate")
def practice_replicate(request, practice_id: int, payload: PracticeIn):
    """Replicate the recognised model in a unit where the caller manages models: the new model."""
    replica = services.practice_replicate(
        actor=request.auth,
        source_id=practice_id,
        data=services.PracticeInput(unit_id=payload.unit_id, **_details(payload)),
        today=_today(),
    )
    return Status(201, _detail(request, replica.pk))
