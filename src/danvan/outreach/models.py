"""Outreach (tuyên truyền, vận động): the documents a unit issues to carry a resolution out, and the
activities that carry it to people: dissemination conferences, training courses, dialogue
conferences between a commune's leaders and its people (Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15
Art 32: at least one a year), inspections of mass mobilization work and voter contact meetings.

An activity belongs to its lead organiser (`unit`); co-organisers are listed but never count it
again, so every total counts an activity once. Its participants are counted by category in
`Participation` rows (the unit path, kind and date copied), so reports sum one indexed table; when
an attendance list is kept, the rows are counted from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.units.models import Unit


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    CONCLUSION = "conclusion", _("Conclusion")
    DIRECTIVE = "directive", _("Directive")
    DECISION = "decision", pgettext_lazy("document kind", "Decision")
    REGULATION = "regulation", _("Regulation")


class Resolution(models.Model):
    """A framework document that units carry out (Resolution 25-NQ/TW of 2013, Conclusion 43-KL/TW
    of 2019, ...). Reference data: numbers and dates are kept as data because the sources differ."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionKind)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["issued_on", "number"]

    def __str__(self) -> str:
        return self.number


class DocumentType(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    CONCLUSION = "conclusion", _("Conclusion")
    DIRECTIVE = "directive", _("Directive")
    PLAN = "plan", _("Plan")
    PROGRAMME = "programme", _("Programme of action")
    GUIDANCE = "guidance", _("Guidance")
    DECISION = "decision", pgettext_lazy("document kind", "Decision")
    REGULATION = "regulation", _("Regulation")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


class IssuedDocument(models.Model):
    """A document a unit issued to carry a resolution out (văn bản cụ thể hóa)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    doc_type = models.CharField(_("type"), max_length=20, choices=DocumentType)
    title = models.CharField(_("title"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False)
    issuer = models.CharField(_("issued by"), max_length=200)
    implements = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("carries out"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "issued_on"], name="outreach_document_number"),
            models.CheckConstraint(
                condition=Q(doc_type__in=DocumentType.values), name="outreach_document_type"
            ),
        ]
        indexes = [models.Index(fields=["unit_path", "issued_on"], name="outreach_document_scope")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ActivityKind(models.TextChoices):
    CONFERENCE = "conference", _("Dissemination conference")
    TRAINING = "training", _("Training or coaching course")
    DIALOGUE = "dialogue", _("Dialogue conference with the people")
    INSPECTION = "inspection", _("Inspection or supervision of mass mobilization work")
    VOTER_CONTACT = "voter_contact", _("Voter contact meeting")


class ParticipantCategory(models.TextChoices):
    CADRES = "cadres", _("Cadres")
    PARTY_MEMBERS = "party_members", _("Party members")
    UNION_MEMBERS = "union_members", _("Union members")
    ASSOCIATION_MEMBERS = "association_members", _("Association members")
    MM_CADRES = "mm_cadres", _("Mass mobilization cadres")
    CITIZENS = "citizens", _("Citizens")
    OTHER = "other", _("Other participants")
    # Only a total is known (a record typed from an old report): one row of this category.
    UNSPECIFIED = "unspecified", _("Not broken down")


class Activity(models.Model):
    """One activity of outreach work, under its lead organiser."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead organiser")
    )
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    co_organisers = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("co-organisers")
    )
    resolutions = models.ManyToManyField(
        Resolution, blank=True, related_name="activities", verbose_name=_("resolutions disseminated")
    )
    documents = models.ManyToManyField(
        IssuedDocument, blank=True, related_name="activities", verbose_name=_("documents disseminated")
    )
    participants_total = models.PositiveIntegerField(_("participants"), default=0)
    # True when the counts follow the attendance list (Attendee rows), not typed numbers.
    from_attendance = models.BooleanField(default=False)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="outreach_activity_dates"),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="outreach_activity_kind"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "starts_on"], name="outreach_activity_scope"),
            models.Index(fields=["kind", "starts_on"], name="outreach_activity_kind_day"),
            # The activities list, newest first, reads its page from this index and checks the
            # scope from the included path without visiting the table.
            models.Index(fields=["-starts_on", "-id"], include=["unit_path"], name="outreach_activity_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """How many people of one category took part in an activity. Copies the activity's unit path,
    kind and first day so that reports sum this table alone."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    category = models.CharField(_("category"), max_length=30, choices=ParticipantCategory)
    count = models.PositiveIntegerField(_("number of people"))
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(max_length=20, choices=ActivityKind, editable=False)
    held_on = models.DateField(editable=False)

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "activity__unit_id"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "category"], name="outreach_participation_once"),
        ]
        indexes = [models.Index(fields=["unit_path", "held_on"], name="outreach_participation_scope")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.count}"


class Attendee(models.Model):
    """One person on an activity's attendance list."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendees")
    position = models.PositiveIntegerField()  # order on the list, from 1
    full_name = models.CharField(_("full name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    category = models.CharField(_("category"), max_length=30, choices=ParticipantCategory)
    organisation = models.CharField(_("unit or organisation"), max_length=300, blank=True)
    job_title = models.CharField(_("position"), max_length=200, blank=True)

    SCOPE_UNIT_FIELD = "activity__unit"
    SCOPE_PATH_FIELD = "activity__unit_path"
    SCOPE_UNIT_ID_FIELD = "activity__unit_id"

    class Meta:
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "position"], name="outreach_attendee_position"),
        ]

    def __str__(self) -> str:
        return self.full_name
