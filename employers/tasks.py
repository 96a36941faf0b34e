"""Celery tasks for employers: each takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task

from . import notifications


@shared_task(name="employers.tasks.notify_compliance_changed", autoretry_for=(OSError,), retry_backoff=True)
def notify_compliance_changed(record_id: int, changed_at: str = "") -> int:
    return notifications.compliance_changed_send(record_id=record_id)
