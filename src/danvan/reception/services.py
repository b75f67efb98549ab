"""Every write of citizen reception: places, duties, sessions, visits (with the petitions that come
of them), the answer owed to the citizen, and the head's conclusions. One function per intention,
each a transaction that checks the rule and the role, writes, and records the audit entry.

A visitor whose matter includes a denunciation is sealed before anything is written (Luật Tố cáo
25/2018 Art 47; Nghị định 154/2026 Art 12): the identity never enters an audit entry or an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core import audit, crypto
from danvan.core.bulk import counters_raise
from danvan.core.errors import (
    DomainError,
    FieldErrors,
    NotFound,
    PermissionDenied,
    check_version,
    field_error,
)
from danvan.core.selectors import working_calendar
from danvan.core.sequences import next_number
from danvan.core.text import fold, normalize
from danvan.petitions import identity
from danvan.petitions import services as petition_services
from danvan.petitions.models import FIELDS_OF_KIND, Case, Channel, Kind, Petition
from danvan.units import access
from danvan.units.models import Unit, valid_on_q

from . import rules
from .models import (
    ANSWER_OWED,
    OUTCOMES_OF_KIND,
    AnswerKind,
    Conclusion,
    Counter,
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

RECORD = "reception.record"
MANAGE = "reception.manage"
SESSION_AUDIT = [
    "kind",
    "mode",
    "day",
    "place",
    "duty",
    "presider",
    "presider_name",
    "trigger",
    "status",
    "published_on",
    "cancel_reason",
]
VISIT_AUDIT = [
    "session",
    "day",
    "kinds",
    "people_count",
    "crowd",
    "case",
    "is_repeat",
    "outcome",
    "target_name",
    "target_document",
    "refusal_ground",
    "refusal_notice",
    "answer_due",
    "answered_on",
    "answer_kind",
]


def rule_book() -> rules.RuleBook:
    return rules.load_rules(settings.DANVAN_RECEPTION_RULES or None)


def _error(code: str, name: str, message, **params) -> DomainError:
    return field_error(code, name, message, **params)


def _unit(actor, unit_id, action: str) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first() if isinstance(unit_id, int) else None
    if unit is None:
        raise _error("unit_not_found", "unit", _("The unit does not exist."))
    access.require(actor, action, unit)
    return unit


def _exists_on(unit: Unit, day: date) -> bool:
    return Unit.objects.filter(pk=unit.pk).filter(valid_on_q(day)).exists()


def _load(actor, model, pk, action: str):
    obj = access.visible(actor, model).select_for_update().filter(pk=pk).first() if pk else None
    if obj is None:
        raise NotFound()
    access.require(actor, action, obj.unit)
    return obj


# ---- places and duties ----------------------------------------------------------------------


@transaction.atomic
def place_save(
    *,
    actor,
    unit_id: int,
    name: str,
    address: str,
    regular_hours: str = "",
    active: bool = True,
    place_id: int | None = None,
    version: int | None = None,
) -> Place:
    """Declare or change a reception place and its regular hours (Art 2(5), Art 24)."""
    errors = FieldErrors("reception_invalid")
    if not normalize(name):
        errors.add("name", _("Enter the name of the place."))
    if not normalize(address):
        errors.add("address", _("Enter the address of the place."))
    if place_id is None:
        unit = _unit(actor, unit_id, MANAGE)
        place = Place(unit=unit, unit_path=unit.path)
        before = None
    else:
        place = _load(actor, Place, place_id, MANAGE)
        check_version(place, version)
        unit = place.unit
        before = audit.snapshot(place)
    errors.raise_if_any()
    place.name, place.address = normalize(name)[:200], normalize(address)[:300]
    place.regular_hours, place.active = normalize(regular_hours)[:300], active
    place.version += 1 if before is not None else 0
    place.save()
    action = "reception.place_create" if before is None else "reception.place_update"
    audit.record(actor=actor, action=action, obj=place, unit=unit, before=before, after=audit.snapshot(place))
    return place


@transaction.atomic
def duty_save(
    *,
    actor,
    unit_id: int,
    position: str,
    holder_name: str,
    valid_from: date,
    valid_to: date | None = None,
    holder_id: int | None = None,
    duty_id: int | None = None,
    version: int | None = None,
) -> Duty:
    """Declare who holds a head's reception duty, and from when to when."""
    errors = FieldErrors("reception_invalid")
    if position not in Position.values:
        errors.add("position", _("Choose a position from the list."))
    if not normalize(holder_name):
        errors.add("holder_name", _("Enter the name of the person holding the position."))
    if valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", _("The end date is before the start date."))
    if holder_id is not None and not get_user_model().objects.filter(pk=holder_id).exists():
        # Checked here: a dangling id would only fail at commit, as a server error.
        errors.add("holder", _("Choose a user."))
    if duty_id is None:
        unit = _unit(actor, unit_id, MANAGE)
        duty = Duty(unit=unit, unit_path=unit.path)
        before = None
    else:
        duty = _load(actor, Duty, duty_id, MANAGE)
        check_version(duty, version)
        unit = duty.unit
        before = audit.snapshot(duty)
    if "valid_from" not in errors.fields and not _exists_on(unit, valid_from):
        errors.add("valid_from", _("The unit did not exist on this date."))
    if position in Position.values and position != Position.DEPUTY and not errors.fields:
        # One holder of a head's position at a time (deputies are many): close the earlier one first.
        overlapping = (
            Duty.objects.filter(unit=unit, position=position)
            .exclude(pk=duty.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        )
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_to)
        other = overlapping.order_by("valid_from").first()
        if other is not None:
            message = str(
                _(
                    "%(name)s holds this position in the unit from %(day)s: "
                    "give an end date to that duty first."
                )
            ) % {"name": other.holder_name, "day": f"{other.valid_from:%d/%m/%Y}"}
            errors.add("valid_from", message)
    errors.raise_if_any()
    duty.position, duty.holder_name, duty.holder_id = position, normalize(holder_name)[:200], holder_id
    duty.valid_from, duty.valid_to = valid_from, valid_to
    duty.version += 1 if before is not None else 0
    duty.save()
    action = "reception.duty_create" if before is None else "reception.duty_update"
    audit.record(actor=actor, action=action, obj=duty, unit=unit, before=before, after=audit.snapshot(duty))
    return duty


