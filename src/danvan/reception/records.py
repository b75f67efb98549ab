"""The reception books as spreadsheets: sessions (one row a day of reception) and visits (one row a
line of the reception book, form 03 of TT 04/2021).

A session is known by its unit, day and kind of reception (the book keeps one regular reception a
day per unit; a head's periodic or ad hoc reception is another). A visit is known by its day, unit
and the person received (the folded name, and the ID number when given); it joins the session of
its unit, day and kind, made alongside when the file of sessions did not bring it. The identity of
a person whose matter includes a denunciation is sealed on the way in and masked on the way out for
users not entitled to it, each showing to an entitled user logged, as in the reception book.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.records import (
    BOOLEAN,
    CHOICE,
    CHOICES,
    DATE,
    INTEGER,
    LONG_TEXT,
    TEXT,
    UNIT,
    Column,
    ExportQuery,
    RecordType,
    Row,
    keys_found,
    register,
    rows_with_identities,
)
from danvan.petitions import identity
from danvan.petitions.models import Kind

from . import selectors, services
from .models import (
    OUTCOMES_OF_KIND,
    AnswerKind,
    Mode,
    Outcome,
    Presider,
    RefusalGround,
    Session,
    SessionKind,
    SessionStatus,
    Trigger,
    Visit,
)

EXPORT_CHUNK = 2000
HEAD_KINDS = (SessionKind.PERIODIC, SessionKind.AD_HOC)


def _unit_column(label) -> Column:
    return Column(
        "unit",
        label,
        UNIT,
        required=True,
        help=_("The unit that received the citizens."),
        example="Xã Ninh Nhất",
        aliases=("Đơn vị tiếp", "Đơn vị", "Cơ quan tiếp công dân", "Nơi tiếp"),
    )


def _kind_column(key: str, required: bool) -> Column:
    return Column(
        key,
        _("Kind of reception"),
        CHOICE,
        required=required,
        choices=dict(SessionKind.choices),
        help=_("Regular reception, or the head's periodic or ad hoc reception; empty means regular."),
        example=SessionKind.REGULAR,
        aliases=("Hình thức tiếp", "Loại tiếp", "Tiếp thường xuyên/định kỳ/đột xuất"),
        choice_aliases={
            SessionKind.REGULAR: ("Tiếp thường xuyên", "Thường xuyên"),
            SessionKind.PERIODIC: ("Tiếp định kỳ", "Tiếp định kỳ của người đứng đầu", "Định kỳ"),
            SessionKind.AD_HOC: ("Tiếp đột xuất", "Đột xuất"),
        },
    )


PRESIDER = Column(
    "presider",
    _("Presided by"),
    CHOICE,
    choices=dict(Presider.choices),
    help=_("For a head's reception: the head in person or an authorised person."),
    example=None,
    aliases=("Người chủ trì", "Chủ trì tiếp"),
)


# ---- sessions -----------------------------------------------------------------------------------

SESSION_COLUMNS = (
    _unit_column(_("Unit")),
    Column(
        "day",
        _("Day"),
        DATE,
        required=True,
        help=_("The day of the reception."),
        example=date(2016, 3, 5),
        aliases=("Ngày tiếp", "Ngày tiếp công dân", "Ngày"),
    ),
    _kind_column("kind", required=False),
    Column(
        "mode",
        _("Form"),
        CHOICE,
        choices=dict(Mode.choices),
        help=_("In person or online; empty means in person."),
        example=Mode.IN_PERSON,
        aliases=("Trực tiếp/trực tuyến",),
    ),
    Column(
        "status",
        _("Status"),
        CHOICE,
        choices=dict(SessionStatus.choices),
        help=_("Empty: cancelled when a reason for cancelling is given, held when the day has come."),
        example=SessionStatus.HELD,
        aliases=("Tình trạng",),
    ),
    Column(
        "starts_at",
        _("From"),
        TEXT,
        help=_("The hour the reception began, as 7:30."),
        example="7:30",
        aliases=("Từ giờ", "Giờ bắt đầu"),
        max_length=10,
    ),
    Column(
        "ends_at",
        _("To"),
        TEXT,
        help=_("The hour the reception ended, as 11:00."),
        example="11:00",
        aliases=("Đến giờ", "Giờ kết thúc"),
        max_length=10,
    ),
    PRESIDER,
    Column(
        "presider_name",
        _("Name of the person presiding"),
        TEXT,
        help=_("Who presided, for a head's reception."),
        example=None,
        aliases=("Họ tên người chủ trì", "Lãnh đạo tiếp"),
        max_length=200,
    ),
    Column(
        "authorisation",
        _("Authorisation document"),
        TEXT,
        help=_("The document authorising someone to receive in the head's place."),
        example=None,
        aliases=("Văn bản ủy quyền", "Giấy ủy quyền"),
        max_length=120,
    ),
    Column(
        "trigger",
        _("Reason for the ad hoc reception"),
        CHOICE,
        choices=dict(Trigger.choices),
        help=_("Why an ad hoc reception was held (Art 18(3))."),
        example=None,
        aliases=("Lý do tiếp đột xuất",),
    ),
    Column(
        "attendees",
        _("Also attending"),
        TEXT,
        help=_("The officials who attended with the presiding person."),
        example="Công chức địa chính, Chủ tịch MTTQ xã",
        aliases=("Thành phần tham dự", "Cùng tiếp"),
        max_length=500,
    ),
    Column(
        "expected_content",
        _("Expected content"),
        LONG_TEXT,
        help=_("What the reception was expected to deal with."),
        example=None,
        aliases=("Nội dung dự kiến",),
    ),
    Column(
        "recording",
        _("Where the recording is kept"),
        TEXT,
        help=_("For an online reception: where its recording is kept."),
        example=None,
        aliases=("Nơi lưu ghi hình",),
        max_length=300,
    ),
    Column(
        "published_on",
        _("Schedule published on"),
        DATE,
        help=_("The day the schedule was posted."),
        example=None,
        aliases=("Ngày thông báo lịch tiếp", "Ngày niêm yết"),
    ),
    Column(
        "cancel_reason",
        _("Reason for cancelling"),
        TEXT,
        help=_("Why the reception did not take place."),
        example=None,
        aliases=("Lý do hủy", "Lý do không tiếp"),
        max_length=300,
    ),
)


def session_key(row: Row) -> tuple:
    """(unit id, day, kind of reception)."""
    unit = row.get("unit")
    return (getattr(unit, "pk", None), row.get("day"), row.get("kind") or SessionKind.REGULAR)


def existing_sessions(user, keys: Sequence[tuple]) -> set[tuple]:
    wanted = {key for key in keys if key[0] is not None and key[1] is not None}
    if not wanted:
        return set()
    return keys_found(Session.objects.all(), ("unit_id", "day", "kind"), wanted)


def check_session(row: Row) -> dict[str, str]:
    """The rules of scheduling and holding a session that a row must meet."""
    errors: dict[str, str] = {}
    day, kind = row.get("day"), row.get("kind") or SessionKind.REGULAR
    today = timezone.localdate()
    status = services.imported_session_status(row, today) if day else None
    for name in ("starts_at", "ends_at"):
        if row.get(name) and services.parse_clock(row[name]) is None:
            errors[name] = gettext("Write the hour as 7:30.")
    starts, ends = services.parse_clock(row.get("starts_at")), services.parse_clock(row.get("ends_at"))
    if starts and ends and ends <= starts:
        errors["ends_at"] = gettext("The session ends before it starts.")
    if status == SessionStatus.HELD and day and day > today:
        errors["status"] = gettext("A session in the future cannot have been held.")
    if status == SessionStatus.CANCELLED and not row.get("cancel_reason"):
        errors["cancel_reason"] = gettext("Enter the reason for cancelling.")
    if kind == SessionKind.AD_HOC and not row.get("trigger"):
        errors["trigger"] = gettext("Say why the ad hoc reception was held (Art 18(3)).")
    if status == SessionStatus.HELD and kind in HEAD_KINDS:
        presider = row.get("presider")
        if presider not in (Presider.HEAD, Presider.AUTHORISED):
            errors["presider"] = gettext("Say whether the head presided in person or authorised someone.")
        elif presider == Presider.AUTHORISED and not row.get("presider_name"):
            errors["presider_name"] = gettext("Enter the name of the authorised person.")
    if kind == SessionKind.REGULAR and row.get("presider") not in (None, "", Presider.STAFF):
        errors["presider"] = gettext("Regular reception is held by reception staff.")
    if row.get("mode") == Mode.ONLINE and status == SessionStatus.HELD and not row.get("recording"):
        errors["recording"] = gettext("An online session is recorded: say where the recording is kept.")
    return errors


def _clock(value) -> str | None:
    return f"{value:%H:%M}" if value else None


def _or_none(value):
    return value if value not in ("", None) else None


def export_sessions(query: ExportQuery) -> Iterator[Row]:
    sessions = selectors.sessions_for_export(query.user, query.unit, query.first, query.last)
    for session in sessions.iterator(chunk_size=EXPORT_CHUNK):
        yield {
            "unit": session.unit,
            "day": session.day,
            "kind": session.kind,
            "mode": session.mode,
            "status": session.status,
            "starts_at": _clock(session.starts_at),
            "ends_at": _clock(session.ends_at),
            "presider": _or_none(session.presider),
            "presider_name": _or_none(session.presider_name),
            "authorisation": _or_none(session.authorisation),
            "trigger": _or_none(session.trigger),
            "attendees": _or_none(session.attendees),
            "expected_content": _or_none(session.expected_content),
            "recording": _or_none(session.recording),
            "published_on": session.published_on,
            "cancel_reason": _or_none(session.cancel_reason),
        }


SESSIONS = RecordType(
    code="reception_sessions",
    label=_("Reception sessions"),
    description=_(
        "Days of citizen reception: regular reception and the heads' periodic or ad hoc reception."
    ),
    columns=SESSION_COLUMNS,
    natural_key=("unit", "day", "kind"),
    key=session_key,
    existing=existing_sessions,
    check=check_session,
    write=services.sessions_import,
    rollback=services.sessions_import_rollback,
    export=export_sessions,
    action=services.RECORD,
    model=Session,
    date_column="day",
    order=30,
)


# ---- visits -------------------------------------------------------------------------------------

VISIT_COLUMNS = (
    _unit_column(_("Receiving unit")),
    Column(
        "day",
        _("Day received"),
        DATE,
        required=True,
        help=_("The day the citizen was received."),
        example=date(2016, 3, 5),
        aliases=("Ngày tiếp", "Ngày tiếp công dân", "Ngày, tháng, năm", "Ngày"),
    ),
    Column(
        "book_number",
        _("Book number"),
        TEXT,
        help=_("The line's number in the reception book, as 12/2016; empty: numbered after the last one."),
        example="12/2016",
        aliases=("Số thứ tự", "STT", "Số vào sổ", "Số TT"),
        max_length=20,
    ),
    _kind_column("session_kind", required=False),
    PRESIDER,
    Column(
        "visitor_name",
        _("Name of the person received"),
        TEXT,
        help=_(
            "The person received (a crowd's representative); kept secret when the matter is a denunciation."
        ),
        example="Trần Thị Bình",
        aliases=("Họ và tên", "Họ tên", "Họ tên công dân", "Người đến", "Họ tên người đến"),
        max_length=200,
        sensitive=True,
    ),
    Column(
        "visitor_address",
        _("Address of the person received"),
        TEXT,
        help=_("Their address; kept secret when the matter is a denunciation."),
        example="Thôn Tây, xã Ninh Nhất",
        aliases=("Địa chỉ", "Nơi cư trú"),
        max_length=300,
        sensitive=True,
    ),
    Column(
        "visitor_id_number",
        _("ID number of the person received"),
        TEXT,
        help=_("Citizen ID, old ID card or passport number; kept secret when the matter is a denunciation."),
        example="037185004321",
        aliases=("Số CCCD", "Số CMND", "CCCD/CMND", "Số định danh"),
        max_length=20,
        sensitive=True,
    ),
    Column(
        "visitor_phone",
        _("Phone of the person received"),
        TEXT,
        help=_("Their phone number; kept secret when the matter is a denunciation."),
        example=None,
        aliases=("Số điện thoại", "Điện thoại", "SĐT"),
        max_length=30,
        sensitive=True,
    ),
    Column(
        "people_count",
        _("Number of people"),
        INTEGER,
        help=_("How many people came; empty means one."),
        example=1,
        aliases=("Số người", "Số lượt người", "Số người đến"),
        min_value=1,
    ),
    Column(
        "crowd",
        _("Crowd"),
        BOOLEAN,
        help=_("Five or more people with the same content (Art 29)."),
        example=False,
        aliases=("Đoàn đông người", "Đông người"),
    ),
    Column(
        "kinds",
        _("Kind"),
        CHOICES,
        required=True,
        choices=dict(Kind.choices),
        help=_("The kinds of content, separated by “;” when there are several."),
        example=[Kind.COMPLAINT],
        aliases=("Phân loại", "Loại vụ việc", "Phân loại đơn, vụ việc"),
    ),
    Column(
        "content",
        _("Content"),
        LONG_TEXT,
        required=True,
        help=_("The matter, in short."),
        example="Khiếu nại việc thu hồi đất nông nghiệp tại thôn Tây, bồi thường chưa thỏa đáng.",
        aliases=("Nội dung", "Tóm tắt nội dung", "Nội dung vụ việc", "Nội dung tiếp"),
    ),
    Column(
        "requests",
        _("The person's requests"),
        LONG_TEXT,
        help=_("What the person asked for."),
        example=None,
        aliases=("Yêu cầu, đề nghị", "Đề nghị của công dân"),
    ),
    Column(
        "earlier_handling",
        _("Body that already handled it"),
        TEXT,
        help=_("The body that had already dealt with the matter, if any."),
        example=None,
        aliases=("Cơ quan đã giải quyết", "Đã được giải quyết tại"),
        max_length=300,
    ),
    Column(
        "repeat",
        _("Repeated case"),
        BOOLEAN,
        help=_("The person had come before about the same case."),
        example=False,
        aliases=("Tái diễn", "Vụ việc cũ", "Tiếp nhiều lần"),
    ),
    Column(
        "outcome",
        _("Outcome"),
        CHOICE,
        required=True,
        choices=dict(Outcome.choices),
        help=_("How the matter was received and handled."),
        example=Outcome.GUIDED,
        aliases=("Kết quả tiếp", "Hướng xử lý", "Kết quả xử lý", "Kết quả"),
        choice_aliases={
            Outcome.ANSWERED: ("Trả lời trực tiếp", "Giải thích, trả lời trực tiếp"),
            Outcome.ACCEPTED: ("Thụ lý", "Thụ lý giải quyết"),
            Outcome.GUIDED: ("Hướng dẫn đến cơ quan có thẩm quyền", "Hướng dẫn"),
            Outcome.TRANSFERRED: ("Chuyển đơn", "Chuyển đến cơ quan có thẩm quyền"),
            Outcome.URGED: ("Đôn đốc",),
            Outcome.REFUSED: ("Từ chối tiếp",),
        },
    ),
    Column(
        "outcome_note",
        _("What was answered or explained"),
        LONG_TEXT,
        help=_("For a matter answered on the spot: what the person was told."),
        example=None,
        aliases=("Nội dung trả lời", "Nội dung giải thích"),
    ),
    Column(
        "target_name",
        _("Body guided or transferred to"),
        TEXT,
        help=_("The competent body the person was guided to or the matter sent to."),
        example="Tòa án nhân dân thành phố Hoa Lư",
        aliases=("Hướng dẫn đến", "Chuyển đến", "Cơ quan có thẩm quyền"),
        max_length=300,
    ),
    Column(
        "target_document",
        _("Number of the guidance letter or transfer slip"),
        TEXT,
        help=_("The number of the guidance letter, transfer slip or request to the lower level."),
        example=None,
        aliases=("Số phiếu chuyển", "Số văn bản hướng dẫn"),
        max_length=60,
    ),
    Column(
        "refusal_ground",
        _("Ground for refusal"),
        CHOICE,
        choices=dict(RefusalGround.choices),
        help=_("For a refused reception: its legal ground (Art 9)."),
        example=None,
        aliases=("Lý do từ chối",),
    ),
    Column(
        "refusal_notice",
        _("Number of the refusal notice"),
        TEXT,
        help=_("The refusal notice (form 01), for a matter already resolved."),
        example=None,
        aliases=("Số thông báo từ chối",),
        max_length=60,
    ),
    Column(
        "answered_on",
        _("Date answered"),
        DATE,
        help=_("When the person was told what became of their matter (Art 28(1))."),
        example=None,
        aliases=("Ngày trả lời", "Ngày thông báo kết quả"),
    ),
    Column(
        "answer_kind",
        _("Answer"),
        CHOICE,
        choices=dict(AnswerKind.choices),
        help=_("What the person was told."),
        example=None,
        aliases=("Nội dung thông báo",),
    ),
    Column(
        "follow_up",
        _("Follow-up of the result"),
        LONG_TEXT,
        help=_("What came of the matter afterwards."),
        example=None,
        aliases=("Theo dõi kết quả giải quyết", "Theo dõi kết quả"),
    ),
    Column(
        "note",
        _("Notes"),
        TEXT,
        help=_("Anything else the book notes."),
        example=None,
        aliases=("Ghi chú",),
        max_length=500,
    ),
)


def visit_key(row: Row) -> tuple:
    """(unit id, day, folded name, ID number or "")."""
    unit = row.get("unit")
    name, id_number = services.visit_person_key(row.get("visitor_name"), row.get("visitor_id_number"))
    return (getattr(unit, "pk", None), row.get("day"), name, id_number)


def existing_visits(user, keys: Sequence[tuple]) -> set[tuple]:
    """The keys some visit already has, whoever may see it (a sealed person is read to match)."""
    wanted = {key for key in keys if key[0] is not None and key[1] is not None}
    if not wanted:
        return set()
    found = selectors.visit_keys_among({k[0] for k in wanted}, {k[1] for k in wanted})
    return wanted & found


def _check_visit_person(row: Row, errors: dict) -> None:
    _ident, problems = identity.identity_typed(
        name=row.get("visitor_name") or "",
        id_number=row.get("visitor_id_number") or "",
        address=row.get("visitor_address") or "",
        phone=row.get("visitor_phone") or "",
    )
    if "id_number" in problems:
        errors["visitor_id_number"] = str(problems["id_number"])
    if "name" in problems:
        errors["visitor_name"] = str(problems["name"])
    named = row.get("visitor_name") or row.get("visitor_id_number")
    if not named and row.get("outcome") != Outcome.REFUSED:
        errors["visitor_name"] = gettext("Enter the name or ID number of the person received.")
    people = row.get("people_count") or 1
    if row.get("crowd") and people < 5:
        errors["crowd"] = gettext("A crowd is five or more people with the same content (Art 29).")


def _check_visit_outcome(row: Row, errors: dict) -> None:
    outcome = row.get("outcome")
    for kind in row.get("kinds") or []:
        if outcome and kind in OUTCOMES_OF_KIND and outcome not in OUTCOMES_OF_KIND[kind]:
            errors["outcome"] = gettext(
                "“%(outcome)s” is not an outcome the law allows for a %(kind)s (Art 26)."
            ) % {
                "outcome": Outcome(outcome).label,
                "kind": str(Kind(kind).label).lower(),
            }
            break
    if outcome == Outcome.REFUSED:
        if not row.get("refusal_ground"):
            errors["refusal_ground"] = gettext("A refusal states its legal ground (Art 9).")
        elif row["refusal_ground"] == RefusalGround.RESOLVED and not row.get("refusal_notice"):
            errors["refusal_notice"] = gettext("Enter the number of the refusal notice (form 01).")
    elif row.get("refusal_ground"):
        errors["refusal_ground"] = gettext("Only a refused reception has a ground for refusal.")
    if outcome in (Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.URGED) and not row.get("target_name"):
        errors["target_name"] = gettext("Enter the body the citizen is guided or the matter transferred to.")
    day, answered = row.get("day"), row.get("answered_on")
    if answered and day and answered < day:
        errors["answered_on"] = gettext("The answer is dated before the visit (%(day)s).") % {
            "day": f"{day:%d/%m/%Y}"
        }
    if answered and not row.get("answer_kind"):
        errors["answer_kind"] = gettext("Choose what the citizen was told.")
    if row.get("answer_kind") and not answered:
        errors["answered_on"] = gettext("Enter the date the citizen was told.")


def check_visit(row: Row) -> dict[str, str]:
    """The rules of recording a visit that a book row must meet."""
    errors: dict[str, str] = {}
    kinds = row.get("kinds") or []
    if len(set(kinds)) != len(kinds):
        errors["kinds"] = gettext("Each kind of content appears once.")
    day = row.get("day")
    if day and day > timezone.localdate():
        errors["day"] = gettext("The date cannot be in the future.")
    if row.get("book_number") and services.parse_book_number(row["book_number"], day) is None:
        errors["book_number"] = gettext("Write the book number as a number, or number/year (12/2016).")
    elif row.get("book_number") and day:
        year = services.parse_book_number(row["book_number"], day)[1]
        if year != day.year:
            errors["book_number"] = gettext(
                "The book number's year (%(year)s) is not the year of the visit."
            ) % {"year": year}
    kind = row.get("session_kind") or SessionKind.REGULAR
    if kind in HEAD_KINDS and row.get("presider") not in (None, Presider.HEAD, Presider.AUTHORISED):
        errors["presider"] = gettext("Say whether the head presided in person or authorised someone.")
    if kind == SessionKind.REGULAR and row.get("presider") not in (None, "", Presider.STAFF):
        errors["presider"] = gettext("Regular reception is held by reception staff.")
    _check_visit_person(row, errors)
    _check_visit_outcome(row, errors)
    return errors


def _visit_row(visit: Visit, person, reveal: bool) -> Row:
    ident = identity.identity_of(person) if person is not None and reveal else None
    return {
        "unit": visit.unit,
        "day": visit.day,
        "book_number": visit.book_number,
        "session_kind": visit.session_kind,
        "presider": _or_none(visit.presider),
        "visitor_name": _or_none(ident.name) if ident else None,
        "visitor_address": _or_none(ident.address) if ident else None,
        "visitor_id_number": _or_none(ident.id_number) if ident else None,
        "visitor_phone": _or_none(ident.phone) if ident else None,
        "people_count": visit.people_count,
        "crowd": visit.crowd,
        "kinds": visit.kind_list,
        "content": visit.content,
        "requests": _or_none(visit.requests),
        "earlier_handling": _or_none(visit.earlier_handling),
        "repeat": visit.is_repeat,
        "outcome": visit.outcome,
        "outcome_note": _or_none(visit.outcome_note),
        "target_name": _or_none(visit.target_name),
        "target_document": _or_none(visit.target_document),
        "refusal_ground": _or_none(visit.refusal_ground),
        "refusal_notice": _or_none(visit.refusal_notice),
        "answered_on": visit.answered_on,
        "answer_kind": _or_none(visit.answer_kind),
        "follow_up": _or_none(visit.follow_up),
        "note": _or_none(visit.note),
    }


def export_visits(query: ExportQuery) -> Iterator[Row]:
    """The reception book of the query's unit and the units below it, for the period. A protected
    person is left empty for users not entitled to see them; each showing to an entitled user is
    logged in the audit trail, as the reception book logs it."""
    return rows_with_identities(
        query.user,
        selectors.visits_for_export(query.user, query.unit, query.first, query.last),
        people_of=selectors.main_visitors,
        entitled_among=selectors.visit_entitled_among,
        row_of=_visit_row,
        action="reception.identity_view",
        size=EXPORT_CHUNK,
    )


VISITS = RecordType(
    code="visits",
    label=_("Citizen reception visits"),
    description=_("The reception book: one row per person or group received."),
    columns=VISIT_COLUMNS,
    natural_key=("unit", "day", "visitor_name", "visitor_id_number"),
    key=visit_key,
    existing=existing_visits,
    check=check_visit,
    write=services.visits_import,
    rollback=services.visits_import_rollback,
    export=export_visits,
    action=services.RECORD,
    model=Visit,
    date_column="day",
    order=31,
)

register(SESSIONS, VISITS)
