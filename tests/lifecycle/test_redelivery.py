"""Emails whose task the broker lost after the outbox sent it are sent again, once."""

from __future__ import annotations

import datetime as dt

from mobility.outbox.models import OutboxMessage
from placements.lifecycle.notifications import notification_send_for_change
from placements.lifecycle.redelivery import notifications_redeliver_lost
from placements.models import MatchStatus

from .conftest import NOW, World

S = MatchStatus


def test_a_notification_nobody_received_is_sent_again_once(world: World) -> None:
    match = world.match(to=S.OFFERED)  # relayed at NOW; no worker ran the email tasks
    offer = match.status_changes.get(to_status=S.OFFERED)
    assert notifications_redeliver_lost(now=NOW + dt.timedelta(minutes=5)) == []  # too soon to tell

    later = NOW + dt.timedelta(minutes=11)
    assert notifications_redeliver_lost(now=later) == [offer.pk]  # the approval tells nobody
    assert OutboxMessage.objects.filter(dedup_key=f"notify:change:{offer.pk}:again").exists()
    assert notifications_redeliver_lost(now=later) == []


def test_a_notification_that_arrived_is_left_alone(world: World) -> None:
    match = world.match(to=S.OFFERED)
    offer = match.status_changes.get(to_status=S.OFFERED)
    assert notification_send_for_change(change_id=offer.pk) == 2
    assert notifications_redeliver_lost(now=NOW + dt.timedelta(minutes=11)) == []
