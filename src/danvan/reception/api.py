"""The reception router: places, the heads' duties, sessions and their steps, visits (with the
petitions made of them), the desk's look-up, the answers owed, the head's conclusions, the
reception book, the heads' compliance and the figures of form 01/TCD.

Thin: each route parses, calls one service or selector, and renders with `api_presenters`. Edits
and steps take the `version` the client read; a stale one answers 409. "Today" is the server's
local date. A protected visitor's identity is in no answer but the logged POST /visits/{id}/identity
(and the book, for those entitled, where each showing is logged too).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from danvan.core import indicators as indicator_registry
from danvan.core.errors import DomainError
from danvan.petitions import timing
from danvan.petitions.presenters import petition_summary, unit_ref
from danvan.units import selectors as unit_selectors

from . import api_presenters as present
from . import selectors, services
from .schemas import (
    AnswerIn,
    BookOut,
    CancelIn,
    ComplianceOut,
    ComplianceQuery,
    ConclusionIn,
    ConclusionOut,
    DirectiveDoneIn,
    DirectiveOut,
    DutyIn,
    DutyOut,
    DutyQuery,
    DutyUpdateIn,
    HoldIn,
    IdentityIn,
    IndicatorsOut,
    OpenRegularIn,
    PeopleOut,
    PeopleQuery,
    PeriodQuery,
    PlaceIn,
    PlaceOut,
    PlaceQuery,
    PlaceUpdateIn,
    PublishIn,
    SessionDetailOut,
    SessionIn,
    SessionPageOut,
    SessionQuery,
    UnitQuery,
    VisitCreatedOut,
    VisitDetailOut,
    VisitIn,
    VisitorIdentityOut,
    VisitPageOut,
    VisitQuery,
)

router = Router(tags=["reception"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BY = "by"  # the dimension of reception figures: regular, head (in person), authorised


def _today() -> date:
    return timezone.localdate()


def _period(first: date, last: date) -> None:
    if last < first:
        message = _("The end date is before the start date.")
        raise DomainError("period_invalid", message, fields={"to": message})


def _page(rows, page: int, page_size: int) -> tuple[list, int]:
    start = (page - 1) * page_size
    return list(rows[start : start + page_size]), rows.count()


# ---- places and duties ----------------------------------------------------------------------


@router.get("/places", response=list[PlaceOut], url_name="reception_place_list")
def place_list(request, filters: Query[PlaceQuery]):
    """The reception places the user can see (Art 2(5)), with their regular hours."""
    return [
        present.place_view(p) for p in selectors.place_list_for(request.auth, filters.unit).order_by("pk")
    ]


@router.post("/places", response={201: PlaceOut}, url_name="reception_place_create")
def place_create(request, payload: PlaceIn):
    """Declare a reception place (the head of the unit)."""
    place = services.place_save(actor=request.auth, **payload.dict())
    return Status(201, present.place_view(place))


@router.put("/places/{place_id}", response=PlaceOut, url_name="reception_place_update")
def place_update(request, place_id: int, payload: PlaceUpdateIn):
    """Change a place, at the version the client read."""
    # The unit of an existing place never changes: the service reads it from the place.
    place = services.place_save(actor=request.auth, unit_id=0, place_id=place_id, **payload.dict())
    return present.place_view(place)


@router.get("/duties", response=list[DutyOut], url_name="reception_duty_list")
def duty_list(request, filters: Query[DutyQuery]):
    """Who holds each head's periodic reception duty, and from when to when."""
    duties = selectors.duty_list_for(request.auth, filters.unit, on=filters.on)
    return [present.duty_view(d) for d in duties]


@router.post("/duties", response={201: DutyOut}, url_name="reception_duty_create")
def duty_create(request, payload: DutyIn):
    duty = services.duty_save(actor=request.auth, **payload.dict())
    return Status(201, present.duty_view(duty))


@router.put("/duties/{duty_id}", response=DutyOut, url_name="reception_duty_update")
def duty_update(request, duty_id: int, payload: DutyUpdateIn):
    duty = services.duty_save(actor=request.auth, unit_id=0, duty_id=duty_id, **payload.dict())
    return present.duty_view(duty)


# ---- sessions -------------------------------------------------------------------------------


