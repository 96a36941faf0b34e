"""The background work a match event causes, recorded in the event's own transaction.

Written to the outbox, so it reaches a worker even if the broker is down when the event
commits; the tasks are idempotent (one email per event and recipient, refill re-checks
free seats), so a task sent twice does its work once.
"""

from __future__ import annotations

from mobility.outbox.services import outbox_enqueue
from placements.models import MatchStatusChange

NOTIFY_TASK = "placements.lifecycle.tasks.notify_status_change"
REFILL_TASK = "placements.lifecycle.tasks.refill_opportunity"


def notification_key(*, change_id: int) -> str:
    return f"notify:change:{change_id}"


def notification_record(*, change: MatchStatusChange) -> None:
    outbox_enqueue(
        task_name=NOTIFY_TASK,
        kwargs={"change_id": change.pk},
        dedup_key=notification_key(change_id=change.pk),
    )


def follow_up_record(*, change: MatchStatusChange, seat_freed: bool) -> None:
    """Emails about the change, and a refill of the seat it freed, if it freed one."""
    notification_record(change=change)
    if seat_freed:
        match = change.match
        outbox_enqueue(
            task_name=REFILL_TASK,
            kwargs={"opportunity_id": match.opportunity_id, "run_id": match.run_id},
            dedup_key=f"refill:change:{change.pk}",
        )
