"""The recipient's name folded (no diacritics, no case) for search, filled in for existing rows."""

import re
import unicodedata

from django.db import migrations, models

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def _fold(text):
    # A frozen copy of danvan.core.text.fold: a migration must not change when the code does.
    if not text:
        return ""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fill(apps, schema_editor):
    Commendation = apps.get_model("emulation", "Commendation")
    for row in Commendation.objects.select_related("unit").iterator():
        name = row.person_name if row.recipient == "individual" else (row.group_name or row.unit.name)
        row.recipient_folded = _fold(name)[:300]
        row.save(update_fields=["recipient_folded"])


class Migration(migrations.Migration):
    dependencies = [("emulation", "0001_emulation")]

    operations = [
        migrations.AddField(
            model_name="commendation",
            name="recipient_folded",
            field=models.CharField(default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
