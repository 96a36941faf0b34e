"""Own applications and lists compiled with numba: ``preferences.applications`` in one
loop, and ``build_lists``' entries in one pass.

The numpy version works through millions of applications in chunks, each
check a pass over the chunk with its own temporaries. Here each application
is read once: its opportunity looked up, a repeat within the list dropped,
then the hard rules checked in ``eligibility.check_pairs`` order (the first
failure is the reason), with the same float32 minutes (``_estimate``, then
the timetable's). The tests compare both versions on generated instances.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._compiled import _inline, _jit, _loop
from ._compiled_suggest import _estimate, _in_windows, _travel
from ._types import F32, I8, I16, I32, I64, U8, Bools
from .eligibility import Reason

UNKNOWN = int(Reason.UNKNOWN_OPPORTUNITY)
TOO_FAR = int(Reason.TOO_FAR)
DATES = int(Reason.DATES)
TOO_YOUNG = int(Reason.TOO_YOUNG)
NO_STEP_FREE = int(Reason.NO_STEP_FREE)
ELIGIBLE = int(Reason.ELIGIBLE)
OWN = 1  # preferences.SOURCE_OWN

# Columns of ``Offers.site``: one row per opportunity, so a check reads one cache line
# (eight columns: a row never straddles two).
EAST, NORTH, START, END, LATEST, EMPLOYER, FLAGS, COLUMNS = range(8)
VIRTUAL, STEP_FREE = 1, 2  # bits of the FLAGS column


class Applicants(NamedTuple):
    """The pupils' applications and the pupil columns the checks read."""

    ptr: I64
    opportunity_id: I64
    skip: Bools  # no list: left out, or approved before
    easting: I32
    northing: I32
    max_minutes: I16
    birth_day: I32
    needs_step_free: Bools
    window_ptr: I64
    window_start: I32
    window_end: I32
    timetable_row: I32  # empty without a timetable


class Offers(NamedTuple):
    """Opportunities: ids (sorted), a table from id to position (empty if the ids are
    too sparse), one row of checked columns each, the timetable's columns and minutes."""

    opportunity_id: I64
    table: I32
    site: I32  # opportunities x COLUMNS (EAST ... FLAGS, a spare); EMPLOYER: first employer-side failure
    timetable_col: I32
    timetable: U8


@_inline
def _position(opportunity_id: int, table: I32, known: I64) -> int:
    """``OpportunityTable.index_of`` for one id: through ``table`` if given, else a binary search."""
    if len(table):
        if opportunity_id < 0 or opportunity_id >= len(table):
            return -1
        return int(table[opportunity_id])
    lo, hi = 0, len(known)
    while lo < hi:
        mid = (lo + hi) >> 1
        if known[mid] < opportunity_id:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(known) and known[lo] == opportunity_id else -1


@_inline
def _repeat(opp: I32, lo: int, hi: int, o: int) -> bool:
    """Is ``o`` (-1 for any unknown id) among the entries ``lo:hi`` kept so far?"""
    for at in range(lo, hi):  # noqa: SIM110 (numba compiles no generators)
        if opp[at] == o:
            return True
    return False


@_inline
def _minutes(
    a: Applicants, f: Offers, p: int, o: int, model: tuple[np.float32, ...], tt_row: int
) -> np.float32:
    """``check_pairs``' minutes: the estimate (to opportunity 0 for an unknown one, -1),
    0 for a virtual one, the timetable's where it covers the pair."""
    site = f.site
    oo = max(o, 0)
    if site[oo, FLAGS] & VIRTUAL:
        return np.float32(0.0)
    m = _estimate(a.easting[p] - site[oo, EAST], a.northing[p] - site[oo, NORTH], model)
    if tt_row >= 0 and o >= 0:
        m = _travel(m, tt_row, f.timetable_col[o], f.timetable)
    return m


@_inline
def _reason(a: Applicants, site: I32, p: int, o: int, m: np.float32) -> int:
    """The first hard rule pair (p, o) fails, in ``Reason`` order; ``ELIGIBLE`` if none."""
    if o < 0:
        return UNKNOWN
    if site[o, EMPLOYER]:
        return int(site[o, EMPLOYER])
    if m > np.float32(a.max_minutes[p]):
        return TOO_FAR
    w_lo, w_hi = a.window_ptr[p], a.window_ptr[p + 1]
    if not _in_windows(a.window_start[w_lo:w_hi], a.window_end[w_lo:w_hi], site[o, START], site[o, END]):
        return DATES
    if a.birth_day[p] > site[o, LATEST]:
        return TOO_YOUNG
    if a.needs_step_free[p] and not site[o, FLAGS] & (VIRTUAL | STEP_FREE):
        return NO_STEP_FREE
    return ELIGIBLE


