"""The petitions router: the worklist, intake, the duplicate check, one petition with its timeline,
one POST per lifecycle step and the denouncer's identity.

Thin: each route parses, calls one service or selector, and renders with `presenters`. Steps take
the `version` the client read; a stale one answers 409. "Today" is the server's local date.
"""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from danvan.core.errors import PermissionDenied
from danvan.core.text import normalize
from danvan.units import access

from . import identity, presenters, selectors, services, timing
from .schemas import (
    AcceptIn,
    AssignIn,
    AttachIn,
    DecideIn,
    DialogueIn,
    DuplicatesIn,
    DuplicatesOut,
    EventOut,
    ExtendIn,
    FileAwayIn,
    GuideIn,
    IdentityGrantIn,
    IdentityGrantOut,
    IdentityOut,
    IdentityRevealIn,
    IntakeIn,
    IntakeOut,
    PetitionDetailOut,
    RecordReplyIn,
    StepIn,
    SuspendIn,
    TransferIn,
    UrgeIn,
    VerifyIn,
    WithdrawIn,
    WorklistOut,
    WorklistQuery,
)

router = Router(tags=["petitions"])


def _detail(request, petition_id: int) -> dict:
    user = request.auth
    petition = selectors.petition_get_for(user, petition_id)
    today = timezone.localdate()
    return presenters.petition_detail(
        user,
        petition,
        petitioners=selectors.petitioners_for(user, petition),
        attachments=selectors.attachments_for(user, petition),
        related=selectors.followups_for(user, petition),
        deadline=timing.deadline_of(petition),
        entitled=selectors.identity_entitled(user, petition),
        today=today,
        calendar=timing.calendar_around(today),
    )


def _file(upload: UploadedFile | None, identifying: bool) -> services.FileInput | None:
    if upload is None:
        return None
    return services.FileInput(name=upload.name or "", data=upload.read(), identifying=identifying)


def _person(person) -> services.PersonInput:
    return services.PersonInput(**person.dict())


# ---- lists and intake -----------------------------------------------------------------------


def _step(request, service, petition_id: int, payload, **fields) -> dict:
    """Run one lifecycle step on the version the client read, dated `on` (default today)."""
    service(
        actor=request.auth,
        petition_id=petition_id,
        version=payload.version,
        on=_on(payload.on),
        today=timezone.localdate(),
        **fields,
    )
    return _detail(request, petition_id)


