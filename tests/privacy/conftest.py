"""The small demo with one stable and one max-coverage run, built once for the privacy tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from demo.plan import TODAY as DEMO_TODAY
from mobility.geography.models import Region
from placements.matching.services import match_run_create, match_run_execute
from placements.models import MatchRun


@pytest.fixture(scope="package", autouse=True)
def demo_clock(frozen_clock: time_machine.travel) -> Iterator[None]:
    """The demo is dated for its own academic year; these tests run on its calendar, so its
    placements are still ahead and the runs place pupils as they would on the live demo."""
    frozen_clock.stop()
    with time_machine.travel(dt.datetime.combine(DEMO_TODAY, dt.time(10)), tick=True):
        yield
    frozen_clock.start()


@pytest.fixture(scope="package")
def demo_runs(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[MatchRun]]:
    """Committed outside the per-test transactions, so each test sees it; tests still need `db`.
    It lives until the package ends, so the modules that use it sort last (test_small_numbers_pages,
    test_what_pupils_see)."""
    with django_db_blocker.unblock():
        try:
            runs = _demo_with_runs()
        except BaseException:
            call_command("flush", interactive=False, verbosity=0)
            raise
    yield runs
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _demo_with_runs() -> list[MatchRun]:
    call_command("load_demo", "--size", "small", stdout=StringIO())
    region = Region.objects.get(code="lcr")
    runs = []
    for policy in (MatchRun.Policy.MAX_COVERAGE, MatchRun.Policy.STABLE):
        run = match_run_create(region=region, policy=policy, seed=11)
        # Executed in-process, outside any transaction as a worker runs it (the queued task finds it
        # done and skips it); the demo's timetable journeys are cached while the snapshot is read.
        match_run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert run.status == MatchRun.Status.SUCCEEDED, run.error
        runs.append(run)
    return runs
