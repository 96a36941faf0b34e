"""Import a GTFS timetable feed (zip or folder), replacing the current one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from placements.engine.timetable import FeedError
from placements.transit.services import timetable_feed_import


class Command(BaseCommand):
    help = (
        "Validate a GTFS feed (zip or folder) and make it the current timetable. "
        "A malformed feed is refused with the file, row and field, and replaces nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="GTFS zip file or folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            feed = timetable_feed_import(path=path)
        except FeedError as error:
            raise CommandError(f"Feed refused, nothing replaced: {error}") from error
        days = f"{feed.first_day} to {feed.last_day}" if feed.first_day else "no dated services"
        self.stdout.write(
            f"Imported {feed}: {feed.stops} stops, {feed.trips} trips, {days}. "
            "Journeys cached for the previous timetable were dropped."
        )
        if feed.is_demo:
            self.stdout.write("This feed says it is a demo: its times are not a real operator's.")
