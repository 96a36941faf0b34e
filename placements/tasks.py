"""Celery entry points for placements. Each takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task

from placements.matching import national, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def match_run_execute(run_id: int) -> None:
    """Run a match run on the ``matching`` queue (routed in settings)."""
    services.match_run_execute(run_id=run_id)


@shared_task(acks_late=True)
def national_run_combine(national_run_id: int) -> None:
    """Combine the regions' reports once every region's run has finished (a chord's callback)."""
    national.national_run_combine(national_run_id=national_run_id)
