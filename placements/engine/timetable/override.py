"""Timetable minutes for the pairs of a match run, handed to the engine with its input.

The database side works out a minutes matrix (pupils' home cells x
opportunities' site cells and first days) from the current feed; the engine
looks pairs up here and falls back to the estimate where the feed does not
cover a pair (no stop near either end, or no services on the first day).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from .._types import F32, I32, I64, U8, Bools
from .planner import NO_JOURNEY


@dataclass(frozen=True, eq=False)
class TimetableMinutes:
    """``minutes[pupil_row[p], opportunity_col[o]]`` for pupil position p and opportunity position o.

    Row or column -1: not covered, use the estimate. ``NO_JOURNEY`` (255):
    covered, but nothing arrives by the deadline, so the pair is out of reach.
    """

    pupil_row: I32
    opportunity_col: I32
    minutes: U8
    label: str = ""
    is_demo: bool = False

    def __post_init__(self) -> None:
        rows, cols = self.minutes.shape
        if self.pupil_row.max(initial=-1) >= rows or self.opportunity_col.max(initial=-1) >= cols:
            raise ValueError("timetable rows or columns out of range")

    def __repr__(self) -> str:
        # Part of the run's input hash (through the policy's repr): the content, not the identity.
        digest = hashlib.sha256()
        for a in (self.pupil_row, self.opportunity_col, self.minutes):
            digest.update(np.ascontiguousarray(a).tobytes())
        return f"TimetableMinutes({self.label!r}, {digest.hexdigest()[:16]})"

    def _cells(self, p: I64, o: I64) -> I64:
        """Flat index into ``minutes`` per pair, -1 where not covered; ``o`` may hold -1."""
        p, o = np.asarray(p, np.int64), np.asarray(o, np.int64)
        row = self.pupil_row[p].astype(np.int64)
        col = np.where(o >= 0, self.opportunity_col[np.maximum(o, 0)], -1)
        flat: I64 = np.where((row >= 0) & (col >= 0), row * self.minutes.shape[1] + col, -1)
        return flat

    def covered(self, p: I64, o: I64) -> Bools:
        """Pairs the timetable speaks for; ``o`` may hold -1 (unknown or virtual)."""
        found: Bools = self._cells(p, o) >= 0
        return found

    def apply(self, minutes: F32, p: I64, o: I64) -> F32:
        """``minutes`` with covered pairs replaced by the timetable's (inf where none arrives in time)."""
        flat = self._cells(p, o)
        hit = np.flatnonzero(flat >= 0)
        if len(hit) == 0:
            return minutes
        out = np.array(minutes, dtype=np.float32, copy=True)
        found = self.minutes.reshape(-1)[flat[hit]]
        out[hit] = np.where(found == NO_JOURNEY, np.inf, found.astype(np.float32))
        return out
