import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Subtree ranges on the copies of the unit path compare bytes, as on `units_unit.path` (units/0002).
TABLES = ("outreach_issueddocument", "outreach_activity", "outreach_participation")


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"')


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("units", "0003_unit_frame"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Resolution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=60, unique=True, verbose_name="number")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resolution", "Resolution"),
                            ("conclusion", "Conclusion"),
                            ("directive", "Directive"),
                            ("decision", "Decision"),
                            ("regulation", "Regulation"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("issued_on", models.DateField(verbose_name="issued on")),
                ("issuer", models.CharField(max_length=200, verbose_name="issued by")),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("active", models.BooleanField(default=True, verbose_name="in use")),
            ],
            options={
                "ordering": ["issued_on", "number"],
            },
        ),
        migrations.CreateModel(
            name="IssuedDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                ("number", models.CharField(max_length=60, verbose_name="number")),
                ("issued_on", models.DateField(verbose_name="issued on")),
                (
                    "doc_type",
                    models.CharField(
                        choices=[
                            ("resolution", "Resolution"),
                            ("conclusion", "Conclusion"),
                            ("directive", "Directive"),
                            ("plan", "Plan"),
                            ("programme", "Programme of action"),
                            ("guidance", "Guidance"),
                            ("decision", "Decision"),
                            ("regulation", "Regulation"),
                            ("report", "Report"),
                            ("other", "Other document"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("title_folded", models.CharField(editable=False, max_length=500)),
                ("issuer", models.CharField(max_length=200, verbose_name="issued by")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("version", models.PositiveIntegerField(default=0)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="unit",
                    ),
                ),
                (
                    "implements",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="outreach.resolution",
                        verbose_name="carries out",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Activity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("conference", "Dissemination conference"),
                            ("training", "Training or coaching course"),
                            ("dialogue", "Dialogue conference with the people"),
                            ("inspection", "Inspection or supervision of mass mobilization work"),
                            ("voter_contact", "Voter contact meeting"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("title_folded", models.CharField(editable=False, max_length=500)),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(verbose_name="to")),
                ("venue", models.CharField(blank=True, max_length=300, verbose_name="venue")),
                ("participants_total", models.PositiveIntegerField(default=0, verbose_name="participants")),
                ("from_attendance", models.BooleanField(default=False)),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("version", models.PositiveIntegerField(default=0)),
                (
                    "co_organisers",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="units.unit", verbose_name="co-organisers"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="lead organiser",
                    ),
                ),
                (
                    "documents",
                    models.ManyToManyField(
                        blank=True,
                        related_name="activities",
                        to="outreach.issueddocument",
                        verbose_name="documents disseminated",
                    ),
                ),
                (
                    "resolutions",
                    models.ManyToManyField(
                        blank=True,
                        related_name="activities",
                        to="outreach.resolution",
                        verbose_name="resolutions disseminated",
                    ),
                ),
            ],
            options={
                "verbose_name": "activity",
                "verbose_name_plural": "activities",
            },
        ),
        migrations.CreateModel(
            name="Attendee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField()),
                ("full_name", models.CharField(max_length=200, verbose_name="full name")),
                ("name_folded", models.CharField(editable=False, max_length=200)),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("cadres", "Cadres"),
                            ("party_members", "Party members"),
                            ("union_members", "Union members"),
                            ("association_members", "Association members"),
                            ("mm_cadres", "Mass mobilization cadres"),
                            ("citizens", "Citizens"),
                            ("other", "Other participants"),
                            ("unspecified", "Not broken down"),
                        ],
                        max_length=30,
                        verbose_name="category",
                    ),
                ),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=300, verbose_name="unit or organisation"),
                ),
                ("job_title", models.CharField(blank=True, max_length=200, verbose_name="position")),
                (
                    "activity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendees",
                        to="outreach.activity",
                    ),
                ),
            ],
            options={
                "ordering": ["activity", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("activity", "position"), name="outreach_attendee_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Participation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("cadres", "Cadres"),
                            ("party_members", "Party members"),
                            ("union_members", "Union members"),
                            ("association_members", "Association members"),
                            ("mm_cadres", "Mass mobilization cadres"),
                            ("citizens", "Citizens"),
                            ("other", "Other participants"),
                            ("unspecified", "Not broken down"),
                        ],
                        max_length=30,
                        verbose_name="category",
                    ),
                ),
                ("count", models.PositiveIntegerField(verbose_name="number of people")),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("conference", "Dissemination conference"),
                            ("training", "Training or coaching course"),
                            ("dialogue", "Dialogue conference with the people"),
                            ("inspection", "Inspection or supervision of mass mobilization work"),
                            ("voter_contact", "Voter contact meeting"),
                        ],
                        editable=False,
                        max_length=20,
                    ),
                ),
                ("held_on", models.DateField(editable=False)),
                (
                    "activity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="outreach.activity",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["unit_path", "held_on"], name="outreach_participation_scope")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("activity", "category"), name="outreach_participation_once"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="issueddocument",
            index=models.Index(fields=["unit_path", "issued_on"], name="outreach_document_scope"),
        ),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.UniqueConstraint(
                fields=("unit", "number", "issued_on"), name="outreach_document_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "doc_type__in",
                        [
                            "resolution",
                            "conclusion",
                            "directive",
                            "plan",
                            "programme",
                            "guidance",
                            "decision",
                            "regulation",
                            "report",
                            "other",
                        ],
                    )
                ),
                name="outreach_document_type",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["unit_path", "starts_on"], name="outreach_activity_scope"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["kind", "starts_on"], name="outreach_activity_kind_day"),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="outreach_activity_dates"
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["conference", "training", "dialogue", "inspection", "voter_contact"])
                ),
                name="outreach_activity_kind",
            ),
        ),
        migrations.RunPython(binary_collation, migrations.RunPython.noop),
    ]
