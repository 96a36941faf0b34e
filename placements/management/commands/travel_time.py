"""Door-to-door journey between two postcodes from the current timetable."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobility.geography import postcodes
from placements.engine.timetable.planner import clock
from placements.transit.selectors import arrive_by_minutes, journey_between


class Command(BaseCommand):
    help = (
        "Latest journey between two postcodes that arrives by a time on a date, from the imported timetable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="origin", required=True, help="Start postcode.")
        parser.add_argument("--to", dest="destination", required=True, help="Destination postcode.")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD.")
        parser.add_argument("--arrive-by", help="HH:MM (default: the ARRIVE_BY setting, 08:50).")
        parser.add_argument("--step-free", action="store_true", help="Only step-free stops and vehicles.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            origin = postcodes.locate(options["origin"])
            destination = postcodes.locate(options["destination"])
        except postcodes.PostcodeError as error:
            raise CommandError(str(error)) from error
        try:
            day = dt.date.fromisoformat(options["date"])
            arrive_by = arrive_by_minutes(options["arrive_by"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        answer = journey_between(
            origin=(origin.easting, origin.northing),
            destination=(destination.easting, destination.northing),
            day=day,
            arrive_by=arrive_by,
            step_free=options["step_free"],
        )
        journey = answer.journey
        result: dict[str, Any] = {
            "from": origin.postcode,
            "to": destination.postcode,
            "date": day.isoformat(),
            "arrive_by": clock(arrive_by * 60),
            "source": answer.source,
            "feed": answer.feed_label,
            "demo_timetables": answer.is_demo,
        }
        if journey is None:
            result["journey"] = None
            result["reason"] = answer.no_journey or answer.fallback_reason
        else:
            result.update(
                minutes=journey.minutes,
                changes=journey.changes,
                depart=clock(journey.depart),
                arrive=clock(journey.arrive),
                legs=[leg.describe() for leg in journey.legs],
            )
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        if answer.is_demo:
            self.stdout.write("(demo timetables, not real ones)")
        if journey is None:
            self.stdout.write(f"no journey: {result['reason']}")
            return
        self.stdout.write(
            f"{journey.minutes} min, {journey.changes} change{'s' if journey.changes != 1 else ''}, "
            f"leave {result['depart']}, arrive {result['arrive']}"
        )
        for leg in result["legs"]:
            self.stdout.write(f"  {leg}")
