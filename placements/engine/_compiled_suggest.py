"""Suggestions compiled with numba: ``candidates.suggest`` one pupil at a time.

The same search as the numpy version in ``candidates.py`` (rings of grid
cells nearest first until a window has ``suggestion_pool`` eligible
candidates, then the virtual opportunities of the pupil's sectors), with the
same float32 arithmetic as ``travel.estimate_travel_minutes`` and the same
float64 score as ``Policy.suggestion_score``, so the suggestions are
identical (the tests compare both). Each pupil keeps only its ``want`` best
candidates in a small sorted buffer instead of collecting them all.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._compiled import _inline, _jit, _loop
from ._types import F32, F64, I16, I32, I64, U8, U64, Bools

# Timetable cell meaning "covered, but nothing arrives in time" (timetable.planner.NO_JOURNEY).
NO_JOURNEY = 255


# Columns of ``Sites.site``: one row per site, so a scan reads one array front to back.
OPP, EAST, NORTH, START, END, LATEST, CODE, FLAGS = range(8)
STEP_FREE, GROWTH = 1, 2  # bits of the FLAGS column


class Sites(NamedTuple):
    """Open in-person/hybrid opportunities in grid order (``candidates.Grid``)."""

    cell: int
    cell_key: I64
    # Cell position of (x0 + i, y0 + j) at [i, j], -1 if empty; 0 x 0 if too large (binary search then).
    table: I32
    x0: int
    y0: int
    start: I64
    size: I64  # sites per cell
    longest: int
    site: I32  # sites x columns (OPP ... FLAGS)


class Online(NamedTuple):
    """Offered virtual opportunities by (sector code, start day) (``candidates._Virtual``)."""

    opp: I64
    code_day: I64
    longest: int
    start_day: I32
    end_day: I32
    latest_birth_day: I32


class Seekers(NamedTuple):
    """Pupils to suggest to (``who``, ``want`` each) and the pupil columns the checks read."""

    who: I64
    want: I64
    radius: F64  # per entry of ``who``
    easting: I32
    northing: I32
    max_minutes: I16
    birth_day: I32
    needs_step_free: Bools
    window_ptr: I64
    window_start: I32
    window_end: I32
    masks: U64
    interest_ptr: I64
    interest_code: I64
    exclusion_ptr: I64
    excluded: I64


class Scoring(NamedTuple):
    """Travel model (float32, as the estimate computes), score weights, pool, timetable."""

    model: F32  # detour, walking speed, longest walk (km), bus speed, bus minutes added
    weights: F64  # sector fit, growth sector
    scale: np.float32
    pool: int
    opp_code: I32
    growth: Bools
    timetable_row: I32  # per pupil; empty without a timetable
    timetable_col: I32  # per opportunity
    timetable: U8  # minutes matrix (rows x cols)


# One pupil and window: pupil, easting, northing, birth day, needs step-free, most minutes,
# window's first and last day, has several windows, reach (metres), timetable row, want, entry of ``who``.
Pupil = tuple[int, int, int, int, bool, int, int, int, bool, float, int, int, int]


class Best(NamedTuple):
    """One pupil's best candidates so far, best first: value, opportunity, minutes."""

    value: F64
    opp: I64
    minutes: F32


@_jit
def _estimate(dx: int, dy: int, model: tuple[np.float32, ...]) -> np.float32:
    """``estimate_travel_minutes`` for one in-person pair, operation for operation in float32;
    ``model``: detour, walking speed, longest walk, bus speed, bus minutes added."""
    detour, walk_speed, walk_max, bus_speed, bus_fixed = model
    km = np.float32(math.hypot(np.float32(dx), np.float32(dy))) / np.float32(1000.0)
    route = km * detour
    if km <= walk_max:
        return route / walk_speed * np.float32(60.0)
    return route / bus_speed * np.float32(60.0) + bus_fixed


@_jit
def _overlaps(k: Seekers, p: int, start: int, end: int) -> bool:
    """Does [start, end] overlap any of pupil ``p``'s windows?"""
    for w in range(k.window_ptr[p], k.window_ptr[p + 1]):
        if k.window_start[w] <= end and k.window_end[w] >= start:
            return True
    return False


@_jit
def _score(
    word: np.uint64, code: int, growth: bool, weights: tuple[float, float, np.float32], minutes: np.float32
) -> float:
    """``Policy.suggestion_score``: float64 weights (sector, growth), minutes / scale in float32;
    ``word``: the pupil's interest bits holding sector ``code``."""
    sector, grow, scale = weights
    fit = (word >> np.uint64(code & 63)) & np.uint64(1)
    value = sector * (1.0 if fit else 0.0) + grow * (1.0 if growth else 0.0)
    return value - np.float64(minutes / scale)


