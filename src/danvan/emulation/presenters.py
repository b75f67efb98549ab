"""How emulation records are shown: the buttons of a commendation's lifecycle, the recipient as one
line, the words of a certificate by form, dates as documents print them, and plain data for the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.dates import MONTHS
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from danvan.core.presenters import choice, unit_ref
from danvan.units.models import UnitLevel

from . import lifecycle
from .models import Commendation, CommendationEvent, CommendationForm, CommendationStatus, Movement, Recipient

F = CommendationForm

# The title printed on the certificate, by family of form: a "giấy khen" of a commune or district
# chairman or Party committee, a "bằng khen" of a province or higher, an emulation flag.
TITLE_COMMENDATION = pgettext_lazy("certificate title", "CERTIFICATE OF COMMENDATION")
TITLE_MERIT = pgettext_lazy("certificate title", "CERTIFICATE OF MERIT")
TITLE_FLAG = pgettext_lazy("certificate title", "EMULATION FLAG")
CERTIFICATE_TITLES = {
    F.COMMUNE_PC_CERTIFICATE: TITLE_COMMENDATION,
    F.DISTRICT_PC_CERTIFICATE: TITLE_COMMENDATION,
    F.COMMUNE_PARTY_CERTIFICATE: TITLE_COMMENDATION,
    F.DISTRICT_PARTY_CERTIFICATE: TITLE_COMMENDATION,
    F.PROVINCE_PC_CERTIFICATE: TITLE_MERIT,
    F.PROVINCE_PARTY_CERTIFICATE: TITLE_MERIT,
    F.PRIME_MINISTER_CERTIFICATE: TITLE_MERIT,
    F.CENTRAL_CERTIFICATE: TITLE_MERIT,
    F.PROVINCE_EMULATION_FLAG: TITLE_FLAG,
}
# The signer's title, by form: the chairman of the People's Committee, the secretary on behalf of
# the Party committee's standing committee, the Prime Minister, the head of a central body.
SIGNER_CHAIRMAN = (pgettext_lazy("signer", "CHAIRMAN"),)
SIGNER_PARTY = (
    pgettext_lazy("signer", "ON BEHALF OF THE STANDING COMMITTEE"),
    pgettext_lazy("signer", "SECRETARY"),
)
SIGNER_PRIME_MINISTER = (pgettext_lazy("signer", "PRIME MINISTER"),)
SIGNER_HEAD = (pgettext_lazy("signer", "HEAD OF THE ISSUING BODY"),)
SIGNER_TITLES = {
    F.COMMUNE_PC_CERTIFICATE: SIGNER_CHAIRMAN,
    F.DISTRICT_PC_CERTIFICATE: SIGNER_CHAIRMAN,
    F.PROVINCE_PC_CERTIFICATE: SIGNER_CHAIRMAN,
    F.PROVINCE_EMULATION_FLAG: SIGNER_CHAIRMAN,
    F.COMMUNE_PARTY_CERTIFICATE: SIGNER_PARTY,
    F.DISTRICT_PARTY_CERTIFICATE: SIGNER_PARTY,
    F.PROVINCE_PARTY_CERTIFICATE: SIGNER_PARTY,
    F.PRIME_MINISTER_CERTIFICATE: SIGNER_PRIME_MINISTER,
    F.CENTRAL_CERTIFICATE: SIGNER_HEAD,
}


def steps_for(commendation: Commendation, allowed: Callable[[str], bool]) -> list[lifecycle.Transition]:
    """The lifecycle steps open from the commendation's status that the user may take."""
    return [t for t in lifecycle.allowed_from(commendation.status) if allowed(t.permission)]


def recipient_line(commendation: Commendation) -> str:
    """Whom it rewards, as one line: "Nguyễn Văn A, chairman, Xã Khánh Thiện" or "Tổ X (Xã …)"."""
    if commendation.recipient == Recipient.INDIVIDUAL:
        parts = [commendation.person_name, commendation.person_position, commendation.unit.name]
        return ", ".join(part for part in parts if part)
    if commendation.group_name:
        return f"{commendation.group_name} ({commendation.unit.name})"
    return commendation.unit.name


def document_date(day: date) -> str:
    """The date as a document prints it: "ngày 05 tháng 3 năm 2025" in Vietnamese (a day below 10
    and the months 1 and 2 with a leading zero, Nghị định 30/2020 Phụ lục I), "5 March 2025" else."""
    if (get_language() or "vi").startswith("vi"):
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return _("day %(day)s month %(month)s year %(year)s") % {
            "day": f"{day.day:02d}",
            "month": month,
            "year": day.year,
        }
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def status_label(status: str) -> str:
    try:
        return str(CommendationStatus(status).label)
    except ValueError:
        return status


# ---- plain data for the API ---------------------------------------------------------------------


def movement_view(movement: Movement) -> dict:
    resolution = movement.resolution
    return {
        "id": movement.pk,
        "unit": unit_ref(movement.unit),
        "name": movement.name,
        "starts_on": movement.starts_on,
        "ends_on": movement.ends_on,
        "resolution": (
            {"id": resolution.pk, "number": resolution.number, "title": resolution.title}
            if resolution
            else None
        ),
        "description": movement.description,
        "version": movement.version,
    }


def commendation_view(commendation: Commendation) -> dict:
    movement, practice, activity = commendation.movement, commendation.practice, commendation.activity
    return {
        "id": commendation.pk,
        "unit": unit_ref(commendation.unit),
        "recipient": choice(Recipient, commendation.recipient),
        "recipient_name": commendation.recipient_name,
        "group_name": commendation.group_name,
        "person_name": commendation.person_name,
        "person_position": commendation.person_position,
        "level": choice(UnitLevel, commendation.level),
        "form": choice(CommendationForm, commendation.form),
        "reason": commendation.reason,
        "status": choice(CommendationStatus, commendation.status),
        "decision_number": commendation.decision_number,
        "decided_on": commendation.decided_on,
        "issuer": commendation.issuer,
        "issuer_unit": unit_ref(commendation.issuer_unit) if commendation.issuer_unit_id else None,
        "movement": {"id": movement.pk, "name": movement.name} if movement else None,
        "practice": {"id": practice.pk, "name": practice.name} if practice else None,
        "activity": {"id": activity.pk, "title": activity.title} if activity else None,
        "work_from": commendation.work_from,
        "work_to": commendation.work_to,
        "version": commendation.version,
    }


def event_view(event: CommendationEvent) -> dict:
    return {
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "on": event.on,
        "note": event.note,
        "actor": event.actor.get_username() if event.actor_id else "",
    }
