"""Anonymise a pupil's personal data (a request for erasure)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobility.audit.context import audit_context
from placements.privacy.erasure import ErasureRefused, is_erased, pupil_erase
from schools.models import Pupil


class Command(BaseCommand):
    help = "Anonymise a pupil's personal data; past runs' statistics and hashes are unchanged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pupil", type=int, required=True, help="The pupil's id.")

    def handle(self, *args: Any, **options: Any) -> None:
        pupil = Pupil.objects.select_related("user").filter(pk=options["pupil"]).first()
        if pupil is None:
            raise CommandError(f"No pupil with id {options['pupil']}.")
        if is_erased(pupil):
            self.stdout.write(f"Pupil {pupil.pk} was already erased.")
            return
        try:
            with audit_context(command="pupil_erase"):
                done = pupil_erase(pupil=pupil, reason="request")
        except ErasureRefused as refused:
            raise CommandError(f"Not erased: {refused}") from refused
        self.stdout.write(
            f"Pupil {done.pupil_id} erased: personal details anonymised; "
            f"{done.matches_kept} match record(s) kept without them."
        )
