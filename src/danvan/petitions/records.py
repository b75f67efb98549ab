"""The petition register as a spreadsheet: one row is one petition as a unit's register records it,
from its receipt to its processing and resolution (the columns the review and the forms 01–04/XLD,
KQGQ01 and KQGQ03 read, so imported history counts in the reports like petitions entered here).

Natural key: the receiving unit and the receipt number ("125/2016": number/year; a number alone
takes the year received). The status follows from the row (`services.imported_state`). The main
petitioner's identity of a denunciation is sealed on the way in and masked on the way out for users
not entitled to it; each showing to an entitled user is logged, as on the petition's page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.records import (
    BOOLEAN,
    CHOICE,
    DATE,
    DECIMAL,
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

from . import identity, selectors, services, tasks
from .lifecycle import INTAKE
from .models import (
    FIELDS_OF_KIND,
    TRANSFER_CHANNELS,
    Channel,
    Field,
    Handling,
    IneligibleReason,
    Kind,
    Outcome,
    Petition,
    Status,
    outcomes_for,
)

SENSITIVE = ("petitioner_name", "petitioner_address", "petitioner_id_number", "petitioner_phone")
MONEY = ("money_recovered", "land_recovered", "money_returned", "land_returned")
PEOPLE = ("people_restored", "people_sanctioned", "cases_to_investigation")
EXPORT_CHUNK = 2000

COLUMNS = (
    Column(
        "unit",
        _("Receiving unit"),
        UNIT,
        required=True,
        help=_("The unit that received the petition and keeps the register."),
        example="Xã Ninh Nhất",
        aliases=("Đơn vị tiếp nhận", "Cơ quan tiếp nhận", "Đơn vị nhận đơn", "Đơn vị"),
    ),
    Column(
        "receipt_number",
        _("Receipt number"),
        TEXT,
        required=True,
        help=_(
            "The number in the register, as number/year (125/2016); a number alone takes the year received."
        ),
        example="125/2016",
        aliases=("Số đơn", "Số vào sổ", "Số thứ tự", "Số tiếp nhận", "Số biên nhận", "Số TT", "STT"),
        max_length=20,
    ),
    Column(
        "received_on",
        _("Date received"),
        DATE,
        required=True,
        help=_("The day the unit received the petition."),
        example=date(2016, 3, 5),
        aliases=("Ngày nhận đơn", "Ngày nhận", "Ngày tiếp nhận", "Ngày vào sổ"),
    ),
    Column(
        "channel",
        _("Channel"),
        CHOICE,
        choices=dict(Channel.choices),
        help=_("Where the petition came from; empty means by post."),
        example=Channel.POST,
        aliases=("Nguồn đơn", "Hình thức nhận", "Nguồn tiếp nhận"),
        choice_aliases={
            Channel.IN_PERSON: ("Trực tiếp", "Tại trụ sở tiếp công dân", "Tiếp công dân"),
            Channel.POST: ("Bưu điện", "Qua bưu điện", "Bưu chính", "Qua đường bưu điện"),
            Channel.HAND_DELIVERY: ("Gửi trực tiếp", "Nộp trực tiếp"),
            Channel.SUGGESTION_BOX: ("Hòm thư góp ý", "Hộp thư góp ý"),
            Channel.ONLINE: ("Trực tuyến", "Qua mạng", "Thư điện tử", "Email"),
            Channel.HOTLINE: ("Đường dây nóng", "Điện thoại"),
            Channel.DEPUTY: ("Đại biểu chuyển", "Đại biểu Quốc hội chuyển", "Đại biểu HĐND chuyển"),
            Channel.FRONT: ("MTTQ chuyển", "Mặt trận chuyển", "Mặt trận Tổ quốc chuyển"),
            Channel.PRESS: ("Báo chí", "Báo chí chuyển"),
            Channel.AGENCY: ("Cơ quan khác chuyển", "Cơ quan chuyển đến"),
            Channel.LEADER: ("Lãnh đạo chuyển",),
        },
    ),
    Column(
        "kind",
        _("Kind"),
        CHOICE,
        required=True,
        choices=dict(Kind.choices),
        help=_("Complaint, denunciation, recommendation or feedback."),
        example=Kind.COMPLAINT,
        aliases=("Loại đơn", "Phân loại đơn", "Phân loại"),
        choice_aliases={
            Kind.COMPLAINT: ("KN", "Đơn khiếu nại"),
            Kind.DENUNCIATION: ("TC", "Đơn tố cáo"),
            Kind.RECOMMENDATION: ("KNg", "Đơn kiến nghị"),
            Kind.FEEDBACK: ("PA", "Đơn phản ánh"),
        },
    ),
    Column(
        "field",
        _("Field"),
        CHOICE,
        required=True,
        choices=dict(Field.choices),
        help=_("The field of the content, among those the report forms list for its kind."),
        example=Field.LAND,
        aliases=("Lĩnh vực", "Nội dung lĩnh vực"),
        choice_aliases={
            Field.POLICY: ("Chế độ chính sách", "Chế độ, chính sách", "Chính sách"),
            Field.LAND: ("Đất đai", "Nhà ở", "Đất đai, nhà ở", "Đất đai và nhà ở", "Nhà đất"),
            Field.CIVIL_SERVICE: ("Cán bộ, công chức", "Công chức"),
            Field.ADMINISTRATIVE_OTHER: ("Hành chính khác", "Hành chính"),
            Field.CORRUPTION: ("Tham nhũng",),
            Field.JUDICIAL: ("Tư pháp",),
            Field.PARTY: ("Đảng, đoàn thể", "Đảng", "Đoàn thể"),
        },
    ),
    Column(
        "content",
        _("Content"),
        LONG_TEXT,
        required=True,
        help=_("What the petition says, in short."),
        example="Đề nghị xem xét lại mức bồi thường khi thu hồi đất nông nghiệp tại thôn Đông.",
        aliases=("Nội dung đơn", "Tóm tắt nội dung", "Nội dung vụ việc", "Trích yếu"),
    ),
    Column(
        "subject",
        _("Person or body complained about or denounced"),
        TEXT,
        help=_("Whom the complaint or denunciation is about."),
        example="UBND xã Ninh Nhất",
        aliases=("Người bị khiếu nại, tố cáo", "Đối tượng bị khiếu nại, tố cáo", "Người bị KN, TC"),
        max_length=300,
    ),
    Column(
        "petitioner_name",
        _("Petitioner's name"),
        TEXT,
        help=_("The main petitioner; kept secret for a denunciation."),
        example="Nguyễn Văn An",
        aliases=(
            "Họ tên người viết đơn",
            "Họ và tên",
            "Họ tên",
            "Người viết đơn",
            "Người gửi đơn",
            "Tên người gửi",
        ),
        max_length=200,
        sensitive=True,
    ),
    Column(
        "petitioner_address",
        _("Petitioner's address"),
        TEXT,
        help=_("The main petitioner's address; kept secret for a denunciation."),
        example="Thôn Đông, xã Ninh Nhất",
        aliases=("Địa chỉ", "Địa chỉ người viết đơn", "Nơi cư trú"),
        max_length=300,
        sensitive=True,
    ),
    Column(
        "petitioner_id_number",
        _("Petitioner's ID number"),
        TEXT,
        help=_(
            "Citizen ID (12 digits), old ID card (9 digits) or passport number; secret for a denunciation."
        ),
        example="037090001234",
        aliases=("Số CCCD", "Số CMND", "CCCD/CMND", "Số định danh", "Số CCCD/CMND"),
        max_length=20,
        sensitive=True,
    ),
    Column(
        "petitioner_phone",
        _("Petitioner's phone"),
        TEXT,
        help=_("The main petitioner's phone number; kept secret for a denunciation."),
        example="0912345678",
        aliases=("Số điện thoại", "Điện thoại", "SĐT"),
        max_length=30,
        sensitive=True,
    ),
    Column(
        "signer_count",
        _("Number of signers"),
        INTEGER,
        help=_("How many people signed; empty means one."),
        example=1,
        aliases=("Số người ký đơn", "Số người đứng đơn", "Số người"),
        min_value=1,
    ),
    Column(
        "anonymous",
        _("Anonymous"),
        BOOLEAN,
        help=_("The petition names no sender."),
        example=False,
        aliases=("Đơn nặc danh", "Nặc danh"),
    ),
    Column(
        "has_original_documents",
        _("Original documents attached"),
        BOOLEAN,
        help=_("The petitioner handed in original documents."),
        example=False,
        aliases=("Kèm tài liệu gốc", "Có tài liệu gốc"),
    ),
    Column(
        "sender_body",
        _("Sending body"),
        TEXT,
        help=_("The body that sent the petition on (deputy, Front, press, agency)."),
        example="",
        aliases=("Cơ quan chuyển đơn", "Nơi chuyển đơn", "Cơ quan chuyển đến"),
        max_length=300,
    ),
    Column(
        "sender_document_number",
        _("Sending body's document number"),
        TEXT,
        help=_("The number of the sending body's letter."),
        example="",
        aliases=("Số văn bản chuyển đơn", "Số công văn chuyển"),
        max_length=60,
    ),
    Column(
        "decision_known_on",
        _("Date the decision or act became known"),
        DATE,
        help=_("For a complaint: when the petitioner learnt of the decision complained about."),
        example=None,
        aliases=("Ngày biết quyết định", "Ngày nhận được quyết định"),
    ),
    Column(
        "round",
        _("Round"),
        INTEGER,
        help=_("1 for a first complaint or denunciation, 2 for a second complaint; empty means 1."),
        example=1,
        aliases=("Lần khiếu nại", "Lần", "Khiếu nại lần"),
        min_value=1,
    ),
    Column(
        "repeat",
        _("Case already in hand"),
        BOOLEAN,
        help=_("The petition is about a case the unit was already handling."),
        example=False,
        aliases=("Đơn trùng", "Vụ việc đang giải quyết", "Đơn tái diễn"),
    ),
    Column(
        "complex",
        _("Complex case"),
        BOOLEAN,
        help=_("The case is complex (longer resolution periods)."),
        example=False,
        aliases=("Vụ việc phức tạp",),
    ),
    Column(
        "remote",
        _("Remote or hard-to-reach area"),
        BOOLEAN,
        help=_("The petitioner lives in a remote or hard-to-reach area (longer periods)."),
        example=False,
        aliases=("Vùng sâu, vùng xa", "Vùng khó khăn"),
    ),
    Column(
        "handling",
        _("Processing"),
        CHOICE,
        choices=dict(Handling.choices),
        help=_(
            "How processing ended (accepted, guided, transferred, urged, filed, withdrawn); empty if not yet."
        ),
        example=Handling.ACCEPTED,
        aliases=("Kết quả xử lý đơn", "Hướng xử lý", "Xử lý đơn", "Kết quả xử lý"),
        choice_aliases={
            Handling.ACCEPTED: ("Thụ lý", "Thụ lý để giải quyết", "Thụ lý giải quyết"),
            Handling.GUIDED: ("Hướng dẫn", "Đã hướng dẫn"),
            Handling.TRANSFERRED: ("Chuyển đơn", "Chuyển", "Đã chuyển đơn"),
            Handling.URGED: ("Đôn đốc",),
            Handling.FILED: ("Lưu đơn", "Lưu", "Xếp lưu"),
            Handling.WITHDRAWN: ("Rút đơn", "Đã rút đơn"),
        },
    ),
    Column(
        "processed_on",
        _("Date processed"),
        DATE,
        help=_("The day processing ended (for an accepted petition, the day it was accepted)."),
        example=date(2016, 3, 14),
        aliases=("Ngày xử lý", "Ngày xử lý đơn", "Ngày thụ lý"),
    ),
    Column(
        "eligible",
        _("Eligible for processing"),
        BOOLEAN,
        help=_("Empty follows the processing: filed petitions are not eligible, others are."),
        example=True,
        aliases=("Đủ điều kiện xử lý", "Đơn đủ điều kiện"),
    ),
    Column(
        "ineligible_reason",
        _("Reason not eligible"),
        CHOICE,
        choices=dict(IneligibleReason.choices),
        help=_("Why the petition is not eligible, when it is not."),
        example=None,
        aliases=("Lý do không đủ điều kiện", "Lý do lưu đơn"),
        choice_aliases={
            IneligibleReason.ANONYMOUS: ("Nặc danh", "Đơn nặc danh"),
            IneligibleReason.NO_SIGNATURE: ("Không có chữ ký", "Không ký tên"),
            IneligibleReason.NO_NAME_ADDRESS: ("Không rõ họ tên, địa chỉ", "Không rõ địa chỉ"),
            IneligibleReason.UNCLEAR: ("Không rõ nội dung",),
            IneligibleReason.ALREADY_DECIDED: ("Đã được giải quyết", "Đã giải quyết"),
            IneligibleReason.COURT: ("Tòa án đã thụ lý",),
        },
    ),
    Column(
        "target_name",
        _("Body guided or transferred to"),
        TEXT,
        help=_("The competent body the petitioner was guided to or the petition sent to."),
        example=None,
        aliases=("Cơ quan có thẩm quyền", "Chuyển đến", "Hướng dẫn đến", "Nơi chuyển đơn đến"),
        max_length=300,
    ),
    Column(
        "target_document_number",
        _("Transfer slip or letter number"),
        TEXT,
        help=_("The number of the transfer slip, guidance or urging letter."),
        example=None,
        aliases=("Số phiếu chuyển", "Số văn bản hướng dẫn", "Số công văn đôn đốc"),
        max_length=60,
    ),
    Column(
        "reply_on",
        _("Date of the reply"),
        DATE,
        help=_("When the body the petition was transferred to or urged replied."),
        example=None,
        aliases=("Ngày nhận văn bản trả lời", "Ngày trả lời"),
    ),
    Column(
        "reply_summary",
        _("Reply"),
        LONG_TEXT,
        help=_("What the reply says."),
        example=None,
        aliases=("Nội dung trả lời", "Kết quả trả lời"),
    ),
    Column(
        "decision_number",
        _("Decision number"),
        TEXT,
        help=_("The number of the decision or conclusion that resolved the petition."),
        example="25/QĐ-UBND",
        aliases=("Số quyết định", "Số QĐ", "Số quyết định/kết luận"),
        max_length=60,
    ),
    Column(
        "decision_on",
        _("Decision date"),
        DATE,
        help=_("The day of the decision or conclusion: the petition is resolved then."),
        example=date(2016, 4, 20),
        aliases=("Ngày quyết định", "Ngày ban hành quyết định", "Ngày giải quyết"),
    ),
    Column(
        "decision_signer",
        _("Signed by"),
        TEXT,
        help=_("Who signed the decision or conclusion."),
        example="Phạm Văn Bình",
        aliases=("Người ký", "Người ký quyết định"),
        max_length=200,
    ),
    Column(
        "outcome",
        _("Outcome"),
        CHOICE,
        choices=dict(Outcome.choices),
        help=_("The result of the resolution; required with a decision date."),
        example=Outcome.COMPLAINT_PARTLY,
        aliases=("Kết quả giải quyết", "Kết luận"),
    ),
    Column(
        "on_time",
        _("Resolved on time"),
        BOOLEAN,
        help=_("Whether the decision came within the legal time limit; empty: computed from the rules."),
        example=True,
        aliases=("Đúng hạn", "Giải quyết đúng hạn", "Trong thời hạn"),
    ),
    Column(
        "withdrawn_on",
        _("Date withdrawn"),
        DATE,
        help=_("The day the petitioner withdrew the petition, which ends it."),
        example=None,
        aliases=("Ngày rút đơn", "Rút đơn ngày"),
    ),
    Column(
        "money_recovered",
        _("Money recommended for recovery (million VND)"),
        DECIMAL,
        help=_("Money recommended for recovery to the State, in million VND."),
        example=Decimal("0"),
        aliases=("Kiến nghị thu hồi tiền", "Thu hồi cho Nhà nước (tiền)"),
        min_value=0,
    ),
    Column(
        "land_recovered",
        _("Land recommended for recovery (m²)"),
        DECIMAL,
        help=_("Land recommended for recovery to the State, in square metres."),
        example=Decimal("0"),
        aliases=("Kiến nghị thu hồi đất", "Thu hồi cho Nhà nước (đất)"),
        min_value=0,
    ),
    Column(
        "money_returned",
        _("Money returned (million VND)"),
        DECIMAL,
        help=_("Money returned to organisations and individuals, in million VND."),
        example=Decimal("12.5"),
        aliases=("Trả lại tiền", "Trả lại cho tổ chức, cá nhân (tiền)"),
        min_value=0,
    ),
    Column(
        "land_returned",
        _("Land returned (m²)"),
        DECIMAL,
        help=_("Land returned to organisations and individuals, in square metres."),
        example=Decimal("0"),
        aliases=("Trả lại đất", "Trả lại cho tổ chức, cá nhân (đất)"),
        min_value=0,
    ),
    Column(
        "people_restored",
        _("Individuals whose rights were restored"),
        INTEGER,
        help=_("How many individuals had their rights restored."),
        example=1,
        aliases=("Số người được bảo vệ quyền lợi", "Khôi phục quyền lợi"),
        min_value=0,
    ),
    Column(
        "people_sanctioned",
        _("People recommended for sanctions"),
        INTEGER,
        help=_("How many people were recommended for administrative sanctions."),
        example=0,
        aliases=("Kiến nghị xử lý hành chính", "Số người bị xử lý"),
        min_value=0,
    ),
    Column(
        "cases_to_investigation",
        _("Cases passed to the investigating agency"),
        INTEGER,
        help=_("How many cases were passed to the investigating agency."),
        example=0,
        aliases=("Chuyển cơ quan điều tra",),
        min_value=0,
    ),
)


# ---- key ----------------------------------------------------------------------------------------


def petition_key(row: Row) -> tuple:
    """(unit id, year, number): the receipt number is unique per unit and year."""
    unit = row.get("unit")
    parsed = services.parse_receipt_number(row.get("receipt_number"), row.get("received_on"))
    if parsed is None:
        return (getattr(unit, "pk", None), None, str(row.get("receipt_number") or ""))
    number, year = parsed
    return (getattr(unit, "pk", None), year, number)


def existing_petitions(user, keys: Sequence[tuple]) -> set[tuple]:
    """The keys some petition already has, whoever may see it (the number is unique in its unit)."""
    wanted = {key for key in keys if key[0] is not None and key[1] is not None}
    if not wanted:
        return set()
    return keys_found(Petition.objects.all(), ("unit_id", "year", "number"), wanted)


# ---- rules across columns -------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _check_receipt(row: Row, errors: dict) -> None:
    received = row.get("received_on")
    parsed = services.parse_receipt_number(row.get("receipt_number"), received)
    if row.get("receipt_number") and parsed is None:
        errors["receipt_number"] = gettext("Write the receipt number as a number, or number/year (125/2016).")
    elif parsed and received and parsed[1] != received.year:
        errors["receipt_number"] = gettext(
            "The receipt number's year (%(year)s) is not the year received (%(received)s)."
        ) % {"year": parsed[1], "received": received.year}


def _check_content(row: Row, errors: dict) -> None:
    kind, field_value = row.get("kind"), row.get("field")
    if kind in FIELDS_OF_KIND and field_value and field_value not in FIELDS_OF_KIND[kind]:
        errors["field"] = gettext("This field is not one the report forms list for a %(kind)s.") % {
            "kind": str(Kind(kind).label).lower()
        }
    if kind == Kind.COMPLAINT and row.get("anonymous"):
        errors["anonymous"] = gettext("A complaint must name the complainant (Law on Complaints, Art 8).")
    if row.get("channel") in TRANSFER_CHANNELS and not row.get("sender_body"):
        errors["sender_body"] = gettext("Enter the body that sent the petition.")


def _check_person(row: Row, errors: dict) -> None:
    _ident, problems = identity.identity_typed(
        name=row.get("petitioner_name") or "",
        id_number=row.get("petitioner_id_number") or "",
        address=row.get("petitioner_address") or "",
        phone=row.get("petitioner_phone") or "",
    )
    if "id_number" in problems:
        errors["petitioner_id_number"] = str(problems["id_number"])
    if "name" in problems:
        errors["petitioner_name"] = str(problems["name"])
    named = bool(row.get("petitioner_name") or row.get("petitioner_id_number"))
    if not named and not row.get("anonymous"):
        errors["petitioner_name"] = gettext("Enter the petitioner's name, or mark the petition anonymous.")


_STEP_ORDER = (
    (
        "processed_on",
        "received_on",
        _("The date processed is before the date received (%(day)s)."),
    ),
    ("reply_on", "processed_on", _("The reply is dated before the date processed (%(day)s).")),
    (
        "decision_on",
        "processed_on",
        _("The decision is dated before the petition was accepted (%(day)s)."),
    ),
    (
        "withdrawn_on",
        "received_on",
        _("The withdrawal is dated before the date received (%(day)s)."),
    ),
)
_DATES = ("received_on", "processed_on", "reply_on", "decision_on", "withdrawn_on")


def _check_dates(row: Row, errors: dict) -> None:
    """Each step's day comes after the one before it, and none is in the future."""
    received = row.get("received_on")
    today = timezone.localdate()
    for name, before, message in _STEP_ORDER:
        value, earlier = row.get(name), row.get(before)
        if value and earlier and value < earlier:
            errors.setdefault(name, str(message) % {"day": _day(earlier)})
    for name in _DATES:
        if row.get(name) and row[name] > today:
            errors.setdefault(name, gettext("The date cannot be in the future."))
    known = row.get("decision_known_on")
    if known and received and known > received:
        errors["decision_known_on"] = gettext(
            "The decision cannot become known after the petition was received."
        )


