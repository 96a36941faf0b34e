"""Hard constraints on a (pupil, opportunity) pair, vectorised over pairs.

Checks run in a fixed order and a pair gets the code of the FIRST failure, so
"how far did a pupil's best option get" is simply the largest code seen.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from ._types import F32, I8, I32, I64, Bools
from .inputs import CONSENT_REFUSED, CONSENT_WITHDRAWN, MODE_VIRTUAL, OpportunityTable, PupilTable
from .policy import TravelModel
from .records import pupil_problems
from .travel import estimate_travel_minutes


class Reason(IntEnum):
    """Why a pupil did not get an opportunity (ordered by check order)."""

    UNKNOWN_OPPORTUNITY = 1
    NOT_PUBLISHED = 2
    NO_INSURANCE = 3
    NO_RISK_ASSESSMENT = 4
    TOO_FAR = 5
    DATES = 6
    TOO_YOUNG = 7
    NO_STEP_FREE = 8
    ELIGIBLE = 9
    # An outcome, not an eligibility failure:
    FILLED = 10
    # The pupil takes no part in the run:
    NO_CONSENT = 11
    UNUSABLE_RECORD = 12
    # The run had no opportunity it could offer anyone:
    NONE_OPEN = 13


REASON_WORDS = {
    Reason.UNKNOWN_OPPORTUNITY: "it is no longer offered",
    Reason.NOT_PUBLISHED: "it is not open for applications",
    Reason.NO_INSURANCE: "the employer's insurance does not cover the placement dates",
    Reason.NO_RISK_ASSESSMENT: "the employer's risk assessment does not cover the placement dates",
    Reason.TOO_FAR: "it is further than your maximum travel time",
    Reason.DATES: "its dates do not overlap your work-experience dates",
    Reason.TOO_YOUNG: "you are under its minimum age on the start date",
    Reason.NO_STEP_FREE: "the site does not have step-free access",
}


def left_out(pupils: PupilTable) -> I8:
    """Why each pupil takes no part in the run (a ``Reason`` code), 0 if they do.

    Pupils whose parent or carer refused or withdrew consent, and pupils whose
    data the run cannot use (``records``), get no list, no suggestions and no
    vacancy; a placement approved before stays as it is.
    """
    out = np.zeros(len(pupils), dtype=np.int8)
    out[pupil_problems(pupils) > 0] = Reason.UNUSABLE_RECORD
    out[(pupils.consent == CONSENT_REFUSED) | (pupils.consent == CONSENT_WITHDRAWN)] = Reason.NO_CONSENT
    out[pupils.approved_opportunity_id >= 0] = 0
    return out


def age_on(birth_day: I32, on_day: I32) -> I64:
    """Whole years of age on a day (both as ``date.toordinal()`` numbers)."""
    # Ordinal 719163 is 1970-01-01, numpy's datetime64 epoch.
    born = (birth_day.astype(np.int64) - 719163).astype("datetime64[D]")
    on = (on_day.astype(np.int64) - 719163).astype("datetime64[D]")
    by, oy = born.astype("datetime64[Y]"), on.astype("datetime64[Y]")
    years = (oy - by).astype(np.int64)
    # Days into the year, compared via month then day: birthday not yet reached.
    bm = (born.astype("datetime64[M]") - by).astype(np.int64)
    om = (on.astype("datetime64[M]") - oy).astype(np.int64)
    bd = (born - born.astype("datetime64[M]")).astype(np.int64)
    od = (on - on.astype("datetime64[M]")).astype(np.int64)
    before = (om < bm) | ((om == bm) & (od < bd))
    result: I64 = years - before
    return result


def dates_overlap(pupils: PupilTable, p: I64, start: I32, end: I32) -> Bools:
    """Does [start, end] overlap any of pupil p's work-experience windows?"""
    lo, hi = pupils.window_ptr[p], pupils.window_ptr[p + 1]
    hit = np.zeros(len(p), dtype=bool)
    most = int((hi - lo).max()) if len(p) else 0
    for k in range(most):  # pupils have one or two windows; loop over slot k
        has = lo + k < hi
        w = np.where(has, lo + k, 0)
        ok = has & (pupils.window_start[w] <= end) & (pupils.window_end[w] >= start)
        hit |= ok
    return hit


def employer_reason(opportunities: OpportunityTable) -> I8:
    """Per opportunity, the first employer-side check it fails (``check_pairs``
    order: not published, insurance, risk assessment), 0 if none."""
    opp = opportunities
    reason = np.zeros(len(opp), dtype=np.int8)
    for code, failed in (
        (Reason.NO_RISK_ASSESSMENT, opp.risk_assessment_valid_until < opp.end_day),
        (Reason.NO_INSURANCE, opp.insurance_valid_until < opp.end_day),
        (Reason.NOT_PUBLISHED, ~opp.published),
    ):  # earliest check wins: write it last
        reason[failed] = code
    return reason


def check_pairs(
    pupils: PupilTable,
    opportunities: OpportunityTable,
    p: I64,
    o: I64,
    travel: TravelModel,
) -> tuple[I8, F32]:
    """Reason code per pair (``Reason.ELIGIBLE`` if all checks pass) and minutes.

    ``o`` may hold -1 for an application to an unknown opportunity.
    """
    opp = opportunities
    if len(opp) == 0:  # a run with no usable opportunity: every id is unknown
        return np.full(len(p), Reason.UNKNOWN_OPPORTUNITY, dtype=np.int8), np.full(len(p), np.nan, np.float32)
    known = o >= 0
    oo = np.where(known, o, 0)
    virtual = opp.mode[oo] == MODE_VIRTUAL
    minutes = estimate_travel_minutes(
        pupils.easting[p], pupils.northing[p], opp.easting[oo], opp.northing[oo], virtual, travel
    )
    if travel.timetable is not None:
        minutes = travel.timetable.apply(minutes, p, np.where(virtual, -1, o))
    start, end = opp.start_day[oo], opp.end_day[oo]
    # Checks in Reason order; later ones are only evaluated where still unset.
    checks: list[tuple[Reason, Bools]] = []
    # Employer-side checks are per opportunity: find the few failing pairs.
    bad = np.flatnonzero(~known | ~opp.documents_valid[oo])
    for code, failed in (
        (Reason.UNKNOWN_OPPORTUNITY, ~known[bad]),
        (Reason.NOT_PUBLISHED, ~opp.published[oo[bad]]),
        (Reason.NO_INSURANCE, opp.insurance_valid_until[oo[bad]] < end[bad]),
        (Reason.NO_RISK_ASSESSMENT, opp.risk_assessment_valid_until[oo[bad]] < end[bad]),
    ):
        mask = np.zeros(len(p), dtype=bool)
        mask[bad[failed]] = True
        checks.append((code, mask))
    checks += [
        (Reason.TOO_FAR, minutes > pupils.max_travel_minutes[p]),
        (Reason.DATES, ~dates_overlap(pupils, p, start, end)),
        (Reason.TOO_YOUNG, pupils.birth_day[p] > opp.latest_birth_day[oo]),
        (Reason.NO_STEP_FREE, pupils.needs_step_free[p] & ~opp.step_free[oo] & ~virtual),
    ]
    reason = np.full(len(p), Reason.ELIGIBLE, dtype=np.int8)
    for code, failed in reversed(checks):  # earliest check wins: write it last
        reason[failed] = code
    return reason, minutes
