"""Journey planner: the latest departure that arrives by a deadline.

A backwards connection scan in rounds (one per vehicle, so at most
``max_changes + 1`` rounds), over the services that run on the day, plus
trips of the day before that run past midnight. Walking to and from stops is
the straight line on the National Grid x a detour factor at walking speed.
``plan_journey`` answers one door-to-door question with its legs;
``plan_from`` answers many origins (``Origins``) to one destination at once (the engine's
candidate pairs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np

from .._types import F32, F64, I32, I64, U8, Bools
from .compact import ACCESS_NO, DAY_SECONDS, ROUTE_TYPE_WORDS, Timetable
from .nearby import pairs_within

NEVER = -(1 << 30)


@dataclass(frozen=True)
class JourneyRules:
    """How people move between stops and the deadline they must meet."""

    arrive_by_minutes: int = 8 * 60 + 50
    max_walk_m: float = 1000.0  # straight line from the door to a stop, or a stop to the door
    walk_only_max_m: float = 2000.0  # door to door on foot
    max_change_walk_m: float = 400.0  # straight line between stops for a change
    detour_factor: float = 1.3
    walk_speed_km_h: float = 4.5
    min_change_minutes: float = 3.0
    max_changes: int = 2
    horizon_minutes: int = 180  # earliest departure considered, before the deadline

    def walk_seconds(self, metres: Any) -> I32:
        seconds = np.ceil(np.asarray(metres, np.float64) * self.detour_factor / (self.walk_speed_km_h / 3.6))
        out: I32 = seconds.astype(np.int32)
        return out

    def change_seconds(self, metres: Any) -> I32:
        out: I32 = np.maximum(self.walk_seconds(metres), math.ceil(self.min_change_minutes * 60)).astype(
            np.int32
        )
        return out


@dataclass(frozen=True)
class Leg:
    kind: Literal["walk", "ride"]
    depart: int  # seconds after midnight of the day asked about
    arrive: int
    to_name: str
    from_name: str = ""
    route_name: str = ""
    mode: str = ""
    metres: float = 0.0

    @property
    def minutes(self) -> int:
        return round((self.arrive - self.depart) / 60)

    def describe(self) -> str:
        if self.kind == "walk":
            length = f"{self.minutes} min" if self.minutes else "under a minute"
            return f"walk {length}" + (f" to {self.to_name}" if self.to_name else "")
        route = f"{self.mode} {self.route_name}".strip()
        return (
            f"{route} from {self.from_name} at {clock(self.depart)} to {self.to_name}, "
            f"arriving {clock(self.arrive)}"
        )


@dataclass(frozen=True)
class Journey:
    depart: int  # leave the door, seconds after midnight
    arrive: int  # reach the door
    changes: int
    legs: tuple[Leg, ...]

    @property
    def minutes(self) -> int:
        return math.ceil((self.arrive - self.depart) / 60)

    def describe(self) -> str:
        return ", ".join(leg.describe() for leg in self.legs)

    @property
    def leave_clock(self) -> str:
        return clock(self.depart)

    @property
    def arrive_clock(self) -> str:
        return clock(self.arrive)


@dataclass(frozen=True)
class NoJourney:
    reason: str


def clock(seconds: int) -> str:
    """``HH:MM`` of a time of day (times before midnight of the day wrap)."""
    minutes = (seconds // 60) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class _Day:
    """Connections that run on one day, in departure order.

    Trips of the day before keep running past midnight: their connections
    from 24:00 on are shifted back a day and count as separate trips
    (``trip`` index + number of trips), so a trip running both days is two.
    """

    dep: I32
    arr: I32
    frm: I32
    to: I32
    trip: I32
    pickup: Bools
    dropoff: Bools
    running: bool

    def conn(self) -> tuple[I32, I32, I32, I32, I32, Bools, Bools]:
        return (self.dep, self.arr, self.frm, self.to, self.trip, self.pickup, self.dropoff)


def _day(tt: Timetable, day: int) -> _Day:
    key = ("day", day)
    found: _Day | None = tt._cache.get(key)
    if found is not None:
        return found
    n = len(tt.trip_id)
    today = tt.services_on(day)[tt.trip_service][tt.conn_trip]
    late = tt.services_on(day - 1)[tt.trip_service][tt.conn_trip] & (tt.conn_dep >= DAY_SECONDS)
    parts = [np.flatnonzero(today), np.flatnonzero(late)]
    shift = np.concatenate([np.zeros(len(parts[0]), np.int32), np.full(len(parts[1]), DAY_SECONDS, np.int32)])
    c = np.concatenate(parts)
    trip = np.concatenate([tt.conn_trip[parts[0]], tt.conn_trip[parts[1]] + n]).astype(np.int32)
    dep = tt.conn_dep[c] - shift
    arr = tt.conn_arr[c] - shift
    order = np.lexsort((c, trip, arr, dep))
    found = _Day(
        dep=dep[order].astype(np.int32),
        arr=arr[order].astype(np.int32),
        frm=tt.conn_from[c][order],
        to=tt.conn_to[c][order],
        trip=trip[order],
        pickup=tt.conn_pickup[c][order],
        dropoff=tt.conn_dropoff[c][order],
        running=bool(len(c)),
    )
    if len(tt._cache) > 64:
        tt._cache.clear()
    tt._cache[key] = found
    return found


def _changes(tt: Timetable, rules: JourneyRules) -> tuple[I64, I32, I32]:
    """Stops one can change to from each stop (itself included), as CSR with seconds."""
    key = (
        "changes",
        rules.max_change_walk_m,
        rules.min_change_minutes,
        rules.detour_factor,
        rules.walk_speed_km_h,
    )
    found: tuple[I64, I32, I32] | None = tt._cache.get(key)
    if found is None:
        e, n = tt.stop_easting, tt.stop_northing
        a, b, dist = pairs_within(e, n, e, n, rules.max_change_walk_m)
        ptr = np.zeros(len(e) + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=len(e)), out=ptr[1:])
        found = (ptr, b.astype(np.int32), rules.change_seconds(dist))
        tt._cache[key] = found
    return found


def _usable(tt: Timetable, step_free: bool) -> tuple[Bools, Bools]:
    trips = np.ones(2 * len(tt.trip_id), dtype=bool)
    stops = np.ones(len(tt.stop_id), dtype=bool)
    if step_free:
        trips &= np.tile(tt.trip_wheelchair != ACCESS_NO, 2)
        stops &= tt.stop_wheelchair != ACCESS_NO
    return trips, stops


@dataclass
class _Rounds:
    """Per round: stop arrays (departure, door arrival, boarding, alighting, reach, via)."""

    depart: list[I32]
    arrive: list[I32]
    board: list[I32]
    alight: list[I32]
    reach: list[I32]
    via: list[I32]


def _run_rounds(
    tt: Timetable, day: int, dest_e: float, dest_n: float, rules: JourneyRules, step_free: bool
) -> _Rounds | None:
    from . import _scan

    today = _day(tt, day)
    deadline = rules.arrive_by_minutes * 60
    n_stops = len(tt.stop_id)
    trip_ok, stop_ok = _usable(tt, step_free)
    final = np.full(n_stops, NEVER, dtype=np.int32)
    egress = np.zeros(n_stops, dtype=np.int32)
    _, near, dist = pairs_within([dest_e], [dest_n], tt.stop_easting, tt.stop_northing, rules.max_walk_m)
    if len(near) == 0:
        return None
    egress[near] = rules.walk_seconds(dist)
    final[near] = deadline - egress[near]
    lo = int(np.searchsorted(today.dep, deadline - rules.horizon_minutes * 60, "left"))
    hi = int(np.searchsorted(today.dep, deadline, "right"))
    ptr, neighbour, seconds = _changes(tt, rules)
    rounds = _Rounds([], [], [], [], [final], [np.full(n_stops, -1, dtype=np.int32)])
    no_arrival = np.zeros(n_stops, dtype=np.int32)
    for k in range(rules.max_changes + 1):
        out = (
            np.full(n_stops, NEVER, dtype=np.int32),
            np.zeros(n_stops, dtype=np.int32),
            np.full(n_stops, -1, dtype=np.int32),
            np.full(n_stops, -1, dtype=np.int32),
        )
        later = rounds.arrive[k - 1] if k else no_arrival
        _scan.scan_round(
            today.conn(), lo, hi, trip_ok, stop_ok, rounds.reach[k], rounds.via[k], egress, later, out
        )
        for target, value in zip(
            (rounds.depart, rounds.arrive, rounds.board, rounds.alight), out, strict=True
        ):
            target.append(value)
        reach = np.empty(n_stops, dtype=np.int32)
        via = np.empty(n_stops, dtype=np.int32)
        _scan.relax_transfers(ptr, neighbour, seconds, final, out[0], reach, via)
        rounds.reach.append(reach)
        rounds.via.append(via)
    return rounds


@dataclass(frozen=True)
class ManyJourneys:
    """One destination, many origins: -1 departure where there is no journey."""

    depart: I32
    arrive: I32
    changes: I32  # -1 on foot all the way or no journey
    on_foot: Bools

    @property
    def minutes(self) -> F32:
        out: F32 = np.where(self.depart >= 0, np.ceil((self.arrive - self.depart) / 60.0), np.inf).astype(
            np.float32
        )
        return out


def covers(tt: Timetable, easting: Any, northing: Any, rules: JourneyRules) -> Bools:
    """Points with a stop within walking distance (where the feed can speak)."""
    e = np.asarray(easting, np.float64).ravel()
    a, _, _ = pairs_within(
        e, np.asarray(northing, np.float64).ravel(), tt.stop_easting, tt.stop_northing, rules.max_walk_m
    )
    found: Bools = np.zeros(len(e), dtype=bool)
    found[a] = True
    return found


def runs_on(tt: Timetable, day: int) -> bool:
    return bool(np.any(tt.services_on(day)))


@dataclass(frozen=True)
class Origins:
    """Many starting points and the stops each can walk to, worked out once for many destinations."""

    easting: F64
    northing: F64
    ptr: I64
    stop: I32
    seconds: I32

    @classmethod
    def build(cls, tt: Timetable, easting: Any, northing: Any, rules: JourneyRules) -> Origins:
        oe = np.asarray(easting, np.float64).ravel()
        on = np.asarray(northing, np.float64).ravel()
        a, s, dist = pairs_within(oe, on, tt.stop_easting, tt.stop_northing, rules.max_walk_m)
        ptr = np.zeros(len(oe) + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=len(oe)), out=ptr[1:])
        return cls(oe, on, ptr, s.astype(np.int32), rules.walk_seconds(dist))


def plan_from(
    tt: Timetable,
    origins: Origins,
    dest_e: float,
    dest_n: float,
    day: int,
    rules: JourneyRules,
    step_free: bool = False,
) -> ManyJourneys:
    """Best journey from each origin to one destination (no legs)."""
    from . import _scan

    n = len(origins.easting)
    best = (
        np.full(n, NEVER, dtype=np.int32),
        np.zeros(n, dtype=np.int32),
        np.full(n, -1, dtype=np.int32),
        np.full(n, -1, dtype=np.int32),
    )
    rounds = _run_rounds(tt, day, dest_e, dest_n, rules, step_free)
    if rounds is not None:
        for k in range(len(rounds.depart)):
            _scan.best_per_origin(
                origins.ptr, origins.stop, origins.seconds, rounds.depart[k], rounds.arrive[k], k, best
            )
    depart, arrive, changes, _ = best
    metres = np.hypot(origins.easting - dest_e, origins.northing - dest_n)
    deadline = rules.arrive_by_minutes * 60
    walk = deadline - rules.walk_seconds(metres)
    on_foot = (metres <= rules.walk_only_max_m) & (walk >= depart)
    depart = np.where(on_foot, walk, depart)
    arrive = np.where(on_foot, deadline, arrive)
    changes = np.where(on_foot, -1, changes)
    none = depart <= NEVER
    return ManyJourneys(
        depart=np.where(none, -1, depart).astype(np.int32),
        arrive=np.where(none, -1, arrive).astype(np.int32),
        changes=np.where(none, -1, changes).astype(np.int32),
        on_foot=on_foot,
    )


NO_JOURNEY = 255  # in a minutes matrix: nothing arrives in time (or it takes 255 minutes or more)


def minutes_matrix(
    tt: Timetable,
    origins: Origins,
    dest_e: Any,
    dest_n: Any,
    day: int,
    rules: JourneyRules,
    step_free: bool = False,
) -> U8:
    """Door-to-door minutes, origins x destinations, one byte each (``NO_JOURNEY``: none)."""
    de = np.asarray(dest_e, np.float64).ravel()
    dn = np.asarray(dest_n, np.float64).ravel()
    out = np.full((len(origins.easting), len(de)), NO_JOURNEY, dtype=np.uint8)
    for j in range(len(de)):
        minutes = plan_from(tt, origins, float(de[j]), float(dn[j]), day, rules, step_free).minutes
        out[:, j] = np.minimum(minutes, NO_JOURNEY)  # inf -> NO_JOURNEY
    return out


def _stop_name(tt: Timetable, s: int) -> str:
    return str(tt.stop_name[s])


def _legs(
    tt: Timetable, rounds: _Rounds, today: _Day, k: int, stop: int, access_s: int, rules: JourneyRules
) -> list[Leg]:
    """The legs of round ``k``'s journey boarding at ``stop``."""
    n_trips = len(tt.trip_id)
    board = int(rounds.board[k][stop])
    legs = [Leg("walk", int(today.dep[board]) - access_s, int(today.dep[board]), _stop_name(tt, stop))]
    while True:
        board = int(rounds.board[k][stop])
        alight = int(rounds.alight[k][stop])
        trip = int(today.trip[board]) % n_trips
        route = int(tt.trip_route[trip])
        v = int(today.to[alight])
        legs.append(
            Leg(
                "ride",
                int(today.dep[board]),
                int(today.arr[alight]),
                _stop_name(tt, v),
                from_name=_stop_name(tt, stop),
                route_name=str(tt.route_name[route]),
                mode=ROUTE_TYPE_WORDS.get(int(tt.route_type[route]), "service"),
            )
        )
        w = int(rounds.via[k][v])
        if w < 0:
            return legs
        k -= 1
        if w != v:
            e = float(
                np.hypot(tt.stop_easting[v] - tt.stop_easting[w], tt.stop_northing[v] - tt.stop_northing[w])
            )
            walk_s = int(rules.walk_seconds(e))
            legs.append(
                Leg(
                    "walk",
                    int(today.arr[alight]),
                    int(today.arr[alight]) + walk_s,
                    _stop_name(tt, w),
                    metres=e,
                )
            )
        stop = w


