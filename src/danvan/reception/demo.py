"""Demo data of citizen reception: about six months of reception at the demo ward (Phường Hoa Lư)
and at the province's People's Committee, recorded through the services as the desk would.

What it shows: the places and their regular hours; the heads' duties (the ward chairman weekly, the
ward Party secretary twice a month, the province chairman monthly); regular sessions on most
working days; the chairman's periodic sessions, mostly in person, some delegated to a named
vice-chairman while the rule data allow it (before 1 July 2026), one online after that date, one
cancelled with its reason and one week simply missed; an ad hoc session for a crowd; visits with
every outcome (answered on the spot, accepted, guided, transferred, lower level urged, refused on a
legal ground), a crowd of seven with two representatives, a case received a third time, a
denunciation whose denouncer is protected, matters split into several petitions, answers given and
answers overdue; notices of conclusions with tasks done and open; and published sessions to come,
one of them published late.

Everything is dated relative to `today`, so the demo looks alive whenever it is started. It runs
once: when the ward already has reception sessions, it only refreshes its demo user's password.
"""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.calendar import WorkingCalendar, add_working_days
from danvan.core.demo_registry import register
from danvan.core.selectors import working_calendar
from danvan.petitions import services as petition_services
from danvan.petitions.models import Kind, Petition, Status
from danvan.units.demo import COMMUNE, PROVINCE, STORY_CITY, _ensure_user, _unit
from danvan.units.models import Role, RoleScope, Unit

from . import rules, services
from .models import (
    ANSWER_OWED,
    AnswerKind,
    Duty,
    Mode,
    Outcome,
    Position,
    Presider,
    RefusalGround,
    Session,
    SessionKind,
    Trigger,
    Visit,
)
from .services import DirectiveInput, SessionInput, VisitInput, VisitorInput, VisitPart

MONTHS = 6  # the history starts on the first day of the month six months before today's
ANSWERED_AFTER_DAYS = 12  # owed answers older than this were given, except the overdue examples

WARD_CHAIRMAN = "Nguyễn Hữu Trưởng"  # the `chairman` user of petitions.demo
WARD_VICE = ("Phạm Thị Thu Hà", "Phó Chủ tịch UBND phường")
WARD_SECRETARY = "Trịnh Văn Thành"
PROVINCE_CHAIRMAN = "Phạm Văn Lãnh"  # the `leader` user of units.demo
PROVINCE_VICE = ("Đoàn Minh Khôi", "Phó Chủ tịch UBND tỉnh")

WARD_ATTENDEES = (
    "Văn phòng HĐND và UBND phường; Phòng Kinh tế, Hạ tầng và Đô thị; "
    "Ủy ban MTTQ Việt Nam phường; Công an phường"
)
PROVINCE_ATTENDEES = (
    "Ban Tiếp công dân tỉnh; Thanh tra tỉnh; Sở Nông nghiệp và Môi trường; Sở Xây dựng; "
    "đại diện Văn phòng Tỉnh ủy và Ủy ban Kiểm tra Tỉnh ủy"
)
REGULAR_HOURS = (
    "Sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ 00, từ thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ, Tết)"
)
CHAIRMAN_AGENDA = (
    "Tiếp công dân định kỳ của Chủ tịch UBND: khiếu nại, tố cáo, kiến nghị về đất đai, "
    "bồi thường, chính sách xã hội"
)
SECRETARY_AGENDA = (
    "Tiếp công dân định kỳ của Bí thư Đảng ủy phường: kiến nghị, phản ánh về tổ chức đảng, "
    "đảng viên và công tác xây dựng Đảng ở cơ sở"
)


def period_start(today: date) -> date:
    """The first day of the demo's history: the first of the month `MONTHS` months before today's."""
    months = today.year * 12 + today.month - 1 - MONTHS
    return date(months // 12, months % 12 + 1, 1)


# ---- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    address: str
    phone: str = ""

    def visitor(self, representative: bool = False) -> VisitorInput:
        return VisitorInput(
            name=self.name,
            id_number=self.id_number,
            address=self.address,
            phone=self.phone,
            representative=representative,
        )


def _cccd(province: str, female: bool, born: int, serial: int) -> str:
    """A 12-digit citizen ID: province code, sex-and-century digit, year of birth, serial."""
    return f"{province}{int(female) + (2 if born >= 2000 else 0)}{born % 100:02d}{serial:06d}"


def _resident(i: int, name: str, female: bool, born: int, address: str, phone: str = "") -> Person:
    return Person(
        name, _cccd("037", female, born, 201100 + i), f"{address}, phường Hoa Lư, tỉnh Ninh Bình", phone
    )


WARD_PEOPLE = [
    _resident(1, "Nguyễn Văn Hùng", False, 1962, "Tổ dân phố 7", "0912 345 178"),
    _resident(2, "Trần Thị Lan", True, 1970, "Số 24 phố Lương Văn Tụy"),
    _resident(3, "Lê Văn Thắng", False, 1958, "Tổ dân phố 9", "0983 210 447"),
    _resident(4, "Phạm Thị Mai", True, 1985, "Số 8 ngõ 31 đường Tràng An"),
    _resident(5, "Hoàng Văn Nam", False, 1976, "Tổ dân phố 4"),
    _resident(6, "Vũ Thị Hằng", True, 1990, "Số 112 đường Trần Hưng Đạo", "0369 118 205"),
    _resident(7, "Đinh Văn Tuấn", False, 1968, "Tổ dân phố 11"),
    _resident(8, "Bùi Thị Thu", True, 1955, "Số 5 phố Vân Giang"),
    _resident(9, "Ngô Thị Hạnh", True, 1981, "Tổ dân phố 2"),
    _resident(10, "Dương Văn Sơn", False, 1973, "Số 47 đường Đinh Tiên Hoàng"),
    _resident(11, "Mai Thị Huệ", True, 1964, "Tổ dân phố 6"),
    _resident(12, "Cao Văn Đức", False, 1987, "Số 19 phố Hải Thượng Lãn Ông", "0868 402 913"),
]
# Everyday visitors: 59 residents made up of common family and given names (a prime number of them,
# so that a resident who comes twice comes about something else).
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Đinh",
    "Tạ",
]
MALE_NAMES = [
    "Văn Hải",
    "Đức Thịnh",
    "Văn Bảo",
    "Ngọc Sơn",
    "Minh Tuấn",
    "Văn Long",
    "Quang Huy",
    "Xuân Trường",
]
FEMALE_NAMES = [
    "Thị Loan",
    "Thị Nga",
    "Thu Trang",
    "Thị Yến",
    "Thị Oanh",
    "Thị Dung",
    "Thị Hồng",
    "Thị Phượng",
]
STREETS = ["Tổ dân phố {n}", "Số {n} phố Lương Văn Tụy", "Số {n} đường Trần Hưng Đạo", "Số {n} phố Vân Giang"]