# ---- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    unit_id: int
    kind: str
    day: date
    mode: str = Mode.IN_PERSON
    place_id: int | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    duty_id: int | None = None
    trigger: str = ""
    attendees: str = ""
    expected_content: str = ""
    # Set to record a session that has been held (ad hoc sessions are usually recorded so).
    held: bool = False
    presider: str = ""
    presider_name: str = ""
    authorisation: str = ""
    recording: str = ""


@dataclass
class SessionResult:
    session: Session
    warnings: list[str]


def _check_presider(errors: FieldErrors, kind: str, presider: str, presider_name: str) -> None:
    if kind == SessionKind.REGULAR:
        if presider not in ("", Presider.STAFF):
            errors.add("presider", _("Regular reception is held by reception staff."))
        return
    if presider not in (Presider.HEAD, Presider.AUTHORISED):
        errors.add("presider", _("Say whether the head presided in person or authorised someone."))
    elif presider == Presider.AUTHORISED and not normalize(presider_name):
        errors.add("presider_name", _("Enter the name of the authorised person."))


def _hold_warnings(session: Session, book: rules.RuleBook) -> list[str]:
    warnings: list[str] = []
    rule = book.delegation(session.day)
    if session.presider == Presider.AUTHORISED and rule is not None and not rule.value:
        warnings.append(
            str(
                _(
                    "From %(day)s the head may no longer authorise someone else "
                    "to receive citizens (%(source)s)."
                )
            )
            % {"day": f"{rule.effective_from:%d/%m/%Y}", "source": rule.source}
        )
    return warnings


def _publish_warning(session: Session, book: rules.RuleBook, today: date) -> str | None:
    """The schedule of a head's session is late when it was (or still is) not posted n working
    days ahead (Art 24)."""
    if session.kind != SessionKind.PERIODIC or session.status == SessionStatus.CANCELLED:
        return None
    calendar = working_calendar(session.day.year - 1, session.day.year)
    last = rules.publish_by(session.day, book, calendar)
    published = session.published_on
    if (published is not None and published > last) or (published is None and today > last):
        return str(
            _("The schedule had to be published by %(day)s, %(n)s working days before the reception day.")
        ) % {"day": f"{last:%d/%m/%Y}", "n": book.publish_days(session.day)}
    return None


@transaction.atomic
def session_create(*, actor, data: SessionInput, today: date) -> SessionResult:
    """Schedule a reception session, or record one that was held (Art 12–18; Law 136/2025 Art 3a)."""
    errors = FieldErrors("reception_invalid")
    unit = _unit(actor, data.unit_id, RECORD)
    book = rule_book()
    if data.kind not in SessionKind.values:
        errors.add("kind", _("Choose a kind of reception from the list."))
    if not _exists_on(unit, data.day):
        errors.add("day", _("The unit did not exist on this day."))
    if data.mode not in Mode.values:
        errors.add("mode", _("Choose in person or online."))
    elif data.mode == Mode.ONLINE and not book.online(data.day):
        errors.add("mode", _("Online reception is possible from 1 July 2026 (Law 136/2025)."))
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors.add("ends_at", _("The session ends before it starts."))
    place = None
    if data.place_id is not None:
        place = access.visible(actor, Place).filter(pk=data.place_id, unit=unit).first()
        if place is None:
            errors.add("place", _("Choose one of the unit's reception places."))
        elif not place.active:
            errors.add("place", _("This place is no longer in use: choose another."))
    duty = None
    if data.kind in (SessionKind.PERIODIC, SessionKind.AD_HOC):
        duty = (
            access.visible(actor, Duty).filter(pk=data.duty_id, unit=unit).first() if data.duty_id else None
        )
        if duty is None:
            errors.add("duty", _("Choose whose reception day this is."))
        elif duty.valid_from > data.day or (duty.valid_to is not None and duty.valid_to < data.day):
            errors.add("duty", _("This person did not hold the position on that day."))
    elif data.duty_id is not None:
        errors.add("duty", _("Regular reception is not a head's reception day."))
    if data.kind == SessionKind.AD_HOC and data.trigger not in Trigger.values:
        errors.add("trigger", _("Say why the ad hoc reception was held (Art 18(3))."))
    if data.held:
        if data.day > today:
            errors.add("day", _("A session in the future cannot have been held."))
        _check_presider(errors, data.kind, data.presider, data.presider_name)
        if data.mode == Mode.ONLINE and not normalize(data.recording):
            # The same rule as `session_hold`: an online session is recorded (Decree 154/2026 Art 16–24).
            errors.add("recording", _("An online session is recorded: say where the recording is kept."))
    errors.raise_if_any()
    session = Session(
        unit=unit,
        unit_path=unit.path,
        place=place,
        kind=data.kind,
        mode=data.mode,
        day=data.day,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        duty=duty,
        trigger=data.trigger if data.kind == SessionKind.AD_HOC else "",
        attendees=normalize(data.attendees)[:500],
        expected_content=normalize(data.expected_content),
        status=SessionStatus.HELD if data.held else SessionStatus.SCHEDULED,
        presider=(data.presider or Presider.STAFF) if data.kind == SessionKind.REGULAR else data.presider,
        presider_name=normalize(data.presider_name)[:200],
        authorisation=normalize(data.authorisation)[:120],
        recording=normalize(data.recording)[:300],
        created_by=actor,
    )
    if data.kind == SessionKind.REGULAR:
        session.presider = Presider.STAFF
    session.save()
    audit.record(
        actor=actor,
        action="reception.session_create",
        obj=session,
        unit=unit,
        after=audit.snapshot(session, SESSION_AUDIT),
    )
    warnings = _hold_warnings(session, book) if data.held else []
    late = _publish_warning(session, book, today)
    if late and not data.held:
        warnings.append(late)
    return SessionResult(session, warnings)


