"""Capacity holds under real concurrency: 50 threads, each on its own database connection."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from employers.models import Opportunity
from placements.lifecycle import services
from placements.lifecycle.exceptions import CapacityConflict, TransitionNotAllowed
from placements.models import Match, MatchStatus

from . import factories as f

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
def setting() -> dict[str, object]:
    school = f.SchoolFactory()
    f.WindowFactory(school=school)
    employer = f.EmployerFactory()
    f.ComplianceFactory(employer=employer)
    return {
        "school": school,
        "employer": employer,
        "adviser": f.AdviserFactory(schools=[school]).user,
        "run": f.MatchRunFactory(),
    }


@pytest.mark.parametrize("repeat", range(3))
@pytest.mark.parametrize("capacity", [1, 2, 3, 4, 5])
def test_fifty_advisers_approving_the_last_seats(setting: dict, capacity: int, repeat: int) -> None:
    opportunity = f.OpportunityFactory(employer=setting["employer"], capacity=capacity)
    matches = [
        f.MatchFactory(
            run=setting["run"], opportunity=opportunity, pupil=f.PupilFactory(school=setting["school"])
        )
        for _ in range(THREADS)
    ]
    adviser = setting["adviser"]
    outcomes = race([lambda m=m: services.match_approve(match_id=m.pk, actor=adviser) for m in matches])
    assert outcomes == Counter({"ok": capacity, "capacity": THREADS - capacity})
    opportunity.refresh_from_db()
    assert opportunity.seats_taken == capacity
    assert Match.objects.filter(opportunity=opportunity, status=MatchStatus.APPROVED).count() == capacity
    assert (
        Match.objects.filter(opportunity=opportunity, status=MatchStatus.PROPOSED).count()
        == THREADS - capacity
    )


def test_fifty_accepts_of_one_offer_succeed_once(setting: dict) -> None:
    pupil = f.PupilFactory(school=setting["school"])
    opportunity = f.OpportunityFactory(employer=setting["employer"], capacity=1)
    match = f.MatchFactory(run=setting["run"], opportunity=opportunity, pupil=pupil)
    member = f.EmployerMemberFactory(employer=setting["employer"]).user
    services.match_approve(match_id=match.pk, actor=setting["adviser"])
    services.match_offer(match_id=match.pk, actor=setting["adviser"])
    services.match_employer_confirm(match_id=match.pk, actor=member)
    outcomes = race([lambda: services.match_accept(match_id=match.pk, actor=pupil.user)] * THREADS)
    assert outcomes == Counter({"ok": 1, "transition": THREADS - 1})
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.status_changes.filter(to_status=MatchStatus.ACCEPTED).count() == 1
    assert Opportunity.objects.get(pk=opportunity.pk).seats_taken == 1


def test_one_pupil_two_proposals_approved_at_once_holds_one_seat(setting: dict) -> None:
    pupil = f.PupilFactory(school=setting["school"])
    matches = [
        f.MatchFactory(
            run=f.MatchRunFactory(),
            pupil=pupil,
            opportunity=f.OpportunityFactory(employer=setting["employer"]),
        )
        for _ in range(2)
    ]
    adviser = setting["adviser"]
    for _ in range(5):
        outcomes = race([lambda m=m: services.match_approve(match_id=m.pk, actor=adviser) for m in matches])
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
        new = f.MatchFactory(run=f.MatchRunFactory(), pupil=pupil, opportunity=winner.opportunity)
        matches = [m if m.pk != winner.pk else new for m in matches]