def _check_handling(row: Row, errors: dict) -> None:
    handling = row.get("handling") or ""
    if handling and handling != Handling.WITHDRAWN and not row.get("processed_on"):
        errors["processed_on"] = gettext("Enter the date the petition was processed.")
    if not handling and row.get("processed_on"):
        errors["handling"] = gettext("Say how the petition was processed on that date.")
    if handling == Handling.WITHDRAWN and not row.get("withdrawn_on"):
        errors["withdrawn_on"] = gettext("Enter the date the petition was withdrawn.")
    if row.get("withdrawn_on") and handling not in ("", Handling.ACCEPTED, Handling.WITHDRAWN):
        errors["withdrawn_on"] = gettext(
            "Only a petition not yet processed or accepted for resolution is withdrawn."
        )
    if row.get("withdrawn_on") and row.get("decision_on"):
        errors["withdrawn_on"] = gettext("A petition resolved by a decision cannot also be withdrawn.")
    eligible = row.get("eligible")
    if handling == Handling.FILED and eligible:
        errors["eligible"] = gettext("A filed petition is not eligible for processing.")
    if handling in (Handling.ACCEPTED, Handling.URGED) and eligible is False:
        errors["eligible"] = gettext("A petition accepted or urged is eligible for processing.")
    not_eligible = eligible is False or (handling == Handling.FILED and eligible is None)
    if not_eligible and not row.get("ineligible_reason"):
        errors["ineligible_reason"] = gettext("Choose why the petition is not eligible.")
    if handling in (Handling.GUIDED, Handling.TRANSFERRED, Handling.URGED) and not row.get("target_name"):
        errors["target_name"] = gettext("Enter the body the petitioner was guided or the petition sent to.")
    if row.get("reply_on") and handling not in (Handling.TRANSFERRED, Handling.URGED):
        errors["reply_on"] = gettext("Only a petition transferred or urged has a reply.")


