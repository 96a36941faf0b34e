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

from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from ._types import F32, I8, I32, I64, Bools
from .candidates import (
    CHUNK_PAIRS,
    Interests,
    _read_only,
    compiled_travel,
    expand_ranges,
    one_pupil_instance,
    suggest,
)
from .eligibility import Reason, check_pairs, employer_reason, left_out
from .inputs import MODE_VIRTUAL, MatchInput, OpportunityTable, PupilTable
from .loops import compiled
from .policy import Policy

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
    opp: I32  # opportunity index, -1 if the id is unknown
    rank: I32  # the pupil's own rank, 1 = first choice
    reason: I8  # Reason.ELIGIBLE or why not
    minutes: F32


@dataclass(frozen=True)
class Lists:
    """CSR preference lists (best first) with priority keys per entry."""

    ptr: I64
    opp: I32
    key: I64
    rank: I32  # rank shown to the pupil: own rank, or after all own choices
    source: I8
    minutes: F32


@dataclass(frozen=True)
class Priorities:
    tier: I8
    lottery: I64  # 0 = drawn first
    lottery_bits: int
    interests: Interests

    @property
    def key_bits(self) -> int:
        # +1 so the all-ones value is free to mean "empty seat".
        return TIER_BITS + SECONDARY_BITS + self.lottery_bits + 1


def priorities(pupils: PupilTable, policy: Policy, opportunities: OpportunityTable) -> Priorities:
    n = len(pupils)
    tier = np.full(n, len(policy.priority_tiers), dtype=np.int8)
    for t in reversed(range(len(policy.priority_tiers))):
        flagged = np.zeros(n, dtype=bool)
        for flag in policy.priority_tiers[t]:
            flagged |= pupils.flag(flag)
        tier[flagged] = t
    lottery = np.random.default_rng(policy.seed).permutation(n).astype(np.int64)
    interests = Interests.build(pupils, opportunities)
    return Priorities(tier, lottery, max(n, 1).bit_length(), interests)


def secondary(
    policy: Policy,
    prio: Priorities,
    p: I64,
    o: I64,
    minutes: F32,
) -> I64:
    """Secondary priority per pair (lower is better)."""
    if policy.secondary_key == "sector_fit":
        fit = prio.interests.fit(p, o)
        return (~fit).astype(np.int64)
    if policy.secondary_key == "travel_band":
        band = np.floor(minutes / policy.travel_band_minutes).astype(np.int64)
        return np.minimum(band, (1 << SECONDARY_BITS) - 1)
    return np.zeros(len(p), dtype=np.int64)


def pair_keys(policy: Policy, prio: Priorities, p: I64, o: I64, minutes: F32) -> I64:
    sec = secondary(policy, prio, p, o, minutes)
    tier = prio.tier[p].astype(np.int64)
    lb = prio.lottery_bits
    key: I64 = (tier << (SECONDARY_BITS + lb)) | (sec << lb) | prio.lottery[p]
    return key


def _pupil_chunks(ptr: I64, size: int) -> Iterator[tuple[int, int]]:
    """Ranges of pupils [a, b) owning about ``size`` list entries each."""
    n = len(ptr) - 1
    a = 0
    while a < n:
        b = int(np.searchsorted(ptr, ptr[a] + size, "right")) - 1
        b = min(max(b, a + 1), n)
        yield a, b
        a = b


def applications(data: MatchInput) -> Applications:
    """Each pupil's applications, truncated, without repeats, checked.

    In one compiled loop where numba is there (``_compiled_checks``); else
    worked through a few thousand pupils at a time, so temporaries stay in
    cache; a first pass finds what is kept so the result is allocated once.
    """
    pupils, opp, policy = data.pupils, data.opportunities, data.policy
    ptr, ids = pupils.application_ptr, pupils.application_opportunity_id
    skip = (pupils.approved_opportunity_id >= 0) | (left_out(pupils) > 0)
    fast = compiled("_compiled_checks")
    if fast is not None and len(opp):
        return _compiled_applications(fast, data, skip)
    chunks = list(_pupil_chunks(ptr, CHUNK_PAIRS))
    index = np.empty(len(ids), dtype=np.int32)
    keep = np.empty(len(ids), dtype=bool)
    for a, b in chunks:
        part = slice(int(ptr[a]), int(ptr[b]))
        owner = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(ptr[a : b + 1]))
        rank = np.arange(len(owner), dtype=np.int64) - (ptr[owner] - ptr[a]) + 1
        o = opp.index_of(ids[part])
        index[part] = o
        k = (rank <= policy.max_list_length) & ~skip[owner]
        # Drop repeats within a list (lists are short: compare with earlier
        # entries; the pupil is part of the key so lists never mix).
        key = owner * (len(opp) + 1) + (o + 1)
        for shift in range(1, min(policy.max_list_length, len(key))):
            k[shift:] &= key[shift:] != key[:-shift]
        keep[part] = k
    counts = per_pupil(keep, ptr)
    new_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    total = int(new_ptr[-1])
    out_opp = np.empty(total, dtype=np.int32)
    out_rank = np.empty(total, dtype=np.int32)
    reason = np.empty(total, dtype=np.int8)
    minutes = np.empty(total, dtype=np.float32)
    for a, b in chunks:
        part = slice(int(ptr[a]), int(ptr[b]))
        owner = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(ptr[a : b + 1]))
        rank = np.arange(len(owner), dtype=np.int64) - (ptr[owner] - ptr[a]) + 1
        k = keep[part]
        owner, o, rank = owner[k], index[part][k].astype(np.int64), rank[k]
        at = slice(int(new_ptr[a]), int(new_ptr[b]))
        out_opp[at], out_rank[at] = o, rank
        reason[at], minutes[at] = check_pairs(pupils, opp, owner, o, policy.travel)
    return Applications(new_ptr, out_opp, out_rank, reason, minutes)


