"""Plain data of petitions for the API and the pages (one shape for both).

Nothing here reads a denouncer's identity: `petitioner_public` shows a protected petitioner only
by position and flags, and an identifying attachment's name is hidden from users who are not
entitled to the identity. The clear identity comes only from `services.identity_reveal`, which
logs each view.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.calendar import WorkingCalendar
from danvan.core.presenters import choice, unit_ref
from danvan.units import access

from . import deadlines, lifecycle, timing
from .models import (
    Attachment,
    Channel,
    Event,
    Field,
    IneligibleReason,
    Kind,
    Outcome,
    Petition,
    Petitioner,
    Status,
)

EXCERPT_LENGTH = 160


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "full_name": user.get_full_name()}


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut + "…"


def urgency(due: date | None, today: date, calendar: WorkingCalendar) -> str:
    """How pressing a due date is, with the thresholds of the settings."""
    return deadlines.urgency(
        due,
        today,
        calendar,
        due_soon_working_days=settings.DANVAN_DUE_SOON_WORKING_DAYS,
        very_late_days=settings.DANVAN_VERY_LATE_DAYS,
    )


def petition_summary(
    p: Petition, *, today: date | None = None, calendar: WorkingCalendar | None = None
) -> dict:
    """One line of the worklist. Pass `today` and `calendar` when presenting many petitions:
    without them the calendar is read for each one."""
    today = today or timezone.localdate()
    calendar = calendar or timing.calendar_around(today)
    return {
        "id": p.pk,
        "receipt_number": p.receipt_number,
        "tracking_code": p.tracking_code,
        "unit": unit_ref(p.unit),
        "kind": choice(Kind, p.kind),
        "field": choice(Field, p.field),
        "channel": choice(Channel, p.channel),
        "status": choice(Status, p.status),
        "received_on": p.received_on,
        "due_date": p.due_date,
        "urgency": urgency(p.due_date, today, calendar),
        "handler": user_ref(p.handler) if p.handler_id else None,
        "excerpt": excerpt(p.content),
        "version": p.version,
    }


def petition_ref(p: Petition | None) -> dict | None:
    if p is None:
        return None
    return {"id": p.pk, "receipt_number": p.receipt_number, "unit": unit_ref(p.unit)}


def petitioner_public(person: Petitioner, *, protected: bool | None = None) -> dict:
    """A petitioner as any user who sees the petition may see them. For a protected petition
    (a denunciation) only the position, the representative flag and a withdrawal are shown."""
    if protected is None:
        protected = person.petition.protected
    data: dict[str, Any] = {
        "id": person.pk,
        "position": person.position,
        "representative": person.representative,
        "withdrawn": person.withdrawn_on is not None,
        "withdrawn_on": person.withdrawn_on,
        "masked": protected,
        "name": "",
        "id_number": "",
        "address": "",
        "address_unit": None,
        "phone": "",
    }
    if not protected:
        data.update(
            name=person.name,
            id_number=person.id_number,
            address=person.address,
            address_unit=unit_ref(person.address_unit) if person.address_unit_id else None,
            phone=person.phone,
        )
    return data


def identity_view(person: Petitioner, ident) -> dict:
    """A petitioner's clear identity, for the answer of `services.identity_reveal` only."""
    return {
        "petitioner_id": person.pk,
        "position": person.position,
        "representative": person.representative,
        "withdrawn_on": person.withdrawn_on,
        **ident.as_dict(),
    }


def attachment_view(attachment: Attachment, *, entitled: bool) -> dict:
    hidden = attachment.identifying and not entitled
    return {
        "id": attachment.pk,
        "name": _("Identifying document") if hidden else attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "identifying": attachment.identifying,
        "uploaded_at": attachment.uploaded_at,
    }


def action_label(action: str) -> str:
    if action == lifecycle.RECEIVE.action:
        return str(lifecycle.RECEIVE.label)
    transition = lifecycle.TRANSITIONS.get(action)
    return str(transition.label) if transition else action


def event_view(e: Event) -> dict:
    return {
        "id": e.pk,
        "action": e.action,
        "label": action_label(e.action),
        "from_status": e.from_status,
        "to_status": e.to_status,
        "on": e.on,
        "at": e.at,
        "actor": e.actor.get_username() if e.actor is not None else None,
        "data": e.data or {},
        "attachment_id": e.attachment_id,
    }


