"""Input and output shapes of the petitions API. No rules here: the services check every value."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

# ---- input ----------------------------------------------------------------------------------


class WorklistQuery(Schema):
    kind: str = ""
    field: str = ""
    channel: str = ""
    status: str = Field("", description='A status code; "" for every open status, "all" for every status.')
    handler_id: int | None = None
    urgency: Literal["", "overdue", "very_late", "due_soon"] = ""
    unit_id: int | None = None
    q: str = Field("", description="Words of the content (case and accents ignored), or a tracking code.")
    disposal: bool = Field(False, description="Filed petitions whose keeping period is over.")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class PersonIn(Schema):
    name: str = ""
    id_number: str = ""
    address: str = ""
    address_unit_id: int | None = None
    phone: str = ""
    representative: bool = False


class PartIn(Schema):
    kind: str
    field: str
    content: str
    subject: str = ""
    link: Literal["new", "duplicate", "case"] = "new"
    link_petition_id: int | None = None


class IntakeIn(Schema):
    unit_id: int
    received_on: date
    channel: str
    parts: list[PartIn]
    petitioners: list[PersonIn] = []
    signer_count: int = 1
    anonymous: bool = False
    has_original_documents: bool = False
    sender_body: str = ""
    sender_document_number: str = ""
    decision_known_on: date | None = None
    complex: bool = False
    remote: bool = False
    previous_id: int | None = None
    # Also answer the duplicate candidates of each content (as POST /duplicates would, before saving).
    check_duplicates: bool = False


class DuplicatesIn(Schema):
    people: list[PersonIn] = []
    content: str = ""


class StepIn(Schema):
    """Every lifecycle step names the version it was read at; `on` defaults to today."""

    version: int
    on: date | None = None


class AssignIn(Schema):
    version: int
    handler_id: int


class AcceptIn(StepIn):
    complex: bool = False
    remote: bool = False


class GuideIn(StepIn):
    guided_to: str = ""
    eligible: bool = True
    ineligible_reason: str = ""
    note: str = ""


class TransferIn(StepIn):
    target_unit_id: int | None = None
    target_name: str = ""
    document_number: str = ""
    eligible: bool = True
    ineligible_reason: str = ""


class UrgeIn(StepIn):
    target_unit_id: int
    document_number: str = ""


class FileAwayIn(StepIn):
    ineligible_reason: str = ""
    note: str = ""


class RecordReplyIn(StepIn):
    summary: str = ""


class AttachIn(StepIn):
    identifying: bool = False


class VerifyIn(StepIn):
    summary: str = ""
    identifying: bool = False


class DialogueIn(StepIn):
    participants: str = ""
    summary: str = ""
    identifying: bool = False


class ExtendIn(StepIn):
    ground: str = ""
    days: int | None = None
    # A second extension is only for an especially complex case (Luật Tố cáo Art 30).
    especially_complex: bool = False


class SuspendIn(StepIn):
    ground: str = ""


class WithdrawIn(StepIn):
    petitioner_ids: list[int] = []
    note: str = ""
    continue_anyway: bool = False


class ResultsIn(Schema):
    money_recovered: Decimal = Decimal(0)
    land_recovered: Decimal = Decimal(0)
    money_returned: Decimal = Decimal(0)
    land_returned: Decimal = Decimal(0)
    people_restored: int = 0
    people_sanctioned: int = 0
    cases_to_investigation: int = 0


class DecideIn(Schema):
    version: int
    number: str = ""
    decided_on: date | None = None
    signer: str = ""
    outcome: str = ""
    results: ResultsIn | None = None


class IdentityRevealIn(Schema):
    reason: str = ""


class IdentityGrantIn(Schema):
    user_id: int
    reason: str = ""


# ---- output ---------------------------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: str


class UnitRefOut(Schema):
    id: int
    name: str


class UserRefOut(Schema):
    id: int
    username: str
    full_name: str


class PetitionSummaryOut(Schema):
    id: int
    receipt_number: str
    tracking_code: str
    unit: UnitRefOut
    kind: ChoiceOut
    field: ChoiceOut
    channel: ChoiceOut
    status: ChoiceOut
    received_on: date
    due_date: date | None
    urgency: str
    handler: UserRefOut | None
    excerpt: str
    version: int


class CountsOut(Schema):
    total: int
    overdue: int
    very_late: int
    due_soon: int


class WorklistOut(Schema):
    items: list[PetitionSummaryOut]
    count: int
    counts: CountsOut
    page: int
    page_size: int


class IntakePetitionOut(PetitionSummaryOut):
    secret: str = Field(
        description="Shown once: the citizen follows the petition with the code and this secret."
    )


class CandidateOut(Schema):
    petition: PetitionSummaryOut
    reasons: list[str]
    score: float | None


class IntakeOut(Schema):
    petitions: list[IntakePetitionOut]
    warnings: list[str]
    # Per content, in the order of `parts`, when `check_duplicates` was asked.
    duplicates: list[list[CandidateOut]] = []


class DuplicatesOut(Schema):
    candidates: list[CandidateOut]


class PetitionerOut(Schema):
    """For a protected petition (a denunciation) the identity fields are always empty."""

    id: int
    position: int
    representative: bool
    withdrawn: bool
    withdrawn_on: date | None
    masked: bool
    name: str
    id_number: str
    address: str
    address_unit: UnitRefOut | None
    phone: str


class DeadlineOut(Schema):
    due: date | None
    step: str
    start: date
    rule: str
    source: str
    stopped_since: date | None
    lines: list[str]


class ActionOut(Schema):
    action: str
    label: str
    url: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    identifying: bool
    uploaded_at: datetime


class CaseOut(Schema):
    id: int
    petitions: int


class PetitionRefOut(Schema):
    id: int
    receipt_number: str
    unit: UnitRefOut


class TargetOut(Schema):
    unit: UnitRefOut | None
    name: str
    document_number: str
    reply_on: date | None
    reply_summary: str


class LinksOut(Schema):
    previous: PetitionRefOut | None
    duplicate_of: PetitionRefOut | None
    transferred_from: PetitionRefOut | None
    target: TargetOut | None


class ClassificationOut(Schema):
    eligible: bool | None
    ineligible_reason: ChoiceOut | None
    own_authority: bool | None


class ResultsOut(Schema):
    money_recovered: Decimal
    land_recovered: Decimal
    money_returned: Decimal
    land_returned: Decimal
    people_restored: int
    people_sanctioned: int
    cases_to_investigation: int


class DecisionOut(Schema):
    number: str
    decided_on: date | None
    signer: str
    outcome: ChoiceOut | None
    on_time: bool | None
    results: ResultsOut


class PetitionDetailOut(PetitionSummaryOut):
    content: str
    subject: str
    signer_count: int
    anonymous: bool
    has_original_documents: bool
    sender_body: str
    sender_document_number: str
    decision_known_on: date | None
    complex: bool
    remote: bool
    round: int
    is_repeat: bool
    accepted_on: date | None
    closed_on: date | None
    disposal_due: date | None
    protected: bool
    identity_entitled: bool
    petitioners: list[PetitionerOut]
    deadline: DeadlineOut | None
    actions: list[ActionOut]
    attachments: list[AttachmentOut]
    case: CaseOut
    links: LinksOut
    classification: ClassificationOut
    decision: DecisionOut | None


class EventOut(Schema):
    id: int
    action: str
    label: str
    from_status: str
    to_status: str
    on: date
    at: datetime
    actor: str | None
    data: dict[str, Any]
    attachment_id: int | None


class IdentityOut(Schema):
    petitioner_id: int
    position: int
    representative: bool
    withdrawn_on: date | None
    name: str
    id_number: str
    address: str
    address_unit_id: int | None
    phone: str


class IdentityGrantOut(Schema):
    id: int
    user_id: int
    username: str
    reason: str
    granted_at: datetime
