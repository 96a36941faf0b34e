"""Timetable journeys for a match run: a minutes matrix the engine looks pairs up in.

Rows are the pupils' home cells (and again, step-free, for pupils who need
it); columns are the opportunities' site cells for each first day's day type.
Pairs the current feed does not cover stay with the estimate.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from numpy.typing import NDArray

from placements.engine.inputs import MODE_VIRTUAL, MatchInput, OpportunityTable, PupilTable
from placements.engine.timetable import TimetableMinutes, runs_on
from placements.transit.selectors import (
    cells_of,
    covered_cells,
    journey_matrix,
    journey_rules,
    timetable_current,
)


def timetable_minutes_build(
    *, pupils: PupilTable, opportunities: OpportunityTable
) -> TimetableMinutes | None:
    """None without a current feed."""
    loaded = timetable_current()
    if loaded is None or len(pupils) == 0 or len(opportunities) == 0:
        return None
    rules = journey_rules()
    tt = loaded.timetable
    home = cells_of(pupils.easting, pupils.northing)
    site = cells_of(opportunities.easting, opportunities.northing)
    home_ok = covered_cells(loaded, home, rules)
    starts = {d: runs_on(tt, d) for d in np.unique(opportunities.start_day).tolist()}
    site_ok = (
        covered_cells(loaded, site, rules)
        & (opportunities.mode != MODE_VIRTUAL)
        & np.array([starts[d] for d in opportunities.start_day.tolist()], dtype=bool)
    )
    pupil_row = np.full(len(pupils), -1, dtype=np.int32)
    opportunity_col = np.full(len(opportunities), -1, dtype=np.int32)
    origins, where = np.unique(home[home_ok], return_inverse=True)
    pupil_row[home_ok] = where.ravel()
    needs = home_ok & pupils.needs_step_free
    step_free_origins, where = np.unique(home[needs], return_inverse=True)
    pupil_row[needs] = len(origins) + where.ravel()
    blocks: list[NDArray[np.uint8]] = []
    used = 0
    # One block of columns per day type: ordinary Mondays share theirs.
    by_type: dict[str, list[int]] = {}
    for d in sorted(d for d, ok in starts.items() if ok):
        by_type.setdefault(tt.day_type(d), []).append(d)
    for days in by_type.values():
        mine = site_ok & np.isin(opportunities.start_day, days)
        if not mine.any():
            continue
        destinations, where = np.unique(site[mine], return_inverse=True)
        opportunity_col[mine] = used + where.ravel()
        used += len(destinations)
        journeys = partial(journey_matrix, loaded=loaded, destinations=destinations, day=days[0], rules=rules)
        block = journeys(origins=origins, step_free=False)
        if len(step_free_origins):
            block = np.vstack([block, journeys(origins=step_free_origins, step_free=True)])
        blocks.append(block)
    rows = len(origins) + len(step_free_origins)
    minutes = np.hstack(blocks) if blocks else np.zeros((rows, 0), dtype=np.uint8)
    label = f"{loaded.label} (version {loaded.version})"
    return TimetableMinutes(pupil_row, opportunity_col, minutes, label=label, is_demo=loaded.is_demo)


def with_travel_source(
    *, data: MatchInput, placed: NDArray[np.int64], opportunity_id: NDArray[np.int64], explanations: list[str]
) -> list[str]:
    """Each explanation, saying where its travel time came from when a timetable was in the run."""
    timetable = data.policy.travel.timetable
    if timetable is None:
        return explanations
    covered = timetable.covered(placed, data.opportunities.index_of(opportunity_id))
    demo = " (demo timetables, not real ones)" if timetable.is_demo else ""
    words = {True: f" Travel time from the timetable{demo}.", False: " Travel time estimated from distance."}
    return [text + words[bool(c)] for text, c in zip(explanations, covered.tolist(), strict=True)]
