"""Emulation movements and commendations (thi đua, khen thưởng) of collectives and individuals.

A commendation belongs to the unit of whom it rewards (the collective's unit, or the person's), so
a unit's figures count the commendations its people and units received; it is proposed, then
decided (with the decision's number, date and issuer) or declined, and a decided one may be revoked.
The lifecycle is one table (`lifecycle.TRANSITIONS`); each step writes a `CommendationEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.outreach.models import Activity, Resolution
from danvan.practices.models import PracticeModel
from danvan.units.models import Unit, UnitLevel


class Movement(models.Model):
    """An emulation movement launched by a unit for a period, often to carry a resolution out."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("launched by"))
    unit_path = models.CharField(max_length=255, editable=False)
    name = models.CharField(_("name"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    resolution = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("carries out"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class Recipient(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class CommendationForm(models.TextChoices):
    """The form of a commendation. Each has its level (`FORM_LEVELS`)."""

    COMMUNE_PC_CERTIFICATE = (
        "commune_pc_certificate",
        _("Certificate of merit of the chairman of the commune People's Committee"),
    )
    DISTRICT_PC_CERTIFICATE = (
        "district_pc_certificate",
        _("Certificate of merit of the chairman of the district People's Committee"),
    )
    PROVINCE_PC_CERTIFICATE = (
        "province_pc_certificate",
        _("Certificate of merit of the chairman of the provincial People's Committee"),
    )
    COMMUNE_PARTY_CERTIFICATE = (
        "commune_party_certificate",
        _("Certificate of merit of the commune Party committee"),
    )
    DISTRICT_PARTY_CERTIFICATE = (
        "district_party_certificate",
        _("Certificate of merit of the district Party committee"),
    )
    PROVINCE_PARTY_CERTIFICATE = (
        "province_party_certificate",
        _("Certificate of merit of the provincial Party committee"),
    )
    PROVINCE_EMULATION_FLAG = (
        "province_emulation_flag",
        _("Emulation flag of the provincial People's Committee"),
    )
    PRIME_MINISTER_CERTIFICATE = "prime_minister_certificate", _("Certificate of merit of the Prime Minister")
    CENTRAL_CERTIFICATE = "central_certificate", _("Certificate of merit of a central body")


F = CommendationForm
FORM_LEVELS: dict[str, str] = {
    F.COMMUNE_PC_CERTIFICATE: UnitLevel.COMMUNE,
    F.COMMUNE_PARTY_CERTIFICATE: UnitLevel.COMMUNE,
    F.DISTRICT_PC_CERTIFICATE: UnitLevel.DISTRICT,
    F.DISTRICT_PARTY_CERTIFICATE: UnitLevel.DISTRICT,
    F.PROVINCE_PC_CERTIFICATE: UnitLevel.PROVINCE,
    F.PROVINCE_PARTY_CERTIFICATE: UnitLevel.PROVINCE,
    F.PROVINCE_EMULATION_FLAG: UnitLevel.PROVINCE,
    F.PRIME_MINISTER_CERTIFICATE: UnitLevel.COUNTRY,
    F.CENTRAL_CERTIFICATE: UnitLevel.COUNTRY,
}


class CommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Commended")
    DECLINED = "declined", _("Not approved")
    REVOKED = "revoked", _("Revoked")


class Commendation(models.Model):
    """A commendation of a collective (a unit, or a named group) or of an individual."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit of the recipient")
    )
    unit_path = models.CharField(max_length=255, editable=False)
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient)
    # A collective that is a unit of the tree names none of these; a named group has group_name.
    group_name = models.CharField(_("name of the group"), max_length=300, blank=True)
    person_name = models.CharField(_("full name"), max_length=200, blank=True)
    person_position = models.CharField(_("position"), max_length=200, blank=True)
    # The recipient's name folded for search (the person, the group or the unit; core.text.fold),
    # filled in by the services.
    recipient_folded = models.CharField(max_length=300, editable=False, default="")
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel)
    form = models.CharField(_("form of commendation"), max_length=40, choices=CommendationForm)
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=20, choices=CommendationStatus, default=CommendationStatus.PROPOSED)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issuer_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing unit"),
    )
    # What it rewards: a movement, a model, an activity, or a period's work (any of them).
    movement = models.ForeignKey(
        Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations"
    )
    practice = models.ForeignKey(
        PracticeModel, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations"
    )
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    work_from = models.DateField(_("work from"), null=True, blank=True)
    work_to = models.DateField(_("work to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=CommendationForm.values), name="emulation_form_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_on__isnull=False) & ~Q(decision_number="")),
                name="emulation_decided_has_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_path", "decided_on"], name="emulation_commendation_scope"),
            models.Index(fields=["decision_number", "decided_on"], name="emulation_decision"),
        ]

    def __str__(self) -> str:
        return self.recipient_name

    @property
    def recipient_name(self) -> str:
        if self.recipient == Recipient.INDIVIDUAL:
            return self.person_name
        return self.group_name or self.unit.name


class CommendationEvent(models.Model):
    """One step of a commendation's lifecycle."""

    commendation = models.ForeignKey(Commendation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    on = models.DateField()
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "commendation__unit"
    SCOPE_PATH_FIELD = "commendation__unit_path"
    SCOPE_UNIT_ID_FIELD = "commendation__unit_id"

    class Meta:
        ordering = ["commendation", "on", "pk"]

    def __str__(self) -> str:
        return self.action
