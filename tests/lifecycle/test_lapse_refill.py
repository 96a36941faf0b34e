"""Deadlines with default outcomes: unanswered offers lapse and freed seats are re-offered by policy."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import redis
from django.conf import settings

from mobility.outbox.models import OutboxMessage
from placements.lifecycle import services, tasks
from placements.lifecycle.refill import lottery_number, opportunity_refill
from placements.models import Match, MatchRun, MatchStatus
from schools.models import Pupil
from tests.factories import ApplicationFactory, MatchRunFactory, SiteFactory

from .conftest import NOW, World, relayed

S = MatchStatus
DAYS = settings.MOBILITY["OFFER_LAPSE_DAYS"]


def queued_task_names() -> list[str]:
    """Task names waiting on the default queue of this test run's Redis broker."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange("default", 0, -1)]


@pytest.fixture
def empty_queue() -> None:
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("default")


def test_an_offer_lapses_after_n_days_not_before(world: World) -> None:
    match = world.match(to=S.OFFERED)
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS) - dt.timedelta(minutes=1)) == []
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS)) == [match.pk]
    match.refresh_from_db()
    world.opportunity.refresh_from_db()
    assert (match.status, world.opportunity.seats_taken) == (S.LAPSED, 0)
    change = match.status_changes.last()
    assert change is not None
    assert (change.from_status, change.changed_by, change.reason) == (S.OFFERED, None, "no_answer")
    # Running the sweep again changes nothing.
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS + 1)) == []


def test_the_pupil_gets_their_own_n_days_after_the_employer_confirms(world: World) -> None:
    match = world.match(to=S.OFFERED)
    later = NOW + dt.timedelta(days=DAYS - 1)
    services.match_employer_confirm(match_id=match.pk, actor=world.member, now=later)
    relayed(later)
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS)) == []
    assert services.offers_lapse_overdue(now=later + dt.timedelta(days=DAYS)) == [match.pk]


def test_the_beat_task_is_registered_and_lapses(world: World) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["lapse-overdue-offers"]["task"] == tasks.lapse_overdue_offers.name
    match = world.match(to=S.OFFERED)
    match.status_changed_at = NOW - dt.timedelta(days=DAYS + 1)
    match.save(update_fields=["status_changed_at"])
    OutboxMessage.objects.update(sent_at=match.status_changed_at)
    assert tasks.lapse_overdue_offers() == [match.pk]


def test_lapse_queues_notification_and_refill_on_commit(
    world: World, empty_queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    match = world.match(to=S.OFFERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS))
    assert sorted(queued_task_names()) == [tasks.notify_status_change.name, tasks.refill_opportunity.name]
    match.refresh_from_db()
    assert match.status == S.LAPSED


def test_an_offer_whose_notification_never_went_out_does_not_lapse(world: World) -> None:
    match = world.match(to=S.APPROVED)
    services.match_offer(match_id=match.pk, actor=world.adviser.user, now=NOW)  # the broker is down
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS + 30)) == []
    # The broker is back 10 days later: the pupil gets the full N days from then.
    relayed(NOW + dt.timedelta(days=10))
    assert (
        services.offers_lapse_overdue(now=NOW + dt.timedelta(days=10 + DAYS) - dt.timedelta(minutes=1)) == []
    )
    assert services.offers_lapse_overdue(now=NOW + dt.timedelta(days=10 + DAYS)) == [match.pk]


def applicant(world: World, **fields: object) -> Pupil:
    pupil = world.pupil(**fields)
    ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity)
    return pupil


def test_freed_seat_goes_to_the_next_pupil_by_priority_then_lottery(world: World) -> None:
    opportunity = world.opportunity
    opportunity.capacity = 1
    opportunity.save()
    holder = applicant(world)
    plain = [applicant(world) for _ in range(3)]
    fsm = applicant(world, fsm_or_pupil_premium=True)
    care = applicant(world, care_experienced=True)
    # Not eligible or not free, though higher priority:
    applicant(world, care_experienced=True, parental_consent="refused")
    applicant(world, care_experienced=True, easting=335000 + 40000)  # too far
    busy = applicant(world, care_experienced=True)
    world.match(pupil=busy, opportunity=world.opportunity_with(), run=MatchRunFactory.create(), to=S.APPROVED)

    offered = world.match(pupil=holder, to=S.OFFERED)
    services.match_pupil_decline(match_id=offered.pk, actor=holder.user, now=NOW)
    order = []
    for _ in range(5):
        (proposal,) = opportunity_refill(opportunity_id=opportunity.pk, run_id=world.run.pk, now=NOW)
        assert (
            opportunity_refill(opportunity_id=opportunity.pk, run_id=world.run.pk, now=NOW) == []
        )  # idempotent
        order.append(proposal.pupil_id)
        services.match_reject(
            match_id=proposal.pk,
            actor=world.adviser.user,
            reason="better_fit",
            note="Test: next please",
            now=NOW,
        )
    by_lottery = sorted(plain, key=lambda p: lottery_number(seed=world.run.seed, pupil_id=p.pk))
    assert order == [care.pk, fsm.pk, *(p.pk for p in by_lottery)]
    # Everyone who applied and could go has now been asked once; nobody is asked twice.
    assert opportunity_refill(opportunity_id=opportunity.pk, run_id=world.run.pk, now=NOW) == []


def test_a_refill_is_a_small_run_with_the_source_seed_and_an_adviser_still_approves(world: World) -> None:
    opportunity = world.opportunity
    opportunity.capacity = 1
    opportunity.save()
    first, second = applicant(world), applicant(world)
    offered = world.match(pupil=first, to=S.OFFERED)
    services.offers_lapse_overdue(now=NOW + dt.timedelta(days=DAYS))
    (proposal,) = tasks.refill_opportunity(opportunity.pk, world.run.pk)
    match = Match.objects.get(pk=proposal)
    assert (match.pupil_id, match.status) == (second.pk, S.PROPOSED)
    run = MatchRun.objects.get(pk=match.run_id)
    assert run.pk != offered.run_id and run.seed == world.run.seed
    assert run.parameters["refill"] == {"opportunity_id": opportunity.pk, "source_run_id": world.run.pk}
    services.match_approve(match_id=match.pk, actor=world.adviser.user, now=NOW)
    opportunity.refresh_from_db()
    assert opportunity.seats_taken == 1


def test_no_refill_into_a_site_a_pupil_cannot_get_into(world: World) -> None:
    site = SiteFactory.create(employer=world.employer, step_free_access=False)
    opportunity = world.opportunity_with(site=site, capacity=1)
    pupil = world.pupil(needs_step_free_access=True)
    ApplicationFactory.create(pupil=pupil, opportunity=opportunity)
    assert opportunity_refill(opportunity_id=opportunity.pk, run_id=world.run.pk, now=NOW) == []
