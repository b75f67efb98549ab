"""The framework documents of mass mobilization work, from `outreach/data/resolutions.json`."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "resolutions.json"


def load(apps, schema_editor):
    Resolution = apps.get_model("outreach", "Resolution")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["resolutions"]:
        Resolution.objects.get_or_create(
            number=row["number"],
            defaults={
                "kind": row["kind"],
                "issued_on": date.fromisoformat(row["issued_on"]),
                "issuer": row["issuer"],
                "title": row["title"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_outreach")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