@transaction.atomic
def session_open_regular(*, actor, unit_id: int, day: date, place_id: int | None, today: date) -> Session:
    """Today's regular reception at a place: opened once, then found again (the desk's first step)."""
    if day > today:
        raise _error("date_in_future", "day", _("A session in the future cannot be opened."))
    unit = _unit(actor, unit_id, RECORD)
    # Two clerks opening the desk at the same moment get one session: the second waits here for the
    # first to commit, then finds its session (PostgreSQL; SQLite writes one at a time anyway).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    existing = (
        access.visible(actor, Session)
        .filter(unit=unit, day=day, kind=SessionKind.REGULAR, status=SessionStatus.HELD, place_id=place_id)
        .first()
    )
    if existing is not None:
        return existing
    return session_create(
        actor=actor,
        data=SessionInput(unit_id=unit.pk, kind=SessionKind.REGULAR, day=day, place_id=place_id, held=True),
        today=today,
    ).session


def _load_session(actor, session_id: int, version: int | None) -> Session:
    session = _load(actor, Session, session_id, RECORD)
    check_version(session, version)
    return session


def _session_saved(actor, session: Session, before: dict, action: str) -> Session:
    session.version += 1
    session.save()
    audit.record(
        actor=actor,
        action=action,
        obj=session,
        unit=session.unit,
        before=before,
        after=audit.snapshot(session, SESSION_AUDIT),
    )
    return session


@transaction.atomic
def session_publish(*, actor, session_id: int, version: int, on: date, today: date) -> SessionResult:
    """Record that the schedule was posted at the place and on the website (Art 24)."""
    session = _load_session(actor, session_id, version)
    if session.status != SessionStatus.SCHEDULED:
        raise _error("session_not_scheduled", "status", _("Only a scheduled session can be published."))
    if on > today:
        raise _error("date_in_future", "on", _("The date cannot be in the future."))
    before = audit.snapshot(session, SESSION_AUDIT)
    session.published_on = on
    _session_saved(actor, session, before, "reception.session_publish")
    late = _publish_warning(session, rule_book(), today)
    return SessionResult(session, [late] if late else [])


@transaction.atomic
def session_hold(
    *,
    actor,
    session_id: int,
    version: int,
    presider: str,
    presider_name: str = "",
    authorisation: str = "",
    recording: str = "",
    today: date,
) -> SessionResult:
    """Record that a scheduled session took place and who presided (Art 12–18)."""
    session = _load_session(actor, session_id, version)
    if session.status != SessionStatus.SCHEDULED:
        raise _error("session_not_scheduled", "status", _("Only a scheduled session can be opened."))
    if session.day > today:
        raise _error("date_in_future", "day", _("A session in the future cannot have been held."))
    errors = FieldErrors("reception_invalid")
    _check_presider(errors, session.kind, presider, presider_name)
    if session.mode == Mode.ONLINE and not normalize(recording):
        errors.add("recording", _("An online session is recorded: say where the recording is kept."))
    errors.raise_if_any()
    before = audit.snapshot(session, SESSION_AUDIT)
    session.status = SessionStatus.HELD
    session.presider = presider if session.kind != SessionKind.REGULAR else Presider.STAFF
    session.presider_name = normalize(presider_name)[:200]
    session.authorisation = normalize(authorisation)[:120]
    session.recording = normalize(recording)[:300]
    _session_saved(actor, session, before, "reception.session_hold")
    return SessionResult(session, _hold_warnings(session, rule_book()))


@transaction.atomic
def session_cancel(*, actor, session_id: int, version: int, reason: str, today: date) -> Session:
    """Cancel a scheduled session; its day counts as missed if it was a required one."""
    session = _load_session(actor, session_id, version)
    if session.status != SessionStatus.SCHEDULED:
        raise _error("session_not_scheduled", "status", _("Only a scheduled session can be cancelled."))
    if not normalize(reason):
        raise _error("reason_required", "reason", _("Enter the reason for cancelling."))
    before = audit.snapshot(session, SESSION_AUDIT)
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = normalize(reason)[:300]
    return _session_saved(actor, session, before, "reception.session_cancel")


# ---- visits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorInput:
    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    representative: bool = False


@dataclass(frozen=True)
class VisitPart:
    """One content of the matter; each becomes a petition when petitions are made of the visit."""

    kind: str
    field: str
    content: str
    subject: str = ""


@dataclass(frozen=True)
class VisitInput:
    session_id: int | None
    parts: list[VisitPart]
    outcome: str
    visitors: list[VisitorInput] = field(default_factory=list)
    people_count: int = 1
    crowd: bool = False
    summary: str = ""  # the book's one-line content; the parts' contents when empty
    requests: str = ""
    earlier_handling: str = ""
    outcome_note: str = ""
    target_name: str = ""
    target_document: str = ""
    refusal_ground: str = ""
    refusal_notice: str = ""
    repeat_of_visit_id: int | None = None
    repeat_of_petition_id: int | None = None
    make_petitions: bool = False
    has_original_documents: bool = False
    note: str = ""


@dataclass
class VisitResult:
    visit: Visit
    petitions: list[Petition]
    secrets: dict[int, str]  # petition id -> tracking secret, shown once on the receipt
    warnings: list[str]


def _clean_visitors(data: VisitInput, errors: FieldErrors) -> list[tuple[VisitorInput, identity.Identity]]:
    people = []
    for i, person in enumerate(data.visitors):
        ident, problems = identity.identity_typed(
            name=person.name, id_number=person.id_number, address=person.address, phone=person.phone
        )
        for name, message in problems.items():
            errors.add(f"visitors.{i}.{name}", message)
        if ident is not None:
            people.append((person, ident))
    return people


