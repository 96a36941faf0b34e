"""Compiled loops of the journey planner (numba; plain Python when read).

One backwards connection scan per round: round k finds, for every stop, the
latest departure from it that reaches the destination by the deadline with
at most k vehicles. Round k alights only where round k - 1 (or the walk to
the destination) can carry on, so rounds are exact and independent.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from .. import _compiled  # noqa: F401  (sets a writable numba cache directory)
from .._types import I32, I64, Bools

NEVER = -(1 << 30)  # "cannot": earlier than any time in a feed


def _scan_round(
    conn: tuple[I32, I32, I32, I32, I32, Bools, Bools],
    lo: int,
    hi: int,
    trip_ok: Bools,
    stop_ok: Bools,
    reach: I32,
    via: I32,
    egress: I32,
    later_arrive: I32,
    out: tuple[I32, I32, I32, I32],
) -> None:
    """Latest boarding per stop with one more vehicle, into ``out``.

    ``reach[v]``: latest arrival at stop v from which the rest of the journey
    works; ``via[v]`` is -1 when that rest is the walk to the destination
    (``egress[v]`` seconds), else the stop w boarded next, whose door arrival
    is ``later_arrive[w]``. ``out`` is (departure, door arrival, boarding
    connection, alighting connection) per stop, filled with NEVER / -1.
    """
    dep, arr, frm, to, trip, pickup, dropoff = conn
    depart, arrive, board, alight = out
    trip_alight = np.full(len(trip_ok), -1, dtype=np.int32)
    trip_arrive = np.zeros(len(trip_ok), dtype=np.int32)
    for c in range(hi - 1, lo - 1, -1):
        t = trip[c]
        if not trip_ok[t]:
            continue
        v = to[c]
        if dropoff[c] and stop_ok[v] and arr[c] <= reach[v]:
            w = via[v]
            door = arr[c] + egress[v] if w < 0 else later_arrive[w]
            if trip_alight[t] < 0 or door <= trip_arrive[t]:
                trip_alight[t] = c
                trip_arrive[t] = door
        u = frm[c]
        if trip_alight[t] < 0 or not pickup[c] or not stop_ok[u]:
            continue
        if dep[c] > depart[u] or (dep[c] == depart[u] and trip_arrive[t] < arrive[u]):
            depart[u] = dep[c]
            arrive[u] = trip_arrive[t]
            board[u] = c
            alight[u] = trip_alight[t]


def _relax_transfers(
    ptr: I64, neighbour: I32, seconds: I32, final: I32, depart: I32, reach: I32, via: I32
) -> None:
    """Latest arrival at each stop that still makes a change (or the final walk).

    ``neighbour[ptr[v]:ptr[v + 1]]`` are the stops reachable from v for a
    change (v itself included) taking ``seconds``; ``final`` is the latest
    arrival at v that walks to the destination in time. Ties go to the walk.
    """
    for v in range(len(ptr) - 1):
        best = final[v]
        choice = -1
        for e in range(ptr[v], ptr[v + 1]):
            w = neighbour[e]
            if depart[w] > NEVER and depart[w] - seconds[e] > best:
                best = depart[w] - seconds[e]
                choice = w
        reach[v] = best
        via[v] = choice


def _best_per_origin(
    ptr: I64, stop: I32, seconds: I32, depart: I32, arrive: I32, k: int, best: tuple[I32, I32, I32, I32]
) -> None:
    """Fold one round into each origin's best: latest door departure, fewer vehicles, earlier arrival."""
    best_depart, best_arrive, best_k, best_stop = best
    for i in range(len(ptr) - 1):
        for e in range(ptr[i], ptr[i + 1]):
            s = stop[e]
            if depart[s] <= NEVER:
                continue
            leave = depart[s] - seconds[e]
            if leave > best_depart[i] or (
                leave == best_depart[i] and best_k[i] == k and arrive[s] < best_arrive[i]
            ):
                best_depart[i] = leave
                best_arrive[i] = arrive[s]
                best_k[i] = k
                best_stop[i] = s


scan_round: Any = njit(cache=True, nogil=True)(_scan_round)
relax_transfers: Any = njit(cache=True, nogil=True)(_relax_transfers)
best_per_origin: Any = njit(cache=True, nogil=True)(_best_per_origin)
