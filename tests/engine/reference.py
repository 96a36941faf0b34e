"""Slow, obviously-correct references used by the tests.

Plain Python, no numpy tricks: textbook pupil-proposing deferred acceptance
and a blocking-pair check, both working on lists of opportunity indices.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsDunderLT

# A pupil's priority at an opportunity: anything ordered, lower first.
Key = TypeVar("Key", bound="SupportsDunderLT[Any]")


def reference_deferred_acceptance(
    prefs: Sequence[Sequence[int]],
    seats: Sequence[int],
    priority: Callable[[int, int], Key],
) -> list[int]:
    """Opportunity index per pupil (-1 if unmatched).

    ``prefs[p]``: opportunity indices, best first. ``priority(p, o)``: lower
    is better for opportunity ``o``.
    """
    nxt = [0] * len(prefs)
    holders: list[list[int]] = [[] for _ in seats]
    match = [-1] * len(prefs)
    queue = deque(p for p in range(len(prefs)))
    while queue:
        p = queue.popleft()
        if nxt[p] >= len(prefs[p]):
            continue
        o = prefs[p][nxt[p]]
        nxt[p] += 1
        holders[o].append(p)
        holders[o].sort(key=lambda q: priority(q, o))
        match[p] = o
        if len(holders[o]) > seats[o]:
            loser = holders[o].pop()
            match[loser] = -1
            queue.append(loser)
    return match


def reference_blocking_pairs(
    prefs: Sequence[Sequence[int]],
    seats: Sequence[int],
    priority: Callable[[int, int], Key],
    match: Sequence[int],
) -> list[tuple[int, int]]:
    """(pupil, opportunity) pairs that would both rather be matched together."""
    holders: list[list[int]] = [[] for _ in seats]
    for p, o in enumerate(match):
        if o >= 0:
            holders[o].append(p)
    pairs = []
    for p, prefs_p in enumerate(prefs):
        for o in prefs_p:
            if o == match[p]:
                break
            if len(holders[o]) < seats[o] or any(priority(p, o) < priority(q, o) for q in holders[o]):
                pairs.append((p, o))
    return pairs
