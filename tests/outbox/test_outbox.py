"""The outbox on its own: recorded with the change, sent after commit, retried with backoff, once."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from mobility.outbox import services
from mobility.outbox.models import OutboxMessage
from tests.faults.conftest import free_port, point_celery_at

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "outbox.test.nothing"  # never executed: these tests read the queue, with no worker


def queued_keys(queue: str = "default") -> list[str]:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(raw)["headers"]["outbox_key"] for raw in client.lrange(queue, 0, -1)]


@pytest.fixture(autouse=True)
def empty_queue() -> None:
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("default", "elsewhere")


@pytest.fixture
def broker_down() -> Iterator[None]:
    point_celery_at(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        yield
    finally:
        point_celery_at(settings.CELERY_BROKER_URL)


def test_recorded_in_the_transaction_and_sent_after_commit() -> None:
    with transaction.atomic():
        services.outbox_enqueue(task_name=TASK, kwargs={"n": 1}, dedup_key="k1", queue="elsewhere")
        assert queued_keys("elsewhere") == []  # nothing leaves before the commit
    assert queued_keys("elsewhere") == ["k1"]
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_rolled_back_change_sends_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.outbox_enqueue(task_name=TASK, dedup_key="k1")
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and queued_keys() == []


def test_the_same_key_is_recorded_and_sent_once() -> None:
    for _ in range(2):
        services.outbox_enqueue(task_name=TASK, dedup_key="k1")
    assert services.outbox_send().sent == 0
    assert OutboxMessage.objects.count() == 1 and queued_keys() == ["k1"]


def test_broker_down_the_caller_carries_on_and_the_relay_sends_later(broker_down: None) -> None:
    began = time.monotonic()
    with transaction.atomic():
        services.outbox_enqueue(task_name=TASK, dedup_key="k1")
        services.outbox_enqueue(task_name=TASK, dedup_key="k2")
    assert time.monotonic() - began < 4  # one refused connection each, no publish retries
    first = OutboxMessage.objects.get(dedup_key="k1")
    assert first.sent_at is None and first.attempts == 1 and "Connection refused" in first.last_error
    assert first.next_attempt_at is not None and first.next_attempt_at > timezone.now()
    assert services.outbox_send().sent == 0  # not due yet: backoff

    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.outbox_send() == services.RelayResult(sent=0, failed=1)  # stops at the first refusal
    assert OutboxMessage.objects.get(dedup_key="k1").attempts == 2

    point_celery_at(settings.CELERY_BROKER_URL)  # the broker is back
    OutboxMessage.objects.update(next_attempt_at=None)
    out = io.StringIO()
    call_command("outbox_relay", stdout=out)
    assert "Sent 2; broker refused 0; 0 waiting." in out.getvalue()
    assert sorted(queued_keys()) == ["k1", "k2"]


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [services._backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [2, 4, 8, 60]


def test_purge_forgets_old_sent_rows_and_keeps_unsent_ones(broker_down: None) -> None:
    services.outbox_enqueue(task_name=TASK, dedup_key="unsent")
    OutboxMessage.objects.create(
        task_name=TASK, dedup_key="old", sent_at=timezone.now() - dt.timedelta(days=40)
    )
    assert services.outbox_purge_sent(older_than=dt.timedelta(days=30)) == 1
    assert list(OutboxMessage.objects.values_list("dedup_key", flat=True)) == ["unsent"]