class Checked(NamedTuple):
    """Kept applications: pointer per pupil, opportunity, own rank, reason, minutes."""

    ptr: I64
    opp: I32
    rank: I32
    reason: I8
    minutes: F32


@_loop
def _check_all(a: Applicants, f: Offers, most: int, model: F32, out: Checked) -> int:
    """Fill ``out`` pupil by pupil; returns how many applications were kept."""
    travel = (model[0], model[1], model[2], model[3], model[4])
    at = 0
    for p in range(len(a.ptr) - 1):
        if not a.skip[p]:
            tt_row = a.timetable_row[p] if len(a.timetable_row) else -1
            first = a.ptr[p]
            for j in range(first, min(a.ptr[p + 1], first + most)):
                o = _position(a.opportunity_id[j], f.table, f.opportunity_id)
                if _repeat(out.opp, out.ptr[p], at, o):
                    continue
                m = _minutes(a, f, p, o, travel, tt_row)
                out.opp[at], out.rank[at], out.minutes[at] = o, j - first + 1, m
                out.reason[at] = _reason(a, f.site, p, o, m)
                at += 1
        out.ptr[p + 1] = at
    return at


@_jit
def applications(a: Applicants, f: Offers, most: int, model: F32) -> Checked:
    """Each pupil's first ``most`` applications, repeats dropped, checked."""
    n = len(a.ptr) - 1
    room = 0  # repeats aside
    for p in range(n):
        if not a.skip[p]:
            room += min(a.ptr[p + 1] - a.ptr[p], most)
    out = Checked(
        np.zeros(n + 1, dtype=np.int64), np.empty(room, np.int32), np.empty(room, np.int32),
        np.empty(room, np.int8), np.empty(room, np.float32),
    )  # fmt: skip
    kept = _check_all(a, f, most, model, out)
    return Checked(out.ptr, out.opp[:kept], out.rank[:kept], out.reason[:kept], out.minutes[:kept])


@_jit
def eligible_counts(ptr: I64, reason: I8, include: Bools) -> I64:
    """Eligible applications of each pupil in ``include`` (0 for the others)."""
    count = np.zeros(len(ptr) - 1, dtype=np.int64)
    for p in range(len(ptr) - 1):
        if include[p]:
            for e in range(ptr[p], ptr[p + 1]):
                count[p] += reason[e] == ELIGIBLE
    return count


@_jit
def _list_ptr(own: I64, p2: I64) -> I64:
    """CSR pointer of lists holding ``own[p]`` own choices and pupil p's entries of ``p2``."""
    ptr = np.zeros(len(own) + 1, dtype=np.int64)
    for p in p2:
        ptr[p + 1] += 1
    for p in range(len(own)):
        ptr[p + 1] += ptr[p] + own[p]
    return ptr


@_jit
def lists(
    apps: Checked, own: I64, p2: I64, o2: I64, m2: F32, shown: I64, suggested: int
) -> tuple[I64, I32, F32, I32, I8]:
    """``preferences.build_lists``' entries: each pupil's ``own[p]`` eligible applications
    in rank order (source own), then its suggestions (``p2`` sorted by pupil, best first;
    source ``suggested``, numbered after the ``shown[p]`` entries it has seen):
    (pointer, opportunity, minutes, rank, source)."""
    ptr = _list_ptr(own, p2)
    total = ptr[-1]
    opp, minutes = np.empty(total, np.int32), np.empty(total, np.float32)
    rank, source = np.empty(total, np.int32), np.full(total, OWN, np.int8)
    for p in range(len(own)):
        at = ptr[p]
        for e in range(apps.ptr[p], apps.ptr[p + 1] if own[p] else apps.ptr[p]):
            if apps.reason[e] == ELIGIBLE:
                opp[at], minutes[at], rank[at] = apps.opp[e], apps.minutes[e], apps.rank[e]
                at += 1
    k = 0  # suggestion k is the pupil's (k - first)-th
    for j in range(len(p2)):
        p = p2[j]
        if j == 0 or p2[j - 1] != p:
            k = 0
        at = ptr[p] + own[p] + k
        opp[at], minutes[at], rank[at], source[at] = o2[j], m2[j], shown[p] + k + 1, suggested
        k += 1
    return ptr, opp, minutes, rank, source
