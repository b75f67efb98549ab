"""A month of reception at commune N, recorded through the services, for the reception book tests.

November 2026, one line of every kind of outcome (accepted, guided with the guidance letter,
transferred with the slip, urged, answered on the spot, refused with its ground and notice), a crowd
with its representatives, a visit with two contents, a protected denouncer received by `clerk2`,
and the answer given later to the first matter (its follow-up). Around it, what the book must leave
out: a visit in October and one in another commune.

One visit of 2 November is typed in last, so its book number (10/2026) is out of the order of the
book, which goes by day and then number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from danvan.reception import services
from danvan.reception.models import Presider, Session, SessionKind, Visit
from danvan.units.models import Role

from .conftest import PLANTED_ID, PLANTED_NAME, TODAY

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


@dataclass
class Book:
    desk: object
    clerk2: object  # the clerk who received the protected denouncer
    visits: dict[str, Visit]


def person(name: str, address: str, id_number: str = "", representative: bool = False):
    return services.VisitorInput(
        name=name, id_number=id_number, address=address, representative=representative
    )


def part(kind: str, field: str, content: str) -> services.VisitPart:
    return services.VisitPart(kind=kind, field=field, content=content)


@pytest.fixture(name="book")
def book_month(desk, make_user) -> Book:
    clerk2 = make_user(Role.CLERK, desk.unit, username="clerk2")

    def regular(day: date, actor=desk.clerk, unit=desk.unit) -> Session:
        return services.session_open_regular(
            actor=actor, unit_id=unit.pk, day=day, place_id=None, today=TODAY
        )

    def record(session: Session, actor=desk.clerk, **fields) -> Visit:
        data = services.VisitInput(session_id=session.pk, **fields)
        return services.visit_record(actor=actor, data=data, today=TODAY).visit

    head = services.session_create(
        actor=desk.clerk,
        data=services.SessionInput(
            unit_id=desk.unit.pk,
            kind=SessionKind.PERIODIC,
            day=date(2026, 11, 10),
            duty_id=desk.duty.pk,
            held=True,
            presider=Presider.HEAD,
        ),
        today=TODAY,
    ).session

    v: dict[str, Visit] = {}
    v["october"] = record(
        regular(date(2026, 10, 30)),
        parts=[part("complaint", "land", "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất.")],
        visitors=[person("Trần Văn Cũ", "Thôn Đông")],
        outcome="accepted",
    )
    v["accepted"] = record(
        regular(date(2026, 11, 2)),
        parts=[
            part(
                "complaint",
                "land",
                "Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
            )
        ],
        visitors=[person("Nguyễn Văn An", "Thôn Đông, xã Khánh Thiện", "037090001234")],
        earlier_handling="UBND huyện Yên Khánh (cũ) đã giải quyết lần đầu",
        outcome="accepted",
    )
    v["transferred"] = record(
        regular(date(2026, 11, 5)),
        parts=[part("recommendation", "policy", "Kiến nghị xem xét chế độ trợ cấp cho người có công.")],
        visitors=[person("Lê Thị Hoa", "Thôn Bắc", "037185004321")],
        outcome="transferred",
        target_name="Sở Nội vụ tỉnh Ninh Bình",
        target_document="12/PC-TCD",
    )
    v["urged"] = record(
        regular(date(2026, 11, 5)),
        parts=[
            part(
                "complaint",
                "administrative_other",
                "Khiếu nại việc chậm giải quyết hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
            )
        ],
        visitors=[person("Phạm Văn Bình", "Xóm 3")],
        outcome="urged",
        target_name="Chi nhánh Văn phòng đăng ký đất đai Yên Khánh",
        target_document="08/ĐĐ-TCD",
    )
    v["crowd"] = record(
        head,
        parts=[part("complaint", "land", "Khiếu nại về giá bồi thường khi thu hồi đất làm đường tỉnh 481.")],
        visitors=[
            person("Đỗ Văn Cường", "Thôn Nam", "037080001111", representative=True),
            person("Vũ Thị Dung", "Thôn Nam", "037082002222", representative=True),
            person("Hoàng Văn Em", "Thôn Nam"),
        ],
        people_count=12,
        crowd=True,
        outcome="accepted",
        note="Đoàn đông người, cử 2 người đại diện",
    )
    v["multi"] = record(
        head,
        parts=[
            part("complaint", "land", "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng."),
            part("recommendation", "policy", "Kiến nghị sửa chữa đường liên thôn."),
        ],
        visitors=[person("Ngô Văn Phúc", "Thôn Đoài", "037075003333")],
        outcome="accepted",
    )
    v["answered"] = record(
        regular(date(2026, 11, 16)),
        parts=[part("feedback", "other", "Phản ánh việc đèn chiếu sáng công cộng ở thôn Tây bị hỏng.")],
        visitors=[person("Bùi Thị Giang", "Thôn Tây")],
        outcome="answered",
        outcome_note="Đã giải thích, xã sẽ sửa trong tháng 12",
    )
    v["refused"] = record(
        regular(date(2026, 11, 16)),
        parts=[part("complaint", "land", "Tiếp tục khiếu nại tranh chấp ranh giới đất đã được giải quyết.")],
        visitors=[person("Đinh Văn Hùng", "Thôn Đông", "037070004444")],
        outcome="refused",
        refusal_ground="resolved",
        refusal_notice="01/TB-TCD",
    )
    v["protected"] = record(
        regular(date(2026, 11, 20), actor=clerk2),
        actor=clerk2,
        parts=[
            part(
                "denunciation",
                "corruption",
                "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất đai.",
            )
        ],
        visitors=[person(PLANTED_NAME, "Thôn Bắc", PLANTED_ID)],
        outcome="transferred",
        target_name="Thanh tra tỉnh Ninh Bình",
        target_document="20/PC-TCD",
    )
    # Typed in late: a visit of 2 November, number 10.
    v["guided"] = record(
        regular(date(2026, 11, 2)),
        parts=[part("complaint", "judicial", "Khiếu nại bản án dân sự sơ thẩm về chia thừa kế.")],
        visitors=[person("Trịnh Thị Lan", "Thôn Tây", "037190005555")],
        earlier_handling="Tòa án nhân dân huyện Yên Khánh đã xét xử sơ thẩm",
        outcome="guided",
        target_name="Tòa án nhân dân khu vực 5 - Ninh Bình",
        target_document="05/HD-TCD",
    )
    # Another commune's book.
    v["elsewhere"] = record(
        regular(date(2026, 11, 5), actor=desk.outsider, unit=desk.other),
        actor=desk.outsider,
        parts=[part("complaint", "land", "Khiếu nại ở phường khác.")],
        visitors=[person("Người Phường Khác", "Phường Ba Đình")],
        outcome="accepted",
    )
    # The answer to the first matter, with its follow-up (column 11).
    accepted = v["accepted"]
    v["accepted"] = services.visit_answer(
        actor=desk.clerk,
        visit_id=accepted.pk,
        version=accepted.version,
        answered_on=date(2026, 11, 20),
        answer_kind="accepted",
        follow_up="Đã thông báo thụ lý giải quyết ngày 20/11/2026",
        today=TODAY,
    )
    return Book(desk=desk, clerk2=clerk2, visits=v)
