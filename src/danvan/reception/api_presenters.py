"""Plain data of citizen reception for the API.

Nothing here reads a protected visitor's identity: `visitor_public` shows a visitor of a protected
visit (one whose matter includes a denunciation) only by position and flags, whoever asks. The clear
identity comes only from `services.visitor_identities`, which checks the entitlement and logs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from danvan.petitions.models import Field, Kind, Petition
from danvan.petitions.models import Status as PetitionStatus
from danvan.petitions.presenters import choice, excerpt, unit_ref, user_ref

from .models import (
    AnswerKind,
    Conclusion,
    Directive,
    Duty,
    Mode,
    Outcome,
    Place,
    Position,
    Presider,
    RefusalGround,
    Session,
    SessionKind,
    SessionStatus,
    Trigger,
    Visit,
    Visitor,
)


def place_view(place: Place) -> dict:
    return {
        "id": place.pk,
        "unit": unit_ref(place.unit),
        "name": place.name,
        "address": place.address,
        "regular_hours": place.regular_hours,
        "active": place.active,
        "version": place.version,
    }


def duty_view(duty: Duty) -> dict:
    return {
        "id": duty.pk,
        "unit": unit_ref(duty.unit),
        "position": choice(Position, duty.position),
        "holder_name": duty.holder_name,
        "holder_id": duty.holder_id,
        "valid_from": duty.valid_from,
        "valid_to": duty.valid_to,
        "version": duty.version,
    }


def session_view(session: Session) -> dict:
    place, duty = session.place, session.duty
    return {
        "id": session.pk,
        "unit": unit_ref(session.unit),
        "place": {"id": place.pk, "name": place.name} if place is not None else None,
        "kind": choice(SessionKind, session.kind),
        "mode": choice(Mode, session.mode),
        "day": session.day,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "duty": (
            {"id": duty.pk, "position": choice(Position, duty.position), "holder_name": duty.holder_name}
            if duty is not None
            else None
        ),
        "presider": choice(Presider, session.presider),
        "presider_name": session.presider_name,
        "authorisation": session.authorisation,
        "trigger": choice(Trigger, session.trigger),
        "attendees": session.attendees,
        "expected_content": session.expected_content,
        "recording": session.recording,
        "status": choice(SessionStatus, session.status),
        "published_on": session.published_on,
        "cancel_reason": session.cancel_reason,
        "visit_count": getattr(session, "visit_count", None),
        "version": session.version,
    }


def directive_view(directive: Directive, *, today: date) -> dict:
    return {
        "id": directive.pk,
        "conclusion_id": directive.conclusion_id,
        "visit_id": directive.visit_id,
        "responsible_unit": unit_ref(directive.responsible_unit) if directive.responsible_unit_id else None,
        "responsible_name": directive.responsible_name,
        "task": directive.task,
        "due_date": directive.due_date,
        "done_on": directive.done_on,
        "result": directive.result,
        "overdue": directive.done_on is None and directive.due_date < today,
        "version": directive.version,
    }


def conclusion_view(conclusion: Conclusion, *, today: date) -> dict:
    return {
        "id": conclusion.pk,
        "session_id": conclusion.session_id,
        "number": conclusion.number,
        "issued_on": conclusion.issued_on,
        "signer": conclusion.signer,
        "summary": conclusion.summary,
        "directives": [directive_view(d, today=today) for d in conclusion.directives.all()],
    }


def session_detail(
    session: Session, *, warnings: list[str], conclusions: list[Conclusion], today: date
) -> dict:
    return {
        **session_view(session),
        "warnings": warnings,
        "conclusions": [conclusion_view(c, today=today) for c in conclusions],
    }


def visit_summary(visit: Visit, *, today: date) -> dict:
    """One line of a list of visits: no person in it, protected or not."""
    return {
        "id": visit.pk,
        "book_number": visit.book_number,
        "unit": unit_ref(visit.unit),
        # The visit keeps its session's kind and day: no join needed.
        "session": {
            "id": visit.session_id,
            "kind": choice(SessionKind, visit.session_kind),
            "day": visit.day,
        },
        "day": visit.day,
        "presider": choice(Presider, visit.presider),
        "kinds": [choice(Kind, k) for k in visit.kind_list],
        "excerpt": excerpt(visit.content),
        "people_count": visit.people_count,
        "crowd": visit.crowd,
        "protected": visit.protected,
        "is_repeat": visit.is_repeat,
        "outcome": choice(Outcome, visit.outcome),
        "answer_due": visit.answer_due,
        "answered_on": visit.answered_on,
        "overdue": visit.answered_on is None and visit.answer_due is not None and visit.answer_due < today,
        "version": visit.version,
    }


def visitor_public(person: Visitor, *, protected: bool) -> dict:
    """A visitor as any user who sees the visit may see them: a protected visitor only by position
    and flags (Luật Tố cáo 25/2018 Art 47)."""
    data: dict[str, Any] = {
        "id": person.pk,
        "position": person.position,
        "representative": person.representative,
        "masked": protected,
        "name": "",
        "id_number": "",
        "address": "",
        "phone": "",
    }
    if not protected:
        data.update(name=person.name, id_number=person.id_number, address=person.address, phone=person.phone)
    return data


def petition_ref(p: Petition) -> dict:
    """A petition made of a visit: what the receipt shows, no join needed."""
    return {
        "id": p.pk,
        "receipt_number": p.receipt_number,
        "tracking_code": p.tracking_code,
        "kind": choice(Kind, p.kind),
        "field": choice(Field, p.field),
        "status": choice(PetitionStatus, p.status),
        "received_on": p.received_on,
        "due_date": p.due_date,
        "version": p.version,
    }


def visit_detail(visit: Visit, *, entitled: bool, today: date) -> dict:
    """Everything one visit shows: the book line, its people (masked when protected, even to those
    entitled, who ask for the identity on purpose), the petitions made of it."""
    repeat_of = visit.repeat_of
    return {
        **visit_summary(visit, today=today),
        "content": visit.content,
        "requests": visit.requests,
        "earlier_handling": visit.earlier_handling,
        "case_id": visit.case_id,
        "repeat_of": {"id": repeat_of.pk, "book_number": repeat_of.book_number} if repeat_of else None,
        "outcome_note": visit.outcome_note,
        "target_name": visit.target_name,
        "target_document": visit.target_document,
        "refusal_ground": choice(RefusalGround, visit.refusal_ground),
        "refusal_notice": visit.refusal_notice,
        "answer_kind": choice(AnswerKind, visit.answer_kind),
        "follow_up": visit.follow_up,
        "note": visit.note,
        "identity_entitled": entitled,
        "visitors": [visitor_public(v, protected=visit.protected) for v in visit.visitors.all()],
        "petitions": [petition_ref(p) for p in sorted(visit.petitions.all(), key=lambda p: p.pk)],
        "received_by": user_ref(visit.received_by),
        "created_at": visit.created_at,
    }


def visitor_identity(person: Visitor, ident) -> dict:
    """A visitor's clear identity, for the answer of `services.visitor_identities` only."""
    return {
        "visitor_id": person.pk,
        "position": person.position,
        "representative": person.representative,
        "name": ident.name,
        "id_number": ident.id_number,
        "address": ident.address,
        "phone": ident.phone,
    }


