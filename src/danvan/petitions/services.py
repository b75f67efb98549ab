"""Every write to petitions: intake and each step of the lifecycle. One function per intention, each
a transaction that checks the rule and the role, writes, records the event and the audit entry.

Steps follow `lifecycle.TRANSITIONS`; a step on a stale `version` raises StaleEdit. A denouncer's
identity is sealed before it is written and never enters an event, an audit entry or an error.
"""

from __future__ import annotations

import hashlib
import secrets
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial, wraps
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from danvan.core import audit, crypto
from danvan.core.bulk import bulk_insert, counters_raise, new
from danvan.core.errors import DomainError, FieldErrors, NotFound, PermissionDenied, StaleEdit, field_error
from danvan.core.sequences import next_number
from danvan.core.text import fold, normalize
from danvan.core.uploads import check_upload
from danvan.units import access
from danvan.units.models import Unit, valid_on_q

from . import deadlines, identity, similarity, timing
from .lifecycle import INTAKE, RECEIVE, TRANSITIONS, Transition
from .models import (
    FIELDS_OF_KIND,
    TRANSFER_CHANNELS,
    Attachment,
    Case,
    Channel,
    ContentKey,
    Counter,
    Event,
    Handling,
    IdentityGrant,
    IneligibleReason,
    Kind,
    Petition,
    Petitioner,
    Status,
    outcomes_for,
)

AUDIT_FIELDS = [
    "status",
    "kind",
    "field",
    "channel",
    "received_on",
    "eligible",
    "ineligible_reason",
    "own_authority",
    "handler",
    "due_date",
    "accepted_on",
    "closed_on",
    "target_unit",
    "target_name",
    "target_document_number",
    "reply_on",
    "decision_number",
    "decision_on",
    "outcome",
    "on_time",
    "complex",
    "remote",
]
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by citizens
LINK_NEW, LINK_DUPLICATE, LINK_CASE = "new", "duplicate", "case"


def _error(code: str, name: str, message, **params) -> DomainError:
    return field_error(code, name, message, **params)


# ---- intake ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    name: str = ""
    id_number: str = ""
    address: str = ""
    address_unit_id: int | None = None
    phone: str = ""
    representative: bool = False


@dataclass(frozen=True)
class PartInput:
    """One content of the petition: a multi-content petition becomes one petition per part."""

    kind: str
    field: str
    content: str
    subject: str = ""
    link: str = LINK_NEW  # or LINK_DUPLICATE / LINK_CASE with link_petition_id
    link_petition_id: int | None = None
    # A case opened elsewhere (a reception visit) that a new petition joins; `repeat` says whether
    # that case had come before (the visit's own judgement).
    case_id: int | None = None
    repeat: bool = False


@dataclass(frozen=True)
class FileInput:
    name: str
    data: bytes
    identifying: bool = False


@dataclass(frozen=True)
class IntakeInput:
    unit_id: int
    received_on: date
    channel: str
    parts: list[PartInput]
    petitioners: list[PersonInput] = field(default_factory=list)
    signer_count: int = 1
    anonymous: bool = False
    has_original_documents: bool = False
    sender_body: str = ""
    sender_document_number: str = ""
    decision_known_on: date | None = None
    complex: bool = False
    remote: bool = False
    previous_id: int | None = None
    files: list[FileInput] = field(default_factory=list)


@dataclass
class IntakeResult:
    petitions: list[Petition]
    secrets: dict[int, str]  # petition id -> the tracking secret, shown once on the receipt
    warnings: list[str]


def _clean_people(data: IntakeInput, errors: FieldErrors) -> list[tuple[PersonInput, identity.Identity]]:
    people = []
    for i, person in enumerate(data.petitioners):
        ident, problems = identity.identity_typed(
            name=person.name,
            id_number=person.id_number,
            address=person.address,
            phone=person.phone,
            address_unit_id=person.address_unit_id,
        )
        for name, message in problems.items():
            errors.add(f"petitioners.{i}.{name}", message)
        if ident is None:
            continue
        if person.address_unit_id is not None and not Unit.objects.filter(pk=person.address_unit_id).exists():
            errors.add(f"petitioners.{i}.address_unit", _("The unit does not exist."))
        people.append((person, ident))
    return people


