"""The run recovery sweep, run by beat: no run waits forever on a worker that is gone.

- A run still ``queued`` RUN_QUEUED_STALL_SECONDS after it was handed out (the message
  was lost, or no worker took it) is handed out again. While its hand-out is still in
  the outbox (the broker is down) the relay is already on it, so it is left alone.
- A run ``running`` whose advisory lock nobody holds lost its worker (killed, or its
  database session dropped). It is queued again with a note saying why, until it has
  been started RUN_MAX_ATTEMPTS times; then it is failed with the reason.

Two sweeps at once are safe: every change re-checks the row under its lock, and a
re-queue only applies if nobody started the run since the lock was checked.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mobility.outbox.selectors import outbox_is_pending
from placements.models import MatchRun

from .services import lock_is_free, match_run_dispatch, run_dispatch_key

logger = logging.getLogger(__name__)
Status = MatchRun.Status


@dataclass
class Recovery:
    handed_out_again: list[int] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def match_runs_recover(*, now: dt.datetime | None = None) -> Recovery:
    now = now or timezone.now()
    done = Recovery()
    for run_id in _stalled_queued_ids(now):
        if _hand_out_again(run_id, now):
            done.handed_out_again.append(run_id)
    for run_id, attempts in MatchRun.objects.filter(status=Status.RUNNING).values_list("pk", "attempts"):
        if not lock_is_free(run_id):
            continue  # a live worker is on it
        outcome = _recover_orphan(run_id, attempts)
        if outcome == Status.QUEUED:
            done.resumed.append(run_id)
        elif outcome == Status.FAILED:
            done.failed.append(run_id)
    if done.handed_out_again or done.resumed or done.failed:
        logger.warning("Run recovery: %s", done)
    return done


def _stall_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.MOBILITY["RUN_QUEUED_STALL_SECONDS"])


def _stalled_queued_ids(now: dt.datetime) -> list[int]:
    cutoff = _stall_cutoff(now)
    stalled = Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True, created_at__lt=cutoff)
    return list(MatchRun.objects.filter(stalled, status=Status.QUEUED).values_list("pk", flat=True))


def _hand_out_again(run_id: int, now: dt.datetime) -> bool:
    cutoff = _stall_cutoff(now)
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=Status.QUEUED)
            .filter(Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True, created_at__lt=cutoff))
            .first()
        )
        if run is None:
            return False
        if run.dispatched_at and outbox_is_pending(
            dedup_key=run_dispatch_key(run_id=run_id, dispatched_at=run.dispatched_at)
        ):
            return False  # the broker has not taken the last hand-out yet; the relay keeps trying
        waited = int((now - (run.dispatched_at or run.created_at)).total_seconds())
        run.recovery_note = f"No worker had started this run {waited} s after it was queued; queued again."
        run.save(update_fields=["recovery_note"])
        match_run_dispatch(run_id=run_id)
    return True


def _recover_orphan(run_id: int, attempts: int) -> str | None:
    most = settings.MOBILITY["RUN_MAX_ATTEMPTS"]
    with transaction.atomic():
        # Unchanged attempts: nobody started the run between the lock check and now.
        run = (
            MatchRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=Status.RUNNING, attempts=attempts)
            .first()
        )
        if run is None:
            return None
        stage = MatchRun.Stage(run.stage).label.lower()
        if attempts >= most:
            run.status = Status.FAILED
            run.error = (
                f"The run stopped {attempts} times without finishing (last while {stage}: its worker "
                "or its database connection was lost); it will not be tried again."
            )
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            return Status.FAILED
        run.status, run.stage = Status.QUEUED, MatchRun.Stage.QUEUED
        run.recovery_note = (
            f"Attempt {attempts} of {most} stopped while {stage} (its worker or its database "
            "connection was lost); the run is being retried."
        )
        run.save(update_fields=["status", "stage", "recovery_note"])
        match_run_dispatch(run_id=run_id)
        return Status.QUEUED
