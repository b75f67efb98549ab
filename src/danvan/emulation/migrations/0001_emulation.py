import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Subtree ranges on the copies of the unit path compare bytes, as on `units_unit.path` (units/0002).
TABLES = ("emulation_movement", "emulation_commendation")


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"')


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("outreach", "0001_outreach"),
        ("practices", "0001_practices"),
        ("units", "0003_unit_frame"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Commendation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                (
                    "recipient",
                    models.CharField(
                        choices=[("collective", "Collective"), ("individual", "Individual")],
                        max_length=20,
                        verbose_name="recipient",
                    ),
                ),
                (
                    "group_name",
                    models.CharField(blank=True, max_length=300, verbose_name="name of the group"),
                ),
                ("person_name", models.CharField(blank=True, max_length=200, verbose_name="full name")),
                ("person_position", models.CharField(blank=True, max_length=200, verbose_name="position")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("country", "Country"),
                            ("province", "Province level"),
                            ("district", "District level"),
                            ("commune", "Commune level"),
                            ("agency", "Agency"),
                        ],
                        max_length=20,
                        verbose_name="level",
                    ),
                ),
                (
                    "form",
                    models.CharField(
                        choices=[
                            (
                                "commune_pc_certificate",
                                "Certificate of merit of the chairman of the commune People's Committee",
                            ),
                            (
                                "district_pc_certificate",
                                "Certificate of merit of the chairman of the district People's Committee",
                            ),
                            (
                                "province_pc_certificate",
                                "Certificate of merit of the chairman of the provincial People's Committee",
                            ),
                            (
                                "commune_party_certificate",
                                "Certificate of merit of the commune Party committee",
                            ),
                            (
                                "district_party_certificate",
                                "Certificate of merit of the district Party committee",
                            ),
                            (
                                "province_party_certificate",
                                "Certificate of merit of the provincial Party committee",
                            ),
                            (
                                "province_emulation_flag",
                                "Emulation flag of the provincial People's Committee",
                            ),
                            ("prime_minister_certificate", "Certificate of merit of the Prime Minister"),
                            ("central_certificate", "Certificate of merit of a central body"),
                        ],
                        max_length=40,
                        verbose_name="form of commendation",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("decided", "Commended"),
                            ("declined", "Not approved"),
                            ("revoked", "Revoked"),
                        ],
                        default="proposed",
                        max_length=20,
                    ),
                ),
                (
                    "decision_number",
                    models.CharField(blank=True, max_length=60, verbose_name="decision number"),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="decision date")),
                ("issuer", models.CharField(blank=True, max_length=200, verbose_name="issued by")),
                ("work_from", models.DateField(blank=True, null=True, verbose_name="work from")),
                ("work_to", models.DateField(blank=True, null=True, verbose_name="work to")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("version", models.PositiveIntegerField(default=0)),
                (
                    "activity",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="outreach.activity",
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
                    "issuer_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="issuing unit",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="commendations",
                        to="practices.practicemodel",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="unit of the recipient",
                    ),
                ),
            ],
            options={
                "verbose_name": "commendation",
                "verbose_name_plural": "commendations",
            },
        ),
        migrations.CreateModel(
            name="CommendationEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=30)),
                ("from_status", models.CharField(blank=True, max_length=20)),
                ("to_status", models.CharField(blank=True, max_length=20)),
                ("on", models.DateField()),
                ("note", models.TextField(blank=True)),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "commendation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="emulation.commendation",
                    ),
                ),
            ],
            options={
                "ordering": ["commendation", "on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Movement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                ("name", models.CharField(max_length=300, verbose_name="name")),
                ("name_folded", models.CharField(editable=False, max_length=300)),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(blank=True, null=True, verbose_name="to")),
                ("description", models.TextField(blank=True, verbose_name="description")),
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
                    "resolution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="movements",
                        to="outreach.resolution",
                        verbose_name="carries out",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="launched by",
                    ),
                ),
            ],
            options={
                "ordering": ["-starts_on", "pk"],
            },
        ),
        migrations.AddField(
            model_name="commendation",
            name="movement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="commendations",
                to="emulation.movement",
            ),
        ),
        migrations.AddIndex(
            model_name="commendation",
            index=models.Index(fields=["unit_path", "decided_on"], name="emulation_commendation_scope"),
        ),
        migrations.AddIndex(
            model_name="commendation",
            index=models.Index(fields=["decision_number", "decided_on"], name="emulation_decision"),
        ),
        migrations.AddConstraint(
            model_name="commendation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "form__in",
                        [
                            "commune_pc_certificate",
                            "district_pc_certificate",
                            "province_pc_certificate",
                            "commune_party_certificate",
                            "district_party_certificate",
                            "province_party_certificate",
                            "province_emulation_flag",
                            "prime_minister_certificate",
                            "central_certificate",
                        ],
                    )
                ),
                name="emulation_form_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="commendation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "decided"), _negated=True),
                    models.Q(("decided_on__isnull", False), models.Q(("decision_number", ""), _negated=True)),
                    _connector="OR",
                ),
                name="emulation_decided_has_decision",
            ),
        ),
        migrations.RunPython(binary_collation, migrations.RunPython.noop),
    ]
