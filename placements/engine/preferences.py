"""Preference lists and priorities.

A pupil's list is their eligible applications in their own order, then (if
that leaves fewer than ``min_list_length``) suggestions, best-scored first.
Suggestions therefore never rank above a choice the pupil made.

An opportunity's priority over pupils is one int64 key per list entry,
lower is better: (tier, secondary key, lottery) packed into bit fields.
The lottery is a seeded permutation of pupils, one number per pupil, so
ties can never happen and the run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .candidates import CHUNK_PAIRS, interest_keys, sector_fit, suggest
from .eligibility import Reason, check_pairs
from .inputs import MatchInput, OpportunityTable, PupilTable
from .policy import Policy

I64 = NDArray[np.int64]

SOURCE_NONE = 0
SOURCE_OWN = 1
SOURCE_SUGGESTED = 2
SOURCE_VACANCY = 3
SOURCE_APPROVED = 4

SECONDARY_BITS = 8
TIER_BITS = 4


@dataclass(frozen=True)
class Applications:
    """Pupils' own applications as considered (truncated, de-duplicated)."""

    ptr: I64
    opp: I64  # opportunity index, -1 if the id is unknown
    rank: I64  # the pupil's own rank, 1 = first choice
    reason: NDArray[np.int8]  # Reason.ELIGIBLE or why not
    minutes: NDArray[np.float32]


@dataclass(frozen=True)
class Lists:
    """CSR preference lists (best first) with priority keys per entry."""

    ptr: I64
    opp: I64
    key: I64
    rank: I64  # rank shown to the pupil: own rank, or after all own choices
    source: NDArray[np.int8]
    minutes: NDArray[np.float32]

    @property
    def owner(self) -> I64:
        return np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int64), np.diff(self.ptr))


@dataclass(frozen=True)
class Priorities:
    tier: NDArray[np.int8]
    lottery: I64  # 0 = drawn first
    lottery_bits: int
    interests: I64  # sorted (pupil << 32 | sector) keys

    @property
    def key_bits(self) -> int:
        # +1 so the all-ones value is free to mean "empty seat".
        return TIER_BITS + SECONDARY_BITS + self.lottery_bits + 1


def priorities(pupils: PupilTable, policy: Policy) -> Priorities:
    n = len(pupils)
    tier = np.full(n, len(policy.priority_tiers), dtype=np.int8)
    for t in reversed(range(len(policy.priority_tiers))):
        flagged = np.zeros(n, dtype=bool)
        for flag in policy.priority_tiers[t]:
            flagged |= pupils.flag(flag)
        tier[flagged] = t
    lottery = np.random.default_rng(policy.seed).permutation(n).astype(np.int64)
    return Priorities(tier, lottery, max(n, 1).bit_length(), interest_keys(pupils))


def secondary(
    policy: Policy,
    prio: Priorities,
    opportunities: OpportunityTable,
    p: I64,
    o: I64,
    minutes: NDArray[np.float32],
) -> I64:
    """Secondary priority per pair (lower is better)."""
    if policy.secondary_key == "sector_fit":
        fit = sector_fit(prio.interests, p, opportunities.sector_id[o])
        return (~fit).astype(np.int64)
    if policy.secondary_key == "travel_band":
        band = np.floor(minutes / policy.travel_band_minutes).astype(np.int64)
        return np.minimum(band, (1 << SECONDARY_BITS) - 1)
    return np.zeros(len(p), dtype=np.int64)


def pair_keys(
    policy: Policy,
    prio: Priorities,
    opportunities: OpportunityTable,
    p: I64,
    o: I64,
    minutes: NDArray[np.float32],
) -> I64:
    sec = secondary(policy, prio, opportunities, p, o, minutes)
    tier = prio.tier[p].astype(np.int64)
    lb = prio.lottery_bits
    key: I64 = (tier << (SECONDARY_BITS + lb)) | (sec << lb) | prio.lottery[p]
    return key


