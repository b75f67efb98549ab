import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import danvan.core.models

# Subtree ranges on the copies of the unit path compare bytes, as on `units_unit.path` (units/0002).
TABLES = ("core_recordfile",)


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_unit_path_binary_collation"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("record_type", models.CharField(max_length=100)),
                ("record_id", models.PositiveBigIntegerField()),
                ("unit_ref", models.PositiveBigIntegerField()),
                ("unit_path", models.CharField(max_length=255)),
                ("role", models.CharField(max_length=30, verbose_name="kind of file")),
                ("file", models.FileField(max_length=255, upload_to=danvan.core.models.record_file_path)),
                ("stored_name", models.CharField(editable=False, max_length=64)),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["record_type", "record_id"], name="core_recordfile_record")],
            },
        ),
        migrations.RunPython(binary_collation, migrations.RunPython.noop),
    ]
