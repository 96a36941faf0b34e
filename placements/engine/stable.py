"""Pupil-proposing deferred acceptance with capacities.

Deferred acceptance reaches the same, pupil-optimal stable matching whatever
order proposals are made in (McVitie & Wilson 1970). ``deferred_acceptance``
makes them one at a time in a compiled loop (``_compiled.py``, numba): a
national run makes about two million proposals, a fraction of a second that
way. Without numba it falls back to ``deferred_acceptance_rounds``, which
vectorises the same algorithm in numpy and gives exactly the same result
(the tests check both against a plain reference in ``tests/engine``).

The numpy version makes proposals in rounds: every free pupil proposes to
the next entry on their list at once, and every opportunity that received
proposals keeps the best ``seats`` of (current holders + proposers); each
round is a handful of array ops.

Seats are stored as fixed slots per opportunity (``slot_ptr``); empty slots
hold the key ``EMPTY``, which loses to any pupil, so "keep the best seats"
is a sort over only the opportunities touched in that round. A per
opportunity cut-off (key of its worst held seat) rejects most late
proposals without touching the slots at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._types import I32, I64
from .candidates import expand_ranges
from .loops import compiled as compiled
from .preferences import warm_up_lists
from .report import warm_up_report


def warm_up(coverage: bool = False) -> bool:
    """Import and load the compiled loops now (the `max-coverage` ones too
    if ``coverage``), so that no solve is charged for it. The first run on a
    machine compiles them (seconds) and caches the machine code; later
    processes load it. Returns whether the compiled loops are available."""
    fast = compiled()
    if fast is None:
        return False
    one = np.zeros(1, dtype=np.int64)
    fast.deferred_acceptance(np.array([0, 1]), one, 1, one + 1, 1, 1)
    warm_up_lists()
    warm_up_report()
    if coverage:
        from .coverage import max_coverage

        max_coverage(np.array([0, 1]), np.zeros(1, np.int32), np.zeros(1, np.int8), np.ones(1, np.int32))
    return True


def deferred_acceptance(ptr: I64, opp: NDArray[np.integer[Any]], key: I64, seats: I32, key_bits: int) -> I64:
    """Match each pupil to one list entry (index into ``opp``), or -1.

    ``ptr``/``opp``/``key``: CSR preference lists, best first; ``key`` is the
    opportunity's priority for that pupil (lower is better, distinct per
    opportunity, below ``2**key_bits - 1``). ``seats``: seats per opportunity.
    """
    n_pupils, n_opp = len(ptr) - 1, len(seats)
    opp_bits = max(n_opp, 1).bit_length()
    pupil_bits = max(n_pupils, 1).bit_length()
    fast = compiled()
    if fast is None or key_bits + max(opp_bits, pupil_bits) > 63:
        return deferred_acceptance_rounds(ptr, opp, key, seats, key_bits)
    entry = np.left_shift(key, opp_bits, dtype=np.int64)
    entry |= opp
    match: I64 = fast.deferred_acceptance(
        np.ascontiguousarray(ptr, dtype=np.int64),
        entry,
        opp_bits,
        np.ascontiguousarray(seats, dtype=np.int64),
        key_bits,
        pupil_bits,
    )
    return match


def deferred_acceptance_rounds(
    ptr: I64, opp: NDArray[np.integer[Any]], key: I64, seats: I32, key_bits: int
) -> I64:
    """``deferred_acceptance`` in numpy rounds (no numba needed)."""
    n_pupils, n_opp = len(ptr) - 1, len(seats)
    empty = (1 << key_bits) - 1
    if key_bits + max(int(n_opp), 1).bit_length() > 63:
        raise ValueError("priority keys too wide to pack")
    cap = seats.astype(np.int64)
    slot_ptr = np.concatenate([[0], np.cumsum(cap)]).astype(np.int64)
    slot_entry = np.full(int(slot_ptr[-1]), -1, dtype=np.int64)
    slot_key = np.full(int(slot_ptr[-1]), empty, dtype=np.int64)
    # Proposals with a key at or above the cut-off are rejected at once.
    cutoff = np.where(cap > 0, empty, -1).astype(np.int64)
    owner = np.repeat(np.arange(n_pupils, dtype=np.int64), np.diff(ptr))
    nxt = ptr[:-1].copy()
    free = np.flatnonzero(np.diff(ptr) > 0)
    while len(free):
        e = nxt[free]
        nxt[free] += 1
        o, k = opp[e], key[e]
        ok = k < cutoff[o]
        rejected = [free[~ok]]
        e, o, k = e[ok], o[ok], k[ok]
        if len(e):
            touched, group = np.unique(o, return_inverse=True)
            n_seats = cap[touched]
            slot_group, slot = expand_ranges(slot_ptr[touched], n_seats)
            all_e = np.concatenate([slot_entry[slot], e])
            all_k = np.concatenate([slot_key[slot], k])
            all_g = np.concatenate([slot_group, group.astype(np.int64)])
            order = np.argsort((all_g << key_bits) | all_k)
            # Rank within each touched opportunity; the best n_seats stay.
            size = n_seats + np.bincount(group, minlength=len(touched))
            first = np.repeat(np.cumsum(size) - size, size)
            keep = np.arange(len(order)) - first < np.repeat(n_seats, size)
            sorted_e, sorted_k = all_e[order], all_k[order]
            # Kept entries come out in slot order: opportunity by opportunity.
            slot_entry[slot] = sorted_e[keep]
            slot_key[slot] = sorted_k[keep]
            cutoff[touched] = slot_key[slot_ptr[touched] + n_seats - 1]
            lost = sorted_e[~keep]
            rejected.append(owner[lost[lost >= 0]])
        free = np.concatenate(rejected)
        free = free[nxt[free] < ptr[free + 1]]
    match = np.full(n_pupils, -1, dtype=np.int64)
    held = slot_entry[slot_entry >= 0]
    match[owner[held]] = held
    return match