def applications(data: MatchInput) -> Applications:
    pupils, opp, policy = data.pupils, data.opportunities, data.policy
    ptr = pupils.application_ptr
    owner = np.repeat(np.arange(len(pupils), dtype=np.int64), np.diff(ptr))
    rank = np.arange(len(owner), dtype=np.int64) - ptr[owner] + 1
    o = opp.index_of(pupils.application_opportunity_id)
    keep = rank <= policy.max_list_length
    # Drop repeats within a list (lists are short: compare with earlier entries).
    for shift in range(1, policy.max_list_length):
        if shift >= len(o):
            break
        same = (o[shift:] == o[:-shift]) & (owner[shift:] == owner[:-shift])
        keep[shift:] &= ~same
    # Pupils with an approved match are fixed: their applications are moot.
    keep &= pupils.approved_opportunity_id[owner] < 0
    owner, o, rank = owner[keep], o[keep], rank[keep]
    # In chunks: check_pairs makes a dozen temporaries per pair.
    reason = np.empty(len(o), dtype=np.int8)
    minutes = np.empty(len(o), dtype=np.float32)
    for s in range(0, len(o), CHUNK_PAIRS):
        part = slice(s, s + CHUNK_PAIRS)
        reason[part], minutes[part] = check_pairs(pupils, opp, owner[part], o[part], policy.travel)
    new_ptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=len(pupils)))])
    return Applications(new_ptr.astype(np.int64), o, rank, reason, minutes)


def build_lists(
    data: MatchInput,
    prio: Priorities,
    apps: Applications,
    seats: NDArray[np.int32],
    extra: int,
    who: I64,
    exclude_lists: tuple[Lists, ...] = (),
    own: bool = True,
) -> Lists:
    """Lists for pupils ``who``: eligible own choices (if ``own``) + suggestions.

    Suggestions top each list up to ``extra`` entries, from opportunities with
    seats left in ``seats``; pairs already in ``apps``/``exclude_lists`` are
    never suggested again.
    """
    pupils, opps, policy = data.pupils, data.opportunities, data.policy
    n, n_opp = len(pupils), len(opps)
    include = np.zeros(n, dtype=bool)
    include[who] = True
    app_owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(apps.ptr))
    mine = include[app_owner] & (apps.reason == Reason.ELIGIBLE) & own
    p1, o1, m1, r1 = app_owner[mine], apps.opp[mine], apps.minutes[mine], apps.rank[mine]
    count = np.bincount(p1, minlength=n)
    wanted = np.maximum(extra - count[who], 0)
    need = wanted > 0
    known = apps.opp >= 0
    exclude = [app_owner[known] * n_opp + apps.opp[known]]
    for lists in exclude_lists:
        exclude.append(lists.owner * n_opp + lists.opp)
    open_mask = opps.published & (seats > 0)
    p2, o2, m2 = suggest(
        pupils,
        opps,
        policy,
        prio.interests,
        who[need],
        wanted[need],
        np.sort(np.concatenate(exclude)),
        open_mask,
    )
    # Suggestions are numbered after everything the pupil ranked (and after
    # anything already on an earlier list).
    shown = np.diff(apps.ptr).astype(np.int64)
    for lists in exclude_lists:
        shown += np.bincount(lists.owner, minlength=n)
    first2 = np.searchsorted(p2, p2)
    r2 = shown[p2] + np.arange(len(p2)) - first2 + 1
    p = np.concatenate([p1, p2])
    o = np.concatenate([o1, o2])
    minutes = np.concatenate([m1, m2])
    rank = np.concatenate([r1, r2])
    source = np.concatenate(
        [
            np.full(len(p1), SOURCE_OWN, dtype=np.int8),
            np.full(len(p2), SOURCE_SUGGESTED if own else SOURCE_VACANCY, dtype=np.int8),
        ]
    )
    # Own choices are sorted by (pupil, rank) and suggestions by pupil, each
    # ranked after the pupil's own: a stable sort by pupil merges the two runs.
    order = np.argsort(p, kind="stable")
    p, o, minutes, rank, source = p[order], o[order], minutes[order], rank[order], source[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(p, minlength=n))]).astype(np.int64)
    key = pair_keys(policy, prio, opps, p, o, minutes)
    return Lists(ptr, o, key, rank, source, minutes)