def plan_journey(
    tt: Timetable,
    origin: tuple[float, float],
    destination: tuple[float, float],
    day: int,
    rules: JourneyRules | None = None,
    step_free: bool = False,
) -> Journey | NoJourney:
    """The latest door-to-door journey that arrives by the deadline, with its legs."""
    rules = rules or JourneyRules()
    deadline = rules.arrive_by_minutes * 60
    when = date.fromordinal(day).strftime("%a %d %b %Y")
    metres = math.hypot(origin[0] - destination[0], origin[1] - destination[1])
    walk_all = int(rules.walk_seconds(metres)) if metres <= rules.walk_only_max_m else None
    by_time = f"by {clock(deadline)}"
    rounds = _run_rounds(tt, day, destination[0], destination[1], rules, step_free)
    _, near, near_m = pairs_within(
        [origin[0]], [origin[1]], tt.stop_easting, tt.stop_northing, rules.max_walk_m
    )
    best: tuple[int, int, int, int, int] | None = None  # (leave, -k, -arrive, stop, access)
    if rounds is not None and len(near):
        access = rules.walk_seconds(near_m)
        for k in range(len(rounds.depart)):
            leaves = rounds.depart[k][near] - access
            ok = rounds.depart[k][near] > NEVER
            for i in np.flatnonzero(ok):
                key = (int(leaves[i]), -k, -int(rounds.arrive[k][near[i]]), int(near[i]), int(access[i]))
                if best is None or key[:3] > best[:3]:
                    best = key
    if walk_all is not None and (best is None or deadline - walk_all >= best[0]):
        leg = Leg("walk", deadline - walk_all, deadline, "", metres=metres)
        return Journey(deadline - walk_all, deadline, 0, (leg,))
    if best is not None:
        assert rounds is not None
        leave, neg_k, neg_arrive, stop, access_s = best
        today = _day(tt, day)
        legs = _legs(tt, rounds, today, -neg_k, stop, access_s, rules)
        last = legs[-1]
        egress = -neg_arrive - last.arrive
        legs.append(Leg("walk", last.arrive, last.arrive + egress, ""))
        # A stop at the door: no walk to speak of.
        kept = tuple(leg for leg in legs if leg.kind == "ride" or leg.arrive > leg.depart)
        return Journey(leave, -neg_arrive, -neg_k, kept)
    if len(near) == 0:
        return NoJourney(f"no stop within {rules.max_walk_m:.0f} m of the start")
    if rounds is None:
        return NoJourney(f"no stop within {rules.max_walk_m:.0f} m of the destination")
    if not runs_on(tt, day):
        return NoJourney(f"the timetable has no services on {when}")
    return NoJourney(
        f"no journey arrives {by_time} on {when} with at most {rules.max_changes} changes"
        + (" step-free" if step_free else "")
    )
