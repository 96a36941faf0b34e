"""A worker killed mid-run (SIGKILL): the run is resumed elsewhere and gives exactly one result."""

from __future__ import annotations

import os
import signal
import time

import pytest

from placements.matching import services
from placements.models import Match, MatchRun
from tests.matching.conftest import build_world, populate

from .conftest import FaultFigures, Lab, assert_consistent, run_finished, run_in_stage, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.celery]


def test_worker_main_process_killed_mid_run_then_a_new_worker(lab: Lab, figures: FaultFigures) -> None:
    world = build_world()
    populate(world, pupils=20)
    first = lab.worker(pool="prefork", beat=False, pause_at="solving", pause_seconds=30)
    run = services.match_run_create(region=world.region, seed=3, parameters={})
    wait_until(lambda: run_in_stage(run.pk, "solving"), 60, "solving", first.output)

    children = first.children()
    os.kill(first.process.pid, signal.SIGKILL)
    killed = time.monotonic()
    first.process.wait(timeout=10)
    for pid in children:  # the pool process dies with its parent, as a container's would
        os.kill(pid, signal.SIGKILL)
    second = lab.worker(pool="prefork")
    wait_until(lambda: run_finished(run.pk), 90, "finished", second.output)
    recovered = time.monotonic() - killed  # a new worker's start-up included
    assert recovered < 90

    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.attempts == 2 and "stopped while solving" in run.recovery_note
    assert Match.objects.filter(run=run).count() == run.statistics["matches_written"] > 0
    assert MatchRun.objects.count() == 1
    figures.recovered_seconds = recovered
    assert_consistent(figures=figures, emails=lab.emails())


def test_pool_process_killed_mid_write(lab: Lab, figures: FaultFigures) -> None:
    world = build_world()
    populate(world, pupils=20)
    worker = lab.worker(pool="prefork", beat=False, pause_at="writing", pause_seconds=30)
    run = services.match_run_create(region=world.region, seed=4, parameters={})
    worker.wait_for(f"FAULT: paused in writing for run {run.pk}")
    # The matches are inserted but not committed when the pool process dies.
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)
    recovered = wait_until(lambda: run_finished(run.pk), 90, "finished", worker.output)  # from the kill

    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.attempts == 2
    assert Match.objects.filter(run=run).count() == run.statistics["matches_written"] > 0
    assert worker.process.poll() is None, "the worker itself stays up"
    figures.recovered_seconds = recovered
    assert_consistent(figures=figures, emails=lab.emails())
