"""`manage.py load_demo`: the Liverpool City Region demo, with one login per role."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo.accounts import two_factor_note
from demo.loader import DEFAULT_SEED, SIZES, DemoAlreadyLoaded, build_demo, reset_demo
from mobility.accounts.models import Role
from mobility.transit.models import TimetableFeed
from placements.transit.services import timetable_feed_import

DEMO_FEED = Path(__file__).resolve().parents[2] / "data" / "lcr-demo-gtfs.zip"


class Command(BaseCommand):
    help = "Load invented schools, pupils and employers for Liverpool City Region (real postcodes)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="small: 12 schools, ~600 pupils (seconds); full: ~17,000 Year 10 pupils (benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Same seed, same data.")
        parser.add_argument("--reset", action="store_true", help="Delete earlier demo data first.")
        parser.add_argument(
            "--no-timetable",
            dest="timetable",
            action="store_false",
            help="Do not import the demo's generated bus and rail timetable.",
        )

    def handle(self, *args: Any, size: str, seed: int, reset: bool, timetable: bool, **options: Any) -> None:
        # One transaction: if loading fails, the earlier demo is still there.
        try:
            with transaction.atomic():
                if reset:
                    deleted = reset_demo()
                    self.stdout.write(f"Removed {deleted} rows of earlier demo data.")
                summary = build_demo(size=size, seed=seed)
        except DemoAlreadyLoaded as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the {summary.size} demo (seed {summary.seed}) in {summary.seconds:.1f} s."
            )
        )
        if timetable:
            self._import_demo_timetable()
        # Planner statistics for the rows just loaded. Autovacuum would gather them within a minute
        # or so, if it is on; until then PostgreSQL plans as if the tables were empty (the pupil
        # search's join took 140 ms instead of 20 on the full demo).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        width = max(len(name) for name in summary.counts)
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>7,}")
        self.stdout.write("\nDemo logins (all share one password):")
        self.stdout.write(f"  {'Role':<42} {'Email':<32} Password")
        for role, email in summary.logins.items():
            self.stdout.write(f"  {Role(role).label:<42} {email:<32} {summary.password}")
        self.stdout.write("\n" + two_factor_note())

    def _import_demo_timetable(self) -> None:
        """The demo's generated feed, unless a real one has been imported (that one is kept)."""
        if TimetableFeed.objects.filter(is_demo=False).exists():
            self.stdout.write("Kept the imported timetable; the demo timetable was not loaded.")
            return
        feed = timetable_feed_import(path=DEMO_FEED)
        self.stdout.write(f"Imported {feed} (generated, not a real operator's times).")
