"""Every read of petitions, already scoped to the user through `access.visible`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.calendar import add_working_days
from danvan.core.errors import DomainError, NotFound
from danvan.core.text import filter_folded, normalize
from danvan.units import access

from . import identity, similarity, timing
from .models import OPEN_STATUSES, Attachment, ContentKey, Event, Petition, Petitioner, Status

URGENCIES = ("overdue", "very_late", "due_soon")


@dataclass(frozen=True)
class WorklistFilter:
    kind: str = ""
    field: str = ""
    channel: str = ""
    status: str = ""  # "" = every open status; "all" = every status
    handler_id: int | None = None
    urgency: str = ""  # one of URGENCIES
    unit_id: int | None = None
    query: str = ""
    disposal: bool = False  # filed petitions whose keeping period is over


def urgency_bounds(today: date) -> tuple[date, date]:
    """(last day counted as due soon, last due date counted as very late), as `deadlines.urgency`
    counts them for the tags on the pages: today is the first of the due-soon working days."""
    calendar = timing.calendar_around(today)
    soon = add_working_days(today - timedelta(days=1), settings.DANVAN_DUE_SOON_WORKING_DAYS, calendar)
    return soon, today - timedelta(days=settings.DANVAN_VERY_LATE_DAYS + 1)


def _urgency_q(urgency: str, today: date, bounds: tuple[date, date] | None = None) -> Q:
    if urgency == "overdue":
        return Q(due_date__lt=today)
    if urgency not in URGENCIES:
        return Q()
    soon, very_late = bounds or urgency_bounds(today)  # the calendar is read once per call site
    if urgency == "very_late":
        return Q(due_date__lte=very_late)
    if urgency == "due_soon":
        return Q(due_date__gte=today, due_date__lte=soon)
    return Q()


def _filtered(user, f: WorklistFilter, today: date) -> QuerySet[Petition]:
    qs = access.visible(user, Petition)
    if f.disposal:
        qs = qs.filter(status=Status.FILED, disposal_due__lte=today)
    elif f.status == "all":
        pass
    elif f.status:
        qs = qs.filter(status=f.status)
    else:
        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    for name in ("kind", "field", "channel"):
        value = getattr(f, name)
        if value:
            qs = qs.filter(**{name: value})
    if f.handler_id:
        qs = qs.filter(handler_id=f.handler_id)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.urgency in URGENCIES:
        qs = qs.filter(_urgency_q(f.urgency, today))
    if f.query:
        code = f.query.strip().upper()
        if code.startswith("DV") and len(code) == 10:
            qs = qs.filter(tracking_code=code)
        else:
            qs = filter_folded(qs, "content_folded", f.query)
    return qs


def petition_list_for(user, f: WorklistFilter, *, today: date) -> QuerySet[Petition]:
    """The worklist: ordered by legal deadline (none last), then by date received."""
    return (
        _filtered(user, f, today)
        .select_related("unit", "handler")
        .order_by(F("due_date").asc(nulls_last=True), "received_on", "pk")
    )


def petition_counts_for(user, f: WorklistFilter, *, today: date) -> dict[str, int]:
    """How many petitions the filter finds, and how many of them are overdue, very late, due soon:
    one aggregate query."""
    bounds = urgency_bounds(today)
    # Only columns of the open-petitions index (every urgency has a due date): PostgreSQL answers
    # from the index alone.
    return _filtered(user, f, today).aggregate(
        total=Count("*"),
        overdue=Count("due_date", filter=_urgency_q("overdue", today, bounds)),
        very_late=Count("due_date", filter=_urgency_q("very_late", today, bounds)),
        due_soon=Count("due_date", filter=_urgency_q("due_soon", today, bounds)),
    )


RECEIPT_NUMBER = re.compile(r"^\s*(\d{1,7})\s*/\s*(\d{4})\s*$")


def petition_find_for(user, text: str, *, unit_id: int | None = None) -> int | None:
    """The petition the user typed as a tracking code or a receipt number n/yyyy (in `unit_id`
    first, where several units used the number); None for an empty text."""
    text = normalize(text).upper().replace(" ", "")
    if not text:
        return None
    everything = access.visible(user, Petition)
    match = RECEIPT_NUMBER.match(text)
    if match:
        found = list(
            everything.filter(number=int(match[1]), year=int(match[2])).values_list("pk", "unit_id")[:20]
        )
        own = [pk for pk, unit in found if unit == unit_id]
        if len(own) == 1 or len(found) == 1:
            return own[0] if own else found[0][0]
        if found:
            message = _("Several petitions have this receipt number: type the tracking code instead.")
            raise DomainError("previous_ambiguous", message, fields={"previous": message})
    else:
        petition = everything.filter(tracking_code=text).values_list("pk", flat=True).first()
        if petition:
            return petition
    message = _("No petition you can see has this tracking code or receipt number.")
    raise DomainError("previous_not_found", message, fields={"previous": message})


def petition_get_for(user, petition_id: int) -> Petition:
    petition = (
        access.visible(user, Petition)
        .select_related(
            "unit",
            "handler",
            "case",
            "target_unit",
            "previous__unit",
            "duplicate_of__unit",
            "transferred_from__unit",
        )
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise NotFound()
    return petition


def petition_by_tracking(tracking_code: str, secret: str) -> Petition | None:
    """A citizen following their petition: the code and the secret together, nothing else."""
    from .services import secret_digest

    petition = (
        Petition.objects.select_related("unit").filter(tracking_code=tracking_code.strip().upper()).first()
    )
    if petition is None or petition.secret_digest != secret_digest(secret):
        return None
    return petition


def petition_onward(petition: Petition) -> Petition | None:
    """Where a petition transferred inside danvan is handled now: the receiving unit's petition,
    followed through further transfers (for the citizen's tracking page)."""
    current, seen = petition, {petition.pk}
    while True:
        nxt = Petition.objects.select_related("unit").filter(transferred_from=current).order_by("-pk").first()
        if nxt is None or nxt.pk in seen:
            return current if current.pk != petition.pk else None
        seen.add(nxt.pk)
        current = nxt


def timeline_for(user, petition_id: int) -> list[Event]:
    petition_get_for(user, petition_id)
    return list(Event.objects.filter(petition_id=petition_id).select_related("actor", "attachment"))


def petitioners_for(user, petition: Petition) -> list[Petitioner]:
    """The petitioners as stored: for a protected petition the identity fields are empty."""
    return list(access.visible(user, Petitioner).filter(petition=petition).select_related("address_unit"))


def attachments_for(user, petition: Petition) -> list[Attachment]:
    return list(access.visible(user, Attachment).filter(petition=petition).order_by("uploaded_at", "pk"))


def attachment_get_for(user, attachment_id: int) -> Attachment:
    attachment = access.visible(user, Attachment).select_related("petition").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return attachment


def identity_grants_for(user, petition: Petition) -> list:
    """The users given access to the petition's protected identity (for the entitled only)."""
    if not identity.entitled(user, petition):
        return []
    return list(petition.identity_grants.select_related("user", "granted_by").order_by("granted_at"))


def identity_entitled(user, petition: Petition) -> bool:
    return identity.entitled(user, petition)


def followups_for(user, petition: Petition) -> list[Petition]:
    """Petitions of the same case, later rounds and transfers of this one, that the user can see."""
    return list(
        access.visible(user, Petition)
        .filter(Q(case_id=petition.case_id) | Q(previous=petition) | Q(transferred_from=petition))
        .exclude(pk=petition.pk)
        .select_related("unit")
        .order_by("received_on", "pk")[:50]
    )


@dataclass
class Candidate:
    petition: Petition
    reasons: list[str] = field(default_factory=list)  # "same_id", "same_name_address", "similar_content"
    score: float | None = None


def duplicate_candidates_for(
    user, *, people: list[identity.Identity], content: str, limit: int = 10
) -> list[Candidate]:
    """Earlier petitions from the same petitioner (same ID number, or same name and address) and
    petitions with similar content, among those the user can see. Four queries at most."""
    reasons: dict[int, list[str]] = {}
    scores: dict[int, float] = {}
    by_id = {d for d in (identity.digests(p)[0] for p in people) if d}
    by_name = {d for d in (identity.digests(p)[1] for p in people) if d}
    if by_id or by_name:
        rows = (
            access.visible(user, Petitioner)
            .filter(Q(id_digest__in=sorted(by_id)) | Q(name_address_digest__in=sorted(by_name)))
            .values_list("petition_id", "id_digest", "name_address_digest")
            .order_by("-petition_id")[: limit * 4]
        )
        for petition_id, id_digest, name_digest in rows:
            found = reasons.setdefault(petition_id, [])
            if id_digest in by_id and "same_id" not in found:
                found.append("same_id")
            if name_digest in by_name and "same_name_address" not in found:
                found.append("same_name_address")
    keys = similarity.signature(content)
    if keys:
        ranked = (
            access.visible(user, ContentKey)
            .filter(key__in=keys)
            .values("petition_id")
            .annotate(shared=Count("*"))  # the index holds every column read: no table access
            .order_by("-shared", "-petition_id")[:50]
        )
        ids = [row["petition_id"] for row in ranked]
        text = similarity.match_text(content)
        for petition_id, folded in Petition.objects.filter(pk__in=ids).values_list("pk", "content_folded"):
            score = similarity.score(text, folded)
            if score >= similarity.THRESHOLD:
                reasons.setdefault(petition_id, []).append("similar_content")
                scores[petition_id] = score
    if not reasons:
        return []
    petitions = Petition.objects.select_related("unit", "handler").in_bulk(list(reasons))
    result = []
    for pid, found in reasons.items():
        petition = petitions.get(pid)
        if petition is None:
            continue
        if petition.protected and not identity.entitled(user, petition):
            # Saying "same ID number" of a denunciation would name its denouncer: only the
            # content may match for those who may not see the identity.
            found = [reason for reason in found if reason == "similar_content"]
            if not found:
                continue
        result.append(Candidate(petition, found, scores.get(pid)))
    result.sort(key=lambda c: (-len(c.reasons), -(c.score or 0), -c.petition.pk))
    return result[:limit]


def case_counts(qs: QuerySet[Petition]) -> dict[str, int]:
    """Petitions and cases are both counted (a case may have several petitions)."""
    return qs.aggregate(petitions=Count("pk"), cases=Count("case_id", distinct=True))


# ---- export of a register ---------------------------------------------------------------------


def petitions_for_export(user, unit, first: date, last: date) -> QuerySet[Petition]:
    """The petitions `user` may see in `unit` and every unit below it, received in [first, last],
    in the order of the register (day received, then as recorded)."""
    from danvan.units.models import subtree_q

    return (
        access.visible(user, Petition)
        .filter(subtree_q(unit.path, "unit_path"), received_on__gte=first, received_on__lte=last)
        .select_related("unit")
        .order_by("received_on", "pk")
    )


def main_petitioners(petition_ids: list[int]) -> dict[int, Petitioner]:
    """The first petitioner of each petition (one query): a register row names one person."""
    found: dict[int, Petitioner] = {}
    for person in Petitioner.objects.filter(petition_id__in=petition_ids).order_by(
        "petition_id", "position", "pk"
    ):
        found.setdefault(person.petition_id, person)
    return found


def identity_entitled_among(user, petitions: list[Petition]) -> set[int]:
    """The ids of the protected `petitions` whose identity `user` may see, by the rule of
    `identity.entitled` (handler, head of the unit or its successor, explicit grant): one query."""
    from .models import IdentityGrant

    protected = [p for p in petitions if p.protected]
    if not protected or not getattr(user, "is_authenticated", False):
        return set()
    headed = identity._headed_units(user)
    granted = set(
        IdentityGrant.objects.filter(user=user, petition_id__in=[p.pk for p in protected]).values_list(
            "petition_id", flat=True
        )
    )
    return {p.pk for p in protected if p.handler_id == user.pk or p.unit_id in headed or p.pk in granted}
