"""Records a run cannot use: found, reported and left out, so one bad row never stops a run.

The database and the forms refuse bad input at the door; this is the last
line. An opportunity whose data cannot be used is dropped from the run's
input (an application to it then reads "it is no longer offered"); a pupil
whose data cannot be used stays in the result, unplaced, with the reason.
Each is reported with its id and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np

from ._types import I8, Bools
from .inputs import CONSENT_CODES, MODE_CODES, NO_DATE, MatchInput, OpportunityTable, PupilTable

# Day numbers the engine's date arithmetic (ages, date ranges) is safe with.
FIRST_DAY = date(1900, 1, 1).toordinal()
LAST_DAY = date(2999, 12, 31).toordinal()
# British National Grid extent, in metres.
MAX_EASTING = 700_000
MAX_NORTHING = 1_300_000

OPPORTUNITY_PROBLEMS = {
    1: "start or end date out of range",
    2: "ends before it starts",
    3: "no seats (capacity below 1)",
    4: "site location out of range",
    5: "minimum age out of range",
    6: "unknown mode",
}
PUPIL_PROBLEMS = {
    1: "date of birth missing or out of range",
    2: "home location out of range",
    3: "a work-experience window out of range or ending before it starts",
    4: "travel limit below 1 minute",
    5: "unknown consent answer",
}


@dataclass(frozen=True)
class SkippedRecord:
    kind: str  # "opportunity" or "pupil"
    record_id: int
    problem: str


def _out_of_range(days: np.ndarray) -> Bools:
    found: Bools = (days < FIRST_DAY) | (days > LAST_DAY)
    return found


def _off_grid(easting: np.ndarray, northing: np.ndarray) -> Bools:
    found: Bools = (easting < 0) | (easting > MAX_EASTING) | (northing < 0) | (northing > MAX_NORTHING)
    return found


def opportunity_problems(opps: OpportunityTable) -> I8:
    """Problem code (``OPPORTUNITY_PROBLEMS``) per opportunity, 0 if usable; the first one found wins."""
    checks = [
        (1, _out_of_range(opps.start_day) | _out_of_range(opps.end_day)),
        (2, opps.end_day < opps.start_day),
        (3, opps.capacity < 1),
        (4, _off_grid(opps.easting, opps.northing) & (opps.mode != MODE_CODES["virtual"])),
        (5, (opps.min_age < 0) | (opps.min_age > 99)),
        (6, ~np.isin(opps.mode, list(MODE_CODES.values()))),
    ]
    problem = np.zeros(len(opps), dtype=np.int8)
    for code, failed in reversed(checks):
        problem[failed] = code
    return problem


def pupil_problems(pupils: PupilTable) -> I8:
    """Problem code (``PUPIL_PROBLEMS``) per pupil, 0 if usable; the first one found wins."""
    windows = np.diff(pupils.window_ptr)
    owner = np.repeat(np.arange(len(pupils)), windows)
    bad_window = (
        _out_of_range(pupils.window_start)
        | _out_of_range(pupils.window_end)
        | (pupils.window_end < pupils.window_start)
    )
    checks = [
        (1, (pupils.birth_day == NO_DATE) | _out_of_range(pupils.birth_day)),
        (2, _off_grid(pupils.easting, pupils.northing)),
        (3, np.bincount(owner[bad_window], minlength=len(pupils)) > 0),
        (4, pupils.max_travel_minutes < 1),
        (5, ~np.isin(pupils.consent, list(CONSENT_CODES.values()))),
    ]
    problem = np.zeros(len(pupils), dtype=np.int8)
    for code, failed in reversed(checks):
        problem[failed] = code
    return problem


def without_unusable_opportunities(data: MatchInput) -> tuple[MatchInput, tuple[SkippedRecord, ...]]:
    """The input without opportunities it cannot use, and those it left out."""
    problem = opportunity_problems(data.opportunities)
    bad = np.flatnonzero(problem)
    skipped = tuple(
        SkippedRecord(
            "opportunity", int(data.opportunities.opportunity_id[o]), OPPORTUNITY_PROBLEMS[int(problem[o])]
        )
        for o in bad
    )
    if not len(bad):
        return data, skipped
    keep = problem == 0
    opps = data.opportunities
    kept = OpportunityTable(**{f.name: getattr(opps, f.name)[keep] for f in fields(opps)})
    policy = data.policy
    timetable = policy.travel.timetable
    if timetable is not None:  # its columns are looked up by opportunity position
        timetable = replace(timetable, opportunity_col=timetable.opportunity_col[keep])
        policy = replace(policy, travel=replace(policy.travel, timetable=timetable))
    return replace(data, opportunities=kept, policy=policy), skipped


def skipped_pupils(pupils: PupilTable) -> tuple[SkippedRecord, ...]:
    """Pupils left out for their data (a placement approved before is kept, not skipped)."""
    problem = np.where(pupils.approved_opportunity_id >= 0, 0, pupil_problems(pupils))
    return tuple(
        SkippedRecord("pupil", int(pupils.pupil_id[p]), PUPIL_PROBLEMS[int(problem[p])])
        for p in np.flatnonzero(problem)
    )