def _compiled_applications(fast: ModuleType, data: MatchInput, skip: Bools) -> Applications:
    pupils, opp = data.pupils, data.opportunities
    model, (rows, cols, minutes) = compiled_travel(data.policy.travel)
    r = _read_only
    applicants = fast.Applicants(
        r(pupils.application_ptr, np.int64), r(pupils.application_opportunity_id, np.int64), r(skip),
        *(r(a) for a in (pupils.easting, pupils.northing, pupils.max_travel_minutes, pupils.birth_day)),
        *(r(a) for a in (pupils.needs_step_free, pupils.window_ptr, pupils.window_start, pupils.window_end)),
        r(rows, np.int32),
    )  # fmt: skip
    site = np.zeros((len(opp), fast.COLUMNS), dtype=np.int32)
    for column, values in (
        (fast.EAST, opp.easting), (fast.NORTH, opp.northing), (fast.START, opp.start_day),
        (fast.END, opp.end_day), (fast.LATEST, opp.latest_birth_day), (fast.EMPLOYER, employer_reason(opp)),
        (fast.FLAGS, (opp.mode == MODE_VIRTUAL) * fast.VIRTUAL | opp.step_free * fast.STEP_FREE),
    ):  # fmt: skip
        site[:, column] = values
    table = opp.id_table()
    offers = fast.Offers(
        r(opp.opportunity_id, np.int64), r(table if table is not None else np.empty(0), np.int32),
        r(site), r(cols, np.int32), r(minutes, np.uint8),
    )  # fmt: skip
    checked = fast.applications(applicants, offers, int(data.policy.max_list_length), r(model))
    return Applications(*checked)


def warm_up_lists() -> None:
    """Load (or compile) the compiled loops building lists (applications, suggestions,
    entries), on a one-pupil instance."""
    data = one_pupil_instance()
    prio = priorities(data.pupils, data.policy, data.opportunities)
    opps, everyone = data.opportunities, np.zeros(1, dtype=np.int64)
    build_lists(data, prio, applications(data), opps.free_seats, 5, everyone)


def per_pupil(mask: Bools, ptr: I64) -> I64:
    """How many entries of each pupil's CSR range are set in ``mask``."""
    counts = np.zeros(len(ptr) - 1, dtype=np.int64)
    for a, b in _pupil_chunks(ptr, CHUNK_PAIRS):
        owner = np.repeat(np.arange(b - a, dtype=np.int64), np.diff(ptr[a : b + 1]))
        counts[a:b] = np.bincount(owner[mask[ptr[a] : ptr[b]]], minlength=b - a)
    return counts


def _csr(n: int, p: I64, o: I64) -> tuple[I64, I64]:
    """CSR (pointer, values) over ``n`` pupils of pairs sorted by pupil."""
    ptr = np.concatenate([[0], np.cumsum(np.bincount(p, minlength=n))]).astype(np.int64)
    return ptr, o


def _exclusion(
    apps: Applications, exclude_lists: tuple[Lists, ...], needy_pupils: I64, open_mask: Bools
) -> tuple[I64, I64]:
    """CSR over all pupils of the open opportunities never to suggest to
    ``needy_pupils``: those already on their applications or earlier lists.

    A suggestion is an eligible pair with an open opportunity, so only such
    pairs need excluding: ineligible applications can never come up.
    """
    n = len(apps.ptr) - 1
    ex_p, ex_o = [], []
    for ptr, opp, usable in (
        (apps.ptr, apps.opp, apps.reason == Reason.ELIGIBLE),
        *((lists.ptr, lists.opp, None) for lists in exclude_lists),
    ):
        # Only the needy pupils' entries, pupil by pupil.
        owner, at = expand_ranges(ptr[needy_pupils], ptr[needy_pupils + 1] - ptr[needy_pupils])
        if usable is not None:
            keep = usable[at]
            owner, at = owner[keep], at[keep]
        ex_p.append(needy_pupils[owner])
        ex_o.append(opp[at].astype(np.int64))
    ex_pp = np.concatenate([*ex_p, np.empty(0, np.int64)])
    ex_oo = np.concatenate([*ex_o, np.empty(0, np.int64)])
    ex_open = open_mask[ex_oo]
    ex_pp, ex_oo = ex_pp[ex_open], ex_oo[ex_open]
    if np.any(ex_pp[1:] < ex_pp[:-1]):
        order = np.argsort(ex_pp, kind="stable")
        ex_pp, ex_oo = ex_pp[order], ex_oo[order]
    return _csr(n, ex_pp, ex_oo)


