"""The relay as a beat task: sends whatever the after-commit attempt could not."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="outbox.relay", ignore_result=True)
def outbox_relay() -> int:
    sent = 0
    while True:
        result = services.outbox_send()
        sent += result.sent
        if result.failed or result.sent == 0:
            return sent
