"""A national run fans one run per region out over a real Celery worker and combines the reports."""

from __future__ import annotations

import time

import pytest

from mobility.geography.models import LocalAuthority, Region
from placements.lifecycle.exceptions import RunInProgress
from placements.matching import services
from placements.matching.national import national_run_start
from placements.models import MatchRun, NationalRun

from .conftest import HOME, MatchWorld, Worker, build_world, populate

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def another_region(world: MatchWorld, code: str, la_code: str, pupils: int) -> Region:
    """A region of its own (its own authority, school, sites) sharing the sectors."""
    region = Region.objects.create(code=code, name=f"Region {code}")
    la = LocalAuthority.objects.create(code=la_code, name=f"Authority {la_code}", region=region)
    other = MatchWorld(
        region=region, sectors=world.sectors, local_authorities={la_code: la}, window_start=world.window_start
    )
    school = other.school(la=la_code)
    seats = [
        other.opportunity(sector=s, at=(HOME[0] + 900 * (i + 1), HOME[1]), capacity=2, la=la_code)
        for i, s in enumerate(("digital", "health"))
    ]
    for i in range(pupils):
        pupil = other.pupil(
            school,
            at=(HOME[0] - 100 * i, HOME[1]),
            interests=("digital",),
            local_authority_code=la_code,
            fsm_or_pupil_premium=i % 3 == 0,
        )
        other.apply(pupil, *seats[i % 2 :])
    return region


def wait_for_national(national_id: int, worker: Worker, timeout: float = 120) -> NationalRun:
    deadline = time.monotonic() + timeout
    while True:
        national = NationalRun.objects.get(pk=national_id)
        if national.finished_at is not None:
            return national
        if time.monotonic() > deadline:
            runs = list(MatchRun.objects.filter(national_run=national).values_list("status", flat=True))
            pytest.fail(f"National run {national_id} not combined ({runs}).\n{worker.output()}")
        time.sleep(0.2)


def test_regions_run_on_the_worker_and_their_reports_are_combined(matching_worker: Worker) -> None:
    world = build_world()
    populate(world, pupils=12)
    regions = [
        world.region,
        another_region(world, "north", "E06000001", pupils=7),
        another_region(world, "south", "E06000002", pupils=5),
    ]

    national = national_run_start(regions=regions, policy="stable", seed=3)
    national = wait_for_national(national.pk, matching_worker)

    runs = list(national.match_runs.order_by("region__code"))
    assert [r.region.code for r in runs] == ["lcr", "north", "south"]
    assert all(r.status == "succeeded" for r in runs), matching_worker.output()
    assert {r.seed for r in runs} == {3}
    s = national.statistics
    assert (s["regions"], s["succeeded"], s["failed"]) == (3, 3, [])
    assert s["pupils"] == 12 + 7 + 5 == sum(r.statistics["pupils"] for r in runs)
    assert s["placed"] == sum(r.statistics["placed"] for r in runs) > 0
    assert s["by_region"]["north"]["placed"] == runs[1].statistics["placed"]
    assert s["by_region"]["south"]["pupils"] == 5
    tier_pupils = sum(t["pupils"] for t in s["by_tier"])
    assert tier_pupils == s["pupils"]
    assert sum(t["placed"] for t in s["by_tier"]) == s["placed"]
    assert s["seconds"] > 0


def test_a_busy_region_starts_nothing(world: MatchWorld) -> None:
    other = another_region(world, "north", "E06000001", pupils=2)
    busy = services.match_run_create(region=other, seed=1)

    with pytest.raises(RunInProgress):
        national_run_start(regions=[world.region, other], seed=2)

    assert not NationalRun.objects.exists()
    assert list(MatchRun.objects.values_list("pk", flat=True)) == [busy.pk]
