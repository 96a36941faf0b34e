"""Emails go to the people an event concerns, once each, with no personal data in subjects."""

from __future__ import annotations

import pytest
from django.core import mail

from placements.lifecycle.models import NotificationSent
from placements.lifecycle.notifications import notification_send_for_change
from placements.lifecycle.tasks import notify_status_change
from placements.models import MatchStatus

from .conftest import World

S = MatchStatus


def test_an_offer_reaches_pupil_and_employer_once_however_often_the_task_runs(world: World) -> None:
    match = world.match(to=S.OFFERED)
    change = match.status_changes.get(to_status=S.OFFERED)
    assert notify_status_change(change.pk) == 2
    assert notify_status_change(change.pk) == 0
    assert notification_send_for_change(change_id=change.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([match.pupil.user.email, world.member.email])
    assert NotificationSent.objects.count() == 2


def test_confirmation_reaches_all_four_sides(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    change = match.status_changes.get(to_status=S.CONFIRMED)
    notification_send_for_change(change_id=change.pk)
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {
        match.pupil.user.email,
        world.member.email,
        world.adviser.user.email,
        world.staff.user.email,
    }


@pytest.mark.parametrize("status", [S.OFFERED, S.CONFIRMED])
def test_no_pupil_personal_data_beyond_a_first_name(world: World, status: str) -> None:
    pupil = world.pupil(postcode="L17 1AA", access_needs="Uses a wheelchair")
    pupil.user.last_name = "Uniquesurname"
    pupil.user.save()
    match = world.match(pupil=pupil, to=status)
    notification_send_for_change(change_id=match.status_changes.get(to_status=status).pk)
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}{message.body}"
        for secret in (
            "Uniquesurname",
            "L17 1AA",
            str(pupil.date_of_birth),
            pupil.date_of_birth.strftime("%-d %B %Y"),
            "wheelchair",
            "care",
            "free school meals",
        ):
            assert secret not in text
    employer_mail = next(m for m in mail.outbox if m.to == [world.member.email])
    assert pupil.user.first_name in employer_mail.subject


def test_approval_and_rejection_email_nobody(world: World) -> None:
    match = world.match(to=S.APPROVED)
    assert notification_send_for_change(change_id=match.status_changes.get().pk) == 0
    assert mail.outbox == []
