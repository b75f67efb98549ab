"""The shapes the outreach API answers with, built from records a selector already found in scope.
Labels are in the active language."""

from __future__ import annotations

from danvan.petitions.presenters import choice, unit_ref, user_ref

from . import selectors
from .models import Activity, ActivityKind, DocumentType, IssuedDocument, ParticipantCategory, ResolutionKind


def resolution_view(resolution) -> dict:
    return {
        "id": resolution.pk,
        "number": resolution.number,
        "kind": choice(ResolutionKind, resolution.kind),
        "issued_on": resolution.issued_on,
        "issuer": resolution.issuer,
        "title": resolution.title,
        "active": resolution.active,
    }


def activity_summary(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "kind": choice(ActivityKind, activity.kind),
        "title": activity.title,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "unit": unit_ref(activity.unit),
        "co_organisers": [unit_ref(u) for u in activity.co_organisers.all()],
        "participants_total": activity.participants_total,
        "from_attendance": activity.from_attendance,
    }


def activity_detail(activity: Activity) -> dict:
    return {
        **activity_summary(activity),
        "venue": activity.venue,
        "summary": activity.summary,
        "resolutions": [{"id": r.pk, "number": r.number} for r in activity.resolutions.all()],
        "documents": [document_ref(d) for d in activity.documents.all()],
        "participants": [
            {"category": choice(ParticipantCategory, row.code), "count": row.count}
            for row in selectors.participation_of(activity)
        ],
        "attendees": selectors.attendees_of(activity).count() if activity.from_attendance else 0,
        "version": activity.version,
        "created_at": activity.created_at,
        "created_by": user_ref(activity.created_by),
    }


def attendee_view(attendee) -> dict:
    return {
        "position": attendee.position,
        "full_name": attendee.full_name,
        "category": choice(ParticipantCategory, attendee.category),
        "organisation": attendee.organisation,
        "job_title": attendee.job_title,
    }


def document_ref(document: IssuedDocument) -> dict:
    return {
        "id": document.pk,
        "number": document.number,
        "issued_on": document.issued_on,
        "title": document.title,
    }


def document_view(document: IssuedDocument) -> dict:
    implements = document.implements
    return {
        "id": document.pk,
        "unit": unit_ref(document.unit),
        "number": document.number,
        "issued_on": document.issued_on,
        "doc_type": choice(DocumentType, document.doc_type),
        "title": document.title,
        "issuer": document.issuer,
        "implements": {"id": implements.pk, "number": implements.number} if implements else None,
        "version": document.version,
    }
