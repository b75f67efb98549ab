"""Reception's copies of the unit path, and the visitors' folded names, compare byte by byte on
PostgreSQL (like units/0002): a subtree and a name prefix are index ranges."""

from django.db import migrations

COLUMNS = (
    ("reception_place", "unit_path", 255),
    ("reception_duty", "unit_path", 255),
    ("reception_session", "unit_path", 255),
    ("reception_visit", "unit_path", 255),
    ("reception_visitor", "unit_path", 255),
    ("reception_visitor", "name_folded", 200),
    ("reception_conclusion", "unit_path", 255),
    ("reception_directive", "unit_path", 255),
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, column, size in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({size}) COLLATE "C"'
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, column, size in COLUMNS:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({size})")


class Migration(migrations.Migration):
    dependencies = [("reception", "0001_reception")]

    operations = [migrations.RunPython(forward, backward)]
