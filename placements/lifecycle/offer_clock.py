"""When an offer's lapse clock starts: when the news of it left, not when it was saved.

The rule: an offer lapses OFFER_LAPSE_DAYS after the later of its status change and the
moment its notification reached the broker (the outbox row was sent). While that
notification is still waiting in the outbox (the broker is down) the offer does not
lapse at all: nobody has been told yet. Offers older than the outbox have no row and
count from the status change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from mobility.outbox.models import OutboxMessage
from placements.models import Match, MatchStatusChange

from .follow_up import notification_key


@dataclass(frozen=True)
class OfferClock:
    starts_at: dt.datetime
    notification_pending: bool


def offer_clock(match: Match) -> OfferClock:
    return offer_clocks([match])[match.pk]


def offer_clocks(matches: Iterable[Match]) -> dict[int, OfferClock]:
    """Each match's clock, in two queries however many matches there are (a page of them)."""
    matches = list(matches)
    latest: dict[int, int] = {}  # match id -> its latest change into its current status
    status = {m.pk: m.status for m in matches}
    changes = MatchStatusChange.objects.filter(match__in=list(status)).values_list(
        "match_id", "to_status", "pk"
    )
    for match_id, to_status, pk in changes:
        if to_status == status[match_id] and pk > latest.get(match_id, 0):
            latest[match_id] = pk
    keys = {notification_key(change_id=pk): match_id for match_id, pk in latest.items()}
    sent: dict[int, dt.datetime | None] = {
        keys[key]: sent_at
        for key, sent_at in OutboxMessage.objects.filter(dedup_key__in=list(keys)).values_list(
            "dedup_key", "sent_at"
        )
    }
    clocks = {}
    for match in matches:
        if match.pk not in sent:  # older than the outbox
            clocks[match.pk] = OfferClock(starts_at=match.status_changed_at, notification_pending=False)
        elif (sent_at := sent[match.pk]) is None:
            clocks[match.pk] = OfferClock(starts_at=match.status_changed_at, notification_pending=True)
        else:
            clocks[match.pk] = OfferClock(
                starts_at=max(match.status_changed_at, sent_at), notification_pending=False
            )
    return clocks
