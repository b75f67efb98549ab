"""The mass mobilization review (Resolution 25-NQ/TW of 2013, Conclusion 43-KL/TW of 2019): for a
unit and any period, each figure with its trend by year and a narrative written from the figures in
the reader's language.

The review is declared as data (`SECTIONS`): which indicators, in which order, and the sentence
that tells each one. A figure that no capability records yet is "not available", never zero, and
its sentence is left out of the narrative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, Figure, registry
from danvan.core.numbers import figure_text
from danvan.units.models import Unit

from . import engine
from .declarations import ReviewItem, ReviewSection
from .engine import AS_IT_WAS, Cell
from .periods import Period

SECTIONS: tuple[ReviewSection, ...] = (
    ReviewSection(
        "outreach",
        _("Dissemination and training"),
        (
            ReviewItem(
                "outreach.conferences",
                _(
                    "%(unit)s organised %(value)s dissemination conferences with "
                    "%(participants)s participants."
                ),
                {"participants": "outreach.conference_participants"},
                label=_("Dissemination conferences"),
            ),
            ReviewItem(
                "outreach.conference_participants", "", label=_("Participants in dissemination conferences")
            ),
            ReviewItem(
                "outreach.trainings",
                _(
                    "It held %(value)s conferences and training courses for "
                    "%(participants)s mass mobilization cadres."
                ),
                {"participants": "outreach.training_participants"},
                label=_("Conferences and training courses for mass mobilization cadres"),
            ),
            ReviewItem("outreach.training_participants", "", label=_("Participants in training courses")),
            ReviewItem(
                "outreach.documents_issued",
                _("It issued %(value)s documents to carry the resolution out."),
                label=_("Documents issued to carry the resolution out"),
            ),
            ReviewItem(
                "outreach.dialogue_conferences",
                _("Leaders held %(value)s dialogue conferences with the people."),
                label=_("Dialogue conferences with the people"),
            ),
        ),
    ),
    ReviewSection(
        "reception",
        _("Citizen reception"),
        (
            ReviewItem("reception.sessions", _("%(unit)s held %(value)s citizen reception sessions.")),
            ReviewItem(
                "reception.visits",
                _("It received %(people)s citizens in %(value)s visits, including %(crowds)s crowds."),
                {"people": "reception.people", "crowds": "reception.crowds"},
            ),
            ReviewItem("reception.people", ""),
            ReviewItem("reception.crowds", ""),
        ),
    ),
    ReviewSection(
        "petitions",
        _("Petitions"),
        (
            ReviewItem(
                "petitions.received",
                _("%(unit)s received %(value)s petitions about %(cases)s cases."),
                {"cases": "petitions.cases"},
            ),
            ReviewItem("petitions.cases", ""),
            ReviewItem("petitions.within_authority", ""),
            ReviewItem(
                "petitions.within_authority_resolved",
                _(
                    "It resolved %(value)s of the %(within)s petitions under "
                    "its authority, reaching %(rate)s."
                ),
                {"within": "petitions.within_authority", "rate": "petitions.resolution_rate"},
            ),
            ReviewItem("petitions.resolution_rate", "", chart=False),
            ReviewItem(
                "petitions.on_time_rate",
                _("%(value)s of the petitions it resolved were resolved within the legal time limit."),
                chart=False,
            ),
        ),
    ),
    ReviewSection(
        "practices",
        _("Skillful mass mobilization models"),
        (
            ReviewItem(
                "practices.models",
                _(
                    "%(unit)s registered %(value)s skillful mass mobilization models and exemplars; "
                    "%(recognised)s were recognised and %(replicated)s replicated in the period."
                ),
                {"recognised": "practices.models_recognised", "replicated": "practices.models_replicated"},
                label=_("Skillful mass mobilization models"),
            ),
            ReviewItem("practices.models_recognised", "", label=_("Models recognised")),
            ReviewItem("practices.models_replicated", "", label=_("Models replicated")),
        ),
    ),
    ReviewSection(
        "emulation",
        _("Emulation and commendation"),
        (
            ReviewItem(
                "emulation.movements",
                _("%(unit)s launched %(value)s emulation movements."),
                label=_("Emulation movements"),
            ),
            ReviewItem(
                "emulation.commendations_collective",
                _("%(value)s collectives and %(individuals)s individuals were commended."),
                {"individuals": "emulation.commendations_individual"},
                label=_("Collectives commended"),
            ),
            ReviewItem("emulation.commendations_individual", "", label=_("Individuals commended")),
        ),
    ),
)

REVIEW_CODES: tuple[str, ...] = tuple(item.code for section in SECTIONS for item in section.items)


@dataclass
class ReviewItemView:
    code: str
    label: str
    measure: str
    figure: Figure
    years: dict[int, Figure]
    sentence: str
    chart: bool

    @property
    def available(self) -> bool:
        return self.figure.value is not None


@dataclass
class ReviewSectionView:
    key: str
    title: str
    items: list[ReviewItemView]
    paragraph: str


@dataclass
class Review:
    unit: Unit
    period: Period
    frame: str
    title: str
    sections: list[ReviewSectionView]
    intro: str
    not_available: list[str] = field(default_factory=list)  # labels of figures nothing records yet
    result: engine.Result | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [self.intro, *(s.paragraph for s in self.sections if s.paragraph)]

    @property
    def items(self) -> list[ReviewItemView]:
        return [item for section in self.sections for item in section.items]


LABELS = {item.code: item.label for section in SECTIONS for item in section.items if item.label}


def _label(code: str) -> str:
    indicator = registry().get(code)
    return str(indicator.label if indicator else LABELS.get(code, code))


def _measure(code: str) -> str:
    indicator = registry().get(code)
    return indicator.measure if indicator else COUNT


def _sentence(item: ReviewItem, figures: dict[str, Figure], unit: Unit) -> str:
    if not item.sentence:
        return ""
    quoted = {"value": item.code, **item.with_codes}
    if any(figures[code].value is None for code in quoted.values()):
        return ""
    values = {name: figure_text(figures[code].value, _measure(code)) for name, code in quoted.items()}
    return str(item.sentence) % {"unit": unit.name, **values}


def review_report(user, *, unit: Unit, period: Period, frame: str = AS_IT_WAS, today: date) -> Review:
    """The review of `unit` over `period`, every figure from records (scoped to `user`)."""
    cells = [Cell(code) for code in REVIEW_CODES]
    result = engine.compute(user, cells, unit=unit, period=period, frame=frame, today=today, by_year=True)
    figures = {cell.code: result.total[cell] for cell in cells}
    sections = []
    for section in SECTIONS:
        items = [
            ReviewItemView(
                code=item.code,
                label=_label(item.code),
                measure=_measure(item.code),
                figure=figures[item.code],
                years={year: values[Cell(item.code)] for year, values in result.years.items()},
                sentence=_sentence(item, figures, unit),
                chart=item.chart and figures[item.code].value is not None,
            )
            for item in section.items
        ]
        paragraph = " ".join(i.sentence for i in items if i.sentence)
        sections.append(ReviewSectionView(section.key, str(section.title), items, paragraph))
    years = period.years
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return Review(
        unit=unit,
        period=period,
        frame=frame,
        title=gettext("Review of mass mobilization work, %(unit)s, %(span)s")
        % {"unit": unit.name, "span": span},
        sections=sections,
        intro=gettext(
            "From %(first)s to %(last)s, counted from the records of %(unit)s and of the units below it."
        )
        % {"first": f"{period.first:%d/%m/%Y}", "last": f"{period.last:%d/%m/%Y}", "unit": unit.name},
        not_available=[_label(code) for code in REVIEW_CODES if figures[code].value is None],
        result=result,
    )
