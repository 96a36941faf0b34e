"""Writes for the outbox: record a task with the change, and hand recorded tasks to the broker.

``outbox_enqueue`` is called inside the transaction that makes the change; once it
commits, one attempt is made to send right away. Whatever that attempt does, the
request has already succeeded: a failed send stays in the table and the relay (a beat
task and the ``outbox_relay`` command) sends it later, with backoff, until the broker
takes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(
    *, task_name: str, kwargs: dict[str, Any] | None = None, dedup_key: str, queue: str = ""
) -> None:
    """Record a task to send once the current transaction commits; a repeated key is ignored."""
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(task_name=task_name, kwargs=kwargs or {}, queue=queue, dedup_key=dedup_key)],
        ignore_conflicts=True,
    )
    transaction.on_commit(partial(_send_after_commit, dedup_key), robust=True)


# When this process last found the broker down: later requests skip the wait for a while.
_broker_refused_at = -1e9


def _send_after_commit(dedup_key: str) -> None:
    # Never raises into the request: whatever fails here, the relay sends the row later.
    if time.monotonic() - _broker_refused_at < settings.OUTBOX["RETRY_BASE_SECONDS"]:
        return
    try:
        outbox_send(dedup_keys=[dedup_key])
    except Exception:
        logger.warning("Outbox: could not send %s now; the relay will.", dedup_key, exc_info=True)


def _backoff(attempts: int) -> dt.timedelta:
    base = settings.OUTBOX["RETRY_BASE_SECONDS"]
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX["RETRY_MAX_SECONDS"]))


def _publish(message: OutboxMessage) -> None:
    if current_app.conf.task_always_eager:  # the embedded demo: no broker, run it here
        if message.task_name not in current_app.tasks:
            current_app.loader.import_default_modules()  # the apps' tasks modules, found by name
        task = current_app.tasks[message.task_name]
        # After the relay's transaction, so a long task (a match run) holds no lock and shows progress.
        run = partial(task.apply, kwargs=message.kwargs, throw=True)
        if message.queue == "matching":  # long: a thread, so the request that asked returns at once
            transaction.on_commit(partial(_in_background, run, message.dedup_key))
        else:
            transaction.on_commit(run)
        return
    # retry=False: the relay retries, so a dead broker never holds a request or the relay up.
    current_app.send_task(
        message.task_name,
        kwargs=message.kwargs,
        queue=message.queue or None,
        retry=False,
        headers={"outbox_key": message.dedup_key},
    )


def _in_background(run: Callable[[], object], name: str) -> None:
    def target() -> None:
        try:
            run()
        except Exception:
            logger.exception("Outbox: %s failed in the background.", name)
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=target, name=name, daemon=True).start()


@dataclass(frozen=True)
class RelayResult:
    sent: int
    failed: int


def outbox_send(*, dedup_keys: list[str] | None = None, limit: int = 100) -> RelayResult:
    """Send due, unsent rows (or the named ones); rows another relay is sending are skipped.

    Each row is locked while it is published and marked sent in the same transaction, so
    two relays never send one row twice. If the commit after a publish failed, the row
    would go again: the tasks are idempotent for that reason.
    """
    global _broker_refused_at
    now = timezone.now()
    due = OutboxMessage.objects.filter(sent_at__isnull=True)
    if dedup_keys is not None:
        due = due.filter(dedup_key__in=dedup_keys)
    else:
        due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    sent = failed = 0
    with transaction.atomic():
        rows = list(due.select_for_update(skip_locked=True).order_by("id")[:limit])
        for message in rows:
            message.attempts += 1
            try:
                _publish(message)
            except Exception as error:
                _broker_refused_at = time.monotonic()
                failed += 1
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                # The broker is down: the rest would fail the same way, each after a timeout.
                for rest in rows[rows.index(message) + 1 :]:
                    rest.next_attempt_at = message.next_attempt_at
                    rest.save(update_fields=["next_attempt_at"])
                logger.warning("Outbox: broker refused %s (%s); retrying later.", message.dedup_key, error)
                break
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at", "last_error"])
            sent += 1
    return RelayResult(sent=sent, failed=failed)


def outbox_purge_sent(*, older_than: dt.timedelta) -> int:
    """Delete rows sent long ago; the unsent ones are kept however old."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
