"""Input and output shapes of the emulation API.

No rules here: a level, a form or a recipient kind is a plain string that the services check, so a
bad one comes back as the service's own field message, in the user's language.
"""

from datetime import date

from ninja import Field, Schema

# ---- shared ---------------------------------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: str


class UnitRefOut(Schema):
    id: int
    name: str


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


# ---- movements ------------------------------------------------------------------------------------


class MovementQuery(PageQuery):
    unit: int | None = Field(None, description="The unit and every unit below it.")
    q: str = Field("", description="Words of the name (case and accents ignored).")
    year: int | None = Field(None, description="Movements running during this year.")


class MovementIn(Schema):
    unit_id: int
    name: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    resolution_id: int | None = None
    description: str = ""


class MovementUpdateIn(Schema):
    version: int
    name: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    resolution_id: int | None = None
    description: str = ""


class ResolutionRefOut(Schema):
    id: int
    number: str
    title: str


class MovementOut(Schema):
    id: int
    unit: UnitRefOut
    name: str
    starts_on: date
    ends_on: date | None
    resolution: ResolutionRefOut | None
    description: str
    version: int


class MovementPageOut(Schema):
    items: list[MovementOut]
    count: int
    page: int
    page_size: int


# ---- commendations --------------------------------------------------------------------------------


class CommendationQuery(PageQuery):
    status: str = Field("", description="proposed, decided, declined or revoked.")
    level: str = Field("", description="commune, district, province or country.")
    form: str = ""
    recipient: str = Field("", description="collective or individual.")
    year: int | None = Field(None, description="Year of the decision.")
    movement: int | None = None
    decision_number: str = ""
    decided_on: date | None = None
    unit: int | None = Field(None, description="The recipient's unit and every unit below it.")
    q: str = Field("", description="Words of the recipient's name (case and accents ignored).")


class CommendationIn(Schema):
    recipient: str = Field("", description="collective or individual.")
    unit_id: int = Field(description="The collective itself, or the unit of the group or of the person.")
    group_name: str = Field("", description="A named group of the unit; empty for the unit itself.")
    person_name: str = ""
    person_position: str = ""
    level: str = ""
    form: str = ""
    reason: str = ""
    movement_id: int | None = None
    practice_id: int | None = Field(None, description="A skillful mass mobilization model.")
    activity_id: int | None = None
    work_from: date | None = None
    work_to: date | None = None


class CommendationUpdateIn(CommendationIn):
    version: int


class DecisionIn(Schema):
    decision_number: str = ""
    decided_on: date | None = None
    issuer: str = Field("", description="Who issued it, e.g. the chairman of a People's Committee.")
    issuer_unit_id: int | None = None


class DecideIn(DecisionIn):
    version: int


class BatchDecideIn(DecisionIn):
    commendation_ids: list[int] = Field(description="Proposals decided together, all or none.")


class DeclineIn(Schema):
    version: int
    note: str = ""


class RevokeIn(Schema):
    version: int
    reason: str = ""


class NamedRefOut(Schema):
    id: int
    name: str


class ActivityRefOut(Schema):
    id: int
    title: str


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    on: date
    note: str
    actor: str


class CommendationOut(Schema):
    id: int
    unit: UnitRefOut
    recipient: ChoiceOut | None
    recipient_name: str
    group_name: str
    person_name: str
    person_position: str
    level: ChoiceOut | None
    form: ChoiceOut | None
    reason: str
    status: ChoiceOut | None
    decision_number: str
    decided_on: date | None
    issuer: str
    issuer_unit: UnitRefOut | None
    movement: NamedRefOut | None
    practice: NamedRefOut | None
    activity: ActivityRefOut | None
    work_from: date | None
    work_to: date | None
    version: int


class CommendationDetailOut(CommendationOut):
    events: list[EventOut]


class CommendationPageOut(Schema):
    items: list[CommendationOut]
    count: int
    page: int
    page_size: int
