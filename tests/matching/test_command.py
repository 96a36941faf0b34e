"""`manage.py run_matching` on the embedded default (no broker: the task runs in-process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from placements.models import Match, MatchRun

from .conftest import REPO, build_world, database_url, populate


@pytest.mark.django_db
def test_unknown_region_is_a_clear_error() -> None:
    build_world()
    with pytest.raises(CommandError, match="No region with code 'nowhere' \\(known: lcr\\)"):
        call_command("run_matching", "--region", "nowhere")
    assert not MatchRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_run_happens_in_process() -> None:
    world = build_world()
    populate(world)
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="mobility.settings.base", DATABASE_URL=database_url())

    done = subprocess.run(
        [sys.executable, "manage.py", "run_matching", "--policy", "max-coverage", "--seed", "4"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    run = MatchRun.objects.get()
    assert (run.status, run.policy, run.seed) == ("succeeded", "max-coverage", 4)
    assert f"Match run {run.pk}: Maximum coverage" in done.stdout
    assert f"Result hash: {run.result_hash}" in done.stdout
    assert Match.objects.filter(run=run).count() == run.statistics["matches_written"] > 0
