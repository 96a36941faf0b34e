"""Writes for match runs: create one (and queue it), and execute one.

Progress is recorded on the MatchRun row in its own short updates so a
progress bar can poll it; the results (every Match row, the statistics and
the hashes) are written in ONE transaction, so a run that dies part-way
leaves no partial matches and can simply be run again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from mobility.geography.models import Region
from placements import engine
from placements.engine import MatchInput, MatchResult, Policy, TravelModel
from placements.lifecycle.exceptions import RunInProgress
from placements.models import MatchRun

from .results import match_values, matches_insert, run_statistics, unplaced_insert, unplaced_values
from .selectors import match_input_build

if TYPE_CHECKING:
    from mobility.accounts.models import User

logger = logging.getLogger(__name__)

Stage = MatchRun.Stage
# Share of the progress bar each stage covers, as (start, end).
PROGRESS: dict[str, tuple[float, float]] = {
    Stage.LOADING: (0.0, 0.1),
    Stage.CANDIDATES: (0.1, 0.3),
    Stage.SOLVING: (0.3, 0.85),
    Stage.WRITING: (0.85, 1.0),
}
# Engine stages (reported when each one ends) -> the run stage that follows.
ENGINE_NEXT_STAGE = {"candidates": Stage.SOLVING}
# Postgres advisory-lock namespace for "a worker is executing this run".
_LOCK_NAMESPACE = 0x4D52  # "MR"


def policy_build(*, name: str, seed: int, parameters: dict[str, Any]) -> Policy:
    """The engine policy for a run. Bad parameters raise ValidationError."""
    values = dict(parameters)
    # The coverage comparison is part of every report unless turned off.
    values.setdefault("compare_coverage", True)
    try:
        if "travel" in values:
            values["travel"] = TravelModel(**values["travel"])
        if "priority_tiers" in values:
            values["priority_tiers"] = tuple(tuple(tier) for tier in values["priority_tiers"])
        return Policy(name=name, seed=seed, **values)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise ValidationError({"parameters": f"Invalid matching parameters: {error}"}) from error


def match_run_create(
    *,
    region: Region,
    policy: str = MatchRun.Policy.STABLE,
    seed: int | None = None,
    parameters: dict[str, Any] | None = None,
    created_by: User | None = None,
    what_if: bool = False,
) -> MatchRun:
    """Record a queued run and hand it to a worker once this transaction commits.

    A region has at most one live run queued or running (``RunInProgress`` otherwise).
    Max-coverage runs, and any run asked for as ``what_if``, are for comparison only.
    """
    from placements.tasks import match_run_execute as match_run_execute_task

    if seed is None:
        seed = secrets.randbelow(2**31)
    parameters = dict(parameters or {})
    policy_build(name=policy, seed=seed, parameters=parameters)
    run = MatchRun(
        region=region,
        policy=policy,
        seed=seed,
        parameters=parameters,
        created_by=created_by,
        status=MatchRun.Status.QUEUED,
        stage=Stage.QUEUED,
        what_if=what_if or policy == MatchRun.Policy.MAX_COVERAGE,
    )
    run.full_clean(validate_constraints=False)  # the one-live-run rule is answered below
    busy = _live_run(region) if not run.what_if else None
    if busy is not None:
        raise _in_progress(region, busy)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as error:  # another adviser started one at the same moment
        raise _in_progress(region, _live_run(region)) from error
    run_id = run.pk
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Embedded demo, no worker: a thread, so the request that started the run returns at once.
        transaction.on_commit(lambda: _execute_in_background(run_id))
    else:
        transaction.on_commit(lambda: match_run_execute_task.delay(run_id))
    return run


def _execute_in_background(run_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_execute_then_close, args=(run_id,), name=f"match-run-{run_id}", daemon=True
    )
    thread.start()
    return thread


def _execute_then_close(run_id: int) -> None:
    try:
        match_run_execute(run_id=run_id)
    except Exception:
        logger.exception("Match run %s failed in the background.", run_id)
    finally:
        connections.close_all()  # this thread's own connections; the request's are untouched


def _live_run(region: Region) -> MatchRun | None:
    live = (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)
    return MatchRun.objects.filter(region=region, what_if=False, status__in=live).first()


def _in_progress(region: Region, busy: MatchRun | None) -> RunInProgress:
    which = f" (run {busy.pk}, {busy.get_status_display().lower()})" if busy else ""
    return RunInProgress(
        f"A match run for {region.name} is already under way{which}. "
        "Wait for it to finish, or start a what-if run to compare."
    )


@contextmanager
def _exclusive(run_id: int) -> Iterator[bool]:
    """Hold a session advisory lock on the run while executing it.

    The lock dies with the worker's connection, so a run left "running" by a
    dead worker can be taken over, while a live worker's run cannot.
    """
    if connection.vendor != "postgresql":
        yield True  # the embedded database runs tasks in-process, one at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, run_id % 2**31])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, run_id % 2**31])


class _Progress:
    """Records stage, progress and per-stage seconds on the run row as it goes."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.timings: dict[str, Any] = {}
        self.stage: str = Stage.LOADING
        self.engine_base = 0.0  # engine progress when its solving began
        self.began = self.stage_began = time.perf_counter()
        self.cpu_began = time.process_time()

    def _close_stage(self) -> None:
        now = time.perf_counter()
        self.timings[self.stage] = round(self.timings.get(self.stage, 0.0) + now - self.stage_began, 4)
        self.stage_began = now

    def enter(self, stage: str) -> None:
        self._close_stage()
        self.stage = stage
        self._save(PROGRESS[stage][0])

    def engine_stage(self, name: str, fraction: float) -> None:
        """The engine's on_stage callback: ``name`` has just finished."""
        nxt = ENGINE_NEXT_STAGE.get(name)
        if nxt is not None:
            self.engine_base = fraction
            self.enter(nxt)
            return
        lo, hi = PROGRESS[self.stage]
        share = (fraction - self.engine_base) / max(1.0 - self.engine_base, 1e-9)
        self._save(lo + (hi - lo) * min(max(share, 0.0), 1.0))

    def finish(self) -> dict[str, Any]:
        self._close_stage()
        self.timings["total"] = round(time.perf_counter() - self.began, 4)
        # This process's CPU seconds: far below "total" means waiting on the database or a busy host.
        self.timings["cpu"] = round(time.process_time() - self.cpu_began, 4)
        return self.timings

    def _save(self, progress: float) -> None:
        MatchRun.objects.filter(pk=self.run_id).update(
            stage=self.stage, progress=round(progress, 4), timings=dict(self.timings)
        )


