"""Petitioners' identity: the ID number's shape, sealing a denouncer's identity, and who may see it.

A denouncer may keep name, address, handwriting and personal data secret (Luật Tố cáo 25/2018
Art 9(1)(b), 47). danvan seals every identifying field of a denunciation's petitioners with
core.crypto and matches them for the duplicate check through keyed digests only. The identity is
shown to the assigned handler, the head (leader) of the handling unit and users given explicit
access, and each showing is recorded in the audit trail with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from danvan.core import crypto
from danvan.core.text import normalize
from danvan.units.models import Role, RoleAssignment, Succession

# Province part of a 12-digit citizen ID (the 63 province codes before 2025, with a leading 0;
# Thông tư 59/2021/TT-BCA Art 7). A number minted after 2025 still uses one of these.
CCCD_PROVINCES = frozenset(
    f"{n:03d}"
    for n in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
        40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80,
        82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip
OLD_ID = re.compile(r"^\d{9}$")  # chứng minh nhân dân, 9 digits
PASSPORT = re.compile(r"^[A-Z]\d{7,8}$")
CCCD = re.compile(r"^\d{12}$")


def clean_id_number(value: str) -> str:
    return re.sub(r"[\s.\-]", "", normalize(value)).upper()


def id_number_valid(value: str) -> bool:
    """A 12-digit citizen ID with a real province code, a 9-digit old ID card, or a passport."""
    if CCCD.match(value):
        return value[:3] in CCCD_PROVINCES
    return bool(OLD_ID.match(value) or PASSPORT.match(value))


@dataclass(frozen=True)
class Identity:
    name: str = ""
    id_number: str = ""
    address: str = ""
    address_unit_id: int | None = None
    phone: str = ""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "address": self.address,
            "address_unit_id": self.address_unit_id,
            "phone": self.phone,
        }


def identity_typed(
    *, name: str, id_number: str, address: str, phone: str, address_unit_id: int | None = None
) -> tuple[Identity | None, dict[str, Any]]:
    """A person as typed at intake or at the desk: NFC, cut to the columns' sizes (PostgreSQL
    refuses longer), and what is wrong with it by field ("name", "id_number"). None when nothing
    identifies the person (a row left empty)."""
    problems: dict[str, Any] = {}
    name = normalize(name)
    id_number = clean_id_number(id_number) if id_number else ""
    if id_number and not id_number_valid(id_number):
        problems["id_number"] = _(
            "The ID number must be a 12-digit citizen ID, a 9-digit ID card or a passport number."
        )
    if not name and not id_number:
        return None, problems
    if not name:
        problems["name"] = _("Enter the person's name.")
    person = Identity(
        name=name[:200],
        id_number=id_number,
        address=normalize(address)[:300],
        address_unit_id=address_unit_id,
        phone=normalize(phone)[:30],
    )
    return person, problems


def digests(identity: Identity) -> tuple[str, str]:
    """Keyed digests for matching the same person across petitions without reading identities."""
    by_id = crypto.blind_index(identity.id_number) if identity.id_number else ""
    by_name = (
        crypto.blind_index(f"{identity.name}|{identity.address}")
        if identity.name and identity.address
        else ""
    )
    return by_id, by_name


def identity_of(petitioner) -> Identity:
    """The clear identity of a petitioner: only for callers that checked `entitled` and logged."""
    if petitioner.sealed:
        data = crypto.unseal(petitioner.sealed)
        return Identity(**data)
    return Identity(
        name=petitioner.name,
        id_number=petitioner.id_number,
        address=petitioner.address,
        address_unit_id=getattr(petitioner, "address_unit_id", None),
        phone=petitioner.phone,
    )


def entitled(user, petition) -> bool:
    """May `user` see the protected identity of `petition`'s petitioners?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if petition.handler_id == user.pk:
        return True
    if _heads(user, petition.unit_id):
        return True
    return petition.identity_grants.filter(user=user).exists()


def _heads(user, unit_id: int) -> bool:
    """Is `user` a leader of the unit, or of a unit that succeeded it (merge, split, rename)? The
    successor holds the archive of the units it replaced (units.access), their heads' duty with it.
    A leader with a subtree scope above the unit supervises it and is not its head."""
    return unit_id in _headed_units(user)


def _headed_units(user) -> frozenset[int]:
    """The units `user` heads, with their predecessors; read once per user object (a request),
    since the duplicate check asks it for every protected candidate."""
    cached = getattr(user, "_danvan_headed_units", None)
    if cached is not None:
        return cached
    led = set(RoleAssignment.objects.filter(user=user, role=Role.LEADER).values_list("unit_id", flat=True))
    seen = set(led)
    while led:
        successions = Succession.objects.filter(successor_id__in=led)
        led = set(successions.values_list("predecessor_id", flat=True)) - seen
        seen |= led
    user._danvan_headed_units = frozenset(seen)
    return user._danvan_headed_units