def _check_crowd(data: VisitInput, people: list, errors: FieldErrors) -> None:
    if data.people_count < 1:
        errors.add("people_count", _("At least one person is received."))
        return
    if len(people) > data.people_count:
        errors.add("people_count", _("The number of people is smaller than the people listed."))
    if not data.crowd:
        return
    if data.people_count < 5:
        errors.add("crowd", _("A crowd is five or more people with the same content (Art 29)."))
        return
    representatives = sum(1 for person, _ident in people if person.representative)
    most = 2 if data.people_count <= 10 else 5
    if not 1 <= representatives <= most:
        message = _("A crowd of %(people)s people chooses between 1 and %(most)s representatives (Art 29).")
        errors.add("visitors", str(message) % {"people": data.people_count, "most": most})


def _check_outcome(data: VisitInput, errors: FieldErrors) -> None:
    if data.outcome not in Outcome.values:
        errors.add("outcome", _("Choose an outcome from the list."))
        return
    for part in data.parts:
        if part.kind in OUTCOMES_OF_KIND and data.outcome not in OUTCOMES_OF_KIND[part.kind]:
            message = str(_("“%(outcome)s” is not an outcome the law allows for a %(kind)s (Art 26).")) % {
                "outcome": Outcome(data.outcome).label,
                "kind": str(Kind(part.kind).label).lower(),
            }
            errors.add("outcome", message)
            return
    if data.outcome == Outcome.REFUSED:
        if data.refusal_ground not in RefusalGround.values:
            errors.add("refusal_ground", _("A refusal states its legal ground (Art 9)."))
        elif data.refusal_ground == RefusalGround.RESOLVED and not normalize(data.refusal_notice):
            errors.add("refusal_notice", _("Enter the number of the refusal notice (form 01)."))
    elif data.refusal_ground:
        errors.add("refusal_ground", _("Only a refused reception has a ground for refusal."))
    if data.outcome in (Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.URGED) and not normalize(
        data.target_name
    ):
        errors.add("target_name", _("Enter the body the citizen is guided or the matter transferred to."))
    if data.make_petitions and data.outcome in (Outcome.ANSWERED, Outcome.REFUSED):
        errors.add(
            "make_petitions", _("A matter answered on the spot or refused does not become a petition.")
        )


def _check_parts(data: VisitInput, errors: FieldErrors) -> None:
    if not data.parts:
        errors.add("parts", _("Enter the content of the matter."))
    kinds = [p.kind for p in data.parts]
    if len(set(kinds)) != len(kinds):
        errors.add("parts", _("Each kind of content appears once: split the matter by kind."))
    for i, part in enumerate(data.parts):
        if part.kind not in Kind.values:
            errors.add(f"parts.{i}.kind", _("Choose a kind from the list."))
            continue
        if part.field not in FIELDS_OF_KIND[part.kind]:
            errors.add(f"parts.{i}.field", _("Choose a field that the report forms list for this kind."))
        if not normalize(part.content):
            errors.add(f"parts.{i}.content", _("Enter the content."))


def _session_for_visit(actor, session_id: int | None, today: date) -> Session:
    session = (
        access.visible(actor, Session).select_related("unit").filter(pk=session_id).first()
        if session_id
        else None
    )
    if session is None or session.status != SessionStatus.HELD:
        message = (
            _("A visit is recorded in a reception session: open today's session first.")
            if session is None
            else _("This session has not been opened or was cancelled: a visit cannot be recorded in it.")
        )
        raise _error("visit_outside_session", "session", message)
    access.require(actor, RECORD, session.unit)
    if session.day > today:
        raise _error("date_in_future", "session", _("A session in the future cannot have been held."))
    return session


def _repeat_case(actor, data: VisitInput) -> tuple[Case | None, Visit | None]:
    if data.repeat_of_visit_id is not None:
        earlier = (
            access.visible(actor, Visit).filter(pk=data.repeat_of_visit_id).select_related("case").first()
        )
        if earlier is None:
            raise _error("visit_not_found", "repeat_of_visit", _("The earlier visit was not found."))
        return earlier.case, earlier
    if data.repeat_of_petition_id is not None:
        petition = (
            access.visible(actor, Petition)
            .filter(pk=data.repeat_of_petition_id)
            .select_related("case")
            .first()
        )
        if petition is None:
            raise _error("petition_not_found", "repeat_of_petition", _("The earlier petition was not found."))
        return petition.case, None
    return None, None


def _visitor_row(visit: Visit, position: int, person: VisitorInput, ident: identity.Identity) -> Visitor:
    by_id, by_name = identity.digests(ident)
    row = Visitor(
        visit=visit,
        position=position,
        representative=person.representative and visit.crowd,
        id_digest=by_id,
        name_address_digest=by_name,
        unit_id_copy=visit.unit_id,
        unit_path=visit.unit_path,
    )
    if visit.protected:
        row.sealed = crypto.seal(ident.as_dict())
    else:
        row.name, row.id_number, row.address, row.phone = (
            ident.name,
            ident.id_number,
            ident.address,
            ident.phone,
        )
        row.name_folded = fold(ident.name)[:200]
    return row


def visit_check(*, actor, data: VisitInput, today: date) -> Session:
    """Every rule of a visit, without writing: raises the errors `visit_record` would."""
    session = _session_for_visit(actor, data.session_id, today)
    errors = FieldErrors("reception_invalid")
    _check_parts(data, errors)
    people = _clean_visitors(data, errors)
    if not people and data.outcome != Outcome.REFUSED:
        errors.add("visitors", _("Enter the name or ID number of at least one person received."))
    _check_crowd(data, people, errors)
    _check_outcome(data, errors)
    errors.raise_if_any()
    _repeat_case(actor, data)
    return session


