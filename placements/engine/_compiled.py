"""Inner loops compiled with numba.

Imported on first use only: numba itself takes about a second to import.
The machine code is cached in ``__pycache__`` next to this file, or in
``NUMBA_CACHE_DIR``; where neither is writable (a read-only container) it
goes to a temporary directory, so each new container compiles once.
The functions are plain Python too, so they can be read and tested as such.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit
from numba.core import config

from ._types import I32, I64, Bools


def _cache_where_writable() -> None:
    here = Path(__file__).resolve().parent
    in_tree = here / "__pycache__"
    if getattr(config, "CACHE_DIR", "") or os.access(in_tree if in_tree.exists() else here, os.W_OK):
        return
    config.CACHE_DIR = str(Path(tempfile.gettempdir()) / "mobility-numba-cache")  # type: ignore[attr-defined]


_cache_where_writable()


def _deferred_acceptance(
    ptr: I64, entry: I64, opp_bits: int, seats: I64, key_bits: int, pupil_bits: int
) -> I64:
    """Pupil-proposing deferred acceptance, one proposal at a time.

    ``entry`` packs each list entry as ``key << opp_bits | opportunity``, so
    a proposal is one read. Each opportunity's seats are a max-heap of
    ``key << pupil_bits | pupil`` (the root is the worst seat held; an empty
    seat holds the all-ones key and pupil). ``cutoff`` repeats each root's
    key in a small array of its own, so the many proposals that are turned
    down cost one look-up. Free pupils are taken in passes in index order,
    which keeps reads of the lists nearly sequential; the order of proposals
    does not change the result.
    """
    n_pupils = len(ptr) - 1
    n_opp = len(seats)
    opp_mask = (1 << opp_bits) - 1
    nobody = (1 << pupil_bits) - 1
    empty = (1 << key_bits) - 1
    start = np.zeros(n_opp + 1, dtype=np.int64)
    cutoff = np.empty(n_opp, dtype=np.int64)
    for o in range(n_opp):
        start[o + 1] = start[o] + max(seats[o], 0)
        cutoff[o] = empty if seats[o] > 0 else -1
    heap = np.full(start[n_opp], (empty << pupil_bits) | nobody, dtype=np.int64)
    nxt = ptr[:-1].copy()
    waiting = np.empty(n_pupils, dtype=np.bool_)
    for p in range(n_pupils):
        waiting[p] = ptr[p + 1] > ptr[p]
    again = True
    while again:
        again = False
        for p in range(n_pupils):
            if not waiting[p]:
                continue
            waiting[p] = False
            e = nxt[p]
            end = ptr[p + 1]
            while e < end:
                x = entry[e]
                e += 1
                o = x & opp_mask
                k = x >> opp_bits
                if k >= cutoff[o]:
                    continue  # full of pupils it ranks higher
                lo = start[o]
                size = start[o + 1] - lo
                loser = heap[lo] & nobody
                held = (k << pupil_bits) | p
                # Replace the root with the proposal and sift it down.
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
                cutoff[o] = heap[lo] >> pupil_bits
                if loser != nobody:
                    waiting[loser] = True
                    again |= loser < p
                break
            nxt[p] = e
    match = np.full(n_pupils, -1, dtype=np.int64)
    for s in range(start[n_opp]):
        p = heap[s] & nobody
        if p != nobody:
            match[p] = nxt[p] - 1
    return match


deferred_acceptance: Any = njit(cache=True, nogil=True)(_deferred_acceptance)


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


def _transpose(ptr: I64, opp: I32, n_opp: int) -> tuple[I64, I64]:
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


def _maximum_matching(ptr: I64, opp: I32, owner: I32, seats: I64, optr: I64, by_opp: I64) -> I64:
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
    unset = np.iinfo(np.int64).max
    match = np.full(n_pupils, -1, dtype=np.int64)
    used = np.zeros(n_opp, dtype=np.int64)
    for p in range(n_pupils):
        for e in range(ptr[p], ptr[p + 1]):
            if used[opp[e]] < seats[opp[e]]:
                match[p] = e
                used[opp[e]] += 1
                break
    layer_p = np.empty(n_pupils, dtype=np.int64)
    layer_o = np.empty(n_opp, dtype=np.int64)
    queue = np.empty(n_opp + n_pupils, dtype=np.int64)
    next_o = np.empty(n_opp, dtype=np.int64)  # next entry (by opportunity) to try
    path = np.empty(2 * n_pupils + 2, dtype=np.int64)  # opp, pupil, opp, pupil, ...
    via = np.empty(n_pupils + 1, dtype=np.int64)  # entry each pupil on the path takes
    while True:
        layer_p[:] = unset
        layer_o[:] = unset
        tail = 0
        for o in range(n_opp):
            if used[o] < seats[o] and optr[o + 1] > optr[o]:
                layer_o[o] = 0
                queue[tail] = o
                tail += 1
        limit = unset
        head = 0
        while head < tail:
            o = queue[head]
            head += 1
            here = layer_o[o] + 1
            if here > limit:
                break
            for k in range(optr[o], optr[o + 1]):
                e = by_opp[k]
                p = owner[e]
                if match[p] == e or layer_p[p] != unset:
                    continue
                layer_p[p] = here
                if match[p] < 0:
                    limit = here
                elif here < limit:
                    o2 = opp[match[p]]
                    if layer_o[o2] == unset:
                        layer_o[o2] = here + 1
                        queue[tail] = o2
                        tail += 1
        if limit == unset:
            return match
        for s in range(n_opp):
            while used[s] < seats[s] and layer_o[s] == 0:
                depth = 0
                path[0] = s
                next_o[s] = optr[s]
                found = False
                while depth >= 0 and not found:
                    o = path[depth]
                    advanced = False
                    while next_o[o] < optr[o + 1]:
                        e = by_opp[next_o[o]]
                        next_o[o] += 1
                        p = owner[e]
                        if match[p] == e or layer_p[p] != layer_o[o] + 1:
                            continue
                        if match[p] < 0:
                            via[depth // 2] = e
                            path[depth + 1] = p
                            depth += 1
                            found = True
                            advanced = True
                            break
                        o2 = opp[match[p]]
                        if layer_o[o2] != layer_p[p] + 1:
                            continue
                        via[depth // 2] = e
                        path[depth + 1] = p
                        path[depth + 2] = o2
                        next_o[o2] = optr[o2]
                        depth += 2
                        advanced = True
                        break
                    if not advanced:
                        layer_o[o] = -1
                        depth -= 2
                if not found:
                    break
                # Each pupil on the path takes the entry it was reached by.
                used[s] += 1
                for i in range(depth // 2 + 1):
                    p = path[2 * i + 1]
                    layer_p[p] = -1
                    match[p] = via[i]
    return match


def _dm_split(
    ptr: I64, opp: I32, owner: I32, seats: I64, match: I64, optr: I64, by_opp: I64
) -> tuple[I64, I64]:
    """Part of each pupil and opportunity: 0 = S, 1 = M, 2 = T (see above)."""
    n_pupils = len(ptr) - 1
    n_opp = len(seats)
    part_p = np.ones(n_pupils, dtype=np.int64)
    part_o = np.ones(n_opp, dtype=np.int64)
    used = np.zeros(n_opp, dtype=np.int64)
    for p in range(n_pupils):
        if match[p] >= 0:
            used[opp[match[p]]] += 1
    stack = np.empty(n_pupils + n_opp, dtype=np.int64)
    # S: from free pupils, along unused entries, back along used ones.
    top = 0
    for p in range(n_pupils):
        if match[p] < 0:
            part_p[p] = 0
            stack[top] = p
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        if v < n_pupils:
            for e in range(ptr[v], ptr[v + 1]):
                o = opp[e]
                if e != match[v] and part_o[o] != 0:
                    part_o[o] = 0
                    stack[top] = n_pupils + o
                    top += 1
        else:
            o = v - n_pupils
            for k in range(optr[o], optr[o + 1]):
                e = by_opp[k]
                q = owner[e]
                if match[q] == e and part_p[q] != 0:
                    part_p[q] = 0
                    stack[top] = q
                    top += 1
    # T: backwards from free seats.
    for o in range(n_opp):
        if used[o] < seats[o]:
            part_o[o] = 2
            stack[top] = n_pupils + o
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        if v < n_pupils:
            if match[v] >= 0:
                o = opp[match[v]]
                if part_o[o] != 2:
                    part_o[o] = 2
                    stack[top] = n_pupils + o
                    top += 1
        else:
            o = v - n_pupils
            for k in range(optr[o], optr[o + 1]):
                e = by_opp[k]
                q = owner[e]
                if match[q] != e and part_p[q] != 2:
                    part_p[q] = 2
                    stack[top] = q
                    top += 1
    return part_p, part_o


def _shortest_paths(
    row_ptr: I64, arc_col: I32, arc_cost: I32, row_need: I64, col_cap: I64, flow: Bools
) -> None:
    """Successive shortest paths on a bipartite graph given as rows' arcs.

    Each row must get ``row_need`` arcs, each column at most ``col_cap``; a
    feasible solution must exist. Sets ``flow`` (per arc) to one of least
    total cost. Reduced costs ``cost + pi[u] - pi[v]`` stay non-negative, so
    every search is a Dijkstra that stops at the first column with room.

    What a search reads together is stored together (a node's distance,
    potential and predecessor; an arc's column, cost and row), and stamps
    replace clearing: most of the time goes to memory reads.
    """
    n_rows = len(row_ptr) - 1
    n_cols = len(col_cap)
    n_arcs = len(arc_col)
    # A row's arcs cheapest first (stable): potentials never rise, so once
    # ``d + cost + pi[row]`` reaches the nearest column with room found so
    # far, the row's remaining arcs cannot lead anywhere nearer.
    order = np.arange(n_arcs).astype(np.int32)
    for r in range(n_rows):
        for a in range(row_ptr[r] + 1, row_ptr[r + 1]):
            x = order[a]
            b = a
            while b > row_ptr[r] and arc_cost[order[b - 1]] > arc_cost[x]:
                order[b] = order[b - 1]
                b -= 1
            order[b] = x
    arc = np.empty((n_arcs, 3), dtype=np.int32)  # column node, cost, row
    for r in range(n_rows):
        for a in range(row_ptr[r], row_ptr[r + 1]):
            arc[a, 0] = n_rows + arc_col[order[a]]
            arc[a, 1] = arc_cost[order[a]]
            arc[a, 2] = r
    in_use = np.zeros(n_arcs, dtype=np.bool_)
    # Arcs in use per column, in slots (slot_of[a] finds an arc's slot).
    start = np.zeros(n_cols + 1, dtype=np.int64)
    for c in range(n_cols):
        start[c + 1] = start[c] + max(col_cap[c], 0)
    held = np.empty(start[n_cols], dtype=np.int32)
    count = np.zeros(n_cols, dtype=np.int64)
    slot_of = np.full(n_arcs, -1, dtype=np.int32)
    n = n_rows + n_cols  # nodes: rows, then columns
    # Per node: distance, potential, arc that reached it, stamp (2 * search
    # when reached in that search, 2 * search + 1 once settled).
    node = np.zeros((n, 4), dtype=np.int64)
    settled = np.empty(n, dtype=np.int64)
    heap_d = np.empty(1024, dtype=np.int64)
    heap_v = np.empty(1024, dtype=np.int64)
    search = 0
    for s in range(n_rows):
        for _ in range(row_need[s]):
            search += 1
            seen = 2 * search
            node[s, 0] = 0
            node[s, 3] = seen
            heap_d[0] = 0
            heap_v[0] = s
            size = 1
            n_settled = 0
            best = np.iinfo(np.int64).max  # nearest column with room found so far
            target = -1
            while size > 0:
                d = heap_d[0]
                v = heap_v[0]
                size -= 1
                if size > 0:  # move the last entry down from the root
                    ld = heap_d[size]
                    lv = heap_v[size]
                    i = 0
                    while True:
                        child = 2 * i + 1
                        if child >= size:
                            break
                        if child + 1 < size and (
                            heap_d[child + 1] < heap_d[child]
                            or (heap_d[child + 1] == heap_d[child] and heap_v[child + 1] < heap_v[child])
                        ):
                            child += 1
                        if heap_d[child] > ld or (heap_d[child] == ld and heap_v[child] >= lv):
                            break
                        heap_d[i] = heap_d[child]
                        heap_v[i] = heap_v[child]
                        i = child
                    heap_d[i] = ld
                    heap_v[i] = lv
                if node[v, 3] != seen or d > node[v, 0]:
                    continue  # settled already, or a stale entry
                node[v, 3] = seen + 1
                settled[n_settled] = v
                n_settled += 1
                if v >= n_rows:
                    c = v - n_rows
                    if count[c] < col_cap[c]:
                        target = v
                        break
                    first, last = start[c], start[c] + count[c]
                else:
                    first, last = row_ptr[v], row_ptr[v + 1]
                pi_v = node[v, 1]
                for k in range(first, last):
                    if v >= n_rows:  # back along an arc in use
                        a = held[k]
                        w = arc[a, 2]
                        nd = d - arc[a, 1] + pi_v - node[w, 1]
                    else:
                        a = k
                        if d + arc[a, 1] + pi_v >= best:
                            break  # and so are the row's dearer arcs
                        if in_use[a]:
                            continue
                        w = arc[a, 0]
                        nd = d + arc[a, 1] + pi_v - node[w, 1]
                    if nd >= best:
                        continue  # cannot lead to a nearer column with room
                    if node[w, 3] == seen:
                        if nd >= node[w, 0]:
                            continue
                    elif node[w, 3] == seen + 1:
                        continue
                    node[w, 0] = nd
                    node[w, 2] = a
                    node[w, 3] = seen
                    if w >= n_rows and count[w - n_rows] < col_cap[w - n_rows]:
                        best = nd
                    if size == len(heap_d):
                        heap_d = np.concatenate((heap_d, np.empty(size, dtype=np.int64)))
                        heap_v = np.concatenate((heap_v, np.empty(size, dtype=np.int64)))
                    i = size
                    size += 1
                    while i > 0:
                        parent = (i - 1) // 2
                        if heap_d[parent] < nd or (heap_d[parent] == nd and heap_v[parent] <= w):
                            break
                        heap_d[i] = heap_d[parent]
                        heap_v[i] = heap_v[parent]
                        i = parent
                    heap_d[i] = nd
                    heap_v[i] = w
            if target < 0:
                raise ValueError("no feasible assignment")
            # Potentials: nodes settled nearer than the target move by the gap.
            reach = node[target, 0]
            for k in range(n_settled):
                v = settled[k]
                node[v, 1] += node[v, 0] - reach
            # Augment back from the target column.
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
                    break
                b = node[u, 2]  # arc in use the row leaves
                in_use[b] = False
                c = arc[b, 0] - n_rows
                count[c] -= 1
                moved = held[start[c] + count[c]]
                held[slot_of[b]] = moved
                slot_of[moved] = slot_of[b]
                w = n_rows + c
    for a in range(n_arcs):
        flow[order[a]] = in_use[a]


maximum_matching: Any = njit(cache=True, nogil=True)(_maximum_matching)
dm_split: Any = njit(cache=True, nogil=True)(_dm_split)
transpose: Any = njit(cache=True, nogil=True)(_transpose)
shortest_paths: Any = njit(cache=True, nogil=True)(_shortest_paths)
