"""Writes for match runs: create one (and queue it), and execute one.

Progress is recorded on the MatchRun row in its own short updates so a
progress bar can poll it; the results (every Match row, the statistics and
the hashes) are written in ONE transaction, so a run that dies part-way
leaves no partial matches and can simply be run again.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from mobility.geography.models import Region
from mobility.outbox.services import outbox_enqueue
from placements import engine
from placements.engine import MatchInput, MatchResult, Policy, TravelModel
from placements.lifecycle.exceptions import RunInProgress
from placements.models import MatchRun, NationalRun
from placements.priority import configured_tiers, run_tiers

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
# Progress within a stage is saved at most this often (the progress page polls once a second);
# a change of stage is always saved.
PROGRESS_SAVE_SECONDS = 0.5
# Postgres advisory-lock namespace for "a worker is executing this run".
_LOCK_NAMESPACE = 0x4D52  # "MR"
RUN_TASK = "placements.tasks.match_run_execute"
# A lost database connection is worth another attempt; a bug in the inputs is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def run_dispatch_key(*, run_id: int, dispatched_at: dt.datetime) -> str:
    """The outbox key of one hand-out of a run (a run may be handed out more than once)."""
    return f"match-run:{run_id}:{int(dispatched_at.timestamp() * 1_000_000)}"


def match_run_dispatch(*, run_id: int) -> None:
    """Hand the run to a worker once the current transaction commits, through the outbox."""
    now = timezone.now()
    MatchRun.objects.filter(pk=run_id).update(dispatched_at=now)
    outbox_enqueue(
        task_name=RUN_TASK,
        kwargs={"run_id": run_id},
        queue="matching",
        dedup_key=run_dispatch_key(run_id=run_id, dispatched_at=now),
    )


def policy_build(*, name: str, seed: int, parameters: dict[str, Any]) -> Policy:
    """The engine policy for a run. Bad parameters raise ValidationError."""
    values = dict(parameters)
    # The coverage comparison is part of every report unless turned off.
    values.setdefault("compare_coverage", True)
    try:
        if "travel" in values:
            values["travel"] = TravelModel(**values["travel"])
        # Without tiers of its own, a run uses the configured ones (young people's tier included).
        values["priority_tiers"] = run_tiers(values, default=configured_tiers())
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
    national_run: NationalRun | None = None,
) -> MatchRun:
    """Record a queued run and hand it to a worker once this transaction commits.

    A region has at most one live run queued or running (``RunInProgress`` otherwise).
    Max-coverage runs, and any run asked for as ``what_if``, are for comparison only.
    ``national_run``: the national run this region's run is part of.
    """
    if seed is None:
        seed = secrets.randbelow(2**31)
    parameters = dict(parameters or {})
    built = policy_build(name=policy, seed=seed, parameters=parameters)
    # Stored, so the run's pages name the groups it used whatever the setting says later.
    parameters["priority_tiers"] = [list(tier) for tier in built.priority_tiers]
    run = MatchRun(
        region=region,
        policy=policy,
        seed=seed,
        parameters=parameters,
        created_by=created_by,
        status=MatchRun.Status.QUEUED,
        stage=Stage.QUEUED,
        what_if=what_if or policy == MatchRun.Policy.MAX_COVERAGE,
        national_run=national_run,
    )
    run.full_clean(validate_constraints=False)  # the one-live-run rule is answered below
    busy = _live_run(region) if not run.what_if else None
    if busy is not None:
        raise _in_progress(region, busy)
    try:
        with transaction.atomic():
            run.save()
            match_run_dispatch(run_id=run.pk)
    except IntegrityError as error:  # another adviser started one at the same moment
        raise _in_progress(region, _live_run(region)) from error
    run.refresh_from_db(fields=["dispatched_at"])
    return run


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
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, run_id % 2**31])
            except DatabaseError:
                connection.close()  # the session, and the lock with it, is gone already


def lock_is_free(run_id: int) -> bool:
    """True if no session holds the run's lock (its worker is gone). Checked and released at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, run_id % 2**31])
        free = bool(cursor.fetchone()[0])
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, run_id % 2**31])
    return free


class _Progress:
    """Records stage, progress and per-stage seconds on the run row as it goes."""

    def __init__(self, run_id: int, attempt: int = 0) -> None:
        self.run_id = run_id
        self.attempt = attempt
        self.timings: dict[str, Any] = {}
        self.stage: str = Stage.LOADING
        self.engine_base = 0.0  # engine progress when its solving began
        self.began = self.stage_began = self.saved_at = time.perf_counter()
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
        if time.perf_counter() - self.saved_at < PROGRESS_SAVE_SECONDS:
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
        self.saved_at = time.perf_counter()
        MatchRun.objects.filter(pk=self.run_id, attempts=self.attempt).update(
            stage=self.stage, progress=round(progress, 4), timings=dict(self.timings)
        )


