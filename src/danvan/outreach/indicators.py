"""The figures of outreach work for reports: conferences, trainings, dialogue conferences,
inspections and voter contact meetings held, the participants of conferences and trainings by
category, and the documents issued to carry resolutions out, by type.

An activity counts once, under its lead organiser (its `unit_path`), in every total: co-organisers
are never counted. Participants are summed from `Participation` rows, which copy the activity's
unit path, kind and first day, so a figure reads one table; they are the same whether they were
typed as counts or counted from an attendance list.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.indicators import COUNT, PEOPLE, DimensionValue, Indicator, register, total
from danvan.units import access

from .models import Activity, ActivityKind, DocumentType, IssuedDocument, ParticipantCategory, Participation


def _activities(user) -> QuerySet:
    return access.visible(user, Activity)


def _participations(user) -> QuerySet:
    return access.visible(user, Participation)


def _documents(user) -> QuerySet:
    return access.visible(user, IssuedDocument)


BY_CATEGORY = {
    "category": {
        category.value: DimensionValue(category.label, Q(category=category.value))
        for category in ParticipantCategory
    }
}
BY_TYPE = {"type": {kind.value: DimensionValue(kind.label, Q(doc_type=kind.value)) for kind in DocumentType}}


def _held(code: str, label, kind: str, description) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=COUNT,
        records=_activities,
        date_field="starts_on",
        path_field="unit_path",
        where=Q(kind=kind),
        description=description,
    )


def _participants(code: str, label, kind: str, description) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        measure=PEOPLE,
        records=_participations,
        date_field="held_on",
        path_field="unit_path",
        where=Q(kind=kind),
        aggregates=total("count"),
        dimensions=BY_CATEGORY,
        description=description,
    )


INDICATORS = (
    _held(
        "outreach.conferences",
        _("Dissemination conferences held"),
        ActivityKind.CONFERENCE,
        _("Conferences to disseminate and carry out resolutions, counted once under the lead organiser."),
    ),
    _participants(
        "outreach.conference_participants",
        _("Participants in dissemination conferences"),
        ActivityKind.CONFERENCE,
        _("People taking part in dissemination conferences, by category."),
    ),
    _held(
        "outreach.trainings",
        _("Training and coaching courses held"),
        ActivityKind.TRAINING,
        _("Training and coaching courses, counted once under the lead organiser."),
    ),
    _participants(
        "outreach.training_participants",
        _("Trainees of training and coaching courses"),
        ActivityKind.TRAINING,
        _("People taking part in training and coaching courses, by category."),
    ),
    Indicator(
        code="outreach.documents_issued",
        label=_("Documents issued to carry resolutions out"),
        measure=COUNT,
        records=_documents,
        date_field="issued_on",
        path_field="unit_path",
        dimensions=BY_TYPE,
        description=_("Documents a unit issued to carry a resolution out, by type."),
    ),
    _held(
        "outreach.dialogue_conferences",
        _("Dialogue conferences with the people"),
        ActivityKind.DIALOGUE,
        _("Dialogue conferences between a commune's leaders and its people (Luật 10/2022/QH15 Art 32)."),
    ),
    _held(
        "outreach.inspections",
        _("Inspections and supervisions of mass mobilization work"),
        ActivityKind.INSPECTION,
        _("Inspections and supervisions of mass mobilization work, counted once under the lead organiser."),
    ),
    _held(
        "outreach.voter_contacts",
        _("Voter contact meetings"),
        ActivityKind.VOTER_CONTACT,
        _("Meetings of deputies with voters, counted once under the lead organiser."),
    ),
)

register(*INDICATORS)
