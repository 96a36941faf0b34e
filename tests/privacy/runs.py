"""A finished match run, and what erasure must leave exactly as it was: its statistics and hashes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from placements.matching import services
from placements.matching.figures import run_figures
from placements.models import MatchRun
from tests.matching.conftest import build_world, populate


def finished_run(capture_on_commit: Callable[[], Any]) -> MatchRun:
    world = build_world()
    populate(world)
    with capture_on_commit():
        run = services.match_run_create(region=world.region, policy="stable", seed=5)
        services.match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED, run.error
    return run


def fingerprint(run: MatchRun) -> tuple[Any, ...]:
    run.refresh_from_db()
    return (run.statistics, run.input_hash, run.result_hash, run_figures(run=run, reveal=True))