def _claim(run_id: int) -> MatchRun | None:
    """Move the run to running unless it already succeeded, used up its attempts, or is gone
    (or another live run of its region is under way)."""
    try:
        with transaction.atomic():
            claimed = _claim_update(run_id)
    except IntegrityError:
        logger.info("Match run %s waits: another live run of its region is under way.", run_id)
        return None
    return MatchRun.objects.select_related("region").get(pk=run_id) if claimed else None


def _claim_update(run_id: int) -> int:
    return (
        MatchRun.objects.filter(pk=run_id, attempts__lt=settings.MOBILITY["RUN_MAX_ATTEMPTS"])
        .exclude(status=MatchRun.Status.SUCCEEDED)
        .update(
            status=MatchRun.Status.RUNNING,
            attempts=F("attempts") + 1,
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
                # Not READ ONLY: journeys worked out for the first time are cached as it reads.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return match_input_build(region=run.region, policy=policy, as_of=as_of)


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Execute a queued (or failed, or orphaned) run. A succeeded run is left alone."""
    with _exclusive(run_id) as held:
        if not held:
            logger.info("Match run %s is already being executed by another worker.", run_id)
            return None
        run = _claim(run_id)
        if run is None:
            logger.info(
                "Match run %s has already succeeded (or is out of attempts, or gone); nothing to do.",
                run_id,
            )
            return None
        progress = _Progress(run_id, run.attempts)
        try:
            data = snapshot_load(run=run)
            progress.enter(Stage.CANDIDATES)
            result = engine.run_match(data, on_stage=progress.engine_stage)
            progress.enter(Stage.WRITING)
            _write_results(run=run, data=data, result=result, progress=progress)
        except RunTakenOver:
            logger.warning("Match run %s was taken over by another attempt; this one stops.", run_id)
        except Exception as error:
            logger.exception("Match run %s failed during %s.", run_id, progress.stage)
            _record_failure(run=run, progress=progress, error=error)
        if run.national_run_id is not None:
            from .national import national_run_combine_if_done

            national_run_combine_if_done(national_run_id=run.national_run_id)
        return _fresh(run_id)


def _transient(error: Exception) -> bool:
    # A driver error raised outside the ORM (COPY goes to psycopg directly) is not wrapped by Django.
    driver = connection.Database  # type: ignore[attr-defined]
    return isinstance(error, (*TRANSIENT_ERRORS, driver.OperationalError, driver.InterfaceError))


class RunTakenOver(Exception):
    """This attempt lost its lock (its connection dropped) and a newer attempt owns the run."""


def _fresh(run_id: int) -> MatchRun:
    try:
        return MatchRun.objects.get(pk=run_id)
    except DatabaseError:
        connection.close()
        return MatchRun.objects.get(pk=run_id)


def _record_failure(*, run: MatchRun, progress: _Progress, error: Exception) -> None:
    """Fail the run, or queue it again if the database connection dropped; on a fresh connection.

    The connection that raised may be dead, so a database error here closes it and tries once
    more on a new one: whatever happened, the run does not stay ``running``.
    """
    stage_label = Stage(progress.stage).label.lower()
    reason = f"{type(error).__name__}: {error}"
    timings = progress.finish()
    for last_try in (False, True):
        try:
            if last_try:
                connection.close()
            _fail_or_retry(run=run, stage_label=stage_label, reason=reason, timings=timings, error=error)
            return
        except DatabaseError:
            if last_try:
                raise
            logger.warning("Match run %s: recording the failure on a fresh connection.", run.pk)


def _fail_or_retry(
    *, run: MatchRun, stage_label: str, reason: str, timings: dict[str, Any], error: Exception
) -> None:
    attempts, most = run.attempts, settings.MOBILITY["RUN_MAX_ATTEMPTS"]
    with transaction.atomic():
        mine = MatchRun.objects.filter(pk=run.pk, attempts=attempts, status=MatchRun.Status.RUNNING)
        if _transient(error) and attempts < most:
            note = (
                f"Attempt {attempts} of {most} lost its database connection while {stage_label} "
                f"({reason[:300]}); the run is being retried."
            )
            requeued = mine.update(
                status=MatchRun.Status.QUEUED, stage=Stage.QUEUED, recovery_note=note, timings=timings
            )
            if requeued:
                match_run_dispatch(run_id=run.pk)
            return
        mine.update(
            status=MatchRun.Status.FAILED,
            error=f"The run failed while {stage_label}: {reason}"[:2000],
            timings=timings,
            finished_at=timezone.now(),
        )


def _write_results(*, run: MatchRun, data: MatchInput, result: MatchResult, progress: _Progress) -> None:
    values = match_values(data=data, result=result)
    with transaction.atomic():
        owner = MatchRun.objects.select_for_update().filter(
            pk=run.pk, attempts=run.attempts, status=MatchRun.Status.RUNNING
        )
        if not owner.exists():
            raise RunTakenOver(run.pk)
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
