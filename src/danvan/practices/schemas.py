"""Input and output shapes of the practices API.

No rules here: a kind, a field, a level or a status is a plain string that the services check, so a
bad one comes back as the service's own field message, in the user's language. Steps take the
`version` the client read (optional; a stale one answers 409); editing the details requires it.
"""

from datetime import date

from ninja import Field, Schema

from danvan.core.schemas import FileOut

# ---- queries --------------------------------------------------------------------------------


class PracticeQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)
    q: str = Field("", description="Words of the name (case and accents ignored).")
    field: str = Field("", description="economy, culture_society, defence_security or political_system.")
    kind: str = Field("", description="model, exemplar_collective or exemplar_individual.")
    level: str = Field("", description="Level recognised: commune, district, province, or none.")
    status: str = Field("", description="registered, carrying_out, under_review, recognised, ...")
    year: int | None = Field(None, description="Year of registration.")
    unit: int | None = Field(None, description="This unit and every unit below it.")


# ---- input ----------------------------------------------------------------------------------


class DetailsIn(Schema):
    kind: str = ""
    name: str = ""
    field: str = Field("", description="One of the four fields of the movement.")
    registered_on: date | None = None
    address: str = ""
    carried_out_by: str = Field("", description="The people and units carrying it out.")
    aims: str = ""
    expected_results: str = ""


class PracticeIn(DetailsIn):
    unit_id: int | None = None


class PracticeUpdateIn(DetailsIn):
    version: int


class StepIn(Schema):
    version: int | None = Field(None, description="The version read; a stale one answers 409.")


class ReportIn(StepIn):
    on: date | None = None
    note: str = ""


class SubmitIn(StepIn):
    level: str = Field("", description="commune, district or province.")
    on: date | None = None
    note: str = ""


class ScoreIn(Schema):
    criterion_id: int
    points: int | None = None


class EvaluateIn(StepIn):
    reviewed_on: date | None = None
    scores: list[ScoreIn] = Field(default_factory=list, description="Every criterion of the set in force.")
    note: str = ""
    criteria_set_id: int | None = Field(
        None, description="The set the scorer saw; refused if another is in force."
    )


class RecogniseIn(StepIn):
    decision_number: str = ""
    decided_on: date | None = None


class NoteStepIn(StepIn):
    on: date | None = None
    note: str = ""


class CriterionIn(Schema):
    text: str = ""
    max_points: int | None = None


class CriteriaSetIn(Schema):
    unit_id: int | None = Field(None, description="The province.")
    name: str = ""
    applies: str = Field("", description="collective or individual.")
    first_year: int | None = None
    last_year: int | None = None
    pass_mark: int | None = None
    source: str = ""
    criteria: list[CriterionIn] = Field(default_factory=list)


# ---- output ---------------------------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: str


class UnitRefOut(Schema):
    id: int
    code: str
    name: str


class PracticeOut(Schema):
    id: int
    unit: UnitRefOut
    kind: ChoiceOut
    name: str
    field: ChoiceOut
    registered_on: date
    year: int
    address: str
    carried_out_by: str
    aims: str
    expected_results: str
    status: ChoiceOut
    review_level: ChoiceOut | None
    level: ChoiceOut | None
    recognised_on: date | None
    replicated_from: int | None
    version: int


class PracticePageOut(Schema):
    items: list[PracticeOut]
    count: int
    page: int
    page_size: int


class EventOut(Schema):
    action: str
    label: str
    from_status: str
    to_status: str
    on: date
    note: str
    level: str
    actor: str


class ScoreOut(Schema):
    criterion_id: int
    position: int
    text: str
    points: int
    max_points: int


class CriteriaSetRefOut(Schema):
    id: int
    name: str
    pass_mark: int


class EvaluationOut(Schema):
    id: int
    level: ChoiceOut
    board_unit: UnitRefOut
    criteria_set: CriteriaSetRefOut
    reviewed_on: date
    total: int
    passed: bool
    note: str
    scores: list[ScoreOut]


class RecognitionOut(Schema):
    id: int
    level: ChoiceOut
    board_unit: UnitRefOut
    decision_number: str
    decided_on: date


class ReplicaOut(Schema):
    id: int
    name: str
    unit: UnitRefOut
    registered_on: date


class PracticeDetailOut(PracticeOut):
    actions: list[str] = Field(description="The steps the caller may take now (the verbs of the URLs).")
    events: list[EventOut]
    evaluations: list[EvaluationOut]
    recognitions: list[RecognitionOut]
    files: list[FileOut]
    replicas: list[ReplicaOut]


class CriterionOut(Schema):
    id: int
    position: int
    text: str
    max_points: int


class CriteriaSetOut(Schema):
    id: int
    unit: UnitRefOut | None
    name: str
    applies: ChoiceOut
    first_year: int
    last_year: int | None
    pass_mark: int
    source: str
    criteria: list[CriterionOut]
