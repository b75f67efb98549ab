import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Subtree ranges on the copies of the unit path compare bytes, as on `units_unit.path` (units/0002).
TABLES = ("practices_practicemodel", "practices_recognition")


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
            name="CriteriaSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=300, verbose_name="name")),
                (
                    "applies",
                    models.CharField(
                        choices=[("collective", "Collectives"), ("individual", "Individuals")],
                        max_length=20,
                        verbose_name="for",
                    ),
                ),
                ("first_year", models.PositiveSmallIntegerField(verbose_name="from year")),
                (
                    "last_year",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="to year"),
                ),
                (
                    "pass_mark",
                    models.PositiveSmallIntegerField(verbose_name="points needed to be recognised"),
                ),
                ("source", models.CharField(blank=True, max_length=300, verbose_name="source")),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="province",
                    ),
                ),
            ],
            options={
                "ordering": ["first_year", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Criterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                ("text", models.CharField(max_length=500, verbose_name="criterion")),
                ("max_points", models.PositiveSmallIntegerField(verbose_name="maximum points")),
                (
                    "criteria_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="practices.criteriaset",
                    ),
                ),
            ],
            options={
                "ordering": ["criteria_set", "position"],
            },
        ),
        migrations.CreateModel(
            name="PracticeModel",
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
                            ("model", "Model"),
                            ("exemplar_collective", "Exemplar (collective)"),
                            ("exemplar_individual", "Exemplar (individual)"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=300, verbose_name="name")),
                ("name_folded", models.CharField(editable=False, max_length=300)),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("economy", "Economy"),
                            ("culture_society", "Culture and society"),
                            ("defence_security", "Defence and security"),
                            ("political_system", "Building the political system"),
                        ],
                        max_length=30,
                        verbose_name="field",
                    ),
                ),
                ("registered_on", models.DateField(verbose_name="registered on")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year registered")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="address")),
                ("carried_out_by", models.TextField(verbose_name="people and units carrying it out")),
                ("aims", models.TextField(verbose_name="aims")),
                ("expected_results", models.TextField(blank=True, verbose_name="expected results")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("registered", "Registered"),
                            ("carrying_out", "Being carried out"),
                            ("under_review", "Under review"),
                            ("recognised", "Recognised"),
                            ("not_recognised", "Not recognised"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="registered",
                        max_length=20,
                    ),
                ),
                (
                    "review_level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("country", "Country"),
                            ("province", "Province level"),
                            ("district", "District level"),
                            ("commune", "Commune level"),
                            ("agency", "Agency"),
                        ],
                        max_length=20,
                        verbose_name="level reviewed for",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("country", "Country"),
                            ("province", "Province level"),
                            ("district", "District level"),
                            ("commune", "Commune level"),
                            ("agency", "Agency"),
                        ],
                        max_length=20,
                        verbose_name="level recognised",
                    ),
                ),
                ("recognised_on", models.DateField(blank=True, null=True, verbose_name="recognised on")),
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
                    "replicated_from",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="replicas",
                        to="practices.practicemodel",
                        verbose_name="replicates",
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
            ],
            options={
                "verbose_name": "model",
                "verbose_name_plural": "models",
            },
        ),
        migrations.CreateModel(
            name="PracticeEvent",
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
                (
                    "level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("country", "Country"),
                            ("province", "Province level"),
                            ("district", "District level"),
                            ("commune", "Commune level"),
                            ("agency", "Agency"),
                        ],
                        max_length=20,
                    ),
                ),
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
                    "model",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="practices.practicemodel",
                    ),
                ),
            ],
            options={
                "ordering": ["model", "on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Evaluation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
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
                ("reviewed_on", models.DateField(verbose_name="reviewed on")),
                ("total", models.PositiveSmallIntegerField(verbose_name="points")),
                ("passed", models.BooleanField(verbose_name="meets the pass mark")),
                ("note", models.TextField(blank=True, verbose_name="remarks")),
                (
                    "board_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="reviewing unit",
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
                    "criteria_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="practices.criteriaset",
                    ),
                ),
                (
                    "model",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evaluations",
                        to="practices.practicemodel",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Recognition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
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
                ("decision_number", models.CharField(max_length=60, verbose_name="decision number")),
                ("decided_on", models.DateField(verbose_name="decided on")),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("economy", "Economy"),
                            ("culture_society", "Culture and society"),
                            ("defence_security", "Defence and security"),
                            ("political_system", "Building the political system"),
                        ],
                        editable=False,
                        max_length=30,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("model", "Model"),
                            ("exemplar_collective", "Exemplar (collective)"),
                            ("exemplar_individual", "Exemplar (individual)"),
                        ],
                        editable=False,
                        max_length=30,
                    ),
                ),
                (
                    "board_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="recognising unit",
                    ),
                ),
                (
                    "evaluation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recognition",
                        to="practices.evaluation",
                    ),
                ),
                (
                    "model",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recognitions",
                        to="practices.practicemodel",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Score",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("points", models.PositiveSmallIntegerField(verbose_name="points")),
                (
                    "criterion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="practices.criterion",
                    ),
                ),
                (
                    "evaluation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="practices.evaluation",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="criterion",
            constraint=models.UniqueConstraint(
                fields=("criteria_set", "position"), name="practices_criterion_position"
            ),
        ),
        migrations.AddIndex(
            model_name="practicemodel",
            index=models.Index(fields=["unit_path", "registered_on"], name="practices_model_scope"),
        ),
        migrations.AddIndex(
            model_name="practicemodel",
            index=models.Index(fields=["status", "year"], name="practices_model_status_year"),
        ),
        migrations.AddConstraint(
            model_name="practicemodel",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("field__in", ["economy", "culture_society", "defence_security", "political_system"])
                ),
                name="practices_model_field",
            ),
        ),
        migrations.AddConstraint(
            model_name="practicemodel",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["model", "exemplar_collective", "exemplar_individual"])),
                name="practices_model_kind",
            ),
        ),
        migrations.AddIndex(
            model_name="recognition",
            index=models.Index(fields=["unit_path", "decided_on"], name="practices_recognition_scope"),
        ),
        migrations.AddConstraint(
            model_name="recognition",
            constraint=models.UniqueConstraint(fields=("model", "level"), name="practices_recognised_once"),
        ),
        migrations.AddConstraint(
            model_name="score",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "criterion"), name="practices_score_once"
            ),
        ),
        migrations.RunPython(binary_collation, migrations.RunPython.noop),
    ]
