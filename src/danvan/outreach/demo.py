"""Demo data of outreach: ten years of Resolution 25-NQ/TW at Hoa Lư city (2013–2025) and its
communes, then the ward and the province after the 2025 reform — documents issued to carry the
resolution out, dissemination conferences, trainings for mass mobilization cadres (one with its
attendance list), dialogue conferences in every commune each year, inspections and voter contact.
Made through the services, so every figure of the review comes from records."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.demo_registry import register
from danvan.units.demo import COMMUNE, PROVINCE, STORY_CITY
from danvan.units.models import Unit, valid_on_q

from . import services
from .models import Activity, ActivityKind, IssuedDocument, ParticipantCategory, Resolution
from .services import ActivityInput, AttendeeInput, DocumentInput

C = ParticipantCategory
FIRST_YEAR = 2013
REFORM = date(2025, 7, 1)

DOCUMENTS = Path(__file__).resolve().parent / "data" / "demo_documents.json"

# The resolution disseminated in a year, and its subject.
YEAR_SUBJECT = {
    2013: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
    2014: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
    2015: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
    2016: ("114-KL/TW", "Kết luận số 114-KL/TW"),
    2017: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
    2018: ("25-NQ/TW", "sơ kết 5 năm Nghị quyết số 25-NQ/TW"),
    2019: ("43-KL/TW", "Kết luận số 43-KL/TW"),
    2020: ("43-KL/TW", "Kết luận số 43-KL/TW"),
    2021: ("43-KL/TW", "Kết luận số 43-KL/TW"),
    2022: ("23-QĐ/TW", "Quy định số 23-QĐ/TW"),
    2023: ("43-KL/TW", "Kết luận số 43-KL/TW"),
    2024: ("43-KL/TW", "Kết luận số 43-KL/TW"),
    2025: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
    2026: ("25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đinh", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam"]


def _unit(code: str, on: date) -> Unit | None:
    return Unit.objects.filter(code=code).filter(valid_on_q(on)).order_by("-valid_from").first()


@dataclass
class Story:
    today: date
    actor: object
    rng: random.Random
    city: Unit
    communes: list[Unit]
    resolutions: dict[str, int]
    documents: dict[str, list[int]]  # resolution number -> documents carrying it out
    issued: dict[str, date]  # resolution number -> its date
    count: int = 0

    def day(self, year: int, month: int, day: int) -> date | None:
        on = date(year, month, day)
        if on > self.today or (year == FIRST_YEAR and on < date(2013, 6, 3)):
            return None
        return on

    def counts(self, **ranges: tuple[int, int]) -> dict[str, int]:
        return {category: self.rng.randint(low, high) for category, (low, high) in ranges.items()}

    def record(self, unit: Unit, kind: str, title: str, on: date, *, year: int, co=(), **counts) -> Activity:
        number = YEAR_SUBJECT[min(year, 2026)][0]
        if self.issued[number] > on:  # a document is disseminated once it is issued
            number = "25-NQ/TW"
        documents = [d for d in self.documents.get(number, []) if self._issued_by(d, on)]
        activity = services.activity_record(
            actor=self.actor,
            data=ActivityInput(
                unit_id=unit.pk,
                kind=kind,
                title=title,
                starts_on=on,
                ends_on=on,
                venue=f"Hội trường {unit.name}",
                co_organiser_ids=[c.pk for c in co],
                resolution_ids=[self.resolutions[number]]
                if kind in (ActivityKind.CONFERENCE, "training")
                else [],
                document_ids=documents[-1:] if kind == ActivityKind.CONFERENCE else [],
                counts=counts.get("counts") or {},
                participants_total=counts.get("total"),
            ),
            today=self.today,
        )
        self.count += 1
        return activity

    def _issued_by(self, document_id: int, on: date) -> bool:
        return IssuedDocument.objects.filter(pk=document_id, issued_on__lte=on).exists()


def _documents(story: Story) -> None:
    for row in json.loads(DOCUMENTS.read_text(encoding="utf-8"))["documents"]:
        code, number, doc_type, title, issuer = (
            row["unit"],
            row["number"],
            row["type"],
            row["title"],
            row["issuer"],
        )
        issued_on, implements = date.fromisoformat(row["issued_on"]), row["implements"]
        unit = _unit(code, issued_on)
        if unit is None or issued_on > story.today:
            continue
        document = services.document_record(
            actor=story.actor,
            data=DocumentInput(
                unit_id=unit.pk,
                number=number,
                issued_on=issued_on,
                doc_type=doc_type,
                title=title,
                issuer=issuer,
                implements_id=story.resolutions.get(implements),
            ),
            today=story.today,
        )
        story.documents.setdefault(implements, []).append(document.pk)


def _city_years(story: Story) -> None:
    """The city's own work until 30 June 2025: conferences for the whole city, trainings for mass
    mobilization cadres, an inspection and voter contact each year."""
    agencies = {code: _unit(code, date(2020, 1, 1)) for code in ("374-TU", "374-BDV", "374-UBND", "374-MTTQ")}
    for year in range(FIRST_YEAR, 2026):
        _number, subject = YEAR_SUBJECT[year]
        conferences = [(7, 10), (10, 15)] if year == FIRST_YEAR else [(3, 8), (6, 20), (9, 12), (11, 5)]
        for i, (month, dd) in enumerate(conferences):
            on = story.day(year, month, dd)
            if on is None or on >= REFORM:
                continue
            story.record(
                agencies["374-TU"],
                ActivityKind.CONFERENCE,
                f"Hội nghị quán triệt, triển khai {subject} ({i + 1}/{year})",
                on,
                year=year,
                co=[agencies["374-MTTQ"]] if i == 0 else (),
                counts=story.counts(
                    cadres=(120, 260),
                    party_members=(150, 320),
                    union_members=(40, 110),
                    association_members=(40, 110),
                ),
            )
        for month, dd in ((4, 12), (10, 8)):
            on = story.day(year, month, dd)
            if on is None or on >= REFORM:
                continue
            story.record(
                agencies["374-BDV"],
                ActivityKind.TRAINING,
                f"Tập huấn nghiệp vụ công tác dân vận năm {year}",
                on,
                year=year,
                counts=story.counts(mm_cadres=(90, 220)),
            )
        for kind, month, title in (
            (ActivityKind.INSPECTION, 9, "Kiểm tra việc thực hiện Quy chế dân vận ở cơ sở"),
            (ActivityKind.VOTER_CONTACT, 5, "Tiếp xúc cử tri trước kỳ họp Hội đồng nhân dân thành phố"),
            (ActivityKind.VOTER_CONTACT, 11, "Tiếp xúc cử tri sau kỳ họp Hội đồng nhân dân thành phố"),
        ):
            on = story.day(year, month, 18)
            if on is None or on >= REFORM:
                continue
            story.record(
                agencies["374-UBND"] if kind == ActivityKind.VOTER_CONTACT else agencies["374-BDV"],
                kind,
                f"{title} năm {year}",
                on,
                year=year,
                total=story.rng.randint(60, 180),
            )


def _commune_years(story: Story) -> None:
    """Every commune of the city: a conference and a dialogue conference with its people each year
    (the dialogue of 2014 onwards), until the communes were merged on 1 July 2025."""
    for commune in story.communes:
        for year in range(FIRST_YEAR, 2026):
            _number, subject = YEAR_SUBJECT[year]
            on = story.day(year, story.rng.choice((5, 6, 8)), story.rng.randint(2, 27))
            if on is not None and on < REFORM:
                story.record(
                    commune,
                    ActivityKind.CONFERENCE,
                    f"Hội nghị tuyên truyền {subject} tại {commune.name}",
                    on,
                    year=year,
                    counts=story.counts(
                        cadres=(10, 25),
                        party_members=(30, 70),
                        union_members=(5, 25),
                        association_members=(10, 40),
                        citizens=(0, 40),
                    ),
                )
            on = story.day(year, story.rng.choice((3, 4, 10, 12)), story.rng.randint(2, 27))
            if year > FIRST_YEAR and on is not None and on < REFORM:
                story.record(
                    commune,
                    ActivityKind.DIALOGUE,
                    f"Hội nghị đối thoại giữa lãnh đạo {commune.name} với nhân dân năm {year}",
                    on,
                    year=year,
                    counts=story.counts(cadres=(8, 15), citizens=(60, 180)),
                )


def _after_reform(story: Story) -> None:
    """Since 1 July 2025: the ward of Hoa Lư and the province's committee."""
    ward = _unit(COMMUNE, story.today)
    party = _unit("14329-DU", story.today)
    front = _unit("14329-MTTQ", story.today)
    committee = _unit("37-BTGDV", story.today)
    if ward is None or party is None or committee is None:
        return
    for year in range(2025, story.today.year + 1):
        _number, subject = YEAR_SUBJECT[min(year, 2026)]
        for month, dd, kind, lead, title, counts in (
            (9, 10, ActivityKind.CONFERENCE, party, f"Hội nghị quán triệt {subject} tại phường Hoa Lư", True),
            (
                10,
                15,
                ActivityKind.DIALOGUE,
                ward,
                "Hội nghị đối thoại giữa Chủ tịch UBND phường với nhân dân",
                False,
            ),
            (11, 4, ActivityKind.TRAINING, committee, "Tập huấn công tác dân vận cho cán bộ cấp xã", False),
        ):
            on = story.day(year, month, dd)
            if on is None or on < REFORM:
                continue
            if kind == ActivityKind.CONFERENCE:
                values = story.counts(cadres=(30, 60), party_members=(200, 400), union_members=(40, 90))
            elif kind == ActivityKind.DIALOGUE:
                values = story.counts(cadres=(10, 20), citizens=(150, 260))
            else:
                values = story.counts(mm_cadres=(180, 320))
            story.record(
                lead, kind, title, on, year=year, co=[front] if counts and front else (), counts=values
            )