def _check_decision(row: Row, errors: dict) -> None:
    decided = row.get("decision_on")
    if decided and row.get("handling") != Handling.ACCEPTED:
        errors["decision_on"] = gettext("Only a petition accepted for resolution has a decision.")
    if decided and not row.get("outcome"):
        errors["outcome"] = gettext("Enter the outcome of the decision.")
    outcome, kind = row.get("outcome"), row.get("kind")
    if outcome and not decided:
        errors["outcome"] = gettext("An outcome needs the decision date.")
    elif outcome and kind in Kind.values and outcome not in outcomes_for(kind, row.get("round") or 1):
        errors["outcome"] = gettext("Choose an outcome that fits this kind of petition.")
    results = [name for name in (*MONEY, *PEOPLE) if row.get(name)]
    if results and not decided:
        errors[results[0]] = gettext("Results come with the decision: enter its date.")


def check_petition(row: Row) -> dict[str, str]:
    """The rules of intake and of each lifecycle step that a register row must meet."""
    errors: dict[str, str] = {}
    for rule in (
        _check_receipt,
        _check_content,
        _check_person,
        _check_dates,
        _check_handling,
        _check_decision,
    ):
        rule(row, errors)
    signers = row.get("signer_count")
    if signers is not None and signers < 1:
        errors["signer_count"] = gettext("At least one person signs a petition.")
    return errors