def _everyday(i: int) -> Person:
    female = i % 2 == 1
    given = (FEMALE_NAMES if female else MALE_NAMES)[(i // 2) % 8]
    n = 1 + i % 18 if i % 4 == 0 else 3 + (i * 13) % 150
    return _resident(
        100 + i,
        f"{FAMILY_NAMES[i % 13]} {given}",
        female,
        1948 + (i * 11) % 50,
        STREETS[i % 4].format(n=n),
        f"09{(i * 37 + 12) % 90 + 10} {(i * 389 + 101) % 900 + 100} {(i * 571 + 203) % 900 + 100}"
        if i % 3 == 0
        else "",
    )


RESIDENTS = [_everyday(i) for i in range(59)]
# The citizen who comes back three times about the same plot of land.
REPEAT_PERSON = _resident(20, "Lương Văn Khải", False, 1951, "Tổ dân phố 3", "0904 377 512")
# A denouncer: the services seal the identity; it is shown only to those entitled.
DENOUNCER = _resident(21, "Tạ Thị Ngọc", True, 1979, "Tổ dân phố 5", "0977 061 338")
# The complainant of petitions.demo whose complaint was resolved, and who comes back about it.
RESOLVED_COMPLAINANT = Person("Trần Thị Hoa", "037190004567", "Phố Lê Lợi, phường Hoa Lư")
# Seven households of residential group 9 affected by the widening of Tràng An road; the first two
# are their chosen representatives (Luật Tiếp công dân Art 29: 5–10 people choose 1 or 2).
CROWD = [
    WARD_PEOPLE[2],
    _resident(30, "Phan Văn Tài", False, 1966, "Tổ dân phố 9"),
    _resident(31, "Trịnh Thị Hương", True, 1972, "Tổ dân phố 9"),
    _resident(32, "Đỗ Văn Quang", False, 1960, "Tổ dân phố 9"),
    _resident(33, "Lã Thị Nhung", True, 1983, "Tổ dân phố 9"),
    _resident(34, "Nguyễn Văn Toàn", False, 1979, "Tổ dân phố 9"),
    _resident(35, "Hà Thị Yến", True, 1969, "Tổ dân phố 9"),
]
PROVINCE_PEOPLE = [
    Person(
        "Nguyễn Thị Thoa", _cccd("037", True, 1967, 301201), "Thôn Đông Đoài, xã Gia Viễn, tỉnh Ninh Bình"
    ),
    Person("Trần Văn Hậu", _cccd("036", False, 1959, 301202), "Số 14 đường Hùng Vương, phường Nam Định"),
    Person("Vũ Văn Khánh", _cccd("035", False, 1975, 301203), "Tổ dân phố Châu Giang, phường Phủ Lý"),
    Person("Đặng Thị Liên", _cccd("037", True, 1988, 301204), "Xóm 6, xã Kim Sơn, tỉnh Ninh Bình"),
    Person("Phùng Văn Lộc", _cccd("037", False, 1963, 301205), "Tổ dân phố 3, phường Tam Điệp"),
    Person("Hoàng Thị Xuân", _cccd("036", True, 1971, 301206), "Xóm Trung, xã Hải Hậu, tỉnh Ninh Bình"),
    Person("Lê Đình Chiến", _cccd("037", False, 1980, 301207), "Thôn Yên Thổ, xã Yên Khánh, tỉnh Ninh Bình"),
]


# ---- matters --------------------------------------------------------------------------------

C, D, R, F = Kind.COMPLAINT, Kind.DENUNCIATION, Kind.RECOMMENDATION, Kind.FEEDBACK


@dataclass(frozen=True)
class Matter:
    """A matter as told at the desk (its first content, and any more of other kinds), with what the
    receiving officer did about it."""

    kind: str
    field: str
    content: str
    outcome: str
    note: str = ""  # what was answered or explained
    target: str = ""  # the body guided or transferred to
    document: str = ""  # "HD" guidance letter, "PC" transfer slip, "CV" letter: numbered as they come
    requests: str = ""
    earlier: str = ""
    petitions: bool = False
    more: tuple[tuple[str, str, str], ...] = ()

    @property
    def parts(self) -> list[VisitPart]:
        first = (self.kind, self.field, self.content)
        return [VisitPart(kind=k, field=f, content=c) for k, f, c in (first, *self.more)]


# What comes to the ward's desk day after day, in turn.
WARD_MATTERS = [
    Matter(
        F,
        "other",
        "Phản ánh đèn chiếu sáng trên phố Lương Văn Tụy hỏng nhiều ngày, đi lại ban đêm mất an toàn.",
        Outcome.ANSWERED,
        note="Đã ghi nhận; giao tổ dân phố phối hợp đơn vị quản lý chiếu sáng kiểm tra, sửa chữa trong tuần.",
    ),
    Matter(
        R,
        "policy",
        "Đề nghị hướng dẫn thủ tục hưởng chế độ thờ cúng liệt sĩ cho thân nhân.",
        Outcome.ANSWERED,
        note="Hướng dẫn hồ sơ theo Nghị định 131/2021/NĐ-CP; nộp tại Trung tâm Phục vụ hành chính công.",
    ),
    Matter(
        C,
        "judicial",
        "Khiếu nại việc chậm thi hành bản án dân sự chia thừa kế quyền sử dụng đất, đề nghị cưỡng chế.",
        Outcome.GUIDED,
        note="Việc thi hành án dân sự không thuộc thẩm quyền của UBND phường.",
        target="Thi hành án dân sự tỉnh Ninh Bình",
        document="HD",
    ),
    Matter(
        F,
        "land",
        "Phản ánh hộ gia đình ở tổ dân phố 4 xây tường rào lấn chiếm lối đi chung của năm hộ liền kề.",
        Outcome.ACCEPTED,
        requests="Đề nghị kiểm tra, buộc tháo dỡ phần lấn chiếm.",
        petitions=True,
    ),
    Matter(
        R,
        "other",
        "Kiến nghị cấp nước sạch ổn định cho các hộ cuối tuyến tổ dân phố 11, nước yếu vào giờ cao điểm.",
        Outcome.TRANSFERRED,
        target="Công ty cổ phần Nước sạch Ninh Bình",
        document="PC",
    ),
    Matter(
        C,
        "policy",
        "Khiếu nại việc gia đình không được công nhận hộ cận nghèo năm 2026 dù thu nhập dưới chuẩn.",
        Outcome.ACCEPTED,
        requests="Đề nghị rà soát lại kết quả bình xét của tổ dân phố.",
        petitions=True,
    ),
    Matter(
        F,
        "policy",
        "Phản ánh công chức bộ phận một cửa hướng dẫn hồ sơ không đầy đủ, phải đi lại nhiều lần.",
        Outcome.ANSWERED,
        note="Tiếp thu; đã báo cáo lãnh đạo UBND phường chấn chỉnh, hướng dẫn bổ sung hồ sơ một lần.",
    ),
    Matter(
        R,
        "land",
        "Đề nghị cung cấp thông tin quy hoạch sử dụng đất khu vực tổ dân phố 9.",
        Outcome.ANSWERED,
        note="Cung cấp bản đồ quy hoạch đã công khai tại trụ sở và trên cổng thông tin điện tử phường.",
    ),
    Matter(
        F,
        "other",
        "Phản ánh cơ sở karaoke trên đường Trần Hưng Đạo hoạt động quá 24 giờ, gây ồn ào.",
        Outcome.TRANSFERRED,
        target="Công an phường Hoa Lư",
        document="PC",
    ),
    Matter(
        C,
        "land",
        "Khiếu nại việc UBND phường chưa giải quyết hồ sơ đề nghị tách thửa đất ở nộp từ tháng trước.",
        Outcome.ACCEPTED,
        earlier="Trung tâm Phục vụ hành chính công phường đã có phiếu hẹn",
        petitions=True,
    ),
    Matter(
        R,
        "policy",
        "Hỏi về chế độ bảo hiểm y tế đối với người từ đủ 75 tuổi đang hưởng trợ cấp tuất.",
        Outcome.GUIDED,
        target="Bảo hiểm xã hội tỉnh Ninh Bình",
        document="HD",
    ),
    Matter(
        C,
        "policy",
        "Khiếu nại về mức hưởng lương hưu sau khi chuyển vùng công tác.",
        Outcome.GUIDED,
        note="Chế độ hưu trí do cơ quan bảo hiểm xã hội giải quyết.",
        target="Bảo hiểm xã hội tỉnh Ninh Bình",
        document="HD",
    ),
]
# What comes to the provincial reception office.
PROVINCE_MATTERS = [
    Matter(
        C,
        "land",
        "Khiếu nại quyết định giải quyết khiếu nại lần đầu của Chủ tịch UBND xã về bồi thường khi thu hồi "
        "đất làm đường giao thông nông thôn.",
        Outcome.ACCEPTED,
        earlier="Chủ tịch UBND xã đã giải quyết lần đầu",
        petitions=True,
    ),
    Matter(
        C,
        "land",
        "Khiếu nại việc UBND phường chậm giải quyết đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất "
        "đã quá thời hạn.",
        Outcome.URGED,
        note="Vụ việc thuộc thẩm quyền của Chủ tịch UBND phường.",
        target="Ủy ban nhân dân phường Hoa Lư",
        document="CV",
    ),
    Matter(
        R,
        "policy",
        "Kiến nghị về chính sách hỗ trợ người lao động mất việc do doanh nghiệp may ngừng hoạt động.",
        Outcome.GUIDED,
        target="Sở Nội vụ tỉnh Ninh Bình",
        document="HD",
    ),
    Matter(
        F,
        "other",
        "Phản ánh ô nhiễm khói bụi, nước thải từ cơ sở sản xuất trong cụm công nghiệp gần khu dân cư.",
        Outcome.TRANSFERRED,
        target="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        document="PC",
    ),
    Matter(
        C,
        "policy",
        "Khiếu nại về chế độ đối với cán bộ không chuyên trách nghỉ việc do sắp xếp đơn vị hành chính.",
        Outcome.ANSWERED,
        note="Giải thích chính sách theo Nghị định 178/2024/NĐ-CP và hướng dẫn của tỉnh; công dân đồng ý.",
    ),
]
SECRETARY_MATTER = Matter(
    R,
    "other",
    "Kiến nghị chi bộ tổ dân phố sinh hoạt định kỳ đúng quy định và công khai thu, chi quỹ tổ dân phố.",
    Outcome.ANSWERED,
    note="Bí thư Đảng ủy phường tiếp thu, giao Văn phòng Đảng ủy nhắc nhở chi bộ thực hiện.",
)
LAND_CERTIFICATE = (
    "Khiếu nại việc UBND phường chưa cấp giấy chứng nhận quyền sử dụng đất cho thửa đất số 215, "
    "tờ bản đồ số 12, tổ dân phố 3, dù hồ sơ nộp từ tháng 9 năm 2024."
)


# ---- dates ----------------------------------------------------------------------------------


def _week_day(monday: date, weekday: int, cal: WorkingCalendar) -> date | None:
    """The preferred weekday of a week, or the nearest working day of that week (None in Tết)."""
    for offset in (0, 1, -1, 2, -2, 3, -3, 4, -4):
        day = monday + timedelta(days=weekday + offset)
        if monday <= day < monday + timedelta(days=5) and cal.is_working_day(day):
            return day
    return None


def _on_or_after(day: date, cal: WorkingCalendar) -> date:
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


# ---- the builder ----------------------------------------------------------------------------


@dataclass
class _Builder:
    today: date
    ward: Unit
    agency: Unit
    users: dict
    numbers: Tally = field(default_factory=Tally)
    owed: list[Visit] = field(default_factory=list)  # visits after which an answer is owed
    overdue: set[int] = field(default_factory=set)  # visits left unanswered on purpose

    def __post_init__(self) -> None:
        self.first = period_start(self.today)
        self.cal = working_calendar(self.first.year, self.today.year + 1)
        self.book = services.rule_book()
        self.clerk, self.handler = self.users["clerk"], self.users["handler"]
        self.chairman, self.leader = self.users["chairman"], self.users["leader"]
        self.provclerk, self.inspector = self.users["provclerk"], self.users["inspector"]

    def is_ward(self, unit_id: int) -> bool:
        return unit_id == self.ward.pk

    def recorder(self, unit_id: int):
        return self.clerk if self.is_ward(unit_id) else self.provclerk

    def day(self, days_ago: int) -> date:
        return _on_or_after(self.today - timedelta(days=days_ago), self.cal)

    def document(self, prefix: str, unit_id: int) -> str:
        self.numbers[(prefix, unit_id)] += 1
        n = self.numbers[(prefix, unit_id)]
        if prefix == "HD":
            return f"Văn bản hướng dẫn số {n}/HD-TCD"
        if prefix == "PC":
            return f"Phiếu chuyển đơn số {n}/PC-{'UBND' if self.is_ward(unit_id) else 'BTCD'}"
        return f"Công văn số {80 + n}/BTCD-TCD"

    def working_days(self, first: date, last: date) -> list[date]:
        days, day = [], first
        while day <= last:
            if self.cal.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def may_delegate(self, day: date) -> bool:
        rule = self.book.delegation(day)
        return rule is None or bool(rule.value)

    # ---- places and duties ------------------------------------------------------------------

    def places_and_duties(self) -> None:
        self.ward_place = services.place_save(
            actor=self.chairman,
            unit_id=self.ward.pk,
            name="Phòng tiếp công dân, Trụ sở HĐND và UBND phường Hoa Lư",
            address="Số 2 đường Đinh Tiên Hoàng, phường Hoa Lư, tỉnh Ninh Bình",
            regular_hours=REGULAR_HOURS,
        )
        self.province_place = services.place_save(
            actor=self.leader,
            unit_id=self.agency.pk,
            name="Trụ sở Tiếp công dân tỉnh Ninh Bình",
            address="Đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình",
            regular_hours=REGULAR_HOURS,
        )
        duties = [
            (self.chairman, self.ward, Position.PC_CHAIRMAN, WARD_CHAIRMAN, self.chairman.pk),
            (self.chairman, self.ward, Position.PARTY_SECRETARY, WARD_SECRETARY, None),
            (self.leader, self.agency, Position.PC_CHAIRMAN, PROVINCE_CHAIRMAN, self.leader.pk),
        ]
        self.ward_chair, self.ward_secretary, self.province_chair = (
            services.duty_save(
                actor=actor,
                unit_id=unit.pk,
                position=position,
                holder_name=name,
                holder_id=holder,
                valid_from=unit.valid_from,
            )
            for actor, unit, position, name, holder in duties
        )

    # ---- sessions ---------------------------------------------------------------------------

    def regular(self, unit: Unit, day: date) -> Session:
        place = self.ward_place if self.is_ward(unit.pk) else self.province_place
        return services.session_open_regular(
            actor=self.recorder(unit.pk), unit_id=unit.pk, day=day, place_id=place.pk, today=self.today
        )

    def scheduled(
        self,
        duty: Duty,
        day: date,
        *,
        mode: str = Mode.IN_PERSON,
        publish: bool = True,
        published_on: date | None = None,
    ) -> Session:
        """A head's periodic session, posted on time unless `published_on` says otherwise (Art 24)."""
        ward = self.is_ward(duty.unit_id)
        actor = self.recorder(duty.unit_id)
        session = services.session_create(
            actor=actor,
            data=SessionInput(
                unit_id=duty.unit_id,
                kind=SessionKind.PERIODIC,
                day=day,
                mode=mode,
                place_id=(self.ward_place if ward else self.province_place).pk,
                starts_at=time(7, 30) if ward else time(8, 0),
                ends_at=time(11, 30),
                duty_id=duty.pk,
                attendees=WARD_ATTENDEES if ward else PROVINCE_ATTENDEES,
                expected_content=(
                    SECRETARY_AGENDA if duty.position == Position.PARTY_SECRETARY else CHAIRMAN_AGENDA
                ),
            ),
            today=self.today,
        ).session
        if publish:
            on = published_on or min(self.today, rules.publish_by(day, self.book, self.cal))
            session = services.session_publish(
                actor=actor, session_id=session.pk, version=session.version, on=on, today=self.today
            ).session
        return session

    def hold(self, session: Session, *, delegate: tuple[str, str] | None = None) -> Session:
        presider: dict[str, str] = {"presider": Presider.HEAD}
        if delegate:
            signed = session.day - timedelta(days=3)
            presider = {
                "presider": Presider.AUTHORISED,
                "presider_name": f"{delegate[0]}, {delegate[1]}",
                "authorisation": f"Giấy ủy quyền số {session.day:%d}/GUQ-UBND ngày {signed:%d/%m/%Y}",
            }
        recording = (
            f"Hệ thống tiếp công dân trực tuyến, bản ghi TCD-{self.ward.code}-{session.day:%Y%m%d}"
            if session.mode == Mode.ONLINE
            else ""
        )
        return services.session_hold(
            actor=self.recorder(session.unit_id),
            session_id=session.pk,
            version=session.version,
            recording=recording,
            today=self.today,
            **presider,
        ).session

    # ---- visits -----------------------------------------------------------------------------

    def visit(
        self,
        session: Session,
        people: list[Person],
        matter: Matter,
        *,
        people_count: int = 0,
        crowd: bool = False,
        representatives: int = 0,
        **extra,
    ) -> services.VisitResult:
        data = VisitInput(
            session_id=session.pk,
            parts=matter.parts,
            outcome=matter.outcome,
            visitors=[p.visitor(representative=i < representatives) for i, p in enumerate(people)],
            people_count=people_count or max(len(people), 1),
            crowd=crowd,
            requests=matter.requests,
            earlier_handling=matter.earlier,
            outcome_note=matter.note,
            target_name=matter.target,
            target_document=self.document(matter.document, session.unit_id) if matter.document else "",
            make_petitions=matter.petitions,
            has_original_documents=matter.petitions,
            **extra,
        )
        result = services.visit_record(actor=self.recorder(session.unit_id), data=data, today=self.today)
        if result.visit.outcome in ANSWER_OWED:
            self.owed.append(result.visit)
        return result

    # ---- the ward ---------------------------------------------------------------------------

    def ward_regular(self) -> None:
        """Regular reception by the staff on three working days out of four, up to yesterday."""
        per_day = (1, 2, 0, 1, 1, 0, 1)
        n = 0
        for k, day in enumerate(self.working_days(self.first, self.today - timedelta(days=1))):
            if k % 4 == 3:
                continue
            session = self.regular(self.ward, day)
            for _ in range(per_day[k % len(per_day)]):
                person = RESIDENTS[n % len(RESIDENTS)]
                self.visit(session, [person], WARD_MATTERS[n % len(WARD_MATTERS)])
                n += 1

    def ward_chairman(self) -> list[Session]:
        """The chairman's weekly reception (Art 15(2)(d)) on Thursdays: the held sessions, oldest first.

        One week is cancelled with its reason, one is simply missed; two early weeks are delegated to
        the vice-chairman while the rule data allow it; one week after 1 July 2026 is held online."""
        monday = self.first + timedelta(days=(7 - self.first.weekday()) % 7)
        days: list[date] = []
        while monday <= self.today + timedelta(days=28):
            day = _week_day(monday, 3, self.cal)
            if day is not None:
                days.append(day)
            monday += timedelta(days=7)
        past = [d for d in days if d <= self.today]
        cancelled = past[9] if len(past) > 9 else None
        missed = past[17] if len(past) > 17 else None
        online = next(
            (d for i, d in enumerate(past) if i >= 12 and d != missed and self.book.online(d)), None
        )
        held: list[Session] = []
        delegated = 0
        for i, day in enumerate(past):
            if day == missed:
                continue  # nothing was scheduled that week: it counts as missed
            session = self.scheduled(
                self.ward_chair, day, mode=Mode.ONLINE if day == online else Mode.IN_PERSON
            )
            if day == cancelled:
                services.session_cancel(
                    actor=self.clerk,
                    session_id=session.pk,
                    version=session.version,
                    reason="Chủ tịch UBND phường trực tiếp chỉ đạo ứng phó mưa lớn, ngập úng ở các tổ dân "
                    "phố ven sông Vân; lịch tiếp sẽ được thông báo lại.",
                    today=self.today,
                )
                continue
            delegate = None
            if i % 3 and delegated < 2 and self.may_delegate(day):
                delegate, delegated = WARD_VICE, delegated + 1
            held.append(self.hold(session, delegate=delegate))
        # The schedule ahead: three weeks posted on time, the fourth not posted yet.
        for i, day in enumerate(d for d in days if d > self.today):
            self.scheduled(self.ward_chair, day, publish=i < 3)
        return held

    def ward_secretary_days(self) -> None:
        """The ward Party secretary: two days a month (QĐ 11-QĐi/TW), but only one in the third month."""
        month, m = self.first, 0
        while month <= self.today:
            for n, start in enumerate((10, 24)):
                day = _on_or_after(month.replace(day=start), self.cal)
                if day > self.today or (m == 2 and n == 1):
                    continue
                session = self.hold(self.scheduled(self.ward_secretary, day))
                if n == 0:
                    self.visit(session, [RESIDENTS[(m * 5 + 40) % len(RESIDENTS)]], SECRETARY_MATTER)
            month, m = (month + timedelta(days=32)).replace(day=1), m + 1
        # Coming up: posted today, only three working days ahead, which is late (Art 24).
        self.scheduled(
            self.ward_secretary, add_working_days(self.today, 3, self.cal), published_on=self.today
        )

    def ward_repeated_case(self, held: list[Session]) -> None:
        """A case received three times: at the desk, then twice at the chairman's reception, who then
        issues a notice of conclusions with a task that is now overdue."""
        first_visit = self.visit(
            self.regular(self.ward, _on_or_after(self.first + timedelta(days=10), self.cal)),
            [REPEAT_PERSON],
            Matter(
                C,
                "land",
                LAND_CERTIFICATE,
                Outcome.ACCEPTED,
                requests="Đề nghị sớm cấp giấy.",
                petitions=True,
            ),
        ).visit
        second_visit = self.visit(
            held[len(held) // 2],
            [REPEAT_PERSON],
            Matter(
                C,
                "land",
                LAND_CERTIFICATE,
                Outcome.ANSWERED,
                note="Chủ tịch UBND phường trả lời: hồ sơ đang chờ kết quả đo đạc lại ranh giới thửa đất; "
                "sẽ trả lời bằng văn bản khi có kết quả.",
            ),
            repeat_of_visit_id=first_visit.pk,
        ).visit
        session = held[-5]
        third_visit = self.visit(
            session,
            [REPEAT_PERSON],
            Matter(
                C,
                "land",
                LAND_CERTIFICATE,
                Outcome.ANSWERED,
                note="Chủ tịch UBND phường kết luận tại buổi tiếp, giao hoàn thiện hồ sơ cấp giấy.",
                earlier="UBND phường đã trả lời tại buổi tiếp định kỳ trước",
            ),
            repeat_of_visit_id=second_visit.pk,
            note="Lần thứ ba đến trình bày cùng một vụ việc.",
        ).visit
        issued = add_working_days(session.day, 1, self.cal)
        if issued > self.today:
            return
        services.conclusion_issue(
            actor=self.chairman,
            session_id=session.pk,
            number=f"{40 + len(held)}/TB-UBND",
            issued_on=issued,
            signer=f"{WARD_CHAIRMAN}, Chủ tịch UBND phường",
            summary="Kết luận của Chủ tịch UBND phường tại buổi tiếp công dân định kỳ: giải quyết dứt điểm "
            "việc cấp giấy chứng nhận quyền sử dụng đất cho ông Lương Văn Khải.",
            directives=[
                DirectiveInput(
                    task="Hoàn thiện hồ sơ, trình cấp giấy chứng nhận quyền sử dụng đất thửa số 215, tờ bản "
                    "đồ số 12; trả lời công dân bằng văn bản.",
                    due_date=add_working_days(issued, 10, self.cal),
                    responsible_name="Phòng Kinh tế, Hạ tầng và Đô thị phường",
                    visit_id=third_visit.pk,
                )
            ],
            today=self.today,
        )

    def ward_stories(self, held: list[Session]) -> None:
        """The visits that show the law at work, placed in the sessions of the period."""
        self.ward_repeated_case(held)
        # A denunciation at the chairman's reception: the denouncer's identity is sealed.
        self.visit(
            held[-7],
            [DENOUNCER],
            Matter(
                D,
                "civil_service",
                "Tố cáo công chức Phòng Kinh tế, Hạ tầng và Đô thị phường gợi ý nhận tiền để xác nhận nhanh "
                "hồ sơ cấp phép sửa chữa nhà ở.",
                Outcome.ACCEPTED,
                requests="Đề nghị giữ bí mật họ tên, địa chỉ người tố cáo.",
                petitions=True,
            ),
        )
        # Matters of several contents: one petition per kind (Art 25(1)).
        self.visit(
            self.regular(self.ward, self.day(45)),
            [WARD_PEOPLE[8]],
            Matter(
                C,
                "policy",
                "Khiếu nại việc không được xét hưởng trợ cấp xã hội hằng tháng cho người khuyết tật nặng.",
                Outcome.ACCEPTED,
                petitions=True,
                more=((R, "other", "Kiến nghị sửa chữa nhà văn hóa tổ dân phố 2 bị dột, xuống cấp."),),
            ),
        )
        self.visit(
            held[-2],
            [WARD_PEOPLE[3], WARD_PEOPLE[11]],
            Matter(
                C,
                "land",
                "Khiếu nại việc xác định giá đất tính tiền sử dụng đất khi chuyển đất vườn sang đất ở.",
                Outcome.ACCEPTED,
                petitions=True,
                more=(
                    (F, "policy", "Phản ánh thủ tục chuyển mục đích sử dụng đất kéo dài, bổ sung nhiều lần."),
                ),
            ),
        )
        # Answers owed and never given: overdue (Art 28(1)).
        for days_ago, person, matter in (
            (
                36,
                WARD_PEOPLE[6],
                Matter(
                    R,
                    "other",
                    "Kiến nghị di dời cột điện hạ thế nằm giữa lối đi ngõ 15 phố Vân Giang.",
                    Outcome.TRANSFERRED,
                    target="Công ty Điện lực Ninh Bình",
                    document="PC",
                ),
            ),
            (
                29,
                WARD_PEOPLE[10],
                Matter(
                    C,
                    "land",
                    "Khiếu nại việc UBND phường không giải quyết tranh chấp lối đi chung giữa hai hộ ở tổ "
                    "dân phố 6 sau buổi hòa giải không thành.",
                    Outcome.ACCEPTED,
                    earlier="Tổ hòa giải tổ dân phố 6 đã hòa giải không thành",
                    petitions=True,
                ),
            ),
        ):
            self.overdue.add(
                self.visit(self.regular(self.ward, self.day(days_ago)), [person], matter).visit.pk
            )
        # Refusals, each on its legal ground (Art 9).
        decided = (
            Petition.objects.filter(unit=self.ward, kind=C, field="policy", status=Status.RESOLVED)
            .exclude(decision_number="")
            .order_by("received_on")
            .first()
        )
        self.visit(
            self.regular(self.ward, self.day(15)),
            [RESOLVED_COMPLAINANT],
            Matter(
                C,
                "policy",
                "Tiếp tục khiếu nại việc không được xét hưởng trợ cấp xã hội hằng tháng cho người cao tuổi.",
                Outcome.REFUSED,
                note="Vụ việc đã được giải quyết đúng pháp luật, đã rà soát và trả lời bằng văn bản.",
                earlier=f"Chủ tịch UBND phường đã giải quyết ({decided.decision_number})" if decided else "",
            ),
            refusal_ground=RefusalGround.RESOLVED,
            refusal_notice="Thông báo từ chối tiếp công dân số 01/TB-TCD",
            repeat_of_petition_id=decided.pk if decided else None,
        )
        self.visit(
            self.regular(self.ward, self.day(75)),
            [WARD_PEOPLE[4]],
            Matter(
                F,
                "other",
                "Phản ánh việc hàng xóm đổ vật liệu xây dựng ra lòng đường.",
                Outcome.REFUSED,
                note="Công dân say rượu, không làm chủ được hành vi; đề nghị trở lại vào buổi tiếp khác.",
            ),
            refusal_ground=RefusalGround.INCAPACITATED,
        )
        # The chairman's other sessions receive what comes to the desk.
        for i, session in enumerate(held):
            if i % 2 == 0:
                person = RESIDENTS[(i * 7 + 30) % len(RESIDENTS)]
                self.visit(session, [person], WARD_MATTERS[(i + 5) % len(WARD_MATTERS)])
        online = next((s for s in held if s.mode == Mode.ONLINE), None)
        if online is not None:
            self.visit(
                online,
                [WARD_PEOPLE[7]],
                Matter(
                    C,
                    "policy",
                    "Khiếu nại việc chậm chi trả trợ cấp người cao tuổi; người cao tuổi đi lại khó khăn "
                    "nên đề nghị được tiếp trực tuyến.",
                    Outcome.ANSWERED,
                    note="Chủ tịch UBND phường trả lời trực tuyến: trợ cấp được chi bổ sung trong kỳ tới.",
                ),
            )

    def ward_crowd(self) -> None:
        """Seven households come together: the chairman receives them ad hoc (Art 18(3), Art 29–30),
        then issues a notice of conclusions with two tasks, one done and one open."""
        day = self.day(50)
        session = services.session_create(
            actor=self.clerk,
            data=SessionInput(
                unit_id=self.ward.pk,
                kind=SessionKind.AD_HOC,
                day=day,
                place_id=self.ward_place.pk,
                starts_at=time(14, 0),
                ends_at=time(16, 30),
                duty_id=self.ward_chair.pk,
                trigger=Trigger.MANY_PEOPLE,
                attendees=f"{WARD_ATTENDEES}; Trung tâm Phát triển quỹ đất tỉnh",
                expected_content="Các hộ dân tổ dân phố 9 khiếu nại phương án bồi thường dự án mở rộng "
                "đường Tràng An.",
                held=True,
                presider=Presider.HEAD,
            ),
            today=self.today,
        ).session
        visit = self.visit(
            session,
            CROWD,
            Matter(
                C,
                "land",
                "Khiếu nại phương án bồi thường, hỗ trợ khi thu hồi đất thực hiện dự án mở rộng đường "
                "Tràng An đoạn qua tổ dân phố 9: đơn giá bồi thường tài sản trên đất thấp hơn thực tế.",
                Outcome.ACCEPTED,
                requests="Đề nghị kiểm đếm lại tài sản, áp dụng đơn giá bồi thường mới.",
                petitions=True,
            ),
            people_count=7,
            crowd=True,
            representatives=2,
        ).visit
        issued = add_working_days(day, 2, self.cal)
        if issued > self.today:
            return
        conclusion = services.conclusion_issue(
            actor=self.chairman,
            session_id=session.pk,
            number="37/TB-UBND",
            issued_on=issued,
            signer=f"{WARD_CHAIRMAN}, Chủ tịch UBND phường",
            summary="Kết luận của Chủ tịch UBND phường tại buổi tiếp đột xuất các hộ dân tổ dân phố 9 về bồi "
            "thường, hỗ trợ dự án mở rộng đường Tràng An.",
            directives=[
                DirectiveInput(
                    task="Kiểm đếm lại tài sản trên đất của bảy hộ, đối chiếu đơn giá bồi thường hiện hành.",
                    due_date=add_working_days(issued, 10, self.cal),
                    responsible_name="Phòng Kinh tế, Hạ tầng và Đô thị phường",
                    visit_id=visit.pk,
                ),
                DirectiveInput(
                    task="Trả lời bằng văn bản các hộ dân về phương án bồi thường điều chỉnh.",
                    due_date=add_working_days(max(issued, self.today), 15, self.cal),
                    responsible_name="Trung tâm Phát triển quỹ đất tỉnh Ninh Bình",
                    visit_id=visit.pk,
                ),
            ],
            today=self.today,
        )
        done = conclusion.directives.order_by("pk").first()
        services.directive_done(
            actor=self.clerk,
            directive_id=done.pk,
            version=done.version,
            done_on=min(add_working_days(issued, 8, self.cal), self.today),
            result="Đã kiểm đếm lại; bổ sung 23 cây ăn quả và một công trình phụ chưa được tính bồi thường.",
            today=self.today,
        )

    def ward_today(self) -> None:
        """On a working day, the desk finds today's regular session open with two visits."""
        if not self.cal.is_working_day(self.today):
            return
        session = self.regular(self.ward, self.today)
        self.visit(session, [WARD_PEOPLE[0]], WARD_MATTERS[0])
        self.visit(session, [WARD_PEOPLE[5]], WARD_MATTERS[5])

    # ---- the province -----------------------------------------------------------------------

    def province(self) -> None:
        """The provincial reception office on one working day in five, and the province chairman's
        monthly reception (Art 12(5)), delegated once while the rule data allow it."""
        n = 0
        for k, day in enumerate(self.working_days(self.first, self.today)):
            if k % 5 == 0:
                person = PROVINCE_PEOPLE[n % len(PROVINCE_PEOPLE)]
                self.visit(
                    self.regular(self.agency, day), [person], PROVINCE_MATTERS[n % len(PROVINCE_MATTERS)]
                )
                n += 1
        month, delegated = self.first, False
        while True:
            day = _on_or_after(month.replace(day=15), self.cal)
            month = (month + timedelta(days=32)).replace(day=1)
            if day > self.today:
                self.scheduled(self.province_chair, day)
                break
            delegate = None
            if not delegated and self.may_delegate(day):
                delegate, delegated = PROVINCE_VICE, True
            session = self.hold(self.scheduled(self.province_chair, day), delegate=delegate)
            self.visit(session, [PROVINCE_PEOPLE[(n + 3) % len(PROVINCE_PEOPLE)]], PROVINCE_MATTERS[0])
            n += 1
        # A denunciation about a Party member, transferred to the Party's inspection commission with
        # the denouncer protected; and a visitor refused for threats.
        day = self.day(40)
        result = self.visit(
            self.regular(self.agency, day),
            [PROVINCE_PEOPLE[3]],
            Matter(
                D,
                "party",
                "Tố cáo đảng viên là cán bộ lãnh đạo xã vi phạm những điều đảng viên không được làm "
                "trong việc xét duyệt hồ sơ hỗ trợ nhà ở.",
                Outcome.TRANSFERRED,
                target="Ủy ban Kiểm tra Tỉnh ủy Ninh Bình",
                document="PC",
                requests="Đề nghị giữ bí mật danh tính người tố cáo.",
                petitions=True,
            ),
        )
        for petition in result.petitions:
            petition_services.petition_transfer(
                actor=self.inspector,
                petition_id=petition.pk,
                version=petition.version,
                on=min(add_working_days(day, 2, self.cal), self.today),
                today=self.today,
                target_name=result.visit.target_name,
                document_number=result.visit.target_document.rsplit(" ", 1)[-1],
            )
        self.visit(
            self.regular(self.agency, self.day(60)),
            [PROVINCE_PEOPLE[4]],
            Matter(
                C,
                "land",
                "Khiếu nại việc thu hồi đất rừng sản xuất giao cho dự án du lịch.",
                Outcome.REFUSED,
                note="Công dân có lời lẽ xúc phạm, đe dọa cán bộ tiếp công dân, không chấp hành nội quy; đã "
                "lập biên bản.",
            ),
            refusal_ground=RefusalGround.THREATENING,
        )

    # ---- afterwards -------------------------------------------------------------------------

    def afterwards(self) -> None:
        """The petitions of older visits accepted by the handler; the citizen told within the time,
        except in the overdue examples (and one urged matter in two)."""
        for visit in self.owed:
            if (self.today - visit.day).days <= ANSWERED_AFTER_DAYS:
                continue
            handler = self.handler if self.is_ward(visit.unit_id) else self.inspector
            for petition in visit.petitions.filter(status=Status.RECEIVED):
                petition_services.petition_accept(
                    actor=handler,
                    petition_id=petition.pk,
                    version=petition.version,
                    on=add_working_days(visit.day, 3, self.cal),
                    today=self.today,
                )
            if visit.pk in self.overdue or (visit.outcome == Outcome.URGED and visit.pk % 2):
                continue
            kind = {
                Outcome.ACCEPTED: AnswerKind.MORE_TIME if visit.pk % 7 == 0 else AnswerKind.ACCEPTED,
                Outcome.TRANSFERRED: AnswerKind.TRANSFERRED,
                Outcome.URGED: AnswerKind.TRANSFERRED,
            }[visit.outcome]
            services.visit_answer(
                actor=self.recorder(visit.unit_id),
                visit_id=visit.pk,
                version=visit.version,
                answered_on=min(add_working_days(visit.day, 3 + visit.pk % 5, self.cal), self.today),
                answer_kind=kind,
                follow_up="Đã thông báo bằng văn bản cho công dân.",
                today=self.today,
            )


def _city_archive(today: date, leader) -> int:
    """Hoa Lư city's regular reception in its time (2013 – June 2025): a day each quarter with two
    visits, so the city's ten-year review tells its citizen reception from records."""
    city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if city is None or Session.objects.filter(unit=city).exists():
        return 0
    cal = working_calendar(2013, today.year)
    n = 0
    for year in range(2013, 2026):
        for quarter in range(4):
            day = _on_or_after(date(year, 1 + quarter * 3, 12), cal)
            if day >= date(2025, 7, 1) or day > today:
                continue
            session = services.session_open_regular(
                actor=leader, unit_id=city.pk, day=day, place_id=None, today=today
            )
            for k in range(2):
                matter = WARD_MATTERS[(year + quarter * 2 + k) % len(WARD_MATTERS)]
                person = RESIDENTS[(year * 4 + quarter * 2 + k) % len(RESIDENTS)]
                services.visit_record(
                    actor=leader,
                    data=VisitInput(
                        session_id=session.pk,
                        parts=matter.parts,
                        outcome=matter.outcome,
                        visitors=[person.visitor()],
                        people_count=1,
                        requests=matter.requests,
                        earlier_handling=matter.earlier,
                        outcome_note=matter.note,
                        target_name=matter.target,
                        target_document=f"{n + 1}/{matter.document}-UBND" if matter.document else "",
                        make_petitions=matter.petitions,
                        has_original_documents=matter.petitions,
                    ),
                    today=today,
                )
                n += 1
    return n


@register(order=30)
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    User = get_user_model()
    ward = _unit(COMMUNE, today)
    province = _unit(PROVINCE, today)
    agency = Unit.objects.get(code="37-UBND", valid_from=province.valid_from)
    credentials = [
        (
            "provclerk",
            _ensure_user("provclerk", "Lương Thị Đón", Role.CLERK, agency, RoleScope.UNIT, today),
            f"reception clerk, {agency.name}",
        )
    ]
    if Session.objects.filter(unit=ward).exists():
        stdout.write("Reception: already there.")
        return credentials
    archived = _city_archive(today, User.objects.get(username="leader"))
    users = {
        name: User.objects.get(username=name)
        for name in ("clerk", "handler", "chairman", "leader", "provclerk", "inspector")
    }
    with transaction.atomic():
        demo = _Builder(today=today, ward=ward, agency=agency, users=users)
        demo.places_and_duties()
        demo.ward_regular()
        held = demo.ward_chairman()
        demo.ward_secretary_days()
        demo.ward_stories(held)
        demo.ward_crowd()
        demo.ward_today()
        demo.province()
        demo.afterwards()
    stdout.write(
        f"Reception: {Session.objects.filter(unit__in=(ward, agency)).count()} sessions, "
        f"{Visit.objects.filter(unit__in=(ward, agency)).count()} visits "
        f"(and {archived} visits in Hoa Lư city's archive)."
    )
    return credentials
