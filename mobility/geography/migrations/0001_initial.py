# Regions, local authorities and sectors move here from ``placements``. Their tables already
# exist (created by placements' first migrations), so this changes the migration state only
# and keeps the old table names.

import django.db.models.deletion
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """Keep admin permissions attached: the three models' content types change app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="placements", model__in=["region", "localauthority", "sector"]
    ).update(app_label="geography")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="geography", model__in=["region", "localauthority", "sector"]
    ).update(app_label="placements")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("placements", "0003_unplaced_pupil"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Sector",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(unique=True)),
                        ("name", models.CharField(max_length=120, unique=True)),
                        ("sic_sections", models.CharField(help_text="UK SIC 2007 section letters this sector covers, e.g. 'C' or 'J,M'.", max_length=21)),
                    ],
                    options={"db_table": "placements_sector", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(max_length=20, unique=True)),
                        ("name", models.CharField(max_length=120)),
                        ("growth_sectors", models.ManyToManyField(blank=True, db_table="placements_region_growth_sectors", help_text="Sectors the region's industrial strategy names for growth.", related_name="growth_regions", to="geography.sector")),
                    ],
                    options={"db_table": "placements_region", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="LocalAuthority",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(help_text="ONS code, e.g. E08000012.", max_length=9, unique=True)),
                        ("name", models.CharField(max_length=120)),
                        ("region", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="local_authorities", to="geography.region")),
                    ],
                    options={
                        "db_table": "placements_localauthority",
                        "ordering": ["name"],
                        "verbose_name_plural": "local authorities",
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
