"""The emulation router: movements, and commendations with their lifecycle (propose, decide one or
several under one decision, decline, revoke) and the certificate of merit as a PDF.

Thin: each route parses, calls one service or selector, and renders with `presenters`. Edits and
steps take the `version` the client read; a stale one answers 409. "Today" is the server's local
date.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from danvan.core.presenters import file_view
from danvan.core.schemas import FileOut

from . import presenters, selectors, services
from .models import CommendationStatus
from .schemas import (
    BatchDecideIn,
    CommendationDetailOut,
    CommendationIn,
    CommendationOut,
    CommendationPageOut,
    CommendationQuery,
    CommendationUpdateIn,
    DecideIn,
    DeclineIn,
    MovementIn,
    MovementOut,
    MovementPageOut,
    MovementQuery,
    MovementUpdateIn,
    RevokeIn,
)

router = Router(tags=["emulation"])


def _today() -> date:
    return timezone.localdate()


def _page(rows, page: int, page_size: int) -> tuple[list, int]:
    start = (page - 1) * page_size
    return list(rows[start : start + page_size]), rows.count()


# ---- movements ------------------------------------------------------------------------------------


@router.get("/movements", response=MovementPageOut, url_name="emulation_movement_list")
def movement_list(request, filters: Query[MovementQuery]):
    """Movements the user can see, the latest first, by unit (and below), name and year."""
    rows = selectors.movement_list_for(request.auth, unit_id=filters.unit, q=filters.q, year=filters.year)
    items, count = _page(rows, filters.page, filters.page_size)
    return {
        "items": [presenters.movement_view(m) for m in items],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.get("/movements/{movement_id}", response=MovementOut, url_name="emulation_movement_detail")
def movement_detail(request, movement_id: int):
    return presenters.movement_view(selectors.movement_get_for(request.auth, movement_id))


@router.post("/movements", response={201: MovementOut}, url_name="emulation_movement_create")
def movement_create(request, payload: MovementIn):
    """Launch a movement of a unit where the user keeps the emulation work."""
    movement = services.movement_create(
        actor=request.auth, data=services.MovementInput(**payload.dict()), today=_today()
    )
    return Status(201, presenters.movement_view(selectors.movement_get_for(request.auth, movement.pk)))


@router.put("/movements/{movement_id}", response=MovementOut, url_name="emulation_movement_update")
def movement_update(request, movement_id: int, payload: MovementUpdateIn):
    """Change a movement at the version the client read (its launching unit stays)."""
    values = payload.dict()
    version = values.pop("version")
    services.movement_update(
        actor=request.auth,
        movement_id=movement_id,
        version=version,
        data=services.MovementInput(**values),
        today=_today(),
    )
    return presenters.movement_view(selectors.movement_get_for(request.auth, movement_id))


# ---- commendations --------------------------------------------------------------------------------


def _detail(request, commendation_id: int) -> dict:
    commendation = selectors.commendation_get_for(request.auth, commendation_id)
    view = presenters.commendation_view(commendation)
    view["events"] = [presenters.event_view(e) for e in selectors.commendation_events(commendation)]
    return view


@router.get("/commendations", response=CommendationPageOut, url_name="emulation_commendation_list")
def commendation_list(request, filters: Query[CommendationQuery]):
    """Commendations by status, level, form, recipient kind, year of decision, movement, decision
    (number and date), unit (and below) and name."""
    rows = selectors.commendation_list_for(
        request.auth,
        selectors.CommendationFilter(
            status=filters.status,
            level=filters.level,
            form=filters.form,
            recipient=filters.recipient,
            year=filters.year,
            movement_id=filters.movement,
            decision_number=filters.decision_number,
            decided_on=filters.decided_on,
            unit_id=filters.unit,
            q=filters.q,
        ),
    ).select_related("issuer_unit", "practice", "activity")
    items, count = _page(rows, filters.page, filters.page_size)
    return {
        "items": [presenters.commendation_view(c) for c in items],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post(
    "/commendations", response={201: CommendationDetailOut}, url_name="emulation_commendation_propose"
)
def commendation_propose(request, payload: CommendationIn):
    """Propose a collective or an individual for a commendation (emulation.manage on its unit)."""
    commendation = services.commendation_propose(
        actor=request.auth, data=services.CommendationInput(**payload.dict()), today=_today()
    )
    return Status(201, _detail(request, commendation.pk))


@router.post(
    "/commendations/decide", response=list[CommendationOut], url_name="emulation_commendations_decide"
)
def commendations_decide(request, payload: BatchDecideIn):
    """One decision for several proposals: all are decided, or none and every row's problem is
    named ("commendations.<row>", rows from 0 in the order given)."""
    decided = services.commendations_decide(
        actor=request.auth,
        commendation_ids=payload.commendation_ids,
        decision=services.Decision(
            number=payload.decision_number,
            decided_on=payload.decided_on,
            issuer=payload.issuer,
            issuer_unit_id=payload.issuer_unit_id,
        ),
        today=_today(),
    )
    rows = selectors.commendation_list_for(request.auth).select_related("issuer_unit", "practice", "activity")
    found = rows.in_bulk([c.pk for c in decided])
    return [presenters.commendation_view(found[c.pk]) for c in decided]


@router.get(
    "/commendations/{commendation_id}",
    response=CommendationDetailOut,
    url_name="emulation_commendation_detail",
)
def commendation_detail(request, commendation_id: int):
    return _detail(request, commendation_id)


@router.put(
    "/commendations/{commendation_id}",
    response=CommendationDetailOut,
    url_name="emulation_commendation_update",
)
def commendation_update(request, commendation_id: int, payload: CommendationUpdateIn):
    """Change a proposal at the version the client read."""
    values = payload.dict()
    version = values.pop("version")
    services.commendation_update(
        actor=request.auth,
        commendation_id=commendation_id,
        version=version,
        data=services.CommendationInput(**values),
        today=_today(),
    )
    return _detail(request, commendation_id)


@router.post(
    "/commendations/{commendation_id}/decide",
    response=CommendationDetailOut,
    url_name="emulation_commendation_decide",
)
def commendation_decide(request, commendation_id: int, payload: DecideIn):
    """Record the decision: number, date (at a level that existed then, not before the work it
    rewards, not in the future) and issuer."""
    services.commendation_decide(
        actor=request.auth,
        commendation_id=commendation_id,
        version=payload.version,
        decision=services.Decision(
            number=payload.decision_number,
            decided_on=payload.decided_on,
            issuer=payload.issuer,
            issuer_unit_id=payload.issuer_unit_id,
        ),
        today=_today(),
    )
    return _detail(request, commendation_id)


@router.post(
    "/commendations/{commendation_id}/decline",
    response=CommendationDetailOut,
    url_name="emulation_commendation_decline",
)
def commendation_decline(request, commendation_id: int, payload: DeclineIn):
    services.commendation_decline(
        actor=request.auth,
        commendation_id=commendation_id,
        version=payload.version,
        note=payload.note,
        today=_today(),
    )
    return _detail(request, commendation_id)


@router.post(
    "/commendations/{commendation_id}/revoke",
    response=CommendationDetailOut,
    url_name="emulation_commendation_revoke",
)
def commendation_revoke(request, commendation_id: int, payload: RevokeIn):
    services.commendation_revoke(
        actor=request.auth,
        commendation_id=commendation_id,
        version=payload.version,
        reason=payload.reason,
        today=_today(),
    )
    return _detail(request, commendation_id)


@router.post(
    "/commendations/{commendation_id}/files",
    response={201: FileOut},
    url_name="emulation_commendation_file",
)
def commendation_file(request, commendation_id: int, file: File[UploadedFile]):
    """Keep the scan of the decision (or another file) with the commendation (multipart: `file`)."""
    item = services.commendation_file_add(
        actor=request.auth, commendation_id=commendation_id, name=file.name or "", data=file.read()
    )
    return Status(201, file_view(item))


@router.get("/commendations/{commendation_id}/certificate", url_name="emulation_commendation_certificate")
def commendation_certificate(request, commendation_id: int):
    """The certificate of merit as a PDF, in the language of the request; 404 unless decided."""
    from .certificate import certificate_pdf

    commendation = selectors.commendation_get_for(request.auth, commendation_id)
    if commendation.status != CommendationStatus.DECIDED:
        raise Http404()
    response = HttpResponse(certificate_pdf(commendation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"certificate-{commendation.pk}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
