"""Spatially indexed candidate generation and suggestion scoring.

Opportunities are bucketed into square grid cells (numpy sort + unique); a
pupil only looks at cells that can lie within the distance they can travel.
Virtual opportunities need no travel, so they are indexed by sector instead
and offered to pupils interested in that sector.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .eligibility import Reason, check_pairs
from .inputs import MODE_VIRTUAL, OpportunityTable, PupilTable
from .policy import Policy
from .travel import reach_metres

I64 = NDArray[np.int64]
# Pairs examined per chunk: bounds peak memory of candidate generation.
CHUNK_PAIRS = 2_000_000
_ROW = 1 << 24  # cell key = cx * _ROW + cy; grid cells never reach 2**24


def expand_ranges(starts: I64, counts: I64) -> tuple[I64, I64]:
    """For ranges (start, count): (which range, element index) of each element."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, starts[owner] + offset


def interest_keys(pupils: PupilTable) -> I64:
    """Sorted (pupil index, sector) keys for fast 'is this sector of interest'."""
    owner = np.repeat(np.arange(len(pupils), dtype=np.int64), np.diff(pupils.interest_ptr))
    keys: I64 = np.sort((owner << 32) | pupils.interest_sector.astype(np.int64))
    return keys


def sector_fit(keys: I64, p: I64, sector: NDArray[np.int32]) -> NDArray[np.bool_]:
    q = (p << 32) | sector.astype(np.int64)
    j = np.minimum(np.searchsorted(keys, q), max(len(keys) - 1, 0))
    if len(keys) == 0:
        return np.zeros(len(p), dtype=bool)
    found: NDArray[np.bool_] = keys[j] == q
    return found


@dataclass(frozen=True)
class Grid:
    """Opportunities bucketed by grid cell, by start day within a cell."""

    cell: int
    cell_key: I64  # distinct occupied cells, sorted
    start: I64  # first position in ``opp`` for each cell
    count: I64
    opp: I64  # opportunity indices ordered by (cell, start day)
    cell_day: I64  # (cell position << 32) | start day, sorted: for date ranges
    longest: int  # longest opportunity in days, to bound date searches

    @classmethod
    def build(cls, opportunities: OpportunityTable, which: I64, cell: int) -> Grid:
        key = (opportunities.easting[which] // cell).astype(np.int64) * _ROW + (
            opportunities.northing[which] // cell
        ).astype(np.int64)
        start_day = opportunities.start_day[which].astype(np.int64)
        order = np.lexsort((start_day, key))
        cell_key, start, count = np.unique(key[order], return_index=True, return_counts=True)
        cell_pos = np.repeat(np.arange(len(cell_key), dtype=np.int64), count)
        duration = opportunities.end_day[which] - opportunities.start_day[which]
        return cls(
            cell,
            cell_key,
            start.astype(np.int64),
            count.astype(np.int64),
            which[order],
            (cell_pos << 32) | start_day[order],
            int(duration.max()) if len(which) else 0,
        )

    def cells_near(self, e: I64, n: I64, radius: NDArray[np.float64], ring: int) -> tuple[I64, I64]:
        """(query position, cell position) for occupied cells exactly ``ring``
        cells away (Chebyshev) that can lie within each query's radius."""
        if len(e) == 0 or len(self.cell_key) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        cx, cy = e // self.cell, n // self.cell
        qs, cs = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
        for dx in range(-ring, ring + 1):
            x0 = (cx + dx) * self.cell
            gapx = np.maximum(np.maximum(x0 - e, e - (x0 + self.cell)), 0)
            step = 1 if abs(dx) == ring else 2 * ring  # ring border only
            for dy in range(-ring, ring + 1, max(step, 1)):
                y0 = (cy + dy) * self.cell
                gapy = np.maximum(np.maximum(y0 - n, n - (y0 + self.cell)), 0)
                near = np.hypot(gapx, gapy) <= radius
                key = (cx + dx) * _ROW + (cy + dy)
                j = np.minimum(np.searchsorted(self.cell_key, key), len(self.cell_key) - 1)
                hit = near & (self.cell_key[j] == key)
                qs.append(np.flatnonzero(hit))
                cs.append(j[hit])
        return np.concatenate(qs), np.concatenate(cs)

    def in_dates(self, c: I64, first: I64, last: I64) -> tuple[I64, I64]:
        """(start, count) in ``opp`` of cell ``c`` opportunities that may overlap
        [first, last]: those starting in [first - longest, last]."""
        lo = np.searchsorted(self.cell_day, (c << 32) | (first - self.longest), "left")
        hi = np.searchsorted(self.cell_day, (c << 32) | last, "right")
        return lo.astype(np.int64), (hi - lo).astype(np.int64)


