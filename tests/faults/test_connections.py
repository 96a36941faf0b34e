"""A worker's database session dropped (pg_terminate_backend) mid-run: never stuck, retried."""

from __future__ import annotations

import time

import pytest

from placements.matching import services
from placements.models import Match
from tests.matching.conftest import build_world, populate

from .conftest import FaultFigures, Lab, assert_consistent, run_finished, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.celery]


@pytest.mark.parametrize("stage", ["candidates", "writing"])
def test_connection_dropped_mid_run_is_retried(lab: Lab, figures: FaultFigures, stage: str) -> None:
    world = build_world()
    populate(world, pupils=20)
    worker = lab.worker(pause_at=stage, pause_seconds=3)
    run = services.match_run_create(region=world.region, seed=6, parameters={})
    worker.wait_for(f"FAULT: paused in {stage} for run {run.pk}")
    assert lab.terminate_sessions(worker) >= 1
    dropped = time.monotonic()
    wait_until(lambda: run_finished(run.pk), 60, "finished", worker.output)

    run.refresh_from_db()
    assert run.status == "succeeded", f"{run.error}\n{worker.output()[-3000:]}"
    assert run.attempts == 2 and "database connection" in run.recovery_note, run.recovery_note
    assert Match.objects.filter(run=run).count() == run.statistics["matches_written"] > 0
    figures.recovered_seconds = time.monotonic() - dropped
    assert_consistent(figures=figures, emails=lab.emails())
