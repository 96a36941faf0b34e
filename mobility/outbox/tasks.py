"""The relay as a beat task: sends whatever the after-commit attempt could not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings

from . import services


def sending_task(name: str) -> Callable[[Callable[..., Any]], Any]:
    """A task that sends mail or notifications, retried with backoff while the server is out of reach."""
    return shared_task(name=name, autoretry_for=(OSError,), retry_backoff=True)


@shared_task(name="outbox.relay", ignore_result=True)
def outbox_relay() -> int:
    sent = 0
    while True:
        result = services.outbox_send()
        sent += result.sent
        if result.failed or result.sent == 0:
            return sent


@shared_task(name="outbox.purge", ignore_result=True)
def outbox_purge() -> int:
    """Run by beat: forget rows sent long ago (offers' lapse clocks read only recent ones)."""
    return services.outbox_purge_sent(older_than=dt.timedelta(days=settings.OUTBOX["KEEP_SENT_DAYS"]))
