"""Petitions record the day their processing ended and how (accepted, guided, transferred, urged,
filed, or withdrawn before any of these), for the processing forms 01–04/XLD; the rows already
stored get both from their timeline: the first event that ended processing."""

from django.db import migrations, models

# Event action -> how the petition was processed (a frozen copy: a migration does not follow
# later changes of the lifecycle table).
HANDLING_OF_ACTION = {
    "accept": "accepted",
    "guide": "guided",
    "transfer": "transferred",
    "urge": "urged",
    "file": "filed",
    "withdraw": "withdrawn",
}


def fill_processed(apps, schema_editor):
    Event = apps.get_model("petitions", "Event")
    Petition = apps.get_model("petitions", "Petition")
    steps = (
        Event.objects.filter(petition__handling="", action__in=sorted(HANDLING_OF_ACTION))
        .filter(
            # A withdrawal ends processing only when it closed a petition not yet classified.
            ~models.Q(action="withdraw") | models.Q(from_status="received", to_status="withdrawn")
        )
        .order_by("petition_id", "on", "at", "pk")
        .values_list("petition_id", "action", "on")
    )
    batch, last = [], None
    for petition_id, action, on in steps.iterator(chunk_size=2000):
        if petition_id == last:
            continue
        last = petition_id
        batch.append(Petition(pk=petition_id, handling=HANDLING_OF_ACTION[action], processed_on=on))
        if len(batch) >= 2000:
            Petition.objects.bulk_update(batch, ["handling", "processed_on"])
            batch = []
    Petition.objects.bulk_update(batch, ["handling", "processed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0003_petitioner_name_folded"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="handling",
            field=models.CharField(
                blank=True,
                choices=[
                    ("accepted", "Accepted for resolution"),
                    ("guided", "Guided to the competent body"),
                    ("transferred", "Transferred to the competent body"),
                    ("urged", "Lower level urged"),
                    ("filed", "Filed away"),
                    ("withdrawn", "Withdrawn"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="processed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["unit_path", "processed_on"], name="petition_scope_processed"),
        ),
        migrations.RunPython(fill_processed, migrations.RunPython.noop),
    ]
