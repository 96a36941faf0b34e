"""Celery entry points for placements pupils find: each takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task

from . import notifications, services


@shared_task(
    name="placements.selffound.tasks.employer_link_send", autoretry_for=(OSError,), retry_backoff=True
)
def employer_link_send(proposal_id: int) -> bool:
    return services.employer_link_send(proposal_id=proposal_id)


@shared_task(
    name="placements.selffound.tasks.ready_to_check_send", autoretry_for=(OSError,), retry_backoff=True
)
def ready_to_check_send(proposal_id: int) -> int:
    return notifications.ready_to_check_send(proposal_id=proposal_id)


@shared_task(name="placements.selffound.tasks.outcome_send", autoretry_for=(OSError,), retry_backoff=True)
def outcome_send(proposal_id: int) -> int:
    return notifications.outcome_send(proposal_id=proposal_id)