def book_row(row) -> dict:
    return {
        "number": row.number,
        "day": row.day,
        "name_address": row.name_address,
        "id_number": row.id_number,
        "content": row.content,
        "kinds": row.kinds,
        "people": row.people,
        "earlier_handling": row.earlier_handling,
        "accepted": row.accepted,
        "guided": row.guided,
        "transferred": row.transferred,
        "follow_up": row.follow_up,
        "note": row.note,
        "visit_id": row.visit_id,
        "book_number": row.book_number,
        "masked": row.masked,
    }


def compliance_row(row) -> dict:
    duty = row.duty
    return {
        "duty": {
            "id": duty.pk,
            "unit": unit_ref(duty.unit),
            "position": choice(Position, duty.position),
            "holder_name": duty.holder_name,
            "valid_from": duty.valid_from,
            "valid_to": duty.valid_to,
        },
        "required": row.required,
        "in_person": row.in_person,
        "delegated": row.delegated,
        "missed": row.missed,
        "rate": row.rate,
        "uncertain": row.uncertain,
    }


def figure_view(figure) -> dict:
    return {"value": figure.value, "records": figure.records}


def indicator_view(indicator, *, total, by: dict) -> dict:
    return {
        "code": indicator.code,
        "label": str(indicator.label),
        "measure": indicator.measure,
        "form_columns": {form: list(columns) for form, columns in indicator.form_columns.items()},
        "total": figure_view(total),
        "by": {value: figure_view(f) for value, f in by.items()},
    }
