"""Demo data of the "Dân vận khéo" models: ten a year at Hoa Lư city and its communes from 2014,
each registered, carried out, put up for review, scored and recognised (or not) at commune level;
the best go on to city (district) and province level, some are replicated in other communes; since
the 2025 reform the ward of Hoa Lư registers its own. Made through the services."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.demo_registry import register
from danvan.units.demo import COMMUNE, STORY_CITY
from danvan.units.models import Unit, UnitLevel, valid_on_q

from . import services
from .criteria import criteria_set_for
from .models import PracticeField, PracticeKind, PracticeModel, PracticeStatus
from .services import PracticeInput

F = PracticeField
REFORM = date(2025, 7, 1)

# (name, field, kind); the commune's name is added to a collective's name.
MODELS = [
    ("Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu", F.ECONOMY, PracticeKind.MODEL),
    ("Hiến đất mở rộng đường giao thông nông thôn", F.ECONOMY, PracticeKind.MODEL),
    ("Phụ nữ tiết kiệm giúp nhau giảm nghèo", F.ECONOMY, PracticeKind.MODEL),
    ("Cánh đồng mẫu lớn liên kết tiêu thụ nông sản", F.ECONOMY, PracticeKind.MODEL),
    ("Tuyến phố văn minh, sạch đẹp", F.CULTURE_SOCIETY, PracticeKind.MODEL),
    ("Dòng họ khuyến học, khuyến tài", F.CULTURE_SOCIETY, PracticeKind.MODEL),
    ("Thanh niên tình nguyện giữ gìn di sản Tràng An", F.CULTURE_SOCIETY, PracticeKind.MODEL),
    ("Camera an ninh – mắt thần khu dân cư", F.DEFENCE_SECURITY, PracticeKind.MODEL),
    ("Tổ liên gia tự quản an toàn", F.DEFENCE_SECURITY, PracticeKind.MODEL),
    ("Hòa giải viên giỏi ở cơ sở", F.DEFENCE_SECURITY, PracticeKind.EXEMPLAR_COLLECTIVE),
    ("Chi bộ bốn tốt gắn với dân vận khéo", F.POLITICAL_SYSTEM, PracticeKind.MODEL),
    ("Ngày thứ bảy cùng dân", F.POLITICAL_SYSTEM, PracticeKind.MODEL),
]
PEOPLE = [
    ("Đinh Văn Thắng", "Trưởng thôn"),
    ("Phạm Thị Huệ", "Chi hội trưởng Hội Phụ nữ"),
    ("Bùi Văn Lộc", "Bí thư chi bộ"),
    ("Nguyễn Thị Nga", "Tổ trưởng tổ dân phố"),
    ("Trần Văn Khiêm", "Cựu chiến binh"),
]


def _unit(code: str, on: date) -> Unit | None:
    return Unit.objects.filter(code=code).filter(valid_on_q(on)).order_by("-valid_from").first()


class Story:
    def __init__(self, today: date, actor, communes: list[Unit], city: Unit) -> None:
        self.today, self.actor, self.communes, self.city = today, actor, communes, city
        self.rng = random.Random(43)  # noqa: S311 - demo figures, the same on every run
        self.count = 0

    def fresh(self, model_id: int) -> PracticeModel:
        return PracticeModel.objects.get(pk=model_id)

    def register(
        self, unit: Unit, year: int, i: int, *, source: PracticeModel | None = None, on: date | None = None
    ) -> PracticeModel:
        name, field, kind = MODELS[(year * 7 + i) % len(MODELS)]
        if self.rng.random() < 0.15:
            person, position = PEOPLE[(year + i) % len(PEOPLE)]
            name, kind = f"{person}, {position.lower()}", PracticeKind.EXEMPLAR_INDIVIDUAL
        else:
            name = f"{name} ({unit.name})"
        data = PracticeInput(
            unit_id=unit.pk,
            kind=kind,
            name=name,
            field=field,
            registered_on=on or date(year, 1 + i % 3, 10 + i),
            address=unit.name,
            carried_out_by=f"Ban Dân vận, Mặt trận Tổ quốc và các đoàn thể {unit.name}",
            aims="Vận động nhân dân cùng tham gia, phát huy quyền làm chủ của nhân dân.",
            expected_results="Nhân dân đồng tình, hưởng ứng; kết quả được duy trì và nhân rộng.",
        )
        self.count += 1
        if source is not None:
            return services.practice_replicate(
                actor=self.actor, source_id=source.pk, data=data, today=self.today
            )
        return services.practice_register(actor=self.actor, data=data, today=self.today)

    def review(
        self, model: PracticeModel, level: str, year: int, *, passes: bool, number: str
    ) -> PracticeModel:
        """Put up for review at `level` in November, score in December, decide."""
        submitted = date(year, 11, 5)
        scored = date(year, 12, 10)
        if submitted > self.today:
            return model
        model = services.practice_submit(
            actor=self.actor,
            practice_id=model.pk,
            level=level,
            on=submitted,
            version=model.version,
            today=self.today,
        )
        if scored > self.today:
            return model  # still under review
        criteria = criteria_set_for(model, scored)
        if criteria is None:
            return model
        points = {
            c.pk: (c.max_points - self.rng.randint(0, 3)) if passes else c.max_points // 2
            for c in criteria.criteria.all()
        }
        services.practice_evaluate(
            actor=self.actor, practice_id=model.pk, reviewed_on=scored, scores=points, today=self.today
        )
        model = self.fresh(model.pk)
        if passes:
            services.practice_recognise(
                actor=self.actor,
                practice_id=model.pk,
                decision_number=number,
                decided_on=date(year, 12, 20),
                version=model.version,
                today=self.today,
            )
        else:
            services.practice_not_recognise(
                actor=self.actor,
                practice_id=model.pk,
                on=date(year, 12, 20),
                note="Chưa đạt số điểm theo tiêu chí; tiếp tục thực hiện và đăng ký lại năm sau.",
                version=model.version,
                today=self.today,
            )
        return self.fresh(model.pk)

    def progress(self, model: PracticeModel, year: int) -> PracticeModel:
        on = max(date(year, 7, 15), model.registered_on + timedelta(days=30))
        if on > self.today:
            return model
        return services.practice_report(
            actor=self.actor,
            practice_id=model.pk,
            on=on,
            note="Sơ kết 6 tháng: đã tổ chức tuyên truyền, vận động; nhân dân tích cực tham gia.",
            version=model.version,
            today=self.today,
        )


def _city_years(story: Story) -> None:
    recognised: list[PracticeModel] = []
    for year in range(2014, 2025):
        for i in range(10):
            unit = story.communes[(year + i * 3) % len(story.communes)] if i < 8 else story.city
            model = story.progress(story.register(unit, year, i), year)
            passes = i not in (4, 9) or year % 3 == 0
            number = f"{year - 2000}{i + 1:02d}/QĐ-UBND"
            model = story.review(
                model, UnitLevel.COMMUNE if i < 8 else UnitLevel.DISTRICT, year, passes=passes, number=number
            )
            if i == 9 and year == 2017:
                services.practice_withdraw(
                    actor=story.actor,
                    practice_id=model.pk,
                    on=date(2018, 2, 1),
                    note="Đơn vị rút đăng ký để điều chỉnh nội dung mô hình.",
                    version=model.version,
                    today=story.today,
                )
            elif model.status == PracticeStatus.RECOGNISED:
                recognised.append(model)
        # The best of the year before go up to city (district) level, and one each few years to province.
        for k, model in enumerate(
            m for m in recognised if m.level == UnitLevel.COMMUNE and m.year == year - 1
        ):
            if k >= 2:
                break
            model = story.review(
                story.fresh(model.pk),
                UnitLevel.DISTRICT,
                year,
                passes=True,
                number=f"{year - 2000}9{k}/QĐ-UBND",
            )
            if k == 0 and year in (2018, 2022):
                story.review(
                    model, UnitLevel.PROVINCE, year + 1, passes=True, number=f"{year - 1999}5/QĐ-UBND"
                )
        if year in (2017, 2020, 2023):
            source = next((m for m in recognised if m.year == year - 1), None)
            if source is not None:
                target = story.communes[(year * 5) % len(story.communes)]
                if target.pk != source.unit_id:
                    story.register(target, year, 11, source=source)


def _after_reform(story: Story) -> None:
    """The ward of Hoa Lư registers its own models since the reform: those of 2025 were recognised
    at commune level in December; this year's are carried out and put up for review."""
    ward = _unit(COMMUNE, story.today)
    if ward is None:
        return
    for year, month in ((2025, 8), (2026, 2)):
        if year > story.today.year:
            break
        for i in range(3):
            on = date(year, month, 10 + i)
            if on > story.today:
                continue
            model = story.progress(story.register(ward, year, i, on=on), year)
            story.review(model, UnitLevel.COMMUNE, year, passes=True, number=f"{10 + i}/QĐ-UBND")


@register(order=41)
@transaction.atomic
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if city is None:
        return []
    if PracticeModel.objects.filter(unit__path__startswith=city.path).exists():
        stdout.write(f"Models: {PracticeModel.objects.count()} (already there).")
        return []
    communes = list(Unit.objects.filter(parent=city, level="commune").order_by("code"))
    if not communes:
        return []
    story = Story(today, get_user_model().objects.get(username="leader"), communes, city)
    _city_years(story)
    _after_reform(story)
    recognised = PracticeModel.objects.filter(status=PracticeStatus.RECOGNISED).count()
    stdout.write(f"Models: {story.count} registered, {recognised} recognised (Dân vận khéo, since 2014).")
    return []