@transaction.atomic
def visit_record(*, actor, data: VisitInput, today: date) -> VisitResult:
    """Record one reception in the book, and the petitions that come of it, in one transaction.

    A matter with several kinds of content becomes one petition per kind (Art 25(1)); the petitions
    carry the visit's people, day and unit, so nothing is typed twice. The 10-working-day answer
    (Art 28(1)) is owed when the matter was accepted, transferred or passed to a lower level."""
    session = _session_for_visit(actor, data.session_id, today)
    errors = FieldErrors("reception_invalid")
    _check_parts(data, errors)
    people = _clean_visitors(data, errors)
    if not people and data.outcome != Outcome.REFUSED:
        errors.add("visitors", _("Enter the name or ID number of at least one person received."))
    _check_crowd(data, people, errors)
    _check_outcome(data, errors)
    errors.raise_if_any()
    earlier_case, earlier_visit = _repeat_case(actor, data)
    unit = session.unit
    kinds = [p.kind for p in data.parts]
    summary = normalize(data.summary) or " / ".join(normalize(p.content) for p in data.parts)
    book = rule_book()
    case = earlier_case or Case.objects.create(unit=unit, unit_path=unit.path, opened_on=session.day)
    visit = Visit(
        session=session,
        unit=unit,
        unit_path=unit.path,
        year=session.day.year,
        number=next_number(Counter, unit_id=unit.pk, year=session.day.year),
        day=session.day,
        session_kind=session.kind,
        presider=session.presider,
        kinds=",".join(kinds),
        content=summary,
        content_folded=fold(summary),
        requests=normalize(data.requests),
        earlier_handling=normalize(data.earlier_handling)[:300],
        people_count=data.people_count,
        crowd=data.crowd,
        protected=Kind.DENUNCIATION in kinds,
        case=case,
        is_repeat=earlier_case is not None,
        repeat_of=earlier_visit,
        outcome=data.outcome,
        outcome_note=normalize(data.outcome_note),
        target_name=normalize(data.target_name)[:300],
        target_document=normalize(data.target_document)[:60],
        refusal_ground=data.refusal_ground if data.outcome == Outcome.REFUSED else "",
        refusal_notice=normalize(data.refusal_notice)[:60] if data.outcome == Outcome.REFUSED else "",
        answer_due=(
            rules.answer_due(session.day, book, working_calendar(session.day.year, session.day.year + 1))
            if data.outcome in ANSWER_OWED
            else None
        ),
        note=normalize(data.note)[:500],
        received_by=actor,
    )
    visit.save()
    Visitor.objects.bulk_create(
        [_visitor_row(visit, n, person, ident) for n, (person, ident) in enumerate(people)]
    )
    petitions: list[Petition] = []
    codes: dict[int, str] = {}
    warnings: list[str] = []
    if data.make_petitions:
        result = petition_services.petition_intake(
            actor=actor,
            data=petition_services.IntakeInput(
                unit_id=unit.pk,
                received_on=session.day,
                channel=Channel.IN_PERSON,
                parts=[
                    petition_services.PartInput(
                        kind=part.kind,
                        field=part.field,
                        content=part.content,
                        subject=part.subject,
                        # The visit's matter is the first content's case; others are matters of their own.
                        case_id=case.pk if i == 0 else None,
                        repeat=visit.is_repeat if i == 0 else False,
                    )
                    for i, part in enumerate(data.parts)
                ],
                petitioners=[
                    petition_services.PersonInput(
                        name=ident.name,
                        id_number=ident.id_number,
                        address=ident.address,
                        phone=ident.phone,
                        representative=person.representative and data.crowd,
                    )
                    for person, ident in people
                ],
                signer_count=data.people_count,
                has_original_documents=data.has_original_documents,
            ),
            today=today,
        )
        petitions, codes, warnings = result.petitions, result.secrets, result.warnings
        visit.petitions.set(petitions)
    after = audit.snapshot(visit, VISIT_AUDIT)
    after["petitions"] = [p.pk for p in petitions]
    audit.record(actor=actor, action="reception.visit_record", obj=visit, unit=unit, after=after)
    return VisitResult(visit, petitions, codes, warnings)


@transaction.atomic
def visit_answer(
    *,
    actor,
    visit_id: int,
    version: int,
    answered_on: date,
    answer_kind: str,
    follow_up: str = "",
    today: date,
) -> Visit:
    """Record what the citizen was told about their matter (Art 28(1)): the deadline stops."""
    visit = _load(actor, Visit, visit_id, RECORD)
    check_version(visit, version)
    errors = FieldErrors("reception_invalid")
    if answer_kind not in AnswerKind.values:
        errors.add("answer_kind", _("Choose what the citizen was told."))
    if answered_on > today:
        errors.add("answered_on", _("The date cannot be in the future."))
    elif answered_on < visit.day:
        errors.add("answered_on", _("The answer cannot come before the visit."))
    errors.raise_if_any()
    before = audit.snapshot(visit, VISIT_AUDIT)
    visit.answered_on, visit.answer_kind = answered_on, answer_kind
    if normalize(follow_up):
        visit.follow_up = normalize(follow_up)
    visit.version += 1
    visit.save()
    audit.record(
        actor=actor,
        action="reception.visit_answer",
        obj=visit,
        unit=visit.unit,
        before=before,
        after=audit.snapshot(visit, VISIT_AUDIT),
    )
    return visit


def visitor_identities(*, actor, visit_id: int, reason: str = "") -> list[tuple[Visitor, identity.Identity]]:
    """The clear identities of a visit's people, for those entitled; each view of a protected
    visitor is logged with its reason (Luật Tố cáo Art 47)."""
    from .selectors import visit_entitled

    visit = access.visible(actor, Visit).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    rows = list(visit.visitors.all())
    if not visit.protected:
        return [(row, identity.identity_of(row)) for row in rows]
    if not visit_entitled(actor, visit):
        raise PermissionDenied()
    if not normalize(reason):
        # As for a petition (`petitions.services.identity_reveal`): a showing is logged with its why.
        raise _error("reason_required", "reason", _("Enter why you need to see the identity."))
    audit.record(
        actor=actor,
        action="reception.identity_view",
        obj=visit,
        unit=visit.unit,
        after={"reason": normalize(reason)[:300], "people": len(rows)},
    )
    return [(row, identity.identity_of(row)) for row in rows]


# ---- conclusions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectiveInput:
    task: str
    due_date: date
    responsible_unit_id: int | None = None
    responsible_name: str = ""
    visit_id: int | None = None