# ---- export -------------------------------------------------------------------------------------


def _or_none(value):
    return value if value not in ("", None) else None


def _petition_row(petition: Petition, person, reveal: bool) -> Row:
    withdrawn = petition.closed_on if petition.status == Status.WITHDRAWN else None
    decided = petition.status == Status.RESOLVED
    row: Row = {
        "unit": petition.unit,
        "receipt_number": petition.receipt_number,
        "received_on": petition.received_on,
        "channel": petition.channel,
        "kind": petition.kind,
        "field": petition.field,
        "content": petition.content,
        "subject": _or_none(petition.subject),
        "signer_count": petition.signer_count,
        "anonymous": petition.anonymous,
        "has_original_documents": petition.has_original_documents,
        "sender_body": _or_none(petition.sender_body),
        "sender_document_number": _or_none(petition.sender_document_number),
        "decision_known_on": petition.decision_known_on,
        "round": petition.round,
        "repeat": petition.is_repeat,
        "complex": petition.complex,
        "remote": petition.remote,
        "handling": _or_none(petition.handling),
        "processed_on": petition.processed_on,
        "eligible": petition.eligible,
        "ineligible_reason": _or_none(petition.ineligible_reason),
        "target_name": _or_none(petition.target_name),
        "target_document_number": _or_none(petition.target_document_number),
        "reply_on": petition.reply_on,
        "reply_summary": _or_none(petition.reply_summary),
        "decision_number": _or_none(petition.decision_number),
        "decision_on": petition.decision_on,
        "decision_signer": _or_none(petition.decision_signer),
        "outcome": _or_none(petition.outcome),
        "on_time": petition.on_time if decided else None,
        "withdrawn_on": withdrawn,
    }
    for name in MONEY:
        row[name] = getattr(petition, name) if decided else None
    for name in PEOPLE:
        row[name] = getattr(petition, name) if decided else None
    ident = identity.identity_of(person) if person is not None and reveal else None
    row["petitioner_name"] = _or_none(ident.name) if ident else None
    row["petitioner_address"] = _or_none(ident.address) if ident else None
    row["petitioner_id_number"] = _or_none(ident.id_number) if ident else None
    row["petitioner_phone"] = _or_none(ident.phone) if ident else None
    return row