def _claim(run_id: int) -> MatchRun | None:
    """Move the run to running unless it already succeeded (or is gone, or another live run
    of its region is under way)."""
    try:
        with transaction.atomic():
            claimed = _claim_update(run_id)
    except IntegrityError:
        logger.info("Match run %s waits: another live run of its region is under way.", run_id)
        return None
    return MatchRun.objects.select_related("region").get(pk=run_id) if claimed else None


def _claim_update(run_id: int) -> int:
    return (
        MatchRun.objects.filter(pk=run_id)
        .exclude(status=MatchRun.Status.SUCCEEDED)
        .update(
            status=MatchRun.Status.RUNNING,
            stage=Stage.LOADING,
            progress=0.0,
            timings={},
            statistics={},
            input_hash="",
            result_hash="",
            error="",
            started_at=timezone.now(),
            finished_at=None,
        )
    )


def snapshot_load(*, run: MatchRun) -> MatchInput:
    """The run's input, read in one consistent snapshot of the database."""
    policy = policy_build(name=run.policy, seed=run.seed, parameters=run.parameters)
    as_of = timezone.localdate(run.created_at)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return match_input_build(region=run.region, policy=policy, as_of=as_of)


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Execute a queued (or failed, or orphaned) run. A succeeded run is left alone."""
    with _exclusive(run_id) as held:
        if not held:
            logger.info("Match run %s is already being executed by another worker.", run_id)
            return None
        run = _claim(run_id)
        if run is None:
            logger.info("Match run %s has already succeeded (or no longer exists); nothing to do.", run_id)
            return None
        progress = _Progress(run_id)
        try:
            data = snapshot_load(run=run)
            progress.enter(Stage.CANDIDATES)
            result = engine.run_match(data, on_stage=progress.engine_stage)
            progress.enter(Stage.WRITING)
            _write_results(run=run, data=data, result=result, progress=progress)
        except Exception as error:
            logger.exception("Match run %s failed during %s.", run_id, progress.stage)
            stage_label = Stage(progress.stage).label.lower()
            MatchRun.objects.filter(pk=run_id).update(
                status=MatchRun.Status.FAILED,
                error=f"The run failed while {stage_label}: {type(error).__name__}: {error}"[:2000],
                timings=progress.finish(),
                finished_at=timezone.now(),
            )
        run.refresh_from_db()
        return run


def _write_results(*, run: MatchRun, data: MatchInput, result: MatchResult, progress: _Progress) -> None:
    values = match_values(data=data, result=result)
    with transaction.atomic():
        matches_insert(run_id=run.pk, values=values)
        unplaced_insert(run_id=run.pk, values=unplaced_values(result=result))
        statistics = run_statistics(run=run, data=data, result=result, matches=len(values))
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.SUCCEEDED,
            stage=Stage.DONE,
            progress=1.0,
            statistics=statistics,
            input_hash=result.report.input_hash,
            result_hash=result.report.result_hash,
            timings=progress.finish(),
            finished_at=timezone.now(),
            error="",
        )