@transaction.atomic
def conclusion_issue(
    *,
    actor,
    session_id: int,
    number: str,
    issued_on: date,
    signer: str,
    summary: str,
    directives: list[DirectiveInput],
    today: date,
) -> Conclusion:
    """The notice of the head's conclusions, sent to the responsible units with their deadlines
    (Nghị định 154/2026 Art 25; Art 18(4) of the Law)."""
    session = _load(actor, Session, session_id, MANAGE)
    errors = FieldErrors("reception_invalid")
    if session.status != SessionStatus.HELD:
        errors.add("session", _("Conclusions follow a session that was held."))
    elif session.kind == SessionKind.REGULAR:
        errors.add("session", _("Conclusions are the head's: they follow a periodic or ad hoc session."))
    if not normalize(number):
        errors.add("number", _("Enter the number of the notice."))
    if issued_on > today:
        errors.add("issued_on", _("The date cannot be in the future."))
    elif issued_on < session.day:
        errors.add("issued_on", _("The notice cannot be issued before the session."))
    if not normalize(signer):
        errors.add("signer", _("Enter who signed the notice."))
    if not normalize(summary):
        errors.add("summary", _("Enter the conclusions."))
    if not directives:
        errors.add("directives", _("Give at least one task to a responsible unit."))
    for i, item in enumerate(directives):
        if not normalize(item.task):
            errors.add(f"directives.{i}.task", _("Enter the task."))
        if item.due_date < issued_on:
            errors.add(f"directives.{i}.due_date", _("The deadline is before the notice."))
        if item.responsible_unit_id is None and not normalize(item.responsible_name):
            errors.add(f"directives.{i}.responsible", _("Choose the responsible unit or enter its name."))
        elif item.responsible_unit_id is not None:
            responsible = Unit.objects.filter(pk=item.responsible_unit_id).first()
            if responsible is None:
                errors.add(f"directives.{i}.responsible", _("The unit does not exist."))
            elif not _exists_on(responsible, issued_on):
                # A task given to a unit that had been abolished (a district after 30/06/2025) is lost.
                errors.add(f"directives.{i}.responsible", _("The unit did not exist on this date."))
        if item.visit_id is not None and not session.visits.filter(pk=item.visit_id).exists():
            errors.add(f"directives.{i}.visit", _("The visit is not one of this session's."))
    errors.raise_if_any()
    conclusion = Conclusion.objects.create(
        session=session,
        unit=session.unit,
        unit_path=session.unit_path,
        number=normalize(number)[:60],
        issued_on=issued_on,
        signer=normalize(signer)[:200],
        summary=normalize(summary),
        created_by=actor,
    )
    Directive.objects.bulk_create(
        [
            Directive(
                conclusion=conclusion,
                visit_id=item.visit_id,
                responsible_unit_id=item.responsible_unit_id,
                responsible_name=normalize(item.responsible_name)[:300],
                task=normalize(item.task),
                due_date=item.due_date,
                unit_path=session.unit_path,
            )
            for item in directives
        ]
    )
    audit.record(
        actor=actor,
        action="reception.conclusion_issue",
        obj=conclusion,
        unit=session.unit,
        after={
            **audit.snapshot(conclusion, ["session", "number", "issued_on"]),
            "directives": len(directives),
        },
    )
    return conclusion


@transaction.atomic
def directive_done(
    *, actor, directive_id: int, version: int, done_on: date, result: str, today: date
) -> Directive:
    """Record that a responsible unit carried a task out, and what came of it."""
    directive = (
        access.visible(actor, Directive)
        .select_for_update()
        .select_related("conclusion__unit")
        .filter(pk=directive_id)
        .first()
    )
    if directive is None:
        raise NotFound()
    access.require(actor, RECORD, directive.conclusion.unit)
    check_version(directive, version)
    errors = FieldErrors("reception_invalid")
    if done_on > today:
        errors.add("done_on", _("The date cannot be in the future."))
    elif done_on < directive.conclusion.issued_on:
        errors.add("done_on", _("The task cannot be done before the notice."))
    if not normalize(result):
        errors.add("result", _("Enter the result."))
    errors.raise_if_any()
    before = audit.snapshot(directive, ["done_on", "result"])
    directive.done_on, directive.result = done_on, normalize(result)
    directive.version += 1
    directive.save()
    audit.record(
        actor=actor,
        action="reception.directive_done",
        obj=directive,
        unit=directive.conclusion.unit,
        before=before,
        after=audit.snapshot(directive, ["done_on", "result"]),
    )
    return directive


# ---- bulk import of historical books ------------------------------------------------------------
#
# Rows are those of the `reception_sessions` and `visits` record types (`records.py`): a chunk is
# written with bulk_create, every record tagged with its import batch; no audit entry per row (the
# import records one for the batch). A visit's session is found by its unit, day and kind, or made
# alongside (held, tagged with the same batch). The importing user stands as the officer who
# received an imported visit.


def _row_text(row: dict, name: str, size: int | None = None) -> str:
    value = normalize(str(row.get(name) or ""))
    return value[:size] if size else value


def parse_clock(text) -> time | None:
    """A time of day written "7:30", "07h30" or "7 giờ 30"; None when it is not one."""
    value = normalize(str(text or "")).lower().replace("giờ", ":").replace("h", ":").replace(" ", "")
    hours, _colon, minutes = value.partition(":")
    minutes = minutes.rstrip(":") or "0"
    if not (hours.isdigit() and minutes.isdigit()) or int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def imported_session_status(row: dict, today: date) -> str:
    """The status a row says, else: cancelled when it gives a reason for cancelling, held when its day
    has come, scheduled otherwise."""
    if row.get("status"):
        return row["status"]
    if row.get("cancel_reason"):
        return SessionStatus.CANCELLED
    return SessionStatus.HELD if row["day"] <= today else SessionStatus.SCHEDULED