@_jit
def _offer(
    best: F64, best_o: I64, best_m: F32, size: int, want: int, value: float, o: int, minutes: np.float32
) -> int:
    """Keep (value, o) if among the ``want`` best (higher value, then lower o); returns the new size.
    Callers skip ``_beaten`` candidates first: most are, and this call is the costly part.

    A pupil meets an opportunity once per window, always with the same value: a repeat is dropped.
    """
    at = size
    while at > 0 and (best[at - 1] < value or (best[at - 1] == value and best_o[at - 1] > o)):
        at -= 1
    if at > 0 and best[at - 1] == value and best_o[at - 1] == o:
        return size
    if at >= want:
        return size
    end = min(size, want - 1)
    for j in range(end, at, -1):
        best[j], best_o[j], best_m[j] = best[j - 1], best_o[j - 1], best_m[j - 1]
    best[at], best_o[at], best_m[at] = value, o, minutes
    return min(size + 1, want)


@_jit
def _beaten(value: float, o: int, size: int, want: int, worst: float, worst_o: int) -> bool:
    """Is (value, o) not better than the worst of a full buffer (a repeat of it included)?"""
    return size >= want and (value < worst or (value == worst and o >= worst_o))


@_jit
def _dates_fit(start: int, end: int, first: int, last: int, several: bool) -> int:
    """1 if [start, end] overlaps this window, 0 if not and the pupil has no other, -1: check the others."""
    if start <= last and end >= first:
        return 1
    return -1 if several else 0


@_inline
def _cell_position(table: I32, x0: int, y0: int, cell_key: I64, x: int, y: int) -> int:
    """Position of grid cell (x, y) in ``cell_key``, -1 if no site is in it."""
    if table.shape[0]:
        i, j = x - x0, y - y0
        if 0 <= i < table.shape[0] and 0 <= j < table.shape[1]:
            return int(table[i, j])
        return -1
    key = x * (1 << 24) + y
    at = int(np.searchsorted(cell_key, key))
    if at < len(cell_key) and cell_key[at] == key:
        return at
    return -1


@_inline
def _near(cell: int, e: int, n: int, x: int, y: int, radius: float) -> bool:
    """Can cell (x, y) hold a point within ``radius`` of (e, n)?"""
    x0, y0 = x * cell, y * cell
    gap_x = max(max(x0 - e, e - (x0 + cell)), 0)
    gap_y = max(max(y0 - n, n - (y0 + cell)), 0)
    return math.hypot(gap_x, gap_y) <= radius


@_inline
def _first_start_at_or_after(site: I32, lo: int, hi: int, day: int) -> int:
    """First row of the sorted (by start day) ``site[lo:hi]`` starting on ``day`` or later."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if site[mid, START] < day:
            lo = mid + 1
        else:
            hi = mid
    return lo


@_jit
def _travel(minutes: np.float32, row: int, col: int, timetable: U8) -> np.float32:
    """``TimetableMinutes.apply`` for one pair: timetable row ``row``, column ``col``."""
    if row < 0 or col < 0:
        return minutes
    found = timetable[row, col]
    return np.float32(np.inf) if found == NO_JOURNEY else np.float32(found)


@_inline
def _in_windows(start: I32, end: I32, first: int, last: int) -> bool:
    """Does [first, last] overlap any of the windows [start, end]?"""
    for w in range(len(start)):  # noqa: SIM110 (numba compiles no generators)
        if start[w] <= last and end[w] >= first:
            return True
    return False


@_inline
def _fits(site: I32, a: int, q: Pupil) -> int:
    """Site ``a``'s hard rules but travel for pupil and window ``q``: 1 if met, 0 if not,
    -1 if only another of the pupil's windows may fit its dates."""
    birth, need_free, first, last, several = q[3], q[4], q[6], q[7], q[8]
    if site[a, LATEST] < birth or (need_free and not site[a, FLAGS] & STEP_FREE):
        return 0
    return _dates_fit(site[a, START], site[a, END], first, last, several)


