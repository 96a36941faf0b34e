"""Frozen, columnar input to a match run.

Everything is a numpy array so a selector can fill it from a few set-based
queries (``values_list(...)`` per table, ordered by id) and so national runs
fit in memory.

Conventions
-----------
* Dates are int day numbers: ``datetime.date.toordinal()``; ``NO_DATE`` (-1)
  stands for "none recorded" (e.g. no insurance on file).
* Pupils and opportunities are ordered by strictly increasing id.
* Variable-length per-pupil lists use CSR form: ``ptr`` has one more entry
  than there are pupils, and pupil ``i`` owns ``values[ptr[i]:ptr[i + 1]]``.
* Grid coordinates are British National Grid eastings/northings in metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._types import I8, I16, I32, I64, Bools, Strs
from .policy import FLAG_NAMES, Policy

NO_DATE = -1

MODE_IN_PERSON = 0
MODE_HYBRID = 1
MODE_VIRTUAL = 2
MODE_CODES = {"in_person": MODE_IN_PERSON, "hybrid": MODE_HYBRID, "virtual": MODE_VIRTUAL}

# A parent's or carer's answer about work experience, per pupil.
CONSENT_NOT_REQUESTED = 0
CONSENT_REQUESTED = 1
CONSENT_GIVEN = 2
CONSENT_REFUSED = 3
CONSENT_WITHDRAWN = 4
CONSENT_CODES = {
    "not_requested": CONSENT_NOT_REQUESTED,
    "requested": CONSENT_REQUESTED,
    "given": CONSENT_GIVEN,
    "refused": CONSENT_REFUSED,
    "withdrawn": CONSENT_WITHDRAWN,
}


def day(value: date | None) -> int:
    """Day number used throughout the engine (``NO_DATE`` for None)."""
    return NO_DATE if value is None else value.toordinal()


def _years_before(day_number: int, years: int) -> int:
    """Day number ``years`` calendar years earlier (29 Feb -> 28 Feb)."""
    d = date.fromordinal(max(day_number, 1))
    try:
        return d.replace(year=d.year - years).toordinal()
    except ValueError:
        return d.replace(year=d.year - years, day=28).toordinal()


# dtype each field is coerced to; "U" means a numpy unicode string array.
_PUPIL_DTYPES: dict[str, Any] = {
    "pupil_id": np.int64,
    "la_code": "U",
    "year_group": np.int16,
    "birth_day": np.int32,
    "easting": np.int32,
    "northing": np.int32,
    "max_travel_minutes": np.int16,
    "needs_step_free": np.bool_,
    "care_experienced": np.bool_,
    "fsm_or_pupil_premium": np.bool_,
    "send": np.bool_,
    "young_carer": np.bool_,
    "at_risk_of_neet": np.bool_,
    "approved_opportunity_id": np.int64,
    "interest_ptr": np.int64,
    "interest_sector": np.int32,
    "window_ptr": np.int64,
    "window_start": np.int32,
    "window_end": np.int32,
    "application_ptr": np.int64,
    "application_opportunity_id": np.int64,
    "consent": np.int8,
    "young_person": np.bool_,
}

# CSR pointers and values: not one entry per pupil.
_PUPIL_LIST_FIELDS = frozenset(
    {
        "interest_ptr",
        "interest_sector",
        "window_ptr",
        "window_start",
        "window_end",
        "application_ptr",
        "application_opportunity_id",
    }
)

_OPPORTUNITY_DTYPES: dict[str, Any] = {
    "opportunity_id": np.int64,
    "capacity": np.int32,
    "seats_taken": np.int32,
    "start_day": np.int32,
    "end_day": np.int32,
    "min_age": np.int16,
    "easting": np.int32,
    "northing": np.int32,
    "step_free": np.bool_,
    "mode": np.int8,
    "sector_id": np.int32,
    "is_growth_sector": np.bool_,
    "la_code": "U",
    "published": np.bool_,
    "insurance_valid_until": np.int32,
    "risk_assessment_valid_until": np.int32,
}


def _freeze(obj: object, dtypes: dict[str, Any]) -> None:
    for f in fields(obj):  # type: ignore[arg-type]
        kind = dtypes.get(f.name)
        if kind is None:
            continue
        raw = getattr(obj, f.name)
        arr = np.array(raw, dtype=str) if kind == "U" else np.array(raw, dtype=kind)
        if arr.ndim != 1:
            raise ValueError(f"{f.name} must be one-dimensional")
        arr.setflags(write=False)
        object.__setattr__(obj, f.name, arr)


def _check_csr(name: str, ptr: I64, n: int, *values: NDArray[Any]) -> None:
    if len(ptr) != n + 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0):
        raise ValueError(f"{name}_ptr must be a CSR pointer of length {n + 1}")
    for v in values:
        if len(v) != ptr[-1]:
            raise ValueError(f"{name} values must have length {int(ptr[-1])}")


@dataclass(frozen=True)
class PupilTable:
    """One entry per pupil, ordered by ``pupil_id``.

    ``approved_opportunity_id`` is the pupil's already-approved match (-1 if
    none): such pupils are fixed, never reshuffled, and their seat is assumed
    to be counted in the opportunity's ``seats_taken``.
    ``application_opportunity_id`` lists opportunity ids in the pupil's rank
    order (first choice first). A pupil whose parent or carer refused or
    withdrew consent takes no part in runs (``eligibility.left_out``).
    """

    pupil_id: I64
    la_code: Strs
    year_group: I16
    birth_day: I32
    easting: I32
    northing: I32
    max_travel_minutes: I16
    needs_step_free: Bools
    care_experienced: Bools
    fsm_or_pupil_premium: Bools
    send: Bools
    young_carer: Bools
    at_risk_of_neet: Bools
    approved_opportunity_id: I64
    interest_ptr: I64
    interest_sector: I32
    window_ptr: I64
    window_start: I32
    window_end: I32
    application_ptr: I64
    application_opportunity_id: I64
    # ``CONSENT_CODES``; left out, no answer has been asked for yet.
    consent: I8 = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    # Registered by a youth service (not in education or work, or a care leaver): a priority flag.
    young_person: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        n = len(self.pupil_id)
        if len(self.consent) == 0 and n:
            object.__setattr__(self, "consent", np.full(n, CONSENT_NOT_REQUESTED, dtype=np.int8))
        if len(self.young_person) == 0 and n:
            object.__setattr__(self, "young_person", np.zeros(n, dtype=bool))
        _freeze(self, _PUPIL_DTYPES)
        for f in fields(self):
            if f.name not in _PUPIL_LIST_FIELDS and len(getattr(self, f.name)) != n:
                raise ValueError(f"pupil field {f.name} must have length {n}")
        if n and np.any(np.diff(self.pupil_id) <= 0):
            raise ValueError("pupil_id must be strictly increasing")
        _check_csr("interest", self.interest_ptr, n, self.interest_sector)
        _check_csr("window", self.window_ptr, n, self.window_start, self.window_end)
        _check_csr("application", self.application_ptr, n, self.application_opportunity_id)

    def __len__(self) -> int:
        return len(self.pupil_id)

    def flag(self, name: str) -> Bools:
        if name not in FLAG_NAMES:
            raise KeyError(f"unknown disadvantage flag {name!r}")
        value: Bools = getattr(self, name)
        return value


@dataclass(frozen=True)
class OpportunityTable:
    """One entry per opportunity, ordered by ``opportunity_id``.

    ``seats_taken`` counts seats already held by approved matches; those seats
    are not offered again. ``mode`` uses ``MODE_CODES``. ``min_age`` is in
    whole years on ``start_day``. ``is_growth_sector`` is for the pupils'
    region (one region per run).
    """

    opportunity_id: I64
    capacity: I32
    seats_taken: I32
    start_day: I32
    end_day: I32
    min_age: I16
    easting: I32
    northing: I32
    step_free: Bools
    mode: I8
    sector_id: I32
    is_growth_sector: Bools
    la_code: Strs
    published: Bools
    insurance_valid_until: I32
    risk_assessment_valid_until: I32

    def __post_init__(self) -> None:
        _freeze(self, _OPPORTUNITY_DTYPES)
        n = len(self.opportunity_id)
        for f in fields(self):
            if len(getattr(self, f.name)) != n:
                raise ValueError(f"opportunity field {f.name} must have length {n}")
        if n and np.any(np.diff(self.opportunity_id) <= 0):
            raise ValueError("opportunity_id must be strictly increasing")

    def __len__(self) -> int:
        return len(self.opportunity_id)

    @cached_property
    def latest_birth_day(self) -> I32:
        """Last birth day old enough for ``min_age`` on ``start_day``."""
        # One int64 per (start day, minimum age): a 1-d unique is far quicker than rows.
        pairs = (self.start_day.astype(np.int64) << 16) | (self.min_age.astype(np.int64) + (1 << 15))
        combos, where = np.unique(pairs, return_inverse=True)
        latest = np.array(
            [_years_before(int(c >> 16), int(c & 0xFFFF) - (1 << 15)) for c in combos], np.int32
        )
        found: I32 = latest[where.reshape(-1)] if len(latest) else latest
        return found

    @cached_property
    def documents_valid(self) -> Bools:
        """Published, and insurance and risk assessment valid through the end."""
        ok: Bools = (
            self.published
            & (self.insurance_valid_until >= self.end_day)
            & (self.risk_assessment_valid_until >= self.end_day)
        )
        return ok

    def id_table(self) -> I64 | None:
        """Position of each id from 0 to the largest + 1 (-1 where none), or None
        where the ids are too sparse for such a table to beat a binary search."""
        known = self.opportunity_id
        if len(known) == 0:
            return None
        top = int(known[-1])
        if known[0] < 0 or top > 8 * len(known) + 1_000_000:
            return None
        # Database ids are dense enough: a lookup table beats binary search.
        table = np.full(top + 2, -1, dtype=np.int64)
        table[known] = np.arange(len(known))
        return table

    def index_of(self, ids: I64) -> I64:
        """Position of each opportunity id, -1 for unknown ids."""
        known = self.opportunity_id
        if len(known) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        table = self.id_table()
        if table is not None:
            found: I64 = table[np.clip(ids, -1, len(table) - 1)]
            return found
        j = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        found = np.where(known[j] == ids, j, -1).astype(np.int64)
        return found

    @property
    def free_seats(self) -> I32:
        """Seats this run may fill."""
        seats: I32 = np.maximum(self.capacity - self.seats_taken, 0).astype(np.int32)
        return seats


@dataclass(frozen=True)
class MatchInput:
    pupils: PupilTable
    opportunities: OpportunityTable
    policy: Policy = field(default_factory=Policy)
