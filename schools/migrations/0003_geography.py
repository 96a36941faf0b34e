# Local authorities and sectors moved to the geography app with their tables; only the
# migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_pupil_max_travel_default_setting"),
        ("geography", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="school",
                    name="local_authority",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="schools", to="geography.localauthority"),
                ),
                migrations.AlterField(
                    model_name="pupil",
                    name="sector_interests",
                    field=models.ManyToManyField(blank=True, related_name="interested_pupils", to="geography.sector"),
                ),
            ],
        ),
    ]