def _attendance_list(story: Story) -> None:
    """One training kept with its attendance list: its counts follow the list."""
    activity = (
        Activity.objects.filter(kind=ActivityKind.TRAINING, starts_on__year=2022, unit__code="374-BDV")
        .order_by("starts_on")
        .first()
    )
    if activity is None:
        return
    rows = []
    for i in range(36):
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[i % len(MIDDLE)]} {GIVEN[i % len(GIVEN)]}"
        commune = story.communes[i % len(story.communes)] if story.communes else story.city
        rows.append(
            AttendeeInput(
                full_name=name,
                category=C.MM_CADRES if i % 6 else C.CADRES,
                organisation=f"Ban Dân vận Đảng ủy {commune.name}",
                job_title="Trưởng ban Dân vận" if i % 6 == 0 else "Cán bộ dân vận",
            )
        )
    services.attendance_save(
        actor=story.actor, activity_id=activity.pk, version=activity.version, rows=rows, today=story.today
    )


@register(order=40)
@transaction.atomic
def populate(*, today: date, stdout) -> list[tuple[str, str, str]]:
    city = Unit.objects.filter(code=STORY_CITY, level="district").order_by("valid_from").first()
    if city is None or _unit(PROVINCE, today) is None:
        return []
    if Activity.objects.filter(unit__path__startswith=city.path).exists():
        stdout.write(f"Outreach: {Activity.objects.count()} activities (already there).")
        return []
    communes = list(Unit.objects.filter(parent=city, level="commune").order_by("code"))
    story = Story(
        today=today,
        actor=get_user_model().objects.get(username="committee"),
        rng=random.Random(25),  # noqa: S311 - demo figures, the same on every run
        city=city,
        communes=communes,
        resolutions=dict(Resolution.objects.values_list("number", "pk")),
        documents={},
        issued=dict(Resolution.objects.values_list("number", "issued_on")),
    )
    _documents(story)
    _city_years(story)
    _commune_years(story)
    _after_reform(story)
    _attendance_list(story)
    stdout.write(
        f"Outreach: {story.count} activities, {IssuedDocument.objects.count()} documents issued "
        f"({city.name} and {len(communes)} communes since 2013)."
    )
    return []
