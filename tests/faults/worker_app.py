"""The Celery app for fault-test workers, with pauses at chosen points of a run's first attempt.

A pause gives a test a window to kill a process or drop a connection at a known place:
FAULT_PAUSE_AT=candidates|solving|writing and FAULT_PAUSE_SECONDS. "writing" pauses inside
the results transaction, after the matches are inserted and before it commits.
"""

from __future__ import annotations

import os
import time
from typing import Any

from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.faults.worker_settings")

from mobility.celery import app

__all__ = ["app"]
_patched = False


def _first_attempt(run_id: int) -> bool:
    from placements.models import MatchRun

    return MatchRun.objects.filter(pk=run_id, attempts=1).exists()


def _install() -> None:
    from placements.matching import services

    where = os.environ.get("FAULT_PAUSE_AT", "")
    seconds = float(os.environ.get("FAULT_PAUSE_SECONDS", "0"))
    if not where or not seconds:
        return
    if where == "writing":
        # Replace the name the service module calls, as a fault hook.
        insert = vars(services)["matches_insert"]

        def slow_insert(*, run_id: int, values: Any) -> Any:
            done = insert(run_id=run_id, values=values)
            if _first_attempt(run_id):
                print(f"FAULT: paused in writing for run {run_id}", flush=True)
                time.sleep(seconds)
            return done

        vars(services)["matches_insert"] = slow_insert
        return
    enter = services._Progress.enter

    def slow_enter(self: Any, stage: str) -> None:
        enter(self, stage)
        if stage == where and self.attempt == 1:
            print(f"FAULT: paused in {stage} for run {self.run_id}", flush=True)
            time.sleep(seconds)

    services._Progress.enter = slow_enter  # type: ignore[method-assign]


@task_prerun.connect
def _patch_once(**_: Any) -> None:
    global _patched
    if not _patched:
        _patched = True
        _install()
