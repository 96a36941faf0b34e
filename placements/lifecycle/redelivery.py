"""A safety net for emails whose task left the outbox but never ran (a broker that lost it).

The outbox marks a row sent when the broker takes it; a Redis without persistence that
restarts before a worker takes the task loses it. Run by beat, this finds status changes
whose notification went out over NOTIFY_REDELIVER_AFTER ago and reached nobody who should
hear of it, and sends each once more (the task skips recipients already told).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mobility.outbox.models import OutboxMessage
from mobility.outbox.services import outbox_enqueue
from placements.models import MatchStatusChange

from .follow_up import NOTIFY_TASK, notification_key
from .models import NotificationSent
from .notifications import event_key, messages_for_change


def notifications_redeliver_lost(*, now: dt.datetime | None = None) -> list[int]:
    """Send again the notifications nobody received; returns the status change ids."""
    now = now or timezone.now()
    after = settings.MOBILITY["NOTIFY_REDELIVER_AFTER"]
    sent = OutboxMessage.objects.filter(
        task_name=NOTIFY_TASK, sent_at__lt=now - after, sent_at__gte=now - 20 * after
    ).values_list("kwargs", flat=True)
    again = []
    for change_id in sorted({kwargs["change_id"] for kwargs in sent}):
        change = MatchStatusChange.objects.select_related("match").get(pk=change_id)
        if NotificationSent.objects.filter(event_key=event_key(change)).exists():
            continue
        if not messages_for_change(change):
            continue  # nobody to tell
        key = f"{notification_key(change_id=change_id)}:again"
        if OutboxMessage.objects.filter(dedup_key=key).exists():
            continue
        with transaction.atomic():
            outbox_enqueue(task_name=NOTIFY_TASK, kwargs={"change_id": change_id}, dedup_key=key)
        again.append(change_id)
    return again
