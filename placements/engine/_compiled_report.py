"""Report and explanation loops compiled with numba (``report.blocking_pairs``,
``explain._filled_by``): one pass each, no entry-sized temporaries."""

from __future__ import annotations

import numpy as np

from ._compiled import _jit
from ._types import I8, I32, I64
from .result import DETAIL_HIGHER_TIER, DETAIL_LOTTERY, DETAIL_LOWER_PRIORITY, DETAIL_SECONDARY


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


@_jit
def _holders_by_opportunity(final_opp: I64, final_key: I64, n_opp: int) -> tuple[I64, I64]:
    """(start per opportunity, pupils holding its seats in key order, best first)."""
    start = np.zeros(n_opp + 1, dtype=np.int64)
    for o in final_opp:
        if o >= 0:
            start[o + 1] += 1
    for o in range(n_opp):
        start[o + 1] += start[o]
    held = np.empty(start[n_opp], dtype=np.int64)
    size = np.zeros(n_opp, dtype=np.int64)
    for p in range(len(final_opp)):
        o = final_opp[p]
        if o >= 0:
            # Insertion into the opportunity's few seats, kept sorted by key.
            at = start[o] + size[o]
            while at > start[o] and final_key[held[at - 1]] > final_key[p]:
                held[at] = held[at - 1]
                at -= 1
            held[at] = p
            size[o] += 1
    return start, held


@_jit
def _detail(mine: int, theirs: int, tier_shift: int, lottery_bits: int) -> int:
    """How a better holder's key ``theirs`` beats ``mine``: higher tier, secondary key or lottery."""
    mine_tier, their_tier = mine >> tier_shift, theirs >> tier_shift
    if their_tier < mine_tier:
        return DETAIL_HIGHER_TIER
    if (theirs >> lottery_bits) & 0xFF < (mine >> lottery_bits) & 0xFF:
        return DETAIL_SECONDARY
    return DETAIL_LOTTERY


@_jit
def filled_by(
    final_opp: I64, final_key: I64, n_opp: int, o: I64, my_key: I64, tier_shift: int, lottery_bits: int
) -> tuple[I8, I64, I64]:
    """``explain._filled_by``: per first choice ``o[i]`` (key ``my_key[i]``) the detail bits
    and how many hold it with a better key; those holders (pupil positions) in key order."""
    start, held = _holders_by_opportunity(final_opp, final_key, n_opp)
    detail = np.zeros(len(o), dtype=np.int8)
    counts = np.zeros(len(o), dtype=np.int64)
    for i in range(len(o)):
        for h in held[start[o[i]] : start[o[i] + 1]]:
            if final_key[h] < my_key[i]:
                counts[i] += 1
                detail[i] |= _detail(my_key[i], final_key[h], tier_shift, lottery_bits)
            else:
                detail[i] |= DETAIL_LOWER_PRIORITY
    displaced = np.empty(counts.sum(), dtype=np.int64)
    at = 0
    for i in range(len(o)):
        displaced[at : at + counts[i]] = held[start[o[i]] : start[o[i]] + counts[i]]
        at += counts[i]
    return detail, counts, displaced
