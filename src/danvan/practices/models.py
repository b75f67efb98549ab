"""Skillful mass mobilization ("Dân vận khéo") models and exemplars: a unit registers one in one of
the movement's four fields, reports its progress and evidence, and a review board scores it against
the criteria set in force for its province and year, then recognises it at commune, district (until
the district level ended in 2025) or province level, or not. A recognised model may be replicated
elsewhere. The criteria differ by province and period, so they are data (`CriteriaSet`).

The lifecycle is one table (`lifecycle.TRANSITIONS`); each step writes a `PracticeEvent`, the rows
being the model's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.units.models import Unit, UnitLevel


class PracticeField(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture and society")
    DEFENCE_SECURITY = "defence_security", _("Defence and security")
    POLITICAL_SYSTEM = "political_system", _("Building the political system")


class PracticeKind(models.TextChoices):
    MODEL = "model", _("Model")
    EXEMPLAR_COLLECTIVE = "exemplar_collective", _("Exemplar (collective)")
    EXEMPLAR_INDIVIDUAL = "exemplar_individual", _("Exemplar (individual)")


class Applies(models.TextChoices):
    """Whom a criteria set is for: a collective (a model or a collective exemplar) or a person."""

    COLLECTIVE = "collective", _("Collectives")
    INDIVIDUAL = "individual", _("Individuals")


class PracticeStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CARRYING_OUT = "carrying_out", _("Being carried out")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    WITHDRAWN = "withdrawn", pgettext_lazy("model status", "Withdrawn")


# The levels at which a model is recognised: the level of the unit whose steering committee decides.
RECOGNITION_LEVELS = (UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.PROVINCE)


class PracticeModel(models.Model):
    """A model (collective) or an exemplar (collective or individual)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=PracticeKind)
    name = models.CharField(_("name"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False)
    field = models.CharField(_("field"), max_length=30, choices=PracticeField)
    registered_on = models.DateField(_("registered on"))
    year = models.PositiveSmallIntegerField(_("year registered"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    carried_out_by = models.TextField(_("people and units carrying it out"))
    aims = models.TextField(_("aims"))
    expected_results = models.TextField(_("expected results"), blank=True)
    status = models.CharField(max_length=20, choices=PracticeStatus, default=PracticeStatus.REGISTERED)
    # The level it is put up for while under review.
    review_level = models.CharField(_("level reviewed for"), max_length=20, choices=UnitLevel, blank=True)
    # The highest level it has been recognised at, and when (kept in step by the services).
    level = models.CharField(_("level recognised"), max_length=20, choices=UnitLevel, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    replicated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replicas",
        verbose_name=_("replicates"),
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
        verbose_name = _("model")
        verbose_name_plural = _("models")
        constraints = [
            models.CheckConstraint(condition=Q(field__in=PracticeField.values), name="practices_model_field"),
            models.CheckConstraint(condition=Q(kind__in=PracticeKind.values), name="practices_model_kind"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "registered_on"], name="practices_model_scope"),
            models.Index(fields=["status", "year"], name="practices_model_status_year"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def applies(self) -> str:
        return Applies.INDIVIDUAL if self.kind == PracticeKind.EXEMPLAR_INDIVIDUAL else Applies.COLLECTIVE


class CriteriaSet(models.Model):
    """The criteria a review board scores against, for a province (or, with no unit, everywhere a
    province has none) over a period of years, for collectives or individuals."""

    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=300)
    applies = models.CharField(_("for"), max_length=20, choices=Applies)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("points needed to be recognised"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["first_year", "pk"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("criterion"), max_length=500)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "position"], name="practices_criterion_position"),
        ]

    def __str__(self) -> str:
        return self.text


class Evaluation(models.Model):
    """A review board's scoring of a model for recognition at one level."""

    model = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="evaluations")
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel)
    board_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewing unit")
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"))
    total = models.PositiveSmallIntegerField(_("points"))
    passed = models.BooleanField(_("meets the pass mark"))
    note = models.TextField(_("remarks"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE_UNIT_FIELD = "model__unit"
    SCOPE_PATH_FIELD = "model__unit_path"
    SCOPE_UNIT_ID_FIELD = "model__unit_id"

    def __str__(self) -> str:
        return f"{self.model} {self.reviewed_on:%d/%m/%Y}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="practices_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class Recognition(models.Model):
    """A model recognised at one level by the decision of that level's steering committee. Copies
    the model's unit path and field so that reports count this table alone."""

    model = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="recognitions")
    # None for a recognition brought in from a register: no review was held here.
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition"
    )
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel)
    board_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("recognising unit")
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    unit_path = models.CharField(max_length=255, editable=False)
    field = models.CharField(max_length=30, choices=PracticeField, editable=False)
    kind = models.CharField(max_length=30, choices=PracticeKind, editable=False)

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "model__unit_id"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "level"], name="practices_recognised_once")]
        indexes = [models.Index(fields=["unit_path", "decided_on"], name="practices_recognition_scope")]

    def __str__(self) -> str:
        return f"{self.model} ({self.get_level_display()})"


class PracticeEvent(models.Model):
    """One step of a model's lifecycle (its history), with what was reported or decided."""

    model = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    on = models.DateField()
    note = models.TextField(blank=True)
    level = models.CharField(max_length=20, choices=UnitLevel, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "model__unit"
    SCOPE_PATH_FIELD = "model__unit_path"
    SCOPE_UNIT_ID_FIELD = "model__unit_id"

    class Meta:
        ordering = ["model", "on", "pk"]

    def __str__(self) -> str:
        return self.action


# The word for a level in a recognition ("recognised at province level").
LEVEL_LABELS = {
    UnitLevel.COMMUNE: pgettext_lazy("recognition level", "Commune level"),
    UnitLevel.DISTRICT: pgettext_lazy("recognition level", "District level"),
    UnitLevel.PROVINCE: pgettext_lazy("recognition level", "Province level"),
}
