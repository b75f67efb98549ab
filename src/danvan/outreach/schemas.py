"""Input and output shapes of the outreach API.

No rules here: a kind, a category or a type is a plain string the services check, so a bad one
comes back as the service's own field message, in the user's language. Counts are given by
category code (`counts`: {"cadres": 120, ...}) with or without `participants_total`.
"""

from datetime import date, datetime

from ninja import Field, Schema

from danvan.core.schemas import FileOut
from danvan.petitions.schemas import ChoiceOut, UnitRefOut, UserRefOut

# ---- queries --------------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class ActivityQuery(PageQuery):
    unit: int | None = Field(None, description="Only this unit's activities and those of the units below it.")
    kind: str = Field("", description="conference, training, dialogue, inspection or voter_contact.")
    first: date | None = Field(None, alias="from", description="Begun on or after this day.")
    last: date | None = Field(None, alias="to", description="Begun on or before this day.")
    q: str = Field("", description="Words of the title (case and accents ignored).")
    resolution: int | None = Field(None, description="Disseminating this resolution.")
    document: int | None = Field(None, description="Disseminating this document.")


class DocumentQuery(PageQuery):
    unit: int | None = Field(None, description="Only this unit's documents and those of the units below it.")
    year: int | None = Field(None, ge=1945, le=2100)
    type: str = Field("", description="A document type code (plan, directive, ...).")
    resolution: int | None = Field(None, description="Carrying this resolution out.")
    q: str = Field("", description="Words of the number or the title (case and accents ignored).")


class DialogueQuery(Schema):
    year: int | None = Field(None, ge=1945, le=2100, description="The year; default: the current one.")


# ---- input ----------------------------------------------------------------------------------


class ActivityIn(Schema):
    unit_id: int | None = Field(None, description="The lead organiser.")
    kind: str = ""
    title: str = ""
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="Empty for a one-day activity.")
    venue: str = ""
    summary: str = ""
    co_organiser_ids: list[int] = Field(default_factory=list, description="Shown, never counted.")
    resolution_ids: list[int] = Field(default_factory=list)
    document_ids: list[int] = Field(default_factory=list)
    counts: dict[str, int | None] = Field(
        default_factory=dict,
        description="People by category code; they must add up to the total if both are given.",
    )
    participants_total: int | None = None


class ActivityUpdateIn(ActivityIn):
    version: int


class AttendeeIn(Schema):
    full_name: str = ""
    category: str = Field("", description="A category code, or its Vietnamese or English name.")
    organisation: str = ""
    job_title: str = ""


class AttendanceIn(Schema):
    version: int
    rows: list[AttendeeIn]


class VersionIn(Schema):
    version: int


class FileRoleIn(Schema):
    role: str = Field(description="plan, minutes or photo.")


class DocumentIn(Schema):
    unit_id: int | None = None
    number: str = ""
    issued_on: date | None = None
    doc_type: str = ""
    title: str = ""
    issuer: str = Field("", description="Empty: the issuing unit.")
    implements_id: int | None = Field(None, description="The resolution it carries out.")


class DocumentUpdateIn(DocumentIn):
    version: int


# ---- output ---------------------------------------------------------------------------------


class ResolutionOut(Schema):
    id: int
    number: str
    kind: ChoiceOut
    issued_on: date
    issuer: str
    title: str
    active: bool


class ResolutionRefOut(Schema):
    id: int
    number: str


class DocumentRefOut(Schema):
    id: int
    number: str
    issued_on: date
    title: str


class CategoryCountOut(Schema):
    category: ChoiceOut
    count: int


class ActivityOut(Schema):
    id: int
    kind: ChoiceOut
    title: str
    starts_on: date
    ends_on: date
    unit: UnitRefOut
    co_organisers: list[UnitRefOut]
    participants_total: int
    from_attendance: bool


class ActivityDetailOut(ActivityOut):
    venue: str
    summary: str
    resolutions: list[ResolutionRefOut]
    documents: list[DocumentRefOut]
    participants: list[CategoryCountOut]
    attendees: int
    version: int
    created_at: datetime
    created_by: UserRefOut | None


class ActivityPageOut(Schema):
    items: list[ActivityOut]
    count: int
    page: int
    page_size: int


class AttendeeOut(Schema):
    position: int
    full_name: str
    category: ChoiceOut
    organisation: str
    job_title: str


class DocumentOut(Schema):
    id: int
    unit: UnitRefOut
    number: str
    issued_on: date
    doc_type: ChoiceOut
    title: str
    issuer: str
    implements: ResolutionRefOut | None
    version: int


class DocumentDetailOut(DocumentOut):
    activities: list[ActivityOut]
    files: list[FileOut]


class DocumentPageOut(Schema):
    items: list[DocumentOut]
    count: int
    page: int
    page_size: int


class CommuneOut(Schema):
    id: int
    code: str
    name: str
    parent: UnitRefOut | None


class DialogueMissingOut(Schema):
    year: int
    on: date
    count: int
    communes: list[CommuneOut]
