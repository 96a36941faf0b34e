"""`manage.py load_demo`: the Liverpool City Region demo, with one login per role."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loader import DEFAULT_SEED, SIZES, DemoAlreadyLoaded, build_demo, reset_demo
from mobility.accounts.models import Role


class Command(BaseCommand):
    help = "Load invented schools, pupils and employers for Liverpool City Region (real postcodes)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size", choices=list(SIZES), default="small",
            help="small: 12 schools, ~600 pupils (seconds); full: ~17,000 Year 10 pupils (benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Same seed, same data.")
        parser.add_argument("--reset", action="store_true", help="Delete earlier demo data first.")

    def handle(self, *args: Any, size: str, seed: int, reset: bool, **options: Any) -> None:
        # One transaction: if loading fails, the earlier demo is still there.
        try:
            with transaction.atomic():
                if reset:
                    deleted = reset_demo()
                    self.stdout.write(f"Removed {deleted} rows of earlier demo data.")
                summary = build_demo(size=size, seed=seed)
        except DemoAlreadyLoaded as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.style.SUCCESS(
            f"Loaded the {summary.size} demo (seed {summary.seed}) in {summary.seconds:.1f} s."
        ))
        width = max(len(name) for name in summary.counts)
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>7,}")
        self.stdout.write("\nDemo logins (all share one password):")
        self.stdout.write(f"  {'Role':<32} {'Email':<32} Password")
        for role, email in summary.logins.items():
            self.stdout.write(f"  {Role(role).label:<32} {email:<32} {summary.password}")
