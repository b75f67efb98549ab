"""Every read of citizen reception, scoped to the user through `units.access.visible`.

The look-up at the desk, the reception book, the heads' compliance, the public schedule and the
answers and tasks still owed. A protected visitor (a denouncer) is found only by the ID number they
hand over, and shown only to those entitled (the officer who received them, the head of the unit,
and those entitled to a petition that came of the visit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from danvan.core import crypto
from danvan.core.errors import NotFound
from danvan.core.selectors import working_calendar
from danvan.core.text import fold, normalize
from danvan.petitions import identity
from danvan.petitions.models import Petition, Petitioner
from danvan.units import access
from danvan.units.models import Unit, UnitLevel, subtree_q

from . import rules
from .models import (
    Directive,
    Duty,
    Place,
    Position,
    Presider,
    Session,
    SessionKind,
    SessionStatus,
    Visit,
    Visitor,
)

LOOKUP_LIMIT = 20


def _prefix_q(field_name: str, prefix: str) -> Q:
    """Rows whose `field_name` starts with `prefix`, as a range the index answers on both databases
    (folded text is ASCII; the column compares byte by byte on PostgreSQL)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": upper})


# ---- who may see a protected visitor ---------------------------------------------------------


def visit_entitled(user, visit: Visit) -> bool:
    """The officer who received the person, the head of the unit (or of its successor), and anyone
    entitled to a petition that came of the visit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if visit.received_by_id == user.pk:
        return True
    if visit.unit_id in identity._headed_units(user):
        return True
    return any(identity.entitled(user, p) for p in visit.petitions.all())


# ---- the desk's look-up ---------------------------------------------------------------------


@dataclass
class EarlierVisit:
    visit: Visit
    case_visits: int  # visits on the same matter, this one included


@dataclass
class PersonMatches:
    visits: list[EarlierVisit] = field(default_factory=list)
    petitions: list[Petition] = field(default_factory=list)
    hidden: int = 0  # protected records the user is not entitled to see


def person_lookup(user, *, id_number: str = "", name: str = "") -> PersonMatches:
    """Earlier visits and petitions of a person, by ID number (exact, through its keyed digest) or
    by the start of the name (without diacritics or case): the LOOKUP_LIMIT latest of each, shown
    newest first. The ids come from rows already scoped to the user."""
    id_clean = identity.clean_id_number(id_number) if id_number else ""
    folded = fold(name)
    matches = PersonMatches()
    if not id_clean and len(folded) < 2:
        return matches
    visitors = access.visible(user, Visitor)
    petitioners = access.visible(user, Petitioner)
    if id_clean:
        digest = crypto.blind_index(id_clean)
        visitors, petitioners = visitors.filter(id_digest=digest), petitioners.filter(id_digest=digest)
    else:
        visitors = visitors.filter(_prefix_q("name_folded", folded))
        petitioners = petitioners.filter(_prefix_q("name_folded", folded))
    # The latest records first by their ids (recorded in order): the index gives them without
    # reading every match; only those shown are fetched.
    visit_ids = list(
        visitors.order_by("-visit_id").values_list("visit_id", flat=True).distinct()[:LOOKUP_LIMIT]
    )
    petition_ids = list(
        petitioners.order_by("-petition_id").values_list("petition_id", flat=True).distinct()[:LOOKUP_LIMIT]
    )
    # A visit's petitions are read only for a protected one (to know who is entitled to it).
    visits = list(Visit.objects.filter(pk__in=visit_ids).select_related("unit").order_by("-day", "-pk"))
    counts = dict(
        access.visible(user, Visit)
        .filter(case_id__in={v.case_id for v in visits})
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    for visit in visits:
        if visit.protected and not visit_entitled(user, visit):
            matches.hidden += 1
            continue
        matches.visits.append(EarlierVisit(visit, counts.get(visit.case_id, 1)))
    for petition in (
        Petition.objects.filter(pk__in=petition_ids)
        .select_related("unit", "handler")
        .order_by("-received_on", "-pk")
    ):
        if petition.protected and not identity.entitled(user, petition):
            matches.hidden += 1
            continue
        matches.petitions.append(petition)
    return matches


# ---- places, duties, sessions ---------------------------------------------------------------


def place_list_for(user, unit_id: int | None = None) -> QuerySet[Place]:
    places = access.visible(user, Place).select_related("unit")
    return places.filter(unit_id=unit_id) if unit_id else places


def duty_list_for(user, unit_id: int | None = None, *, on: date | None = None) -> QuerySet[Duty]:
    duties = access.visible(user, Duty).select_related("unit")
    if unit_id:
        duties = duties.filter(unit_id=unit_id)
    if on is not None:
        duties = duties.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return duties.order_by("unit__name", "position", "-valid_from")


def session_list_for(
    user,
    *,
    unit_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Session]:
    sessions = access.visible(user, Session).select_related("unit", "place", "duty")
    if unit_id:
        sessions = sessions.filter(unit_id=unit_id)
    if first:
        sessions = sessions.filter(day__gte=first)
    if last:
        sessions = sessions.filter(day__lte=last)
    if kind:
        sessions = sessions.filter(kind=kind)
    if status:
        sessions = sessions.filter(status=status)
    return sessions.order_by("-day", "-pk")


def with_visit_counts(sessions) -> list[Session]:
    """Set `visit_count` on a page of sessions, in one query for the page (counting the visits of
    every session in a province's scope before paging would read them all)."""
    page = list(sessions)
    counts = dict(
        Visit.objects.filter(session_id__in=[s.pk for s in page])
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    for session in page:
        session.visit_count = counts.get(session.pk, 0)
    return page


def session_get_for(user, session_id: int) -> Session:
    session = (
        access.visible(user, Session).select_related("unit", "place", "duty").filter(pk=session_id).first()
    )
    if session is None:
        raise NotFound()
    return session


def sessions_open_today(user, *, unit_id: int, today: date) -> list[Session]:
    """The sessions a clerk may record visits in now: held today in the unit."""
    return list(
        access.visible(user, Session)
        .filter(unit_id=unit_id, day=today, status=SessionStatus.HELD)
        .select_related("place", "duty")
        .order_by("kind", "pk")
    )


def schedule_warnings(session: Session, today: date) -> list[str]:
    """The warnings a session's page shows: a late or missing publication."""
    from .services import _publish_warning, rule_book

    warning = _publish_warning(session, rule_book(), today)
    return [warning] if warning else []


def public_schedule(unit: Unit, *, today: date) -> tuple[list[Place], list[Session]]:
    """What the unit's public page shows (Art 24): its places and regular hours, and the head's
    published sessions from today on. Public data only: no visit, no person."""
    places = list(Place.objects.filter(unit=unit, active=True).order_by("name"))
    sessions = list(
        Session.objects.filter(
            unit=unit,
            day__gte=today,
            published_on__isnull=False,
            kind__in=(SessionKind.PERIODIC, SessionKind.AD_HOC),
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("duty", "place")
        .order_by("day", "starts_at")[:60]
    )
    return places, sessions


# ---- visits ---------------------------------------------------------------------------------


def visit_list_for(
    user,
    *,
    unit_id: int | None = None,
    session_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    q: str = "",
) -> QuerySet[Visit]:
    visits = access.visible(user, Visit).select_related("unit", "session")
    if unit_id:
        visits = visits.filter(unit_id=unit_id)
    if session_id:
        visits = visits.filter(session_id=session_id)
    if first:
        visits = visits.filter(day__gte=first)
    if last:
        visits = visits.filter(day__lte=last)
    for word in fold(q).split():
        visits = visits.filter(content_folded__contains=word)
    return visits.order_by("-day", "-number")


def visit_get_for(user, visit_id: int) -> Visit:
    visit = (
        access.visible(user, Visit)
        .select_related("unit", "session", "session__duty", "received_by", "repeat_of")
        .prefetch_related("petitions", "visitors")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def answers_due_for(user, *, today: date, unit_id: int | None = None) -> QuerySet[Visit]:
    """Visits whose answer to the citizen is still owed, the most urgent first (Art 28(1))."""
    visits = access.visible(user, Visit).filter(answered_on__isnull=True, answer_due__isnull=False)
    if unit_id:
        visits = visits.filter(unit_id=unit_id)
    return visits.select_related("unit").order_by("answer_due", "pk")


def directives_open_for(user, *, unit_id: int | None = None) -> QuerySet[Directive]:
    directives = access.visible(user, Directive).filter(done_on__isnull=True)
    if unit_id:
        directives = directives.filter(conclusion__unit_id=unit_id)
    return directives.select_related("conclusion", "responsible_unit").order_by("due_date", "pk")


def conclusion_list_for(user, session_id: int):
    from .models import Conclusion

    return (
        access.visible(user, Conclusion)
        .filter(session_id=session_id)
        .prefetch_related("directives__responsible_unit")
        .order_by("issued_on", "pk")
    )


# ---- the reception book ---------------------------------------------------------------------


@dataclass
class BookRow:
    """One line of the reception book (form 03, TT 04/2021): columns 1–12."""

    number: int  # 1 STT
    day: date  # 2
    name_address: str  # 3
    id_number: str  # 4
    content: str  # 5
    kinds: list[str]  # 6 (kind labels)
    people: int  # 6 (number of people)
    earlier_handling: str  # 7
    accepted: bool  # 8
    guided: str  # 9 guided to (and the guidance letter)
    transferred: str  # 10 transferred to (and the transfer slip)
    follow_up: str  # 11
    note: str  # 12
    visit_id: int
    book_number: str
    masked: bool


def _book_people(visit: Visit, reveal: bool) -> tuple[str, str, bool]:
    rows = list(visit.visitors.all())
    if visit.protected and not reveal:
        return "", "", True
    shown = [r for r in rows if r.representative] or rows
    names, ids = [], []
    for row in shown:
        ident = identity.identity_of(row)
        names.append(", ".join(part for part in (ident.name, ident.address) if part))
        if ident.id_number:
            ids.append(ident.id_number)
    return "; ".join(names), "; ".join(ids), False


def book_rows(user, *, unit_id: int, first: date, last: date) -> tuple[Unit, list[BookRow]]:
    """The reception book of a unit for a period, in order. A protected visitor's name, address and
    ID appear only to those entitled, and each such showing is logged (Luật Tố cáo Art 47)."""
    from danvan.core import audit

    from .models import Outcome

    unit = access.visible(user, Unit, "record.view").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    visits = (
        access.visible(user, Visit)
        .filter(unit_id=unit_id, day__gte=first, day__lte=last)
        .select_related("received_by", "unit")
        .prefetch_related("visitors", "petitions")
        .order_by("day", "number")
    )
    rows: list[BookRow] = []
    revealed: list[Visit] = []
    from danvan.petitions.models import Kind

    for n, visit in enumerate(visits, start=1):
        reveal = not visit.protected or visit_entitled(user, visit)
        if visit.protected and reveal:
            revealed.append(visit)
        name_address, id_number, masked = _book_people(visit, reveal)
        target = ", ".join(part for part in (visit.target_name, visit.target_document) if part)
        note = visit.note
        if visit.outcome == Outcome.REFUSED:
            note = "; ".join(
                part for part in (visit.get_refusal_ground_display(), visit.refusal_notice, note) if part
            )
        elif visit.outcome == Outcome.ANSWERED:
            note = "; ".join(part for part in (str(Outcome.ANSWERED.label), visit.outcome_note, note) if part)
        rows.append(
            BookRow(
                number=n,
                day=visit.day,
                name_address=name_address,
                id_number=id_number,
                content=visit.content,
                kinds=[str(Kind(k).label) for k in visit.kind_list],
                people=visit.people_count,
                earlier_handling=visit.earlier_handling,
                accepted=visit.outcome == Outcome.ACCEPTED,
                guided=target if visit.outcome == Outcome.GUIDED else "",
                transferred=target if visit.outcome in (Outcome.TRANSFERRED, Outcome.URGED) else "",
                follow_up=visit.follow_up,
                note=note,
                visit_id=visit.pk,
                book_number=visit.book_number,
                masked=masked,
            )
        )
    for visit in revealed:
        audit.record(
            actor=user,
            action="reception.identity_view",
            obj=visit,
            unit=visit.unit if hasattr(visit, "unit") else None,
            after={"reason": "reception book"},
        )
    return unit, rows


# ---- compliance -----------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    duty: Duty
    required: int
    in_person: int
    delegated: int
    missed: int
    rate: float | None
    uncertain: bool  # the rule behind the duty is marked uncertain in the rule data


def _area_level(unit: Unit) -> str:
    if unit.level != UnitLevel.AGENCY:
        return unit.level
    parent = unit.parent
    while parent is not None and parent.level == UnitLevel.AGENCY:
        parent = parent.parent
    return parent.level if parent is not None else UnitLevel.COUNTRY


def compliance_for(
    user, *, unit_id: int, first: date, last: date, below: bool = False, today: date | None = None
) -> list[ComplianceRow]:
    """For each head's duty of the unit (and, with `below`, of every unit under it) in the period:
    required periodic days, held in person, delegated, missed and the rate (Art 12–18). With
    `today`, the week or month still running is not counted as missed."""
    from .services import rule_book

    unit = access.visible(user, Unit, "record.view").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    queryset = access.visible(user, Duty).select_related("unit__parent__parent")
    queryset = queryset.filter(subtree_q(unit.path, "unit_path")) if below else queryset.filter(unit=unit)
    queryset = queryset.filter(valid_from__lte=last).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    duties = list(queryset.order_by("unit_path", "position", "valid_from"))
    book = rule_book()
    calendar = working_calendar(first.year - 1, last.year + 1)
    buckets_of: dict[int, list[rules.Bucket]] = {}
    for duty in duties:
        start = max(first, duty.valid_from)
        end = min(last, duty.valid_to) if duty.valid_to else last
        level = rules.ANY_LEVEL if duty.position == Position.AGENCY_HEAD else _area_level(duty.unit)
        buckets_of[duty.pk] = rules.duty_buckets(
            position=duty.position, level=level, first=start, last=end, book=book, calendar=calendar
        )
    # A bucket belongs to the period of its first working day but may end after the period (a week
    # from Monday 28 September to Sunday 4 October is September's): its sessions are read to its end.
    spans = [b for buckets in buckets_of.values() for b in buckets]
    held: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    if spans:
        for duty_id, day, presider in Session.objects.filter(
            duty_id__in=[d.pk for d in duties],
            kind=SessionKind.PERIODIC,
            status=SessionStatus.HELD,
            day__gte=min(b.start for b in spans),
            day__lte=max(b.end for b in spans),
        ).values_list("duty_id", "day", "presider"):
            held[duty_id].append((day, presider == Presider.HEAD))
    out: list[ComplianceRow] = []
    for duty in duties:
        buckets = buckets_of[duty.pk]
        result = rules.compliance(buckets, held[duty.pk], today=today)
        keys = {b.rule_key for b in buckets}
        uncertain = any(f.uncertain for f in book.frequencies if f.key in keys)
        out.append(
            ComplianceRow(
                duty=duty,
                required=result.required,
                in_person=result.in_person,
                delegated=result.delegated,
                missed=result.missed,
                rate=result.rate,
                uncertain=uncertain,
            )
        )
    return out


def search_units_for_desk(user, text: str) -> QuerySet[Unit]:
    """Units the user records reception in, by name (the desk's unit switcher)."""
    scope = access.scope_for(user, "reception.record")
    units = Unit.objects.filter(scope.q("")) if not scope.empty else Unit.objects.none()
    for word in fold(normalize(text)).split():
        units = units.filter(name_folded__contains=word)
    return units.order_by("name")


# ---- export of the books ----------------------------------------------------------------------


def sessions_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[Session]:
    """The sessions `user` may see in `unit` and every unit below it, held (or set) in [first, last]."""
    return (
        access.visible(user, Session)
        .filter(subtree_q(unit.path, "unit_path"), day__gte=first, day__lte=last)
        .select_related("unit")
        .order_by("day", "pk")
    )


def visits_for_export(user, unit: Unit, first: date, last: date) -> QuerySet[Visit]:
    """The visits `user` may see in `unit` and every unit below it, in [first, last], in book order."""
    return (
        access.visible(user, Visit)
        .filter(subtree_q(unit.path, "unit_path"), day__gte=first, day__lte=last)
        .select_related("unit")
        .order_by("day", "number", "pk")
    )


def main_visitors(visit_ids: list[int]) -> dict[int, Visitor]:
    """The first person of each visit (one query): a book row names one person."""
    found: dict[int, Visitor] = {}
    for person in Visitor.objects.filter(visit_id__in=visit_ids).order_by("visit_id", "position", "pk"):
        found.setdefault(person.visit_id, person)
    return found


def visit_entitled_among(user, visits: list[Visit]) -> set[int]:
    """The ids of the protected `visits` whose people `user` may see (`visit_entitled`): the officer
    who received them and the unit's head without a query; the petitions' rule only for the rest."""
    if not getattr(user, "is_authenticated", False):
        return set()
    headed = identity._headed_units(user)
    entitled = set()
    for visit in visits:
        if not visit.protected:
            continue
        if visit.received_by_id == user.pk or visit.unit_id in headed or visit_entitled(user, visit):
            entitled.add(visit.pk)
    return entitled


def visit_keys_among(unit_ids: set[int], days: set[date]) -> set[tuple]:
    """(unit id, day, folded name, ID number) of every visit of those units on those days, by its
    first person (a sealed identity is read to match it): two queries."""
    from .services import visit_person_key

    visits = list(
        Visit.objects.filter(unit_id__in=unit_ids, day__in=days)
        .values_list("pk", "unit_id", "day")
        .order_by()
    )
    keys: set[tuple] = set()
    people = main_visitors([visit_id for visit_id, _unit, _day in visits])
    for visit_id, unit_id, day in visits:
        person = people.get(visit_id)
        ident = identity.identity_of(person) if person is not None else identity.Identity()
        keys.add((unit_id, day, *visit_person_key(ident.name, ident.id_number)))
    return keys
