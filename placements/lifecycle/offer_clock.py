"""When an offer's lapse clock starts: when the news of it left, not when it was saved.

The rule: an offer lapses OFFER_LAPSE_DAYS after the later of its status change and the
moment its notification reached the broker (the outbox row was sent). While that
notification is still waiting in the outbox (the broker is down) the offer does not
lapse at all: nobody has been told yet. Offers older than the outbox have no row and
count from the status change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mobility.outbox.models import OutboxMessage
from placements.models import Match, MatchStatusChange

from .follow_up import notification_key


@dataclass(frozen=True)
class OfferClock:
    starts_at: dt.datetime
    notification_pending: bool


def offer_clock(match: Match) -> OfferClock:
    change = MatchStatusChange.objects.filter(match=match, to_status=match.status).order_by("-pk").first()
    message = (
        OutboxMessage.objects.filter(dedup_key=notification_key(change_id=change.pk)).first()
        if change
        else None
    )
    if message is None:
        return OfferClock(starts_at=match.status_changed_at, notification_pending=False)
    if message.sent_at is None:
        return OfferClock(starts_at=match.status_changed_at, notification_pending=True)
    return OfferClock(starts_at=max(match.status_changed_at, message.sent_at), notification_pending=False)
