"""Attendance and feedback from both sides complete a confirmed placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from placements.lifecycle.exceptions import ActionNotPermitted, TransitionNotAllowed
from placements.lifecycle.feedback import match_feedback_record
from placements.models import MatchStatus
from tests.factories import WINDOW_END, WINDOW_START

from .conftest import NOW, World

S = MatchStatus
LAST_DAY = dt.datetime.combine(WINDOW_END, dt.time(16), tzinfo=dt.UTC)


def test_both_sides_complete_the_placement(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=5, comment="Great", now=LAST_DAY)
    match.refresh_from_db()
    assert match.status == S.CONFIRMED
    with pytest.raises(ValidationError) as missing:
        match_feedback_record(match_id=match.pk, actor=world.member, rating=4, now=LAST_DAY)
    assert "days_attended" in missing.value.message_dict
    with pytest.raises(ValidationError):
        match_feedback_record(match_id=match.pk, actor=world.member, rating=4, days_attended=9, now=LAST_DAY)
    match_feedback_record(match_id=match.pk, actor=world.member, rating=4, days_attended=5, now=LAST_DAY)
    match.refresh_from_db()
    assert match.status == S.COMPLETED
    last = match.status_changes.last()
    assert last is not None and last.reason == "feedback_received"
    world.opportunity.refresh_from_db()
    assert world.opportunity.seats_taken == 1  # a completed placement keeps its seat on record


def test_no_feedback_before_the_first_day_or_twice(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    with pytest.raises(TransitionNotAllowed, match="opens on the first day"):
        match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=3, now=NOW)
    first_day = dt.datetime.combine(WINDOW_START, dt.time(9), tzinfo=dt.UTC)
    match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=3, now=first_day)
    with pytest.raises(TransitionNotAllowed, match="already been given"):
        match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=4, now=first_day)


def test_only_the_two_sides_give_feedback(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    with pytest.raises(ActionNotPermitted):
        match_feedback_record(match_id=match.pk, actor=world.adviser.user, rating=3, now=LAST_DAY)
    stranger = world.pupil()
    with pytest.raises(ActionNotPermitted):
        match_feedback_record(match_id=match.pk, actor=stranger.user, rating=3, now=LAST_DAY)


def test_no_feedback_on_an_unconfirmed_placement(world: World) -> None:
    match = world.match(to=S.OFFERED)
    with pytest.raises(TransitionNotAllowed):
        match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=3, now=LAST_DAY)
