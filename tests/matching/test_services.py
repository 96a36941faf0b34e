"""Creating and executing match runs: one transaction for results, honest failures, idempotence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from employers.models import Opportunity
from placements import engine
from placements.matching import results, services
from placements.matching.report import report_lines
from placements.models import Match, MatchRun, MatchStatus, UnplacedPupil
from tests.engine.instances import cohort
from tests.engine.test_disclosure import mentions

from .conftest import MatchWorld, populate

pytestmark = pytest.mark.django_db


def pairs(run: MatchRun) -> set[tuple[int, int]]:
    return set(Match.objects.filter(run=run).values_list("pupil_id", "opportunity_id"))


def executed(run_id: int) -> MatchRun:
    """Runs a queued run in-process; it must not have been claimed already."""
    run = services.match_run_execute(run_id=run_id)
    assert run is not None
    return run


def new_run(
    world: MatchWorld, django_capture_on_commit_callbacks: Any, seed: int = 7, **kwargs: Any
) -> MatchRun:
    # Callbacks are captured, not executed: these tests execute the run in-process.
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.match_run_create(region=world.region, policy="stable", seed=seed, **kwargs)
    assert len(callbacks) == 1
    return run


def test_create_records_a_queued_run_and_queues_it_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.match_run_create(region=world.region, policy="max-coverage", seed=3, parameters={})
        assert callbacks == []  # nothing is queued before the transaction commits
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert (run.status, run.stage, run.policy, run.seed) == ("queued", "queued", "max-coverage", 3)
    assert not Match.objects.exists()


def test_bad_parameters_are_refused_before_anything_is_saved(world):
    with pytest.raises(ValidationError) as error:
        services.match_run_create(region=world.region, seed=1, parameters={"secondary_key": "height"})
    assert "secondary key" in str(error.value)
    with pytest.raises(ValidationError):
        services.match_run_create(region=world.region, seed=1, parameters={"no_such_option": 1})
    assert not MatchRun.objects.exists()


def test_execute_writes_proposed_matches_report_and_timings(world, django_capture_on_commit_callbacks):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)

    run = executed(run.pk)

    assert run is not None
    assert (run.status, run.stage, run.progress, run.error) == ("succeeded", "done", 1.0, "")
    matches = list(Match.objects.filter(run=run))
    stats = run.statistics
    # Seven seats within reach (three near places of two, one of one) for twelve pupils: all filled.
    assert len(matches) == stats["matches_written"] == stats["placed"] == 7
    assert stats["pupils"] == 12 and stats["blocking_pairs"] == 0
    assert {m.status for m in matches} == {MatchStatus.PROPOSED}
    assert len({m.pupil_id for m in matches}) == len(matches)
    for m in matches:
        assert m.rank is not None and m.rank >= 1
        assert m.travel_minutes is not None and m.travel_minutes <= 45
        assert m.explanation
    assert any(m.is_suggestion for m in matches)  # pupils who never applied got suggestions
    assert any(m.priority_tier < 3 for m in matches)
    # No opportunity is over capacity.
    for m in matches:
        held = sum(1 for other in matches if other.opportunity_id == m.opportunity_id)
        assert held <= m.opportunity.capacity
    assert len(run.input_hash) == len(run.result_hash) == 64
    assert set(run.timings) == {"loading", "candidates", "solving", "writing", "total", "cpu"}
    stages = sum(run.timings[s] for s in ("loading", "candidates", "solving", "writing"))
    assert stages == pytest.approx(run.timings["total"], abs=0.01)
    assert stats["labels"]["local_authorities"]["E08000012"] == "Liverpool"
    assert stats["compared_policy"] == "max-coverage" and stats["max_coverage_gain"] == 0  # nothing left
    assert run.started_at is not None and run.finished_at is not None
    assert run.started_at <= run.finished_at
    # Every pupil of the run is either placed or told why not.
    unplaced = list(UnplacedPupil.objects.filter(run=run))
    assert len(unplaced) == stats["pupils"] - stats["placed"] == 5
    assert {u.pupil_id for u in unplaced}.isdisjoint(m.pupil_id for m in matches)
    assert all(u.explanation.endswith(".") and u.reason for u in unplaced)


def test_progress_is_recorded_stage_by_stage(world, django_capture_on_commit_callbacks, monkeypatch):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)
    seen: list[tuple[str, str, float]] = []
    real = engine.run_match

    def watch(label: str) -> None:
        row = MatchRun.objects.get(pk=run.pk)
        seen.append((label, row.stage, row.progress))

    def watched_run_match(data, on_stage=None):
        watch("engine starts")

        def relay(stage: str, fraction: float) -> None:
            on_stage(stage, fraction)
            watch(stage)

        return real(data, on_stage=relay)

    monkeypatch.setattr(engine, "run_match", watched_run_match)
    services.match_run_execute(run_id=run.pk)

    assert seen[0][:2] == ("engine starts", "candidates")
    assert seen[1][:2] == ("candidates", "solving")
    progress = [p for _, _, p in seen]
    assert progress == sorted(progress) and 0 < progress[-1] <= 0.85
    assert MatchRun.objects.get(pk=run.pk).timings["loading"] >= 0


def test_failure_while_writing_leaves_no_matches(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)
    written: list[int] = []

    def explode(**kwargs):
        # The Match rows are already inserted at this point; they must be rolled back.
        written.append(Match.objects.filter(run_id=kwargs["run"].pk).count())
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "run_statistics", explode)
    run = executed(run.pk)

    assert written and written[0] > 0
    assert run.status == "failed" and run.stage == "writing"
    assert run.error == "The run failed while writing results: RuntimeError: disk full"
    assert not Match.objects.filter(run=run).exists()
    assert run.result_hash == "" and run.statistics == {}
    logged = [
        r for r in caplog.records if r.levelname == "ERROR" and f"Match run {run.pk} failed" in r.message
    ]
    assert logged and logged[0].exc_info is not None  # the traceback goes to the log


def test_failure_in_the_engine_is_reported(world, django_capture_on_commit_callbacks, monkeypatch):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)

    def broken(data, on_stage=None):
        on_stage("candidates", 0.2)
        raise ValueError("priority keys too wide to pack")

    monkeypatch.setattr(engine, "run_match", broken)
    run = executed(run.pk)

    assert run.status == "failed"
    assert run.error == "The run failed while solving: ValueError: priority keys too wide to pack"
    assert not Match.objects.exists()


def test_rerun_of_a_failed_run_matches_a_clean_run(world, django_capture_on_commit_callbacks, monkeypatch):
    populate(world)
    failing = new_run(world, django_capture_on_commit_callbacks, seed=11)
    with monkeypatch.context() as patch:
        patch.setattr(services, "run_statistics", lambda **kwargs: 1 / 0)
        assert executed(failing.pk).status == "failed"

    rerun = executed(failing.pk)
    clean = executed(new_run(world, django_capture_on_commit_callbacks, seed=11).pk)
    other_seed = executed(run_id=new_run(world, django_capture_on_commit_callbacks, seed=12).pk)

    assert rerun.status == clean.status == "succeeded" and rerun.error == ""
    assert (rerun.input_hash, rerun.result_hash) == (clean.input_hash, clean.result_hash)
    assert pairs(rerun) == pairs(clean)
    assert other_seed.input_hash != clean.input_hash  # the seed is part of the input


def test_redelivering_a_finished_run_does_nothing(world, django_capture_on_commit_callbacks):
    populate(world)
    run = executed(new_run(world, django_capture_on_commit_callbacks).pk)
    before = (run.result_hash, run.input_hash, run.finished_at, run.timings, pairs(run))
    last_id = Match.objects.order_by("-pk").values_list("pk", flat=True).first()

    assert services.match_run_execute(run_id=run.pk) is None

    run.refresh_from_db()
    assert (run.result_hash, run.input_hash, run.finished_at, run.timings, pairs(run)) == before
    assert Match.objects.order_by("-pk").values_list("pk", flat=True).first() == last_id


def test_a_run_left_running_by_a_dead_worker_is_run_again(world, django_capture_on_commit_callbacks):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)
    MatchRun.objects.filter(pk=run.pk).update(status="running", stage="solving", progress=0.5)

    run = executed(run.pk)

    assert run.status == "succeeded" and Match.objects.filter(run=run).count() == run.statistics["placed"]


def test_a_run_another_worker_is_executing_is_left_alone(world, django_capture_on_commit_callbacks):
    populate(world)
    run = new_run(world, django_capture_on_commit_callbacks)
    MatchRun.objects.filter(pk=run.pk).update(status="running", stage="solving")
    params = connection.get_connection_params()
    # A second session holds the run's lock, as a live worker would.
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        **{k: params[k] for k in ("user", "host", "port") if k in params},
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [services._LOCK_NAMESPACE, run.pk])
        assert services.match_run_execute(run_id=run.pk) is None

    run.refresh_from_db()
    assert (run.status, run.stage) == ("running", "solving")
    assert not Match.objects.exists()


def test_pupils_with_a_live_placement_keep_it(world, django_capture_on_commit_callbacks):
    school = world.school()
    opportunity = world.opportunity(capacity=1)
    holder, hopeful = world.pupil(school), world.pupil(school, care_experienced=True)
    earlier = MatchRun.objects.create(region=world.region, seed=1, status="succeeded")
    Match.objects.create(run=earlier, pupil=holder, opportunity=opportunity, status=MatchStatus.CONFIRMED)
    world.apply(hopeful, opportunity)

    run = executed(new_run(world, django_capture_on_commit_callbacks).pk)

    assert run.status == "succeeded"
    # The confirmed pupil is not matched again, and the full seat is not offered to anyone.
    assert not Match.objects.filter(run=run, pupil=holder).exists()
    assert not Match.objects.filter(run=run, opportunity=opportunity).exists()
    assert run.statistics["approved_before"] == 1


@pytest.mark.parametrize("use_copy", [True, False], ids=["copy", "bulk_create"])
def test_both_insert_paths_write_the_same_rows(world, django_capture_on_commit_callbacks, use_copy):
    populate(world)
    reference = executed(new_run(world, django_capture_on_commit_callbacks).pk)
    columns = ("pupil_id", "opportunity_id", "status", *results.MATCH_COLUMNS[2:])
    expected = sorted(Match.objects.filter(run=reference).values_list(*columns))
    run = new_run(world, django_capture_on_commit_callbacks)
    data = services.snapshot_load(run=run)
    values = results.match_values(data=data, result=engine.run_match(data))

    with transaction.atomic():
        results.matches_insert(run_id=run.pk, values=values, use_copy=use_copy)

    written = Match.objects.filter(run=run)
    assert sorted(written.values_list(*columns)) == expected
    assert all(m.created_at and m.status_changed_at for m in written)


def test_a_pupil_whose_consent_was_refused_is_left_out_of_the_run(world, django_capture_on_commit_callbacks):
    school = world.school()
    opening = world.opportunity(capacity=2)
    refused = world.pupil(school, parental_consent="refused", care_experienced=True)
    other = world.pupil(school)
    world.apply(refused, opening)
    world.apply(other, opening)
    run = executed(new_run(world, django_capture_on_commit_callbacks).pk)

    assert run is not None and run.status == "succeeded"
    assert pairs(run) == {(other.pk, opening.pk)}
    left_out = UnplacedPupil.objects.get(run=run, pupil=refused)
    assert left_out.reason == "NO_CONSENT"
    assert left_out.explanation == (
        "Your parent or carer's consent is not in place, so you were not included in this run."
    )
    assert run.statistics["unplaced_reasons"] == {"NO_CONSENT": 1}


def test_one_unusable_opportunity_does_not_stop_the_run(world, django_capture_on_commit_callbacks):
    school = world.school()
    broken, fine = world.opportunity(), world.opportunity()
    first, second = world.pupil(school), world.pupil(school)
    world.apply(first, broken, fine)
    world.apply(second, fine)
    # As an API bug once allowed: saved without validation.
    Opportunity.objects.filter(pk=broken.pk).update(starts_on=dt.date(1, 1, 1))
    run = executed(new_run(world, django_capture_on_commit_callbacks).pk)

    assert run is not None and (run.status, run.error) == ("succeeded", "")
    assert run.statistics["skipped"] == [
        {"kind": "opportunity", "record_id": broken.pk, "problem": "start or end date out of range"}
    ]
    assert len(pairs(run)) == 1 and pairs(run) <= {(first.pk, fine.pk), (second.pk, fine.pk)}
    assert f"    opportunity {broken.pk}: start or end date out of range" in report_lines(run)


def test_stored_explanations_name_no_group_the_pupil_is_not_in():
    data = cohort(5)
    result = engine.run_match(data)
    flags = {int(data.pupils.pupil_id[p]): p for p in range(len(data.pupils))}
    stored = [(row[0], row[8]) for row in results.match_values(data=data, result=result)]
    stored += [(row[0], row[3]) for row in results.unplaced_values(result=result)]
    assert len(stored) == len(data.pupils)
    for pupil_id, text in stored:
        p = flags[pupil_id]
        for flag in engine.FLAG_NAMES:
            if not data.pupils.flag(flag)[p]:
                assert not mentions(text, flag), (pupil_id, text)


@pytest.mark.parametrize("policy_name", ["stable", "max-coverage"])
def test_stored_reasons_are_the_engine_words_for_each_pupil(policy_name):
    result = engine.run_match(cohort(11, n_pupils=600, n_opps=30, policy_name=policy_name))
    everyone = np.arange(len(result.pupil_id))
    texts = results.reason_texts(result, everyone)
    assert texts == [result.reason_text(i) for i in everyone.tolist()]
    assert len(set(texts)) > 3  # several different reasons, each worked out once
