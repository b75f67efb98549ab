"""Petitioners get a folded name for the look-up at the reception desk (empty when sealed), filled
in for the rows already stored; on PostgreSQL it compares byte by byte, so a prefix is an index range."""

import unicodedata

from django.db import migrations, models

FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text):
    # A frozen copy of core.text.fold as it is today: a migration does not follow later changes.
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    decomposed = unicodedata.normalize("NFD", text.translate(FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fill_folded_names(apps, schema_editor):
    Petitioner = apps.get_model("petitions", "Petitioner")
    batch = []
    for row in (
        Petitioner.objects.filter(sealed="").exclude(name="").only("pk", "name").iterator(chunk_size=2000)
    ):
        row.name_folded = fold(row.name)[:200]
        batch.append(row)
        if len(batch) >= 2000:
            Petitioner.objects.bulk_update(batch, ["name_folded"])
            batch = []
    Petitioner.objects.bulk_update(batch, ["name_folded"])


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE petitions_petitioner ALTER COLUMN name_folded TYPE varchar(200) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_scope_path_binary_collation"),
        ("units", "0002_path_binary_collation"),
    ]

    operations = [
        migrations.AddField(
            model_name="petitioner",
            name="name_folded",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(binary_collation, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="petitioner",
            index=models.Index(fields=["name_folded"], name="petitioner_name_folded"),
        ),
        migrations.RunPython(fill_folded_names, migrations.RunPython.noop),
    ]
