"""Pairs of points within a distance, by bucketing the second set into grid cells."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._types import F64, I64


def pairs_within(
    ax: ArrayLike, ay: ArrayLike, bx: ArrayLike, by: ArrayLike, radius: float
) -> tuple[I64, I64, F64]:
    """(index in a, index in b, distance) of every pair at most ``radius`` apart.

    Sorted by the index in a, then by distance.
    """
    ax64, ay64 = np.asarray(ax, np.float64).ravel(), np.asarray(ay, np.float64).ravel()
    bx64, by64 = np.asarray(bx, np.float64).ravel(), np.asarray(by, np.float64).ravel()
    size = max(float(radius), 1.0)
    bcx, bcy = np.floor(bx64 / size).astype(np.int64), np.floor(by64 / size).astype(np.int64)
    key = (bcx << 32) + bcy
    order = np.argsort(key, kind="stable")
    key = key[order]
    acx, acy = np.floor(ax64 / size).astype(np.int64), np.floor(ay64 / size).astype(np.int64)
    found_a: list[I64] = []
    found_b: list[I64] = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            want = ((acx + dx) << 32) + (acy + dy)
            lo = np.searchsorted(key, want, "left")
            hi = np.searchsorted(key, want, "right")
            counts = hi - lo
            owner = np.repeat(np.arange(len(ax64), dtype=np.int64), counts)
            shift = lo - (np.cumsum(counts) - counts)
            found_a.append(owner)
            found_b.append(order[np.arange(len(owner), dtype=np.int64) + shift[owner]])
    a = np.concatenate(found_a)
    b = np.concatenate(found_b)
    dist = np.hypot(ax64[a] - bx64[b], ay64[a] - by64[b])
    keep = dist <= radius
    a, b, dist = a[keep], b[keep], dist[keep]
    sort = np.lexsort((dist, a))
    return a[sort], b[sort], dist[sort]