@_inline
def _scan(
    site: I32,
    at: int,
    stop: int,
    q: Pupil,
    seen: I64,
    b: Best,
    own: tuple[U64, I32, I32],
    timetable: tuple[I32, U8],
    model: tuple[np.float32, np.float32, np.float32, np.float32, np.float32],
    weights: tuple[float, float, np.float32],
    size: int,
) -> tuple[int, int]:
    """Eligible sites ``at:stop`` (one cell) for pupil and window ``q``: (how many, buffer size).
    ``own``: the pupil's interest bits, window starts and window ends.

    Called once per cell with as few arrays as it reads: a compiled call costs two atomic
    reference counts per array it is given; the loop calls only helpers of scalars or inlined ones.
    """
    e, n, most, reach, tt_row, want, i = q[1], q[2], q[5], q[9], q[10], q[11], q[12]
    mask, w_start, w_end = own
    tt_col, minutes = timetable
    best, best_o, best_m = b
    found = 0
    for a in range(at, stop):
        fits = _fits(site, a, q)
        if fits == 0 or (fits < 0 and not _in_windows(w_start, w_end, site[a, START], site[a, END])):
            continue
        dx, dy = e - site[a, EAST], n - site[a, NORTH]
        o = site[a, OPP]
        if float(dx * dx + dy * dy) > reach * reach or seen[o] == i:
            continue
        m = _estimate(dx, dy, model)
        if tt_row >= 0:
            m = _travel(m, tt_row, tt_col[o], minutes)
        if not m <= most:
            continue
        found += 1
        code = site[a, CODE]
        value = _score(mask[code >> 6], code, site[a, FLAGS] & GROWTH != 0, weights, m)
        if not _beaten(value, o, size, want, best[want - 1], best_o[want - 1]):
            size = _offer(best, best_o, best_m, size, want, value, o, m)
    return found, size


@_inline
def _physical(g: Sites, k: Seekers, s: Scoring, i: int, w: int, seen: I64, b: Best, size: int) -> int:
    """Rings of cells around home, nearest first, until the pool is reached; returns the buffer size."""
    site, table, cell_key, cell_start, cell_size = g.site, g.table, g.cell_key, g.start, g.size
    p = k.who[i]
    e, n = int(k.easting[p]), int(k.northing[p])
    radius = k.radius[i]
    tt_row = s.timetable_row[p] if len(s.timetable_row) else -1
    # Beyond the reach (an upper bound) the estimate is always too long: skip the square root,
    # unless timetable minutes may stand in for the estimate.
    reach = radius + 1.0 + radius * 1e-5 if tt_row < 0 else np.inf
    first, last = k.window_start[w], k.window_end[w]
    several = k.window_ptr[p + 1] - k.window_ptr[p] > 1
    birth, need_free, most = k.birth_day[p], k.needs_step_free[p], k.max_minutes[p]
    q = (p, e, n, birth, need_free, most, first, last, several, reach, tt_row, k.want[i], i)
    w_lo, w_hi = k.window_ptr[p], k.window_ptr[p + 1]
    own = (k.masks[p], k.window_start[w_lo:w_hi], k.window_end[w_lo:w_hi])
    timetable = (s.timetable_col, s.timetable)
    model = (s.model[0], s.model[1], s.model[2], s.model[3], s.model[4])
    weights = (s.weights[0], s.weights[1], s.scale)
    cx, cy = e // g.cell, n // g.cell
    count = 0
    for ring in range(math.ceil(radius / g.cell) + 1):
        if count >= s.pool or len(cell_key) == 0:
            break
        for dx in range(-ring, ring + 1):
            # Only the ring's border: every cell for the outer columns, two for the others.
            step = 1 if abs(dx) == ring else max(2 * ring, 1)
            for dy in range(-ring, ring + 1, step):
                if not _near(g.cell, e, n, cx + dx, cy + dy, radius):
                    continue
                c = _cell_position(table, g.x0, g.y0, cell_key, cx + dx, cy + dy)
                if c < 0:
                    continue
                lo, hi = cell_start[c], cell_start[c] + cell_size[c]
                at = _first_start_at_or_after(site, lo, hi, first - g.longest)
                stop = _first_start_at_or_after(site, at, hi, last + 1)
                found, size = _scan(site, at, stop, q, seen, b, own, timetable, model, weights, size)
                count += found
    return size


