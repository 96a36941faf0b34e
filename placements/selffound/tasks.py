"""Celery entry points for placements pupils find: each takes ids and calls a service."""

from __future__ import annotations

from mobility.outbox.tasks import sending_task

from . import notifications, services


@sending_task("placements.selffound.tasks.employer_link_send")
def employer_link_send(proposal_id: int) -> bool:
    return services.employer_link_send(proposal_id=proposal_id)


@sending_task("placements.selffound.tasks.ready_to_check_send")
def ready_to_check_send(proposal_id: int) -> int:
    return notifications.ready_to_check_send(proposal_id=proposal_id)


@sending_task("placements.selffound.tasks.outcome_send")
def outcome_send(proposal_id: int) -> int:
    return notifications.outcome_send(proposal_id=proposal_id)
