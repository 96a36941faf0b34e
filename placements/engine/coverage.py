"""`max-coverage`: place as many pupils as possible (a what-if comparison).

Min-cost max-flow: source -> pupil (1) -> opportunity on their list (1) ->
sink (seats). The flow is maximised first (most pupils placed); among
maximum flows the cost picks who and where: each placement costs
``tier * TIER_WEIGHT + position on list``, and ``TIER_WEIGHT`` exceeds any
list position, so a higher-priority tier is covered before any rank
preference is considered. It is not stable: the run report counts the
blocking pairs (priority violations) it costs.

OR-Tools' ``SimpleMinCostFlow`` was chosen over scipy (no capacitated
min-cost flow; HiGHS LP on millions of arcs is far slower) by measurement,
see ``bench/README.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]


def max_coverage(ptr: I64, opp: I64, tier: NDArray[np.int8], seats: NDArray[np.int32]) -> I64:
    """Match each pupil to one list entry (index into ``opp``), or -1."""
    from ortools.graph.python import min_cost_flow  # heavy import: only when used

    n_pupils, n_opp = len(ptr) - 1, len(seats)
    match = np.full(n_pupils, -1, dtype=np.int64)
    if len(opp) == 0:
        return match
    owner = np.repeat(np.arange(n_pupils, dtype=np.int64), np.diff(ptr))
    position = np.arange(len(opp), dtype=np.int64) - ptr[owner]
    tier_weight = int(position.max()) + 2
    # Nodes: 0 source, 1 sink, pupils, then opportunities.
    source, sink = 0, 1
    pupil_node = 2 + np.arange(n_pupils, dtype=np.int64)
    opp_node = 2 + n_pupils + np.arange(n_opp, dtype=np.int64)
    has_list = np.flatnonzero(np.diff(ptr) > 0)
    tails = np.concatenate([np.full(len(has_list), source), pupil_node[owner], opp_node])
    heads = np.concatenate([pupil_node[has_list], opp_node[opp], np.full(n_opp, sink)])
    caps = np.concatenate([np.ones(len(has_list) + len(opp), np.int64), seats.astype(np.int64)])
    costs = np.concatenate(
        [
            np.zeros(len(has_list), np.int64),
            tier[owner].astype(np.int64) * tier_weight + position,
            np.zeros(n_opp, np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, len(has_list))
    flow.set_node_supply(sink, -len(has_list))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(arcs[len(has_list) : len(has_list) + len(opp)]) > 0
    entries = np.flatnonzero(used)
    match[owner[entries]] = entries
    return match
