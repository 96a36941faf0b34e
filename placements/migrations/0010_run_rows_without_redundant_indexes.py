# The single-column indexes on a match's run and opportunity and an unplaced pupil's run are
# prefixes of other indexes (the unique (run, pupil) ones and (opportunity, status)): dropped,
# so a run's thousands of inserted rows update fewer indexes. The foreign keys stay as they are.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    ("placements_match_opportunity_id_619435eb", "placements_match", "opportunity_id"),
    ("placements_match_run_id_71472d64", "placements_match", "run_id"),
    ("placements_unplacedpupil_run_id_51cd816c", "placements_unplacedpupil", "run_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0009_existing_employers_verified"),
        ("placements", "0009_open_data_release"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="match",
                    name="opportunity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="matches",
                        to="employers.opportunity",
                    ),
                ),
                migrations.AlterField(
                    model_name="match",
                    name="run",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="placements.matchrun",
                    ),
                ),
                migrations.AlterField(
                    model_name="unplacedpupil",
                    name="run",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unplaced",
                        to="placements.matchrun",
                    ),
                ),
            ],
        ),
    ]
