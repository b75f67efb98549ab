"""Demo data of the petitions app: petitions in every status of the lifecycle, received by a ward
and the province's People's Committee, with a denunciation whose denouncer is protected, a
duplicate, a transfer between two agencies and an older history in the merged-away city."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.calendar import add_working_days
from danvan.core.demo_registry import register
from danvan.units.demo import COMMUNE, OLD_CITY, PROVINCE, STORY_CITY, _ensure_user, _unit
from danvan.units.models import Role, RoleScope, Unit, valid_on_q

from . import services, timing
from .models import Kind, Petition
from .services import IntakeInput, PartInput, PersonInput

PEOPLE = [
    ("Nguyễn Văn Bình", "037085001234", "Tổ 5, phường Hoa Lư"),
    ("Trần Thị Hoa", "037190004567", "Phố Lê Lợi, phường Hoa Lư"),
    ("Phạm Văn Cường", "037078009876", "Thôn Trung, phường Hoa Lư"),
    ("Lê Thị Dung", "037192003210", "Tổ 12, phường Hoa Lư"),
    ("Đỗ Văn Em", "037080007777", "Phố Trần Hưng Đạo, phường Hoa Lư"),
    ("Vũ Thị Gấm", "037195005555", "Tổ 3, phường Hoa Lư"),
]
CONTENTS = [
    (
        Kind.COMPLAINT,
        "land",
        "Khiếu nại quyết định thu hồi đất nông nghiệp của gia đình tại xứ đồng Bến Cát, "
        "mức bồi thường thấp hơn giá đất thực tế, đề nghị xem xét lại.",
    ),
    (
        Kind.COMPLAINT,
        "policy",
        "Khiếu nại việc không được xét hưởng trợ cấp xã hội hằng tháng cho người cao tuổi "
        "dù đã đủ 80 tuổi và nộp đủ hồ sơ từ tháng 3.",
    ),
    (
        Kind.DENUNCIATION,
        "civil_service",
        "Tố cáo cán bộ địa chính phường nhận tiền của người dân để làm nhanh "
        "thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
    ),
    (
        Kind.DENUNCIATION,
        "land",
        "Tố cáo hộ kinh doanh lấn chiếm hành lang đường Trần Hưng Đạo để xây dựng "
        "công trình trái phép, chính quyền không xử lý.",
    ),
    (
        Kind.RECOMMENDATION,
        "policy",
        "Kiến nghị sửa chữa tuyến đường liên tổ dân phố bị xuống cấp, ngập nước "
        "mỗi khi mưa lớn, ảnh hưởng việc đi lại của học sinh.",
    ),
    (
        Kind.FEEDBACK,
        "other",
        "Phản ánh tình trạng cơ sở sản xuất gây tiếng ồn và bụi sau 22 giờ tại tổ 12, "
        "ảnh hưởng sức khỏe người dân.",
    ),
    (
        Kind.RECOMMENDATION,
        "land",
        "Kiến nghị công khai quy hoạch khu dân cư mới phía tây phường và phương án "
        "tái định cư cho các hộ bị ảnh hưởng.",
    ),
    (Kind.FEEDBACK, "policy", "Phản ánh việc chi trả tiền hỗ trợ hộ nghèo chậm hai tháng so với quy định."),
]


CHANNELS = ["post", "in_person", "hand_delivery", "online", "suggestion_box"]


def _person(i: int) -> PersonInput:
    name, id_number, address = PEOPLE[i % len(PEOPLE)]
    return PersonInput(name=name, id_number=id_number, address=address)


def _receive(actor, unit: Unit, on: date, today: date, i: int, **extra) -> Petition:
    kind, field, content = CONTENTS[i % len(CONTENTS)]
    data = IntakeInput(
        unit_id=unit.pk,
        received_on=on,
        channel=extra.pop("channel", CHANNELS[i % len(CHANNELS)]),
        parts=[PartInput(kind=kind, field=field, content=content, subject=extra.pop("subject", ""))],
        petitioners=[_person(i)],
        **extra,
    )
    return services.petition_intake(actor=actor, data=data, today=today).petitions[0]


def _step(service, actor, petition: Petition, today: date, **kwargs) -> Petition:
    petition.refresh_from_db()
    return service(actor=actor, petition_id=petition.pk, version=petition.version, today=today, **kwargs)


def _days_ago(today: date, n: int) -> date:
    return today - timedelta(days=n)


@register(20)
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    User = get_user_model()
    commune = _unit(COMMUNE, today)
    province = _unit(PROVINCE, today)
    agency = Unit.objects.get(code="37-UBND", valid_from=province.valid_from)
    credentials = [
        (
            "chairman",
            _ensure_user("chairman", "Nguyễn Hữu Trưởng", Role.LEADER, commune, RoleScope.UNIT, today),
            f"head (leader) of {commune.name}: sees denouncers' identities of its petitions",
        ),
        (
            "inspector",
            _ensure_user("inspector", "Bùi Văn Tra", Role.HANDLER, agency, RoleScope.UNIT, today),
            f"petition handler, {agency.name}",
        ),
    ]
    if Petition.objects.filter(unit=commune).exists():
        stdout.write("Petitions: already there.")
        return credentials
    clerk, handler = User.objects.get(username="clerk"), User.objects.get(username="handler")
    chairman, inspector = User.objects.get(username="chairman"), User.objects.get(username="inspector")
    with transaction.atomic():
        _lifecycle_examples(today, commune, agency, clerk, handler, chairman, inspector)
        count = _history(today, User.objects.get(username="leader"))
    stdout.write(f"Petitions: {Petition.objects.count()} ({count} in the archives of two cities).")
    return credentials


def _lifecycle_examples(today, commune, agency, clerk, handler, chairman, inspector) -> None:
    s = services
    received = [_receive(clerk, commune, _days_ago(today, d), today, i) for i, d in enumerate((1, 3, 9, 20))]
    # A repeat: the same citizen and content as the first petition, linked to its case.
    first = received[0]
    kind, field, content = CONTENTS[0]
    s.petition_intake(
        actor=clerk,
        data=IntakeInput(
            unit_id=commune.pk,
            received_on=today,
            channel="in_person",
            parts=[
                PartInput(
                    kind=kind, field=field, content=content, link="duplicate", link_petition_id=first.pk
                )
            ],
            petitioners=[_person(0)],
        ),
        today=today,
    )
    # Accepted, with a dialogue; one of them overdue, one suspended, one extended.
    for i, days in enumerate((25, 40, 70)):
        p = _receive(clerk, commune, _days_ago(today, days), today, i)
        p = _step(
            s.petition_accept,
            handler,
            p,
            today,
            on=add_working_days(p.received_on, 3, timing.calendar_around(today)),
        )
        if i == 0:
            _step(
                s.petition_dialogue,
                handler,
                p,
                today,
                on=today,
                participants="Người khiếu nại, cán bộ địa chính",
                summary="Hai bên trao đổi về giá bồi thường.",
            )
        if i == 1:
            _step(
                s.petition_suspend,
                chairman,
                p,
                today,
                on=_days_ago(today, 5),
                ground="Chờ kết quả giám định.",
            )
    denunciation = _receive(clerk, commune, _days_ago(today, 30), today, 2, subject="Cán bộ địa chính phường")
    denunciation = _step(s.petition_accept, handler, denunciation, today, on=_days_ago(today, 28))
    _step(
        s.petition_extend,
        chairman,
        denunciation,
        today,
        on=today,
        ground="Vụ việc phức tạp (Điều 30 Luật Tố cáo).",
    )
    # Guided, filed (one past its keeping period and disposed of), withdrawn, resolved.
    p = _receive(clerk, commune, _days_ago(today, 15), today, 4)
    _step(s.petition_guide, handler, p, today, on=_days_ago(today, 12), guided_to="Tòa án nhân dân khu vực")
    p = _receive(clerk, commune, _days_ago(today, 14), today, 5)
    _step(s.petition_file, handler, p, today, on=_days_ago(today, 10), ineligible_reason="no_name_address")
    p = _receive(clerk, commune, _days_ago(today, 420), today, 7)
    p = _step(s.petition_file, handler, p, today, on=_days_ago(today, 400), ineligible_reason="unclear")
    _step(s.petition_dispose, chairman, p, today, on=today)
    p = _receive(clerk, commune, _days_ago(today, 35), today, 1)
    p = _step(s.petition_accept, handler, p, today, on=_days_ago(today, 33))
    _step(s.petition_withdraw, handler, p, today, on=_days_ago(today, 20), note="Đã được giải thích.")
    for i, days in enumerate((60, 90)):
        p = _receive(clerk, commune, _days_ago(today, days), today, i)
        p = _step(s.petition_accept, handler, p, today, on=_days_ago(today, days - 5))
        _step(
            s.petition_decide,
            chairman,
            p,
            today,
            number=f"{12 + i}/QĐ-UBND",
            decided_on=_days_ago(today, days - 30),
            signer="Nguyễn Hữu Trưởng",
            outcome=["complaint_partly", "complaint_incorrect"][i],
        )
    # Transferred to the province's People's Committee (it appears in its inbox), one answered.
    p = _receive(clerk, commune, _days_ago(today, 8), today, 6)
    _step(
        s.petition_transfer,
        handler,
        p,
        today,
        on=_days_ago(today, 6),
        target_unit_id=agency.pk,
        document_number="45/PC-UBND",
    )
    p = _receive(clerk, commune, _days_ago(today, 50), today, 4)
    p = _step(
        s.petition_transfer,
        handler,
        p,
        today,
        on=_days_ago(today, 45),
        target_name="Công ty Điện lực Ninh Bình",
        document_number="31/PC-UBND",
    )
    _step(s.petition_record_reply, clerk, p, today, on=_days_ago(today, 20), summary="Đã sửa chữa đường dây.")
    # The province urges the ward on a petition in its authority.
    p = _receive(inspector, agency, _days_ago(today, 12), today, 5)
    _step(
        s.petition_urge,
        inspector,
        p,
        today,
        on=_days_ago(today, 10),
        target_unit_id=commune.pk,
        document_number="102/CV-UBND",
    )


def _history(today: date, actor) -> int:
    """Petitions resolved in their time, for the archive: of Ninh Bình city (merged away in 2025),
    2016–2024, and of Hoa Lư city (whose ten years of Resolution 25 the demo tells), 2013–2024.
    The province's leader reaches both through the successions."""
    code, start, _end, _name = OLD_CITY
    n = 0
    old_city = Unit.objects.filter(code=code, valid_from=start).first()
    if old_city is not None:
        n += _resolved(today, actor, old_city, range(2016, 2025), 4)
    story_city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if story_city is not None:
        n += _resolved(today, actor, story_city, range(2013, 2025), 3)
    return n


def _resolved(today: date, leader, city: Unit, years: range, per_year: int) -> int:
    n = 0
    for year in years:
        for i in range(per_year):
            on = date(year, 3 + 2 * i, 10)
            if not Unit.objects.filter(pk=city.pk).filter(valid_on_q(on)).exists():
                continue
            p = _receive(leader, city, on, today, i + year)
            p = _step(services.petition_accept, leader, p, today, on=on + timedelta(days=7))
            _step(
                services.petition_decide,
                leader,
                p,
                today,
                number=f"{i + 1}/QĐ-UBND",
                decided_on=on + timedelta(days=30),
                signer="Chủ tịch UBND thành phố",
                outcome=_outcome(p.kind),
            )
            n += 1
    return n


def _outcome(kind: str) -> str:
    return {
        Kind.COMPLAINT: "complaint_incorrect",
        Kind.DENUNCIATION: "denunciation_partly",
    }.get(kind, "recommendation_accepted")
