"""The audit trail's copy of the unit path compares byte by byte on PostgreSQL, like the tree's
(see units/0002)."""

from django.db import migrations

FORWARD = 'ALTER TABLE core_auditevent ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
BACKWARD = "ALTER TABLE core_auditevent ALTER COLUMN unit_path TYPE varchar(255)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(forward, backward)]
