"""Celery tasks for the lifecycle: each takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task

from mobility.outbox.tasks import sending_task

from . import notifications, refill, services


@sending_task("placements.lifecycle.tasks.notify_status_change")
def notify_status_change(change_id: int) -> int:
    return notifications.notification_send_for_change(change_id=change_id)


@sending_task("placements.lifecycle.tasks.notify_placement_change")
def notify_placement_change(request_id: int) -> int:
    return notifications.notification_send_for_change_request(request_id=request_id)


@shared_task(name="placements.lifecycle.tasks.refill_opportunity")
def refill_opportunity(opportunity_id: int, run_id: int | None = None) -> list[int]:
    return [m.pk for m in refill.opportunity_refill(opportunity_id=opportunity_id, run_id=run_id)]


@shared_task(name="placements.lifecycle.tasks.lapse_overdue_offers")
def lapse_overdue_offers() -> list[int]:
    """Run by beat: unanswered offers lapse, which frees their seats for re-offer."""
    return services.offers_lapse_overdue()


@shared_task(name="placements.lifecycle.tasks.redeliver_lost_notifications", ignore_result=True)
def redeliver_lost_notifications() -> list[int]:
    """Run by beat: send again the notifications a broker lost after the outbox sent them."""
    from .redelivery import notifications_redeliver_lost

    return notifications_redeliver_lost()
