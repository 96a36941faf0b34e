"""Who looked at a pupil's personal details. Append-only: a database trigger refuses edits and deletes.

Changes to records are kept by django-pghistory in each domain app's event tables; this
table holds the one thing a trigger cannot see, a read. The pupil is held by id, not by a
foreign key, so the kernel depends on no domain app and a row outlives an erased pupil.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models


class PupilRecordView(models.Model):
    pupil_id = models.BigIntegerField(db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept as words too, so the row still says who it was if the account goes.
    viewer_name = models.CharField(max_length=300)
    viewer_role = models.CharField(max_length=20)
    place = models.CharField(max_length=60, help_text="The page or API answer that showed the details.")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["pupil_id", "-viewed_at"])]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_name} viewed pupil {self.pupil_id} ({self.place})"
