"""Celery entry points for placements. Each takes ids and calls a service."""

from __future__ import annotations

import gc
import logging
import threading

from celery import shared_task
from celery.signals import worker_process_init

from placements.matching import services

# The worker loads each app's tasks module; this makes the daily retention job known to it.
from placements.privacy.tasks import retention_run  # noqa: F401
from placements.reporting.services import open_data_publish_current


@worker_process_init.connect
def engine_warm_up(**_: object) -> None:
    """Load the engine's compiled code as a worker process starts, so that its first match run
    does not wait for it (1-2 s; a cold compile takes longer). In the background: Celery gives a
    process only seconds to start, and tasks need not wait for the warm-up to be served."""
    # What is loaded by now (Django, Celery, the apps) lives as long as the process: frozen, the
    # collector's full passes no longer walk it. Here, before any task can run, so that nothing
    # of a run's is frozen with it (a freeze at the end of the warm-up could fall in a run).
    gc.freeze()
    threading.Thread(target=_engine_warm_up, name="engine-warm-up", daemon=True).start()


def _engine_warm_up() -> None:
    from placements.engine.stable import warm_up

    try:
        warm_up()
    except Exception:  # an optimisation only: a run loads the code itself if this failed
        logging.getLogger(__name__).exception("Engine warm-up failed")


@shared_task(acks_late=True, reject_on_worker_lost=True)
def match_run_execute(run_id: int) -> None:
    """Run a match run on the ``matching`` queue (routed in settings)."""
    services.match_run_execute(run_id=run_id)


@shared_task(name="placements.tasks.match_runs_recover", ignore_result=True)
def match_runs_recover() -> None:
    """Run by beat: hand stalled runs out again, resume orphaned ones, fail those out of attempts."""
    from placements.matching.recovery import match_runs_recover as recover

    recover()


@shared_task(name="placements.tasks.open_data_publish", ignore_result=True)
def open_data_publish() -> list[str]:
    """Run by beat: regenerate this and last academic year's open data files."""
    return [release.academic_year for release in open_data_publish_current()]
