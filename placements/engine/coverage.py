"""`max-coverage`: place as many pupils as possible (a what-if comparison).

Min-cost maximum flow: source -> pupil (1) -> opportunity on their list (1)
-> sink (seats). The flow is maximised first (most pupils placed); among
maximum flows the cost picks who and where, lexicographically: the most
pupils of the first tier, then of the second, and so on, then the least
rank cost (sum of positions on lists). It is not stable: the run report
counts the blocking pairs (priority violations) it costs.

Lexicographic costs
-------------------
A placement costs ``tier * W + position`` with ``W = P + 1``, where ``P``
(the sum over pupils of their longest position, ``len(list) - 1``) bounds
any difference in rank cost. Every maximum flow places the same number
``N`` of pupils, so its tier cost is ``W * sum(tier) = W * (T * N - sum of
prefixes)`` where prefix ``k`` counts pupils placed from tiers ``0..k``.
The sets of pupils a matching can place form a (transversal) matroid, so
one maximum matching has every prefix at its largest at once (greedy in
tier order); any other has some prefix at least one smaller, which costs
at least ``W > P`` more than any rank saving. Hence least cost means tiers
first, then rank cost. Costs stay small: at most ``T * W + P`` per entry,
so int32 for city runs; int64 beyond, and ``_check_range`` refuses
instances whose path sums could approach int64.

With numba this is solved by ``_compiled`` (a maximum matching, its
Dulmage-Mendelsohn split, then successive shortest paths in each part: a
national run takes seconds). Without numba, OR-Tools' ``SimpleMinCostFlow``
solves the same flow problem (minutes at national size). Both give a least
cost maximum flow; when several exist they may pick different ones.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from ._types import I8, I32, I64, Bools, Ints
from .loops import compiled


def costs(ptr: I64, tier: I8) -> tuple[I32, Ints]:
    """(owner, cost) of each list entry: ``tier * W + position`` (see above)."""
    owner = np.repeat(np.arange(len(ptr) - 1, dtype=np.int32), np.diff(ptr))
    position = np.arange(len(owner), dtype=np.int64) - ptr[:-1][owner]
    weight = int(np.maximum(np.diff(ptr) - 1, 0).sum()) + 1
    top = int(tier.max(initial=0)) * weight + weight
    _check_range(len(ptr) - 1, top)
    dtype = np.int32 if top < 2**31 else np.int64
    cost: Ints = (tier[owner].astype(np.int64) * weight + position).astype(dtype)
    return owner, cost


def _check_range(n_pupils: int, top: int) -> None:
    """Refuse costs whose sums along an augmenting path (at most ``2 * n_pupils + 1``
    arcs, plus potentials of the same size) could overflow int64."""
    if (4 * n_pupils + 4) * top >= 2**62:
        raise ValueError("too many pupils and list entries for exact max-coverage costs")


def max_coverage(ptr: I64, opp: I32, tier: I8, seats: I32) -> I64:
    """Match each pupil to one list entry (index into ``opp``), or -1."""
    fast = compiled()
    if fast is None or len(opp) >= 1 << 31:
        return max_coverage_or_tools(ptr, opp, tier, seats)
    n_opp = len(seats)
    ptr = np.ascontiguousarray(ptr, dtype=np.int64)
    opp = np.ascontiguousarray(opp, dtype=np.int32)
    cap = np.maximum(seats.astype(np.int64), 0)
    owner, cost = costs(ptr, tier)
    optr, by_opp = fast.transpose(ptr, opp, n_opp)
    match = fast.maximum_matching(ptr, opp, owner, cap, optr, by_opp)
    part_p, part_o = fast.dm_split(ptr, opp, owner, cap, match, optr, by_opp)
    S, M, T = 0, 1, 2
    # M pupils placed at a T opportunity are placed there in every maximum flow.
    fixed = (match >= 0) & (part_p == M)
    fixed[fixed] = part_o[opp[match[fixed]]] == T
    result = np.where(fixed, match, -1)
    taken = np.bincount(opp[match[fixed]], minlength=n_opp)
    del match
    # S: fill every seat of S opportunities with S pupils (rows: opportunities,
    # whose entries ``by_opp`` lists together).
    e = by_opp[(part_o[opp[by_opp]] == S) & (part_p[owner[by_opp]] == S)]
    del optr, by_opp
    _solve_part(fast, result, owner, e, opp[e], owner[e], cost[e], part_o == S, part_p == S, cap, None)
    # T and M: place every pupil (rows: pupils).
    free = ~fixed
    for part, room in ((T, cap - taken), (M, cap)):
        e = np.flatnonzero((part_p[owner] == part) & (part_o[opp] == part) & free[owner])
        rows = free & (part_p == part)
        _solve_part(fast, result, owner, e, owner[e], opp[e], cost[e], rows, part_o == part, None, room)
    return result


def _solve_part(
    fast: ModuleType,
    result: I64,
    owner: I32,
    entry: I64,
    row_of: I32,
    col_of: I32,
    cost: Ints,
    rows: Bools,
    cols: Bools,
    row_need: I64 | None,
    col_cap: I64 | None,
) -> None:
    """Least-cost assignment of one part; writes chosen entries into ``result``.

    ``entry`` is grouped by row. Rows need ``row_need`` arcs each (1 if None);
    columns take ``col_cap`` (1 if None).
    """
    row_ids = np.flatnonzero(rows)
    col_ids = np.flatnonzero(cols)
    r = (np.cumsum(rows, dtype=np.int32) - 1)[row_of]
    row_ptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=len(row_ids)))]).astype(np.int64)
    del r
    col = (np.cumsum(cols, dtype=np.int32) - 1)[col_of]
    need = np.ones(len(row_ids), np.int64) if row_need is None else row_need[row_ids]
    cap = np.ones(len(col_ids), np.int64) if col_cap is None else col_cap[col_ids]
    flow = np.zeros(len(entry), dtype=bool)
    fast.shortest_paths(row_ptr, col, cost, need, cap, flow)
    chosen = entry[flow]
    result[owner[chosen]] = chosen


def max_coverage_or_tools(ptr: I64, opp: I32, tier: I8, seats: I32) -> I64:
    """The same problem solved by OR-Tools' min-cost flow (no numba needed)."""
    from ortools.graph.python import min_cost_flow  # heavy import: only when used

    n_pupils, n_opp = len(ptr) - 1, len(seats)
    match = np.full(n_pupils, -1, dtype=np.int64)
    if len(opp) == 0:
        return match
    owner, cost = costs(ptr, tier)
    # Nodes: 0 source, 1 sink, pupils, then opportunities.
    source, sink = 0, 1
    pupil_node = 2 + np.arange(n_pupils, dtype=np.int64)
    opp_node = 2 + n_pupils + np.arange(n_opp, dtype=np.int64)
    has_list = np.flatnonzero(np.diff(ptr) > 0)
    tails = np.concatenate([np.full(len(has_list), source), pupil_node[owner], opp_node])
    heads = np.concatenate([pupil_node[has_list], opp_node[opp], np.full(n_opp, sink)])
    caps = np.concatenate([np.ones(len(has_list) + len(opp), np.int64), seats.astype(np.int64)])
    costs_ = np.concatenate(
        [np.zeros(len(has_list), np.int64), cost.astype(np.int64), np.zeros(n_opp, np.int64)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs_)
    flow.set_node_supply(source, len(has_list))
    flow.set_node_supply(sink, -len(has_list))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(arcs[len(has_list) : len(has_list) + len(opp)]) > 0
    entries = np.flatnonzero(used)
    match[owner[entries]] = entries
    return match
