"""A real Celery worker on Redis executes runs queued by the service (no eager mode)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from placements import engine
from placements.matching import services
from placements.models import Match
from placements.tasks import match_run_execute

from .conftest import Worker, build_world, populate, wait_for_run

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_worker_executes_the_run_to_the_in_process_hash(matching_worker: Worker) -> None:
    world = build_world()
    populate(world, pupils=20)

    run = services.match_run_create(region=world.region, policy="stable", seed=5, parameters={})
    run = wait_for_run(run.pk, matching_worker)

    assert run.status == "succeeded", f"{run.error}\n{matching_worker.output()}"
    assert (run.stage, run.progress) == ("done", 1.0)
    written = set(Match.objects.filter(run=run).values_list("pupil_id", "opportunity_id"))
    assert len(written) == run.statistics["matches_written"] > 0
    # The same snapshot solved here, in this process, gives the same hashes and matches.
    result = engine.run_match(services.snapshot_load(run=run))
    assert (result.report.input_hash, result.report.result_hash) == (run.input_hash, run.result_hash)
    here = {
        (int(p), int(o))
        for p, o, s in zip(result.pupil_id, result.opportunity_id, result.source, strict=True)
        if o >= 0 and s != engine.SOURCE_APPROVED
    }
    assert here == written
    assert "Task placements.tasks.match_run_execute[" in matching_worker.output()

    # Delivered again (as after a lost acknowledgement): the worker leaves the finished run alone.
    before = (run.finished_at, run.result_hash, run.timings)
    last_id = Match.objects.order_by("-pk").values_list("pk", flat=True).first()
    match_run_execute.delay(run.pk)
    deadline = time.monotonic() + 60
    while matching_worker.output().count("succeeded in") < 2:
        assert time.monotonic() < deadline, matching_worker.output()
        time.sleep(0.2)
    run.refresh_from_db()
    assert (run.finished_at, run.result_hash, run.timings) == before
    assert Match.objects.order_by("-pk").values_list("pk", flat=True).first() == last_id
    assert f"Match run {run.pk} has already succeeded" in matching_worker.output()


def test_run_matching_command_waits_for_the_worker(matching_worker: Worker) -> None:
    world = build_world()
    populate(world)
    out = io.StringIO()

    call_command("run_matching", "--region", "lcr", "--seed", "9", "--timeout", "90", stdout=out)

    text = out.getvalue()
    assert "Succeeded" in text and "Placed: " in text and "Blocking pairs: 0" in text
    assert "By priority group:" in text and "free school meals or pupil premium" in text
    assert "Result hash: " in text and "Timings: loading" in text
    assert Match.objects.filter(run__seed=9).exists()
