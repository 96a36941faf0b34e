"""The same run delivered twice, and the beat jobs run twice at once: the work is done once."""

from __future__ import annotations

from functools import partial

import pytest
import redis

from mobility.celery import app as celery_app
from mobility.outbox import services as outbox
from mobility.outbox.models import OutboxMessage
from placements.matching import services
from placements.models import Match, MatchRun
from tests.matching.conftest import build_world, populate
from tests.threads import at_once

from .conftest import FaultFigures, Lab, assert_consistent, run_finished, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.celery]


def test_the_same_run_delivered_twice(lab: Lab, figures: FaultFigures) -> None:
    world = build_world()
    populate(world, pupils=20)
    workers = [lab.worker(beat=False), lab.worker(beat=False)]
    run = services.match_run_create(region=world.region, seed=2, parameters={})
    # Two more copies of its message, as after a lost acknowledgement or a duplicated publish.
    for _ in range(2):
        celery_app.send_task(services.RUN_TASK, kwargs={"run_id": run.pk}, queue="matching")
    recovered = wait_until(lambda: run_finished(run.pk), 60, "finished", workers[0].output)
    wait_until(
        lambda: sum(w.output().count("match_run_execute[") for w in workers) >= 6, 30, "all three handled"
    )

    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempts == 1
    assert Match.objects.filter(run=run).count() == run.statistics["matches_written"] > 0
    figures.recovered_seconds = recovered
    assert_consistent(figures=figures, emails=lab.emails())


def test_the_beat_jobs_run_twice_at_once(lab: Lab, figures: FaultFigures) -> None:
    world = build_world()
    populate(world, pupils=20)
    lab.redis.kill()  # the runs' hand-outs wait in the outbox
    # One live run per region; what-if runs may sit beside it.
    runs = [
        services.match_run_create(region=world.region, seed=s, parameters={}, what_if=s > 1)
        for s in (1, 2, 3)
    ]
    lab.redis.start()
    OutboxMessage.objects.update(next_attempt_at=None)
    sent = at_once(lambda: outbox.outbox_send().sent)
    assert sorted(sent) == [0, 3] or sum(sent) == 3, sent
    assert redis.Redis(port=lab.redis.port).llen("matching") == 3  # each hand-out published once

    worker = lab.worker()
    for run in runs:
        wait_until(partial(run_finished, run.pk), 90, f"run {run.pk} finished", worker.output)
    assert all(r.attempts == 1 for r in MatchRun.objects.all())
    assert_consistent(figures=figures, emails=lab.emails())