def build_lists(
    data: MatchInput,
    prio: Priorities,
    apps: Applications,
    seats: I32,
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
    n = len(pupils)
    include = np.zeros(n, dtype=bool)
    include[who] = True
    lengths = np.diff(apps.ptr)
    fast = compiled("_compiled_checks")
    # Own choices listed: the eligible applications of ``who`` (none in the vacancy round).
    count1 = _eligible_counts(fast, apps, include) if own else np.zeros(n, dtype=np.int64)
    wanted = np.maximum(extra - count1[who], 0)
    need = wanted > 0
    open_mask = opps.published & (seats > 0) & opps.documents_valid
    exclusion = _exclusion(apps, exclude_lists, who[need], open_mask)
    p2, o2, m2 = suggest(pupils, opps, policy, prio.interests, who[need], wanted[need], exclusion, open_mask)
    # Suggestions are numbered after everything the pupil ranked (and after
    # anything already on an earlier list).
    shown = lengths.astype(np.int64)
    for lists in exclude_lists:
        shown += np.diff(lists.ptr)
    from_source = SOURCE_SUGGESTED if own else SOURCE_VACANCY
    if fast is not None:
        r = _read_only
        apps_ro = fast.Checked(*(r(a) for a in (apps.ptr, apps.opp, apps.rank, apps.reason, apps.minutes)))
        found = (r(p2, np.int64), r(o2, np.int64), r(m2, np.float32))
        ptr, o, minutes, rank, source = fast.lists(apps_ro, r(count1), *found, r(shown), from_source)
    else:
        ptr, o, minutes, rank, source = _entries(apps, include, count1, (p2, o2, m2), shown, from_source)
    return Lists(ptr, o, _list_keys(policy, prio, ptr, o, minutes), rank, source, minutes)


def _eligible_counts(fast: ModuleType | None, apps: Applications, include: Bools) -> I64:
    """Eligible applications of each pupil in ``include`` (0 for the others)."""
    if fast is not None:
        counts: I64 = fast.eligible_counts(_read_only(apps.ptr), _read_only(apps.reason), _read_only(include))
        return counts
    return per_pupil(np.repeat(include, np.diff(apps.ptr)) & (apps.reason == Reason.ELIGIBLE), apps.ptr)


def _entries(
    apps: Applications,
    include: Bools,
    count1: I64,
    found: tuple[I64, I64, F32],
    shown: I64,
    from_source: int,
) -> tuple[I64, I32, F32, I32, I8]:
    """The lists' entries (pointer, opportunity, minutes, rank, source): each pupil's
    ``count1`` eligible applications, then their suggestions ``found``, numbered from ``shown``."""
    p2, o2, m2 = found
    n = len(include)
    count2 = np.bincount(p2, minlength=n)
    first2 = np.searchsorted(p2, p2)
    r2 = shown[p2] + np.arange(len(p2)) - first2 + 1
    # Each pupil's own choices (by rank), then their suggestions: place the
    # suggestions, and the own choices fill the other slots in order.
    ptr = np.concatenate([[0], np.cumsum(count1 + count2)]).astype(np.int64)
    at2 = ptr[p2] + count1[p2] + np.arange(len(p2)) - first2
    total = int(ptr[-1])
    o = np.empty(total, dtype=np.int32)
    minutes = np.empty(total, dtype=np.float32)
    rank = np.empty(total, dtype=np.int32)
    source = np.full(total, SOURCE_OWN, dtype=np.int8)
    o[at2], minutes[at2], rank[at2] = o2, m2, r2
    source[at2] = from_source
    own_at = np.ones(total, dtype=bool)
    own_at[at2] = False
    mine_at = np.flatnonzero(
        np.repeat(include & (count1 > 0), np.diff(apps.ptr)) & (apps.reason == Reason.ELIGIBLE)
    )
    o[own_at] = apps.opp[mine_at]
    minutes[own_at] = apps.minutes[mine_at]
    rank[own_at] = apps.rank[mine_at]
    return ptr, o, minutes, rank, source


def _list_keys(policy: Policy, prio: Priorities, ptr: I64, o: I32, minutes: F32) -> I64:
    """Priority key of every list entry, a few thousand pupils at a time."""
    key = np.empty(len(o), dtype=np.int64)
    for a, b in _pupil_chunks(ptr, CHUNK_PAIRS):
        at = slice(int(ptr[a]), int(ptr[b]))
        p = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(ptr[a : b + 1]))
        key[at] = pair_keys(policy, prio, p, o[at].astype(np.int64), minutes[at])
    return key