def _virtual_by_sector(
    opportunities: OpportunityTable, open_mask: NDArray[np.bool_], per_sector: int
) -> tuple[I64, NDArray[np.int32]]:
    """Open virtual opportunities, best-stocked first, at most ``per_sector`` each."""
    which = np.flatnonzero(open_mask & (opportunities.mode == MODE_VIRTUAL))
    sector = opportunities.sector_id[which]
    order = np.lexsort((which, -opportunities.free_seats[which], sector))
    which, sector = which[order], sector[order]
    first = np.searchsorted(sector, sector)
    keep = np.arange(len(which)) - first < per_sector
    return which[keep].astype(np.int64), sector[keep]


def _chunks(row: I64, start: I64, count: I64) -> Iterator[tuple[I64, I64]]:
    """Expand ranges (row, start, count) to (row, position) in bounded chunks."""
    cum = np.cumsum(count)
    done = 0
    while done < len(row):
        base = cum[done - 1] if done else 0
        stop = max(int(np.searchsorted(cum, base + CHUNK_PAIRS, "right")), done + 1)
        part, at = expand_ranges(start[done:stop], count[done:stop])
        yield row[done:stop][part], at
        done = stop


def _windows(pupils: PupilTable, who: I64) -> tuple[I64, I64]:
    """One query row per (pupil, work-experience window): (row pupil, window)."""
    wq, w = expand_ranges(pupils.window_ptr[who], np.diff(pupils.window_ptr)[who])
    return who[wq], w


def suggest(
    pupils: PupilTable,
    opportunities: OpportunityTable,
    policy: Policy,
    interests: I64,
    who: I64,
    wanted: I64,
    exclude: I64,
    open_mask: NDArray[np.bool_],
) -> tuple[I64, I64, NDArray[np.float32]]:
    """Best eligible suggestions for pupils ``who`` (``wanted[i]`` each).

    Only opportunities in ``open_mask`` are considered, and pairs whose key
    ``p * n_opportunities + o`` is in sorted ``exclude`` are skipped. Grid
    cells are searched in rings outward from home until a window has at
    least ``policy.suggestion_pool`` eligible candidates (or reach runs out);
    the best-scored of those are suggested. Virtual opportunities come from
    the pupil's interest sectors. Returns (pupil, opportunity, minutes)
    ordered by pupil, best first.
    """
    opp = opportunities
    n_opp = len(opp)
    open_mask = open_mask & opp.documents_valid
    out: list[tuple[I64, I64, NDArray[np.float32], NDArray[np.float64]]] = []

    def score(p: I64, o: I64) -> I64:
        """Keep eligible, not excluded pairs; returns the kept mask's indices."""
        keep = np.flatnonzero(~_isin_sorted(p * n_opp + o, exclude))
        reason, minutes = check_pairs(pupils, opp, p[keep], o[keep], policy.travel)
        ok = reason == Reason.ELIGIBLE
        kp, ko, km = p[keep][ok], o[keep][ok], minutes[ok]
        fit = sector_fit(interests, kp, opp.sector_id[ko])
        value = (
            policy.sector_weight * fit
            + policy.growth_weight * opp.is_growth_sector[ko]
            - km / policy.travel_scale_minutes
        )
        out.append((kp, ko, km, value))
        kept: I64 = keep[ok]
        return kept

    # In person and hybrid: rings of grid cells, nearest first.
    physical = np.flatnonzero(open_mask & (opp.mode != MODE_VIRTUAL)).astype(np.int64)
    grid = Grid.build(opp, physical, policy.grid_cell_m)
    row_p, row_w = _windows(pupils, who)
    e = pupils.easting[row_p].astype(np.int64)
    n = pupils.northing[row_p].astype(np.int64)
    radius = reach_metres(pupils.max_travel_minutes[row_p], policy.travel)
    rings = np.ceil(radius / grid.cell).astype(np.int64)
    found = np.zeros(len(row_p), dtype=np.int64)
    for ring in range(int(rings.max()) + 1 if len(rings) else 0):
        active = np.flatnonzero((found < policy.suggestion_pool) & (rings >= ring))
        if len(active) == 0:
            break
        q, c = grid.cells_near(e[active], n[active], radius[active], ring)
        q = active[q]
        w = row_w[q]
        start, count = grid.in_dates(
            c, pupils.window_start[w].astype(np.int64), pupils.window_end[w].astype(np.int64)
        )
        for rows, at in _chunks(q, start, count):
            kept = score(row_p[rows], grid.opp[at])
            found += np.bincount(rows[kept], minlength=len(row_p))
    # Virtual: one range per (pupil, interest sector) with virtual offers.
    v_opp, v_sector = _virtual_by_sector(opp, open_mask, policy.virtual_per_sector)
    lo, hi = pupils.interest_ptr[who], pupils.interest_ptr[who + 1]
    vq, vi = expand_ranges(lo, hi - lo)
    vs = pupils.interest_sector[vi]
    vstart = np.searchsorted(v_sector, vs, "left").astype(np.int64)
    vcount = np.searchsorted(v_sector, vs, "right").astype(np.int64) - vstart
    for rows, at in _chunks(vq, vstart, vcount):
        score(who[rows], v_opp[at])

    p = np.concatenate([x[0] for x in out] + [np.empty(0, np.int64)])
    o = np.concatenate([x[1] for x in out] + [np.empty(0, np.int64)])
    minutes = np.concatenate([x[2] for x in out] + [np.empty(0, np.float32)])
    value = np.concatenate([x[3] for x in out] + [np.empty(0, np.float64)])
    # Keep the ``wanted`` best per pupil, ties broken by index; a pupil with
    # two windows can meet the same opportunity twice: drop the repeat.
    order = np.lexsort((o, -value, p))
    p, o, minutes = p[order], o[order], minutes[order]
    fresh = np.ones(len(p), dtype=bool)
    fresh[1:] = (p[1:] != p[:-1]) | (o[1:] != o[:-1])
    p, o, minutes = p[fresh], o[fresh], minutes[fresh]
    first = np.searchsorted(p, p)
    want = np.zeros(len(pupils), dtype=np.int64)
    want[who] = wanted
    keep = np.arange(len(p)) - first < want[p]
    return p[keep], o[keep], minutes[keep]


