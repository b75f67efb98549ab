"""The default criteria sets (collectives, individuals), from `practices/data/criteria.json`."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "criteria.json"


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("practices", "CriteriaSet")
    Criterion = apps.get_model("practices", "Criterion")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["sets"]:
        if CriteriaSet.objects.filter(unit__isnull=True, name=row["name"]).exists():
            continue
        criteria_set = CriteriaSet.objects.create(
            unit=None,
            name=row["name"],
            applies=row["applies"],
            first_year=row["first_year"],
            last_year=row["last_year"],
            pass_mark=row["pass_mark"],
            source=DATA.name,
        )
        for position, (text, points) in enumerate(row["criteria"], start=1):
            Criterion.objects.create(
                criteria_set=criteria_set, position=position, text=text, max_points=points
            )


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_practices")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
