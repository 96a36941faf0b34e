"""Start a match run, wait for it and print its report."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobility.geography.models import Region
from placements.lifecycle.exceptions import RunInProgress
from placements.matching.report import report_lines
from placements.matching.services import match_run_create
from placements.models import MatchRun


class Command(BaseCommand):
    help = "Start a match run for a region, wait for it to finish and print the run report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="lcr", help="Region code (default: lcr).")
        parser.add_argument("--policy", default=MatchRun.Policy.STABLE, choices=MatchRun.Policy.values)
        parser.add_argument("--seed", type=int, help="Lottery seed (default: a random one, printed).")
        parser.add_argument(
            "--wait",
            action="store_true",
            default=True,
            help="Wait for the run and print its report (default).",
        )
        parser.add_argument("--no-wait", dest="wait", action="store_false", help="Queue the run and return.")
        parser.add_argument("--timeout", type=float, default=600.0, help="Seconds to wait (default: 600).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = Region.objects.get(code=options["region"])
        except Region.DoesNotExist:
            known = ", ".join(Region.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"No region with code {options['region']!r} (known: {known}).") from None
        try:
            run = match_run_create(region=region, policy=options["policy"], seed=options["seed"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except RunInProgress as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Match run {run.pk} queued for {region.name} ({run.policy}, seed {run.seed}).")
        if not options["wait"]:
            return
        run = self._wait(run.pk, options["timeout"])
        for line in report_lines(run):
            self.stdout.write(line)
        if run.status == MatchRun.Status.FAILED:
            raise CommandError(f"Match run {run.pk} failed.")

    def _wait(self, run_id: int, timeout: float) -> MatchRun:
        deadline = time.monotonic() + timeout
        shown = None
        while True:
            run = MatchRun.objects.get(pk=run_id)
            state = (run.status, run.stage)
            if state != shown:
                self.stdout.write(
                    f"  {run.get_status_display()}: {run.get_stage_display()} ({run.progress:.0%})"
                )
                shown = state
            if run.status in (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED):
                return run
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Gave up after {timeout:.0f} s: run {run_id} is still {run.status} ({run.stage}). "
                    "Is a worker listening on the 'matching' queue?"
                )
            time.sleep(0.25)