def deadline_view(deadline: deadlines.Deadline | None) -> dict | None:
    """The deadline the petition runs under, with one sentence per step of its computation."""
    if deadline is None:
        return None
    return {
        "due": deadline.due,
        "step": deadline.rule.step,
        "start": deadline.start,
        "rule": deadline.rule.key,
        "source": deadline.rule.source,
        "stopped_since": deadline.stopped_since,
        "lines": deadlines.explain(deadline),
    }


def action_url(action: str) -> str:
    """The verb URL segment of a lifecycle action ("record_reply" -> "record-reply")."""
    return action.replace("_", "-")


def allowed_actions(user, p: Petition) -> list[dict]:
    """The steps this user may take now: the lifecycle table, filtered by the user's role."""
    return [
        {"action": t.action, "label": str(t.label), "url": action_url(t.action)}
        for t in lifecycle.allowed_from(p.status)
        if access.can(user, t.permission, p)
    ]


def _decision(p: Petition) -> dict | None:
    if p.status != Status.RESOLVED and not p.decision_number:
        return None
    return {
        "number": p.decision_number,
        "decided_on": p.decision_on,
        "signer": p.decision_signer,
        "outcome": choice(Outcome, p.outcome),
        "on_time": p.on_time,
        "results": {
            "money_recovered": p.money_recovered,
            "land_recovered": p.land_recovered,
            "money_returned": p.money_returned,
            "land_returned": p.land_returned,
            "people_restored": p.people_restored,
            "people_sanctioned": p.people_sanctioned,
            "cases_to_investigation": p.cases_to_investigation,
        },
    }


def _target(p: Petition) -> dict | None:
    if not (p.target_unit_id or p.target_name or p.reply_on):
        return None
    return {
        "unit": unit_ref(p.target_unit) if p.target_unit_id else None,
        "name": p.target_name,
        "document_number": p.target_document_number,
        "reply_on": p.reply_on,
        "reply_summary": p.reply_summary,
    }


def petition_detail(
    user,
    p: Petition,
    *,
    petitioners: Iterable[Petitioner],
    attachments: Iterable[Attachment],
    related: Iterable[Petition],
    deadline: deadlines.Deadline | None,
    entitled: bool,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> dict:
    """Everything one petition shows to `user`: the record, its masked petitioners, the deadline
    with its explanation, the steps the user may take, its files, case and links.

    `related` are the petitions the user can see that share its case or follow from it
    (`selectors.followups_for`)."""
    protected = p.protected
    data = petition_summary(p, today=today, calendar=calendar)
    data.update(
        content=p.content,
        subject=p.subject,
        signer_count=p.signer_count,
        anonymous=p.anonymous,
        has_original_documents=p.has_original_documents,
        sender_body=p.sender_body,
        sender_document_number=p.sender_document_number,
        decision_known_on=p.decision_known_on,
        complex=p.complex,
        remote=p.remote,
        round=p.round,
        is_repeat=p.is_repeat,
        accepted_on=p.accepted_on,
        closed_on=p.closed_on,
        disposal_due=p.disposal_due,
        protected=protected,
        identity_entitled=entitled,
        petitioners=[petitioner_public(person, protected=protected) for person in petitioners],
        deadline=deadline_view(deadline),
        actions=allowed_actions(user, p),
        attachments=[attachment_view(a, entitled=entitled) for a in attachments],
        case={"id": p.case_id, "petitions": 1 + sum(1 for r in related if r.case_id == p.case_id)},
        links={
            "previous": petition_ref(p.previous) if p.previous_id else None,
            "duplicate_of": petition_ref(p.duplicate_of) if p.duplicate_of_id else None,
            "transferred_from": petition_ref(p.transferred_from) if p.transferred_from_id else None,
            "target": _target(p),
        },
        classification={
            "eligible": p.eligible,
            "ineligible_reason": choice(IneligibleReason, p.ineligible_reason),
            "own_authority": p.own_authority,
        },
        decision=_decision(p),
    )
    return data
