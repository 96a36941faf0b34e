"""Run report pieces: blocking pairs, fairness figures and hashes."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._types import I32, I64
from .candidates import _c
from .inputs import MatchInput
from .loops import compiled
from .preferences import Lists


def blocking_pairs(lists: Lists, matched_entry: I64, seats: I32, final_opp: I64, final_key: I64) -> int:
    """Entries (pupil, opportunity) on ``lists`` that block the final matching.

    The pupil prefers the entry to what they got (it lies above their
    ``matched_entry`` in this list, or they got nothing from this list and
    everything on it comes first), and the opportunity has a free seat or
    holds someone with a worse key.
    """
    if len(lists.opp) == 0:
        return 0
    fast = compiled("_compiled_report")
    if fast is not None:
        i64, i32 = np.int64, np.int32
        found: int = fast.blocking_pairs(
            _c(lists.ptr, i64), _c(lists.opp, i32), _c(lists.key, i64), _c(matched_entry, i64),
            _c(seats, i32), _c(final_opp, i64), _c(final_key, i64),
        )  # fmt: skip
        return found
    n_opp = len(seats)
    held = final_opp >= 0
    count = np.bincount(final_opp[held], minlength=n_opp)
    worst = np.full(n_opp, -1, dtype=np.int64)
    np.maximum.at(worst, final_opp[held], final_key[held])
    # Entries before each pupil's match (all of them if unmatched); marks at
    # range ends summed up, rather than an entry-to-pupil index.
    limit = np.where(matched_entry >= 0, matched_entry, lists.ptr[1:])
    mark = np.zeros(len(lists.opp) + 1, dtype=np.int8)
    np.add.at(mark, lists.ptr[:-1], 1)
    np.add.at(mark, limit, -1)
    preferred = np.cumsum(mark[:-1], dtype=np.int8) > 0
    o, k = lists.opp[preferred], lists.key[preferred]
    return int(np.count_nonzero((count[o] < seats[o]) | (worst[o] > k)))


def warm_up_report() -> None:
    """Load (or compile) the compiled blocking-pair count and explanation loop, on one pupil and seat."""
    fast = compiled("_compiled_report")
    if fast is not None:
        nothing, zero = np.full(1, -1, dtype=np.int64), np.zeros(1, dtype=np.int64)
        one_entry = (np.array([0, 1], np.int64), np.zeros(1, np.int32), zero)
        fast.blocking_pairs(*one_entry, nothing, np.ones(1, np.int32), nothing, nothing)
        fast.filled_by(zero, zero, 1, zero, zero + 1, 9, 1)


def _feed(h: Any, value: Any) -> None:
    if isinstance(value, np.ndarray):
        h.update(f"{value.dtype.str}{value.shape}".encode())
        if value.dtype.kind == "U":
            # The same bytes as joining all with NUL, a slice at a time.
            for s in range(0, len(value), 1 << 16):
                if s:
                    h.update(b"\0")
                h.update("\0".join(value[s : s + (1 << 16)].tolist()).encode())
        else:
            h.update(np.ascontiguousarray(value).data)  # the bytes, without a copy
    else:
        h.update(repr(value).encode())


def input_hash(data: MatchInput) -> str:
    """sha256 over every input array and the policy."""
    h = hashlib.sha256()
    for table in (data.pupils, data.opportunities):
        for f in fields(table):
            h.update(f.name.encode())
            _feed(h, getattr(table, f.name))
    _feed(h, data.policy)
    return h.hexdigest()


def arrays_hash(*arrays: NDArray[Any]) -> str:
    h = hashlib.sha256()
    for a in arrays:
        _feed(h, a)
    return h.hexdigest()
