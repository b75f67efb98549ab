"""Input and output shapes of the reception API.

No rules here: a kind, an outcome, a position or a ground is a plain string that the services check,
so a bad one comes back as the service's own field message, in the user's language. Query filters
take `unit`, `from` and `to` (the period, both days included).
"""

from datetime import date, datetime, time

from ninja import Field, Schema

from danvan.petitions.schemas import ChoiceOut, PetitionSummaryOut, UnitRefOut, UserRefOut

# ---- queries --------------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class PlaceQuery(Schema):
    unit: int | None = Field(None, description="Only this unit's places.")


class DutyQuery(Schema):
    unit: int | None = Field(None, description="Only this unit's duties.")
    on: date | None = Field(None, description="Only the duties held on this day.")


class SessionQuery(PageQuery):
    unit: int | None = None
    first: date | None = Field(None, alias="from", description="Sessions on or after this day.")
    last: date | None = Field(None, alias="to", description="Sessions on or before this day.")
    kind: str = Field("", description="regular, periodic or ad_hoc.")
    status: str = Field("", description="scheduled, held or cancelled.")


class VisitQuery(PageQuery):
    unit: int | None = None
    session: int | None = None
    first: date | None = Field(None, alias="from")
    last: date | None = Field(None, alias="to")
    q: str = Field("", description="Words of the content (case and accents ignored).")


class UnitQuery(PageQuery):
    unit: int | None = None


class PeopleQuery(Schema):
    id_number: str = Field("", description="The ID number handed over (spaces and dots ignored).")
    name: str = Field("", description="The start of the name, two letters at least (accents ignored).")


class PeriodQuery(Schema):
    unit: int
    first: date = Field(alias="from")
    last: date = Field(alias="to")


class ComplianceQuery(PeriodQuery):
    below: bool = Field(False, description="Also the duties of every unit under this one.")


# ---- input ----------------------------------------------------------------------------------


class PlaceIn(Schema):
    unit_id: int
    name: str = ""
    address: str = ""
    regular_hours: str = ""
    active: bool = True


class PlaceUpdateIn(Schema):
    version: int
    name: str = ""
    address: str = ""
    regular_hours: str = ""
    active: bool = True


class DutyIn(Schema):
    unit_id: int
    position: str = ""
    holder_name: str = ""
    holder_id: int | None = None
    valid_from: date
    valid_to: date | None = None


class DutyUpdateIn(Schema):
    version: int
    position: str = ""
    holder_name: str = ""
    holder_id: int | None = None
    valid_from: date
    valid_to: date | None = None


class SessionIn(Schema):
    unit_id: int
    kind: str = ""
    day: date
    mode: str = "in_person"
    place_id: int | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    duty_id: int | None = Field(None, description="Whose reception day: required for a head's session.")
    trigger: str = Field("", description="Why an ad hoc session was held (complex, many_people, serious).")
    attendees: str = ""
    expected_content: str = ""
    held: bool = Field(False, description="Record a session that has been held (with who presided).")
    presider: str = Field("", description="head or authorised, for a head's session that was held.")
    presider_name: str = ""
    authorisation: str = ""
    recording: str = ""


class OpenRegularIn(Schema):
    unit_id: int
    place_id: int | None = None
    day: date | None = Field(None, description="Default today.")


class PublishIn(Schema):
    version: int
    on: date | None = Field(None, description="The day the schedule was posted; default today.")


class HoldIn(Schema):
    version: int
    presider: str = ""
    presider_name: str = ""
    authorisation: str = ""
    recording: str = ""


class CancelIn(Schema):
    version: int
    reason: str = ""


class VisitorIn(Schema):
    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    representative: bool = False


class VisitPartIn(Schema):
    kind: str = ""
    field: str = ""
    content: str = ""
    subject: str = ""


class VisitIn(Schema):
    session_id: int | None = None
    parts: list[VisitPartIn] = []
    outcome: str = ""
    visitors: list[VisitorIn] = []
    people_count: int = 1
    crowd: bool = False
    summary: str = Field("", description="The book's one-line content; the parts' contents when empty.")
    requests: str = ""
    earlier_handling: str = ""
    outcome_note: str = ""
    target_name: str = ""
    target_document: str = ""
    refusal_ground: str = ""
    refusal_notice: str = ""
    repeat_of_visit_id: int | None = None
    repeat_of_petition_id: int | None = None
    make_petitions: bool = Field(False, description="Make one petition per kind of content.")
    has_original_documents: bool = False
    note: str = ""


class AnswerIn(Schema):
    version: int
    answered_on: date | None = Field(None, description="Default today.")
    answer_kind: str = ""
    follow_up: str = ""


class IdentityIn(Schema):
    reason: str = ""


class DirectiveIn(Schema):
    task: str = ""
    due_date: date
    responsible_unit_id: int | None = None
    responsible_name: str = ""
    visit_id: int | None = None


class ConclusionIn(Schema):
    number: str = ""
    issued_on: date | None = Field(None, description="Default today.")
    signer: str = ""
    summary: str = ""
    directives: list[DirectiveIn] = []


class DirectiveDoneIn(Schema):
    version: int
    done_on: date | None = Field(None, description="Default today.")
    result: str = ""


# ---- output ---------------------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    unit: UnitRefOut
    name: str
    address: str
    regular_hours: str
    active: bool
    version: int


class DutyOut(Schema):
    id: int
    unit: UnitRefOut
    position: ChoiceOut
    holder_name: str
    holder_id: int | None
    valid_from: date
    valid_to: date | None
    version: int


