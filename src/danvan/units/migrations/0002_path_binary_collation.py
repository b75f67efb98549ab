"""Tree paths compare byte by byte on PostgreSQL.

Subtrees are index ranges on `path` (see `subtree_q`), which assume "/" sorts before the hex
digits. Locale collations such as en_US.UTF-8 ignore punctuation at the first level, so the
column and its indexes use the "C" collation whatever the database's default. SQLite already
compares bytes.
"""

from django.db import migrations

FORWARD = 'ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
BACKWARD = "ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(255)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