@_inline
def _virtual(v: Online, k: Seekers, s: Scoring, i: int, w: int, seen: I64, b: Best, size: int) -> int:
    """Offered virtual opportunities in each of the pupil's sectors, by dates; returns the buffer size."""
    opp, start_day, end_day, latest, code_day = v.opp, v.start_day, v.end_day, v.latest_birth_day, v.code_day
    best, best_o, best_m, code, growth = b.value, b.opp, b.minutes, s.opp_code, s.growth
    weights = (s.weights[0], s.weights[1], s.scale)
    p = k.who[i]
    mask, birth, want = k.masks[p], k.birth_day[p], k.want[i]
    first, last = k.window_start[w], k.window_end[w]
    several = k.window_ptr[p + 1] - k.window_ptr[p] > 1
    m = np.float32(0.0)
    for j in range(k.interest_ptr[p], k.interest_ptr[p + 1]):
        sector = k.interest_code[j]
        if sector < 0 or _listed_before(k, p, j) or k.max_minutes[p] < 0:
            continue
        lo = np.searchsorted(code_day, (sector << 32) | (first - v.longest))
        hi = np.searchsorted(code_day, (sector << 32) | last, side="right")
        for a in range(lo, hi):
            o = opp[a]
            dates = _dates_fit(start_day[a], end_day[a], first, last, several)
            if latest[a] < birth or seen[o] == i or dates == 0:
                continue
            if dates > 0 or _overlaps(k, p, start_day[a], end_day[a]):
                value = _score(mask[code[o] >> 6], code[o], growth[o], weights, m)
                if not _beaten(value, o, size, want, best[want - 1], best_o[want - 1]):
                    size = _offer(best, best_o, best_m, size, want, value, o, m)
    return size


@_jit
def _listed_before(k: Seekers, p: int, j: int) -> bool:
    """Is interest ``j``'s sector among pupil ``p``'s earlier interests?"""
    for earlier in range(k.interest_ptr[p], j):  # noqa: SIM110 (numba compiles no generators)
        if k.interest_code[earlier] == k.interest_code[j]:
            return True
    return False


@_jit
def _home_order(g: Sites, k: Seekers) -> I64:
    """Pupils ordered by home grid cell: neighbours search the same cells while they are in cache."""
    key = np.empty(len(k.who), dtype=np.int64)
    for i in range(len(k.who)):
        p = k.who[i]
        key[i] = (np.int64(k.easting[p]) // g.cell) * (1 << 24) + np.int64(k.northing[p]) // g.cell
    return np.argsort(key, kind="mergesort")


@_jit
def suggest(g: Sites, v: Online, k: Seekers, s: Scoring, n_opp: int) -> tuple[I64, I64, F32]:
    """Each pupil's ``want`` best suggestions: (pupil, opportunity, minutes), by pupil, best first."""
    slot = np.zeros(len(k.who) + 1, dtype=np.int64)  # pupil i's results go to slot[i]...
    for i in range(len(k.who)):
        slot[i + 1] = slot[i] + k.want[i]
    out = Best(np.empty(0, np.float64), np.empty(slot[-1], np.int64), np.empty(slot[-1], np.float32))
    got = np.zeros(len(k.who), dtype=np.int64)
    seen = np.full(n_opp, -1, dtype=np.int64)  # seen[o] == i: o is excluded for pupil i
    most = max(k.want.max(), 1) if len(k.want) else 1
    b = Best(np.empty(most, np.float64), np.empty(most, np.int64), np.empty(most, np.float32))
    _search_all(g, v, k, s, _home_order(g, k), seen, b, slot, out, got)
    return _in_pupil_order(k.who, slot, got, out.opp, out.minutes)


@_loop
def _search_all(
    g: Sites,
    v: Online,
    k: Seekers,
    s: Scoring,
    order: I64,
    seen: I64,
    b: Best,
    slot: I64,
    out: Best,
    got: I64,
) -> None:
    """Pupil by pupil in ``order``: their best into ``out`` from ``slot[i]``, how many in ``got[i]``."""
    for i in order:
        p = k.who[i]
        for x in range(k.exclusion_ptr[p], k.exclusion_ptr[p + 1]):
            seen[k.excluded[x]] = i
        size = 0
        for w in range(k.window_ptr[p], k.window_ptr[p + 1]):
            size = _physical(g, k, s, i, w, seen, b, size)
            size = _virtual(v, k, s, i, w, seen, b, size)
        for j in range(size):  # a loop: slice assignment may allocate a copy
            out.opp[slot[i] + j], out.minutes[slot[i] + j] = b.opp[j], b.minutes[j]
        got[i] = size


@_jit
def _in_pupil_order(who: I64, slot: I64, got: I64, out_o: I64, out_m: F32) -> tuple[I64, I64, F32]:
    """Each pupil's filled slots, pupil by pupil."""
    total = got.sum()
    p, o, m = np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, np.float32)
    done = 0
    for i in range(len(who)):
        n = got[i]
        p[done : done + n] = who[i]
        o[done : done + n] = out_o[slot[i] : slot[i] + n]
        m[done : done + n] = out_m[slot[i] : slot[i] + n]
        done += n
    return p, o, m
