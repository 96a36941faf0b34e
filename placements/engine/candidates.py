"""Spatially indexed candidate generation and suggestion scoring.

Opportunities are bucketed into square grid cells (numpy sort + unique); a
pupil only looks at cells that can lie within the distance they can travel.
Virtual opportunities need no travel, so they are indexed by sector instead
and offered to pupils interested in that sector.

Suggestions are made for a block of pupils at a time, and the pairs of a
block are examined in chunks of ``CHUNK_PAIRS``: every temporary then stays
in the processor cache, and memory does not grow with the number of pupils.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._types import F32, F64, I8, I32, I64, U8, U64, Bools
from .eligibility import Reason, check_pairs, dates_overlap
from .inputs import MODE_VIRTUAL, MatchInput, OpportunityTable, PupilTable
from .loops import compiled
from .policy import Policy, TravelModel
from .travel import estimate_travel_minutes, reach_metres

# Pairs examined at once: small enough for every temporary to stay in cache.
CHUNK_PAIRS = 1 << 17
# Pupils whose suggestions are worked out together.
BLOCK_PUPILS = 4096
# Value bins used to drop candidates that cannot make a pupil's top few.
VALUE_BINS = 128
_ROW = 1 << 24  # cell key = cx * _ROW + cy; grid cells never reach 2**24


def expand_ranges(starts: I64, counts: I64) -> tuple[I64, I64]:
    """For ranges (start, count): (which range, element index) of each element."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    shift = np.asarray(starts, dtype=np.int64) - (np.cumsum(counts) - counts)
    index: I64 = np.arange(len(owner), dtype=np.int64) + shift[owner]
    return owner, index


