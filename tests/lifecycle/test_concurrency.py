"""Capacity holds under real concurrency: threads, each on its own database connection."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from employers.models import Opportunity
from placements.lifecycle import services
from placements.lifecycle.exceptions import CapacityConflict, TransitionNotAllowed
from placements.models import SEAT_HOLDING_STATUSES, Match, MatchStatus
from tests import factories as f

THREADS = 50
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def connect() -> None:
    """Open this thread's connection before the race starts; wait if the server is busy."""
    for attempt in range(20):
        try:
            connection.ensure_connection()
            return
        except OperationalError:
            time.sleep(0.25 * (attempt + 1))
    connection.ensure_connection()


def race(calls: list[Callable[[], object]]) -> Counter[str]:
    """Run the calls at once, one thread each; count how each ended."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        try:
            connect()
            barrier.wait(timeout=60)
            call()
            outcome = "ok"
        except CapacityConflict:
            outcome = "capacity"
        except TransitionNotAllowed:
            outcome = "transition"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def setting() -> dict[str, Any]:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    employer = f.EmployerFactory.create()
    f.ComplianceFactory.create(employer=employer)
    return {
        "school": school,
        "employer": employer,
        "adviser": f.CareersAdviserFactory.create(schools=[school]).user,
        "run": f.MatchRunFactory.create(),
    }


@pytest.mark.parametrize("repeat", range(3))
@pytest.mark.parametrize("capacity", [1, 2, 3, 4, 5])
def test_fifty_advisers_approving_the_last_seats(setting: dict[str, Any], capacity: int, repeat: int) -> None:
    opportunity = f.OpportunityFactory.create(employer=setting["employer"], capacity=capacity)
    matches = [
        f.MatchFactory.create(
            run=setting["run"], opportunity=opportunity, pupil=f.PupilFactory.create(school=setting["school"])
        )
        for _ in range(THREADS)
    ]
    adviser = setting["adviser"]
    outcomes = race([partial(services.match_approve, match_id=m.pk, actor=adviser) for m in matches])
    assert outcomes == Counter({"ok": capacity, "capacity": THREADS - capacity})
    opportunity.refresh_from_db()
    assert opportunity.seats_taken == capacity
    assert Match.objects.filter(opportunity=opportunity, status=MatchStatus.APPROVED).count() == capacity
    assert (
        Match.objects.filter(opportunity=opportunity, status=MatchStatus.PROPOSED).count()
        == THREADS - capacity
    )


def offer_awaiting_the_pupil(setting: dict[str, Any]) -> Match:
    """A match for the one seat of a new placement, offered and confirmed by the employer."""
    pupil = f.PupilFactory.create(school=setting["school"])
    opportunity = f.OpportunityFactory.create(employer=setting["employer"], capacity=1)
    match = f.MatchFactory.create(run=setting["run"], opportunity=opportunity, pupil=pupil)
    member = f.EmployerMemberFactory.create(employer=setting["employer"]).user
    services.match_approve(match_id=match.pk, actor=setting["adviser"])
    services.match_offer(match_id=match.pk, actor=setting["adviser"])
    services.match_employer_confirm(match_id=match.pk, actor=member)
    return match


def test_fifty_accepts_of_one_offer_succeed_once(setting: dict[str, Any]) -> None:
    match = offer_awaiting_the_pupil(setting)
    pupil, opportunity = match.pupil, match.opportunity
    outcomes = race([lambda: services.match_accept(match_id=match.pk, actor=pupil.user)] * THREADS)
    assert outcomes == Counter({"ok": 1, "transition": THREADS - 1})
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.status_changes.filter(to_status=MatchStatus.ACCEPTED).count() == 1
    assert Opportunity.objects.get(pk=opportunity.pk).seats_taken == 1


def test_one_pupil_two_proposals_approved_at_once_holds_one_seat(setting: dict[str, Any]) -> None:
    pupil = f.PupilFactory.create(school=setting["school"])
    matches = [
        f.MatchFactory.create(
            run=f.MatchRunFactory.create(),
            pupil=pupil,
            opportunity=f.OpportunityFactory.create(employer=setting["employer"]),
        )
        for _ in range(2)
    ]
    adviser = setting["adviser"]
    for _ in range(5):
        outcomes = race([partial(services.match_approve, match_id=m.pk, actor=adviser) for m in matches])
        assert outcomes == Counter({"ok": 1, "capacity": 1})
        held = Match.objects.filter(pupil=pupil, status=MatchStatus.APPROVED)
        assert held.count() == 1
        assert (
            sum(
                Opportunity.objects.filter(matches__pupil=pupil)
                .distinct()
                .values_list("seats_taken", flat=True)
            )
            == 1
        )
        # Reset for the next round through the services: reject the one that won.
        services.match_reject(match_id=held.get().pk, actor=adviser, reason="other", note="Next round")
        winner = held.model.objects.filter(pupil=pupil, status=MatchStatus.REJECTED).latest(
            "status_changed_at"
        )
        new = f.MatchFactory.create(
            run=f.MatchRunFactory.create(), pupil=pupil, opportunity=winner.opportunity
        )
        matches = [m if m.pk != winner.pk else new for m in matches]


def outcomes_of(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at once, one thread each; each call's result, or the exception it raised."""
    results: list[object] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        try:
            connect()
            barrier.wait(timeout=60)
            results[i] = calls[i]()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def seat_holders(opportunity: Opportunity) -> int:
    return Match.objects.filter(opportunity=opportunity, status__in=SEAT_HOLDING_STATUSES).count()


