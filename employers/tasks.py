"""Celery tasks for employers: each takes ids and calls a service."""

from __future__ import annotations

from mobility.outbox.tasks import sending_task

from . import notifications


@sending_task("employers.tasks.notify_compliance_changed")
def notify_compliance_changed(record_id: int, changed_at: str = "") -> int:
    return notifications.compliance_changed_send(record_id=record_id)


@sending_task("employers.tasks.notify_verification_decided")
def notify_verification_decided(employer_id: int, decided_at: str) -> int:
    return notifications.verification_decided_send(employer_id=employer_id, decided_at=decided_at)


@sending_task("employers.tasks.notify_sign_up_existing")
def notify_sign_up_existing(user_id: int) -> int:
    return notifications.sign_up_existing_send(user_id=user_id)