def _imported_session(user, row: dict, batch, today: date) -> Session:
    unit, kind = row["unit"], row.get("kind") or SessionKind.REGULAR
    status = imported_session_status(row, today)
    presider = row.get("presider") or ""
    if kind == SessionKind.REGULAR and status == SessionStatus.HELD:
        presider = Presider.STAFF
    return Session(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        mode=row.get("mode") or Mode.IN_PERSON,
        day=row["day"],
        starts_at=parse_clock(row.get("starts_at")),
        ends_at=parse_clock(row.get("ends_at")),
        presider=presider,
        presider_name=_row_text(row, "presider_name", 200),
        authorisation=_row_text(row, "authorisation", 120),
        trigger=(row.get("trigger") or "") if kind == SessionKind.AD_HOC else "",
        attendees=_row_text(row, "attendees", 500),
        expected_content=_row_text(row, "expected_content"),
        recording=_row_text(row, "recording", 300),
        status=status,
        published_on=row.get("published_on"),
        cancel_reason=_row_text(row, "cancel_reason", 300) if status == SessionStatus.CANCELLED else "",
        created_by=user,
        import_batch=batch,
    )


def sessions_import(user, rows, batch) -> int:
    """Create the reception sessions of a chunk of checked rows, tagged with `batch`; returns how
    many. Inside the import's transaction."""
    from django.utils import timezone

    today = timezone.localdate()
    created = Session.objects.bulk_create([_imported_session(user, row, batch, today) for row in rows])
    return len(created)


_Imported = TypeVar("_Imported", Session, Visit)  # the records an import of reception creates


def _batch_changed(model: type[_Imported], batch, *conditions) -> _Imported | None:
    from django.db.models import Q

    changed = Q(version__gt=0)
    for condition in conditions:
        changed |= condition
    return (
        model.objects.filter(import_batch=batch).filter(changed).select_related("unit").order_by("pk").first()
    )


def _rollback_refused(label, record, day: date):
    return DomainError(
        "import.rollback_changed",
        _("%(record)s of %(unit)s on %(day)s was changed after the import: the import cannot be undone."),
        record=label,
        unit=record.unit.name,
        day=f"{day:%d/%m/%Y}",
    )


def sessions_import_rollback(user, batch) -> int:
    """Delete the sessions `batch` created; refuse (nothing deleted) when one has changed since: a
    step recorded, a visit or conclusions added. Returns the count."""
    from django.db.models import Exists, OuterRef

    changed = _batch_changed(
        Session,
        batch,
        Exists(Visit.objects.filter(session=OuterRef("pk"))),
        Exists(Conclusion.objects.filter(session=OuterRef("pk"))),
    )
    if changed is not None:
        raise _rollback_refused(changed.get_kind_display(), changed, changed.day)
    return Session.objects.filter(import_batch=batch).delete()[1].get(Session._meta.label, 0)


def parse_book_number(text, day: date | None) -> tuple[int, int] | None:
    """(number, year) of a book number "12/2016", or "12" (the year of the visit)."""
    number, _slash, year = str(text or "").replace(" ", "").partition("/")
    if number.endswith(".0"):
        number = number[:-2]
    if (
        not number.isdigit()
        or not 0 < int(number) < 10_000_000
        or (year and not (year.isdigit() and len(year) == 4))
    ):
        return None
    if year:
        return int(number), int(year)
    return (int(number), day.year) if day else None


def visit_person_key(name, id_number) -> tuple[str, str]:
    """How a visit's person is matched: the folded name, and the cleaned ID number when given."""
    return fold(name)[:200], identity.clean_id_number(id_number) if id_number else ""


def _sessions_for_visits(user, rows: list[dict], batch) -> dict[tuple, Session]:
    """The session of each (unit, day, kind) of the rows: a held one already there, or one made now."""
    wanted = {(row["unit"].pk, row["day"], row.get("session_kind") or SessionKind.REGULAR) for row in rows}
    found: dict[tuple, Session] = {}
    candidates = Session.objects.filter(
        unit_id__in={k[0] for k in wanted}, day__in={k[1] for k in wanted}, kind__in={k[2] for k in wanted}
    ).order_by("pk")
    for session in candidates:
        key = (session.unit_id, session.day, session.kind)
        held = session.status == SessionStatus.HELD
        if key in wanted and (key not in found or (held and found[key].status != SessionStatus.HELD)):
            found[key] = session
    new = []
    for row in rows:
        key = (row["unit"].pk, row["day"], row.get("session_kind") or SessionKind.REGULAR)
        if key in found:
            continue
        kind = key[2]
        presider = Presider.STAFF if kind == SessionKind.REGULAR else (row.get("presider") or Presider.HEAD)
        found[key] = Session(
            unit=row["unit"],
            unit_path=row["unit"].path,
            kind=kind,
            day=row["day"],
            presider=presider,
            status=SessionStatus.HELD,
            created_by=user,
            import_batch=batch,
        )
        new.append(found[key])
    Session.objects.bulk_create(new)
    return found


def _book_numbers(rows: list[dict]) -> list[tuple[int, int]]:
    """A (number, year) per row: the book's own, or the next free ones of the unit's counter. A
    number already given in the unit and year stops the import (two visits cannot share it)."""
    given = [
        parse_book_number(row.get("book_number"), row["day"]) if row.get("book_number") else None
        for row in rows
    ]
    taken_keys = [(row["unit"].pk, g[1], g[0]) for row, g in zip(rows, given, strict=True) if g]
    if taken_keys:
        clash = set(
            Visit.objects.filter(
                unit_id__in={k[0] for k in taken_keys},
                year__in={k[1] for k in taken_keys},
                number__in={k[2] for k in taken_keys},
            ).values_list("unit_id", "year", "number")
        ) & set(taken_keys)
        seen: set[tuple] = set()
        repeated: set[tuple] = set()
        for taken in taken_keys:
            (repeated if taken in seen else seen).add(taken)
        if clash or repeated:
            unit_id, year, number = sorted(clash or repeated)[0]
            raise DomainError(
                "import.number_taken",
                _("Book number %(number)s/%(year)s is already used in the unit: correct the file."),
                number=number,
                year=year,
            )
    highest: dict[tuple[int, int], int] = {}
    for unit_id, year, number in taken_keys:
        highest[(unit_id, year)] = max(highest.get((unit_id, year), 0), number)
    counters_raise(Counter, highest)
    missing: dict[tuple[int, int], int] = {}
    for row, g in zip(rows, given, strict=True):
        if g is None:
            key = (row["unit"].pk, row["day"].year)
            missing[key] = missing.get(key, 0) + 1
    counters_raise(Counter, dict.fromkeys(missing, 0))
    next_free: dict[tuple[int, int], int] = {}
    for (unit_id, year), count in missing.items():
        counter = Counter.objects.select_for_update().get(unit_id=unit_id, year=year)
        next_free[(unit_id, year)] = counter.last + 1
        Counter.objects.filter(pk=counter.pk).update(last=counter.last + count)
    numbers = []
    for row, g in zip(rows, given, strict=True):
        if g is None:
            key = (row["unit"].pk, row["day"].year)
            g = (next_free[key], key[1])
            next_free[key] += 1
        numbers.append(g)
    return numbers


