"""Demo data of emulation and commendation: the "Dân vận khéo" movements of Hoa Lư city (2013–2020
and 2021–2025) and of the province (2026–2030); the city's commendations at the five-year (2018)
and ten-year (2022) reviews of Resolution 25-NQ/TW, the province's in 2023, one revoked, and
proposals of the ward of Hoa Lư waiting for the leader's decision. Made through the services."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.demo_registry import register
from danvan.outreach.models import Resolution
from danvan.practices.models import PracticeModel, PracticeStatus
from danvan.units.demo import COMMUNE, STORY_CITY
from danvan.units.models import Unit, UnitLevel, valid_on_q

from . import services
from .models import Commendation, CommendationForm, Movement, Recipient
from .services import CommendationInput, Decision, MovementInput

F = CommendationForm
PEOPLE = [
    ("Đinh Thị Hạnh", "Trưởng ban Dân vận Đảng ủy"),
    ("Phạm Văn Toàn", "Bí thư chi bộ thôn"),
    ("Nguyễn Văn Sơn", "Chủ tịch Ủy ban MTTQ"),
    ("Trần Thị Thu", "Chủ tịch Hội Liên hiệp Phụ nữ"),
    ("Lê Văn Hùng", "Trưởng thôn"),
    ("Vũ Thị Lan", "Tổ trưởng tổ dân phố"),
    ("Bùi Quang Minh", "Bí thư Đoàn Thanh niên"),
    ("Hoàng Văn Bình", "Chủ tịch Hội Cựu chiến binh"),
    ("Ngô Thị Mai", "Chi hội trưởng Hội Nông dân"),
]


def _unit(code: str, on: date) -> Unit | None:
    return Unit.objects.filter(code=code).filter(valid_on_q(on)).order_by("-valid_from").first()


class Story:
    def __init__(self, today: date, proposer, leader, city: Unit, communes: list[Unit]) -> None:
        self.today, self.proposer, self.leader, self.city, self.communes = (
            today,
            proposer,
            leader,
            city,
            communes,
        )

    def movement(self, unit: Unit, name: str, first: date, last: date | None, resolution: str) -> Movement:
        return services.movement_create(
            actor=self.proposer,
            data=MovementInput(
                unit_id=unit.pk,
                name=name,
                starts_on=first,
                ends_on=last,
                resolution_id=Resolution.objects.filter(number=resolution)
                .values_list("pk", flat=True)
                .first(),
                description="Phong trào thi đua thực hiện Nghị quyết số 25-NQ/TW và Quy chế dân vận.",
            ),
            today=self.today,
        )

    def propose(
        self,
        *,
        unit: Unit,
        form: str,
        level: str,
        reason: str,
        movement: Movement,
        person=None,
        practice=None,
    ):
        name, position = person or ("", "")
        return services.commendation_propose(
            actor=self.proposer,
            data=CommendationInput(
                recipient=Recipient.INDIVIDUAL if person else Recipient.COLLECTIVE,
                unit_id=unit.pk,
                level=level,
                form=form,
                reason=reason,
                person_name=name,
                person_position=position,
                movement_id=movement.pk,
                practice_id=practice.pk if practice else None,
            ),
            today=self.today,
        )

    def decide(
        self, proposals: list[Commendation], number: str, on: date, issuer: str, issuer_code: str
    ) -> None:
        issuer_unit = _unit(issuer_code, on)
        services.commendations_decide(
            actor=self.leader,
            commendation_ids=[p.pk for p in proposals],
            decision=Decision(
                number=number,
                decided_on=on,
                issuer=issuer,
                issuer_unit_id=issuer_unit.pk if issuer_unit else None,
            ),
            today=self.today,
        )

    def round(
        self,
        *,
        movement: Movement,
        year: int,
        collectives: int,
        individuals: int,
        form: str,
        level: str,
        reason: str,
    ) -> list[Commendation]:
        """Proposals for a review: communes with a model recognised that year or before, and people."""
        recognised = list(
            PracticeModel.objects.filter(
                unit__in=self.communes, status=PracticeStatus.RECOGNISED, registered_on__year__lte=year
            ).order_by("-registered_on")[:collectives]
        )
        out = []
        for model in recognised:
            out.append(
                self.propose(
                    unit=model.unit, form=form, level=level, reason=reason, movement=movement, practice=model
                )
            )
        for i in range(individuals):
            commune = self.communes[(year + i * 5) % len(self.communes)]
            person = PEOPLE[(year + i) % len(PEOPLE)]
            out.append(
                self.propose(
                    unit=commune, form=form, level=level, reason=reason, movement=movement, person=person
                )
            )
        return out


@register(order=42)
@transaction.atomic
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if city is None or today < date(2023, 2, 1):
        return []
    if Movement.objects.filter(unit__path__startswith=city.path).exists():
        stdout.write(f"Emulation: {Commendation.objects.count()} commendations (already there).")
        return []
    communes = list(Unit.objects.filter(parent=city, level="commune").order_by("code"))
    bdv = _unit("374-BDV", date(2020, 1, 1))
    if not communes or bdv is None:
        return []
    User = get_user_model()
    story = Story(
        today, User.objects.get(username="committee"), User.objects.get(username="leader"), city, communes
    )
    first = story.movement(
        bdv,
        'Phong trào thi đua "Dân vận khéo" giai đoạn 2013–2020',
        date(2013, 9, 1),
        date(2020, 12, 31),
        "25-NQ/TW",
    )
    second = story.movement(
        bdv,
        'Phong trào thi đua "Dân vận khéo" giai đoạn 2021–2025',
        date(2021, 1, 1),
        date(2025, 6, 30),
        "43-KL/TW",
    )
    city_chair = "Chủ tịch UBND thành phố Hoa Lư"
    five = story.round(
        movement=first,
        year=2017,
        collectives=4,
        individuals=3,
        form=F.DISTRICT_PC_CERTIFICATE,
        level=UnitLevel.DISTRICT,
        reason=(
            "Đã có thành tích xuất sắc trong 5 năm thực hiện Nghị quyết số 25-NQ/TW "
            'và phong trào thi đua "Dân vận khéo".'
        ),
    )
    story.decide(five, "1520/QĐ-UBND", date(2018, 6, 15), city_chair, "374-UBND")
    ten = story.round(
        movement=second,
        year=2022,
        collectives=7,
        individuals=5,
        form=F.DISTRICT_PC_CERTIFICATE,
        level=UnitLevel.DISTRICT,
        reason="Đã có thành tích xuất sắc trong 10 năm thực hiện Nghị quyết số 25-NQ/TW (2013–2022).",
    )
    story.decide(ten, "3350/QĐ-UBND", date(2022, 12, 20), city_chair, "374-UBND")
    # One of the five-year commendations proved unfounded and was revoked.
    revoked = five[-1]
    revoked.refresh_from_db()
    services.commendation_revoke(
        actor=story.leader,
        commendation_id=revoked.pk,
        version=revoked.version,
        reason="Thành tích được đề nghị khen thưởng không đúng thực tế (kết luận kiểm tra năm 2019).",
        today=today,
    )
    province = story.round(
        movement=second,
        year=2022,
        collectives=2,
        individuals=1,
        form=F.PROVINCE_PC_CERTIFICATE,
        level=UnitLevel.PROVINCE,
        reason="Đã có thành tích tiêu biểu trong 10 năm thực hiện Nghị quyết số 25-NQ/TW.",
    )
    story.decide(province, "215/QĐ-UBND", date(2023, 1, 20), "Chủ tịch UBND tỉnh Ninh Bình", "37-UBND")
    # Since the reform: the province's movement, and the ward's proposals waiting for a decision.
    committee = _unit("37-BTGDV", today)
    ward = _unit(COMMUNE, today)
    if committee is not None and ward is not None and today >= date(2025, 10, 1):
        third = story.movement(
            committee,
            'Phong trào thi đua "Dân vận khéo" giai đoạn 2026–2030',
            date(2025, 10, 1),
            date(2030, 12, 31),
            "43-KL/TW",
        )
        model = PracticeModel.objects.filter(unit=ward, status=PracticeStatus.RECOGNISED).first()
        story.propose(
            unit=ward,
            form=F.COMMUNE_PC_CERTIFICATE,
            level=UnitLevel.COMMUNE,
            movement=third,
            practice=model,
            reason='Đã có thành tích trong xây dựng và nhân rộng mô hình "Dân vận khéo" năm 2025.',
        )
        story.propose(
            unit=ward,
            form=F.COMMUNE_PC_CERTIFICATE,
            level=UnitLevel.COMMUNE,
            movement=third,
            person=PEOPLE[0],
            reason='Đã có thành tích trong vận động nhân dân thực hiện mô hình "Dân vận khéo" năm 2025.',
        )
    decided = Commendation.objects.filter(status="decided").count()
    stdout.write(f"Emulation: {Movement.objects.count()} movements, {decided} commendations decided.")
    return []
