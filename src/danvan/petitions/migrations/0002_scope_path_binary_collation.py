"""The petitions' copies of the unit path compare byte by byte on PostgreSQL, like the tree's
(see units/0002): a subtree is a range of paths."""

from django.db import migrations

TABLES = ("petitions_petition", "petitions_case", "petitions_contentkey")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN unit_path TYPE varchar(255)")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_petitions")]

    operations = [migrations.RunPython(forward, backward)]