def _validate_intake(actor, data: IntakeInput, today: date, errors: FieldErrors) -> Unit:
    try:
        unit = Unit.objects.get(pk=data.unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise _error("unit_not_found", "unit", _("The unit does not exist.")) from None
    if not access.can(actor, INTAKE, unit):
        raise PermissionDenied()
    if data.received_on > today:
        errors.add("received_on", _("The date received cannot be in the future."))
    elif not Unit.objects.filter(pk=unit.pk).filter(valid_on_q(data.received_on)).exists():
        errors.add("received_on", _("The unit did not exist on the date received."))
    if data.channel not in Channel.values:
        errors.add("channel", _("Choose a channel from the list."))
    if data.channel in TRANSFER_CHANNELS and not normalize(data.sender_body):
        errors.add("sender_body", _("Enter the body that sent the petition."))
    if data.decision_known_on and data.decision_known_on > data.received_on:
        errors.add(
            "decision_known_on", _("The decision cannot become known after the petition was received.")
        )
    if data.signer_count < 1:
        errors.add("signer_count", _("At least one person signs a petition."))
    elif data.signer_count < len([p for p in data.petitioners if p.name or p.id_number]):
        errors.add("signer_count", _("The number of signers is smaller than the petitioners listed."))
    if not data.parts:
        errors.add("parts", _("Enter the content of the petition."))
    kinds = [p.kind for p in data.parts]
    if len(set(kinds)) != len(kinds):
        errors.add("parts", _("Each kind of content appears once: split the petition by kind."))
    for i, part in enumerate(data.parts):
        if part.kind not in Kind.values:
            errors.add(f"parts.{i}.kind", _("Choose a kind from the list."))
            continue
        if part.field not in FIELDS_OF_KIND[part.kind]:
            errors.add(f"parts.{i}.field", _("Choose a field that the report forms list for this kind."))
        if not normalize(part.content):
            errors.add(f"parts.{i}.content", _("Enter the content."))
        if part.kind == Kind.COMPLAINT and data.anonymous:
            errors.add("anonymous", _("A complaint must name the complainant (Law on Complaints, Art 8)."))
        if part.link not in (LINK_NEW, LINK_DUPLICATE, LINK_CASE):
            errors.add(f"parts.{i}.link", _("Choose how the petition relates to earlier ones."))
        elif part.link != LINK_NEW and part.link_petition_id is None:
            errors.add(f"parts.{i}.link", _("Choose the earlier petition to link to."))
    return unit


def _tracking_code() -> str:
    # 32 letters are 5 bits each: 40 random bits make the 8 characters, evenly.
    bits = int.from_bytes(secrets.token_bytes(5))
    return "DV" + "".join(TRACKING_ALPHABET[(bits >> (5 * i)) & 31] for i in range(8))


def secret_digest(secret: str) -> str:
    """A keyed digest: a copy of the database alone does not let anyone try secrets offline."""
    return crypto.blind_index(secret.strip().upper())


def _visible_petition(actor, petition_id: int | None, name: str) -> Petition:
    petition = access.visible(actor, Petition).filter(pk=petition_id).first() if petition_id else None
    if petition is None:
        raise _error("petition_not_found", name, _("The earlier petition was not found."))
    return petition


def _link_case(
    actor, part: PartInput, unit: Unit, on: date, index: int
) -> tuple[Case, Petition | None, bool]:
    """The case the new petition joins, the petition it duplicates, and whether it is a repeat."""
    if part.link == LINK_NEW and part.case_id is not None:
        case = access.visible(actor, Case).filter(pk=part.case_id).first()
        if case is None:
            raise _error("case_not_found", f"parts.{index}.case", _("The case was not found."))
        return case, None, part.repeat
    if part.link == LINK_NEW:
        return Case.objects.create(unit=unit, unit_path=unit.path, opened_on=on), None, False
    earlier = _visible_petition(actor, part.link_petition_id, f"parts.{index}.link")
    duplicate = earlier if part.link == LINK_DUPLICATE else None
    return earlier.case, duplicate, True


def _save_person(
    petition: Petition, position: int, person: PersonInput, ident: identity.Identity, *, build=Petitioner
) -> Petitioner:
    by_id, by_name = identity.digests(ident)
    row = build(
        petition=petition,
        position=position,
        representative=person.representative,
        id_digest=by_id,
        name_address_digest=by_name,
    )
    if petition.protected:
        row.sealed = crypto.seal(ident.as_dict())
    else:
        row.name, row.id_number, row.address = ident.name, ident.id_number, ident.address
        row.name_folded = fold(ident.name)[:200]
        row.address_unit_id, row.phone = ident.address_unit_id, ident.phone
    return row


# Files are written to storage before the transaction commits; the names written by the service
# running now, so that a failure removes them instead of leaving orphans on disk.
_files_written: ContextVar[list[str] | None] = ContextVar("petition_files_written", default=None)


def _removes_files_on_error(service):
    """Around a service that stores files: if it fails, the files it wrote are deleted."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        token = _files_written.set([])
        try:
            return service(*args, **kwargs)
        except BaseException:
            for name in _files_written.get() or []:
                default_storage.delete(name)
            raise
        finally:
            _files_written.reset(token)

    return wrapper


def _remember_file(name: str) -> None:
    written = _files_written.get()
    if written is not None:
        written.append(name)


def _store_file(petition: Petition, checked, *, identifying: bool, actor) -> Attachment:
    data = checked.data
    stored = secrets.token_hex(16)
    encrypted = petition.protected
    attachment = Attachment(
        petition=petition,
        stored_name=stored,
        # A scan is often named after its author: a protected petition keeps no file name.
        original_name=_protected_file_name(petition, checked) if encrypted else normalize(checked.name),
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        identifying=identifying and petition.protected,
        encrypted=encrypted,
        uploaded_by=actor,
    )
    attachment.file.save(stored, ContentFile(crypto.seal_bytes(data) if encrypted else data), save=False)
    _remember_file(attachment.file.name)
    attachment.save()
    return attachment


def _protected_file_name(petition: Petition, checked) -> str:
    number = petition.attachments.count() + 1
    return f"{number:02d}{PurePath(checked.name).suffix.lower()}"


def _index_content(petition: Petition) -> None:
    keys = sorted(set(similarity.signature(petition.content)))
    ContentKey.objects.bulk_create(
        [
            ContentKey(petition=petition, key=k, unit_id=petition.unit_id, unit_path=petition.unit_path)
            for k in keys
        ]
    )


def _event(petition: Petition, action: str, *, actor, on: date, from_status: str, data=None, attachment=None):
    return Event.objects.create(
        petition=petition,
        action=action,
        from_status=from_status,
        to_status=petition.status,
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data or {},
        attachment=attachment,
    )


def _set_deadline(petition: Petition) -> None:
    deadline = timing.deadline_of(petition)
    petition.due_date = deadline.due if deadline else None
    petition.deadline_step = deadline.rule.step if deadline else ""
    petition.deadline_start = deadline.start if deadline else None


def _intake_warnings(data: IntakeInput, previous: Petition | None = None) -> list[str]:
    warnings: list[str] = []
    if previous is not None and previous.kind == Kind.COMPLAINT and previous.decision_on:
        # A second complaint comes within 30 days of the first decision, 45 in remote areas (Art 33).
        limit = deadlines.compute(
            timing.rule_book(),
            kind=Kind.COMPLAINT,
            step="second_complaint_limit",
            received_on=previous.received_on,
            start=previous.decision_on,
            calendar=timing.calendar_around(previous.decision_on),
            remote=data.remote or previous.remote,
        )
        if limit.due is not None and data.received_on > limit.due:
            warnings.append(
                str(_("The time limit for a second complaint ended on %(day)s: check for a good reason."))
                % {"day": f"{limit.due:%d/%m/%Y}"}
            )
    for part in data.parts:
        if part.kind == Kind.COMPLAINT and data.decision_known_on:
            expired = deadlines.time_limit_expired(
                timing.rule_book(),
                kind=part.kind,
                known_on=data.decision_known_on,
                received_on=data.received_on,
                calendar=timing.calendar_around(data.decision_known_on),
                remote=data.remote,
            )
            if expired is not None and expired.due is not None:
                warnings.append(
                    str(
                        _(
                            "The time limit to complain ended on %(day)s: "
                            "check for a good reason before accepting."
                        )
                    )
                    % {"day": f"{expired.due:%d/%m/%Y}"}
                )
    return warnings


@dataclass
class _CheckedIntake:
    unit: Unit
    people: list[tuple[PersonInput, identity.Identity]]
    files: list[tuple[Any, bool]]
    previous: Petition | None
    warnings: list[str]


def _check_intake(actor, data: IntakeInput, today: date) -> _CheckedIntake:
    errors = FieldErrors("petition_invalid")
    unit = _validate_intake(actor, data, today, errors)
    people = _clean_people(data, errors)
    if not data.anonymous and not people:
        errors.add("petitioners", _("Enter at least one petitioner, or mark the petition anonymous."))
    checked = []
    for i, upload in enumerate(data.files):
        try:
            checked.append((check_upload(upload.name, upload.data, field="files"), upload.identifying))
        except DomainError as exc:
            errors.add(f"files.{i}", exc.message)
    previous = None
    if data.previous_id is not None:
        try:
            previous = _visible_petition(actor, data.previous_id, "previous")
        except DomainError as exc:
            errors.add("previous", exc.message)
    errors.raise_if_any()
    if previous is not None and any(p.kind != previous.kind for p in data.parts):
        raise _error(
            "previous_kind",
            "previous",
            _("A second complaint or further denunciation has the earlier one's kind."),
        )
    return _CheckedIntake(unit, people, checked, previous, _intake_warnings(data, previous))


def petition_intake_check(*, actor, data: IntakeInput, today: date) -> list[str]:
    """Every rule of intake, without writing: raises the same errors as `petition_intake` and
    returns its warnings (the intake form shows them with the duplicate candidates)."""
    return _check_intake(actor, data, today).warnings


@_removes_files_on_error
def petition_intake(*, actor, data: IntakeInput, today: date) -> IntakeResult:
    """Record a petition as received; one petition per kind of content, in one transaction.

    Gives each a receipt number of the unit and year, a tracking code and a random secret for the
    citizen (TT 05/2021: every petition is logged; Luật Tiếp công dân Art 25: a multi-content
    petition is split)."""
    intake = _check_intake(actor, data, today)
    unit, people, checked, previous, warnings = (
        intake.unit,
        intake.people,
        intake.files,
        intake.previous,
        intake.warnings,
    )
    # The parts of one petition share its petitioners: one denunciation protects them in all.
    protected = any(part.kind == Kind.DENUNCIATION for part in data.parts)
    year = data.received_on.year
    created: list[Petition] = []
    codes: dict[int, str] = {}
    with transaction.atomic():
        for i, part in enumerate(data.parts):
            case, duplicate, repeat = _link_case(actor, part, unit, data.received_on, i)
            secret = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
            content = normalize(part.content)
            petition = Petition(
                unit=unit,
                unit_path=unit.path,
                tracking_code=_tracking_code(),
                secret_digest=secret_digest(secret),
                year=year,
                number=0,
                received_on=data.received_on,
                channel=data.channel,
                kind=part.kind,
                field=part.field,
                content=content,
                content_folded=fold(content),
                subject=normalize(part.subject)[:300],
                signer_count=max(data.signer_count, len(people), 1),
                anonymous=data.anonymous,
                protected=protected,
                has_original_documents=data.has_original_documents,
                sender_body=normalize(data.sender_body)[:300],
                sender_document_number=normalize(data.sender_document_number)[:60],
                decision_known_on=data.decision_known_on,
                complex=data.complex,
                remote=data.remote,
                case=case,
                is_repeat=repeat,
                duplicate_of=duplicate,
                previous=previous,
                round=(previous.round + 1) if previous is not None else 1,
                created_by=actor,
            )
            _set_deadline(petition)
            petition.number = next_number(Counter, unit_id=unit.pk, year=year)
            try:
                with transaction.atomic():
                    petition.save()
            except IntegrityError:  # a tracking code drawn twice: draw again once
                petition.tracking_code = _tracking_code()
                petition.save()
            Petitioner.objects.bulk_create(
                [_save_person(petition, n, person, ident) for n, (person, ident) in enumerate(people)]
            )
            for checked_file, identifying in checked:
                _store_file(petition, checked_file, identifying=identifying, actor=actor)
            _index_content(petition)
            _event(
                petition,
                RECEIVE.action,
                actor=actor,
                on=data.received_on,
                from_status="",
                data={"warnings": warnings} if warnings else None,
            )
            audit.record(
                actor=actor,
                action="petition.receive",
                obj=petition,
                unit=unit,
                before=None,
                after=audit.snapshot(petition, AUDIT_FIELDS),
            )
            created.append(petition)
            codes[petition.pk] = secret
    return IntakeResult(petitions=created, secrets=codes, warnings=warnings)


# ---- lifecycle steps ------------------------------------------------------------------------


def _load(actor, petition_id: int) -> Petition:
    petition = access.visible(actor, Petition).select_for_update().filter(pk=petition_id).first()
    if petition is None:
        raise NotFound()
    return petition


def _check_day(on: date, petition: Petition, today: date, name: str) -> None:
    if on > today:
        raise _error("date_in_future", name, _("The date cannot be in the future."))
    if on < petition.received_on:
        raise _error("date_before_received", name, _("The date cannot be before the petition was received."))


class _Step:
    """The frame every lifecycle step shares: load, check the table, the role and the version;
    then the caller changes the petition; then `done` saves it, the event and the audit entry."""

    def __init__(
        self, actor, petition_id: int, version: int, action: str, on: date, today: date, on_field: str = "on"
    ):
        self.actor, self.on = actor, on
        self.transition: Transition = TRANSITIONS[action]
        self.petition = _load(actor, petition_id)
        if self.petition.version != version:
            raise StaleEdit()
        if self.petition.status not in self.transition.sources:
            raise DomainError(
                "transition_not_allowed",
                _("“%(action)s” is not possible for a petition that is “%(status)s”."),
                action=self.transition.label,
                status=self.petition.get_status_display(),
            )
        if not access.can(actor, self.transition.permission, self.petition):
            raise PermissionDenied()
        _check_day(on, self.petition, today, on_field)
        self.from_status = self.petition.status
        self.before = audit.snapshot(self.petition, AUDIT_FIELDS)

    def done(self, *, data: dict | None = None, attachment=None, target: str | None = None) -> Petition:
        petition = self.petition
        new_status = target or self.transition.target
        if new_status:
            petition.status = new_status
        if petition.status in (
            Status.GUIDED,
            Status.ANSWERED,
            Status.FILED,
            Status.WITHDRAWN,
            Status.RESOLVED,
        ):
            petition.closed_on = petition.closed_on or self.on
        old_version = petition.version
        petition.version = old_version + 1
        _event(
            petition,
            self.transition.action,
            actor=self.actor,
            on=self.on,
            from_status=self.from_status,
            data=data,
            attachment=attachment,
        )
        _set_deadline(petition)
        fields = {
            f.attname: getattr(petition, f.attname)
            for f in Petition._meta.concrete_fields
            if not f.primary_key
        }
        if not Petition.objects.filter(pk=petition.pk, version=old_version).update(**fields):
            raise StaleEdit()
        audit.record(
            actor=self.actor,
            action=f"petition.{self.transition.action}",
            obj=petition,
            unit=petition.unit,
            before=self.before,
            after=audit.snapshot(petition, AUDIT_FIELDS),
        )
        return petition


def _same_content_done(petition: Petition, status_field: str, statuses: set[str]) -> bool:
    """Has a petition of the same case (the same citizen and content) already had this step?"""
    return (
        Petition.objects.filter(case_id=petition.case_id)
        .exclude(pk=petition.pk)
        .filter(**{f"{status_field}__in": statuses})
        .exists()
    )


def _classify(
    petition: Petition, *, eligible: bool, reason: str, own_authority: bool, handling: str, on: date
) -> None:
    """The processing of the petition ends: eligibility, authority, and how and when it was processed."""
    if not eligible and reason not in IneligibleReason.values:
        raise _error("reason_required", "ineligible_reason", _("Choose why the petition is not eligible."))
    petition.eligible = eligible
    petition.ineligible_reason = "" if eligible else reason
    petition.own_authority = own_authority
    petition.handling = handling
    petition.processed_on = on


@transaction.atomic
def petition_assign(*, actor, petition_id: int, version: int, handler_id: int, today: date) -> Petition:
    step = _Step(actor, petition_id, version, "assign", today, today)
    from django.contrib.auth import get_user_model

    handler = get_user_model().objects.filter(pk=handler_id, is_active=True).first()
    if handler is None or not access.can(handler, "petition.handle", step.petition):
        raise _error(
            "handler_invalid", "handler", _("Choose a handler who holds the handler role in this unit.")
        )
    step.petition.handler = handler
    return step.done(data={"handler": handler.get_username()})


@transaction.atomic
def petition_accept(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    complex: bool = False,
    remote: bool = False,
) -> Petition:
    """Accept (thụ lý) a petition within the unit's authority: the resolution deadline starts
    (Luật Khiếu nại Art 27–28, 36–37; Luật Tố cáo Art 29–30)."""
    step = _Step(actor, petition_id, version, "accept", on, today)
    petition = step.petition
    if petition.kind == Kind.DENUNCIATION and petition.anonymous:
        raise _error(
            "anonymous_denunciation",
            "on",
            _(
                "An anonymous denunciation is not resolved as a denunciation: file it, or transfer it "
                "for an inspection if it names the violator with evidence (Law on Denunciations, Art 25)."
            ),
        )
    if (
        petition.kind == Kind.COMPLAINT
        and petition.signer_count >= 5
        and not petition.petitioners.filter(representative=True).exists()
    ):
        # Many complainants sign and choose representatives (Luật Khiếu nại Art 8(4); Decree 124/2020).
        raise _error(
            "representatives_required",
            "on",
            _(
                "A complaint of five or more people is accepted with the document appointing their "
                "representatives: mark the representatives among the petitioners first."
            ),
        )
    _classify(petition, eligible=True, reason="", own_authority=True, handling=Handling.ACCEPTED, on=on)
    petition.accepted_on = on
    petition.complex = complex or petition.complex
    petition.remote = remote or petition.remote
    if petition.handler_id is None and access.can(actor, "petition.handle", petition):
        petition.handler = actor
    return step.done(data={"complex": petition.complex, "remote": petition.remote})


@transaction.atomic
def petition_guide(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    guided_to: str,
    eligible: bool = True,
    ineligible_reason: str = "",
    note: str = "",
) -> Petition:
    """Guide the petitioner to the competent body: once only for the same citizen and content
    (TT 05/2021 Art 14; TT 07/2014 Art 6(2))."""
    step = _Step(actor, petition_id, version, "guide", on, today)
    petition = step.petition
    if petition.kind == Kind.DENUNCIATION and petition.channel != Channel.IN_PERSON:
        raise _error(
            "denunciation_transferred",
            "guided_to",
            _(
                "A written denunciation outside the unit's authority is transferred, not guided: only a "
                "denouncer who came in person is guided (Law on Denunciations, Art 24)."
            ),
        )
    if not normalize(guided_to):
        raise _error("guided_to_required", "guided_to", _("Enter the body the petitioner is guided to."))
    if _same_content_done(petition, "status", {Status.GUIDED}):
        raise _error(
            "already_guided",
            "guided_to",
            _("This citizen was already guided once on the same content: a second guidance is not given."),
        )
    _classify(
        petition,
        eligible=eligible,
        reason=ineligible_reason,
        own_authority=False,
        handling=Handling.GUIDED,
        on=on,
    )
    petition.target_name = normalize(guided_to)[:300]
    return step.done(data={"guided_to": petition.target_name, "note": normalize(note)})


def _target(unit_id: int | None, name: str, on: date, own: Petition) -> tuple[Unit | None, str]:
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).filter(valid_on_q(on)).first()
        if unit is None:
            raise _error(
                "target_not_found", "target_unit", _("The receiving unit did not exist on that date.")
            )
        if unit.pk == own.unit_id:
            raise _error("target_self", "target_unit", _("A petition cannot be sent to its own unit."))
        return unit, unit.name
    if not normalize(name):
        raise _error("target_required", "target_name", _("Choose the receiving unit or enter its name."))
    return None, normalize(name)[:300]


@_removes_files_on_error
@transaction.atomic
def petition_transfer(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    target_unit_id: int | None = None,
    target_name: str = "",
    document_number: str = "",
    eligible: bool = True,
    ineligible_reason: str = "",
) -> Petition:
    """Transfer the petition to the competent body: once only for the same content (TT 05/2021
    Art 14(1)). To a unit inside danvan, a new petition appears in that unit's inbox."""
    step = _Step(actor, petition_id, version, "transfer", on, today)
    petition = step.petition
    unit, name = _target(target_unit_id, target_name, on, petition)
    if not normalize(document_number):
        raise _error("slip_required", "document_number", _("Enter the number of the transfer slip."))
    if _same_content_done(petition, "status", {Status.TRANSFERRED, Status.ANSWERED}) or (
        Petition.objects.filter(
            case_id=petition.case_id, target_unit__isnull=False, status=Status.TRANSFERRED
        )
        .exclude(pk=petition.pk)
        .exists()
    ):
        raise _error(
            "already_transferred",
            "target_unit",
            _("A petition with the same content was already transferred: it is transferred only once."),
        )
    _classify(
        petition,
        eligible=eligible,
        reason=ineligible_reason,
        own_authority=False,
        handling=Handling.TRANSFERRED,
        on=on,
    )
    petition.target_unit, petition.target_name = unit, name
    petition.target_document_number = normalize(document_number)[:60]
    result = step.done(data={"to": name, "document_number": petition.target_document_number})
    if unit is not None:
        _receive_transfer(actor, petition, unit, on)
    return result


def _receive_transfer(actor, source: Petition, unit: Unit, on: date) -> Petition:
    """The transferred petition as the receiving unit's own: same content, petitioners and files."""
    secret = secrets.token_hex(8)
    case = Case.objects.create(unit=unit, unit_path=unit.path, opened_on=on)
    copy = Petition(
        unit=unit,
        unit_path=unit.path,
        tracking_code=_tracking_code(),
        secret_digest=secret_digest(secret),
        year=on.year,
        number=0,
        received_on=on,
        channel=Channel.AGENCY,
        kind=source.kind,
        field=source.field,
        content=source.content,
        content_folded=source.content_folded,
        subject=source.subject,
        signer_count=source.signer_count,
        anonymous=source.anonymous,
        protected=source.protected,
        has_original_documents=source.has_original_documents,
        sender_body=source.unit.name[:300],
        sender_document_number=source.target_document_number,
        decision_known_on=source.decision_known_on,
        complex=source.complex,
        remote=source.remote,
        case=case,
        round=source.round,
        transferred_from=source,
        created_by=actor,
    )
    _set_deadline(copy)
    copy.number = next_number(Counter, unit_id=unit.pk, year=on.year)
    copy.save()
    people = list(source.petitioners.all())
    for person in people:
        person.pk = None
        person.petition = copy
    Petitioner.objects.bulk_create(people)
    for attachment in source.attachments.all():
        # Each petition owns its files (key rotation rewrites a file under a new name).
        with attachment.file.open("rb") as handle:
            stored_bytes = handle.read()
        attachment.pk = None
        attachment.petition = copy
        attachment.stored_name = secrets.token_hex(16)
        attachment.file.save(attachment.stored_name, ContentFile(stored_bytes), save=False)
        _remember_file(attachment.file.name)
        attachment.save()
    _index_content(copy)
    _event(copy, RECEIVE.action, actor=actor, on=on, from_status="", data={"from": source.unit.name})
    audit.record(
        actor=actor,
        action="petition.receive",
        obj=copy,
        unit=unit,
        before=None,
        after=audit.snapshot(copy, AUDIT_FIELDS),
    )
    return copy


def _area_of(unit: Unit) -> Unit:
    """The area (province, district, commune) a unit is or sits in: agencies take their parent's."""
    while not unit.is_area and unit.parent is not None:
        unit = unit.parent
    return unit


@transaction.atomic
def petition_urge(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    target_unit_id: int,
    document_number: str,
) -> Petition:
    """Urge the lower level whose authority it is and who has not acted (TT 05/2021 Art 14(2))."""
    step = _Step(actor, petition_id, version, "urge", on, today)
    petition = step.petition
    unit, name = _target(target_unit_id, "", on, petition)
    # Lower: the area the target belongs to (an agency's enclosing area) lies strictly below the
    # petition's own area. Comparing the areas, not the units, lets a provincial agency urge a
    # commune (same tree depth as the agency) and refuses another provincial agency.
    own_area, target_area = _area_of(petition.unit), _area_of(unit) if unit is not None else None
    if (
        target_area is None
        or not target_area.path.startswith(own_area.path)
        or target_area.depth <= own_area.depth
    ):
        raise _error("urge_not_lower", "target_unit", _("Only a unit of a lower level can be urged."))
    if not normalize(document_number):
        raise _error("slip_required", "document_number", _("Enter the number of the urging letter."))
    _classify(petition, eligible=True, reason="", own_authority=False, handling=Handling.URGED, on=on)
    petition.target_unit, petition.target_name = unit, name
    petition.target_document_number = normalize(document_number)[:60]
    return step.done(data={"to": name, "document_number": petition.target_document_number})


@transaction.atomic
def petition_file(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    ineligible_reason: str,
    note: str = "",
) -> Petition:
    """File the petition away; it is kept for the rule's period, then listed for disposal
    (TT 07/2014 Art 28)."""
    step = _Step(actor, petition_id, version, "file", on, today)
    petition = step.petition
    _classify(
        petition,
        eligible=False,
        reason=ineligible_reason,
        own_authority=bool(petition.own_authority),
        handling=Handling.FILED,
        on=on,
    )
    keep = deadlines.compute(
        timing.rule_book(),
        kind="any",
        step="keep_filed",
        received_on=petition.received_on,
        start=on,
        calendar=timing.calendar_around(on),
    )
    petition.disposal_due = keep.due
    return step.done(data={"reason": ineligible_reason, "note": normalize(note)})


@transaction.atomic
def petition_record_reply(
    *, actor, petition_id: int, version: int, on: date, today: date, summary: str
) -> Petition:
    """The transferred-to or urged body answered (Luật Tiếp công dân Art 27(2))."""
    step = _Step(actor, petition_id, version, "record_reply", on, today)
    if not normalize(summary):
        raise _error("summary_required", "summary", _("Enter what the reply says."))
    step.petition.reply_on = on
    step.petition.reply_summary = normalize(summary)
    return step.done(data={"summary": step.petition.reply_summary})


def _attach(actor, petition: Petition, upload: FileInput | None, name: str) -> Attachment | None:
    if upload is None:
        return None
    checked = check_upload(upload.name, upload.data, field=name)
    return _store_file(petition, checked, identifying=upload.identifying, actor=actor)


@_removes_files_on_error
@transaction.atomic
def petition_attach(
    *, actor, petition_id: int, version: int, on: date, today: date, file: FileInput
) -> Petition:
    """A document that came in while the petition is handled (the citizen's additions, a reply
    letter): kept with the petition, shown on its timeline."""
    step = _Step(actor, petition_id, version, "attach", on, today)
    attachment = _attach(actor, step.petition, file, "file")
    return step.done(data={"attachment": attachment.pk if attachment else None}, attachment=attachment)


@_removes_files_on_error
@transaction.atomic
def petition_verify(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    summary: str,
    file: FileInput | None = None,
) -> Petition:
    step = _Step(actor, petition_id, version, "verify", on, today)
    if not normalize(summary):
        raise _error("summary_required", "summary", _("Enter what was verified."))
    attachment = _attach(actor, step.petition, file, "file")
    return step.done(data={"summary": normalize(summary)}, attachment=attachment)


@_removes_files_on_error
@transaction.atomic
def petition_dialogue(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    participants: str,
    summary: str,
    minutes: FileInput | None = None,
) -> Petition:
    """A dialogue with the parties, its minutes attached (Luật Khiếu nại Art 30, 39)."""
    step = _Step(actor, petition_id, version, "dialogue", on, today)
    if not normalize(participants):
        raise _error("participants_required", "participants", _("Enter who took part."))
    attachment = _attach(actor, step.petition, minutes, "minutes")
    return step.done(
        data={"participants": normalize(participants), "summary": normalize(summary)}, attachment=attachment
    )


@transaction.atomic
def petition_extend(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    ground: str,
    days: int | None = None,
    especially_complex: bool = False,
) -> Petition:
    """Extend the resolution deadline, each extension with its legal ground (Luật Tố cáo Art 30;
    complex complaints run under the longer period from acceptance instead). A complex case is
    extended once; an especially complex one (two or more criteria, Decree 31/2019 Art 3) twice."""
    step = _Step(actor, petition_id, version, "extend", on, today)
    petition = step.petition
    if not normalize(ground):
        raise _error("ground_required", "ground", _("Enter the legal ground of the extension."))
    deadline = timing.deadline_of(petition)
    used = petition.events.filter(action="extend").count()
    if deadline is None or deadlines.extensions_left(deadline.rule, used) <= 0:
        raise _error("no_extension", "ground", _("The rule allows no further extension of this deadline."))
    if used >= 1 and not especially_complex:
        raise _error(
            "not_especially_complex",
            "especially_complex",
            _(
                "A complex case is extended once; a second extension is only for an especially complex "
                "case (two or more criteria of Decree 31/2019, Art 3)."
            ),
        )
    extension_days = days if days is not None else deadline.rule.extension_days
    if extension_days is None or extension_days < 1 or extension_days > (deadline.rule.extension_days or 0):
        raise _error(
            "extension_days",
            "days",
            _("An extension is at most %(days)s days."),
            days=deadline.rule.extension_days or 0,
        )
    return step.done(
        data={"ground": normalize(ground), "days": extension_days, "especially_complex": especially_complex}
    )


@transaction.atomic
def petition_suspend(
    *, actor, petition_id: int, version: int, on: date, today: date, ground: str
) -> Petition:
    """Suspend the resolution: the clock stops until it resumes (Luật 136/2025, Art 11a)."""
    step = _Step(actor, petition_id, version, "suspend", on, today)
    if not normalize(ground):
        raise _error("ground_required", "ground", _("Enter the legal ground of the suspension."))
    return step.done(data={"ground": normalize(ground)})


@transaction.atomic
def petition_resume(*, actor, petition_id: int, version: int, on: date, today: date) -> Petition:
    step = _Step(actor, petition_id, version, "resume", on, today)
    last = step.petition.events.filter(action="suspend").order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        raise _error(
            "resume_before_suspend", "on", _("The resolution cannot resume before it was suspended.")
        )
    return step.done()


@transaction.atomic
def petition_withdraw(
    *,
    actor,
    petition_id: int,
    version: int,
    on: date,
    today: date,
    petitioner_ids: list[int] | None = None,
    note: str = "",
    continue_anyway: bool = False,
) -> Petition:
    """Record a withdrawal in writing (Luật Khiếu nại Art 10; Luật Tố cáo Art 33). With several
    petitioners, each withdraws for themselves and the case continues for the others. A
    denunciation withdrawn by all goes on when the violation appears real or the withdrawal was
    coerced (`continue_anyway`, Luật Tố cáo Art 33(3); Decree 31/2019 Art 4)."""
    step = _Step(actor, petition_id, version, "withdraw", on, today)
    petition = step.petition
    remaining = petition.petitioners.filter(withdrawn_on__isnull=True)
    if petitioner_ids:
        chosen = remaining.filter(pk__in=petitioner_ids)
        if chosen.count() != len(set(petitioner_ids)):
            raise _error("petitioner_unknown", "petitioners", _("Choose petitioners of this petition."))
    else:
        chosen = remaining
    if continue_anyway and petition.kind != Kind.DENUNCIATION:
        raise _error(
            "continue_not_denunciation",
            "continue_anyway",
            _("Only the resolution of a denunciation goes on after everyone withdrew."),
        )
    count = chosen.update(withdrawn_on=on)
    whole = not petition.petitioners.filter(withdrawn_on__isnull=True).exists()
    target = None if whole and not continue_anyway else petition.status
    if target is None and petition.status == Status.RECEIVED:
        # Withdrawn before it was classified: its processing ends here (forms 01–04/XLD).
        petition.handling, petition.processed_on = Handling.WITHDRAWN, on
    data = {"petitioners": count, "whole": whole, "note": normalize(note), "continue_anyway": continue_anyway}
    return step.done(data=data, target=target)


def _money(value, name: str) -> Decimal:
    try:
        amount = Decimal(str(value or 0))
    except InvalidOperation:
        raise _error("number_invalid", name, _("Enter a number.")) from None
    if amount < 0:
        raise _error("number_negative", name, _("Enter zero or more."))
    return amount


@dataclass(frozen=True)
class Results:
    """Results of a resolution as the KQGQ forms count them (money in million VND, land in m²)."""

    money_recovered: Any = 0
    land_recovered: Any = 0
    money_returned: Any = 0
    land_returned: Any = 0
    people_restored: int = 0
    people_sanctioned: int = 0
    cases_to_investigation: int = 0


@transaction.atomic
def petition_decide(
    *,
    actor,
    petition_id: int,
    version: int,
    today: date,
    number: str,
    decided_on: date,
    signer: str,
    outcome: str,
    results: Results | None = None,
) -> Petition:
    """Record the decision or conclusion that resolves the petition, its outcome and results,
    and whether it came within the legal deadline."""
    step = _Step(actor, petition_id, version, "decide", decided_on, today, on_field="decided_on")
    petition = step.petition
    errors = FieldErrors("petition_invalid")
    if not normalize(number):
        errors.add("number", _("Enter the decision's number."))
    if not normalize(signer):
        errors.add("signer", _("Enter who signed the decision."))
    if petition.accepted_on and decided_on < petition.accepted_on:
        errors.add("decided_on", _("The decision cannot be dated before the petition was accepted."))
    if outcome not in outcomes_for(petition.kind, petition.round):
        errors.add("outcome", _("Choose an outcome that fits this kind of petition."))
    errors.raise_if_any()
    results = results or Results()
    for name in ("money_recovered", "land_recovered", "money_returned", "land_returned"):
        setattr(petition, name, _money(getattr(results, name), name))
    for name in ("people_restored", "people_sanctioned", "cases_to_investigation"):
        value = getattr(results, name) or 0
        if int(value) < 0:
            raise _error("number_negative", name, _("Enter zero or more."))
        setattr(petition, name, int(value))
    due = petition.due_date
    petition.decision_number = normalize(number)[:60]
    petition.decision_on = decided_on
    petition.decision_signer = normalize(signer)[:200]
    petition.outcome = outcome
    petition.on_time = due is None or decided_on <= due
    return step.done(
        data={"number": petition.decision_number, "outcome": outcome, "on_time": petition.on_time}
    )


@transaction.atomic
def petition_dispose(*, actor, petition_id: int, version: int, on: date, today: date) -> Petition:
    step = _Step(actor, petition_id, version, "dispose", on, today)
    if step.petition.disposal_due and on < step.petition.disposal_due:
        raise _error(
            "keep_period",
            "on",
            _("A filed petition is kept until %(day)s."),
            day=f"{step.petition.disposal_due:%d/%m/%Y}",
        )
    return step.done()


# ---- the denouncer's identity ---------------------------------------------------------------


@transaction.atomic
def identity_grant(*, actor, petition_id: int, user_id: int, reason: str) -> IdentityGrant:
    """The head of the handling unit lets one more user see the protected identity."""
    petition = access.visible(actor, Petition).filter(pk=petition_id).first()
    if petition is None:
        raise NotFound()
    if not identity.entitled(actor, petition) or not access.can(actor, "petition.decide", petition):
        raise PermissionDenied()
    if not normalize(reason):
        raise _error("reason_required", "reason", _("Enter why this person needs to see the identity."))
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not access.can(user, "record.view", petition):
        raise _error("user_invalid", "user", _("Choose a user who can see this petition."))
    grant, _created = IdentityGrant.objects.get_or_create(
        petition=petition, user=user, defaults={"granted_by": actor, "reason": normalize(reason)[:300]}
    )
    audit.record(
        actor=actor,
        action="petition.identity_grant",
        obj=petition,
        unit=petition.unit,
        after={"user": user.get_username(), "reason": grant.reason},
    )
    return grant


@transaction.atomic
def identity_revoke(*, actor, grant_id: int) -> None:
    """Take back a user's access to the protected identity (the head of the handling unit)."""
    grant = IdentityGrant.objects.select_related("petition__unit", "user").filter(pk=grant_id).first()
    if grant is None or not access.visible(actor, Petition).filter(pk=grant.petition_id).exists():
        raise NotFound()
    petition = grant.petition
    if not access.can(actor, "petition.decide", petition) or not identity.entitled(actor, petition):
        raise PermissionDenied()
    audit.record(
        actor=actor,
        action="petition.identity_revoke",
        obj=petition,
        unit=petition.unit,
        before={"user": grant.user.get_username(), "reason": grant.reason},
    )
    grant.delete()


@transaction.atomic
def identity_reveal(*, actor, petition_id: int, reason: str) -> list[tuple[Petitioner, identity.Identity]]:
    """The petitioners' identities in clear, for an entitled user; the view is logged with its reason."""
    petition = access.visible(actor, Petition).filter(pk=petition_id).first()
    if petition is None:
        raise NotFound()
    if not identity.entitled(actor, petition):
        raise PermissionDenied()
    if not normalize(reason):
        raise _error("reason_required", "reason", _("Enter why you need to see the identity."))
    audit.record(
        actor=actor,
        action="petition.identity_view",
        obj=petition,
        unit=petition.unit,
        after={"reason": normalize(reason)[:300]},
    )
    return [(p, identity.identity_of(p)) for p in petition.petitioners.all()]


@transaction.atomic
def attachment_open(*, actor, attachment_id: int) -> tuple[Attachment, bytes]:
    """The file of an attachment, decrypted. A document marked as identifying a denouncer opens
    only for those entitled to the identity, and each opening is recorded in the audit trail."""
    attachment = (
        access.visible(actor, Attachment).select_related("petition__unit").filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise NotFound()
    petition = attachment.petition
    if attachment.identifying:
        if not identity.entitled(actor, petition):
            raise PermissionDenied()
        audit.record(
            actor=actor,
            action="petition.attachment_view",
            obj=petition,
            unit=petition.unit,
            after={"attachment": attachment.pk},
        )
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return attachment, crypto.unseal_bytes(data) if attachment.encrypted else data


def petition_deadlines_refresh(*, batch: int = 500) -> int:
    """Recompute the stored due date of every petition whose deadline runs (received, accepted,
    suspended), after the rules (DANVAN_DEADLINE_RULES) or the calendar changed. Each batch is one
    transaction; returns how many due dates changed. One audit entry says what was done."""
    running = (Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED)
    changed, last_pk = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Petition.objects.select_for_update()
                .filter(status__in=running, pk__gt=last_pk)
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            for petition in rows:
                due, step, start = petition.due_date, petition.deadline_step, petition.deadline_start
                _set_deadline(petition)
                if (due, step, start) != (petition.due_date, petition.deadline_step, petition.deadline_start):
                    Petition.objects.filter(pk=petition.pk).update(
                        due_date=petition.due_date,
                        deadline_step=petition.deadline_step,
                        deadline_start=petition.deadline_start,
                    )
                    changed += 1
            last_pk = rows[-1].pk
    audit.record(
        actor=None,
        action="petition.deadlines_refresh",
        record_type="petitions.petition",
        label="deadlines",
        after={"changed": changed},
    )
    return changed


# ---- bulk import of a historical register -----------------------------------------------------
#
# One row of a register is one petition (the `petitions` record type of `records.py`: its columns
# are the keys of a row). Imported petitions are written a chunk at a time with bulk_create, tagged
# with their import batch; no event, no audit entry per row (the import records one for the batch).
# The petitions carry no tracking secret (the citizen was never given one): they cannot be followed
# on the public page. Similarity keys are not written here (see `petitions_import_index`).

_HANDLED_OUTSIDE = (Handling.GUIDED, Handling.TRANSFERRED, Handling.URGED)


def parse_receipt_number(text, received_on: date | None) -> tuple[int, int] | None:
    """(number, year) of a receipt number written "125/2016", or "125" (the year is then the year
    received); None when it is not one."""
    number, _slash, year = str(text or "").replace(" ", "").partition("/")
    if number.endswith(".0"):  # a number cell read as a float
        number = number[:-2]
    if (
        not number.isdigit()
        or not 0 < int(number) < 10_000_000
        or (year and not (year.isdigit() and len(year) == 4))
    ):
        return None
    if year:
        return int(number), int(year)
    return (int(number), received_on.year) if received_on else None


def imported_state(row: dict) -> dict[str, Any]:
    """The lifecycle fields of an imported petition, from what the register says.

    The handling (how processing ended) and its day give `eligible` and `own_authority` as the
    services set them (accepted or urged: eligible; filed: not eligible; accepted: own authority;
    guided, transferred, urged: outside it). The status follows the last step the row records:
    withdrawn when it has a withdrawal date (closed that day); resolved when it has a decision
    (closed on the decision's day); an answered transfer or urge when it has a reply date (closed
    that day); guided or filed on the processing day (closed then); accepted, transferred or urged
    while nothing later is recorded; received when the row records no handling."""
    handling = row.get("handling") or ""
    processed_on = row.get("processed_on")
    withdrawn_on = row.get("withdrawn_on")
    if withdrawn_on and not handling:
        handling = Handling.WITHDRAWN
    if handling == Handling.WITHDRAWN:
        processed_on = processed_on or withdrawn_on
    eligible = row.get("eligible")
    if handling and eligible is None:
        eligible_by: dict[str, bool | None] = {Handling.FILED: False, Handling.WITHDRAWN: None}
        eligible = eligible_by.get(handling, True)
    own_by: dict[str, bool | None] = {
        Handling.ACCEPTED: True,
        Handling.FILED: False,
        Handling.WITHDRAWN: None,
    }
    own = own_by.get(handling, False)
    status, closed_on = Status.RECEIVED, None
    if withdrawn_on:
        status, closed_on = Status.WITHDRAWN, withdrawn_on
    elif handling == Handling.ACCEPTED:
        status = Status.RESOLVED if row.get("decision_on") else Status.ACCEPTED
        closed_on = row.get("decision_on")
    elif handling in (Handling.TRANSFERRED, Handling.URGED):
        status = Status.ANSWERED if row.get("reply_on") else Status(handling)
        closed_on = row.get("reply_on")
    elif handling in (Handling.GUIDED, Handling.FILED):
        status, closed_on = Status(handling), processed_on
    return {
        "handling": handling,
        "processed_on": processed_on if handling else None,
        "eligible": eligible if handling else None,
        "ineligible_reason": (row.get("ineligible_reason") or "") if eligible is False else "",
        "own_authority": own if handling else None,
        "accepted_on": processed_on if handling == Handling.ACCEPTED else None,
        "status": status,
        "closed_on": closed_on,
    }


class _Calendars(dict):
    """Working calendars by the year a deadline starts, read once per chunk."""

    def __missing__(self, year: int):
        self[year] = timing.calendar_around(date(year, 1, 1))
        return self[year]


def _imported_deadlines(petition: Petition, calendars: _Calendars, on_time) -> None:
    """The running deadline of an open petition, the keeping period of a filed one, and whether a
    decision came on time when the register does not say (the resolution deadline from acceptance)."""
    if petition.status in (Status.RECEIVED, Status.ACCEPTED):
        start = petition.accepted_on or petition.received_on
        deadline = timing.deadline_of(petition, events=(), calendar=calendars[start.year])
        petition.due_date = deadline.due if deadline else None
        petition.deadline_step = deadline.rule.step if deadline else ""
        petition.deadline_start = deadline.start if deadline else None
    elif petition.status == Status.FILED and petition.processed_on:
        try:
            petition.disposal_due = deadlines.compute(
                timing.rule_book(),
                kind="any",
                step="keep_filed",
                received_on=petition.received_on,
                start=petition.processed_on,
                calendar=calendars[petition.processed_on.year],
            ).due
        except LookupError:
            petition.disposal_due = None
    if petition.status == Status.RESOLVED:
        if on_time is None:
            accepted_on, decision_on = petition.accepted_on, petition.decision_on
            if accepted_on is None or decision_on is None:
                # Checked rows give a resolved petition both days (imported_state, the row checks).
                raise ValueError(f"resolved petition {petition.receipt_number} lacks a day it needs")
            petition.status = Status.ACCEPTED
            deadline = timing.deadline_of(petition, events=(), calendar=calendars[accepted_on.year])
            petition.status = Status.RESOLVED
            on_time = deadline is None or deadline.due is None or decision_on <= deadline.due
        petition.on_time = on_time


def _unused_tracking_codes(count: int) -> list[str]:
    """`count` fresh tracking codes, none already given (one query)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {_tracking_code() for _n in range(count - len(codes))}
        wanted -= set(
            Petition.objects.filter(tracking_code__in=wanted).values_list("tracking_code", flat=True)
        )
        codes |= wanted
    return sorted(codes)


def _text(row: dict, name: str, size: int | None = None) -> str:
    value = normalize(str(row.get(name) or ""))
    return value[:size] if size else value


def _imported_petition(user, row: dict, batch, code: str, calendars: _Calendars) -> Petition:
    unit = row["unit"]
    parsed = parse_receipt_number(row["receipt_number"], row["received_on"])
    if parsed is None:  # the row checks refuse a receipt number that is not one
        raise ValueError(f"not a receipt number: {row['receipt_number']!r}")
    number, year = parsed
    kind = row["kind"]
    content = _text(row, "content")
    state = imported_state(row)
    decided = state["status"] == Status.RESOLVED
    petition = new(
        Petition,
        unit=unit,
        unit_path=unit.path,
        tracking_code=code,
        secret_digest="",  # no secret was ever given: the public tracking page never finds it
        year=year,
        number=number,
        received_on=row["received_on"],
        channel=row.get("channel") or Channel.POST,
        kind=kind,
        field=row["field"],
        content=content,
        content_folded=fold(content),
        subject=_text(row, "subject", 300),
        signer_count=max(row.get("signer_count") or 1, 1),
        anonymous=bool(row.get("anonymous")),
        protected=kind == Kind.DENUNCIATION,
        has_original_documents=bool(row.get("has_original_documents")),
        sender_body=_text(row, "sender_body", 300),
        sender_document_number=_text(row, "sender_document_number", 60),
        decision_known_on=row.get("decision_known_on"),
        complex=bool(row.get("complex")),
        remote=bool(row.get("remote")),
        is_repeat=bool(row.get("repeat")),
        round=row.get("round") or 1,
        target_name=_text(row, "target_name", 300) if state["handling"] in _HANDLED_OUTSIDE else "",
        target_document_number=(
            _text(row, "target_document_number", 60) if state["handling"] in _HANDLED_OUTSIDE else ""
        ),
        reply_on=row.get("reply_on") if state["status"] == Status.ANSWERED else None,
        reply_summary=_text(row, "reply_summary") if state["status"] == Status.ANSWERED else "",
        decision_number=_text(row, "decision_number", 60) if decided else "",
        decision_on=row.get("decision_on") if decided else None,
        decision_signer=_text(row, "decision_signer", 200) if decided else "",
        outcome=(row.get("outcome") or "") if decided else "",
        created_by=user,
        import_batch=batch,
        **state,
    )
    if decided:
        for name in ("money_recovered", "land_recovered", "money_returned", "land_returned"):
            setattr(petition, name, row.get(name) or Decimal(0))
        for name in ("people_restored", "people_sanctioned", "cases_to_investigation"):
            setattr(petition, name, row.get(name) or 0)
    _imported_deadlines(petition, calendars, row.get("on_time"))
    return petition


def _imported_petitioner(petition: Petition, row: dict) -> Petitioner | None:
    ident, _problems = identity.identity_typed(
        name=row.get("petitioner_name") or "",
        id_number=row.get("petitioner_id_number") or "",
        address=row.get("petitioner_address") or "",
        phone=row.get("petitioner_phone") or "",
    )
    if ident is None:
        return None
    person = _save_person(petition, 0, PersonInput(), ident, build=partial(new, Petitioner))
    person.withdrawn_on = row.get("withdrawn_on")
    return person


def petitions_import(user, rows, batch) -> int:
    """Create the petitions of a chunk of checked register rows (the `petitions` record type's
    columns), each with its own case and its main petitioner (sealed for a denunciation), tagged
    with `batch`; raise the receipt counters to the highest number imported. Runs inside the
    import's transaction; returns the number of petitions created."""
    rows = list(rows)
    if not rows:
        return 0
    calendars = _Calendars()
    codes = _unused_tracking_codes(len(rows))
    petitions = [
        _imported_petition(user, row, batch, code, calendars) for row, code in zip(rows, codes, strict=True)
    ]
    cases = bulk_insert(
        Case, [new(Case, unit=p.unit, unit_path=p.unit_path, opened_on=p.received_on) for p in petitions]
    )
    for petition, case in zip(petitions, cases, strict=True):
        petition.case = case
    bulk_insert(Petition, petitions)
    people = [_imported_petitioner(p, row) for p, row in zip(petitions, rows, strict=True)]
    bulk_insert(Petitioner, [p for p in people if p is not None])
    highest: dict[tuple[int, int], int] = {}
    for p in petitions:
        key = (p.unit_id, p.year)
        highest[key] = max(highest.get(key, 0), p.number)
    counters_raise(Counter, highest)
    return len(petitions)


def petitions_import_index(batch, *, chunk: int = 2000) -> int:
    """Write the similarity keys (duplicate check) of a batch's petitions that have none yet, a chunk
    at a time; returns the number of petitions indexed. Kept apart from `petitions_import` because
    it costs more than the import itself (32 keys a petition): run it after the import commits."""
    done, last = 0, 0
    while True:
        rows = list(
            Petition.objects.filter(import_batch=batch, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "unit_id", "unit_path", "content")[:chunk]
        )
        if not rows:
            return done
        last = rows[-1][0]
        have = set(
            ContentKey.objects.filter(petition_id__in=[r[0] for r in rows]).values_list(
                "petition_id", flat=True
            )
        )
        keys = [
            ContentKey(petition_id=pk, key=k, unit_id=unit_id, unit_path=path)
            for pk, unit_id, path, content in rows
            if pk not in have
            for k in sorted(set(similarity.signature(content)))
        ]
        ContentKey.objects.bulk_create(keys, batch_size=5000)
        done += len(rows) - len(have)


def petitions_import_changed(batch) -> Petition | None:
    """The first petition of `batch` changed since the import (a step taken, a file or a grant
    added, or another record pointing to it or to its case); None when nothing was."""
    from django.db.models import Exists, OuterRef, Q

    mine = Petition.objects.filter(import_batch=batch)
    others = Petition.objects.exclude(import_batch=batch)
    changed = mine.filter(
        Q(version__gt=0)
        | Q(handler__isnull=False)
        | Exists(Event.objects.filter(petition=OuterRef("pk")))
        | Exists(Attachment.objects.filter(petition=OuterRef("pk")))
        | Exists(IdentityGrant.objects.filter(petition=OuterRef("pk")))
        | Exists(others.filter(case_id=OuterRef("case_id")))
        | Exists(
            others.filter(
                Q(previous=OuterRef("pk"))
                | Q(duplicate_of=OuterRef("pk"))
                | Q(transferred_from=OuterRef("pk"))
            )
        )
    )
    from django.apps import apps

    try:
        visits = apps.get_model("reception", "Visit")
    except LookupError:  # reception is not installed
        visits = None
    if visits is not None:
        changed = changed | mine.filter(
            Exists(visits.objects.filter(Q(case_id=OuterRef("case_id")) | Q(petitions=OuterRef("pk"))))
        )
    return changed.select_related("unit").order_by("pk").first()


def petitions_import_rollback(user, batch) -> int:
    """Delete the petitions `batch` created, with their petitioners, keys and cases; refuse (nothing
    deleted) when one of them changed since. Counters stay as they are. Returns the count."""
    changed = petitions_import_changed(batch)
    if changed is not None:
        raise DomainError(
            "import.rollback_changed",
            _("Petition %(number)s of %(unit)s was changed after the import: the import cannot be undone."),
            number=changed.receipt_number,
            unit=changed.unit.name,
        )
    mine = Petition.objects.filter(import_batch=batch)
    case_ids = list(mine.values_list("case_id", flat=True))
    ContentKey.objects.filter(petition__import_batch=batch).delete()
    Petitioner.objects.filter(petition__import_batch=batch).delete()
    count = mine.delete()[1].get(Petition._meta.label, 0)
    for ids in (case_ids[i : i + 2000] for i in range(0, len(case_ids), 2000)):
        Case.objects.filter(pk__in=ids).delete()
    return count
