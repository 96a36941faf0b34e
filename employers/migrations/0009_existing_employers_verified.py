"""Organisations on the platform before employers could sign themselves up were set up by the
placement organisers, so they count as verified; the note says so."""

from typing import Any

from django.db import migrations
from django.utils import timezone

NOTE = "Already on the platform when employer sign-up began; set up by the placement organisers."


def mark_verified(apps: Any, schema_editor: Any) -> None:
    Employer = apps.get_model("employers", "Employer")
    Employer.objects.filter(verification_status="pending").update(
        verification_status="verified", verification_decided_at=timezone.now(), verification_note=NOTE
    )


class Migration(migrations.Migration):
    dependencies = [("employers", "0008_employer_verification")]

    operations = [migrations.RunPython(mark_verified, migrations.RunPython.noop)]