def _session(request, session_id: int, warnings: list[str] | None = None) -> dict:
    """One session as the user sees it now; `warnings` of the step just taken, else the
    schedule's (a late or missing publication)."""
    user, today = request.auth, _today()
    session = selectors.session_get_for(user, session_id)
    return present.session_detail(
        session,
        warnings=selectors.schedule_warnings(session, today) if warnings is None else warnings,
        conclusions=list(selectors.conclusion_list_for(user, session_id)),
        today=today,
    )


@router.get("/sessions", response=SessionPageOut, url_name="reception_session_list")
def session_list(request, filters: Query[SessionQuery]):
    """Sessions newest first, by unit, period (`from`, `to`), kind and status."""
    sessions = selectors.session_list_for(
        request.auth,
        unit_id=filters.unit,
        first=filters.first,
        last=filters.last,
        kind=filters.kind,
        status=filters.status,
    )
    rows, count = _page(sessions, filters.page, filters.page_size)
    return {
        "items": [present.session_view(s) for s in selectors.with_visit_counts(rows)],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/sessions", response={201: SessionDetailOut}, url_name="reception_session_create")
def session_create(request, payload: SessionIn):
    """Schedule a session, or record one that was held (`held`, with who presided)."""
    result = services.session_create(
        actor=request.auth, data=services.SessionInput(**payload.dict()), today=_today()
    )
    return Status(201, _session(request, result.session.pk, result.warnings))


@router.post("/sessions/open-regular", response=SessionDetailOut, url_name="reception_session_open_regular")
def session_open_regular(request, payload: OpenRegularIn):
    """Today's regular reception at a place: opened on the first call, found again after."""
    today = _today()
    session = services.session_open_regular(
        actor=request.auth,
        unit_id=payload.unit_id,
        day=payload.day or today,
        place_id=payload.place_id,
        today=today,
    )
    return _session(request, session.pk, [])


@router.get("/sessions/{session_id}", response=SessionDetailOut, url_name="reception_session_detail")
def session_detail(request, session_id: int):
    """The session, the head's conclusions after it, and whether its schedule is late (Art 24)."""
    return _session(request, session_id)


@router.post(
    "/sessions/{session_id}/publish", response=SessionDetailOut, url_name="reception_session_publish"
)
def session_publish(request, session_id: int, payload: PublishIn):
    """Record the day the schedule was posted at the place and on the website (Art 24)."""
    today = _today()
    result = services.session_publish(
        actor=request.auth,
        session_id=session_id,
        version=payload.version,
        on=payload.on or today,
        today=today,
    )
    return _session(request, session_id, result.warnings)


@router.post("/sessions/{session_id}/hold", response=SessionDetailOut, url_name="reception_session_hold")
def session_hold(request, session_id: int, payload: HoldIn):
    """Record that a scheduled session took place, and who presided (the head or an authorised
    person)."""
    result = services.session_hold(
        actor=request.auth, session_id=session_id, today=_today(), **payload.dict()
    )
    return _session(request, session_id, result.warnings)


@router.post("/sessions/{session_id}/cancel", response=SessionDetailOut, url_name="reception_session_cancel")
def session_cancel(request, session_id: int, payload: CancelIn):
    services.session_cancel(
        actor=request.auth,
        session_id=session_id,
        version=payload.version,
        reason=payload.reason,
        today=_today(),
    )
    return _session(request, session_id)


@router.post(
    "/sessions/{session_id}/conclusions",
    response={201: ConclusionOut},
    url_name="reception_conclusion_issue",
)
def conclusion_issue(request, session_id: int, payload: ConclusionIn):
    """The notice of the head's conclusions after a periodic or ad hoc session, with a task for
    each responsible unit (Nghị định 154/2026 Art 25)."""
    today = _today()
    conclusion = services.conclusion_issue(
        actor=request.auth,
        session_id=session_id,
        number=payload.number,
        issued_on=payload.issued_on or today,
        signer=payload.signer,
        summary=payload.summary,
        directives=[services.DirectiveInput(**d.dict()) for d in payload.directives],
        today=today,
    )
    return Status(201, present.conclusion_view(conclusion, today=today))


@router.get("/directives", response=list[DirectiveOut], url_name="reception_directive_list")
def directive_list(request, filters: Query[UnitQuery]):
    """Tasks of the head's conclusions not yet done, the nearest deadline first."""
    today = _today()
    directives = selectors.directives_open_for(request.auth, unit_id=filters.unit)
    start = (filters.page - 1) * filters.page_size
    return [present.directive_view(d, today=today) for d in directives[start : start + filters.page_size]]


@router.post("/directives/{directive_id}/done", response=DirectiveOut, url_name="reception_directive_done")
def directive_done(request, directive_id: int, payload: DirectiveDoneIn):
    """Record that the responsible unit carried the task out, and what came of it."""
    today = _today()
    directive = services.directive_done(
        actor=request.auth,
        directive_id=directive_id,
        version=payload.version,
        done_on=payload.done_on or today,
        result=payload.result,
        today=today,
    )
    return present.directive_view(directive, today=today)


# ---- the desk: look-up and visits -----------------------------------------------------------


@router.get("/people", response=PeopleOut, url_name="reception_person_lookup")
def person_lookup(request, filters: Query[PeopleQuery]):
    """Earlier visits and petitions of a person, by ID number (exact) or by the start of the name.
    A protected record the user may not see in full is only counted in `hidden`."""
    today = _today()
    found = selectors.person_lookup(request.auth, id_number=filters.id_number, name=filters.name)
    calendar = timing.calendar_around(today) if found.petitions else None  # for their urgency
    return {
        "visits": [
            {"visit": present.visit_summary(m.visit, today=today), "case_visits": m.case_visits}
            for m in found.visits
        ],
        "petitions": [petition_summary(p, today=today, calendar=calendar) for p in found.petitions],
        "hidden": found.hidden,
    }


def _visit(request, visit_id: int) -> dict:
    user, today = request.auth, _today()
    visit = selectors.visit_get_for(user, visit_id)
    return present.visit_detail(visit, entitled=selectors.visit_entitled(user, visit), today=today)


@router.get("/visits", response=VisitPageOut, url_name="reception_visit_list")
def visit_list(request, filters: Query[VisitQuery]):
    """Visits newest first, by unit, session, period and words of the content. No names."""
    today = _today()
    visits = selectors.visit_list_for(
        request.auth,
        unit_id=filters.unit,
        session_id=filters.session,
        first=filters.first,
        last=filters.last,
        q=filters.q,
    )
    rows, count = _page(visits, filters.page, filters.page_size)
    return {
        "items": [present.visit_summary(v, today=today) for v in rows],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/visits", response={201: VisitCreatedOut}, url_name="reception_visit_record")
def visit_record(request, payload: VisitIn):
    """Record a reception in the book, in a session held today or earlier. With `make_petitions`,
    one petition per kind of content is made in the same transaction; each comes with its tracking
    code and secret, shown only this once."""
    fields = payload.dict()
    fields["parts"] = [services.VisitPart(**part) for part in fields["parts"]]
    fields["visitors"] = [services.VisitorInput(**person) for person in fields["visitors"]]
    today = _today()
    result = services.visit_record(actor=request.auth, data=services.VisitInput(**fields), today=today)
    return Status(
        201,
        {
            "visit": _visit(request, result.visit.pk),
            "petitions": [
                {**present.petition_ref(p), "secret": result.secrets[p.pk]} for p in result.petitions
            ],
            "warnings": result.warnings,
        },
    )


@router.get("/visits/{visit_id}", response=VisitDetailOut, url_name="reception_visit_detail")
def visit_detail(request, visit_id: int):
    """The visit, its people (a protected visitor masked, whoever asks), the petitions made of it."""
    return _visit(request, visit_id)


@router.post("/visits/{visit_id}/answer", response=VisitDetailOut, url_name="reception_visit_answer")
def visit_answer(request, visit_id: int, payload: AnswerIn):
    """Record what the citizen was told of their matter (Art 28(1)): accepted, more time needed,
    not accepted, or transferred."""
    today = _today()
    services.visit_answer(
        actor=request.auth,
        visit_id=visit_id,
        version=payload.version,
        answered_on=payload.answered_on or today,
        answer_kind=payload.answer_kind,
        follow_up=payload.follow_up,
        today=today,
    )
    return _visit(request, visit_id)


@router.post(
    "/visits/{visit_id}/identity", response=list[VisitorIdentityOut], url_name="reception_visit_identity"
)
def visit_identity(request, visit_id: int, payload: IdentityIn):
    """The visitors' identities in clear. For a protected visit only the officer who received
    them, the head of the unit and those entitled to a petition made of it; each view is recorded in
    the audit trail with its reason (Luật Tố cáo 25/2018 Art 47)."""
    people = services.visitor_identities(actor=request.auth, visit_id=visit_id, reason=payload.reason)
    return [present.visitor_identity(person, ident) for person, ident in people]


@router.get("/answers-due", response=VisitPageOut, url_name="reception_answers_due")
def answers_due(request, filters: Query[UnitQuery]):
    """Visits whose answer to the citizen is still owed, the nearest deadline first (Art 28(1))."""
    today = _today()
    visits = selectors.answers_due_for(request.auth, today=today, unit_id=filters.unit)
    rows, count = _page(visits, filters.page, filters.page_size)
    return {
        "items": [present.visit_summary(v, today=today) for v in rows],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


# ---- the book, compliance, figures ----------------------------------------------------------


def _book(request, filters: PeriodQuery):
    _period(filters.first, filters.last)
    return selectors.book_rows(request.auth, unit_id=filters.unit, first=filters.first, last=filters.last)


@router.get("/book", response=BookOut, url_name="reception_book")
def book(request, filters: Query[PeriodQuery]):
    """The reception book of a unit for a period (form 03, TT 04/2021, columns 1–12). A protected
    visitor's name, address and ID only for those entitled, each showing logged."""
    unit, rows = _book(request, filters)
    return {
        "unit": unit_ref(unit),
        "first": filters.first,
        "last": filters.last,
        "rows": [present.book_row(r) for r in rows],
    }


def _book_file(request, filters: PeriodQuery, extension: str) -> HttpResponse:
    from . import exports  # openpyxl and the PDF library load only for a download

    unit, rows = _book(request, filters)
    render, content_type = (
        (exports.book_xlsx, XLSX) if extension == "xlsx" else (exports.book_pdf, "application/pdf")
    )
    data = render(unit=unit, rows=rows, first=filters.first, last=filters.last)
    response = HttpResponse(data, content_type=content_type)
    name = f"so-tiep-cong-dan-{unit.code}-{filters.first:%Y%m%d}-{filters.last:%Y%m%d}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/book.xlsx", url_name="reception_book_xlsx")
def book_xlsx(request, filters: Query[PeriodQuery]):
    """The reception book as a spreadsheet (form 03), masked as the JSON book is."""
    return _book_file(request, filters, "xlsx")


@router.get("/book.pdf", url_name="reception_book_pdf")
def book_pdf(request, filters: Query[PeriodQuery]):
    """The reception book as PDF (form 03), masked as the JSON book is."""
    return _book_file(request, filters, "pdf")


@router.get("/compliance", response=ComplianceOut, url_name="reception_compliance")
def compliance(request, filters: Query[ComplianceQuery]):
    """For each head's duty: the periodic days required in the period, held in person, delegated
    and missed, and the rate (Art 12–18); `below` adds every unit under this one."""
    _period(filters.first, filters.last)
    unit = unit_selectors.unit_get_for(request.auth, filters.unit, "record.view")
    rows = selectors.compliance_for(
        request.auth,
        unit_id=unit.pk,
        first=filters.first,
        last=filters.last,
        below=filters.below,
        today=timezone.localdate(),
    )
    return {
        "unit": unit_ref(unit),
        "first": filters.first,
        "last": filters.last,
        "rows": [present.compliance_row(r) for r in rows],
    }


@router.get("/indicators", response=IndicatorsOut, url_name="reception_indicators")
def indicators(request, filters: Query[PeriodQuery]):
    """Every reception figure of form 01/TCD for the unit and everything under it in the period:
    the total and its split by who received (regular, head in person, authorised), each with the
    number of records behind it."""
    _period(filters.first, filters.last)
    user = request.auth
    unit = unit_selectors.unit_get_for(user, filters.unit, "record.view")
    out = []
    for code, indicator in indicator_registry.registry().items():
        if not code.startswith("reception."):
            continue

        def figure(by: str | None = None, code=code):
            return indicator_registry.figure(
                code,
                user=user,
                unit_path=unit.path,
                first=filters.first,
                last=filters.last,
                filters={BY: by} if by else None,
            )

        by_values = indicator.dimensions.get(BY, {})
        out.append(present.indicator_view(indicator, total=figure(), by={v: figure(v) for v in by_values}))
    return {"unit": unit_ref(unit), "first": filters.first, "last": filters.last, "indicators": out}
