"""Apply the retention periods now, or list what they would do (--dry-run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from placements.privacy.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = "Anonymise pupils past their retention period and delete old tokens and notification records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be done; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = retention_plan() if options["dry_run"] else retention_apply()
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
        for line in plan.lines():
            self.stdout.write(line)
