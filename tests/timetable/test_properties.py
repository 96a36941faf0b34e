"""The planner against brute force over random small feeds.

Brute force walks the time-expanded graph: events (stop, time), every
boarding and alighting, every change, up to three vehicles, depth first.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from placements.engine.timetable import (
    Journey,
    JourneyRules,
    NoJourney,
    Origins,
    plan_from,
    plan_journey,
    read_feed,
)

from .feedkit import BASE_E, BASE_N, Feed, hhmm

DAY = date(2026, 3, 2).toordinal()  # a Monday
RULES = JourneyRules(max_walk_m=600, walk_only_max_m=300, max_change_walk_m=500, horizon_minutes=600)
DEADLINE = RULES.arrive_by_minutes * 60
SETTINGS = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Trip:
    stops: tuple[int, ...]
    times: tuple[int, ...]  # seconds, departure = arrival at each stop
    runs: bool
    accessible: bool


@dataclass(frozen=True)
class World:
    points: tuple[tuple[int, int], ...]  # stops, metres from BASE
    stop_ok: tuple[bool, ...]
    trips: tuple[Trip, ...]
    origin: tuple[int, ...]
    destination: tuple[int, ...]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    # Stops along a line, some close enough to walk between; whole minutes, so that
    # ties and exact fits happen often. Trips serve a few consecutive stops, so
    # most journeys need changes.
    n = draw(st.integers(3, 5))
    steps = [draw(st.sampled_from([400, 1200, 2000])) for _ in range(n - 1)]
    points = tuple((sum(steps[:k]), draw(st.sampled_from([0, 300]))) for k in range(n))
    stop_ok = tuple(draw(st.booleans()) or draw(st.booleans()) for _ in range(n))
    trips = []
    for _ in range(draw(st.integers(2, 24))):
        first = draw(st.integers(0, n - 2))
        length = 3 if first + 3 <= n and draw(st.booleans()) else 2
        stops = list(range(first, first + length))
        if draw(st.booleans()):
            stops.reverse()
        if draw(st.integers(0, 5)) == 0:  # now and then anywhere
            stops = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=3))
        rank = stops[0] if stops[0] < stops[-1] else n - 1 - stops[0]  # how far along its direction
        start = (7 * 60 + 30 + 8 * rank + draw(st.integers(0, 20))) * 60
        gaps = [draw(st.integers(0, 9)) * 60 for _ in stops[1:]]
        times = [start]
        for g in gaps:
            times.append(times[-1] + g)
        trips.append(
            Trip(tuple(stops), tuple(times), draw(st.booleans()) or draw(st.booleans()), draw(st.booleans()))
        )
    # Often exactly at a stop (no walk, so arrivals can meet the deadline to the second), else near one.
    i = draw(st.integers(0, n - 1))
    j = draw(st.integers(0, n - 2))
    if draw(st.integers(0, 3)):  # mostly far apart along the line
        i, j = (0, n - 2) if draw(st.booleans()) else (n - 1, 0)
    nudge = st.sampled_from([(0, 0), (0, 0), (300, 0), (0, -400), (700, 0)])
    origin = tuple(a + b for a, b in zip(points[i], draw(nudge), strict=True))
    destination = tuple(a + b for a, b in zip(points[j + (j >= i)], draw(nudge), strict=True))
    assume(origin != destination)
    return World(points, stop_ok, tuple(trips), origin, destination)


def _feed(world: World) -> Feed:
    feed = Feed()
    for i, (x, y) in enumerate(world.points):
        feed.stop(f"s{i}", x, y, wheelchair=1 if world.stop_ok[i] else 2)
    feed.service("ON")
    feed.service("OFF", weekdays="0000011")
    for i, trip in enumerate(world.trips):
        calls = [(f"s{s}", t) for s, t in zip(trip.stops, trip.times, strict=True)]
        feed.trip(
            f"t{i}", f"r{i}", "ON" if trip.runs else "OFF", calls, wheelchair=1 if trip.accessible else 2
        )
    return feed


def _metres(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _walk(m: float) -> int:
    return int(RULES.walk_seconds(m))


@dataclass
class _Search:
    """Every way to ride from near home to near the destination by the deadline, tried one by one."""

    world: World
    step_free: bool
    rules: JourneyRules
    found: list[tuple[int, int]] = field(default_factory=list)  # (door departure, vehicles)

    def ok(self, s: int) -> bool:
        return self.world.stop_ok[s] or not self.step_free

    def usable(self) -> list[Trip]:
        return [t for t in self.world.trips if t.runs and (t.accessible or not self.step_free)]

    def run(self) -> tuple[int, int] | None:
        world = self.world
        direct = _metres(world.origin, world.destination)
        if direct <= RULES.walk_only_max_m:
            self.found.append((DEADLINE - _walk(direct), 0))
        for s, point in enumerate(world.points):
            if _metres(world.origin, point) <= RULES.max_walk_m and self.ok(s):
                self.board(s, -(10**9), 1, None)
        if not self.found:
            return None
        leave = max(b[0] for b in self.found)
        return leave, min(v for t, v in self.found if t == leave)

    def board(self, s: int, ready: int, vehicles: int, leave: int | None) -> None:
        earliest = max(ready, DEADLINE - RULES.horizon_minutes * 60)
        for trip in self.usable():
            for i, (stop, t) in enumerate(zip(trip.stops[:-1], trip.times[:-1], strict=True)):
                if stop == s and t >= earliest:
                    door = (
                        leave
                        if leave is not None
                        else t - _walk(_metres(self.world.origin, self.world.points[s]))
                    )
                    self.ride(trip, i, vehicles, door)

    def ride(self, trip: Trip, i: int, vehicles: int, leave: int) -> None:
        for v, at in zip(trip.stops[i + 1 :], trip.times[i + 1 :], strict=True):
            if not self.ok(v):
                continue
            egress = _metres(self.world.points[v], self.world.destination)
            if egress <= RULES.max_walk_m and at + _walk(egress) <= DEADLINE:
                self.found.append((leave, vehicles))
            if vehicles <= self.rules.max_changes:
                self.change(v, at, vehicles, leave)

    def change(self, v: int, at: int, vehicles: int, leave: int) -> None:
        for w, point in enumerate(self.world.points):
            gap = _metres(self.world.points[v], point)
            if gap <= RULES.max_change_walk_m and self.ok(w):
                self.board(w, at + int(RULES.change_seconds(gap)), vehicles + 1, leave)


def _brute(world: World, step_free: bool, rules: JourneyRules) -> tuple[int, int] | None:
    """(latest door departure, fewest vehicles at that departure), or None."""
    return _Search(world, step_free, rules).run()


def _check_journey(journey: Journey, rules: JourneyRules) -> None:
    """The legs are a journey: in order, no gaps, within the deadline and the change limit."""
    assert journey.arrive <= DEADLINE
    assert journey.legs[0].depart == journey.depart
    assert journey.legs[-1].arrive == journey.arrive
    for a, b in zip(journey.legs, journey.legs[1:], strict=False):
        assert a.arrive <= b.depart
    assert sum(leg.kind == "ride" for leg in journey.legs) <= rules.max_changes + 1


def _line(*trips: tuple[tuple[int, ...], tuple[str, ...]]) -> World:
    """Stops 2 km apart along a line; trips as (stops, HH:MM times), all running, all accessible."""
    n = 1 + max(max(stops) for stops, _ in trips)
    points = tuple((2000 * k, 0) for k in range(n))
    made = tuple(Trip(stops, tuple(hhmm(t) for t in times), True, True) for stops, times in trips)
    return World(points, (True,) * n, made, points[0], points[-1])


# A 2-minute change that must not be taken (3 minutes is the minimum), and a 3-minute one.
TIGHT_CHANGE = _line(
    ((0, 1), ("08:00", "08:10")),
    ((1, 2), ("08:12", "08:20")),
    ((0, 1), ("07:50", "08:00")),
    ((1, 2), ("08:03", "08:15")),
)
# Three vehicles: two changes.
THREE_VEHICLES = _line(
    ((0, 1), ("07:40", "07:50")), ((1, 2), ("08:00", "08:10")), ((2, 3), ("08:20", "08:30"))
)


@SETTINGS
@example(TIGHT_CHANGE, False, 2)
@example(THREE_VEHICLES, False, 1)
@example(THREE_VEHICLES, False, 2)
@given(worlds(), st.booleans(), st.sampled_from([2, 1]))
def test_planner_matches_brute_force(world: World, step_free: bool, max_changes: int) -> None:
    rules = replace(RULES, max_changes=max_changes)
    with tempfile.TemporaryDirectory() as folder:
        tt = read_feed(_feed(world).write(Path(folder)))
    at = (BASE_E + world.origin[0], BASE_N + world.origin[1])
    to = (BASE_E + world.destination[0], BASE_N + world.destination[1])
    found = plan_journey(tt, at, to, DAY, rules, step_free=step_free)
    expected = _brute(world, step_free, rules)
    if expected is None:
        assert isinstance(found, NoJourney)
    else:
        assert isinstance(found, Journey), found
        rides = sum(leg.kind == "ride" for leg in found.legs)
        assert (found.depart, rides) == expected
        _check_journey(found, rules)
    event(f"vehicles: {'none' if expected is None else expected[1]}")
    many = plan_from(tt, Origins.build(tt, [at[0]], [at[1]], rules), to[0], to[1], DAY, rules, step_free)
    assert int(many.depart[0]) == (-1 if expected is None else expected[0])