def export_petitions(query: ExportQuery) -> Iterator[Row]:
    """The register of the query's unit and the units below it, for the period, as rows. A protected
    petitioner's identity is left empty for users not entitled to it; for those entitled, each
    petition shown is logged in the audit trail (as `services.identity_reveal` logs a showing)."""
    return rows_with_identities(
        query.user,
        selectors.petitions_for_export(query.user, query.unit, query.first, query.last),
        people_of=selectors.main_petitioners,
        entitled_among=selectors.identity_entitled_among,
        row_of=_petition_row,
        action="petition.identity_view",
        size=EXPORT_CHUNK,
    )


def _queue_index(batch) -> None:
    tasks.index_imported.enqueue(batch.pk)


PETITIONS = RecordType(
    code="petitions",
    label=_("Petitions"),
    description=_(
        "The petition register: one row per petition, from its receipt to its processing and resolution."
    ),
    columns=COLUMNS,
    natural_key=("unit", "receipt_number"),
    key=petition_key,
    existing=existing_petitions,
    check=check_petition,
    write=services.petitions_import,
    rollback=services.petitions_import_rollback,
    export=export_petitions,
    committed=_queue_index,
    action=INTAKE,
    model=Petition,
    date_column="received_on",
    order=20,
)

register(PETITIONS)