@pytest.mark.parametrize("repeat", range(5))
def test_an_overdue_offer_either_lapses_or_is_accepted_never_both(
    setting: dict[str, Any], repeat: int
) -> None:
    match = offer_awaiting_the_pupil(setting)
    pupil, opportunity = match.pupil, match.opportunity
    now = timezone.now()
    Match.objects.filter(pk=match.pk).update(status_changed_at=now - dt.timedelta(days=60))

    accepted, lapsed = outcomes_of(
        [
            lambda: services.match_accept(match_id=match.pk, actor=pupil.user, now=now),
            lambda: services.match_lapse(match_id=match.pk, now=now),
        ]
    )

    match.refresh_from_db()
    seats = Opportunity.objects.get(pk=opportunity.pk).seats_taken
    if match.status == MatchStatus.LAPSED:  # the sweep won; the pupil is told it is too late
        assert isinstance(accepted, TransitionNotAllowed), accepted
        assert isinstance(lapsed, Match)
        assert seats == 0
    else:  # the pupil won; the sweep finds an answered offer and leaves it
        assert match.status == MatchStatus.CONFIRMED, match.status
        assert isinstance(accepted, Match) and lapsed is None, (accepted, lapsed)
        assert seats == 1
    assert seats == seat_holders(opportunity)
    assert match.status_changes.filter(to_status__in=[MatchStatus.LAPSED, MatchStatus.ACCEPTED]).count() == 1


@pytest.mark.parametrize("repeat", range(5))
def test_cancelling_the_last_seat_while_another_pupil_is_approved_for_it(
    setting: dict[str, Any], repeat: int
) -> None:
    opportunity = f.OpportunityFactory.create(employer=setting["employer"], capacity=1)
    adviser = setting["adviser"]
    placed = f.MatchFactory.create(
        run=setting["run"], opportunity=opportunity, pupil=f.PupilFactory.create(school=setting["school"])
    )
    services.match_approve(match_id=placed.pk, actor=adviser)
    waiting = f.MatchFactory.create(
        run=setting["run"], opportunity=opportunity, pupil=f.PupilFactory.create(school=setting["school"])
    )

    cancelled, approved = outcomes_of(
        [
            lambda: services.match_cancel(
                match_id=placed.pk, actor=adviser, reason="other", note="Moved away"
            ),
            lambda: services.match_approve(match_id=waiting.pk, actor=adviser),
        ]
    )

    assert isinstance(cancelled, Match), cancelled  # a cancel never waits on capacity
    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert placed.status == MatchStatus.CANCELLED
    if isinstance(approved, Match):  # the cancel committed first and freed the seat
        assert waiting.status == MatchStatus.APPROVED
    else:  # the approval came first, found the seat taken, and changed nothing
        assert isinstance(approved, CapacityConflict), approved
        assert waiting.status == MatchStatus.PROPOSED
    seats = Opportunity.objects.get(pk=opportunity.pk).seats_taken
    assert seats == seat_holders(opportunity) <= 1
