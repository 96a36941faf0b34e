# Sector moved to the geography app with its table; only the migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0002_initial"),
        ("geography", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="employer",
                    name="sector",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="employers", to="geography.sector"),
                ),
                migrations.AlterField(
                    model_name="opportunity",
                    name="sector",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="opportunities", to="geography.sector"),
                ),
            ],
        ),
    ]
