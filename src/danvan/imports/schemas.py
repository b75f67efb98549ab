"""Input and output shapes of the import API.

No rules here: a record type, a field key or a format is a plain string the services check, so a
bad one comes back as the service's own field message, in the user's language.
"""

from datetime import date, datetime

from ninja import Field, Schema

from danvan.petitions.schemas import ChoiceOut, UserRefOut

# ---- queries --------------------------------------------------------------------------------


class BatchQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)
    type: str = Field("", description="Only batches of this record type.")
    status: str = Field("", description="previewed, committed or rolled_back.")


class TemplateQuery(Schema):
    type: str = Field(..., description="The record type's code (see `types`).")
    lang: str = Field("vi", description="vi or en: the language of the headers and help.")


class ExportQuery(Schema):
    type: str = Field(..., description="The record type's code (see `types`).")
    unit: int = Field(..., description="The unit: its records and those of every unit below it.")
    first: date = Field(..., alias="from", description="Records dated on or after this day.")
    last: date = Field(..., alias="to", description="Records dated on or before this day.")
    format: str = Field("xlsx", description="xlsx or csv.")


# ---- input ----------------------------------------------------------------------------------


class UploadIn(Schema):
    record_type: str = Field("", description="A record type's code; empty to tell it from the headers.")
    sheet: str = Field("", description="The sheet to read; empty for the first one with data.")
    unit_id: int | None = Field(None, description="Units named in the file are looked for below it first.")
    mapping_name: str = Field("", description="A saved column mapping to apply.")
    language: str = Field("", description="vi or en: the language of the report (default: the request's).")


class MappingIn(Schema):
    version: int
    mapping: dict[str, str] = Field(
        ..., description="The file's header -> a column key of the record type, or empty to ignore it."
    )
    sheet: str = Field("", description="Read another sheet of the file.")
    save_as: str = Field("", description="Keep the mapping under this name for files of the same shape.")


class VersionIn(Schema):
    version: int


# ---- output ---------------------------------------------------------------------------------


class ColumnOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    help: str
    choices: list[ChoiceOut]
    aliases: list[str]
    sensitive: bool


class RecordTypeOut(Schema):
    code: str
    label: str
    description: str
    action: str
    date_column: str
    natural_key: list[str]
    columns: list[ColumnOut]


class BatchOut(Schema):
    id: int
    file: str
    record_type: ChoiceOut
    status: ChoiceOut
    rows: int
    to_create: int
    matched: int
    problems: int
    created: int
    created_at: datetime
    created_by: UserRefOut | None
    committed_at: datetime | None
    rolled_back_at: datetime | None
    version: int


class BatchPageOut(Schema):
    items: list[BatchOut]
    count: int
    page: int
    page_size: int


class BatchColumnOut(Schema):
    letter: str
    header: str
    field: str = Field(description="The column key it feeds; empty when the column is ignored.")
    label: str


class ProblemOut(Schema):
    row: int | None = Field(description="The spreadsheet's row number; none for the whole file.")
    column: str = Field(description="The column letter; empty for the whole row.")
    header: str
    message: str


class SampleOut(Schema):
    row: int
    values: dict[str, str]


class EarlierBatchOut(Schema):
    id: int
    at: datetime | None
    created: int


class BatchDetailOut(BatchOut):
    sheet: str
    sheets: list[str]
    format: str
    mapping_name: str
    columns: list[BatchColumnOut]
    unknown: list[str] = Field(description="Headers that name no field and are not ignored.")
    missing: list[str] = Field(description="Required fields no column feeds.")
    problem_list: list[ProblemOut] = Field(description="The first problems found (at most 1,000).")
    more_problems: int = Field(description="How many more problems there are beyond the list.")
    samples_new: list[SampleOut]
    samples_matched: list[SampleOut]
    earlier_batch: EarlierBatchOut | None = Field(description="The first import of the same file.")
