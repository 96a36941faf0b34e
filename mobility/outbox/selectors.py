"""Reads for the outbox: what is waiting, for the relay's report and the fault tests."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import OutboxMessage


def outbox_unsent() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(sent_at__isnull=True)


def outbox_is_pending(*, dedup_key: str) -> bool:
    """True while a recorded task has not yet reached the broker."""
    return outbox_unsent().filter(dedup_key=dedup_key).exists()