def _isin_sorted(values: I64, sorted_set: I64) -> NDArray[np.bool_]:
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    j = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    found: NDArray[np.bool_] = sorted_set[j] == values
    return found


def best_stage(
    pupils: PupilTable,
    opportunities: OpportunityTable,
    policy: Policy,
    who: I64,
) -> NDArray[np.int8]:
    """Furthest eligibility check any opportunity passes for each pupil.

    Used to explain "no placement within 45 minutes matched your dates".
    Opportunities beyond reach count as ``TOO_FAR`` without being examined.
    """
    best = np.full(len(who), Reason.TOO_FAR, dtype=np.int8)
    if len(who) == 0 or len(opportunities) == 0:
        return best
    physical = np.flatnonzero(opportunities.mode != MODE_VIRTUAL).astype(np.int64)
    grid = Grid.build(opportunities, physical, policy.grid_cell_m)
    e = pupils.easting[who].astype(np.int64)
    n = pupils.northing[who].astype(np.int64)
    radius = reach_metres(pupils.max_travel_minutes[who], policy.travel)
    virtual = _virtual_representatives(opportunities)
    for ring in range(int(np.ceil(radius.max() / grid.cell)) + 1):
        q, c = grid.cells_near(e, n, radius, ring)
        for rows, at in _chunks(q, grid.start[c], grid.count[c]):
            reason, _ = check_pairs(pupils, opportunities, who[rows], grid.opp[at], policy.travel)
            np.maximum.at(best, rows, reason)
    # Every virtual opportunity is within reach: check one of each kind.
    rows = np.repeat(np.arange(len(who), dtype=np.int64), len(virtual))
    kinds = np.tile(virtual, len(who))
    for s in range(0, len(rows), CHUNK_PAIRS):
        r, o = rows[s : s + CHUNK_PAIRS], kinds[s : s + CHUNK_PAIRS]
        reason, _ = check_pairs(pupils, opportunities, who[r], o, policy.travel)
        np.maximum.at(best, r, reason)
    return best


def _virtual_representatives(opportunities: OpportunityTable) -> I64:
    """One virtual opportunity per distinct set of fields the checks read.

    For a virtual opportunity only publication, employer documents, dates and
    minimum age matter, so checking one of each kind gives the same answer as
    checking all of them.
    """
    opp = opportunities
    which = np.flatnonzero(opp.mode == MODE_VIRTUAL)
    end = opp.end_day[which]
    rows = np.stack(
        [
            opp.published[which],
            opp.insurance_valid_until[which] >= end,
            opp.risk_assessment_valid_until[which] >= end,
            opp.start_day[which],
            end,
            opp.min_age[which],
        ],
        axis=1,
    ).astype(np.int64)
    if len(rows) == 0:
        return which.astype(np.int64)
    _, first = np.unique(rows, axis=0, return_index=True)
    picked: I64 = which[np.sort(first)].astype(np.int64)
    return picked
