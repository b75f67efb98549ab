"""The data migration petitions/0003 fills `Petitioner.name_folded` for the rows already stored:
folded names for petitioners in clear, nothing for sealed ones (a denouncer is never found by name).

Rows are written with the historical models of 0002, then the migration runs forward; at the end
the database is brought back to the latest migrations for the tests that follow.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from ..migrating import historical_commune, migrate_latest, migrate_to

BEFORE = [("petitions", "0002_scope_path_binary_collation")]
AFTER = [("petitions", "0003_petitioner_name_folded")]


@pytest.mark.django_db(transaction=True)
def test_0003_fills_folded_names_of_unsealed_petitioners_only():
    old = migrate_to(BEFORE)
    try:
        User = old.get_model("core", "User")
        Unit = old.get_model("units", "Unit")
        Case = old.get_model("petitions", "Case")
        Petition = old.get_model("petitions", "Petition")
        Petitioner = old.get_model("petitions", "Petitioner")
        assert "name_folded" not in {f.name for f in Petitioner._meta.get_fields()}
        user = User.objects.create(username="migration")
        unit = historical_commune(
            Unit, code="14801", name="Xã Khánh Thiện", folded="xa khanh thien", valid_from=date(2025, 7, 1)
        )
        case = Case.objects.create(unit=unit, unit_path=unit.path, opened_on=date(2024, 5, 6))

        def petition(number: int, kind: str, protected: bool):
            return Petition.objects.create(
                unit=unit,
                unit_path=unit.path,
                tracking_code=f"DVMIGR{number:04d}",
                secret_digest="0" * 64,
                year=2024,
                number=number,
                received_on=date(2024, 5, 6),
                channel="post",
                kind=kind,
                field="land",
                content="Nội dung",
                content_folded="noi dung",
                protected=protected,
                case=case,
                created_by=user,
            )

        clear, sealed = petition(1, "complaint", False), petition(2, "denunciation", True)
        rows = {
            "nfc": Petitioner.objects.create(petition=clear, position=0, name="Nguyễn Văn Ân"),
            "nfd": Petitioner.objects.create(
                petition=clear, position=1, name=unicodedata.normalize("NFD", "  Đặng   Thị  Ánh ")
            ),
            "long": Petitioner.objects.create(petition=clear, position=2, name="Ê" * 200),
            "no_name": Petitioner.objects.create(petition=clear, position=3, id_number="037090001234"),
            "sealed": Petitioner.objects.create(petition=sealed, position=0, sealed="gAAAAA-ciphertext"),
        }

        new = migrate_to(AFTER)
        Migrated = new.get_model("petitions", "Petitioner")
        folded = dict(Migrated.objects.values_list("pk", "name_folded"))
        assert {key: folded[row.pk] for key, row in rows.items()} == {
            "nfc": "nguyen van an",
            "nfd": "dang thi anh",
            "long": "e" * 200,
            "no_name": "",
            "sealed": "",
        }
        # The names themselves are untouched.
        assert Migrated.objects.get(pk=rows["nfc"].pk).name == "Nguyễn Văn Ân"
    finally:
        migrate_latest()


@pytest.mark.django_db
def test_the_frozen_fold_is_the_fold_of_today():
    # The migration keeps its own copy of core.text.fold; for the names it was written for, the two agree.
    from importlib import import_module

    from danvan.core.text import fold

    frozen = import_module("danvan.petitions.migrations.0003_petitioner_name_folded").fold
    for name in (
        "Nguyễn Văn Ân",
        unicodedata.normalize("NFD", "Đặng Thị Ánh"),
        "  ĐỖ  đức  ",
        "Ngô Thị Ðào",
        "",
    ):
        assert frozen(name) == fold(name)