class PlaceRefOut(Schema):
    id: int
    name: str


class DutyRefOut(Schema):
    id: int
    position: ChoiceOut
    holder_name: str


class SessionOut(Schema):
    id: int
    unit: UnitRefOut
    place: PlaceRefOut | None
    kind: ChoiceOut
    mode: ChoiceOut
    day: date
    starts_at: time | None
    ends_at: time | None
    duty: DutyRefOut | None
    presider: ChoiceOut | None
    presider_name: str
    authorisation: str
    trigger: ChoiceOut | None
    attendees: str
    expected_content: str
    recording: str
    status: ChoiceOut
    published_on: date | None
    cancel_reason: str
    visit_count: int | None = Field(None, description="In lists only.")
    version: int


class SessionPageOut(Schema):
    items: list[SessionOut]
    count: int
    page: int
    page_size: int


class DirectiveOut(Schema):
    id: int
    conclusion_id: int
    visit_id: int | None
    responsible_unit: UnitRefOut | None
    responsible_name: str
    task: str
    due_date: date
    done_on: date | None
    result: str
    overdue: bool
    version: int


class ConclusionOut(Schema):
    id: int
    session_id: int
    number: str
    issued_on: date
    signer: str
    summary: str
    directives: list[DirectiveOut]


class SessionDetailOut(SessionOut):
    warnings: list[str]
    conclusions: list[ConclusionOut] = []


class SessionRefOut(Schema):
    id: int
    kind: ChoiceOut
    day: date


class VisitSummaryOut(Schema):
    """A visit without its people: lists never carry names."""

    id: int
    book_number: str
    unit: UnitRefOut
    session: SessionRefOut
    day: date
    presider: ChoiceOut | None
    kinds: list[ChoiceOut]
    excerpt: str
    people_count: int
    crowd: bool
    protected: bool
    is_repeat: bool
    outcome: ChoiceOut
    answer_due: date | None
    answered_on: date | None
    overdue: bool
    version: int


class VisitPageOut(Schema):
    items: list[VisitSummaryOut]
    count: int
    page: int
    page_size: int


class VisitorOut(Schema):
    """For a protected visit (a denunciation) the identity fields are always empty: the clear
    identity comes only from POST /visits/{id}/identity, which is logged."""

    id: int
    position: int
    representative: bool
    masked: bool
    name: str
    id_number: str
    address: str
    phone: str


class VisitRefOut(Schema):
    id: int
    book_number: str


class VisitPetitionRefOut(Schema):
    """A petition made of the visit (GET /api/v1/petitions/{id} has the whole of it)."""

    id: int
    receipt_number: str
    tracking_code: str
    kind: ChoiceOut
    field: ChoiceOut
    status: ChoiceOut
    received_on: date
    due_date: date | None
    version: int


class VisitDetailOut(VisitSummaryOut):
    content: str
    requests: str
    earlier_handling: str
    case_id: int
    repeat_of: VisitRefOut | None
    outcome_note: str
    target_name: str
    target_document: str
    refusal_ground: ChoiceOut | None
    refusal_notice: str
    answer_kind: ChoiceOut | None
    follow_up: str
    note: str
    identity_entitled: bool
    visitors: list[VisitorOut]
    petitions: list[VisitPetitionRefOut]
    received_by: UserRefOut | None
    created_at: datetime


class VisitPetitionOut(VisitPetitionRefOut):
    secret: str = Field(
        description="Shown once: the citizen follows the petition with the tracking code and this secret."
    )


class VisitCreatedOut(Schema):
    visit: VisitDetailOut
    petitions: list[VisitPetitionOut]
    warnings: list[str]


class VisitorIdentityOut(Schema):
    visitor_id: int
    position: int
    representative: bool
    name: str
    id_number: str
    address: str
    phone: str


class EarlierVisitOut(Schema):
    visit: VisitSummaryOut
    case_visits: int = Field(description="Visits on the same matter, this one included.")


class PeopleOut(Schema):
    visits: list[EarlierVisitOut]
    petitions: list[PetitionSummaryOut]
    hidden: int = Field(description="Protected records the user is not entitled to see.")


class BookRowOut(Schema):
    """Columns 1–12 of the reception book (form 03, TT 04/2021)."""

    number: int
    day: date
    name_address: str
    id_number: str
    content: str
    kinds: list[str]
    people: int
    earlier_handling: str
    accepted: bool
    guided: str
    transferred: str
    follow_up: str
    note: str
    visit_id: int
    book_number: str
    masked: bool


class BookOut(Schema):
    unit: UnitRefOut
    first: date
    last: date
    rows: list[BookRowOut]


class ComplianceDutyOut(Schema):
    id: int
    unit: UnitRefOut
    position: ChoiceOut
    holder_name: str
    valid_from: date
    valid_to: date | None


class ComplianceRowOut(Schema):
    duty: ComplianceDutyOut
    required: int
    in_person: int
    delegated: int
    missed: int
    rate: float | None
    uncertain: bool


class ComplianceOut(Schema):
    unit: UnitRefOut
    first: date
    last: date
    rows: list[ComplianceRowOut]


class FigureOut(Schema):
    value: int | None
    records: int


class IndicatorOut(Schema):
    code: str
    label: str
    measure: str
    form_columns: dict[str, list[str]]
    total: FigureOut
    by: dict[str, FigureOut] = Field(description="regular, head (in person) and authorised.")


class IndicatorsOut(Schema):
    unit: UnitRefOut
    first: date
    last: date
    indicators: list[IndicatorOut]