@router.get("", response=WorklistOut, url_name="petition_list")
def petition_list(request, filters: Query[WorklistQuery]):
    """The worklist, ordered by legal deadline; `counts` tells how many are overdue, very late
    (overdue by more than the configured days) and due soon among all that the filter finds."""
    user = request.auth
    today = timezone.localdate()
    f = selectors.WorklistFilter(
        kind=filters.kind,
        field=filters.field,
        channel=filters.channel,
        status=filters.status,
        handler_id=filters.handler_id,
        urgency=filters.urgency,
        unit_id=filters.unit_id,
        query=filters.q,
        disposal=filters.disposal,
    )
    counts = selectors.petition_counts_for(user, f, today=today)
    start = (filters.page - 1) * filters.page_size
    rows = list(selectors.petition_list_for(user, f, today=today)[start : start + filters.page_size])
    calendar = timing.calendar_around(today)
    return {
        "items": [presenters.petition_summary(p, today=today, calendar=calendar) for p in rows],
        "count": counts["total"],
        "counts": counts,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("", response={201: IntakeOut}, url_name="petition_intake")
def petition_intake(request, payload: IntakeIn):
    """Receive a petition: one petition per kind of content. Each answer carries the tracking code
    and its secret, shown only this once."""
    fields = payload.dict()
    check = fields.pop("check_duplicates")
    fields["parts"] = [services.PartInput(**part.dict()) for part in payload.parts]
    fields["petitioners"] = [_person(person) for person in payload.petitioners]
    today = timezone.localdate()
    calendar = timing.calendar_around(today)
    duplicates = []
    if check:
        people = [_identity(person) for person in payload.petitioners]
        duplicates = [
            _candidates(request.auth, people, part.content, today, calendar) for part in payload.parts
        ]
    result = services.petition_intake(actor=request.auth, data=services.IntakeInput(**fields), today=today)
    return Status(
        201,
        {
            "duplicates": duplicates,
            "petitions": [
                {
                    **presenters.petition_summary(p, today=today, calendar=calendar),
                    "secret": result.secrets[p.pk],
                }
                for p in result.petitions
            ],
            "warnings": result.warnings,
        },
    )


@router.post("/duplicates", response=DuplicatesOut, url_name="petition_duplicates")
def petition_duplicates(request, payload: DuplicatesIn):
    """Earlier petitions from the same person (ID number, or name and address) or with similar
    content, among those the user can see. For those who receive petitions."""
    user = request.auth
    if "petition.intake" not in access.allowed_actions(user):
        raise PermissionDenied()
    people = [_identity(person) for person in payload.people]
    today = timezone.localdate()
    return {"candidates": _candidates(user, people, payload.content, today, timing.calendar_around(today))}


def _identity(person) -> identity.Identity:
    return identity.Identity(
        name=normalize(person.name),
        id_number=identity.clean_id_number(person.id_number) if person.id_number else "",
        address=normalize(person.address),
        address_unit_id=person.address_unit_id,
        phone=normalize(person.phone),
    )


def _candidates(user, people, content: str, today, calendar) -> list[dict]:
    found = selectors.duplicate_candidates_for(user, people=people, content=content)
    return [
        {
            "petition": presenters.petition_summary(c.petition, today=today, calendar=calendar),
            "reasons": c.reasons,
            "score": c.score,
        }
        for c in found
    ]


# ---- one petition ---------------------------------------------------------------------------


@router.get("/{petition_id}", response=PetitionDetailOut, url_name="petition_detail")
def petition_detail(request, petition_id: int):
    """The petition, its petitioners (masked for a denunciation), its deadline and how it was
    computed, and the steps the user may take now."""
    return _detail(request, petition_id)


@router.get("/{petition_id}/timeline", response=list[EventOut], url_name="petition_timeline")
def petition_timeline(request, petition_id: int):
    return [presenters.event_view(e) for e in selectors.timeline_for(request.auth, petition_id)]


# ---- lifecycle steps: one verb URL each -----------------------------------------------------


def _on(value: date | None) -> date:
    return value or timezone.localdate()


@router.post("/{petition_id}/assign", response=PetitionDetailOut, url_name="petition_assign")
def petition_assign(request, petition_id: int, payload: AssignIn):
    services.petition_assign(
        actor=request.auth,
        petition_id=petition_id,
        version=payload.version,
        handler_id=payload.handler_id,
        today=timezone.localdate(),
    )
    return _detail(request, petition_id)


@router.post("/{petition_id}/accept", response=PetitionDetailOut, url_name="petition_accept")
def petition_accept(request, petition_id: int, payload: AcceptIn):
    return _step(
        request,
        services.petition_accept,
        petition_id,
        payload,
        complex=payload.complex,
        remote=payload.remote,
    )


@router.post("/{petition_id}/guide", response=PetitionDetailOut, url_name="petition_guide")
def petition_guide(request, petition_id: int, payload: GuideIn):
    return _step(
        request,
        services.petition_guide,
        petition_id,
        payload,
        guided_to=payload.guided_to,
        eligible=payload.eligible,
        ineligible_reason=payload.ineligible_reason,
        note=payload.note,
    )


@router.post("/{petition_id}/transfer", response=PetitionDetailOut, url_name="petition_transfer")
def petition_transfer(request, petition_id: int, payload: TransferIn):
    """Transfer to the competent body; to a unit inside danvan, a new petition appears in its worklist."""
    return _step(
        request,
        services.petition_transfer,
        petition_id,
        payload,
        target_unit_id=payload.target_unit_id,
        target_name=payload.target_name,
        document_number=payload.document_number,
        eligible=payload.eligible,
        ineligible_reason=payload.ineligible_reason,
    )


@router.post("/{petition_id}/urge", response=PetitionDetailOut, url_name="petition_urge")
def petition_urge(request, petition_id: int, payload: UrgeIn):
    return _step(
        request,
        services.petition_urge,
        petition_id,
        payload,
        target_unit_id=payload.target_unit_id,
        document_number=payload.document_number,
    )


@router.post("/{petition_id}/file", response=PetitionDetailOut, url_name="petition_file")
def petition_file(request, petition_id: int, payload: FileAwayIn):
    """File the petition away with the reason it is not eligible."""
    return _step(
        request,
        services.petition_file,
        petition_id,
        payload,
        ineligible_reason=payload.ineligible_reason,
        note=payload.note,
    )


@router.post("/{petition_id}/record-reply", response=PetitionDetailOut, url_name="petition_record_reply")
def petition_record_reply(request, petition_id: int, payload: RecordReplyIn):
    return _step(request, services.petition_record_reply, petition_id, payload, summary=payload.summary)


@router.post("/{petition_id}/attach", response=PetitionDetailOut, url_name="petition_attach")
def petition_attach(request, petition_id: int, payload: Form[AttachIn], file: File[UploadedFile]):
    """Add a document to the petition (multipart form: `file`, and `identifying` for a document
    that identifies a denouncer)."""
    return _step(
        request, services.petition_attach, petition_id, payload, file=_file(file, payload.identifying)
    )


@router.get("/attachments/{attachment_id}", url_name="petition_attachment")
def petition_attachment(request, attachment_id: int):
    """The file of an attachment. A document that identifies a denouncer only for those entitled
    to the identity (each opening is in the audit trail)."""
    attachment, data = services.attachment_open(actor=request.auth, attachment_id=attachment_id)
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/{petition_id}/verify", response=PetitionDetailOut, url_name="petition_verify")
def petition_verify(
    request, petition_id: int, payload: Form[VerifyIn], file: File[UploadedFile | None] = None
):
    """A verification step (multipart form), with an optional document."""
    return _step(
        request,
        services.petition_verify,
        petition_id,
        payload,
        summary=payload.summary,
        file=_file(file, payload.identifying),
    )


@router.post("/{petition_id}/dialogue", response=PetitionDetailOut, url_name="petition_dialogue")
def petition_dialogue(
    request, petition_id: int, payload: Form[DialogueIn], minutes: File[UploadedFile | None] = None
):
    """A dialogue with the parties (multipart form), with its minutes as an optional file."""
    return _step(
        request,
        services.petition_dialogue,
        petition_id,
        payload,
        participants=payload.participants,
        summary=payload.summary,
        minutes=_file(minutes, payload.identifying),
    )


@router.post("/{petition_id}/extend", response=PetitionDetailOut, url_name="petition_extend")
def petition_extend(request, petition_id: int, payload: ExtendIn):
    return _step(
        request,
        services.petition_extend,
        petition_id,
        payload,
        ground=payload.ground,
        days=payload.days,
        especially_complex=payload.especially_complex,
    )


@router.post("/{petition_id}/suspend", response=PetitionDetailOut, url_name="petition_suspend")
def petition_suspend(request, petition_id: int, payload: SuspendIn):
    return _step(request, services.petition_suspend, petition_id, payload, ground=payload.ground)


@router.post("/{petition_id}/resume", response=PetitionDetailOut, url_name="petition_resume")
def petition_resume(request, petition_id: int, payload: StepIn):
    return _step(request, services.petition_resume, petition_id, payload)


@router.post("/{petition_id}/withdraw", response=PetitionDetailOut, url_name="petition_withdraw")
def petition_withdraw(request, petition_id: int, payload: WithdrawIn):
    """A withdrawal in writing: by the listed petitioners, or by all when none is listed."""
    return _step(
        request,
        services.petition_withdraw,
        petition_id,
        payload,
        petitioner_ids=payload.petitioner_ids or None,
        note=payload.note,
        continue_anyway=payload.continue_anyway,
    )


@router.post("/{petition_id}/decide", response=PetitionDetailOut, url_name="petition_decide")
def petition_decide(request, petition_id: int, payload: DecideIn):
    """The decision or conclusion that resolves the petition, its outcome and results."""
    results = services.Results(**payload.results.dict()) if payload.results is not None else None
    services.petition_decide(
        actor=request.auth,
        petition_id=petition_id,
        version=payload.version,
        today=timezone.localdate(),
        number=payload.number,
        decided_on=_on(payload.decided_on),
        signer=payload.signer,
        outcome=payload.outcome,
        results=results,
    )
    return _detail(request, petition_id)


@router.post("/{petition_id}/dispose", response=PetitionDetailOut, url_name="petition_dispose")
def petition_dispose(request, petition_id: int, payload: StepIn):
    """Dispose of a filed petition once its keeping period is over."""
    return _step(request, services.petition_dispose, petition_id, payload)


# ---- the denouncer's identity ---------------------------------------------------------------


@router.post("/{petition_id}/identity", response=list[IdentityOut], url_name="petition_identity")
def petition_identity(request, petition_id: int, payload: IdentityRevealIn):
    """The petitioners' identities in clear, for the handler, the head of the handling unit and
    users granted access; each view is recorded in the audit trail with its reason."""
    people = services.identity_reveal(actor=request.auth, petition_id=petition_id, reason=payload.reason)
    return [presenters.identity_view(person, ident) for person, ident in people]


@router.post(
    "/{petition_id}/identity-grants", response={201: IdentityGrantOut}, url_name="petition_identity_grant"
)
def petition_identity_grant(request, petition_id: int, payload: IdentityGrantIn):
    """The head of the handling unit lets one more user see the identity."""
    grant = services.identity_grant(
        actor=request.auth, petition_id=petition_id, user_id=payload.user_id, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": grant.pk,
            "user_id": grant.user_id,
            "username": grant.user.get_username(),
            "reason": grant.reason,
            "granted_at": grant.granted_at,
        },
    )


@router.post("/identity-grants/{grant_id}/revoke", response={204: None}, url_name="petition_identity_revoke")
def petition_identity_revoke(request, grant_id: int):
    """Take back a user's access to the identity (the head of the handling unit)."""
    services.identity_revoke(actor=request.auth, grant_id=grant_id)
    return Status(204, None)
