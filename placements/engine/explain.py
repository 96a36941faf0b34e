"""True explanations: why a pupil did not get their first choice, or anything.

Under `stable`, a pupil who proposed to an opportunity and was turned down
is only ever turned down because it was full with pupils of higher
priority, and full opportunities keep those pupils (they are never
reshuffled by the vacancy round, which uses leftover seats only). So the
pupils named in ``displaced_by`` are exactly the run's holders of that
opportunity with a better key: they really got the seats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._types import I8, I64, Bools
from .candidates import _c, best_stage, expand_ranges
from .eligibility import Reason, left_out
from .inputs import MatchInput
from .loops import compiled
from .preferences import SECONDARY_BITS, Applications, Lists, Priorities
from .result import (
    DETAIL_APPROVED,
    DETAIL_HIGHER_TIER,
    DETAIL_LOTTERY,
    DETAIL_LOWER_PRIORITY,
    DETAIL_SECONDARY,
)


@dataclass(frozen=True)
class Explanations:
    reason_code: I8
    reason_opportunity_id: I64
    reason_detail: I8
    unmatched_code: I8
    displaced_by_ptr: I64
    displaced_by: I64


def explain(
    data: MatchInput,
    prio: Priorities,
    apps: Applications,
    main: Lists,
    vacancy: Lists,
    final_opp: I64,
    final_key: I64,
) -> Explanations:
    """``final_opp``/``final_key``: each pupil's match in this run (-1 if none)
    and their priority key there; approved-before pupils have -1."""
    pupils = data.pupils
    n = len(pupils)
    fixed = pupils.approved_opportunity_id >= 0
    reason, reason_opp, filled, main_opp = _first_choices(data, apps, main, fixed, final_opp)
    who = np.flatnonzero(filled)
    detail, counts, displaced = _filled_by(data, prio, main, who, main_opp[who], final_opp, final_key)
    reason_detail = np.zeros(n, dtype=np.int8)
    reason_detail[who] = detail
    per_pupil = np.zeros(n, dtype=np.int64)
    per_pupil[who] = counts
    d_ptr = np.concatenate([[0], np.cumsum(per_pupil)]).astype(np.int64)
    unmatched = _unmatched(data, main, vacancy, fixed, final_opp)
    return Explanations(reason, reason_opp, reason_detail, unmatched, d_ptr, displaced)


def _first_choices(
    data: MatchInput, apps: Applications, main: Lists, fixed: Bools, final_opp: I64
) -> tuple[I8, I64, Bools, I64]:
    """Why each pupil did not get the choice explained (their first own
    application, else their first suggestion): (reason, its opportunity id,
    filled by others, first main-list opportunity)."""
    opps = data.opportunities
    n = len(data.pupils)
    reason = np.zeros(n, dtype=np.int8)
    reason_opp = np.full(n, -1, dtype=np.int64)
    has_app = np.diff(apps.ptr) > 0
    has_main = np.diff(main.ptr) > 0
    first_app = np.minimum(apps.ptr[:-1], max(len(apps.opp) - 1, 0))
    app_reason = np.where(has_app, apps.reason[first_app] if len(apps.opp) else 0, 0)
    app_opp = np.where(has_app, apps.opp[first_app] if len(apps.opp) else -1, -1)
    first_main = np.minimum(main.ptr[:-1], max(len(main.opp) - 1, 0))
    main_opp = np.where(has_main, main.opp[first_main] if len(main.opp) else -1, -1)
    ineligible = has_app & (app_reason != Reason.ELIGIBLE)
    reason[ineligible] = app_reason[ineligible]
    reason_opp[ineligible] = _ids(opps.opportunity_id, app_opp[ineligible])
    explained = np.where(has_app, app_opp, main_opp)
    obtained = (explained >= 0) & (final_opp == explained)
    filled = ~fixed & ~ineligible & has_main & ~obtained
    reason[filled] = Reason.FILLED
    reason_opp[filled] = opps.opportunity_id[main_opp[filled]]
    if len(data.pupils.application_opportunity_id):
        # Unknown ids: report the id the pupil applied to, from the raw input.
        unknown = ineligible & (app_reason == Reason.UNKNOWN_OPPORTUNITY)
        reason_opp[unknown] = _raw_first_unknown(data, apps, np.flatnonzero(unknown))
    return reason, reason_opp, filled, main_opp


def _ids(opportunity_id: I64, o: I64) -> I64:
    """Id of each opportunity position, -1 for -1 (the table may be empty)."""
    ids = np.full(len(o), -1, dtype=np.int64)
    ids[o >= 0] = opportunity_id[o[o >= 0]]
    return ids


def _filled_by(
    data: MatchInput, prio: Priorities, main: Lists, who: I64, o: I64, final_opp: I64, final_key: I64
) -> tuple[I8, I64, I64]:
    """Who holds the seats of opportunity ``o[i]``, first choice of pupil
    ``who[i]``, and how they compare: (detail bits, how many hold it with
    higher priority, their pupil ids grouped by pupil in key order)."""
    lb = prio.lottery_bits
    fast = compiled("_compiled_report")
    if fast is not None:
        args = (_c(final_opp, np.int64), _c(final_key, np.int64), len(data.opportunities), _c(o, np.int64))
        detail, counts, at = fast.filled_by(
            *args, _c(main.key[main.ptr[who]], np.int64), SECONDARY_BITS + lb, lb
        )
        detail[data.opportunities.seats_taken[o] > 0] |= DETAIL_APPROVED
        displaced: I64 = data.pupils.pupil_id[at]
        return detail, counts, displaced
    holder = np.flatnonzero(final_opp >= 0)
    holder = holder[np.lexsort((final_key[holder], final_opp[holder]))]
    h_opp, h_key = final_opp[holder], final_key[holder]
    my_key = main.key[main.ptr[who]]
    lo = np.searchsorted(h_opp, o, "left").astype(np.int64)
    hi = np.searchsorted(h_opp, o, "right").astype(np.int64)
    row, at = expand_ranges(lo, hi - lo)
    better = h_key[at] < my_key[row]
    detail = np.zeros(len(who), dtype=np.int8)
    row_b, at_b = row[better], at[better]
    tier_shift = SECONDARY_BITS + lb
    mine_tier, mine_sec = my_key[row_b] >> tier_shift, (my_key[row_b] >> lb) & 0xFF
    their_tier, their_sec = h_key[at_b] >> tier_shift, (h_key[at_b] >> lb) & 0xFF
    for bit, mask in (
        (DETAIL_HIGHER_TIER, their_tier < mine_tier),
        (DETAIL_SECONDARY, (their_tier == mine_tier) & (their_sec < mine_sec)),
        (DETAIL_LOTTERY, (their_tier == mine_tier) & (their_sec == mine_sec)),
    ):
        hit = np.zeros(len(who), dtype=bool)
        hit[row_b[mask]] = True
        detail[hit] |= bit
    worse = np.zeros(len(who), dtype=bool)
    worse[row[~better]] = True
    detail[worse] |= DETAIL_LOWER_PRIORITY
    detail[data.opportunities.seats_taken[o] > 0] |= DETAIL_APPROVED
    counts = np.bincount(row_b, minlength=len(who)).astype(np.int64)
    displaced = data.pupils.pupil_id[holder[at_b]]  # already grouped by pupil, in key order
    return detail, counts, displaced


def _unmatched(data: MatchInput, main: Lists, vacancy: Lists, fixed: Bools, final_opp: I64) -> I8:
    """Why unplaced pupils got nothing: they took no part, their whole list
    was filled, or nothing was eligible (the furthest check any opportunity
    passed)."""
    unmatched = left_out(data.pupils)
    none = ~fixed & (final_opp < 0)
    opps = data.opportunities
    if not np.any(opps.published & opps.documents_valid & (opps.free_seats > 0)):
        unmatched[none & (unmatched == 0)] = Reason.NONE_OPEN
        return unmatched
    listed = (np.diff(main.ptr) > 0) | (np.diff(vacancy.ptr) > 0)
    unmatched[none & listed] = Reason.FILLED
    empty = np.flatnonzero(none & ~listed & (unmatched == 0))
    unmatched[empty] = best_stage(data.pupils, data.opportunities, data.policy, empty)
    return unmatched


def _raw_first_unknown(data: MatchInput, apps: Applications, who: I64) -> I64:
    """The opportunity id a pupil ranked first, for ids the engine does not know."""
    ptr = data.pupils.application_ptr
    ids = data.pupils.application_opportunity_id
    # Applications keep the pupil's own rank, so the raw position is rank - 1.
    first_rank = apps.rank[apps.ptr[who]]
    found: I64 = ids[ptr[who] + first_rank - 1]
    return found
