"""Report loops compiled with numba (``report.blocking_pairs``): one pass, no temporaries."""

from __future__ import annotations

import numpy as np

from ._compiled import _jit
from ._types import I32, I64


@_jit
def _held(final_opp: I64, final_key: I64, n_opp: int) -> tuple[I64, I64]:
    """Per opportunity: seats held, and the worst (highest) key holding one (-1 if none)."""
    count = np.zeros(n_opp, dtype=np.int64)
    worst = np.full(n_opp, -1, dtype=np.int64)
    for p in range(len(final_opp)):
        o = final_opp[p]
        if o >= 0:
            count[o] += 1
            worst[o] = max(worst[o], final_key[p])
    return count, worst


@_jit
def blocking_pairs(
    ptr: I64, opp: I32, key: I64, matched_entry: I64, seats: I32, final_opp: I64, final_key: I64
) -> int:
    """``report.blocking_pairs``: list entries above each pupil's match (all of an unmatched
    pupil's) whose opportunity has a free seat or holds someone with a worse key."""
    count, worst = _held(final_opp, final_key, len(seats))
    found = 0
    for p in range(len(ptr) - 1):
        stop = matched_entry[p] if matched_entry[p] >= 0 else ptr[p + 1]
        for e in range(ptr[p], stop):
            o = opp[e]
            if count[o] < seats[o] or worst[o] > key[e]:
                found += 1
    return found