class _ReceptionCalendars(dict):
    def __missing__(self, year: int):
        self[year] = working_calendar(year, year + 1)
        return self[year]


def _imported_visit(user, row: dict, session: Session, number, case: Case, batch, book, calendars) -> Visit:
    kinds = list(row.get("kinds") or [])
    content = _row_text(row, "content")
    outcome = row["outcome"]
    refused = outcome == Outcome.REFUSED
    people = max(row.get("people_count") or 1, 1)
    return Visit(
        session=session,
        unit=session.unit,
        unit_path=session.unit_path,
        year=number[1],
        number=number[0],
        day=row["day"],
        session_kind=session.kind,
        presider=session.presider,
        kinds=",".join(kinds),
        content=content,
        content_folded=fold(content),
        requests=_row_text(row, "requests"),
        earlier_handling=_row_text(row, "earlier_handling", 300),
        people_count=people,
        crowd=bool(row.get("crowd")) and people >= 5,
        protected=Kind.DENUNCIATION in kinds,
        case=case,
        is_repeat=bool(row.get("repeat")),
        outcome=outcome,
        outcome_note=_row_text(row, "outcome_note"),
        target_name=_row_text(row, "target_name", 300),
        target_document=_row_text(row, "target_document", 60),
        refusal_ground=(row.get("refusal_ground") or "") if refused else "",
        refusal_notice=_row_text(row, "refusal_notice", 60) if refused else "",
        answer_due=rules.answer_due(row["day"], book, calendars[row["day"].year])
        if outcome in ANSWER_OWED
        else None,
        answered_on=row.get("answered_on"),
        answer_kind=row.get("answer_kind") or "",
        follow_up=_row_text(row, "follow_up"),
        note=_row_text(row, "note", 500),
        received_by=user,
        import_batch=batch,
    )


def visits_import(user, rows, batch) -> int:
    """Create the visits of a chunk of checked book rows (the `visits` record type's columns), each
    with its own case and its main visitor (sealed when the matter includes a denunciation), in the
    session of its unit, day and kind (made alongside when there is none); numbers come from the book
    or follow the unit's counter. Inside the import's transaction; returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    sessions = _sessions_for_visits(user, rows, batch)
    numbers = _book_numbers(rows)
    cases = Case.objects.bulk_create(
        [Case(unit=row["unit"], unit_path=row["unit"].path, opened_on=row["day"]) for row in rows]
    )
    book, calendars = rule_book(), _ReceptionCalendars()
    visits = [
        _imported_visit(
            user,
            row,
            sessions[(row["unit"].pk, row["day"], row.get("session_kind") or SessionKind.REGULAR)],
            number,
            case,
            batch,
            book,
            calendars,
        )
        for row, number, case in zip(rows, numbers, cases, strict=True)
    ]
    Visit.objects.bulk_create(visits)
    people = []
    for visit, row in zip(visits, rows, strict=True):
        ident, _problems = identity.identity_typed(
            name=row.get("visitor_name") or "",
            id_number=row.get("visitor_id_number") or "",
            address=row.get("visitor_address") or "",
            phone=row.get("visitor_phone") or "",
        )
        if ident is not None:
            people.append(_visitor_row(visit, 0, VisitorInput(representative=visit.crowd), ident))
    Visitor.objects.bulk_create(people)
    return len(visits)


def visits_import_rollback(user, batch) -> int:
    """Delete the visits `batch` created, their visitors and cases, and the sessions made alongside;
    refuse (nothing deleted) when one changed since: an answer recorded, a petition or task linked,
    a later visit on the same case, or a session that has other visits or conclusions now."""
    from django.db.models import Exists, OuterRef, Q

    others = Visit.objects.exclude(import_batch=batch)
    changed = _batch_changed(
        Visit,
        batch,
        Exists(Visit.petitions.through.objects.filter(visit_id=OuterRef("pk"))),
        Exists(Directive.objects.filter(visit=OuterRef("pk"))),
        Exists(others.filter(Q(case_id=OuterRef("case_id")) | Q(repeat_of=OuterRef("pk")))),
        Exists(Petition.objects.filter(case_id=OuterRef("case_id"))),
    )
    if changed is not None:
        raise _rollback_refused(changed.book_number, changed, changed.day)
    session = _batch_changed(
        Session,
        batch,
        Exists(others.filter(session=OuterRef("pk"))),
        Exists(Conclusion.objects.filter(session=OuterRef("pk"))),
    )
    if session is not None:
        raise _rollback_refused(session.get_kind_display(), session, session.day)
    mine = Visit.objects.filter(import_batch=batch)
    case_ids = list(mine.values_list("case_id", flat=True))
    Visitor.objects.filter(visit__import_batch=batch).delete()
    count = mine.delete()[1].get(Visit._meta.label, 0)
    for start in range(0, len(case_ids), 2000):
        Case.objects.filter(pk__in=case_ids[start : start + 2000]).delete()
    Session.objects.filter(import_batch=batch).delete()
    return count