@dataclass(frozen=True)
class Interests:
    """Pupils' sector interests as bit masks over the opportunities' sectors.

    ``opp_code[o]`` numbers opportunity ``o``'s sector densely; bit ``c`` of
    ``masks[p]`` is set when pupil ``p`` is interested in sector code ``c``.
    Interests in sectors no opportunity has can never fit, so they are dropped.
    """

    opp_code: I32
    masks: U64  # (pupils, words)
    sectors: I32  # sector id of each code
    interest_code: I64  # code of each of the pupils' interests (``interest_sector``), -1 if none

    @classmethod
    def build(cls, pupils: PupilTable, opportunities: OpportunityTable) -> Interests:
        sectors, code = np.unique(opportunities.sector_id, return_inverse=True)
        words = max(1, -(-len(sectors) // 64))
        masks = np.zeros((len(pupils), words), dtype=np.uint64)
        owner = np.repeat(np.arange(len(pupils), dtype=np.int64), np.diff(pupils.interest_ptr))
        interest_code = pupil_codes(sectors, pupils.interest_sector)
        hit = interest_code >= 0
        owner, c = owner[hit], interest_code[hit].astype(np.uint64)
        np.bitwise_or.at(masks, (owner, c >> np.uint64(6)), np.uint64(1) << (c & np.uint64(63)))
        return cls(code.reshape(-1).astype(np.int32), masks, sectors.astype(np.int32), interest_code)

    def fit(self, p: I64, o: I64) -> Bools:
        """Is opportunity ``o``'s sector among pupil ``p``'s interests (pairwise)?"""
        return mask_fit(self.masks[p], self.opp_code[o])


def pupil_codes(sectors: I32, interest_sector: I32) -> I64:
    """Dense code of each interest sector, -1 where no opportunity has it."""
    if len(sectors) == 0:
        return np.full(len(interest_sector), -1, dtype=np.int64)
    j = np.minimum(np.searchsorted(sectors, interest_sector), len(sectors) - 1)
    code: I64 = np.where(sectors[j] == interest_sector, j, -1).astype(np.int64)
    return code


def mask_fit(masks: U64, code: I32) -> Bools:
    """Bit ``code[i]`` of ``masks[i]`` (rows of words), element-wise."""
    c = code.astype(np.uint64)
    if masks.shape[1] == 1:
        word = masks[:, 0]
    else:
        word = masks[np.arange(len(c)), (c >> np.uint64(6)).astype(np.int64)]
    bit: Bools = ((word >> (c & np.uint64(63))) & np.uint64(1)).astype(bool)
    return bit


@dataclass(frozen=True)
class Grid:
    """Opportunities bucketed by grid cell, by start day within a cell.

    Columns the suggestion checks read are copied in grid order, so a cell's
    opportunities are read as one contiguous range.
    """

    cell: int
    cell_key: I64  # distinct occupied cells, sorted
    start: I64  # first position in ``opp`` for each cell
    count: I64
    opp: I64  # opportunity indices ordered by (cell, start day)
    cell_day: I64  # (cell position << 32) | start day, sorted: for date ranges
    longest: int  # longest opportunity in days, to bound date searches
    easting: I32
    northing: I32
    start_day: I32
    end_day: I32
    latest_birth_day: I32
    step_free: Bools

    @classmethod
    def build(cls, opportunities: OpportunityTable, which: I64, cell: int) -> Grid:
        opp = opportunities
        key = (opp.easting[which] // cell).astype(np.int64) * _ROW + (opp.northing[which] // cell).astype(
            np.int64
        )
        start_day = opp.start_day[which].astype(np.int64)
        order = np.lexsort((start_day, key))
        cell_key, start, count = np.unique(key[order], return_index=True, return_counts=True)
        cell_pos = np.repeat(np.arange(len(cell_key), dtype=np.int64), count)
        duration = opp.end_day[which] - opp.start_day[which]
        o = which[order].astype(np.int64)
        return cls(
            cell,
            cell_key,
            start.astype(np.int64),
            count.astype(np.int64),
            o,
            (cell_pos << 32) | start_day[order],
            int(duration.max()) if len(which) else 0,
            opp.easting[o],
            opp.northing[o],
            opp.start_day[o],
            opp.end_day[o],
            opp.latest_birth_day[o],
            opp.step_free[o],
        )

    def cells_near(self, e: I64, n: I64, radius: F64, ring: int) -> tuple[I64, I64]:
        """(query position, cell position) for occupied cells exactly ``ring``
        cells away (Chebyshev) that can lie within each query's radius,
        ordered by query."""
        if len(e) == 0 or len(self.cell_key) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        side = np.arange(-ring, ring + 1, dtype=np.int64)
        dx, dy = np.meshgrid(side, side, indexing="ij")
        border = (np.abs(dx) == ring) | (np.abs(dy) == ring)
        dx, dy = dx[border][:, None], dy[border][:, None]
        cx, cy = e // self.cell, n // self.cell
        x0 = (cx + dx) * self.cell
        y0 = (cy + dy) * self.cell
        gapx = np.maximum(np.maximum(x0 - e, e - (x0 + self.cell)), 0)
        gapy = np.maximum(np.maximum(y0 - n, n - (y0 + self.cell)), 0)
        near = np.hypot(gapx, gapy) <= radius
        key = (cx + dx) * _ROW + (cy + dy)
        j = np.minimum(np.searchsorted(self.cell_key, key), len(self.cell_key) - 1)
        hit = (near & (self.cell_key[j] == key)).T  # query-major order
        q = np.nonzero(hit)[0].astype(np.int64)
        c: I64 = j.T[hit]
        return q, c

    def table(self, most: int = 1 << 22) -> tuple[I32, int, int]:
        """(table, x0, y0): position of cell (x0 + i, y0 + j) at [i, j], -1 if empty;
        an empty table if it would hold more than ``most`` cells."""
        x, y = self.cell_key // _ROW, self.cell_key % _ROW
        if len(x) == 0 or (int(np.ptp(x)) + 1) * (int(np.ptp(y)) + 1) > most:
            return np.full((0, 0), -1, dtype=np.int32), 0, 0
        x0, y0 = int(x.min()), int(y.min())
        table = np.full((int(np.ptp(x)) + 1, int(np.ptp(y)) + 1), -1, dtype=np.int32)
        table[x - x0, y - y0] = np.arange(len(x), dtype=np.int32)
        return table, x0, y0

    def in_dates(self, c: I64, first: I64, last: I64) -> tuple[I64, I64]:
        """(start, count) in ``opp`` of cell ``c`` opportunities that may overlap
        [first, last]: those starting in [first - longest, last]."""
        lo = np.searchsorted(self.cell_day, (c << 32) | (first - self.longest), "left")
        hi = np.searchsorted(self.cell_day, (c << 32) | last, "right")
        return lo.astype(np.int64), (hi - lo).astype(np.int64)


@dataclass(frozen=True)
class _Virtual:
    """Open virtual opportunities offered per sector, by (sector code, start day)."""

    opp: I64
    code_day: I64  # (sector code << 32) | start day, sorted
    longest: int
    start_day: I32
    end_day: I32
    latest_birth_day: I32

    @classmethod
    def build(
        cls, opportunities: OpportunityTable, interests: Interests, open_mask: Bools, per_sector: int
    ) -> _Virtual:
        """At most ``per_sector`` per sector, best-stocked first."""
        opp = opportunities
        which = np.flatnonzero(open_mask & (opp.mode == MODE_VIRTUAL))
        code = interests.opp_code[which].astype(np.int64)
        order = np.lexsort((which, -opp.free_seats[which], code))
        which, code = which[order], code[order]
        first = np.searchsorted(code, code)
        keep = np.arange(len(which)) - first < per_sector
        which, code = which[keep], code[keep]
        day = opp.start_day[which].astype(np.int64)
        order = np.lexsort((which, day, code))
        o = which[order].astype(np.int64)
        duration = opp.end_day[o] - opp.start_day[o]
        return cls(
            o,
            (code[order] << 32) | day[order],
            int(duration.max()) if len(o) else 0,
            opp.start_day[o],
            opp.end_day[o],
            opp.latest_birth_day[o],
        )

    def in_dates(self, code: I64, first: I64, last: I64) -> tuple[I64, I64]:
        lo = np.searchsorted(self.code_day, (code << 32) | (first - self.longest), "left")
        hi = np.searchsorted(self.code_day, (code << 32) | last, "right")
        return lo.astype(np.int64), (hi - lo).astype(np.int64)


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


class _Rows:
    """One row per (pupil, work-experience window) of a block of pupils,
    with the pupil's columns the checks need copied per row."""

    def __init__(
        self,
        pupils: PupilTable,
        policy: Policy,
        interests: Interests,
        who: I64,
        want: I64,
        exclusion: tuple[I64, I64],
    ) -> None:
        wq, w = expand_ranges(pupils.window_ptr[who], np.diff(pupils.window_ptr)[who])
        p = who[wq]
        self.pupil, self.local = p, wq  # ``local``: pupil's position in the block
        self.want = want[wq]
        self.easting = pupils.easting[p].astype(np.int64)
        self.northing = pupils.northing[p].astype(np.int64)
        self.max_minutes = pupils.max_travel_minutes[p]
        self.radius = reach_metres(self.max_minutes, policy.travel)
        self.birth_day = pupils.birth_day[p]
        self.needs_step_free = pupils.needs_step_free[p]
        self.window_start = pupils.window_start[w]
        self.window_end = pupils.window_end[w]
        self.masks = interests.masks[p]
        # The pupil's other windows (rare) are checked only where this one fails.
        self.multi = (np.diff(pupils.window_ptr)[p] > 1).any()
        self.pupils = pupils
        # Opportunities that may not be suggested to the pupil, in slots.
        ptr, excluded = exclusion
        lo, hi = ptr[p], ptr[p + 1]
        most = int((hi - lo).max()) if len(p) else 0
        self.excluded = [
            np.where(lo + k < hi, excluded[np.minimum(lo + k, len(excluded) - 1)], -1) for k in range(most)
        ]

    def __len__(self) -> int:
        return len(self.pupil)

    def eligible(self, r: I64, o: I64, start: I32, end: I32, latest: I32, minutes: F32) -> Bools:
        """Pairs (row r, open opportunity o) passing the pupil-side checks, as
        ``check_pairs`` would find them (its opportunity-side checks are passed
        by construction: ``o`` is published with valid documents)."""
        ok: Bools = minutes <= self.max_minutes[r]
        ok &= latest >= self.birth_day[r]
        here = (start <= self.window_end[r]) & (end >= self.window_start[r])
        if self.multi:
            again = np.flatnonzero(ok & ~here)
            if len(again):
                p = self.pupil[r[again]]
                here[again] = dates_overlap(self.pupils, p, start[again], end[again])
        ok &= here
        for slot in self.excluded:
            ok &= slot[r] != o
        return ok


class _Found:
    """Eligible candidates of a block: (row, opportunity, minutes, value)."""

    def __init__(self) -> None:
        self.parts: list[tuple[I64, I64, F32, F64]] = []

    def add(self, r: I64, o: I64, minutes: F32, value: F64) -> None:
        self.parts.append((r, o, minutes, value))

    def best(self, rows: _Rows) -> tuple[I64, I64, F32]:
        """Each pupil's ``want`` best distinct candidates: (pupil, o, minutes),
        ordered by pupil, best first (ties by opportunity index)."""
        r = np.concatenate([x[0] for x in self.parts] + [np.empty(0, np.int64)])
        o = np.concatenate([x[1] for x in self.parts] + [np.empty(0, np.int64)])
        minutes = np.concatenate([x[2] for x in self.parts] + [np.empty(0, np.float32)])
        value = np.concatenate([x[3] for x in self.parts] + [np.empty(0, np.float64)])
        keep = _top_per_row(r, value, rows.want, len(rows))
        r, o, minutes, value = r[keep], o[keep], minutes[keep], value[keep]
        # A pupil with two windows can meet the same opportunity twice: drop
        # the repeat, then keep the ``want`` best per pupil.
        local = rows.local[r]
        order = np.lexsort((o, -value, local))
        local, o, minutes, r = local[order], o[order], minutes[order], r[order]
        fresh = np.ones(len(o), dtype=bool)
        fresh[1:] = (local[1:] != local[:-1]) | (o[1:] != o[:-1])
        local, o, minutes, r = local[fresh], o[fresh], minutes[fresh], r[fresh]
        first = np.searchsorted(local, local)
        keep = np.arange(len(o)) - first < rows.want[r]
        return rows.pupil[r[keep]], o[keep], minutes[keep]


def _top_per_row(r: I64, value: F64, want: I64, n_rows: int) -> Bools:
    """Candidates that may be among their row's ``want`` best: all but those
    beaten by at least ``want`` candidates of the same row.

    Values are binned (monotonically); a row keeps every bin from the top
    down to the first where ``want`` is reached. A row's candidates are
    distinct opportunities, so a pupil's best (over all their rows) always
    survives.
    """
    if len(r) == 0:
        return np.zeros(0, dtype=bool)
    low, high = float(value.min()), float(value.max())
    scale = (VALUE_BINS - 1) / (high - low) if high > low else 0.0
    b = ((value - low) * scale).astype(np.int64)
    counts = np.bincount(r * VALUE_BINS + b, minlength=n_rows * VALUE_BINS).reshape(n_rows, VALUE_BINS)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    reached = from_top >= want[:, None]
    # First bin (from the top) reaching ``want``; rows never reaching it keep all.
    depth = np.where(reached.any(axis=1), reached.argmax(axis=1), VALUE_BINS - 1)
    keep: Bools = b >= (VALUE_BINS - 1 - depth)[r]
    return keep


def suggest(
    pupils: PupilTable,
    opportunities: OpportunityTable,
    policy: Policy,
    interests: Interests,
    who: I64,
    wanted: I64,
    exclusion: tuple[I64, I64],
    open_mask: Bools,
) -> tuple[I64, I64, F32]:
    """Best eligible suggestions for pupils ``who`` (sorted; ``wanted[i]`` each).

    Only opportunities in ``open_mask`` are considered. ``exclusion`` is a CSR
    over all pupils (pointer, opportunity index) of pairs never to suggest;
    only open, eligible pairs need to be listed there. Grid cells are searched
    in rings outward from home until a window has at least
    ``policy.suggestion_pool`` eligible candidates (or reach runs out); the
    best-scored of those are suggested. Virtual opportunities come from the
    pupil's interest sectors. Returns (pupil, opportunity, minutes) ordered by
    pupil, best first.
    """
    opp = opportunities
    open_mask = open_mask & opp.documents_valid
    physical = np.flatnonzero(open_mask & (opp.mode != MODE_VIRTUAL)).astype(np.int64)
    grid = Grid.build(opp, physical, policy.grid_cell_m)
    virtual = _Virtual.build(opp, interests, open_mask, policy.virtual_per_sector)
    interest_code = interests.interest_code
    fast = compiled("_compiled_suggest")
    if fast is not None:
        kernel = _Kernel(grid, virtual, pupils, opp, policy, interests, interest_code)
        return kernel.run(fast, who, wanted, exclusion)
    out: list[tuple[I64, I64, F32]] = []
    for s in range(0, len(who), BLOCK_PUPILS):
        rows = _Rows(
            pupils, policy, interests, who[s : s + BLOCK_PUPILS], wanted[s : s + BLOCK_PUPILS], exclusion
        )
        found = _Found()
        _physical(rows, grid, opp, interests, policy, found)
        _virtual(rows, virtual, opp, interests, interest_code, policy, found)
        out.append(found.best(rows))
    p = np.concatenate([x[0] for x in out] + [np.empty(0, np.int64)])
    o = np.concatenate([x[1] for x in out] + [np.empty(0, np.int64)])
    minutes = np.concatenate([x[2] for x in out] + [np.empty(0, np.float32)])
    return p, o, minutes


class _Kernel:
    """``suggest`` through the compiled loops (``_compiled_suggest``): the same
    search and arithmetic, one pupil at a time, without temporaries."""

    def __init__(
        self,
        grid: Grid,
        virtual: _Virtual,
        pupils: PupilTable,
        opportunities: OpportunityTable,
        policy: Policy,
        interests: Interests,
        interest_code: I64,
    ) -> None:
        self.grid, self.virtual, self.pupils, self.n_opp = grid, virtual, pupils, len(opportunities)
        self.policy, self.interests, self.interest_code = policy, interests, interest_code
        self.growth = opportunities.is_growth_sector

    def run(
        self, fast: ModuleType, who: I64, wanted: I64, exclusion: tuple[I64, I64]
    ) -> tuple[I64, I64, F32]:
        g, v, pupils, policy = self.grid, self.virtual, self.pupils, self.policy
        sites = fast.Sites(g.cell, g.cell_key, *g.table(), g.start, g.count, g.longest, self._site_rows(fast))
        online = fast.Online(
            v.opp, v.code_day, v.longest, *(_c(a) for a in (v.start_day, v.end_day, v.latest_birth_day))
        )
        seekers = fast.Seekers(
            _c(who, np.int64), _c(wanted, np.int64),
            _c(reach_metres(pupils.max_travel_minutes[who], policy.travel)),
            *(_c(a) for a in (pupils.easting, pupils.northing, pupils.max_travel_minutes, pupils.birth_day)),
            *(_c(a) for a in (pupils.needs_step_free, pupils.window_ptr, pupils.window_start)),
            _c(pupils.window_end),
            _c(self.interests.masks), _c(pupils.interest_ptr), _c(self.interest_code, np.int64),
            _c(exclusion[0], np.int64), _c(exclusion[1], np.int64),
        )  # fmt: skip
        found: tuple[I64, I64, F32] = fast.suggest(sites, online, seekers, self._scoring(fast), self.n_opp)
        return found

    def _site_rows(self, fast: ModuleType) -> I32:
        """The grid's sites as rows of ``fast``'s site columns (OPP ... FLAGS)."""
        g = self.grid
        flags = g.step_free * fast.STEP_FREE | self.growth[g.opp] * fast.GROWTH
        columns = (g.opp, g.easting, g.northing, g.start_day, g.end_day, g.latest_birth_day)
        rows: I32 = np.stack([*columns, self.interests.opp_code[g.opp], flags], axis=1).astype(np.int32)
        return np.ascontiguousarray(rows)

    def _scoring(self, fast: ModuleType) -> object:
        policy = self.policy
        f32 = np.float32
        model, (rows, cols, minutes) = compiled_travel(policy.travel)
        return fast.Scoring(
            model,
            np.array([policy.sector_weight, policy.growth_weight], dtype=np.float64),
            f32(policy.travel_scale_minutes),
            int(policy.suggestion_pool), _c(self.interests.opp_code, np.int32), _c(self.growth),
            _c(rows, np.int32), _c(cols, np.int32), _c(minutes, np.uint8),
        )  # fmt: skip


def compiled_travel(travel: TravelModel) -> tuple[F32, tuple[I32, I32, U8]]:
    """The travel model as the compiled loops take it: (detour, walking speed, longest walk,
    bus speed, bus minutes added) in float32, and the timetable's pupil rows, opportunity
    columns and minutes (empty without a timetable)."""
    model = (travel.detour_factor, travel.walk_speed_km_h, travel.walk_max_km, travel.bus_speed_km_h)
    in_f32 = np.array([*model, travel.bus_access_minutes + travel.bus_wait_minutes], dtype=np.float32)
    timetable = travel.timetable
    if timetable is None:
        return in_f32, (np.empty(0, np.int32), np.empty(0, np.int32), np.empty((0, 0), np.uint8))
    return in_f32, (timetable.pupil_row, timetable.opportunity_col, timetable.minutes)


def _c(a: NDArray[Any], dtype: Any = None) -> NDArray[Any]:
    """``a`` as a writable C-ordered array: one compiled signature whatever the input's flags."""
    return np.require(a, dtype=dtype, requirements=["C", "W"])


def one_pupil_instance() -> MatchInput:
    """One pupil applying to one of two opportunities (in person, virtual): to load compiled code."""
    from .rows import OpportunityRow, PupilRow, build_input

    day = date(2026, 6, 1)
    pupil = PupilRow(
        1, "E1", 10, date(2011, 1, 1), 0, 0, 45, ((day, day),), sector_interests=(1,), applications=(1,)
    )
    sites = [
        OpportunityRow(o, 1, day, day, 14, 0, 0, 1, "E1", day, day, mode=mode)
        for o, mode in ((1, "in_person"), (2, "virtual"))
    ]
    return build_input([pupil], sites)


def _read_only(a: NDArray[Any], dtype: Any = None) -> NDArray[Any]:
    """``a`` as a read-only C-ordered array, copied only to change its type or order: one
    compiled signature whatever the input's flags (the input tables' columns are read-only)."""
    out = np.require(a, dtype=dtype, requirements=["C"])
    if out.flags.writeable:
        out = out.view()
        out.flags.writeable = False
    return out


def _value(
    policy: Policy,
    opp: OpportunityTable,
    interests: Interests,
    masks: U64,
    o: I64,
    minutes: F32,
) -> F64:
    """Suggestion score: sector fit + growth sector - minutes / travel scale."""
    fit = mask_fit(masks, interests.opp_code[o])
    return policy.suggestion_score(fit, opp.is_growth_sector[o], minutes)


def _physical(
    rows: _Rows, grid: Grid, opp: OpportunityTable, interests: Interests, policy: Policy, found: _Found
) -> None:
    """In person and hybrid: rings of grid cells, nearest first."""
    count = np.zeros(len(rows), dtype=np.int64)
    rings = np.ceil(rows.radius / grid.cell).astype(np.int64)
    for ring in range(int(rings.max()) + 1 if len(rows) else 0):
        active = np.flatnonzero((count < policy.suggestion_pool) & (rings >= ring))
        if len(active) == 0:
            break
        q, c = grid.cells_near(rows.easting[active], rows.northing[active], rows.radius[active], ring)
        q = active[q]
        start, n = grid.in_dates(
            c, rows.window_start[q].astype(np.int64), rows.window_end[q].astype(np.int64)
        )
        for r, at in _chunks(q, start, n):
            minutes = estimate_travel_minutes(
                rows.easting[r], rows.northing[r], grid.easting[at], grid.northing[at], False, policy.travel
            )
            o = grid.opp[at]
            if policy.travel.timetable is not None:
                minutes = policy.travel.timetable.apply(minutes, rows.pupil[r], o)
            ok = rows.eligible(r, o, grid.start_day[at], grid.end_day[at], grid.latest_birth_day[at], minutes)
            ok &= ~(rows.needs_step_free[r] & ~grid.step_free[at])
            keep = np.flatnonzero(ok)
            r, o, minutes = r[keep], o[keep], minutes[keep]
            count += np.bincount(r, minlength=len(rows))
            found.add(r, o, minutes, _value(policy, opp, interests, rows.masks[r], o, minutes))


def _virtual(
    rows: _Rows,
    virtual: _Virtual,
    opp: OpportunityTable,
    interests: Interests,
    interest_code: I64,
    policy: Policy,
    found: _Found,
) -> None:
    """Virtual: the offered opportunities of each interest sector, by dates."""
    ptr = rows.pupils.interest_ptr
    lo, hi = ptr[rows.pupil], ptr[rows.pupil + 1]
    rq, i = expand_ranges(lo, hi - lo)
    code = interest_code[i]
    # Each (row, sector) once, even if a pupil lists a sector twice.
    width = int(code.max(initial=0)) + 1
    pair = np.unique(rq[code >= 0] * width + code[code >= 0])
    rq, code = pair // width, pair % width
    start, n = virtual.in_dates(
        code, rows.window_start[rq].astype(np.int64), rows.window_end[rq].astype(np.int64)
    )
    for r, at in _chunks(rq, start, n):
        minutes = np.zeros(len(r), dtype=np.float32)
        o = virtual.opp[at]
        ok = rows.eligible(
            r, o, virtual.start_day[at], virtual.end_day[at], virtual.latest_birth_day[at], minutes
        )
        keep = np.flatnonzero(ok)
        r, o, minutes = r[keep], o[keep], minutes[keep]
        found.add(r, o, minutes, _value(policy, opp, interests, rows.masks[r], o, minutes))


def best_stage(
    pupils: PupilTable,
    opportunities: OpportunityTable,
    policy: Policy,
    who: I64,
) -> I8:
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
