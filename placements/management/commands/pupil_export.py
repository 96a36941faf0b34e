"""Print everything held about a pupil as JSON (a subject access request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobility.audit.services import pupil_record_view_record
from placements.privacy.access import pupil_record_json
from schools.models import Pupil


class Command(BaseCommand):
    help = "Everything the platform holds about one pupil, as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pupil", type=int, required=True, help="The pupil's id.")
        parser.add_argument("--output", type=Path, help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        pupil = Pupil.objects.filter(pk=options["pupil"]).first()
        if pupil is None:
            raise CommandError(f"No pupil with id {options['pupil']}.")
        text = pupil_record_json(pupil=pupil)
        pupil_record_view_record(pupil_id=pupil.pk, viewer=None, place="pupil_export command")
        if options["output"]:
            options["output"].write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote the record of pupil {pupil.pk} to {options['output']}.")
        else:
            self.stdout.write(text)
