"""Inner loops compiled with numba.

Imported on first use only: numba itself takes about a second to import.
The machine code is cached in ``NUMBA_CACHE_DIR`` if set, else in the
project's ``var/numba-cache`` (``python -m placements.engine.warm`` fills it
ahead of the first run: scripts/demo, scripts/test and the Docker build do);
where that is not writable it goes to a temporary directory, so each new
container compiles once.
Every function is a small compiled helper; ``f.py_func`` is the plain
Python version, to read or step through.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from numba import njit
from numba.core import config

from ._types import I32, I64, Bools

# The project's var/ (three levels up: placements/engine/_compiled.py).
PROJECT_CACHE = Path(__file__).resolve().parents[2] / "var" / "numba-cache"


def _cache_where_writable() -> None:
    if getattr(config, "CACHE_DIR", ""):
        return
    try:
        PROJECT_CACHE.mkdir(parents=True, exist_ok=True)
        writable = os.access(PROJECT_CACHE, os.W_OK)
    except OSError:
        writable = False
    where = PROJECT_CACHE if writable else Path(tempfile.gettempdir()) / "mobility-numba-cache"
    config.CACHE_DIR = str(where)  # type: ignore[attr-defined]


_cache_where_writable()

_F = TypeVar("_F", bound=Callable[..., Any])
# Larger than any distance or layer: "not reached yet".
UNSET = np.iinfo(np.int64).max


def _jit(fn: _F) -> _F:
    """Compile ``fn`` (cached on disk, releasing the GIL)."""
    return cast("_F", njit(cache=True, nogil=True)(fn))


def _loop(fn: _F) -> _F:
    """Compile ``fn`` without reference counting: for a hot loop over arrays it is given,
    allocating none. Each array its inlined helpers are handed would otherwise cost two
    atomic operations per call."""
    without_runtime: dict[str, Any] = {"_nrt": False}  # numba's option; its type stubs omit it
    return cast("_F", njit(cache=True, nogil=True, **without_runtime)(fn))


def _inline(fn: _F) -> _F:
    """Compile ``fn`` into its callers: a helper of a hot loop costs no call."""
    return cast("_F", njit(cache=True, nogil=True, inline="always")(fn))


# ---- stable: pupil-proposing deferred acceptance ----------------------------
#
# Each list entry packs ``key << opp_bits | opportunity``, so a proposal is
# one read. Each opportunity's seats are a max-heap of ``key << pupil_bits |
# pupil`` (the root is the worst seat held; an empty seat holds the all-ones
# key and pupil). ``cutoff`` repeats each root's key in a small array of its
# own, so the many proposals that are turned down cost one look-up.


@_jit
def _seat_heaps(seats: I64, key_bits: int, pupil_bits: int) -> tuple[I64, I64, I64]:
    """(start of each opportunity's heap, cutoff key, heaps of empty seats)."""
    n_opp = len(seats)
    nobody = (1 << pupil_bits) - 1
    empty = (1 << key_bits) - 1
    start = np.zeros(n_opp + 1, dtype=np.int64)
    cutoff = np.empty(n_opp, dtype=np.int64)
    for o in range(n_opp):
        start[o + 1] = start[o] + max(seats[o], 0)
        cutoff[o] = empty if seats[o] > 0 else -1
    heap = np.full(start[n_opp], (empty << pupil_bits) | nobody, dtype=np.int64)
    return start, cutoff, heap


@_inline
def _replace_root(heap: I64, lo: int, size: int, held: int) -> None:
    """Put ``held`` in place of the root of the max-heap ``heap[lo:lo + size]``."""
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[lo + child + 1] > heap[lo + child]:
            child += 1
        if heap[lo + child] <= held:
            break
        heap[lo + i] = heap[lo + child]
        i = child
    heap[lo + i] = held


@_inline
def _propose(
    p: int, e: int, end: int, entry: I64, opp_bits: int, pupil_bits: int, start: I64, cutoff: I64, heap: I64
) -> tuple[int, int]:
    """Pupil ``p`` proposes down its list from entry ``e`` until a seat holds it.

    Returns (the entry after the one held, or ``end``; the pupil it turned out, -1 if none).
    """
    opp_mask = (1 << opp_bits) - 1
    nobody = (1 << pupil_bits) - 1
    while e < end:
        x = entry[e]
        e += 1
        o = x & opp_mask
        k = x >> opp_bits
        if k >= cutoff[o]:
            continue  # full of pupils it ranks higher
        lo = start[o]
        loser = heap[lo] & nobody
        _replace_root(heap, lo, start[o + 1] - lo, (k << pupil_bits) | p)
        cutoff[o] = heap[lo] >> pupil_bits
        return e, loser if loser != nobody else -1
    return e, -1


@_jit
def _holders(heap: I64, nxt: I64, pupil_bits: int) -> I64:
    """Entry each pupil holds a seat with (-1 if none)."""
    nobody = (1 << pupil_bits) - 1
    match = np.full(len(nxt), -1, dtype=np.int64)
    for s in range(len(heap)):
        p = heap[s] & nobody
        if p != nobody:
            match[p] = nxt[p] - 1
    return match


@_jit
def deferred_acceptance(
    ptr: I64, entry: I64, opp_bits: int, seats: I64, key_bits: int, pupil_bits: int
) -> I64:
    """Pupil-proposing deferred acceptance, one proposal at a time.

    Free pupils are taken in passes in index order, which keeps reads of the
    lists nearly sequential; the order of proposals does not change the result.
    """
    n_pupils = len(ptr) - 1
    start, cutoff, heap = _seat_heaps(seats, key_bits, pupil_bits)
    nxt = ptr[:-1].copy()
    waiting = np.empty(n_pupils, dtype=np.bool_)
    for p in range(n_pupils):
        waiting[p] = ptr[p + 1] > ptr[p]
    again = True
    while again:
        again = False
        for p in range(n_pupils):
            if waiting[p]:
                waiting[p] = False
                e, loser = _propose(p, nxt[p], ptr[p + 1], entry, opp_bits, pupil_bits, start, cutoff, heap)
                nxt[p] = e
                if loser >= 0:
                    waiting[loser] = True
                    again |= loser < p
    return _holders(heap, nxt, pupil_bits)


# ---- max-coverage: min-cost maximum b-matching ----------------------------
#
# Pupils (one seat each) and opportunities (``seats`` each) joined by list
# entries with integer costs. Steps, each linear or close to it:
#
# 1. a maximum matching: greedy, then Hopcroft-Karp phases searching from
#    the free seats;
# 2. the Dulmage-Mendelsohn split of that matching: pupils/opportunities
#    reachable from a free pupil ("S"), those that can reach a free seat
#    ("T"), and the rest ("M"). Every maximum matching fills every S and M
#    seat, places every T and M pupil, never uses an entry between two
#    parts, and keeps each M pupil matched to a T opportunity where it is;
# 3. in each part, successive shortest paths (Dijkstra with potentials) from
#    the side that must be matched completely: S seats, T pupils, M pupils.
#    Every search then succeeds, and each part's result is of least cost.


@_jit
def transpose(ptr: I64, opp: I32, n_opp: int) -> tuple[I64, I64]:
    """Entries grouped by opportunity: (pointer over opportunities, entry)."""
    optr = np.zeros(n_opp + 1, dtype=np.int64)
    for e in range(len(opp)):
        optr[opp[e] + 1] += 1
    for o in range(n_opp):
        optr[o + 1] += optr[o]
    fill = optr[:-1].copy()
    entries = np.empty(len(opp), dtype=np.int64)
    for e in range(len(opp)):
        o = opp[e]
        entries[fill[o]] = e
        fill[o] += 1
    return optr, entries


@_jit
def _greedy(ptr: I64, opp: I32, seats: I64) -> tuple[I64, I64]:
    """Each pupil takes the first entry with room: (entry per pupil or -1, seats used)."""
    n_pupils = len(ptr) - 1
    match = np.full(n_pupils, -1, dtype=np.int64)
    used = np.zeros(len(seats), dtype=np.int64)
    for p in range(n_pupils):
        for e in range(ptr[p], ptr[p + 1]):
            if used[opp[e]] < seats[opp[e]]:
                match[p] = e
                used[opp[e]] += 1
                break
    return match, used


@_jit
def _seats_with_room(seats: I64, used: I64, optr: I64, layer_o: I64, queue: I64) -> int:
    """Put opportunities with a free seat (and some entry) in layer 0; returns how many."""
    tail = 0
    for o in range(len(seats)):
        if used[o] < seats[o] and optr[o + 1] > optr[o]:
            layer_o[o] = 0
            queue[tail] = o
            tail += 1
    return tail


@_jit
def _lay_out(
    opp: I32, owner: I32, seats: I64, optr: I64, by_opp: I64, match: I64, used: I64,
    layer_p: I64, layer_o: I64, queue: I64,
) -> int:  # fmt: skip
    """Breadth-first layers backwards from opportunities with room, along
    unused entries to pupils and on along their used entry. Returns the layer
    of the nearest free pupil (``UNSET``: no augmenting path is left)."""
    layer_p[:] = UNSET
    layer_o[:] = UNSET
    tail = _seats_with_room(seats, used, optr, layer_o, queue)
    limit = UNSET
    head = 0
    while head < tail and layer_o[queue[head]] < limit:
        o = queue[head]
        head += 1
        here = layer_o[o] + 1
        for k in range(optr[o], optr[o + 1]):
            e = by_opp[k]
            p = owner[e]
            if match[p] == e or layer_p[p] != UNSET:
                continue
            layer_p[p] = here
            if match[p] < 0:
                limit = here
            elif here < limit and layer_o[opp[match[p]]] == UNSET:
                layer_o[opp[match[p]]] = here + 1
                queue[tail] = opp[match[p]]
                tail += 1
    return limit


@_jit
def _flip(path: I64, via: I64, depth: int, match: I64, layer_p: I64) -> None:
    """Each pupil on the path (``path[1]``, ``path[3]``, ... ``path[depth + 1]``)
    takes the entry it was reached by, and leaves this phase's layers."""
    for i in range(depth // 2 + 1):
        p = path[2 * i + 1]
        layer_p[p] = -1
        match[p] = via[i]


@_jit
def _augment_from(
    s: int, opp: I32, owner: I32, optr: I64, by_opp: I64, match: I64,
    layer_p: I64, layer_o: I64, next_o: I64, path: I64, via: I64,
) -> bool:  # fmt: skip
    """Follow the layers depth first from opportunity ``s`` to a free pupil,
    pruning dead ends, and flip the path found. Returns whether there was one.
    ``path`` holds opportunity, pupil, opportunity, ...; ``via`` the entry each
    pupil on it is reached by."""
    depth = 0
    path[0] = s
    next_o[s] = optr[s]
    while depth >= 0:
        o = path[depth]
        advanced = False
        while next_o[o] < optr[o + 1]:
            e = by_opp[next_o[o]]
            next_o[o] += 1
            p = owner[e]
            if match[p] == e or layer_p[p] != layer_o[o] + 1:
                continue
            if match[p] < 0:  # a free pupil: done
                via[depth // 2] = e
                path[depth + 1] = p
                _flip(path, via, depth, match, layer_p)
                return True
            o2 = opp[match[p]]
            if layer_o[o2] == layer_p[p] + 1:  # on to the opportunity the pupil holds
                via[depth // 2] = e
                path[depth + 1] = p
                path[depth + 2] = o2
                next_o[o2] = optr[o2]
                advanced = True
                break
        if advanced:
            depth += 2
        else:  # a dead end: prune it
            layer_o[o] = -1
            depth -= 2
    return False


@_jit
def maximum_matching(ptr: I64, opp: I32, owner: I32, seats: I64, optr: I64, by_opp: I64) -> I64:
    """A maximum matching: entry per pupil, -1 if unmatched.

    Greedy first, then Hopcroft-Karp phases run from the free seats: each
    lays out shortest augmenting paths by a breadth-first search backwards
    from every opportunity with room, then follows them depth first,
    pupil-disjoint, pruning dead ends. Searching from the seats side only
    visits what can still reach a free seat, a small part of a national run.
    ``optr``/``by_opp``: the entries grouped by opportunity.
    """
    n_pupils = len(ptr) - 1
    n_opp = len(seats)
    match, used = _greedy(ptr, opp, seats)
    layer_p = np.empty(n_pupils, dtype=np.int64)
    layer_o = np.empty(n_opp, dtype=np.int64)
    queue = np.empty(n_opp + n_pupils, dtype=np.int64)
    next_o = np.empty(n_opp, dtype=np.int64)  # next entry (by opportunity) to try
    path = np.empty(2 * n_pupils + 2, dtype=np.int64)  # opp, pupil, opp, pupil, ...
    via = np.empty(n_pupils + 1, dtype=np.int64)  # entry each pupil on the path takes
    while _lay_out(opp, owner, seats, optr, by_opp, match, used, layer_p, layer_o, queue) != UNSET:
        for s in range(n_opp):
            while (
                used[s] < seats[s]
                and layer_o[s] == 0
                and _augment_from(s, opp, owner, optr, by_opp, match, layer_p, layer_o, next_o, path, via)
            ):
                used[s] += 1
    return match


# Parts of the Dulmage-Mendelsohn split.
S, M, T = 0, 1, 2


@_jit
def _spread(
    part: int, top: int, stack: I64, ptr: I64, opp: I32, owner: I32, match: I64, optr: I64, by_opp: I64,
    part_p: I64, part_o: I64, used_from_pupil: bool,
) -> None:  # fmt: skip
    """Depth-first search from the nodes on ``stack`` (pupils, then ``n_pupils +
    opportunity``), marking everything reached with ``part``. From a pupil it
    follows its unused entries (``used_from_pupil`` False) or its used one;
    from an opportunity the other kind."""
    n_pupils = len(part_p)
    while top > 0:
        top -= 1
        v = stack[top]
        if v < n_pupils:
            for e in range(ptr[v], ptr[v + 1]):
                if (e == match[v]) == used_from_pupil and part_o[opp[e]] != part:
                    part_o[opp[e]] = part
                    stack[top] = n_pupils + opp[e]
                    top += 1
        else:
            for k in range(optr[v - n_pupils], optr[v - n_pupils + 1]):
                q = owner[by_opp[k]]
                if (match[q] == by_opp[k]) != used_from_pupil and part_p[q] != part:
                    part_p[q] = part
                    stack[top] = q
                    top += 1


@_jit
def dm_split(
    ptr: I64, opp: I32, owner: I32, seats: I64, match: I64, optr: I64, by_opp: I64
) -> tuple[I64, I64]:
    """Part of each pupil and opportunity: 0 = S, 1 = M, 2 = T (see above)."""
    n_pupils = len(ptr) - 1
    n_opp = len(seats)
    part_p = np.full(n_pupils, M, dtype=np.int64)
    part_o = np.full(n_opp, M, dtype=np.int64)
    used = np.zeros(n_opp, dtype=np.int64)
    stack = np.empty(n_pupils + n_opp, dtype=np.int64)
    # S: from free pupils, along unused entries, back along used ones.
    top = 0
    for p in range(n_pupils):
        if match[p] < 0:
            part_p[p] = S
            stack[top] = p
            top += 1
        else:
            used[opp[match[p]]] += 1
    _spread(S, top, stack, ptr, opp, owner, match, optr, by_opp, part_p, part_o, False)
    # T: backwards from free seats (along unused entries to pupils, on along used ones).
    top = 0
    for o in range(n_opp):
        if used[o] < seats[o]:
            part_o[o] = T
            stack[top] = n_pupils + o
            top += 1
    _spread(T, top, stack, ptr, opp, owner, match, optr, by_opp, part_p, part_o, True)
    return part_p, part_o


# ---- successive shortest paths ------------------------------------------------
#
# Nodes are rows, then columns. Per node: distance, potential, arc that
# reached it, stamp (2 * search when reached in that search, 2 * search + 1
# once settled): stamps replace clearing. What a search reads together is
# stored together (a node's distance, potential and predecessor; an arc's
# column, cost and row): most of the time goes to memory reads.


@_jit
def _cheapest_first(row_ptr: I64, arc_cost: Any) -> I32:
    """Arc order with each row's arcs cheapest first (stable insertion sort: rows are short)."""
    order = np.arange(len(arc_cost)).astype(np.int32)
    for r in range(len(row_ptr) - 1):
        for a in range(row_ptr[r] + 1, row_ptr[r + 1]):
            x = order[a]
            b = a
            while b > row_ptr[r] and arc_cost[order[b - 1]] > arc_cost[x]:
                order[b] = order[b - 1]
                b -= 1
            order[b] = x
    return order


@_jit
def _arc_table(row_ptr: I64, arc_col: I32, arc_cost: Any, order: I32) -> Any:
    """Arcs in ``order``, one row each: column node, cost, row."""
    n_rows = len(row_ptr) - 1
    arc = np.empty((len(arc_cost), 3), dtype=arc_cost.dtype)
    for r in range(n_rows):
        for a in range(row_ptr[r], row_ptr[r + 1]):
            arc[a, 0] = n_rows + arc_col[order[a]]
            arc[a, 1] = arc_cost[order[a]]
            arc[a, 2] = r
    return arc


@_inline
def _before(d1: int, v1: int, d2: int, v2: int) -> bool:
    """Heap order: by distance, then node."""
    return d1 < d2 or (d1 == d2 and v1 < v2)


@_inline
def _heap_pop(heap_d: I64, heap_v: I64, size: int) -> tuple[int, int, int]:
    """Remove the least entry of the binary heap: (distance, node, new size)."""
    d, v = heap_d[0], heap_v[0]
    size -= 1
    if size > 0:  # move the last entry down from the root
        ld, lv = heap_d[size], heap_v[size]
        i = 0
        while 2 * i + 1 < size:
            child = 2 * i + 1
            if child + 1 < size and _before(
                heap_d[child + 1], heap_v[child + 1], heap_d[child], heap_v[child]
            ):
                child += 1
            if not _before(heap_d[child], heap_v[child], ld, lv):
                break
            heap_d[i] = heap_d[child]
            heap_v[i] = heap_v[child]
            i = child
        heap_d[i] = ld
        heap_v[i] = lv
    return d, v, size


@_inline
def _heap_push(heap_d: I64, heap_v: I64, size: int, d: int, v: int) -> None:
    """Add (d, v) to a heap of ``size`` entries (the arrays have room)."""
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if not _before(d, v, heap_d[parent], heap_v[parent]):
            break
        heap_d[i] = heap_d[parent]
        heap_v[i] = heap_v[parent]
        i = parent
    heap_d[i] = d
    heap_v[i] = v


@_jit
def _grown(heap: I64, need: int) -> I64:
    bigger = np.empty(max(2 * len(heap), need), dtype=np.int64)
    bigger[: len(heap)] = heap
    return bigger


@_inline
def _improves(node: I64, w: int, nd: int, seen: int, best: int) -> bool:
    """Is distance ``nd`` to node ``w`` worth keeping: nearer than the nearest
    column with room (``best``) and than ``w``'s distance in this search, and
    ``w`` not settled yet?"""
    if nd >= best or node[w, 3] == seen + 1:
        return False
    return bool(node[w, 3] != seen or nd < node[w, 0])


@_inline
def _reach(node: I64, w: int, nd: int, a: int, seen: int) -> None:
    """Record that this search reached node ``w`` at distance ``nd`` by arc ``a``."""
    node[w, 0] = nd
    node[w, 2] = a
    node[w, 3] = seen


@_jit
def _search(
    s: int, seen: int, row_ptr: I64, arc: Any, in_use: Bools, held: I32, start: I64, count: I64,
    col_cap: I64, node: I64, settled: I64, heap_d: I64, heap_v: I64,
) -> tuple[int, int, I64, I64]:  # fmt: skip
    """Dijkstra from row ``s`` on reduced costs, stopping at the first column
    with room. Returns (that column's node or -1, nodes settled, the heaps)."""
    n_rows = len(row_ptr) - 1
    node[s, 0] = 0
    node[s, 3] = seen
    heap_d[0] = 0
    heap_v[0] = s
    size = 1
    n_settled = 0
    best = UNSET  # distance of the nearest column with room found so far
    while size > 0:
        d, v, size = _heap_pop(heap_d, heap_v, size)
        if node[v, 3] != seen or d > node[v, 0]:
            continue  # settled already, or a stale entry
        node[v, 3] = seen + 1
        settled[n_settled] = v
        n_settled += 1
        row = v < n_rows
        if not row and count[v - n_rows] < col_cap[v - n_rows]:
            return v, n_settled, heap_d, heap_v
        most = row_ptr[v + 1] - row_ptr[v] if row else count[v - n_rows]
        if size + most > len(heap_d):
            heap_d, heap_v = _grown(heap_d, size + most), _grown(heap_v, size + most)
        pi_v = node[v, 1]
        if row:
            for a in range(row_ptr[v], row_ptr[v + 1]):
                if d + arc[a, 1] + pi_v >= best:
                    break
                w = arc[a, 0]
                nd = d + arc[a, 1] + pi_v - node[w, 1]
                if in_use[a] or not _improves(node, w, nd, seen, best):
                    continue
                _reach(node, w, nd, a, seen)
                if w >= n_rows and count[w - n_rows] < col_cap[w - n_rows]:
                    best = nd
                _heap_push(heap_d, heap_v, size, nd, w)
                size += 1
        else:
            c = v - n_rows
            for k in range(start[c], start[c] + count[c]):
                a = held[k]
                w = arc[a, 2]
                nd = d - arc[a, 1] + pi_v - node[w, 1]
                if not _improves(node, w, nd, seen, best):
                    continue
                _reach(node, w, nd, a, seen)
                _heap_push(heap_d, heap_v, size, nd, w)
                size += 1
    return -1, n_settled, heap_d, heap_v


@_jit
def _augment(
    s: int, target: int, n_rows: int, arc: Any, node: I64, in_use: Bools, held: I32, slot_of: I32,
    start: I64, count: I64,
) -> None:  # fmt: skip
    """Flip the arcs on the path back from column node ``target`` to row ``s``."""
    w = target
    while True:
        a = node[w, 2]
        c = w - n_rows
        in_use[a] = True
        slot_of[a] = start[c] + count[c]
        held[slot_of[a]] = a
        count[c] += 1
        u = arc[a, 2]
        if u == s:
            return
        b = node[u, 2]  # arc in use the row leaves
        in_use[b] = False
        c = arc[b, 0] - n_rows
        count[c] -= 1
        moved = held[start[c] + count[c]]
        held[slot_of[b]] = moved
        slot_of[moved] = slot_of[b]
        w = n_rows + c


@_jit
def shortest_paths(
    row_ptr: I64, arc_col: I32, arc_cost: Any, row_need: I64, col_cap: I64, flow: Bools
) -> None:
    """Successive shortest paths on a bipartite graph given as rows' arcs.

    Each row must get ``row_need`` arcs, each column at most ``col_cap``; a
    feasible solution must exist. Sets ``flow`` (per arc) to one of least
    total cost. Reduced costs ``cost + pi[u] - pi[v]`` stay non-negative, so
    every search is a Dijkstra that stops at the first column with room.
    ``arc_cost`` is int32 or int64 (the arc table takes its type).
    """
    n_rows = len(row_ptr) - 1
    n_cols = len(col_cap)
    order = _cheapest_first(row_ptr, arc_cost)
    arc = _arc_table(row_ptr, arc_col, arc_cost, order)
    in_use = np.zeros(len(arc_cost), dtype=np.bool_)
    # Arcs in use per column, in slots (slot_of[a] finds an arc's slot).
    start = np.zeros(n_cols + 1, dtype=np.int64)
    for c in range(n_cols):
        start[c + 1] = start[c] + max(col_cap[c], 0)
    held = np.empty(start[n_cols], dtype=np.int32)
    count = np.zeros(n_cols, dtype=np.int64)
    slot_of = np.full(len(arc_cost), -1, dtype=np.int32)
    node = np.zeros((n_rows + n_cols, 4), dtype=np.int64)
    settled = np.empty(n_rows + n_cols, dtype=np.int64)
    heap_d = np.empty(1024, dtype=np.int64)
    heap_v = np.empty(1024, dtype=np.int64)
    search = 0
    for s in range(n_rows):
        for _ in range(row_need[s]):
            search += 1
            target, n_settled, heap_d, heap_v = _search(
                s,
                2 * search,
                row_ptr,
                arc,
                in_use,
                held,
                start,
                count,
                col_cap,
                node,
                settled,
                heap_d,
                heap_v,
            )
            if target < 0:
                raise ValueError("no feasible assignment")
            # Potentials: nodes settled nearer than the target move by the gap.
            for k in range(n_settled):
                node[settled[k], 1] += node[settled[k], 0] - node[target, 0]
            _augment(s, target, n_rows, arc, node, in_use, held, slot_of, start, count)
    for a in range(len(arc_cost)):
        flow[order[a]] = in_use[a]
