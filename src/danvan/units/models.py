"""Areas and agencies as one time-versioned tree, their successions, and users' roles in them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")
    AGENCY = "agency", _("Agency")


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    CENTRAL_CITY = "central_city", _("Centrally-run city")
    RURAL_DISTRICT = "rural_district", _("Rural district")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    TOWN = "town", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    MASS_MOBILIZATION_COMMITTEE = "mass_mobilization_committee", _("Mass mobilization committee")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    CITIZEN_RECEPTION_BOARD = "citizen_reception_board", _("Citizen reception board")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    YOUTH_UNION = "youth_union", _("Youth Union")
    WOMENS_UNION = "womens_union", _("Women's Union")
    FARMERS_UNION = "farmers_union", _("Farmers' Union")
    VETERANS_ASSOCIATION = "veterans_association", _("Veterans' Association")
    TRADE_UNION = "trade_union", _("Trade Union")
    OTHER_AGENCY = "other_agency", _("Other agency")


LEVEL_OF_KIND: dict[str, str] = {
    UnitKind.COUNTRY: UnitLevel.COUNTRY,
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.CENTRAL_CITY: UnitLevel.PROVINCE,
    UnitKind.RURAL_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWN: UnitLevel.DISTRICT,
    UnitKind.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.TOWNSHIP: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}
AGENCY_KINDS = [kind for kind in UnitKind.values if kind not in LEVEL_OF_KIND]
for _kind in AGENCY_KINDS:
    LEVEL_OF_KIND[_kind] = UnitLevel.AGENCY

# Which level of area may hold which: an area's parent is one level up (communes sit straight
# under provinces from 1 July 2025); agencies sit inside any area.
ALLOWED_PARENT_LEVELS: dict[str, set[str]] = {
    UnitLevel.COUNTRY: set(),
    UnitLevel.PROVINCE: {UnitLevel.COUNTRY},
    UnitLevel.DISTRICT: {UnitLevel.PROVINCE},
    UnitLevel.COMMUNE: {UnitLevel.DISTRICT, UnitLevel.PROVINCE},
    UnitLevel.AGENCY: {UnitLevel.COUNTRY, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE},
}

PATH_STEP = 8  # hex digits per tree level in `path`


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}x}/"


def subtree_q(prefix: str, field: str = "path") -> Q:
    """Rows whose `field` lies in the subtree of `prefix` (which ends in "/").

    A range rather than LIKE: both SQLite and PostgreSQL answer it from the plain index on
    `path` ("0" is the character after "/"), whatever the collation.
    """
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + "0"})


class Unit(models.Model):
    """An area or an agency, valid from one date to another, under one parent.

    Identified by (official code, valid_from): official codes are re-used over time. A change of
    parent, rank or name makes a new row linked to the old one by a Succession, so every record
    keeps the unit it had on its date. `path` is the chain of ancestors' ids (materialised path):
    a subtree is an index range on `path` (`subtree_q`), on SQLite and PostgreSQL alike.
    """

    code = models.CharField(_("code"), max_length=30)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=UnitKind)
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    source = models.CharField(_("source"), max_length=120, blank=True)
    version = models.PositiveIntegerField(default=0)

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_known"),
        ]
        indexes = [
            models.Index(fields=["code", "valid_from", "valid_to"], name="unit_code_validity_idx"),
            models.Index(fields=["parent", "valid_from", "valid_to"], name="unit_parent_validity_idx"),
            models.Index(fields=["level", "valid_from", "valid_to"], name="unit_level_validity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_area(self) -> bool:
        return self.level != UnitLevel.AGENCY

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def validity_label(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.valid_from:%d/%m/%Y} – {end}"

    def ancestor_ids(self) -> list[int]:
        """Ids of the ancestors, root first, read from `path` without a query."""
        segments = [s for s in self.path.split("/") if s]
        return [int(s, 16) for s in segments[:-1]]


def valid_on_q(day: date, prefix: str = "") -> Q:
    """Rows (or, with `prefix`, related units) valid on `day`."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    RERANK = "rerank", _("Change of rank")
    TRANSFER = "transfer", _("Transfer to another parent")


class Succession(models.Model):
    """`predecessor` became (wholly or partly) `successor` on `effective_on`.

    Many-to-many: several predecessors merging into one successor, or one predecessor split
    among several successors, of which exactly one is the default (where records of the old
    unit go when they must go somewhere whole).
    """

    predecessor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="successions_out", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="successions_in", verbose_name=_("successor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SuccessionKind)
    effective_on = models.DateField(_("effective on"))
    is_default = models.BooleanField(_("default successor"), default=False)
    source = models.CharField(_("source"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_pair_unique"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_default=True), name="succession_one_default"
            ),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="succession_not_self"),
            models.CheckConstraint(condition=Q(kind__in=SuccessionKind.values), name="succession_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class Role(models.TextChoices):
    CLERK = "clerk", _("Reception clerk")
    HANDLER = "handler", _("Petition handler")
    LEADER = "leader", _("Leader")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


class RoleScope(models.TextChoices):
    UNIT = "unit", _("This unit")
    SUBTREE = "subtree", _("This unit and all below")


class RoleAssignment(models.Model):
    """A user holds `role` in `unit`; with scope `subtree` it reaches every unit below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)
    scope = models.CharField(_("scope"), max_length=10, choices=RoleScope, default=RoleScope.UNIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_known"),
            models.CheckConstraint(condition=Q(scope__in=RoleScope.values), name="role_scope_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class FrameVia(models.TextChoices):
    SELF = "self", _("Still exists")
    SUCCESSOR = "successor", _("Through its successor")
    ANCESTOR = "ancestor", _("Through the unit above it")


class UnitFrame(models.Model):
    """Where each unit, current or past, rolls up in today's tree ("as it is now").

    A current unit is itself; a past unit follows its single or default successor; a unit with no
    single successor goes to the nearest unit above it that has one, and reports show its records
    there as "formerly <unit>". Rebuilt from units and successions (`units.frames`), never edited.
    """

    unit = models.OneToOneField(Unit, primary_key=True, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255, unique=True)
    now_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    now_path = models.CharField(max_length=255, db_index=True)
    via = models.CharField(max_length=10, choices=FrameVia)

    def __str__(self) -> str:
        return f"{self.unit_path} → {self.now_path}"


class FrameState(models.Model):
    """The day `UnitFrame` was built for; no row means it must be rebuilt."""

    built_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.built_on}"
