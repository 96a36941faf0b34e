# Regions, local authorities and sectors now belong to the geography app, which took over
# their tables; this drops them from placements' migration state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0003_unplaced_pupil"),
        ("geography", "0001_initial"),
        ("employers", "0003_sector_in_geography"),
        ("schools", "0003_geography"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="matchrun",
                    name="region",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="match_runs", to="geography.region"),
                ),
                migrations.RemoveField(model_name="localauthority", name="region"),
                migrations.RemoveField(model_name="region", name="growth_sectors"),
                migrations.DeleteModel(name="LocalAuthority"),
                migrations.DeleteModel(name="Region"),
                migrations.DeleteModel(name="Sector"),
            ],
        ),
    ]
