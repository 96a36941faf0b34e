"""Each main page reads the same number of queries whatever the number of rows behind it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobility.accounts.models import User
from mobility.outbox.models import OutboxMessage
from placements.lifecycle.follow_up import notification_key
from placements.models import Match, MatchRun, MatchStatus, MatchStatusChange
from tests.twofactor import verified_login
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db


class Growing:
    """The small web world, to which rows are added a few at a time."""

    def __init__(self) -> None:
        self.world: WebWorld = build_world()
        world = self.world
        self.review = MatchRun.objects.create(region=world.region, seed=1, status=MatchRun.Status.SUCCEEDED)
        self.offers = MatchRun.objects.create(region=world.region, seed=2, status=MatchRun.Status.SUCCEEDED)
        self.size = 0

    def grow(self, n: int) -> None:
        """n more pupils, each with a placement near home, proposed in one run, offered in another."""
        world = self.world
        for _ in range(n):
            self.size += 1
            i = self.size
            opportunity = world.add_opportunity(f"Placement {i}", metres_east=500 + 50 * i)
            pupil = world.add_pupil(f"Pupil{i}")
            for run, status in ((self.review, MatchStatus.PROPOSED), (self.offers, MatchStatus.OFFERED)):
                match = Match.objects.create(
                    run=run,
                    pupil=pupil,
                    opportunity=opportunity,
                    status=status,
                    rank=1,
                    travel_minutes=10,
                    priority_tier=i % 3,
                    explanation="Your first choice.",
                )
            # The offer as the lifecycle leaves it: a status change and its sent notification,
            # both of which its lapse time reads.
            change = MatchStatusChange.objects.create(
                match=match, from_status=MatchStatus.APPROVED, to_status=MatchStatus.OFFERED
            )
            OutboxMessage.objects.create(
                task_name="notify", dedup_key=notification_key(change_id=change.pk), sent_at=timezone.now()
            )


def pages(g: Growing) -> dict[str, tuple[User, str]]:
    w = g.world
    return {
        "pupil search": (w.pupil.user, "/pupil/opportunities/"),
        "pupil search, show all": (w.pupil.user, "/pupil/opportunities/?show_all=1"),
        "reachable API": (w.pupil.user, "/api/v1/opportunities/reachable/"),
        "pupil home": (w.pupil.user, "/pupil/"),
        "adviser review queue": (w.adviser, f"/adviser/runs/{g.review.pk}/"),
        "review queue search": (w.adviser, f"/adviser/runs/{g.review.pk}/?q=Pupil"),
        "match API": (w.adviser, f"/api/v1/matches/?run={g.review.pk}"),
        "employer match API": (w.member, f"/api/v1/matches/?run={g.offers.pk}"),
        "adviser home": (w.adviser, "/adviser/"),
        "school pupils": (w.staff, "/school/pupils/"),
        "school pupils search": (w.staff, "/school/pupils/?q=Pupil"),
        "school home": (w.staff, "/school/"),
        "employer opportunities": (w.member, "/employer/opportunities/"),
        "employer pupils": (w.member, "/employer/pupils/"),
        "employer home": (w.member, "/employer/"),
    }


HOMES = {"pupil home", "adviser home", "school home", "employer home"}


def queries(user: User, path: str) -> tuple[int, bytes]:
    client = Client()
    verified_login(client, user)
    client.get(path)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries), response.content


@pytest.mark.parametrize(
    "name",
    [
        "pupil search",
        "pupil search, show all",
        "reachable API",
        "pupil home",
        "adviser review queue",
        "review queue search",
        "match API",
        "employer match API",
        "adviser home",
        "school pupils",
        "school pupils search",
        "school home",
        "employer opportunities",
        "employer pupils",
        "employer home",
    ],
)
def test_queries_do_not_grow_with_rows(name: str) -> None:
    g = Growing()
    g.grow(2)
    user, path = pages(g)[name]
    few, _ = queries(user, path)
    g.grow(10)
    many, content = queries(user, path)
    if name not in HOMES:
        assert b"Placement 12" in content or b"Pupil12" in content, "the larger data is on the page"
    assert many == few, f"{name}: {few} queries with 2 rows, {many} with 12"


def test_long_lists_show_one_page_at_a_time() -> None:
    g = Growing()
    g.grow(55)
    w = g.world
    check: list[tuple[User, str, Callable[[bytes], bool]]] = [
        (w.staff, "/school/pupils/", lambda c: b"Page 1 of 2" in c and c.count(b"Record<span") == 50),
        (w.adviser, f"/adviser/runs/{g.review.pk}/", lambda c: b"Page 1 of 2" in c),
        (w.member, "/employer/opportunities/", lambda c: b"Page 1 of 2" in c),
        (w.member, "/employer/pupils/", lambda c: b"Page 1 of 2" in c),
    ]
    for user, path, ok in check:
        _, content = queries(user, path)
        assert ok(content), path
    # A search narrows the list to what matches.
    _, content = queries(w.staff, "/school/pupils/?q=Pupil7")
    assert b"Pupil7 " in content and b"Pupil8 " not in content
